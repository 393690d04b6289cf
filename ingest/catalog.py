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
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .records import SourceRecord
from .settings import Settings

log = logging.getLogger(__name__)

SCHEMA = "1"
_FIELDS = ("id", "title", "publisher", "published", "url", "path", "byline", "sha256", "state", "sentences",
           "contacts", "furniture", "corrects", "extra", "indexed_at", "fingerprint")
_DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # pos: the index's own order (Chroma lists records in insertion order, an upsert keeping its place)
    "CREATE TABLE IF NOT EXISTS sources (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, "
    "publisher TEXT, published TEXT, url TEXT, path TEXT, byline TEXT, sha256 TEXT, state TEXT, "
    "sentences INTEGER, contacts TEXT, furniture TEXT, corrects TEXT, extra TEXT, indexed_at TEXT, "
    "fingerprint TEXT)",
    # A source's cleaned text, kept apart and named by its content hash: a publish rewrites the
    # small records and only the texts that changed.
    "CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, text TEXT NOT NULL)",
)
_COLUMNS = ", ".join(f"s.{f}" for f in _FIELDS)
_INSERT = f"INSERT INTO sources ({', '.join(_FIELDS)}) VALUES ({','.join('?' * len(_FIELDS))})"


def catalog_path(settings: Settings, folder: str = "chroma") -> Path | None:
    """The catalog file of an index: the live embedded index's, or a server's collections' (one
    file per host, port and prefix). None for an index being rebuilt aside (it gets its own after
    the swap, rebuilt on first use)."""
    prefix = settings.collection_prefix
    if settings.server_mode:
        where = re.sub(r"[^A-Za-z0-9.-]", "_", f"{settings.chroma_host}_{settings.chroma_port}")
        return Path(settings.data_dir) / f"catalog-{prefix}@{where}.sqlite3"
    return Path(settings.data_dir) / f"catalog-{prefix}.sqlite3" if folder == "chroma" else None


def _row(r: SourceRecord) -> tuple:
    js = [json.dumps(v) if v else ("{}" if isinstance(v, dict) else "[]")
          for v in (r.contacts, r.furniture, r.corrects, r.extra)]
    return (r.id, r.title, r.publisher, r.published, r.url, r.path, r.byline, r.sha256, r.state, int(r.sentences),
            *js, r.indexed_at, r.fingerprint)


def _decode(value: str | None, kind: type):
    if not value or value in ("[]", "{}"):
        return kind()
    try:
        got = json.loads(value)
    except ValueError:
        return kind()
    return got if isinstance(got, kind) else kind()


def _record(row: Sequence, text: str | None = "") -> SourceRecord:
    (sid, title, publisher, published, url, path, byline, sha, state, n, contacts, furniture, corrects, extra,
     indexed_at, fp) = row[:16]
    return SourceRecord(sid, title or "", publisher or "", published or "", url or "", path or "", byline or "",
                        sha or "", state or "", int(n or 0), _decode(contacts, list), _decode(furniture, list),
                        _decode(corrects, list), _decode(extra, dict), indexed_at or "", fp or "", text or "")


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
                    for ddl in _DDL:
                        conn.execute(ddl)
                    cols = [r[1] for r in conn.execute("PRAGMA table_info(sources)")]
                    if cols != ["pos", *_FIELDS]:  # another layout (another version): start over
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
                rows = db.execute(f"SELECT {_COLUMNS} FROM sources s ORDER BY s.pos").fetchall() if db else None
            except sqlite3.Error as e:
                self._fail("read", e)
                return None
        return None if rows is None else {r[0]: _record(r) for r in rows}

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
                    sql = (f"SELECT {_COLUMNS}, t.sha256, t.text FROM sources s LEFT JOIN texts t ON t.id = s.id "
                           f"WHERE s.id IN ({','.join('?' * len(chunk))}) ORDER BY s.pos")
                    for r in db.execute(sql, chunk):
                        if r[16] != r[7]:
                            return None
                        out[r[0]] = _record(r, r[17])
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
    def invalidate(self) -> None:
        """Before a writer's first write: nobody may trust the catalog until it is rewritten."""
        def bump(db: sqlite3.Connection) -> None:
            self._set(db, "epoch", str(int(self._meta(db, "epoch") or 0) + 1))
            self._set(db, "generation", "")

        self._transact(bump)

    def write(self, generation: str, records: Iterable[SourceRecord], texts: Mapping[str, str],
              epoch: int | None = None) -> bool:
        """Replace the records by `records` (in the index's order) and store `texts` (id → text
        of the record's version), stamped `generation` — only if every record's text is then held.
        `epoch`: the one a reader saw before reading the records from Chroma; a writer (None)
        bumps it, so a reader's older rebuild can never land over a newer catalog."""
        rows = [_row(r) for r in records]

        def replace(db: sqlite3.Connection) -> bool:
            now = int(self._meta(db, "epoch") or 0)
            if epoch is not None and now != epoch:
                return False
            db.execute("DELETE FROM sources")
            db.executemany(_INSERT, rows)
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
