"""A read-only store for one-shot commands: the sentence mirror instead of Chroma.

A cold `factdesk ask` used to spend most of its time importing chromadb and loading the HNSW index
for one query. When the index's mirror (`ingest.mirrorfile`, kept by ingest) reflects exactly the
generation the source catalog says is current, `open_cold` returns a `ColdStore` that answers the
reads the engine makes on a question — an exact cosine search over the memory-mapped vectors, rows
and links by id from SQLite, records and titles from the catalog, the term totals the mirror holds
— and chromadb is never imported. Otherwise (no mirror yet, a writer at work, a crashed run, a
Chroma server, FACTDESK_COLD_MIRROR=0) it returns None and the engine opens Chroma as before.

The search is exact where Chroma's HNSW is approximate: a cold answer can differ from a warm one
only where HNSW misses a true nearest neighbour. A chat or the Slack bot keeps Chroma (and its warm
rows); only one-shot commands use this.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ingest.catalog import Catalog, catalog_path
from ingest.gateway import IndexDamaged, ModelMismatch
from ingest.mirrorfile import SCHEMA, connect, mirror_path, open_vectors, read_meta, where_matches
from ingest.records import CorrectionLink, SourceRecord, StoredSentence
from ingest.settings import Settings
from ingest.store import _link_from_meta  # the store's own decoding of a link

T = TypeVar("T")
_COLS = "id, doc, meta, slot"


class MirrorStale(IndexDamaged):
    """The catalog moved on while a question read the mirror: the engine reopens (`Engine.ask`)."""


class MirrorBroken(MirrorStale):
    """The mirror's file could not be read (a damaged SQLite page, a vector file cut short): the
    engine reopens on Chroma for this question and does not open this mirror again."""


_READ_ERRORS = (sqlite3.Error, IndexError, OSError, ValueError, KeyError, TypeError)


def _guarded(fn: Callable[..., T]) -> Callable[..., T]:
    """A read of the mirror that fails is `MirrorBroken`, never a failed question."""

    @functools.wraps(fn)
    def read(self: ColdStore, *args: Any, **kwargs: Any) -> T:
        try:
            return fn(self, *args, **kwargs)
        except _READ_ERRORS as e:
            raise MirrorBroken(f"the sentence mirror cannot be read ({type(e).__name__}: {e})") from e
    return read


def open_cold(settings: Settings, identity: str) -> ColdStore | None:
    """The mirror as a store, when it may answer for Chroma (see the module docstring); else None."""
    path = mirror_path(settings)
    if path is None or not settings.cold_mirror:
        return None
    catalog = Catalog(catalog_path(settings))
    conn = None
    try:
        gen = catalog.stamp()
        conn = connect(path, create=False) if gen else None
        if conn is None:
            return None
        conn.execute("BEGIN")  # one read snapshot for the store's life: rows never change under it
        meta = read_meta(conn)
        if (meta.get("schema") != SCHEMA or meta.get("generation") != gen or meta.get("model") != identity
                or meta.get("totals_generation") != gen or "dim" not in meta):
            conn.close()
            return None
        vectors = open_vectors(path.with_name(meta["vectors"]), int(meta["dim"]))
        top = conn.execute("SELECT max(slot) FROM sentences").fetchone()[0]
        if top is not None and int(top) >= len(vectors):  # a vector file cut short
            conn.close()
            return None
    except (sqlite3.Error, OSError, ValueError, KeyError):
        if conn is not None:
            conn.close()
        return None
    return ColdStore(settings, catalog, gen, conn, meta, vectors)


class ColdStore:
    """The subset of `ingest.store.Store` reads a question makes, from the mirror and the catalog."""

    rows = None  # no warm copy: a one-shot command asks a question or a few

    def __init__(self, settings: Settings, catalog: Catalog, generation: str, conn: sqlite3.Connection,
                 meta: dict[str, str], vectors: np.ndarray) -> None:
        self.settings = settings
        self.catalog = catalog
        self._gen = generation
        self._db = conn
        self._meta = meta
        self._vectors = vectors

    # -- the index's state ----------------------------------------------------------------------
    def generation(self) -> str:
        """The catalog's current stamp: when it is no longer the mirror's, the engine reopens."""
        return self.catalog.stamp()

    def check_model(self, identity: str, dim: int | None = None, *, record: bool = False) -> None:
        if self._meta.get("model") != identity or (dim is not None and dim != int(self._meta["dim"])):
            raise ModelMismatch(f"the index at {self.settings.index_location} was built with "
                                f"{self._meta.get('model')}, but FACTDESK_EMBED_MODEL is {identity}")

    @_guarded
    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM sentences").fetchone()[0])

    def term_totals(self) -> tuple[str, int, dict[str, int]] | None:
        return self._gen, int(self._meta.get("totals_sentences", 0)), json.loads(self._meta.get("totals", "{}"))

    def term_counts(self, source_ids: Sequence[str]) -> dict[str, tuple[str, int, dict[str, int]]]:
        raise MirrorStale("the mirror holds the summed term counts only")  # never: totals match

    # -- source records, from the catalog (checked still to describe this generation) -------------
    def _catalog(self, read: Callable[[], T | None]) -> T:
        if self.catalog.stamp() != self._gen:
            raise MirrorStale("the index changed")
        out = read()
        if out is None or self.catalog.stamp() != self._gen:
            raise MirrorStale("the index changed")
        return out

    def source_records(self) -> dict[str, SourceRecord]:
        return self._catalog(self.catalog.records)

    def get_sources(self, ids: Sequence[str]) -> dict[str, SourceRecord]:
        return self._catalog(lambda: self.catalog.get(ids)) if ids else {}

    def source_titles(self) -> dict[str, str]:
        return self._catalog(self.catalog.titles)

    # -- sentences -------------------------------------------------------------------------------
    @_guarded
    def _rows(self, sql: str, args: Sequence[Any], with_vectors: bool,
              where: dict[str, Any] | None = None) -> list[StoredSentence]:
        out = []
        for sid, doc, meta, slot in self._db.execute(sql, list(args)):
            m = json.loads(meta)
            if where_matches(m, where):
                vec = np.array(self._vectors[slot, :-1]) if with_vectors else None
                out.append(StoredSentence.from_chroma(sid, doc, m, vec))
        return out

    def _by_ids(self, ids: Sequence[str], with_vectors: bool) -> dict[str, StoredSentence]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, StoredSentence] = {}
        for a in range(0, len(ids), 500):
            part = ids[a:a + 500]
            rows = self._rows(f"SELECT {_COLS} FROM sentences WHERE id IN ({','.join('?' * len(part))}) ORDER BY rowid",
                              part, with_vectors)
            out.update((r.id, r) for r in rows)
        return out

    def get_sentences(self, ids: Sequence[str], with_vectors: bool = False) -> dict[str, StoredSentence]:
        return self._by_ids(ids, with_vectors) if ids else {}

    def source_sentences(self, source_id: str, with_vectors: bool = False) -> list[StoredSentence]:
        return self._rows(f"SELECT {_COLS} FROM sentences WHERE source = ? ORDER BY idx", [source_id], with_vectors)

    def where_sentences(self, where: dict[str, Any], with_vectors: bool = False,
                        limit: int | None = None) -> list[StoredSentence]:
        return self._rows(f"SELECT {_COLS} FROM sentences ORDER BY rowid", [], with_vectors, where)[:limit]

    def containing(self, needle: str, limit: int = 50, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        """Sentences whose text contains `needle` (case-sensitive, as `Store.containing`), in the
        store's order, with their vectors."""
        rows = self._rows(f"SELECT {_COLS} FROM sentences WHERE instr(doc, ?) > 0 ORDER BY rowid", [needle],
                          True, where)
        return rows[:limit]

    @_guarded
    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None,
              among: Sequence[str] | None = None) -> list[StoredSentence]:
        """The `n` nearest sentences by exact cosine distance (with their vectors), nearest first;
        dead slots (replaced or deleted rows) and rows outside `where` / `among` skipped."""
        q = np.asarray(vector, dtype=np.float32).ravel()
        qn = float(np.linalg.norm(q))
        total = len(self._vectors)
        if n <= 0 or total == 0 or qn == 0:
            return []
        # Over whole rows (the inverse norm's column times 0): a contiguous product, no copy of the map.
        scores = (self._vectors @ np.append(q / qn, np.float32(0)).astype(np.float32)) * self._vectors[:, -1]
        allowed = set(among) if among is not None else None
        want, out = n, []
        while True:
            k = min(total, want + 16)
            top = np.argpartition(-scores, k - 1)[:k] if k < total else np.arange(total)
            top = top[np.argsort(-scores[top], kind="stable")]
            rows = self._by_slots([int(s) for s in top], where)
            out = [(s, r) for s, r in rows if allowed is None or r.id in allowed][:n]
            if len(out) >= n or k >= total:
                break
            want *= 4
        for s, r in out:
            r.distance = float(1.0 - scores[s])
        return [r for _, r in out]

    @_guarded
    def _by_slots(self, slots: list[int], where: dict[str, Any] | None) -> list[tuple[int, StoredSentence]]:
        """Live rows at these slots, in the slots' order."""
        got: dict[int, StoredSentence] = {}
        for a in range(0, len(slots), 500):
            part = slots[a:a + 500]
            for sid, doc, meta, slot in self._db.execute(
                    f"SELECT {_COLS} FROM sentences WHERE slot IN ({','.join('?' * len(part))})", part):
                m = json.loads(meta)
                if where_matches(m, where):
                    got[slot] = StoredSentence.from_chroma(sid, doc, m, np.array(self._vectors[slot, :-1]))
        return [(s, got[s]) for s in slots if s in got]

    # -- correction links ------------------------------------------------------------------------
    @_guarded
    def _links(self, sql: str, args: Sequence[Any] = ()) -> list[CorrectionLink]:
        return [_link_from_meta(json.loads(m)) for (m,) in self._db.execute(sql, list(args))]

    def every_link(self) -> list[CorrectionLink]:
        return self._links("SELECT meta FROM links ORDER BY rowid")

    def all_links(self) -> list[CorrectionLink]:
        return [lk for lk in self.every_link() if lk.status != "candidate"]

    def candidate_links(self) -> list[CorrectionLink]:
        return [lk for lk in self.every_link() if lk.status == "candidate"]

    def links_by_ids(self, link_ids: Sequence[str]) -> list[CorrectionLink]:
        ids = list(dict.fromkeys(link_ids))
        out: list[CorrectionLink] = []
        for a in range(0, len(ids), 500):
            part = ids[a:a + 500]
            out += self._links(f"SELECT meta FROM links WHERE id IN ({','.join('?' * len(part))}) ORDER BY rowid",
                               part)
        return out

    def links_for_claims(self, claim_ids: Sequence[str]) -> dict[str, CorrectionLink]:
        return {lk.claim: lk for lk in self.links_by_ids(claim_ids) if lk.status != "candidate"}

