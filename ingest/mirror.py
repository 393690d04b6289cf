"""Keeping the sentence mirror (`ingest.mirrorfile`) in step with Chroma.

`Store` is the one place that writes sentences and correction links; `follows_store` wraps its
write methods so each Chroma write is repeated in the mirror, in the same order, a few rows at a
time (one edited source costs a few small SQLite transactions and one append to the vector file).

Crash consistency: before the first write of a run the mirror's `generation` is set to "" (not
trusted); it is set to the new token only when the writer publishes it, and only if the mirror
followed every write since it was last known to be in step. A Chroma write that fails, a mirror
write that fails, or a mirror found out of step (a crash, a rebuild swapped in, an index built
before the mirror existed) stops the following: readers then use Chroma, and the next writer's
start (`ensure`, after the migrations) copies every row and vector from Chroma again — nothing is
re-embedded.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .mirrorfile import SCHEMA, append_vectors, connect, mirror_path, open_vectors, read_meta, slots_in_use
from .mirrorfile import merge_meta as _merge, metas_by_id as _metas, set_meta as _set
from .records import TEXT_KEY, StoredSentence, stored_text
from .settings import Settings

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

COMPACT_MIN = 10_000  # dead slots before the vector file is compacted (and more dead than live)
_ERRORS = (sqlite3.Error, OSError, ValueError, KeyError)
_UPSERT = ("INSERT INTO sentences (id, source, idx, doc, meta, slot) VALUES (?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(id) DO UPDATE SET source = excluded.source, idx = excluded.idx, doc = excluded.doc, "
           "meta = excluded.meta, slot = excluded.slot")


class Mirror:
    """The writer's side of one index's mirror (a reader never opens it for writing)."""

    def __init__(self, settings: Settings, folder: str = "chroma") -> None:
        self.path: Path | None = mirror_path(settings, folder)
        self.state: str | None = None  # None: not decided yet; "follow": in step; "off": not kept
        self.in_journal = False
        self._conn: sqlite3.Connection | None = None
        self._clean = False  # the stamp on disk is known to be "" (set before the first write)
        self._inflight = False  # a Chroma write started that the mirror has not yet repeated (or failed)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = connect(self.path, create=True)
        return self._conn

    def _txn(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            out = fn(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return out

    def _fail(self, e: BaseException) -> None:
        log.warning("the sentence mirror %s is not kept (%s): one-shot questions read Chroma until the next "
                    "ingest copies it again", self.path, e)
        self.state = "off"
        try:
            self._txn(lambda db: _set(db, "generation", ""))
            self._clean = True
        except _ERRORS:
            try:  # a mirror that cannot even be marked stale must not be read
                self.path.unlink(missing_ok=True)  # type: ignore[union-attr]
                self._conn = None
            except OSError:
                log.error("cannot mark the sentence mirror %s stale: delete it", self.path)

    # -- following the store's writes -------------------------------------------------------------
    def before_write(self, store: Store) -> bool:
        """Called before Chroma changes sentences or links: the mirror stops being trusted (its
        stamp cleared) and, the first time, decides whether it is in step. True: repeat the write."""
        if self.path is None or (self.state == "off" and self._clean):
            return False
        try:
            if self.state is None:
                meta = read_meta(self._db())
                stamp = meta.get("generation", "")
                # A run's journal left open (a crashed writer): copied again by `ensure`.
                self.state = "follow" if stamp and meta.get("schema") == SCHEMA and stamp == store.generation() \
                    and (self.in_journal or not store.journal_open()) else "off"
            if not self._clean:
                self._txn(lambda db: _set(db, "generation", ""))
                self._clean = True
        except _ERRORS as e:
            self._fail(e)
        return self.state == "follow"

    def apply(self, fn: Callable[[sqlite3.Connection], Any]) -> None:
        """One write repeated in the mirror, in one transaction; a failure stops the following.
        Anything else (an interrupt, a bug) stops it too, and is raised on."""
        try:
            self._txn(fn)
        except _ERRORS as e:
            self._fail(e)
        except BaseException as e:
            self._fail(e)
            raise
        self._inflight = False

    def put_sentences(self, db: sqlite3.Connection, rows: Sequence[StoredSentence], vectors: np.ndarray) -> None:
        ids = [r.id for r in rows]
        old = _metas(db, "sentences", ids)
        self._insert(db, [(r.id, r.text, _merge(old.get(r.id), r.metadata())) for r in rows], vectors)
        self._add_dead(db, len(old))

    def _insert(self, db: sqlite3.Connection, rows: Sequence[tuple[str, str, dict[str, Any]]],
                vectors: np.ndarray) -> None:
        if not rows:
            return
        vecs = np.asarray(vectors, dtype=np.float32).reshape(len(rows), -1)
        meta = read_meta(db)
        if int(meta.get("dim", vecs.shape[1])) != vecs.shape[1]:
            raise ValueError(f"vectors of {vecs.shape[1]} dimensions in a mirror of {meta['dim']}")
        _set(db, "dim", vecs.shape[1])
        first = append_vectors(self.path.with_name(meta["vectors"]), vecs, slots_in_use(db, meta))  # type: ignore[union-attr]
        _set(db, "slots", first + len(rows))
        db.executemany(_UPSERT, [(i, str(m["source"]), int(m["index"]), doc, json.dumps(m), first + k)
                                 for k, (i, doc, m) in enumerate(rows)])

    @staticmethod
    def _add_dead(db: sqlite3.Connection, n: int) -> None:
        if n:
            _set(db, "dead", int(read_meta(db).get("dead", 0)) + n)

    def delete_sentences(self, db: sqlite3.Connection, where: str, args: Sequence[Any]) -> None:
        self._add_dead(db, db.execute(f"DELETE FROM sentences WHERE {where}", list(args)).rowcount)

    def delete_ids(self, db: sqlite3.Connection, table: str, ids: Sequence[str]) -> None:
        for a in range(0, len(ids), 500):
            part = list(ids[a:a + 500])
            n = db.execute(f"DELETE FROM {table} WHERE id IN ({','.join('?' * len(part))})", part).rowcount
            if table == "sentences":
                self._add_dead(db, n)

    @staticmethod
    def update_metadata(db: sqlite3.Connection, ids: Sequence[str], metas: Sequence[dict[str, Any]]) -> None:
        old = _metas(db, "sentences", ids)
        db.executemany("UPDATE sentences SET meta = ? WHERE id = ?",
                       [(json.dumps(_merge(old[i], m)), i) for i, m in zip(ids, metas) if i in old])

    @staticmethod
    def put_links(db: sqlite3.Connection, ids: Sequence[str], docs: Sequence[str], metas: Sequence[dict]) -> None:
        old = _metas(db, "links", ids)
        db.executemany("INSERT INTO links VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, "
                       "meta = excluded.meta", [(i, d, json.dumps(_merge(old.get(i), m)))
                                                for i, d, m in zip(ids, docs, metas)])

    # -- publishing and copying -------------------------------------------------------------------
    def stamp(self, store: Store, token: str) -> None:
        """The writer published `token`: if the mirror followed every write, it reflects it now
        (with the model identity and the term totals a question reads; compacted first when
        dead slots outnumber live ones)."""
        if self.path is None or self.state != "follow":
            return
        if self._inflight:  # a write Chroma may hold and the mirror does not: never stamped
            self._fail(RuntimeError("a write was not repeated in the mirror"))
            return
        try:
            model, totals = store.model_info(), store.term_totals()
            self._compact_if_due()

            def apply(db: sqlite3.Connection) -> None:
                _set(db, "model", model[0] if model else "")
                tg, tn, counts = totals or ("", 0, {})
                _set(db, "totals_generation", tg)
                _set(db, "totals_sentences", tn)
                _set(db, "totals", json.dumps(counts))
                _set(db, "generation", token)
            self._txn(apply)
            self._clean = False
            # The write-ahead log back into the file and truncated: no megabytes of log kept on disk.
            self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except _ERRORS as e:
            self._fail(e)

    def ensure(self, store: Store) -> None:
        """A writer's start (after the migrations): follow from here, copying every row, link
        and vector from Chroma first when the mirror is not known to be in step."""
        if self.path is None:
            return
        try:
            gen = store.generation()
            # `state` is decided from disk once per lock hold (`settle` forgets it): another
            # writer may have changed Chroma, or died between its Chroma and mirror writes.
            if self.state != "follow" or self._inflight:
                meta = read_meta(self._db())
                fresh = self.state is None and not self._inflight and not store.journal_open()
                self.state = "follow"
                if fresh and gen and meta.get("generation") == gen and meta.get("schema") == SCHEMA:
                    return  # in step and stamped so
                self.rebuild(store)
                self._inflight = False
            if not store.journal_open():  # in step with what Chroma holds now, generation `gen`
                self.stamp(store, gen)
        except _ERRORS as e:
            self._fail(e)

    def settle(self, store: Store) -> None:
        """The writer lets go of the index (its lock released) without publishing — a run that
        changed nothing but re-put a link, a migration: what the mirror followed is what Chroma
        holds under the current generation, so it says so (unless a run's journal is open)."""
        if self.path is not None and self.state == "follow" and self._clean and not self.in_journal:
            try:
                if not store.journal_open():
                    self.stamp(store, store.generation())
            except Exception as e:  # noqa: BLE001 — runs as the lock is released, maybe on an error
                self._fail(e)
        # Nothing known survives the lock: the next hold decides again from the stamp on disk.
        self.state, self._clean, self._inflight = None, False, False

    def rebuild(self, store: Store) -> None:
        """Every sentence row, vector and link as Chroma stores them, into a new vector file (one
        transaction: readers see the old mirror, stamped stale, until it commits)."""
        assert self.path is not None
        name = f"{self.path.stem}-{uuid.uuid4().hex[:12]}.f32"

        def apply(db: sqlite3.Connection) -> None:
            _set(db, "generation", "")
            db.execute("DELETE FROM sentences")
            db.execute("DELETE FROM links")
            db.execute("DELETE FROM meta WHERE key = 'dim'")
            for key, value in (("schema", SCHEMA), ("vectors", name), ("dead", 0), ("slots", 0)):
                _set(db, key, value)
            for rec in store.sentence_pages(["metadatas", "documents", "embeddings"], page=store.max_batch):
                # The text in the `doc` column, the metadata as `StoredSentence.metadata()` writes it.
                texts = [stored_text(d, m) for d, m in zip(rec["documents"], rec["metadatas"])]
                keep = [k for k, t in enumerate(texts) if t is not None]
                if keep:
                    self._insert(db, [(rec["ids"][k], texts[k], {x: v for x, v in rec["metadatas"][k].items()
                                                                 if x != TEXT_KEY}) for k in keep],
                                 np.asarray([rec["embeddings"][k] for k in keep], dtype=np.float32))
            links = store._call(store.links_col.get, include=["metadatas", "documents"])
            db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                           [(i, d or "", json.dumps(m or {})) for i, d, m in
                            zip(links["ids"], links["documents"], links["metadatas"])])
        self.path.with_name(name).touch()
        self._txn(apply)
        self._clean = True
        self._sweep(name)
        log.info("sentence mirror %s copied from the index", self.path)

    def _sweep(self, keep: str) -> None:
        """Delete this mirror's vector files other than `keep` (a reader that has one mapped keeps
        reading it). Only names of exactly this mirror's shape: `mirror-news-<hex>.f32`, never
        `mirror-news-b-<hex>.f32` of another prefix sharing the folder."""
        assert self.path is not None
        mine = re.compile(re.escape(self.path.stem) + r"-[0-9a-f]{12}\.f32")
        for p in self.path.parent.glob(f"{self.path.stem}-*.f32"):
            if p.name != keep and mine.fullmatch(p.name):
                p.unlink(missing_ok=True)

    def _compact_if_due(self) -> None:
        meta = read_meta(self._db())
        live = self._db().execute("SELECT count(*) FROM sentences").fetchone()[0]
        dead = int(meta.get("dead", 0))
        if not dead or dead < max(COMPACT_MIN, live):
            return
        assert self.path is not None
        name = f"{self.path.stem}-{uuid.uuid4().hex[:12]}.f32"

        def apply(db: sqlite3.Connection) -> None:
            m = read_meta(db)
            rows = db.execute("SELECT id, slot FROM sentences ORDER BY slot").fetchall()
            old = open_vectors(self.path.with_name(m["vectors"]), int(m.get("dim", 0) or 1))  # type: ignore[union-attr]
            new = self.path.with_name(name)  # type: ignore[union-attr]
            new.touch()
            for a in range(0, len(rows), 8192):
                block = np.asarray(old[[s for _, s in rows[a:a + 8192]]])
                append_vectors(new, block[:, :-1], a)
            db.executemany("UPDATE sentences SET slot = ? WHERE id = ?", [(k, i) for k, (i, _) in enumerate(rows)])
            _set(db, "slots", len(rows))
            _set(db, "vectors", name)
            _set(db, "dead", 0)
        self._txn(apply)
        self._sweep(name)

