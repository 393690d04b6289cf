"""The sentence mirror's files: a SQLite table of sentence rows and links, and a vector file.

A one-shot `factdesk ask` should not pay for importing Chroma and loading its HNSW index to answer
one question. The mirror is a plain copy, kept by ingest (`ingest.mirror`), of what a question
reads: every sentence row (id, text, metadata exactly as Chroma returns it, the slot of its vector)
and every correction link, in `mirror-<prefix>.sqlite3` in the data folder, and the vectors in an
append-only file of float32 rows (the vector, then its inverse norm, so an exact cosine search is
one matrix product over a memory map: `bot.coldstore`). A row is addressed by slot; a replaced or
deleted row leaves a dead slot behind, reclaimed when the file is compacted into a new one.

The `generation` meta value says which published index generation the mirror reflects ("" while a
writer changes it, or when it is not known to be in step); readers trust it only when it equals the
source catalog's stamp (`ingest.catalog`). Readers and the writer share this module's layout.
"""

from __future__ import annotations

import json
import operator
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .settings import Settings

SCHEMA = "1"

DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # rowid order is insertion order, as Chroma's (an upsert keeps a row's place)
    "CREATE TABLE IF NOT EXISTS sentences (id TEXT PRIMARY KEY, source TEXT NOT NULL, idx INTEGER NOT NULL,"
    " doc TEXT NOT NULL, meta TEXT NOT NULL, slot INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sentences_source ON sentences (source, idx)",
    "CREATE INDEX IF NOT EXISTS sentences_slot ON sentences (slot)",
    "CREATE TABLE IF NOT EXISTS links (id TEXT PRIMARY KEY, doc TEXT NOT NULL, meta TEXT NOT NULL)",
)


def mirror_path(settings: Settings, folder: str = "chroma") -> Path | None:
    """The mirror of the live embedded index; None on a Chroma server (several hosts' writers,
    no shared folder) and for an index being rebuilt aside (the next writer copies the new one)."""
    if settings.server_mode or folder != "chroma":
        return None
    return Path(settings.data_dir) / f"mirror-{settings.collection_prefix}.sqlite3"


def connect(path: Path, *, create: bool) -> sqlite3.Connection | None:
    """A connection in autocommit mode (transactions are explicit); WAL, so a reader's snapshot
    never blocks the writer. None when a reader finds no file (it never creates one)."""
    if not create and not path.exists():
        return None
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    if create:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for ddl in DDL:
            conn.execute(ddl)
    return conn


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def merge_meta(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Chroma's metadata semantics on upsert and update: keys merge, a None value removes one."""
    out = {**(old or {}), **new}
    return {k: v for k, v in out.items() if v is not None}


def set_meta(db: sqlite3.Connection, key: str, value: Any) -> None:
    db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, str(value)))


def metas_by_id(db: sqlite3.Connection, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for a in range(0, len(ids), 500):
        part = list(ids[a:a + 500])
        q = f"SELECT id, meta FROM {table} WHERE id IN ({','.join('?' * len(part))})"
        out.update((i, json.loads(m)) for i, m in db.execute(q, part))
    return out


def row_bytes(dim: int) -> int:
    return 4 * (dim + 1)


def slots_in_use(db: sqlite3.Connection, meta: dict[str, str]) -> int:
    """How many slots the mirror handed out (recorded in meta; an older mirror: one past the
    highest slot its rows name)."""
    if "slots" in meta:
        return int(meta["slots"])
    top = db.execute("SELECT max(slot) FROM sentences").fetchone()[0]
    return 0 if top is None else int(top) + 1


def append_vectors(path: Path, vectors: np.ndarray, in_use: int) -> int:
    """Append rows (vector, inverse norm) and return the first one's slot. Flushed to disk before
    the caller commits the rows naming these slots: a crash in between leaves dead slots only. A
    torn row at the end (a crash mid-write) is padded over, never reused. The file must exist and
    hold the `in_use` slots already handed out: a missing or cut file is never recreated from slot
    0 under rows naming the old slots (the caller's mirror stops being kept, and is copied again)."""
    vecs = np.asarray(vectors, dtype=np.float32)
    n, dim = vecs.shape
    norms = np.linalg.norm(vecs.astype(np.float64), axis=1)
    inv = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0).astype(np.float32)
    data = np.hstack([vecs, inv[:, None]]).astype("<f4", copy=False)
    size = row_bytes(dim)
    with open(path, "r+b") as f:  # never creates the file
        end = f.seek(0, os.SEEK_END)
        if end < in_use * size:
            raise ValueError(f"the vector file {path.name} holds {end // size} rows, {in_use} are in use")
        pad = (-end) % size
        if pad:
            f.write(b"\0" * pad)
        f.write(data.tobytes())
        f.flush()
        os.fsync(f.fileno())
    return (end + pad) // size


def open_vectors(path: Path, dim: int) -> np.ndarray:
    """The vector file as a read-only (slots, dim + 1) memory map; rows appended later are not in
    it (the reader's row snapshot never names them)."""
    n = path.stat().st_size // row_bytes(dim)
    if n == 0:
        return np.zeros((0, dim + 1), dtype=np.float32)
    return np.memmap(path, dtype="<f4", mode="r", shape=(n, dim + 1))


def where_matches(meta: dict, where: dict | None) -> bool:
    """Chroma's metadata filter (`$and`, `$or`, `$eq`, `$ne`, `$in`, `$nin`, `$gt`, `$gte`, `$lt`,
    `$lte`, `$contains` on a list) evaluated on one row's metadata."""
    if not where:
        return True
    out = True
    for key, cond in where.items():
        if key == "$and":
            out = out and all(where_matches(meta, c) for c in cond)
        elif key == "$or":
            out = out and any(where_matches(meta, c) for c in cond)
        else:
            ops = cond if isinstance(cond, dict) else {"$eq": cond}
            out = out and all(_test(meta.get(key), op, v) for op, v in ops.items())
    return out


def _eq(a, b) -> bool:
    """Chroma keeps bool and number apart (True does not equal 1), Python does not."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def _test(have, op: str, want) -> bool:
    if op == "$eq":
        return _eq(have, want)
    if op == "$ne":
        return not _eq(have, want)
    if op == "$in":
        return any(_eq(have, w) for w in want)
    if op == "$nin":
        return not any(_eq(have, w) for w in want)
    if op == "$contains":
        return isinstance(have, list) and any(_eq(x, want) for x in have)
    if isinstance(have, bool) != isinstance(want, bool):
        return False
    try:
        return bool(_ORDER[op](have, want))
    except TypeError:  # None, a list, or a string against a number: no match, as in Chroma
        return False


_ORDER = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}
