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

import operator
import os
import sqlite3
from pathlib import Path

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


def row_bytes(dim: int) -> int:
    return 4 * (dim + 1)


def append_vectors(path: Path, vectors: np.ndarray) -> int:
    """Append rows (vector, inverse norm) and return the first one's slot. Flushed to disk before
    the caller commits the rows naming these slots: a crash in between leaves dead slots only. A
    torn row at the end (a crash mid-write) is padded over, never reused."""
    vecs = np.asarray(vectors, dtype=np.float32)
    n, dim = vecs.shape
    norms = np.linalg.norm(vecs.astype(np.float64), axis=1)
    inv = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0).astype(np.float32)
    data = np.hstack([vecs, inv[:, None]]).astype("<f4", copy=False)
    size = row_bytes(dim)
    with open(path, "ab") as f:
        end = f.seek(0, os.SEEK_END)
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


def _test(have, op: str, want) -> bool:
    if op == "$eq":
        return have == want
    if op == "$ne":
        return have != want
    if op == "$in":
        return have in want
    if op == "$nin":
        return have not in want
    if op == "$contains":
        return isinstance(have, list) and want in have
    try:
        return bool(_ORDER[op](have, want))
    except TypeError:  # None, a list, or a string against a number: no match, as in Chroma
        return False


_ORDER = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}
