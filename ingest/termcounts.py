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
from dataclasses import dataclass
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .manifest import Reserved
from .records import Source
from .split import is_headline, split_spans
from .terms import content_terms, name_tokens

if TYPE_CHECKING:
    from .gateway import Gateway

Rows = tuple[list[str], list[str], list[dict[str, Any]]]  # ids, documents, metadatas of one upsert
PREFIX = Reserved.TERM_COUNTS.value
TOTAL = Reserved.TERM_TOTALS.value
# The counts as JSON in this metadata key, the document left empty: Chroma indexes every document
# for full-text search, and nothing searches these (records written before hold them as documents).
COUNTS = "counts"


# Beside the content terms, how the sources write their names: "^LinkedIn" counts the sentences that
# write "LinkedIn" with a capital (`name_tokens`, a sentence's first word included unless it is a
# function word; headlines, which capitalise every word, left out). A reader who types "is linkedin
# profitable" means that name; the engine recases such words by these counts (`bot.names.recase`).
# No content term starts with "^", and readers split these entries off before any statistic of the
# terms is taken (BM25's average length, rarity weights).
CASED = "^"


def document_frequencies(text: str) -> dict[str, int]:
    """In how many of the text's sentences each content term occurs, and each word written with a
    capital outside headlines (under `CASED`)."""
    df: Counter[str] = Counter()
    for s, e in split_spans(text):
        sentence = text[s:e]
        df.update(set(content_terms(sentence)))
        if not is_headline(sentence):
            df.update({CASED + w for w in name_tokens(sentence, initial=True) if w.isalpha()})
    return dict(df)


def split_cased(counts: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Stored counts → (content terms' counts, names' written forms' counts)."""
    terms = {t: c for t, c in counts.items() if not t.startswith(CASED)}
    if len(terms) == len(counts):
        return dict(counts), {}
    return terms, {t[len(CASED):]: c for t, c in counts.items() if t.startswith(CASED)}


@dataclass
class _Running:
    """Published totals being carried through a run: sentences, term counts, sources summed."""

    sentences: int
    total: Counter[str]
    sources: set[str]


def counts_id(source_id: str) -> str:
    return f"{PREFIX}{source_id}"


class TermCounts:
    """Per-source and summed term counts, kept in the manifest collection beside the records."""

    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        # While a run writes: the published totals it started from, updated by what it changes
        # (`begin`); None: publishing re-reads every source's counts.
        self._base: _Running | None = None

    def begin(self, generation: str, counted: Sequence[str]) -> None:
        """A run starts writing: if the stored totals belong to the current generation (they sum
        exactly the complete sources, `counted`), keep them and follow this run's changes."""
        self._base = None
        tot = self.totals()
        if generation and tot is not None and tot[0] == generation:
            self._base = _Running(tot[1], Counter(tot[2]), set(counted))

    def _drop_old(self, source_ids: Sequence[str]) -> None:
        """Take sources' previous counts out of the running totals (before they are replaced)."""
        base = self._base
        if base is None:
            return
        counted = [s for s in source_ids if s in base.sources]
        for sid, (_, n, counts) in self.read(counted).items():
            base.total.subtract(counts)
            base.sentences -= n
        base.sources.difference_update(counted)

    def forget(self, source_id: str) -> None:
        """A source is being deleted: its counts leave the running totals."""
        self._drop_old([source_id])

    def write(self, items: Sequence[tuple[Source, int]], then: Rows | None = None) -> None:
        """Counts for these sources (with their sentence counts), from their cleaned text."""
        self.write_texts([(src.id, src.sha256, n, src.text) for src, n in items], then)

    def write_texts(self, items: Sequence[tuple[str, str, int, str]], then: Rows | None = None) -> None:
        """(source id, content hash, sentence count, cleaned text) — also for migrations, which
        have the stored text but no `Source`. `then`: records of the same collection upserted in
        the same call, after the counts (every write has a fixed cost)."""
        counts = [document_frequencies(text) for _, _, _, text in items]
        self._drop_old([sid for sid, _, _, _ in items])
        ids, docs, metas = then or ([], [], [])
        self.gw.upsert(self.gw.sources_col, [counts_id(sid) for sid, _, _, _ in items] + ids,
                       [""] * len(items) + docs,
                       [{"kind": "df", "source": sid, "sha256": sha, "sentences": int(n), COUNTS: json.dumps(c)}
                        for (sid, sha, n, _), c in zip(items, counts)] + metas)
        if self._base is not None:
            for (sid, _, n, _), c in zip(items, counts):
                self._base.total.update(c)
                self._base.sentences += int(n)
                self._base.sources.add(sid)

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
                out[meta["source"]] = (meta.get("sha256", ""), int(meta.get("sentences", 0)), _counts(meta, doc))
            except (ValueError, KeyError):
                continue
        return out

    def publish_totals(self, done: Mapping[str, str], token: str, then: Rows | None = None) -> None:
        """Sum the counts of the complete sources (`done`: id → content hash) under `token`: the
        running totals when they cover exactly those sources, else every source's counts read."""
        base, self._base = self._base, None
        if base is not None and base.sources == set(done):
            total, n = Counter({t: c for t, c in base.total.items() if c > 0}), base.sentences
        else:
            total, n = Counter(), 0
            ids = list(done)
            for a in range(0, len(ids), self.gw.max_batch):
                for sid, (sha, count, counts) in self.read(ids[a:a + self.gw.max_batch]).items():
                    if done.get(sid) == sha:
                        total.update(counts)
                        n += count
        ids, docs, metas = then or ([], [], [])
        self.gw.upsert(self.gw.sources_col, [TOTAL, *ids], ["", *docs],
                       [{"kind": "df_total", "generation": token, "sentences": n, "sources": len(done),
                         COUNTS: json.dumps(total)}, *metas])

    def totals(self) -> tuple[str, int, dict[str, int]] | None:
        """(generation they were made for, sentence count, document frequencies), if stored."""
        rec = self.gw._call(self.gw.sources_col.get, ids=[TOTAL], include=["metadatas", "documents"])
        if not rec["ids"]:
            return None
        try:
            meta = rec["metadatas"][0]
            return str(meta.get("generation", "")), int(meta.get("sentences", 0)), _counts(meta, rec["documents"][0])
        except (ValueError, TypeError):
            return None


def _counts(meta: dict[str, Any], document: str | None) -> dict[str, int]:
    """Stored counts: the `COUNTS` metadata, or (a record written before it) the JSON document."""
    return json.loads(meta.get(COUNTS) or document or "{}")
