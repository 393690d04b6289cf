"""How the source catalog (`ingest.catalog`) lays a `SourceRecord` out in SQLite, and back.

One row per source in `sources` (lists and mappings as JSON), its cleaned text in `texts`; the
statements the catalog runs on them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from .records import SourceRecord

FIELDS = ("id", "title", "publisher", "published", "url", "path", "byline", "sha256", "state", "sentences",
           "contacts", "furniture", "corrects", "extra", "indexed_at", "fingerprint")
DDL = (
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
COLUMNS = ", ".join(f"s.{f}" for f in FIELDS)
UPDATE = f"UPDATE sources SET {', '.join(f + ' = ?' for f in FIELDS[1:])} WHERE id = ?"
INSERT_AT = f"INSERT INTO sources (pos, {', '.join(FIELDS)}) VALUES (?{',?' * len(FIELDS)})"
INSERT = f"INSERT INTO sources ({', '.join(FIELDS)}) VALUES ({','.join('?' * len(FIELDS))})"



def to_row(r: SourceRecord) -> tuple:
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


def from_row(row: Sequence, text: str | None = "") -> SourceRecord:
    (sid, title, publisher, published, url, path, byline, sha, state, n, contacts, furniture, corrects, extra,
     indexed_at, fp) = row[:16]
    return SourceRecord(sid, title or "", publisher or "", published or "", url or "", path or "", byline or "",
                        sha or "", state or "", int(n or 0), _decode(contacts, list), _decode(furniture, list),
                        _decode(corrects, list), _decode(extra, dict), indexed_at or "", fp or "", text or "")


def present_ids(db: sqlite3.Connection, ids: Sequence[str], *, with_text: bool = False) -> set[str]:
    """Which of `ids` have a row (`with_text`: and the text of that row's version)."""
    sql = ("SELECT s.id FROM sources s JOIN texts t ON t.id = s.id AND t.sha256 = s.sha256 WHERE s.id IN ({})"
           if with_text else "SELECT id FROM sources WHERE id IN ({})")
    out: set[str] = set()
    for a in range(0, len(ids), 500):
        chunk = list(ids[a:a + 500])
        out.update(r[0] for r in db.execute(sql.format(",".join("?" * len(chunk))), chunk))
    return out
