"""What one sentence can say about time-bound truth, read from its wording alone.

Two sides. A *claim shape* says a sentence states something a later event can overturn: a plan
("plans to", "is weighing"), a restrictive state ("remains closed", "is suspended"), a negative
status ("has no plans to recall", "is not on any list"), a figure, a finding attributed to a
document ("according to a survey by X"). A *later evidence* shape says a sentence overturns
something: a retraction ("X pulled the survey"), a statement of falsity ("turned out to be
untrue"), an abandoned plan ("called off"), a lifted state ("reopened", "the probe was closed"),
an event that makes a negative status false ("recalled", "added to the list"), a corrected figure.

These are general patterns of English news copy, grouped into families a reader would defend on
any text; none names a story. Each family pairs its later evidence with a claim shape in
`ingest.corrections.families`; here every pattern is computed once per sentence text (cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .patterns import (
    AGAIN_STATE, ANTONYM_RX, CORRECTING, FAMILIES, FIGURE, LIST_EVENT, NEGATION, NEGOTIATION, NEG_WORD, PLAN, RETRACTION,
    RETRACTOR, STATUS, STATUS_EVENT, _CLOCK, _DISOWN, _DELIBERATION, _DENIAL, _FIG, _LATER, _MONTHS, _NEGATION,
    _NEGATORS, _NEG_STATUS, _NOTICE, _NO_LONGER, _NUMBER_WORDS, _OPPOSITE_WORD, _PART_DOC, _PLAN_ABANDON,
    _PLAN_CLAIM, _PRIOR, _REPORTING, _RETRACTION, _REVISED, _REVISION, _STATE_CLAIM, _STATE_EVENT,
    _STATE_LIFT, _WHOLE_DOC,
)

from .lexicon import (ADMISSION, AWARD_TAKEN, RANKING, EXONERATION, SOURCE_REVISION, PREVENT, REPLACE, REVERSAL, THAN_REPORTED, UPHOLD,
                      weekday as _weekday)
from .literals import arm
from ..dates import clock_minutes

arm()  # the detector is loaded: its searches now skip texts without their literals (literals.py)


# Read by families.py and detect.py through this module (`sg.X`), beside what it computes.
__all__ = ['ANTONYM_RX', 'FAMILIES', 'NEGOTIATION', 'RETRACTOR']


@dataclass(frozen=True)
class Signals:
    later: frozenset[str]  # families this sentence can be later evidence for
    claim: frozenset[str]  # families whose claim shape this sentence has
    states: frozenset[str]  # restrictive states it asserts (claim side)
    lifts: frozenset[str]  # restrictive states it ends (later side)
    neg_status: str  # the words a negative status negates ("recall the cars"), "" if none
    deliberation: str  # the words an undecided deliberation is about ("adding … to a list"), "" if none
    retracts_whole: bool  # what it withdraws is a whole document (a survey, a study), not one assertion
    notice: bool  # a correction notice in its own voice ("incorrectly stated")
    denial: bool  # a party answering an accusation
    prior: bool  # worded as earlier than the text around it ("initially reported")
    later_wording: bool  # worded as later ("has since", "by evening")
    clock: int | None  # minutes after midnight of a time of day it names
    figures: tuple[str, ...]
    revised: bool = False  # says outright that a figure was revised ("bringing the total to", "than it first reported")
    contrary: bool = False  # negates something or uses a word of a pair of opposites: may contradict a claim
    measures: bool = False  # gives a figure for a counted or measured quantity (may revise an earlier figure)
    weekday: int | None = None  # the day of the week it places itself on ("On Tuesday, …"), Monday = 0
    listing: bool = False  # reports an entity joining a list or register ("added … to the entity list")
    takes_back: bool = False  # a party retracting or revising what it published, whatever it calls it ("retracting the item")
    admits: bool = False  # a party admitting something ("admitted that he had used"): may overturn its denial
    reverses: bool = False  # ends, withdraws or moves away from what it names ("lifted the ban", "from X to Y")
    award_taken: bool = False  # an award taken back ("stripped X of her gold medal"): a retraction of who won

    @property
    def overturns(self) -> bool:
        """Could this sentence overturn an earlier claim (worth pairing with claims at all)?"""
        return (bool(self.later) or self.contrary or self.measures or self.reverses or self.admits or self.takes_back
                or self.award_taken)


def _clock(text: str) -> int | None:
    m = _CLOCK.search(text)
    return clock_minutes(m) if m else None


_MONTH_SET = frozenset(_MONTHS)
_NON_DIGIT = re.compile(r"\D")
_TIME_AFTER = re.compile(r"[:.]\d\d\s?[ap]\.?m|\s?[ap]\.m\.")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SCALED = re.compile(r"%|percent|million|billion|trillion|thousand", re.I)


@lru_cache(maxsize=100_000)  # asked by signals() and by measures.quantities() of the same text
def figures(text: str) -> tuple[str, ...]:
    """Figures a correction can be about ("5,000", "$2.5 billion", "40%"); not days of the month
    nor years."""
    out = []
    for m in _FIG.finditer(text):
        f = m.group(0).strip()
        before = text[max(0, m.start() - 10):m.start()].split()
        if before and before[-1].strip(".,").capitalize() in _MONTH_SET:
            continue
        digits = _NON_DIGIT.sub("", f)
        if text[m.start() - 1:m.start()] == ":" or _TIME_AFTER.match(text[m.end():]):
            continue  # a time of day
        if _YEAR.fullmatch(f):
            continue  # a year
        if len(digits) == 1 and not f[0].isalpha() and not _SCALED.search(f):
            continue  # "3 of them": too common to be what a correction is about
        out.append(f)
    return tuple(out)


def figure_value(f: str) -> float | None:
    low = f.lower()
    m = re.search(r"\d[\d,]*(?:\.\d+)?", f)
    if m:
        v = float(m.group(0).replace(",", ""))
    else:
        word = next((w for w in low.split() if w in _NUMBER_WORDS), None)
        if word is None:
            return None
        v = float(_NUMBER_WORDS[word])
    for word, mult in (("trillion", 1e12), ("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if word in low:
            v *= mult
    return v


# What compares a figure with the earlier account ("well above its earlier estimates", "up from the first
# reports"): the sentence giving the new figure, not the earlier account.
_COMPARED_WITH = re.compile(r"\b(?:above|below|than|from|over|under|beyond|exceed\w*|compared with|against)\s+"
                            r"(?:[\w'’-]+\s+){0,2}$", re.I)


def _worded_as_prior(text: str) -> bool:
    """The sentence is worded as the earlier account ("initially reported", "in an earlier statement")
    — not when it measures its own figure against that account ("… 8.7 percent, well above its earlier
    estimates")."""
    m = _PRIOR.search(text)
    return (m is not None and bool(_REPORTING.search(text))
            and not _COMPARED_WITH.search(text[max(0, m.start() - 40):m.start()]))


@lru_cache(maxsize=100_000)
def signals(text: str) -> Signals:
    later: set[str] = set()
    claim: set[str] = set()
    notice = bool(_NOTICE.search(text))
    figs = figures(text)
    denial = bool(_DENIAL.search(text))
    plan_abandon = _PLAN_ABANDON.search(text)
    rm = _RETRACTION.search(text)
    if rm:
        later.add(RETRACTION)
    aw = AWARD_TAKEN.search(text)
    award = bool(aw) and not negated_near(text, aw.start())  # not "did not strip him of his title"
    what = rm.group(0) if rm and not re.search(r"\b(?:it|them)$", rm.group(0)) else text  # "retract it": the sentence says what
    if rm and re.fullmatch(_DISOWN, rm.group(0), re.I):
        what = text  # "could not prove the memos were authentic": the sentence says what is disowned
    retracts_whole = bool(rm and _WHOLE_DOC.search(what) and not _PART_DOC.search(what))
    if (_NEGATION.search(text) or (notice and not figs)) and not denial:
        later.add(NEGATION)
    if plan_abandon:
        later.add(PLAN)
    lifts = frozenset(k for k, rx in _STATE_LIFT.items() if rx.search(text))
    listing = bool(LIST_EVENT.search(text))
    event = listing or bool(STATUS_EVENT.search(text))
    # A state changed through another event: an act reversed or upheld, an event prevented, a place taken.
    shift = any(rx.search(text) for rx in (REVERSAL, UPHOLD, PREVENT, REPLACE, EXONERATION))
    if lifts or event or shift or _NO_LONGER.search(text) or AGAIN_STATE.search(text):
        later.add(STATUS)
    if (figs and (notice or _REVISION.search(text))) or THAN_REPORTED.search(text):
        later.add(FIGURE)
    neg = _NEG_STATUS.search(text)
    neg_status = neg.group(1).strip() if neg else ""
    states = frozenset(k for k, rx in _STATE_CLAIM.items() if rx.search(text)) | frozenset(
        k for k, rx in _STATE_EVENT.items() if rx.search(text))
    if neg_status or states:
        claim.add(STATUS)
    if _PLAN_CLAIM.search(text) and not neg_status:
        claim.add(PLAN)
    dm = _DELIBERATION.search(text)
    deliberation = dm.group(1).strip() if dm and not neg_status else ""
    if figs:
        claim.add(FIGURE)
    claim |= {RETRACTION, NEGATION}  # any statement of fact can be withdrawn or contradicted
    # An event that lifts one state may state another (a state *ended* is no claim of it).
    states = states - lifts
    return Signals(later=frozenset(later), claim=frozenset(claim), states=states, lifts=lifts, neg_status=neg_status, retracts_whole=retracts_whole,
                   deliberation=deliberation, notice=notice, denial=denial, prior=_worded_as_prior(text),
                   later_wording=bool(_LATER.search(text)), clock=_clock(text), figures=figs,
                   contrary=bool(NEG_WORD.search(text[(r.end() if (r := RANKING.match(text)) else 0):]) or _OPPOSITE_WORD.search(text)),
                   measures=any(q.usable or (q.period and q.unit and not q.move) for q in quantities(text)), weekday=_weekday(text), listing=listing,
                   revised=bool(figs) and (notice or bool(_REVISED.search(text))),
                   admits=bool(ADMISSION.search(text)), takes_back=bool(SOURCE_REVISION.search(text)), award_taken=award,
                   reverses=any(k in ("end", "from") for _, k in _operators(text))
                   or (any(t.low == "from" for t in tokens(text))  # "moved" is only read after a "from"
                       and any(k == "moved" for _, _, k, _ in polarity(text))) or bool(FROM_FIGURE.search(text)))


def negated_near(text: str, word_start: int) -> bool:
    """A negator within the five words before position `word_start`."""
    before = text[:word_start].split()[-5:]
    return bool(_NEGATORS.search(" ".join(before)))


def cue(text: str) -> str:
    """The stored per-sentence cue (sentence metadata): "strong" for correcting evidence, "update"
    for superseding evidence, "" for none. Relinking finds later evidence in other sources by it."""
    s = signals(text)
    if s.later & set(CORRECTING) or s.takes_back or s.award_taken:
        return "strong"
    if s.later:
        return "update"
    if s.contrary or s.measures or s.reverses or s.admits:
        return "weak"
    return ""


CORRECTOR_CUES = ("strong", "weak", "update")


from .measures import quantities  # noqa: E402  (measures reads figures() above)
from .restate import FROM_FIGURE, _operators, polarity, tokens  # noqa: E402

arm()  # and those of the modules imported just above (subject.py's, through restate)
