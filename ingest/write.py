"""Phase four of an ingest: the journaled write.

Write order, for crash safety (see `ingest.store`): the journal is opened; each group of sources
is marked `writing`, then its sentences land; dropped and pruned sources are removed (`removing`
first). Sources are marked `complete` only after relinking, by the caller, and the journal is closed
when the run publishes. Readers in other processes reopen when the generation changes, so it is
bumped about once a second while a long write runs.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import corrections as corr
from .plan import Pending
from .records import SourceRecord
from .store import Store


def groups(pending: list[Pending], max_sentences: int) -> Iterable[list[Pending]]:
    """Consecutive sources holding up to ~max_sentences sentences together (at least one each):
    few large writes, not three small ones per source."""
    group: list[Pending] = []
    n = 0
    for p in pending:
        if group and n + len(p.sentences) > max_sentences:
            yield group
            group, n = [], 0
        group.append(p)
        n += len(p.sentences)
    if group:
        yield group


def write_sources(store: Store, pending: list[Pending]) -> None:
    bumped = time.monotonic()
    for group in groups(pending, store.max_batch):
        store.mark_sources([(p.source, len(p.sentences)) for p in group], "writing")
        store.put_sentences_many([(p.source, p.sentences, p.vectors,
                                   [corr.sentence_meta(s.text) for s in p.sentences]) for p in group],
                                 trim={p.source.id for p in group if p.may_shrink()})
        if time.monotonic() - bumped > 1.0:  # a write costs ~50 ms
            store.bump_generation()
            bumped = time.monotonic()


def is_under(p: Path, folder: Path) -> bool:
    try:
        p.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def prune_missing(store: Store, manifest: Mapping[str, SourceRecord], folders: list[Path], present: set[str]) -> list[str]:
    """Remove sources whose files are gone from the given folders (only folders that yielded
    files this run: see `ingest.plan.expand`)."""
    removed = []
    for sid, rec in manifest.items():
        if not rec.path or sid in present:
            continue
        p = Path(rec.path)
        if any(is_under(p, f) for f in folders) and not p.exists():
            store.delete_source(sid)
            removed.append(sid)
    return removed
