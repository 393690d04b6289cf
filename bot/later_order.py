"""The one ordering rule's first step (bot/cite.py orders every answer by it): the newest relevant
statement leads when it is certainly newer than what would lead otherwise, or when its own story
tells it after the answer it overtakes (bot/later_within.py `overtakes`)."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.dates import interval, is_later
from ingest.records import split_sentence_id


def _start(published: str):
    iv = interval(published)
    return iv[0] if iv else None


def newest_first(order: list[str], published: dict[str, str], flagged: set[str] = frozenset(),
                 prefer: Sequence[str] = (), answers: set[str] = frozenset(),
                 after: set[str] = frozenset()) -> list[str]:
    """The one ordering rule's first step: the newest statement leads when it is certainly later
    than the one that would lead otherwise; the rest keep their order. A flagged claim never leads
    (what corrected it comes first). `prefer`: later coverage's statements in its own order (each
    story's news before what stands beside it): of the newest-dated statements, the first of these
    leads, also before a statement of the same date that is not a selected answer (`answers`): "put
    the country back on it on Monday" before its story's "was taken off the list in 2008" — and
    before a selected answer when it is told after one in the answer's own story (`after`: "Later on
    Saturday the survey settled on 7.8" before "put its magnitude at 7.9")."""
    cands = [i for i in order if i not in flagged]
    if len(order) < 2 or not cands:
        return order
    newest = max(cands, key=lambda i: (_start(published[i]) or interval("0001")[0], -order.index(i)))
    top = _start(published[newest])
    ranked = [i for i in prefer if i in cands and top is not None and _start(published[i]) == top]
    # A quoted sentence its story tells after an answer it overtakes (the latest of them) leads too,
    # whether later coverage brought it or selection quoted it beside that answer.
    ranked = ranked or [i for i in reversed(order) if i in after and i in cands and _start(published[i]) == top][:1]
    newest = ranked[0] if ranked else newest
    first_undated = interval(published[order[0]]) is None
    if newest != order[0] and (is_later(published[newest], published[order[0]])
                               or (first_undated and interval(published[newest]) is not None)
                               or (bool(ranked) and (order[0] not in answers or newest in after)
                                   and not is_later(published[order[0]], published[newest]))):
        # Later coverage's other statement of the same story (what stands beside its news) follows it.
        lead = [newest] + [i for i in prefer if i != newest and i in cands and i not in answers
                           and split_sentence_id(i)[0] == split_sentence_id(newest)[0]][:1]
        return lead + [i for i in order if i not in lead]
    return order


__all__ = ["newest_first"]
