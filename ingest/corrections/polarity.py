"""A subject's state at two times: the same act, order, membership or proposition asserted with one
polarity in a claim and with the opposite polarity in a later statement.

The pattern families of `families.py` read a later statement's own cue ("reopened", "called off").
Much news copy says a state changed only through another event: a court *quashed the
cancellation* of a visa (the cancellation is overtaken), the minister *cancelled the visa again*
(the quashing is overtaken), a judge *blocked the ban from taking effect* (the ban that "will take
effect" is overtaken), *Z took the place of X* in an index (X's membership ended), *X joined the
index* (X "is not in" it any more), the accused were *declared innocent* (the allegation is
corrected). Each rule here is one general class of predicate with its two polarities —
an act and its reversal, a scheduled event and its prevention, a membership and its end, an
allegation and the exoneration, an absence of evidence and the proposition itself — read from
the words the two sentences share, never from a story's words. The word classes are in
`lexicon.py`; the caller (`families.evidence`) has already checked the subject and the time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..terms import _IRREGULAR, _norm, content_terms, words
from ..terms import stem as stem_of
from .patterns import AGAIN_STATE, LIST_EVENT, NEGATION, STATUS, states_of
from .signals import negated_near
from .lexicon import (ALLEGATION, EXONERATION, FUTURE, MEMBERSHIP_NEGATIVE, PREVENT, REPLACE,
                      REVERSAL, UNLESS, UPHOLD)
from .phrases import _PAST_AUX
from .subject import lead_names, names


class Change(NamedTuple):
    family: str
    status: str  # corrected | superseded
    reason: str
    phrase: str  # what changed, for the note
    kind: str = ""  # which class of predicate (the precision measurement's key)


_IGNORED = frozenset({"said", "say", "report", "told", "ad", "announc", "state"})


@lru_cache(maxsize=50_000)
def _completed(text: str) -> frozenset[str]:
    """Stems of the verbs a sentence puts in a completed form ("cancelled", "has cancelled", "was
    cancelled"), not negated: the acts it says were done. One pass over its words."""
    out: set[str] = set()
    pos = 0
    for w in words(text):
        pos = text.find(w, pos)
        low = _norm(w)
        if (low.endswith("ed") or low in _IRREGULAR or _PAST_AUX.search(text[max(0, pos - 40):pos])) \
                and not negated_near(text, pos):
            out.add(stem_of(low))
        pos += len(w)
    return frozenset(out)


def _done(stem: str, text: str) -> bool:
    return stem in _completed(text)


@lru_cache(maxsize=50_000)
def _acts(text: str) -> frozenset[str]:
    """Stems of the acts a sentence says were done (completed verbs, not names, not speech)."""
    return frozenset(_content(text) & _completed(text))


@lru_cache(maxsize=50_000)
def _content(text: str) -> frozenset[str]:
    return frozenset(set(content_terms(text)) - set(content_terms(" ".join(names(text)))) - _IGNORED)


@lru_cache(maxsize=50_000)
def _reversed(text: str) -> frozenset[str]:
    """What a sentence says was reversed: the head of the object ("quashed the cancellation of …" →
    cancel, "withdrew its bid for …" → bid), not negated."""
    out: set[str] = set()
    for m in REVERSAL.finditer(text):
        head = [s for s in content_terms(m.group(1)) if s in _content(text)][:1]
        if head and not negated_near(text, m.start()):
            out.add(head[0])
    return frozenset(out)


def _same(x: str, y: str) -> bool:
    """One act named by two stems: equal, or a verb and its noun sharing six letters ("suspend" /
    "suspension")."""
    return x == y or (min(len(x), len(y)) >= 6 and x[:6] == y[:6])


def _span(m: re.Match[str], n: int = 8) -> str:
    return " ".join(m.group(0).split()[:n]).rstrip(",.;")


@lru_cache(maxsize=50_000)
def _claim_shape(text: str) -> tuple[bool, bool, bool, bool]:
    """What a claim can have overtaken: a condition, a scheduled event, a non-membership, an allegation."""
    return (bool(UNLESS.search(text)), bool(FUTURE.search(text)), bool(MEMBERSHIP_NEGATIVE.search(text)),
            bool(ALLEGATION.search(text)))




_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b|\bcannot\b", re.I)
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never|no)|n't|\bcannot)\s+(?:[\w'’-]+\s+)?$", re.I)


