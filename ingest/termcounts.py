"""Term counts: in how many of a source's sentences each content word occurs, and their sum.

The answer engine weighs question words by how rare they are in the index (`bot/termstats.py`).
Reading every sentence on a cold start of a large archive is slow, so ingest stores one small
record per source (`__df__<source id>`, written before the source is marked complete) and, when a
run publishes, the sum over every complete source under the new generation token (`__df_total__`).
A reader that finds totals for the current generation reads one record; otherwise it falls back
to the per-source counts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .manifest import Reserved
from .records import Source
from .split import split_spans
from .terms import content_terms

if TYPE_CHECKING:
    from .gateway import Gateway

PREFIX = Reserved.TERM_COUNTS.value
TOTAL = Reserved.TERM_TOTALS.value


def document_frequencies(text: str) -> dict[str, int]:
    """In how many of the text's sentences each content term occurs."""
    df: Counter[str] = Counter()
    for s, e in split_spans(text):
        df.update(set(content_terms(text[s:e])))
    return dict(df)


def counts_id(source_id: str) -> str:
    return f"{PREFIX}{source_id}"


class TermCounts:
    """Per-source and summed term counts, kept in the manifest collection beside the records."""

    def __init__(self, gw: Gateway) -> None:
        self.gw = gw

    def write(self, items: Sequence[tuple[Source, int]]) -> None:
        """Counts for these sources (with their sentence counts), from their cleaned text."""
        self.write_texts([(src.id, src.sha256, n, src.text) for src, n in items])

    def write_texts(self, items: Sequence[tuple[str, str, int, str]]) -> None:
        """(source id, content hash, sentence count, cleaned text) — also for migrations, which
        have the stored text but no `Source`."""
        self.gw.upsert(self.gw.sources_col, [counts_id(sid) for sid, _, _, _ in items],
                       [json.dumps(document_frequencies(text)) for _, _, _, text in items],
                       [{"kind": "df", "source": sid, "sha256": sha, "sentences": int(n)} for sid, sha, n, _ in items])

    def have(self, source_ids: Sequence[str]) -> set[str]:
        """Which of these sources already have term counts stored (ids only: cheap)."""
        found = self.gw.existing_ids(self.gw.sources_col, [counts_id(s) for s in source_ids])
        return {i[len(PREFIX):] for i in found}

    def read(self, source_ids: Sequence[str]) -> dict[str, tuple[str, int, dict[str, int]]]:
        """Source id → (content hash they were made from, sentence count, counts). Sources
        without stored counts are simply absent."""
        if not source_ids:
            return {}
        rec = self.gw._call(self.gw.sources_col.get, ids=[counts_id(s) for s in source_ids],
                            include=["metadatas", "documents"])
        out = {}
        for meta, doc in zip(rec["metadatas"], rec["documents"]):
            try:
                out[meta["source"]] = (meta.get("sha256", ""), int(meta.get("sentences", 0)), json.loads(doc or "{}"))
            except (ValueError, KeyError):
                continue
        return out

    def publish_totals(self, done: Mapping[str, str], token: str) -> None:
        """Sum the counts of the complete sources (`done`: id → content hash) under `token`."""
        total: Counter[str] = Counter()
        n = 0
        ids = list(done)
        for a in range(0, len(ids), self.gw.max_batch):
            for sid, (sha, count, counts) in self.read(ids[a:a + self.gw.max_batch]).items():
                if done.get(sid) == sha:
                    total.update(counts)
                    n += count
        self.gw.upsert(self.gw.sources_col, [TOTAL], [json.dumps(total)],
                       [{"kind": "df_total", "generation": token, "sentences": n, "sources": len(done)}])

    def totals(self) -> tuple[str, int, dict[str, int]] | None:
        """(generation they were made for, sentence count, document frequencies), if stored."""
        rec = self.gw._call(self.gw.sources_col.get, ids=[TOTAL], include=["metadatas", "documents"])
        if not rec["ids"]:
            return None
        try:
            meta = rec["metadatas"][0]
            return str(meta.get("generation", "")), int(meta.get("sentences", 0)), json.loads(rec["documents"][0] or "{}")
        except (ValueError, TypeError):
            return None
