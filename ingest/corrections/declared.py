"""Links a source declares in its front matter (`corrects:`), and how links from different
origins merge: an editor's decision beats a declaration, which beats detection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..records import CorrectionLink
from .detect import MAX_BY, Row


class DeclaredError(Exception):
    pass


def declared_links(declaring: str, entries: Sequence[dict[str, Any]], own_rows: Sequence[Row],
                   target_rows: dict[str, list[Row]]) -> list[CorrectionLink]:
    """Front-matter `corrects:` entries of one source as links; any entry that does not resolve to
    exactly one sentence raises DeclaredError naming it."""
    links = []
    for i, e in enumerate(entries, 1):
        rows = target_rows.get(e["source"])
        if rows is None:
            raise DeclaredError(f"corrects entry {i}: no source with id {e['source']!r} is indexed")
        hits = [r for r in rows if e["quote"] in r.text]
        if len(hits) != 1:
            what = "matches no sentence" if not hits else f"matches {len(hits)} sentences"
            raise DeclaredError(f"corrects entry {i}: quote {e['quote'][:60]!r} {what} of {e['source']!r}")
        claim = hits[0]
        if e.get("by"):
            by = [r for r in own_rows if e["by"] in r.text]
            if len(by) != 1:
                raise DeclaredError(f"corrects entry {i}: 'by' quote {e['by'][:60]!r} must match exactly one sentence here")
        else:
            ranked = sorted(own_rows, key=lambda r: -float(np.dot(r.vector, claim.vector)))
            by = ranked[:1]
        if not by:
            raise DeclaredError(f"corrects entry {i}: this source has no sentence to point to")
        links.append(CorrectionLink(claim=claim.id, by=[b.id for b in by], status=e["status"], origin="declared",
                                    note=e.get("note") or f"Declared {e['status']} by {declaring}", score=1.0))
    return links


_RANK = {"editor": 3, "declared": 2, "detected": 1}


def merge(links: Iterable[CorrectionLink]) -> list[CorrectionLink]:
    """One link per claim: editor beats declared beats detected; then corrected beats superseded."""
    best: dict[str, CorrectionLink] = {}
    for lk in sorted((x for x in links if x.status != "candidate"), key=lambda x: -x.score):
        cur = best.get(lk.claim)
        key = (_RANK.get(lk.origin, 0), lk.status == "corrected")
        if cur is None or key > (_RANK.get(cur.origin, 0), cur.status == "corrected"):
            best[lk.claim] = lk
        elif key == (_RANK.get(cur.origin, 0), cur.status == "corrected") and lk.origin == "detected":
            # Several later statements found separately: one link quoting the best of them.
            cur.by = list(dict.fromkeys(cur.by + lk.by))[:MAX_BY]
    return list(best.values())
