"""Phases two and three of an ingest: embed what is new, then check declared corrections.

Both run before anything is written, so a source whose `corrects:` entries do not resolve fails
whole and leaves the index as it was.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import corrections as corr
from .embed import Embedder
from .plan import Pending
from .report import IngestReport, Progress
from .store import Store


def embed(embedder: Embedder, pending: list[Pending], progress: Progress | None) -> None:
    """Give every pending source its vectors: reused for sentence texts already stored, embedded
    (in one batch across sources) for the rest — each distinct text once: the same sentence in
    several sources (wire copy, boilerplate such as "The company did not respond to a request for
    comment.") gets one vector, as an unchanged sentence keeps its stored one. `embedded` still
    counts every sentence that got a new vector; the progress total counts texts embedded."""
    texts = list(dict.fromkeys(s.text for p in pending for s in p.sentences if s.text not in p.reuse))
    if progress:
        progress("total", len(texts))
    vecs = embedder.embed(texts, progress=(lambda n: progress("advance", n)) if progress else None)
    dim = vecs.shape[1] if texts else embedder.dim
    fresh = dict(zip(texts, vecs))
    for p in pending:
        out = np.zeros((len(p.sentences), dim), dtype=np.float32)
        for i, s in enumerate(p.sentences):
            if s.text in p.reuse:
                out[i] = p.reuse[s.text]
            else:
                out[i] = fresh[s.text]
                p.embedded += 1
        p.vectors = out


def rows_of(p: Pending) -> list[corr.Row]:
    """A pending source's sentences as the correction detector sees them (the stored shape)."""
    assert p.vectors is not None
    return [corr.row(p.source, s, p.vectors[i]) for i, s in enumerate(p.sentences)]


def check_declared(store: Store, pending: list[Pending], manifest: dict[str, Any],
                   report: IngestReport) -> list[Pending]:
    """Drop (as failed) the sources whose `corrects:` entries do not resolve."""
    batch = {p.source.id: p for p in pending}
    keep = []
    for p in pending:
        if not p.source.corrects:
            keep.append(p)
            continue
        targets: dict[str, list[corr.Row]] = {}
        for e in p.source.corrects:
            sid = e["source"]
            if sid in targets:
                continue
            if sid in batch:
                targets[sid] = rows_of(batch[sid])
            elif sid in manifest:
                targets[sid] = store.source_sentences(sid, with_vectors=True)
        try:
            corr.declared_links(p.source.id, p.source.corrects, rows_of(p), targets)
        except corr.DeclaredError as e:
            report.fail(p.target, str(e), p.source.id)
            continue
        keep.append(p)
    return keep
