"""The searches of one relinking run, answered with fewer scans of the index, the same rows.

Relinking an edited source searches the archive by name twice per name — among all sentences (the
source as the later statement) and among those with a corrector cue (as the earlier claim) — and
by meaning among cue sentences. Each was a Chroma call that scans every sentence: a `$contains`
over every document, and a metadata filter a pass over every metadata row (at 100k sentences
~0.1 s and ~0.15 s a call, a dozen calls an edit). Here:

- a name's matches are found once, as ids in Chroma's order (a get returns rows by their offset id,
  ascending, whatever the filter: `ORDER BY embeddings.id` in Chroma's SQLite reader, checked by
  tests/test_edit_incremental.py), over every sentence's text, read once per run
  (`Store.text_index`: from the mirror the writer keeps, else from Chroma; `ingest.textscan`) — on a
  Chroma server, where no mirror is kept and texts are documents, by the server's full-text search;
  its first `n` among all sentences and its first `n` among cue sentences are both cut from that
  list, and only those rows are read, by id;
- the cue sentences' ids are read once per run, and a vector search among them names those ids
  (`among`) instead of re-evaluating the filter: Chroma resolves both to the same set of allowed
  rows for the same nearest-neighbour search. Past SQLite's limit on bound parameters the filter
  is used as before.

Any other filter goes to the store unchanged. A run is short and holds the ingest lock: nothing
else writes in between, and nothing is kept past it. So the rows the run already holds (`hold`:
the sentences it just wrote, with their vectors) are what Chroma would return for their ids, and
are not read back: a search by meaning asks Chroma for ids only (`nearest`, many vectors a call),
a search by name reads by id only the rows not in hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .records import StoredSentence
from .textscan import TextIndex, first_rows

MAX_IDS = 30_000  # below SQLite's default limit of 32,766 bound parameters in one statement
QUERIES = 100  # vectors per batched nearest-neighbour search
READ = 1000  # ids per read of rows not in hand
MAX_KEPT = 250_000  # names' match lists kept (ids, ~70 bytes each); past it, found again each time


class RunSearches:
    """`containing` and `query` with `Store`'s signatures, sharing reads over one run."""

    def __init__(self, store: Any, cue_where: dict[str, Any]) -> None:
        self.store = store
        self.cue_where = cue_where
        self._matches: dict[str, list[str]] = {}  # name -> ids of every sentence containing it, in order
        self._kept = 0
        self._cue: set[str] | None = None
        self._cue_ids: list[str] = []
        self._held: dict[str, StoredSentence] = {}
        self._texts: TextIndex | None = None

    def hold(self, rows: Iterable[StoredSentence]) -> None:
        """Rows (with vectors) this run holds as they are stored: reads by id answer from them."""
        self._held.update((r.id, r) for r in rows)

    def rows_by_id(self, ids: Sequence[str]) -> dict[str, StoredSentence]:
        """`Store.get_sentences(ids, with_vectors=True)`: held rows, the rest read by id."""
        out = {i: self._held[i] for i in ids if i in self._held}
        lack = [i for i in dict.fromkeys(ids) if i not in out]
        for a in range(0, len(lack), READ):
            out |= self.store.get_sentences(lack[a:a + READ], with_vectors=True)
        return out

    def nearest(self, rows: Sequence[StoredSentence], n: int) -> dict[str, list[StoredSentence]]:
        """`Store.query(r.vector, n)` for each row, by its id: the same neighbours, nearest first,
        from batched searches that return ids only (rows not held are read by id; an id whose row
        is gone is skipped, as `Store.query` skips it)."""
        found: dict[str, list[str]] = {}
        for a in range(0, len(rows), QUERIES):
            chunk = rows[a:a + QUERIES]
            rec = self.store._call(self.store.sentences.query, n_results=n, include=["distances"],
                                   query_embeddings=[np.asarray(r.vector, dtype=np.float32).tolist() for r in chunk])
            found |= {r.id: list(ids) for r, ids in zip(chunk, rec["ids"])}
        have = self.rows_by_id(list(dict.fromkeys(i for ids in found.values() for i in ids)))
        return {rid: [have[i] for i in ids if i in have] for rid, ids in found.items()}

    def containing(self, needle: str, limit: int = 50, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        """`Store.containing(needle, limit, where)`."""
        if where is not None and where != self.cue_where:
            return first_rows(self.rows_by_id, self._find(needle), limit, where)
        ids = self._matches.get(needle)
        if ids is None:
            ids = self._find(needle)
            if self._kept <= MAX_KEPT:
                self._matches[needle] = ids
                self._kept += len(ids)
        if where is not None:
            cue = self.cue()
            ids = [i for i in ids if i in cue]
        rows = self.rows_by_id(ids[:limit])
        return [rows[i] for i in ids[:limit] if i in rows]

    def _find(self, needle: str) -> list[str]:
        """Ids of every sentence containing `needle`, in Chroma's order."""
        if getattr(self.store.settings, "server_mode", False):  # a server's own search (no mirror there)
            got = self.store._call(self.store.sentences.get, where_document={"$contains": needle}, include=[])
            return list(got["ids"])
        if self._texts is None:  # the run's writes are done: the texts stay as read
            self._texts = self.store.text_index()
        return self._texts.find(needle)

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        """`Store.query(vector, n, where)`."""
        if where is None or where != self.cue_where or len(self.cue()) > MAX_IDS:
            return self.store.query(vector, n, where=where)
        if not self._cue_ids:
            return []
        return self.store.query(vector, n, among=self._cue_ids)

    def cue(self) -> set[str]:
        """The ids of every sentence the cue filter admits (one read, ids only)."""
        if self._cue is None:
            got = self.store._call(self.store.sentences.get, where=self.cue_where, include=[])
            self._cue_ids = list(got["ids"])
            self._cue = set(self._cue_ids)
        return self._cue
