"""Can a (claim, later statement) pair have any family's evidence at all? Read from each text alone.

Relinking forms every claim against every later statement it found — about 180,000 pairs when the
10k benchmark's archive is relinked whole — and under 1 % of them end with evidence; most of
`families.evidence`'s time went on pairs that could never have any (their subject, shared point and
restated words read, then no family's rule applying). Evidence is added at a fixed set of places
in `families.evidence`, each behind conditions on the later statement's signals and the claim's
shape. This module is those conditions and nothing else, so a pair none of them admits gets the
None `evidence` would have returned after reading it: no result changes, only the work. Each
condition names the `add` site it mirrors; a new rule in families.py needs its condition here
(tests/test_relink_speed.py compares evidence with and without this gate on labelled pairs).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from . import signals as sg
from .measures import from_figures
from .phrases import no_longer_scope
from .polarity import claim_can_change, later_reverses
from .reversals import claim_sources

NO, YES, UNLESS_HISTORICAL = 0, 1, 2  # UNLESS_HISTORICAL: only rules a dated-background claim is exempt from


class _Later(NamedTuple):
    """What the later statement alone allows, per `add` site of `families.evidence`."""

    no_longer: bool  # status:no_longer
    plan: bool  # plan:abandoned, against a claimed plan
    undone: bool  # status:negative_undone, plan:decided, against a negative status or a deliberation
    figure: bool  # figure:notice, figure:revision, against the claim's figures
    own: bool  # retraction:*, negation:negated/opposites, negation:untrue, retraction:award — subject named in it
    source: bool  # source:took_back, source:untrue (reversals.by_source), against the claim's source — named in it
    lifts: frozenset[str]  # status:lifted, the states it ends — not against background history
    change: bool  # polarity:* (polarity.state_changes), against a claim that can change — not background
    reverses: bool  # polarity:* whatever the claim — not background
    own_figure: bool  # figure:measure, figure:old_value, against the claim's figures — named in it
    restates: bool  # restated:* (reversals.restated) — named in it, not background
    admits: bool  # restated:affirmed, against a claim that denies — named in it, not background


@lru_cache(maxsize=100_000)
def _later(b: str) -> _Later:
    s = sg.signals(b)
    d = s.denial
    restate = not d and sg.RETRACTION not in s.later and not s.takes_back
    return _Later(
        bool(no_longer_scope(b)) and not d, sg.PLAN in s.later, not s.neg_status and not d, sg.FIGURE in s.later,
        sg.RETRACTION in s.later or (s.contrary and not d) or sg.NEGATION in s.later or (s.award_taken and not d),
        not d and not (sg.RETRACTION in s.later and not s.retracts_whole) and (s.takes_back or sg.NEGATION in s.later),
        s.lifts, not d, not d and later_reverses(b),
        (s.measures and sg.FIGURE not in s.later and not (d or s.lifts or s.listing)) or (bool(from_figures(b)) and not d),
        restate and (s.contrary or s.reverses), restate and s.admits)


@lru_cache(maxsize=100_000)
def _claim(a: str) -> tuple[bool, bool, bool, bool, frozenset[str], bool, bool]:
    """Its plan, negative status or deliberation, figures, source, states, state that can change, denial."""
    s = sg.signals(a)
    return (sg.PLAN in s.claim, bool(s.neg_status or s.deliberation), bool(s.figures), bool(claim_sources(a)),
            s.states, claim_can_change(a, s.states), s.contrary)


def admits(a: str, b: str, own: bool = True) -> int:
    """NO when no rule of `families.evidence` can add evidence for claim `a` and later statement `b`;
    `own`: whether the subject may be named in `b` itself (False: only beside it, in the window)."""
    nl, plan, undone, figure, own_any, source, lifts, change, reverses, own_fig, restates, admit = _later(b)
    a_plan, a_neg, a_figs, a_source, a_states, a_change, a_contrary = _claim(a)
    if nl or (plan and a_plan) or (undone and a_neg) or (figure and a_figs):
        return YES
    if own and (own_any or (source and a_source) or (own_fig and a_figs)):
        return YES
    if (lifts and a_states & lifts) or (change and a_change) or reverses or (own and (restates or (admit and a_contrary))):
        return UNLESS_HISTORICAL
    return NO


__all__ = ["NO", "UNLESS_HISTORICAL", "YES", "admits"]
