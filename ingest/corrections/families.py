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
from dataclasses import dataclass, field

from ..terms import content_terms
from . import signals as sg
from .subject import attribution, names, shared_names, topic_overlap

SURE, UNSURE = "link", "candidate"


@dataclass
class Evidence:
    family: str
    status: str  # corrected | superseded
    verdict: str  # SURE | UNSURE
    score: float
    reason: str  # why, in words an editor reads
    phrase: str = ""  # what changed, for the note ("reopened on 3 May 2021", "about 180,000")
    window: list[int] = field(default_factory=list)  # neighbour indexes of the later statement it needed


def _status(family: str) -> str:
    return "corrected" if family in sg.CORRECTING else "superseded"


def _span(rx: re.Pattern[str], text: str, extra_words: int = 5) -> str:
    """The matched words plus a short tail when it says when ("reopened on 3 May 2021")."""
    m = rx.search(text)
    if not m:
        return ""
    tail = re.match(r"(?:\s+(?:on|in|at|from|to|after|last|this|early|late)\s+[\w,]+(?:\s+\d{1,2},?)?(?:\s+\d{4})?)?",
                    text[m.end():])
    phrase = (m.group(0) + (tail.group(0) if tail else "")).strip(" ,.;")
    return " ".join(phrase.split()[: 8 + extra_words])


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


def _denial_by_accused(a: str, b: str) -> bool:
    """A later statement in which the party the claim is about answers it ("Acme called the report
    false") is that party's position, not a correction — unless it is the claim's own source
    taking it back."""
    spk = attribution(b)
    subject = names(a) - attribution(a)
    return bool(spk & subject) and not (spk & attribution(a))


def evidence(a: str, b: str, sim: float, window: list[tuple[int, str]] | None = None,
             b_index: int = 0) -> Evidence | None:
    """The strongest family evidence that later statement `b` overturns claim `a` (time is the
    caller's), or None. `window`: (index, text) of the sentences beside `b` in its source."""
    sa, sb = sg.signals(a), sg.signals(b)
    if not sb.later:
        return None
    if sa.later & sb.later & {sg.RETRACTION, sg.NEGATION} or sa.notice:
        return None  # a sentence reporting a correction is not the claim it corrects
    subj, used = _subject(a, b, window or [])
    if not subj and not (not names(a) and sim >= 0.55):
        return None
    point = topic_overlap(a, b)
    # The neighbour that supplied the subject also supplies its words ("the newly added entities").
    for idx, t in (window or []):
        if idx in used:
            point |= topic_overlap(a, t)
    found: list[Evidence] = []
    base = sim + 0.03 * len(point) + 0.05 * len(subj)

    def add(family: str, sure: bool, reason: str, phrase: str = "") -> None:
        found.append(Evidence(family, _status(family), SURE if sure else UNSURE, round(base, 4), reason, phrase, used))

    if sg.RETRACTION in sb.later:
        by_source = bool(attribution(a) & (names(b) | {n for i, t in (window or []) for n in names(t)}))
        doc = bool(point & set(content_terms("report study survey paper poll analysis finding data research")))
        sure = (by_source and (doc or len(point) >= 1)) or (len(point) >= 2 and sim >= 0.35)
        add(sg.RETRACTION, sure, "the source of the claim withdrew it" if by_source else "a retraction on the same point",
            _span(sg._RETRACTION, b, 2))
    if sg.NEGATION in sb.later and sg.NEGATION not in sa.later and not _denial_by_accused(a, b):
        sure = len(point) >= 2 and sim >= 0.4
        if sure or (len(point) >= 1 and sim >= 0.3):
            add(sg.NEGATION, sure, "a later statement says the same point is untrue",
                _span(sg._NEGATION, b, 2) or _span(sg._NOTICE, b, 2))
    if sg.PLAN in sb.later and sg.PLAN in sa.claim:
        sure = len(point) >= 1 and sim >= 0.3
        if sure or sim >= 0.4:
            add(sg.PLAN, sure, "the announced plan was dropped", _span(sg._PLAN_ABANDON, b))
    if sa.states & sb.lifts:
        k = sorted(sa.states & sb.lifts)[0]
        sure = len(point) >= 1 and sim >= 0.3
        if sure or sim >= 0.4:
            add(sg.STATUS, sure, f"a later event ended the '{k}' state", _span(sg._STATE_LIFT[k], b))
    if sa.neg_status:
        keys = set(content_terms(sa.neg_status)) - set(content_terms(" ".join(names(a))))
        hit = [k for k in keys if _affirmed(k, b) or any(_affirmed(k, t) for i, t in (window or []) if i in used)]
        if hit and not sb.neg_status and not sb.denial:
            sure = len(point) >= 2 or sim >= 0.4
            add(sg.STATUS, sure, "a later event made the negative status untrue", _event_phrase(b, hit))
    if sg.FIGURE in sb.later and sa.figures:
        va = {sg.figure_value(f) for f in sa.figures}
        after = [(i, t) for i, t in (window or []) if i == b_index + 1]
        fb = [(f, sg.figure_value(f), None) for f in sg.figures(b)]
        fb += [(f, sg.figure_value(f), i) for i, t in after for f in sg.figures(t)]
        quoted = any(v in va for _, v, _ in fb)
        new = [f for f, v, _ in fb if v not in va]
        if new and any(i is not None for f, v, i in fb if f in new) and not any(f in new for f in sg.figures(b)):
            used = used + [b_index + 1]  # "… incorrectly stated 5,000 workers." + "It will employ 500."
        if new and (quoted or len(point) >= 1):
            sure = (quoted and len(point) >= 1) or (len(point) >= 2 and sim >= 0.4)
            add(sg.FIGURE, sure, "a later statement gives a different figure", _figure_phrase(b, new))
    if not found:
        return None
    found.sort(key=lambda e: (e.verdict != SURE, -e.score))
    return found[0]


def _affirmed(stem: str, text: str) -> bool:
    """`text` says what `stem` names happened (a word with that stem, not negated)."""
    from ..terms import _norm, stem as stem_of, words

    pos = 0
    for w in words(text):
        pos = text.find(w, pos)
        if stem_of(_norm(w)) == stem and not sg.negated_near(text, pos):
            return True
        pos += len(w)
    return False


def _event_phrase(b: str, stems: list[str]) -> str:
    from ..terms import _norm, stem as stem_of, words

    ws = words(b)
    for i, w in enumerate(ws):
        if stem_of(_norm(w)) in stems:
            return " ".join(ws[max(0, i - 2): i + 5])
    return ""


def _figure_phrase(b: str, new: list[str]) -> str:
    m = re.search(r"(?:about|around|roughly|some|nearly|almost|more than|over|at least|just over|just under)\s+"
                  + re.escape(new[-1]), b)
    return f"figure corrected to {m.group(0) if m else new[-1]}"
