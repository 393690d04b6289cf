"""One link, one family: does a later statement withdraw, contradict or overtake a claim?

A link needs three things, each checked here for a (claim, later statement) pair:
1. the same subject — shared names between the claim (with its attribution) and the later
   statement or the sentence beside it (a list's name and the event that added it often sit in
   consecutive sentences);
2. a later time — checked by the caller (a later `published` date, or wording/clock times
   inside one source);
3. evidence from one family (`ingest.corrections.signals`), each pairing a later shape with the
   claim shape it overturns.
The embedding similarity of the two sentences breaks ties and fills the score; it never decides
alone. A pair with family evidence and the subject but a thin point in common is a *candidate*
for an editor (`factdesk corrections --candidates`), not a link.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..dates import period_years
from ..tuning import CorrectionsTuning
from ..terms import content_terms
from . import signals as sg
from .lexicon import (ACT as _ACT, ANAPHOR as _ANAPHOR, DESCRIBES_DOC, DOC_METHOD, DOC_WORD as _DOC_WORD,
                      EXPLICIT_REVISION as _EXPLICIT_REVISION, FINDING as _FINDING, FIRST_ESTIMATE, FRAME_WORDS,
                      NO_LONGER as _NO_LONGER, NOW_GIVES,
                      MEDIUM_REPORTED, OBJECT_ANAPHOR, PLUPERFECT as _PLUPERFECT, QUALIFIED as _QUALIFIED, RIGHT_VALUE, THAN_REPORTED,
                      AWARD_TAKEN, AWARD_WON, WRONGLY_STATED, dated_before)
from .gate import UNLESS_HISTORICAL, YES, admits
from .measures import count_grew, counts_deaths, figure_kind, figure_left, other_day, revised
from .patterns import LIST_MOVE, RECATEGORISED
from .phrases import (affirmed, event_phrase, figure_phrase, negated as _negated, no_longer_scope,
                      polarity_flip as _polarity_flip, span_of)
from .polarity import state_changes
from .precision import SURE, UNSURE, Evidence, strongest
from .restate import definite_nouns
from .scope import decision_overtaken, ends_other, ends_others, future_claim, modal_mismatch, now_figure
from .reversals import GENERIC_NOUNS, by_source as source_took_back, possessive_first, restated, restated_family
from .subject import (GENERIC_NAMES, document_venue, lead_names, _first, attribution, definite as _definite, denial_by_accused as _denial_by_accused,
                      document_owner as _document_owner, names, shared_names, topic_overlap, topic_terms)

DEFAULT = CorrectionsTuning()  # settings.tuning.corrections as shipped; relink passes the configured one
_REPORTS_CORRECTION = frozenset({sg.RETRACTION, sg.NEGATION})


# Words any finding and any withdrawal share ("found", "study", "authors"): not the document's point.
_DOC_TALK = frozenset(topic_terms("find found finds show shows shown study studies paper papers report reports reported "
                                  "research researchers author authors data journal published publish result results"))


@lru_cache(maxsize=100_000)
def _figure_values(a: str) -> frozenset[float | None]:
    return frozenset(sg.figure_value(f) for f in sg.signals(a).figures)


def _named(a: str, b: str) -> bool:
    """Both name the same thing, capitalised in both (not just share a sentence's first word)."""
    return bool((names(a) & names(b)) - GENERIC_NAMES - _first(a) - _first(b))


def _status(family: str) -> str:
    return "corrected" if family in sg.CORRECTING else "superseded"


def _subject(a: str, b: str, window: list[tuple[int, str]]) -> tuple[set[str], list[int]]:
    """Names the claim shares with the later statement — or, when it shares none, with a
    neighbouring sentence of the later source (then that neighbour's index is returned too)."""
    shared = shared_names(a, b)
    if shared:
        return shared, []
    for idx, t in window:
        s = shared_names(a, t)
        if s:
            return s, [idx]
    return set(), []


def _given_as_right(b: str, figures: list[str]) -> bool:
    """Every one of the claim's figures that `b` quotes stands right after the words giving the right
    value (`lexicon.RIGHT_VALUE`, read in the few words before the figure), or only after the clause
    saying what was wrongly stated (`lexicon.WRONGLY_STATED`: "incorrectly stated … 500 workers; it
    employs 5,000")."""
    wrong = WRONGLY_STATED.search(b)
    if wrong and not sg.figures(wrong.group(0)):
        wrong = None  # the clause gives no wrong value ("incorrectly stated the size of the plant: … not 5,000")

    def right(f: str) -> bool:
        at = b.find(f)
        if (at >= 0 and wrong and at >= wrong.end() and f not in wrong.group(0)
                and not re.search(r"\bnot\s+(?:about\s+|roughly\s+)?[$€£]?$", b[max(0, at - 20):at], re.I)):
            return True
        return at >= 0 and bool(RIGHT_VALUE.search(b[max(0, at - 40):at]))
    return bool(figures) and all(right(f) for f in figures)


_HALT_VERB = re.compile(r"\b(?:halt|halts|halted|halting|stop|stops|stopped|stopping)\b", re.I)


def _covers_the_claim(a: str, b: str, state: str) -> bool:
    """People allowed to do something end a halt only when the claim halted an activity (not suspended a
    person: "Two Sony employees have been suspended") and what they may do is what it stopped: a word of
    the stopped activity recurs ("stopped all trains and flights out of the city" / "were allowed to leave
    the city by train"). Every other lifting names its own object ("reopened the bridge")."""
    m = sg._STATE_LIFT[state].search(b)
    if not (state == "suspended" and m and re.search(r"allowed|permitted", m.group(0), re.I)):
        return True
    halt = _HALT_VERB.search(a)
    if not halt:
        return False
    stopped = a[halt.end():] or a[:halt.start()]
    said = span_of(sg._STATE_LIFT[state], b, follow=8)
    shared = set(content_terms(said)) & set(content_terms(stopped))
    return bool(shared - set(content_terms(" ".join(names(a) | names(said)))))


def _consistent(a: str, figs: tuple[str, ...], new: float | None, tolerance: float) -> bool:
    """A later figure that the claim's own qualifier already allows is an update, not a correction."""
    if new is None:
        return False
    for f in figs:
        old = sg.figure_value(f)
        if not old:
            continue
        q = _QUALIFIED.search(a[:a.find(f)] if f in a else "")
        word = q.group(1).lower() if q else ""
        if word in ("more than", "over", "at least") and new >= old:
            return True
        if word in ("fewer than", "less than", "under") and new <= old:  # "up to N" is a ceiling estimate: a lower figure revises it
            return True
        if word in ("nearly", "almost", "about", "around", "roughly", "some") and abs(new - old) <= tolerance * old:
            return True
    return False


@lru_cache(maxsize=100_000)
def _historical(a: str, published: str) -> bool:
    """A claim that dates what it reports to an earlier year than its own source ("was placed on the
    list in June 2018", in a 2022 story) is background history: a later change does not make it
    untrue."""
    # A state in the past perfect ("had been on the list since 1988") held up to an earlier point
    # the story tells of: background, not a statement of how things stand.
    return dated_before(a, published) or bool(_PLUPERFECT.search(a))


def _other_years(a: str, b: str, a_published: str, b_published: str, sb: sg.Signals) -> bool:
    """Both sentences date what they report, each to one year, and the years differ ("revenue of
    about $92 billion last year" in a 2018 story, "revenue rose to about $107 billion last year" in a
    2019 one): two years' figures are two quantities, the later one no revision of the earlier. Not
    when the later sentence says it revises or corrects ("revised the number … this year", a
    correction notice): that names the claim's figure as wrong, whatever years stand beside it; nor
    when either names more than one year ("the plant, which opened in 1987, employs …": the figure's
    own year is not known). Likewise a figure for part of a year beside one for a whole year
    (`_part_and_whole`), revised or not, unless the later sentence is a correction notice."""
    if sb.notice:
        return False
    if _part_and_whole(a, b) or _part_and_whole(b, a):
        return True  # a yearly figure revised ("raised its forecast for the year to …") is not a quarter's
    if sb.revised or _EXPLICIT_REVISION.search(b):
        return False
    pa, pb = period_years(a, a_published), period_years(b, b_published)
    return len(pa) == 1 and len(pb) == 1 and pa != pb


# What a figure given anew is of, and the earlier figure it is set against: "now puts net migration in 2022 at
# 745,000" is of net migration; "well above their first estimate of 120" revises 120.
_PUT_AT = re.compile(r"\b" + NOW_GIVES + r" (.{3,80}?) at (?:about |around |some )?[$€£]?\d", re.I)
_FIRST_OF = re.compile(r"\b" + FIRST_ESTIMATE + r" of (?:about |around |some |roughly )?([$€£]?\d[\d,.]*(?:\s?(?:million|"
                       r"billion|percent|%))?)", re.I)


def _revises_another(a: str, b: str, a_figures: tuple[str, ...], tol: float) -> bool:
    """A figure given anew that says what it is of, or which earlier figure it revises, and names
    another: "now puts the number of asylum claims … at 89,000" is no revision of net migration's
    606,000 (what it puts shares no word with the claim), "200 homes …, well above their first
    estimate of 120" none of "30 people had died" (the earlier figure it names is not the claim's)."""
    m = _PUT_AT.search(b)
    if m and not set(content_terms(m.group(1))) & set(content_terms(a)):
        return True
    m = _FIRST_OF.search(b)
    first = sg.figure_value(m.group(1).rstrip(".,")) if m else None
    if first is None:
        return False
    olds = [v for v in (sg.figure_value(f) for f in a_figures) if v]
    return bool(olds) and not any(abs(first - old) <= tol * abs(old) for old in olds)


# A figure for part of a year ("in the first quarter", "in March", "last month") and one for a whole year
# ("for the year", "full-year", "annual") are two quantities: "sold 40,000 tonnes in the first quarter" is
# not revised by "puts its output for the year at 170,000 tonnes".
_PART_OF_YEAR = re.compile(
    r"\b(?:(?:first|second|third|fourth|final|last|latest|this|previous) (?:quarter|half)|Q[1-4]|"
    r"(?:first|last) (?:three|six|nine) months|(?:last|this|past) (?:month|week)|quarterly|monthly|"
    r"(?:in|during|for) (?:January|February|March|April|May|June|July|August|September|October|November|December))\b")
# (a rate "a year" or "per year" after a quantity — not "the highest toll in a year", "a year ago"; "annual" but not
# a rate of change, "the annual inflation rate", which is given every month)
_WHOLE_YEAR = re.compile(r"\b(?:for the (?:whole |full |financial |fiscal |calendar )?year|full[- ]year|"
                         r"annual(?! (?:\w+ )?(?:rate|pace))|annually|(?<=\d )(?:[a-z]+ ){0,3}(?:a|per) year)\b", re.I)


def _part_and_whole(a: str, b: str) -> bool:
    """`a` gives a figure for part of a year and `b` one for a whole year, neither naming both."""
    return (bool(_PART_OF_YEAR.search(a)) and not _WHOLE_YEAR.search(a)
            and bool(_WHOLE_YEAR.search(b)) and not _PART_OF_YEAR.search(b))


def recategorised(a: str, b: str) -> bool | None:
    """Whether a later listing that moves rather than removes ends the claim's listing: "moved the toad
    from endangered to vulnerable" ends "is listed as endangered" (the claim holds the first category,
    not the second), "the country moves to the amber list" ends "is on the green list" (another list of
    that kind). None when `b` lifts the listing outright ("took it off the list"); False when it only
    moves it and the claim holds no category it leaves ("is listed as vulnerable", "is on the amber list")."""
    m = sg._STATE_LIFT["listed"].search(b)
    r = RECATEGORISED.match(b, m.start()) if m else None
    if m is None or not (r or LIST_MOVE.match(b, m.start())):
        return None
    low = a.lower()
    if r is not None:
        # What was moved is named, and is what the claim is about: "moved the toad" for "the Harwick toad",
        # not "moved the mountain gorilla" for "western gorillas", "moved the species" for the panthers
        # beside the manatees, nor "moved it" for the tiger mentioned in a story about pandas.
        span = b[m.start():r.start("was")]  # "moved the toad from "
        moved = set(content_terms(span)) - set(content_terms(span.split()[0]))  # its object, not the verb
        if not moved & set(content_terms(a)):
            return False
        # the claim's category, as a category: "listed as endangered", "rated junk", "on the amber list"
        was, now = re.escape(r.group("was").lower()), re.escape(r.group("now").lower())
        held = re.search(rf"\b(?:listed|classified|classed|rated|designated|categori[sz]ed|ranked|graded|assessed)"
                         rf"(?: as)? (?:an? |the )?{was}\b|\b{was} (?:list|category|status|rating)\b", low)
        return bool(held) and not re.search(rf"\b{now}\b", low[:held.start()] + low[held.end():])
    now = LIST_MOVE.match(b, m.start()).group("now").lower()
    lists = [q.lower() for q in re.findall(r"\b(?:on|to|onto) (?:the|a|its|their) (?:[\w'’.-]+ ){0,3}?([\w'’-]+) list\b", a)]
    return bool(lists) and now not in lists


def _may(a: str, b: str, own: bool, a_published: str) -> bool:
    """Whether any rule of `evidence` can add evidence for this pair (gate.py)."""
    can = admits(a, b, own)
    return can == YES or (can == UNLESS_HISTORICAL and not _historical(a, a_published))


@lru_cache(maxsize=100_000)
def _withdrawn(b: str) -> tuple[frozenset[str], re.Match[str] | None]:
    """Who later statement `b` says withdrew something (the names its retractor phrases give) and
    the act it takes back ("concession", "endorsement"), read once per text: relinking meets one
    later statement with every claim it is paired with."""
    retractors = frozenset(n for m in sg.RETRACTOR.finditer(b) for n in names(m.group(1)))
    withdrawal = sg._RETRACTION.search(b)
    return retractors, _ACT.search(withdrawal.group(0) if withdrawal else "")


def _compared_phrase(a: str, b: str, value: str) -> str:
    """What the note says changed: "stronger than first reported", and the new figure when the sentence
    beside it gives one ("…, figure corrected to 6.6"): the one revising the claim's quantity, else its
    first figure the claim does not give."""
    said = span_of(THAN_REPORTED, b)
    if not value:
        return said
    old = {sg.figure_value(f) for f in sg.figures(a)}
    kinds = {figure_kind(f) for f in sg.figures(a)} - {"year"}
    new = revised(a, value, True) or [f for f in sg.figures(value)
                                      if figure_kind(f) in kinds and sg.figure_value(f) not in old]
    new = [f for f in new if not _INCREMENT.search(value[:max(0, value.find(f))])]  # "a further $3.3 billion" adds
    return f"{said}, {figure_phrase(value, new)}" if new else said


# An amount added to the earlier one, not the new value ("found a further $3.3 billion …, bringing the total
# above $7 billion").
_INCREMENT = re.compile(r"\b(?:a further|another|an additional|additional|an extra|a fresh)\s+(?:[$€£¥]\s?)?$", re.I)


# The claim's opening noun phrase: up to its first auxiliary or reporting verb.
_OPENING_NP = re.compile(r"^((?:\S+\s+){0,7}?)(?:is|are|was|were|has|have|had|will|would|remains?|stays?|said|says)\b")


@lru_cache(maxsize=100_000)
def _names_its_subject(a: str) -> bool:
    """The claim's opening noun phrase names what it is about ("The smaller ELN guerrilla group is also on
    the list"): a definite opening there is no reference back to the sentence before."""
    m = _OPENING_NP.match(a)
    # (not a name in apposition: "The players, Reade Seligmann and Collin Finnerty, were …" refers back too)
    return bool(m and (names(m.group(1).split(",")[0]) - GENERIC_NAMES - _first(a)))


def _value_beside(a: str, window: list[tuple[int, str]], b_index: int) -> list[int]:
    """The neighbour giving the new value of a figure a comparative statement says was more or less than
    reported: of the neighbours giving a figure, the one sharing more of the claim's point ("economy" and
    "percent" against "percent" alone), the one after when they share as much."""
    shared = sorted(((len(topic_overlap(a, t)), i) for i, t in window if sg.figures(t)), reverse=True)
    if len(shared) == 2 and shared[0][0] > shared[1][0]:
        return [shared[0][1]]
    return [i for _, i in shared if i == b_index + 1]


@lru_cache(maxsize=100_000)
def _refers_back(b: str) -> bool:
    """Whether later statement `b` names what it acts on by an anaphor ("took the company off its
    sanctions list"): read once per text."""
    return OBJECT_ANAPHOR.search(b) is not None


@lru_cache(maxsize=100_000)
def _than_reported(b: str) -> re.Match[str] | None:
    """`THAN_REPORTED` in later statement `b`, searched once per text (asked of every pair whose claim gives a figure)."""
    return THAN_REPORTED.search(b)


def evidence(a: str, b: str, sim: float, window: list[tuple[int, str]] | None = None,
             b_index: int = 0, story: bool = False, a_before: str = "", a_published: str = "", b_published: str = "",
             tuning: CorrectionsTuning = DEFAULT, order: str = "") -> Evidence | None:
    """The strongest family evidence that later statement `b` overturns claim `a` (time is the
    caller's), or None. `window`: (index, text) of the sentences beside `b` in its source.
    `story`: both are in one story, the claim worded as earlier and the later statement within a
    few sentences of it — the story itself then says they are about the same thing. `a_before`: the
    sentence before the claim, whose names count when the claim refers back ("The planes will …").
    `order`: inside one source, what placed the claim first ("" across sources); sure evidence the
    precision policy does not trust on its own comes back unsure, with `demoted` saying why."""
    sa, sb = sg.signals(a), sg.signals(b)
    if not sb.overturns:
        return None
    if (sa.later & _REPORTS_CORRECTION and not sa.denial) or sa.notice:
        return None  # a sentence reporting a correction is not the claim it corrects (a party's denial is a claim)
    if not _may(a, b, True, a_published):
        return None  # no rule below can apply, whatever the subject (gate.py: most pairs relinking forms)
    # The neighbours that may name what `b` is about: both, unless `b` refers back to what it acts on
    # ("took the country off the list"), whose antecedent is then in the sentence before, not after.
    naming = [(i, t) for i, t in (window or []) if i < b_index or not _refers_back(b)]
    subj, used = _subject(a, b, [] if story else naming)
    point = topic_overlap(a, b)
    basis = "name"
    if not subj and a_before and _ANAPHOR.match(a) and not _names_its_subject(a):
        subj, basis = shared_names(a_before, b), "anaphor"  # the claim refers back to what the sentence before named
        if not subj and not story:
            # Both refer back: the claim to the sentence before it ("The group has been on the list …"
            # after "… belong to the People's Mujahedin of Iran"), the later statement to a neighbour
            # ("… to remove the exile group from the list" beside "The People's Mujahedin of Iran has
            # spent years …") — the two antecedents share the name.
            for idx, t in naming:
                if antecedent := shared_names(a_before, t):
                    subj, used = antecedent, [idx]
                    break
    if not subj and len(point) >= 2:
        subj, basis = _definite(a, b), "definite"  # "the university" for "the University of Virginia"
    if not (subj or story or (not lead_names(a) and sim >= tuning.noun_subject_sim)
            or (len(point) >= 3 and sim >= tuning.sim_near)):
        return None  # no subject, and neither a shared noun (below) nor the same proposition can give one
    own = not used  # the subject is named in the later sentence itself, not only beside it
    if not own and not _may(a, b, False, a_published):
        return None
    rev = restated(a, b, sa, sb, point) if own else None
    noun_only = False
    if (not subj and not story and not lead_names(a) and not _names_its_subject(a) and sim >= tuning.noun_subject_sim
            and ((point - (rev.words if rev else set())) & definite_nouns(a) & definite_nouns(b) - GENERIC_NOUNS
                 or (rev and len(rev.words) >= 3)) and (rev or len(point) >= 2)):
        # No shared name, but the claim's subject is a common noun the later statement repeats, in a
        # definite phrase both times ("the bridge", not "47 countries"), beyond the reversed words ("the giant panda … listed as endangered" / "… no longer listed as
        # endangered"; "the bridge remains closed" / "the bridge reopened") — or restates three of its
        # words at once ("abandoned the proposal to merge the regional hospitals") — the two close in meaning.
        subj, noun_only = {"(noun)"}, True
    topic_only = False
    if not subj and len(point) >= 3 and sim >= tuning.sim_near:
        # No shared name, but clearly the same proposition: most of its words recur. Enough for a
        # statement that it is false, never for a change of state (which needs the same entity).
        subj, topic_only = {"(topic)"}, True
    if not subj and not story:
        return None
    # The neighbour that supplied the subject also supplies its words ("the newly added entities").
    for idx, t in (window or []):
        if idx in used:
            point |= topic_overlap(a, t)
    found: list[Evidence] = []
    tol = tuning.qualifier_tolerance
    historical = _historical(a, a_published)
    base = sim + tuning.point_weight * len(point) + tuning.subject_weight * len(subj)

    basis = ("story" if story and not subj else "noun" if noun_only else "topic" if topic_only
             else "window" if used else basis)

    def add(kind: str, family: str, sure: bool, reason: str, phrase: str = "", label: str = "", status: str = "") -> None:
        found.append(Evidence(family, status or _status(family), SURE if sure else UNSURE, round(base, 4), reason,
                              phrase, used, label, kind, basis))

    won = subj - GENERIC_NAMES if own and sb.award_taken and not sb.denial and not topic_only else set()
    if won and AWARD_WON.search(a):
        # Who won, named in both, stripped of it later ("Răducan won the all-around title" / "stripped Andreea
        # Răducan of her all-around gold medal"): the result was taken back — the same contest or prize, a word
        # of the award's own phrase beyond the winner's name recurring in the claim ("all-around", "Tour de
        # France", "first prize"; not "won praise" against "stripped … of its title").
        m = AWARD_TAKEN.search(b)
        taken = m.group(0)
        # the award's own phrase: after "of his/her …" or "away/back", else the words just before "… was revoked"
        cut = re.search(r".*\b(?:of|away|back)\s+", taken)
        award = taken[cut.end():] if cut else " ".join(b[:m.start()].split()[-2:] + [taken])
        if set(content_terms(award)) & set(content_terms(a)):
            add("retraction:award", sg.RETRACTION, sim >= tuning.sim_loose, "the award was taken back", taken)
    if sg.RETRACTION in sb.later and own:
        retractors, act = _withdrawn(b)  # (`own`: no neighbour supplied the subject, `b` speaks alone)
        by_source = bool((attribution(a) | _document_owner(a)) & retractors)
        # The venue that published it withdrew a paper — this one when the two share its point or its
        # meaning (a journal withdraws many papers; "retracted a paper on sleep" is not the aspirin study).
        by_source = by_source or bool(document_venue(a) & retractors and (point - _DOC_TALK or sim >= tuning.sim_loose))
        # A whole paper, study or article withdrawn: every claim the earlier coverage attributes to
        # such a document, about the same names, goes with it.
        if sb.retracts_whole:
            # ... a finding it reports, not a sentence that describes the document (its author, venue);
            # and the same document: by who withdrew it, or by names beyond the withdrawer's own (a
            # journal withdrawing "a paper on sleep" has not withdrawn the aspirin study it also published).
            if ((((_DOC_WORD.search(a) or document_venue(a)) and _FINDING.search(a)) or MEDIUM_REPORTED.search(a)) and not DESCRIBES_DOC.match(a) and not DOC_METHOD.match(a)
                    and (by_source or (not topic_only and (len(subj - retractors) >= 2 or len(point) >= 2)))):
                add("retraction:document", sg.RETRACTION, True, "the document the claim is attributed to was withdrawn",
                    span_of(sg._RETRACTION, b, 2))
        elif act:
            # An act taken back (a concession, an endorsement): the claim was true, then overtaken.
            if story or (len(point) >= 1 and sim >= tuning.sim_close):
                add("retraction:act", sg.RETRACTION, True, f"the {act.group(0)} was taken back", span_of(sg._RETRACTION, b, 2),
                    "Overtaken by later events", status="superseded")
        else:
            # One assertion withdrawn: the claim must make the same point, about more than its author.
            # In one story too: a withdrawal takes back a statement on its point, not any earlier
            # sentence naming the same people ("withdraw their call for Bush" / "Gore telephones Bush").
            sure = (story and len(point) >= 1) or (len(point) >= 2 and sim >= tuning.sim_close and bool(subj - retractors))
            if sure or (len(point) >= 2 and sim >= tuning.sim_candidate):
                add("retraction:assertion", sg.RETRACTION, sure, "a retraction on the same point", span_of(sg._RETRACTION, b, 2))
    source_ev = source_took_back(a, b, sb, point, sim, tuning) if own else None
    if source_ev:
        add(*source_ev)
    flips, opposite = _polarity_flip(a, b, point) if sb.contrary and own else ("", False)
    if opposite:
        point = point | {"(opposites)"}  # the pair of opposites is the point the two share
    # A plan whose planned thing is said later not to come ("plans to build a stadium" / "the stadium will never be
    # built") is a plan overtaken: the plan rule below reads it, not as an account shown false.
    m_ab = sg._PLAN_ABANDON.search(b) if flips and sg.PLAN in sa.claim and sg.PLAN in sb.later else None
    at = b.find(flips)
    plan_undone = bool(m_ab) and (at < 0 or (at < m_ab.end() and m_ab.start() < at + len(flips)))  # the flip is the abandoning
    if flips and own and not sb.denial and not _denial_by_accused(a, b) and sg.NEGATION not in sa.later and not plan_undone:
        sure = ((len(point) >= 2 and sim >= tuning.sim_close) or (len(point) >= 1 and sim >= tuning.sim_near)
                or (story and len(point) >= 1))
        if sure or (len(point) >= 1 and sim >= tuning.sim_fair):
            # What will happen, said later not to; or what was decided, said later not to come: a plan,
            # forecast or decision overtaken, not an account shown false.
            fut = (future_claim(a) or decision_overtaken(a, b, flips)) and not sb.notice
            add("negation:opposites" if opposite else "negation:negated", sg.NEGATION, sure, "a later statement says the opposite", flips,
                "Overtaken by later events" if fut else "", "superseded" if fut else "")
    # A correction notice ("was misreported in an earlier version") is about what it names: the
    # claim must name the same thing, capitalised in both (not just share a sentence's first word).
    # A claim that already denies the point agrees with a statement that it is false.
    if (sg.NEGATION in sb.later and own and sg.NEGATION not in sa.later and not _denial_by_accused(a, b)
            and (_named(a, b) or story or not (sb.notice and not sg._NEGATION.search(b))) and not (point & _negated(a))):
        sure = (len(point) >= 2 and sim >= tuning.sim_fair) or (story and len(point) >= 1)
        if sure or (len(point) >= 1 and sim >= tuning.sim_loose):
            add("negation:untrue", sg.NEGATION, sure, "a later statement says the same point is untrue",
                span_of(sg._NEGATION, b, 2) or span_of(sg._NOTICE, b, 2))
    if topic_only:
        # Without a shared name only an explicit statement of falsity will do ("turned out to be
        # untrue"), not a bare "not" nor a correction notice about something else.
        found = [e for e in found if e.family == sg.NEGATION and sg._NEGATION.search(b)]
        return strongest(found, order, (order == "prior" and sb.later_wording) or sb.takes_back or sb.notice)
    if sg.PLAN in sb.later and sg.PLAN in sa.claim:
        # The same plan: its own words or what it names beyond the actor, not only the frame ("plans to
        # move production" / "abandoned its plan to build a factory": one company, two plans).
        actor = lead_names(a) or lead_names(b)  # who plans: the name the claim (else the later statement) opens with
        sure = (len(point - FRAME_WORDS) >= 1 or bool(subj - actor)) and sim >= tuning.sim_loose
        if sure or sim >= tuning.sim_fair:
            add("plan:abandoned", sg.PLAN, sure, "the announced plan was dropped", span_of(sg._PLAN_ABANDON, b))
    relisted = recategorised(a, b) if "listed" in sa.states & sb.lifts else None
    lifts = {k for k in sa.states & sb.lifts if not sg.negated_near(b, sg._STATE_LIFT[k].search(b).start())
             and (k != "listed" or relisted is not False) and _covers_the_claim(a, b, k)}
    if lifts and not historical:  # not "has not been released", "did not reopen"
        k = sorted(lifts)[0]
        # In the window case the list's name and the entity sit in two sentences: the state itself
        # ("on the list" / "struck off the blacklist") is the point they share.
        # ... or the lifting verb applies to the claim's subject itself ("released Aung San Suu Kyi").
        lifted = span_of(sg._STATE_LIFT[k], b, follow=4)
        sure = (len(point) >= 1 and sim >= tuning.sim_loose) or bool(used) or bool(names(" " + lifted) & subj)
        if (sure or sim >= tuning.sim_fair) and not ends_other(b, sg._STATE_LIFT[k].search(b).start(), names(a) | names(a_before)):
            if k == "listed" and relisted:
                # moved to another category or list: no cue that the earlier account was wrong, so inside
                # one story only a candidate (precision.py), as a restatement is
                add("status:recategorised", sg.STATUS, sure, "a later event moved the listing", lifted)
            else:
                add("status:lifted", sg.STATUS, sure, f"a later event ended the '{k}' state", lifted)
    if (len(no_longer_scope(b) & point) >= 2 and not sg.NEG_WORD.search(a) and len(point) >= 2 and not sb.denial
            and not modal_mismatch(a, b, no_longer_scope(b))):  # "can no longer be fined" / "were fined": a record stands
        # "X no longer P" overtakes "X P", whatever P is.
        add("status:no_longer", sg.STATUS, sim >= tuning.sim_fair, "a later statement says it is no longer so", span_of(_NO_LONGER, b))
    for negated, family, why, kind in ((sa.neg_status, sg.STATUS, "a later event made the negative status untrue", "status:negative_undone"),
                                     (sa.deliberation, sg.PLAN, "the plan under consideration was decided", "plan:decided")):
        if not negated or sb.neg_status or sb.denial:
            continue
        keys = set(content_terms(negated)) - set(content_terms(" ".join(names(a))))
        texts = [b] + [t for i, t in (window or []) if i in used]
        # What the negative names is what the later event must be about ("did not add Orsk Mining to its
        # blacklist" is not undone by the same ministry blacklisting another firm).
        withheld = set(names(" " + negated)) - GENERIC_NAMES
        if withheld and not any(withheld & names(t) for t in texts):
            continue
        hit = [k for k in keys if any(affirmed(k, t) for t in texts)]
        if hit:
            add(kind, family, len(point) >= 2 or sim >= tuning.sim_fair, why, event_phrase(b, hit), "Overtaken by later events")
    if not historical and not sb.denial and not _denial_by_accused(a, b):
        # The same act, order or membership in the opposite polarity (polarity.py).
        other = ends_others(b, names(a) | names(a_before))  # what it ended names someone else (scope.py)
        for ch in () if other else state_changes(a, b, [b] + [t for i, t in (window or []) if i in used], sa.states):
            add("polarity:" + ch.kind, ch.family, len(point) >= 1 or sim >= tuning.sim_fair, ch.reason, ch.phrase,
                "Overtaken by later events" if ch.status == "superseded" else "", ch.status)
    if sb.measures and sa.figures and own and sg.FIGURE not in sb.later and not (sb.denial or sb.lifts or sb.listing):
        # The same quantity given a different value, without a revision cue (measures.py); not a
        # count of what a change of state moved ("struck eight jurisdictions off the list").
        # The words saying the count was given anew may open the next sentence ("The Grenfell Tower fire killed
        # 71 people …" / "The number is lower than the earlier estimate.").
        after = [t for i, t in (window or []) if i == b_index + 1]
        wrong_first = bool(_EXPLICIT_REVISION.search(b)) or any(_EXPLICIT_REVISION.search(t) for t in after)
        anew = sb.revised or wrong_first or any(sg.signals(t).revised for t in after)
        given = [] if other_day(a, b, anew) else revised(a, b, anew, a_published[:4] == b_published[:4] != "")
        fresh = [f for f in given if not _consistent(a, sa.figures, sg.figure_value(f), tol)]
        # A count the claim's own qualifier allowed ("at least 87") that the later text says was given anew
        # ("the death toll has risen to 112", "officials now say … 111"): true when written, overtaken since.
        # So is a running count that went on growing, given anew without calling the first count wrong ("one of
        # the wounded died, bringing the number of dead to 50"): a toll lowered, or "than first reported", corrects.
        grown = anew and not sb.notice and not wrong_first and count_grew(a, given)
        fresh = fresh or (given if anew and not sb.notice else [])
        # named in both, not only by the word both open with ("Inspectors in Leeds …" / "Inspectors in Quito …")
        # Inside one story, a claim the story words as an early account ties them: a live report's "Early reports
        # say 132 people were on board" and its later "96 people were aboard, the ministry says" name no one in
        # common ("Five hostages have escaped" is not the count of "two hostages are dead").
        # Deaths counted anew are the claim's point however each words them ("killed 49" / "the number of dead").
        if (fresh and (len(point) >= 1 or (anew and counts_deaths(a) and counts_deaths(b))) and sim >= tuning.sim_fair and not _other_years(a, b, a_published, b_published, sb)
                and ((story and sa.prior)
                     or (names(a) & names(b)) - GENERIC_NAMES - (_first(a) & _first(b) - possessive_first(a, b)))):
            # A new price or offer is a new move; a figure the claim dates to an earlier year was
            # true of its time: both overtaken, not corrected.
            moved = bool(sg.NEGOTIATION.search(b)) or historical or now_figure(b) or grown  # or the measurer's figure "now"
            add("figure:measure", sg.FIGURE, True, "a later statement gives a different figure for the same quantity",
                figure_phrase(b, fresh, moved), "Overtaken by later events" if moved else "", "superseded" if moved else "")
    left = figure_left(_figure_values(a), b) if sa.figures and own else ""
    if left and not sb.denial and len(subj) >= 1 and not topic_only:
        # The claim's own figure restated as where a change started: the value moved on.
        add("figure:old_value", sg.FIGURE, True, "a later statement gives the claim's figure as the old value", left,
            "Overtaken by later events", "superseded")
    compared = _than_reported(b) if sa.figures and own and not (sb.denial or topic_only) else None
    if compared and (len(point) >= 1 or sim >= tuning.sim_fair) and (names(a) & names(b)) - GENERIC_NAMES:
        # The quantity was more or less than the earlier account gave: that figure is corrected, whatever the new
        # value (often not given yet: "stronger than first reported").
        # The new value, when the story gives it, is in a sentence beside it ("The quake was stronger than first
        # reported." / "On Sunday they raised their measure of it to 8.0."): quoted with the link — the one
        # more on the claim's point ("The economy expanded by 8.7 percent in 2021 …" / "The revision means the
        # recovery was stronger than thought." / "Consumer price inflation stood at 6.8 percent."), else the one after.
        given = _value_beside(a, window or [], b_index)
        kept, used = used, used + given
        add("figure:comparative", sg.FIGURE, True, "a later statement says the figure was more or less than first reported",
            _compared_phrase(a, b, dict(window or []).get(given[0], "") if given else ""))
        used = kept
    if sg.FIGURE in sb.later and sa.figures:
        va = {sg.figure_value(f) for f in sa.figures}
        after = [(i, t) for i, t in (window or []) if i == b_index + 1]
        fb = [(f, sg.figure_value(f), None) for f in sg.figures(b)]
        fb += [(f, sg.figure_value(f), i) for i, t in after for f in sg.figures(t)]
        quoted = any(v in va for _, v, _ in fb)
        # A running count the claim's own qualifier allowed, given anew and grown ("killed at least 40" / "the death
        # toll rose to 61"): true when written, overtaken since (an unqualified count raised stays corrected).
        same_quantity = bool(revised(a, b, True))  # `b` gives the claim's quantity another value (read once)
        tally_grew = (sb.revised and not sb.notice and not _EXPLICIT_REVISION.search(b)
                      and count_grew(a, [f for f, _, i in fb if i is None]) and same_quantity
                      and any(_consistent(a, sa.figures, x[1], tol) for x in fb))
        # "more than 50,000" is not contradicted by a later 50,333, nor "about 5,000" by 5,100.
        if (not (sb.notice or _EXPLICIT_REVISION.search(b) or tally_grew)
                and any(_consistent(a, sa.figures, x[1], tol) for x in fb)):
            fb = []  # the later text updates the same quantity within what the claim said
        if other_day(a, b, sb.revised):
            fb = []  # the count of an event placed on another day
        new = [f for f, v, i in sorted(fb, key=lambda x: x[2] is not None) if v not in va]
        if new and any(i is not None for f, v, i in fb if f in new) and not any(f in new for f in sg.figures(b)):
            used = used + [b_index + 1]  # "… incorrectly stated 5,000 workers." + "It will employ 500."
        # A correction notice that quotes a figure corrects the statement that gave that figure — not one whose
        # figure the notice gives as the right value ("should have been rounded up to 9.77" against "the old
        # mark of 9.77"): that statement agrees with it.
        if sb.notice and (not quoted or _given_as_right(b, [f for f, v, i in fb if v in va and i is None])):
            new = []
        if (new and (quoted or len(point) >= 1 or story or sim >= tuning.sim_very) and not _other_years(a, b, a_published, b_published, sb)
                and not _revises_another(a, b, sa.figures, tol)):
            sure = ((quoted and len(point) >= 1) or (len(point) >= 2 and sim >= tuning.sim_fair) or story
                    or (sim >= tuning.sim_very and len(subj) >= 2) or (sb.revised and len(point) >= 1 and len(subj) >= 2)
                    # the text says the count was revised, and it is the claim's quantity (the same thing counted)
                    or (sb.revised and len(point) >= 1 and bool(subj) and same_quantity))
            # A price or an offer revised is a new move, not a wrong figure: superseded, not corrected — unless the
            # later figure is set against the first one ("now put … at 745,000, well above their first estimate").
            moved = ((bool(sg.NEGOTIATION.search(b)) or now_figure(b)) and not sb.notice and not _EXPLICIT_REVISION.search(b)) or tally_grew
            add("figure:notice" if sb.notice else "figure:revision", sg.FIGURE, sure, "a later statement gives a different figure", figure_phrase(b, new, moved),
                "Overtaken by later events" if moved else "", "superseded" if moved else "")
    if noun_only:  # without a shared name: a change of state or plan, never a figure nor a falsity
        found = [e for e in found if e.family in (sg.STATUS, sg.PLAN)]
    if rev and not historical and not (rev.kind == "ended" and ends_others(b, names(a) | names(a_before))):  # last: on a tie the families' own cues name the change
        add(*restated_family(a, sa, rev, point, sim, noun_only, tuning))
    return strongest(found, order, (order == "prior" and sb.later_wording) or sb.takes_back or sb.notice)

