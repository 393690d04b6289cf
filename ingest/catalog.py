"""The source catalog: a local SQLite copy of the manifest's per-source records, for indexed reads.

Chroma stays the store of record, but reading one source's record from it meant reading and
decoding every record (a cold question over 9,115 sources spent 1.1 s there, a one-file re-ingest
2 s). The catalog is the record manager beside the vector store, as in LangChain's indexing API:
one row per source (everything in `SourceRecord`; the cleaned text in a table of its own, named by
content hash) in a SQLite file in the data folder, looked up by id. It is stamped with the
generation it describes; `ingest.catalogsync` decides when it may be trusted and keeps it in step.
Nothing here raises on a broken file: reads return None (the caller reads Chroma), a file SQLite
cannot use is deleted to be rebuilt.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from .catalogrows import COLUMNS, DDL, FIELDS, INSERT, INSERT_AT, UPDATE, from_row, present_ids, to_row
from .records import SourceRecord
from .settings import Settings

log = logging.getLogger(__name__)

SCHEMA = "1"
class _Stale(Exception):
    """`Catalog.update` found a catalog other than the one the writer started from."""


def catalog_path(settings: Settings, folder: str = "chroma") -> Path | None:
    """The catalog file of an index: the live embedded index's, or a server's collections' (one
    file per host, port and prefix). None for an index being rebuilt aside (it gets its own after
    the swap, rebuilt on first use)."""
    prefix = settings.collection_prefix
    if settings.server_mode:
        where = re.sub(r"[^A-Za-z0-9.-]", "_", f"{settings.chroma_host}_{settings.chroma_port}")
        return Path(settings.data_dir) / f"catalog-{prefix}@{where}.sqlite3"
    return Path(settings.data_dir) / f"catalog-{prefix}.sqlite3" if folder == "chroma" else None


class Catalog:
    """One catalog file; every method is safe to call from several threads, and none raises on a
    broken file: reads then return nothing (the caller reads Chroma) and writes report False."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # the file the connection has open
        self._lock = threading.RLock()
        self._warned = False

    # -- the connection ------------------------------------------------------------------------
    def _ident(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()  # type: ignore[union-attr]
        except (OSError, AttributeError):
            return None
        return st.st_dev, st.st_ino

    def _db(self, retry: bool = True) -> sqlite3.Connection | None:
        if self._conn is not None and self._ident() != self._opened:  # deleted or replaced: reopen
            self.close()
        if self._conn is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
                try:
                    for ddl in DDL:
                        conn.execute(ddl)
                    cols = [r[1] for r in conn.execute("PRAGMA table_info(sources)")]
                    if cols != ["pos", *FIELDS]:  # another layout (another version): start over
                        raise sqlite3.DatabaseError(f"unexpected catalog layout {cols}")
                except sqlite3.Error:
                    conn.close()
                    raise
                self._conn, self._opened = conn, self._ident()
            except sqlite3.DatabaseError as e:
                if retry and not isinstance(e, sqlite3.OperationalError):  # not a database: start over
                    self._reset()
                    return self._db(retry=False)
                self._fail("open", e)
            except (sqlite3.Error, OSError) as e:
                self._fail("open", e)
        return self._conn

    def _fail(self, what: str, e: Exception) -> None:
        if not self._warned:
            log.warning("source catalog %s: could not %s it (%s); reading records from the index", self.path,
                        what, e)
            self._warned = True
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

    def _reset(self) -> None:
        """A file SQLite cannot use (corrupt, or not a database): delete it, to be rebuilt."""
        self.close()
        for p in (self.path, self.path.with_name(self.path.name + "-journal")) if self.path else ():
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)

    def _meta(self, db: sqlite3.Connection, key: str) -> str:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    # -- reads -------------------------------------------------------------------------------------
    def stamp(self) -> str:
        """The generation the catalog describes ("" when none: never valid)."""
        with self._lock:
            db = self._db()
            if db is None:
                return ""
            try:
                if self._meta(db, "schema") != SCHEMA:
                    return ""
                return self._meta(db, "generation")
            except sqlite3.Error as e:
                self._fail("read", e)
                return ""

    def epoch(self) -> int:
        """Bumped by every writer's `invalidate`: a reader's rebuild from an older epoch is not written."""
        with self._lock:
            db = self._db()
            try:
                return int(self._meta(db, "epoch") or 0) if db is not None else -1
            except (sqlite3.Error, ValueError):
                return -1

    def records(self) -> dict[str, SourceRecord] | None:
        """Every record (without text), in the index's own order; None if unreadable."""
        with self._lock:
            db = self._db()
            try:
                rows = db.execute(f"SELECT {COLUMNS} FROM sources s ORDER BY s.pos").fetchall() if db else None
            except sqlite3.Error as e:
                self._fail("read", e)
                return None
        return None if rows is None else {r[0]: from_row(r) for r in rows}

    def titles(self) -> dict[str, str] | None:
        """Every source's title by id; None if unreadable."""
        with self._lock:
            db = self._db()
            try:
                return dict(db.execute("SELECT id, title FROM sources ORDER BY pos").fetchall()) if db else None
            except sqlite3.Error as e:
                self._fail("read", e)
                return None

    def get(self, ids: Sequence[str]) -> dict[str, SourceRecord] | None:
        """These sources' records with their text (unknown ids are left out); None if unreadable
        or if a text is missing (the caller then reads Chroma)."""
        out: dict[str, SourceRecord] = {}
        ids = list(dict.fromkeys(ids))
        with self._lock:
            db = self._db()
            if db is None:
                return None
            try:
                for a in range(0, len(ids), 500):
                    chunk = ids[a:a + 500]
                    sql = (f"SELECT {COLUMNS}, t.sha256, t.text FROM sources s LEFT JOIN texts t ON t.id = s.id "
                           f"WHERE s.id IN ({','.join('?' * len(chunk))}) ORDER BY s.pos")
                    for r in db.execute(sql, chunk):
                        if r[16] != r[7]:
                            return None
                        out[r[0]] = from_row(r, r[17])
            except sqlite3.Error as e:
                self._fail("read", e)
                return None
        return out

    def missing_texts(self, records: Mapping[str, SourceRecord]) -> list[str] | None:
        """Which of these records' texts (by id and content hash) the catalog does not hold."""
        with self._lock:
            db = self._db()
            try:
                have = dict(db.execute("SELECT id, sha256 FROM texts").fetchall()) if db else None
            except sqlite3.Error as e:
                self._fail("read", e)
                return None
        return None if have is None else [sid for sid, r in records.items() if have.get(sid) != r.sha256]

    # -- writes ------------------------------------------------------------------------------------
    def invalidate(self) -> tuple[int, str] | None:
        """Before a writer's first write: nobody may trust the catalog until it is rewritten.
        Returns the epoch it set and the generation the catalog described until then (None when
        the file cannot be written): `update` then needs to rewrite only what the run changed."""
        def bump(db: sqlite3.Connection) -> tuple[int, str]:
            was = self._meta(db, "generation") if self._meta(db, "schema") == SCHEMA else ""
            epoch = int(self._meta(db, "epoch") or 0) + 1
            self._set(db, "epoch", str(epoch))
            self._set(db, "generation", "")
            return epoch, was

        return self._transact(bump)

    def write(self, generation: str, records: Iterable[SourceRecord], texts: Mapping[str, str],
              epoch: int | None = None) -> bool:
        """Replace the records by `records` (in the index's order) and store `texts` (id → text
        of the record's version), stamped `generation` — only if every record's text is then held.
        `epoch`: the one a reader saw before reading the records from Chroma; a writer (None)
        bumps it, so a reader's older rebuild can never land over a newer catalog."""
        rows = [to_row(r) for r in records]

        def replace(db: sqlite3.Connection) -> bool:
            now = int(self._meta(db, "epoch") or 0)
            if epoch is not None and now != epoch:
                return False
            db.execute("DELETE FROM sources")
            db.executemany(INSERT, rows)
            db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)",
                           [(r[0], r[7], texts[r[0]]) for r in rows if r[0] in texts])
            db.execute("DELETE FROM texts WHERE id NOT IN (SELECT id FROM sources)")
            gaps = db.execute("SELECT count(*) FROM sources s LEFT JOIN texts t ON t.id = s.id "
                              "WHERE t.sha256 IS NOT s.sha256").fetchone()[0]
            self._set(db, "schema", SCHEMA)
            self._set(db, "epoch", str(now + (epoch is None)))
            self._set(db, "generation", generation if not gaps else "")
            return not gaps

        return bool(self._transact(replace))

    def update(self, generation: str, records: Mapping[str, SourceRecord], changed: Collection[str],
               dropped: Collection[str], texts: Mapping[str, str], epoch: int) -> bool:
        """`write(generation, records.values(), texts)`, rewriting only the `changed` rows: for a
        writer whose `invalidate` gave `epoch` while the catalog held the records it started from.
        Kept rows keep their place; new and `dropped` ones (deleted in the run, maybe re-added) go
        to the end in the order of `records`, as in the index. False, changing nothing, otherwise."""
        order = {sid: i for i, sid in enumerate(records)}
        present = sorted((s for s in changed if s in records), key=order.__getitem__)

        def apply(db: sqlite3.Connection) -> bool:
            if int(self._meta(db, "epoch") or 0) != epoch or self._meta(db, "schema") != SCHEMA:
                raise _Stale
            db.executemany("DELETE FROM sources WHERE id = ?", [(s,) for s in changed if s in dropped or s not in records])
            db.executemany("DELETE FROM texts WHERE id = ?", [(s,) for s in changed if s not in records])
            have = present_ids(db, present)
            db.executemany(UPDATE, [(*to_row(records[s])[1:], s) for s in present if s in have])
            top = db.execute("SELECT coalesce(max(pos), 0) FROM sources").fetchone()[0]
            db.executemany(INSERT_AT, [(top + 1 + i, *to_row(records[s]))
                                       for i, s in enumerate(s for s in present if s not in have)])
            db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)",
                           [(s, records[s].sha256, texts[s]) for s in present if s in texts])
            if db.execute("SELECT count(*) FROM sources").fetchone()[0] != len(records):
                raise _Stale  # not the records this writer started from
            gaps = len(present) - len(present_ids(db, present, with_text=True))
            self._set(db, "epoch", str(epoch + 1))
            self._set(db, "generation", generation if not gaps else "")
            return not gaps

        try:
            return bool(self._transact(apply))
        except _Stale:
            return False

    def set_fingerprints(self, fingerprints: Mapping[str, str]) -> None:
        """Record unchanged files' new fingerprints (no generation change: the content is the same)."""
        self._transact(lambda db: db.executemany("UPDATE sources SET fingerprint = ? WHERE id = ?",
                                                 [(fp, sid) for sid, fp in fingerprints.items()]))

    @staticmethod
    def _set(db: sqlite3.Connection, key: str, value: str) -> bool:
        db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   (key, value))
        return True

    def _transact(self, fn, retry: bool = True):  # type: ignore[no-untyped-def]
        with self._lock:
            db = self._db()
            if db is None:
                return None
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    out = fn(db)
                    db.execute("COMMIT")
                    return out
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as e:
                if retry and not isinstance(e, sqlite3.OperationalError):  # corrupt: start over once
                    self._reset()
                    return self._transact(fn, retry=False)
                self._fail("write", e)
                return None
            except OSError as e:
                self._fail("write", e)
                return None
