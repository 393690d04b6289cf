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

Every answer is a function of the stored sentences alone, never of how the index was built (the
links of two fresh builds of one archive differed by a few: tests/test_relink_determinism.py):

- by meaning, the `n` nearest are ranked by exact cosine from the rows' own vectors, ties broken by
  sentence id (`rank`). Chroma's HNSW graph is approximate and built by several threads, so two
  builds of the same rows return a different few of the nearest (at 10k sentences, 80 of 773
  searches of 30 missed one of the true 30) and a different pick among sentences at equal distance
  (word-for-word repeats: 101 of 773 had a tie at the 30th place). When the run holds every stored
  row (a fresh build: one run writes and relinks everything), the search is exact over them, in
  numpy, and Chroma is not asked (`exact_nearest`). A run that holds only what it wrote (an edit,
  an added source) searches every stored vector exactly too, from the writer's sentence mirror
  while it follows every write (`StoredVectors`: a matrix product over the memory-mapped vector
  file on one BLAS thread, dead slots masked; the cue rows, found by the mirror's metadata, copied
  once a run; ids read only for the slots picked): over-fetching from HNSW was not enough
  — on the 10k archive after twelve edits, 82 of 772 searches of 30, asked for 60, still lacked
  some of the true 30 (from rank 2 on: near-duplicates), so an edit could drop a link a rebuild
  keeps. Only without a mirror in step (a Chroma server, a mirror not kept) is Chroma asked, for
  twice `n`, and again for more while the last one it gave ties the `n`-th, before the cut;
- by name, a name's matches are taken in sentence-id order (source, then position), not Chroma's
  storage order, which follows the order sources were written in.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .mirrorfile import SCHEMA, connect, open_vectors, read_meta
from .records import StoredSentence, split_sentence_id
from .textscan import TextIndex, first_rows