def _restored(a: str, b: str, claim_states: frozenset[str]) -> re.Match[str] | None:
    """Claim `a` imposed a restriction (a state it asserts: suspended, banned, blocked); later
    statement `b` says what it stopped can be done, or holds, again — the
    words around "again" naming what the claim restricted (its content words beyond speech, or a
    name the claim gives after its verb), and `b` imposing none of the claim's states itself."""
    if claim_states & states_of(b):
        return None  # "blocked again", "suspended once more": the restriction repeated
    for m in AGAIN_STATE.finditer(b):
        if negated_near(b, m.start()) or _NEGATED.search(m.group(0)) or _NEGATED_BEFORE.search(b[:m.start()]):
            continue
        clause = m.group(1) or m.group(2) or ""  # after "once again", or before "again"
        # What is possible again names something other than what the claim stopped ("began flights to Osk
        # again" after "halted flights to Vell"; "sell its X3 phone in France again" after "the X2 phone
        # in Britain"): the claim's names beyond who acted, none of them in the clause's names.
        told, acted_on = names(" " + clause), names(a) - lead_names(a)
        if told and acted_on and not told & names(a):
            continue
        shared = (_content(a) & set(content_terms(clause))) | (names(a) & names(" " + clause))
        if shared - _IGNORED:
            return m
    return None


def claim_can_change(a: str, claim_states: frozenset[str]) -> bool:
    """A claim `state_changes` can find overtaken by any later statement: it asserts a state, says
    something was reversed, or has a condition, a scheduled event, a non-membership or an allegation.
    (Else only a later statement that reverses something can overtake it.)"""
    return bool(claim_states) or bool(_reversed(a)) or any(_claim_shape(a))


def later_reverses(b: str) -> bool:
    return bool(_reversed(b))


def state_changes(a: str, b: str, texts: list[str], claim_states: frozenset[str]) -> list[Change]:
    """Later statement `b` (with `texts`: b and the neighbour that named the subject) puts an act,
    order or membership of claim `a` in the opposite polarity."""
    out: list[Change] = []
    if not (claim_can_change(a, claim_states) or _reversed(b)):
        return out  # most pairs: nothing here can change state (cheap: every shape is cached per text)
    rev_a, rev_b = _reversed(a), _reversed(b)
    unless, future, outside, alleged = _claim_shape(a)
    restricted = bool(claim_states)
    m = _restored(a, b, claim_states) if restricted else None
    if m:  # a restriction, then what it stopped is possible again: "blocked access to X" ← "could open X again"
        out.append(Change(STATUS, "superseded", "what the claim stopped is possible again", _span(m), "restored"))
    hit = {x for x in _acts(a) - rev_a if any(_same(x, y) for y in rev_b)} if rev_b else set()
    if hit:  # an act, then its reversal: "cancelled the visa" ← "quashed the cancellation"
        m = REVERSAL.search(b)
        out.append(Change(STATUS, "superseded", f"a later decision reversed the '{sorted(hit)[0]}'", _span(m) if m else "", "reversed"))
    again = {s for s in rev_a if any(_done(s, t) for t in texts)} - rev_b if rev_a else set()
    for m in UPHOLD.finditer(b) if rev_a else ():
        again |= rev_a & set(content_terms(b[m.end():][:80]))
    if again:  # a reversal, then the act done again: "quashed the cancellation" ← "cancelled the visa again"
        out.append(Change(STATUS, "superseded", f"the reversed '{sorted(again)[0]}' was done again", "", "done_again"))
    u = UNLESS.search(a) if unless else None
    if u:  # a condition that came about: "free to play unless the minister cancels the visa" ← "cancelled the visa"
        cond = set(content_terms(u.group(1)))
        done = {s for s in cond if any(_done(s, t) for t in texts)}
        if done and len(cond & set(content_terms(b))) >= 2:
            out.append(Change(STATUS, "superseded", "the condition the claim named came about", "", "condition"))
    p = PREVENT.search(b) if future else None
    if p and not negated_near(b, p.start()):
        # a scheduled event, then its prevention: "will take effect" ← "blocked the ban from taking effect"
        planned = _content(a)
        if planned & set(content_terms(p.group(0))) and len(planned & set(content_terms(b))) >= 2:
            out.append(Change(STATUS, "superseded", "the scheduled event was stopped", _span(p), "prevented"))
    if "listed" in claim_states:  # a membership, then a replacement: "remains a member" ← "Z took the place of X"
        for t in texts:
            for m in REPLACE.finditer(t):
                after = set(w.lower() for w in words(t[m.end():])[:6])
                if after & names(a) and not negated_near(t, m.start()):
                    out.append(Change(STATUS, "superseded", "another took its place", _span(m), "replaced"))
                    break
    if outside:  # "is not in the index" ← "X will join the index" (X itself, not another joining)
        m_out = MEMBERSHIP_NEGATIVE.search(a)
        entity = names(a[:m_out.start()]) if m_out else frozenset()
        for t in texts:
            m = LIST_EVENT.search(t)
            if m and entity & names(t) and not negated_near(t, m.start()):
                out.append(Change(STATUS, "superseded", "a later event made it a member", _span(m), "joined"))
                break
    if alleged:  # an allegation, then the exoneration: "alleges … raped" ← "declared them innocent"
        m = EXONERATION.search(b)
        if m and not negated_near(b, m.start()):
            out.append(Change(NEGATION, "corrected", "the accused were later cleared", _span(m), "cleared"))
    return out