MAX_IDS = 30_000  # below SQLite's default limit of 32,766 bound parameters in one statement
QUERIES = 100  # vectors per batched nearest-neighbour search
READ = 1000  # ids per read of rows not in hand
MAX_KEPT = 250_000  # names' match lists kept (ids, ~70 bytes each); past it, found again each time
FETCH = 2  # a search by meaning asks Chroma for this many times `n` (before the exact re-ranking)
MAX_FETCH = 1000  # the most asked for while the last one given ties the n-th (a long run of repeats)
BLOCK = 16_384  # held rows per block of the exact search (a block's vectors stacked: 24 MB at 384 dims)
SLACK = 1e-5  # float32 noise allowed when the exact search preselects (the final order is float64)


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
        self._holds_all: bool | None = None
        self._stored: StoredVectors | None | bool = None  # every stored vector (the mirror's); False: not at hand
        self._cue_at: np.ndarray | None = None  # the cue rows' slots in it

    def hold(self, rows: Iterable[StoredSentence]) -> None:
        """Rows (with vectors) this run holds as they are stored: reads by id answer from them."""
        self._held.update((r.id, r) for r in rows)
        self._holds_all = None

    def rows_by_id(self, ids: Sequence[str]) -> dict[str, StoredSentence]:
        """`Store.get_sentences(ids, with_vectors=True)`: held rows, the rest read by id."""
        out = {i: self._held[i] for i in ids if i in self._held}
        lack = [i for i in dict.fromkeys(ids) if i not in out]
        for a in range(0, len(lack), READ):
            out |= self.store.get_sentences(lack[a:a + READ], with_vectors=True)
        return out

    def nearest(self, rows: Sequence[StoredSentence], n: int) -> dict[str, list[StoredSentence]]:
        """The `n` sentences nearest each row, by its id, nearest first (`rank`): exact over the
        held rows when the run holds every stored one, else from Chroma's batched searches (ids
        only; rows not held are read by id; an id whose row is gone is skipped, as `Store.query`
        skips it), over-fetched and re-ranked."""
        if not rows:
            return {}
        if self.holds_all():
            return self.exact_nearest(rows, n)
        if (stored := self.stored()) is not None:
            found = stored.nearest([r.vector for r in rows], n)
            have = self.rows_by_id(list(dict.fromkeys(i for ids in found for i in ids)))
            return {r.id: rank(r.vector, [have[i] for i in ids if i in have], n) for r, ids in zip(rows, found)}
        fetch = {r.id: FETCH * n for r in rows}
        got: dict[str, list[StoredSentence]] = {}
        todo = list(rows)
        while todo:
            found: dict[str, list[str]] = {}
            for a in range(0, len(todo), QUERIES):
                chunk = todo[a:a + QUERIES]
                k = max(fetch[r.id] for r in chunk)
                rec = self.store._call(self.store.sentences.query, n_results=k, include=["distances"],
                                       query_embeddings=[np.asarray(r.vector, dtype=np.float32).tolist() for r in chunk])
                found |= {r.id: list(ids) for r, ids in zip(chunk, rec["ids"])}
            have = self.rows_by_id(list(dict.fromkeys(i for ids in found.values() for i in ids)))
            again = []
            for r in todo:
                ids = found[r.id]
                got[r.id] = rank(r.vector, [have[i] for i in ids if i in have], n)
                more = _fetch_more(fetch[r.id], len(ids), r.vector, got[r.id], [have[i] for i in ids[-1:] if i in have], n)
                if more:
                    fetch[r.id] = more
                    again.append(r)
            todo = again
        return got

    def stored(self) -> StoredVectors | None:
        """Every stored sentence's vector, from the writer's sentence mirror while it is in step with
        Chroma and holds as many rows (read once a run); None where there is none (a Chroma server,
        a mirror not kept): then searches go to Chroma's approximate index, over-fetched."""
        if self._stored is None:
            self._stored = stored_vectors(self.store) or False
            if self._stored and len(self._stored.slots) != self.store.count():
                self._stored = False
        return self._stored or None

    def holds_all(self) -> bool:
        """Whether the rows in hand are every stored sentence (then a search needs no index)."""
        if self._holds_all is None:
            self._holds_all = (bool(self._held) and all(r.vector is not None for r in self._held.values())
                               and len(self._held) >= self.store.count())
        return self._holds_all

    def exact_nearest(self, rows: Sequence[StoredSentence], n: int) -> dict[str, list[StoredSentence]]:
        """`nearest` by exact search over the held rows, then `rank`. Sentences repeated word for word
        share a vector, so each distinct vector is compared once (a fifth of the 10k benchmark's rows
        repeat another, 38 % of the 100k one's) and stands for the rows that share it (`_nearest_vectors`
        picks them). Of those rows only the `n` first by sentence id can be among a query's `n` best:
        they tie the others exactly and come first, so `rank` is shown those alone — the rows sharing a
        vector grow with the archive, and ranking every copy made this step grow faster than it."""
        held = list(self._held.values())
        members = [_first_by_id(held, m, n) for m in _by_vector(held)]
        uniq = _unit([held[m[0]].vector for m in members])
        queries = _by_vector(rows)
        q = _unit([rows[m[0]].vector for m in queries])
        out: dict[str, list[StoredSentence]] = {}
        for b in range(0, len(q), 256):
            for qs, got in zip(queries[b:b + 256], _nearest_vectors(q[b:b + 256], uniq, n)):
                best = rank(rows[qs[0]].vector, [held[j] for u in got for j in members[u]], n)
                out |= {rows[i].id: best for i in qs}
        return out

    def containing(self, needle: str, limit: int = 50, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        """`Store.containing(needle, limit, where)`'s signature, but with no filter or the cue filter
        the first `limit` matches in sentence-id order, not the store's storage order (a different
        set when more match); any other filter: the store's own answer."""
        if where is not None and where != self.cue_where:
            return first_rows(self.rows_by_id, self._find(needle), limit, where)
        ids = self._matches.get(needle)
        if ids is None:
            ids = sorted(self._find(needle), key=split_sentence_id)  # not the order sources were written in
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
        """`Store.query(vector, n, where)`'s rows ranked by `rank`: with no filter or the cue filter
        exact over every stored vector when they are at hand (`stored`; the rows read by id, so
        without Chroma's `distance`, which relinking never reads), else over-fetched from Chroma and
        re-ranked, asked again for more while the last one Chroma gives ties the n-th."""
        if (where is None or where == self.cue_where) and (stored := self.stored()) is not None:
            among = None if where is None else self.cue_at(stored)
            if among is not None or where is None:
                ids = stored.nearest([vector], n, among)[0]
                have = self.rows_by_id(ids)
                return rank(vector, [have[i] for i in ids if i in have], n)
        fetch = FETCH * n
        while True:
            if where is None or where != self.cue_where or len(self.cue()) > MAX_IDS:
                got = self.store.query(vector, fetch, where=where)
            elif not self._cue_ids:
                return []
            else:
                got = self.store.query(vector, fetch, among=self._cue_ids)
            best = rank(vector, got, n)
            more = _fetch_more(fetch, len(got), vector, best, got[-1:], n)
            if not more:
                return best
            fetch = more

    def cue_at(self, stored: StoredVectors) -> np.ndarray | None:
        """The slots of the sentences the cue filter admits, from the mirror's metadata (read once)."""
        if self._cue_at is None:
            self._cue_at = stored.slots_where(self.cue_where)
        return self._cue_at

    def cue(self) -> set[str]:
        """The ids of every sentence the cue filter admits (one read, ids only)."""
        if self._cue is None:
            got = self.store._call(self.store.sentences.get, where=self.cue_where, include=[])
            self._cue_ids = list(got["ids"])
            self._cue = set(self._cue_ids)
        return self._cue


class StoredVectors:
    """Every stored sentence's vector: the mirror's vector file (memory-mapped rows of the vector and
    its inverse norm, `ingest.mirrorfile`), which of its slots are live, and the mirror's rows to
    name the few slots a search picks (by the slot index; no id is read for the other rows)."""

    def __init__(self, db: sqlite3.Connection, slots: np.ndarray, vectors: np.ndarray) -> None:
        self.db, self.slots, self.vectors = db, slots, vectors
        self.live = np.zeros(len(vectors), dtype=bool)
        self.live[slots] = True
        self._gathered: tuple[int, np.ndarray] | None = None  # a subset's rows, copied once (the cue rows)

    def slots_where(self, where: dict[str, Any]) -> np.ndarray | None:
        """The live slots whose row's metadata matches `where` — only the one shape relinking uses,
        `{key: {"$in": [values]}}` (the cue filter), read in SQL from the metadata Chroma returned;
        None for any other filter."""
        if len(where) != 1:
            return None
        (key, cond), = where.items()
        if not key.isidentifier() or not isinstance(cond, dict) or set(cond) != {"$in"} or not cond["$in"] \
                or not all(isinstance(v, str) for v in cond["$in"]):
            return None
        marks = ",".join("?" * len(cond["$in"]))
        got = self.db.execute(f"SELECT slot FROM sentences WHERE json_extract(meta, '$.{key}') IN ({marks})",
                              list(cond["$in"])).fetchall()
        return np.fromiter((s for (s,) in got), dtype=np.int64, count=len(got))

    def nearest(self, vectors: Sequence[Any], n: int, among: np.ndarray | None = None) -> list[list[str]]:
        """Per query vector, the ids whose cosine is among the `n` highest, and any within float32
        noise of the n-th (`rank` orders them exactly): an exact search over every live row, or over
        the rows at the slots `among`."""
        if among is None:  # the whole file, dead slots masked
            matrix, slot_of, live = self.vectors, None, self.live
            count = len(self.slots)
        else:
            if self._gathered is None or self._gathered[0] != id(among):
                self._gathered = (id(among), np.ascontiguousarray(self.vectors[among]))
            matrix, slot_of, live, count = self._gathered[1], among, None, len(among)
        if (k := min(n, count)) == 0:
            return [[] for _ in vectors]
        picked: list[list[int]] = []
        with one_blas_thread():
            for a in range(0, len(vectors), QUERIES):
                q = _unit(vectors[a:a + QUERIES])
                q = np.hstack([q, np.zeros((len(q), 1), dtype=np.float32)])  # the inverse norm's column
                sims = (matrix @ q.T) * matrix[:, -1:]
                if live is not None:
                    sims[~live] = -np.inf
                kth = np.partition(sims, len(sims) - k, axis=0)[len(sims) - k]
                for j in range(len(q)):
                    hit = np.nonzero(sims[:, j] >= kth[j] - SLACK)[0]
                    picked.append(hit.tolist() if slot_of is None else slot_of[hit].tolist())
        names = self._ids(sorted({s for got in picked for s in got}))
        return [[names[s] for s in got if s in names] for got in picked]

    def _ids(self, slots: list[int]) -> dict[int, str]:
        """The live rows' ids at these slots (by the mirror's slot index)."""
        out: dict[int, str] = {}
        for a in range(0, len(slots), 500):
            part = slots[a:a + 500]
            out |= {s: i for i, s in self.db.execute(
                f"SELECT id, slot FROM sentences WHERE slot IN ({','.join('?' * len(part))})", part)}
        return out


_BLAS: Any = None  # threadpoolctl's controller, made once (it lists the loaded BLAS libraries: ~9 ms)


def one_blas_thread() -> Any:
    """A context in which BLAS uses one thread. The search's products are memory-bound (one pass over
    the vector file) and a second OpenBLAS thread spins ~0.1 s of CPU after every call, taken from
    whatever else runs on the machine (measured: 100k x 385 by one vector, 0.014 s wall and 0.11 s
    CPU on two threads, 0.006 s and 0.006 s on one)."""
    global _BLAS
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a dependency; without it the products run as numpy sets them
        return contextlib.nullcontext()
    if _BLAS is None:
        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


def stored_vectors(store: Any) -> StoredVectors | None:
    """The stored vectors of the index's sentence mirror when it holds exactly what Chroma holds —
    the writer's own while it follows every write (no write in flight), or a file stamped with the
    generation Chroma publishes while no run is open (as `textscan.from_mirror` decides; a run holds
    the ingest lock, so nothing writes while it searches) — else None."""
    m = getattr(store, "mirror", None)
    if getattr(store.settings, "server_mode", False) or m is None or m.path is None or m.state == "off" \
            or (m.state == "follow" and m._inflight):
        return None
    try:
        if m.state == "follow":
            db = m._db()
        else:
            db = connect(m.path, create=False)
            if db is None:
                return None
        meta = read_meta(db)
        if m.state != "follow":
            gen = meta.get("generation", "")
            if not gen or meta.get("schema") != SCHEMA or gen != store.generation() or store.journal_open():
                return None
        vectors = open_vectors(m.path.with_name(meta["vectors"]), int(meta["dim"]))
        got = db.execute("SELECT slot FROM sentences").fetchall()  # the slot index alone
        slots = np.fromiter((s for (s,) in got), dtype=np.int64, count=len(got))
        if len(slots) and (int(slots.max()) >= len(vectors) or int(slots.min()) < 0):
            return None  # a vector file cut short
        return StoredVectors(db, slots, vectors)
    except (sqlite3.Error, OSError, KeyError, ValueError):
        return None


def _nearest_vectors(q: np.ndarray, uniq: np.ndarray, n: int) -> list[list[int]]:
    """Per query (a row of `q`), the rows of `uniq` whose cosine is among its `n` highest or within
    float32 noise (SLACK) of the n-th: `rank` orders them exactly (float64). A row left out has `n`
    rows nearer than it by more than the noise. `uniq` is compared a block at a time (each block's
    `n` best kept), then the blocks' picks are cut the same way again, so `rank` reads about `n`
    vectors' rows per query, not `n` per block (four blocks at 100k sentences)."""
    if (k := min(n, len(uniq))) == 0:
        return [[] for _ in q]
    hit_q, hit_u, hit_s = [], [], []
    for a in range(0, len(uniq), BLOCK):
        h = uniq[a:a + BLOCK]
        sims = q @ h.T
        m = min(n, len(h))
        kth = np.partition(sims, len(h) - m, axis=1)[:, len(h) - m]
        hq, hu = np.nonzero(sims >= (kth - SLACK)[:, None])
        hit_q.append(hq)
        hit_u.append(hu + a)
        hit_s.append(sims[hq, hu])
    qi, ui, si = np.concatenate(hit_q), np.concatenate(hit_u), np.concatenate(hit_s)
    order = np.lexsort((-si, qi))  # by query, nearest first: each query has at least k picks
    qi, ui, si = qi[order], ui[order], si[order]
    first = np.searchsorted(qi, np.arange(len(q)))
    keep = si >= (si[first + k - 1] - SLACK)[qi]
    qi, ui = qi[keep], ui[keep]
    ends = np.searchsorted(qi, np.arange(1, len(q) + 1))
    return [part.tolist() for part in np.split(ui, ends[:-1])]


def _first_by_id(rows: Sequence[StoredSentence], group: list[int], n: int) -> list[int]:
    """Of rows sharing one vector (positions in `rows`), the `n` first by sentence id: the only ones
    `rank` can keep among `n` (they tie the rest exactly, and ties go by sentence id)."""
    if len(group) <= n:
        return group
    return sorted(group, key=lambda i: split_sentence_id(rows[i].id))[:n]


def _by_vector(rows: Sequence[StoredSentence]) -> list[list[int]]:
    """Positions of the rows, grouped by identical vectors (bytes equal), in first-seen order."""
    groups: dict[bytes, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(np.asarray(r.vector, dtype=np.float32).tobytes(), []).append(i)
    return list(groups.values())


def _unit(vectors: Sequence[Any]) -> np.ndarray:
    """The vectors as float32 rows of length 1 (a stored vector is normalised already; cheap to be sure)."""
    m = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def _cosines(vector: Any, rows: Sequence[StoredSentence]) -> np.ndarray:
    """Cosine of each row's vector to `vector`, in float64, rounded to 1e-9: the same pair gives the
    same figure wherever it sits in a batch, so sentences repeated word for word tie exactly."""
    if not rows:
        return np.zeros(0)
    q = np.asarray(vector, dtype=np.float64)
    m = np.asarray([r.vector for r in rows], dtype=np.float64)
    norms = np.maximum(np.linalg.norm(m, axis=1) * np.linalg.norm(q), 1e-12)
    return np.round((m @ q) / norms, 9)


def rank(vector: Any, rows: Sequence[StoredSentence], n: int) -> list[StoredSentence]:
    """The `n` rows nearest `vector` by exact cosine, nearest first, ties by sentence id: the same
    rows in the same order however a search found them (rows as given: a row read by a query keeps
    Chroma's `distance`)."""
    rows = list({r.id: r for r in rows if r.vector is not None}.values())
    sims = _cosines(vector, rows)
    order = sorted(range(len(rows)), key=lambda i: (-sims[i], split_sentence_id(rows[i].id)))
    return [rows[i] for i in order[:n]]


def _fetch_more(fetch: int, returned: int, vector: Any, best: Sequence[StoredSentence],
                last: Sequence[StoredSentence], n: int) -> int:
    """How many to ask Chroma for next, 0 when the cut is safe: a search that returned all it was
    asked for (Chroma may hold more) and whose last row ties the n-th asks again for four times as
    many, up to MAX_FETCH."""
    if returned < fetch or fetch >= MAX_FETCH or not _ties_past(vector, best, last, n):
        return 0
    return min(MAX_FETCH, fetch * 4)


def _ties_past(vector: Any, best: Sequence[StoredSentence], last: Sequence[StoredSentence], n: int) -> bool:
    """Whether a search cut at its last row may have left out rows tying the n-th (or nearer ones:
    its last row is as near as the n-th)."""
    if len(best) < n or not last:
        return False
    a, b = _cosines(vector, [best[-1], last[0]])
    return bool(b >= a)
