"""Sentences by exact substring, found over texts this process holds, not Chroma's full-text index.

Why: a sentence's text used to be its Chroma document, and Chroma indexes every document for
full-text search (an FTS5 trigram index) — about 0.3 ms of every row's write, a third of Chroma's
write time — for one kind of read: the sentences whose text contains a string (a name, in relinking
and in retrieval). The text is now a metadata key (`records.TEXT_KEY`), and that read is answered
here with the same rows in the same order: a case-sensitive substring match (Python's `in`: exactly
what Chroma's `$contains` matched, tests/test_store_text.py) over every row in Chroma's storage
order (ascending offset id: the order a Chroma get returns whatever its filter), from the freshest
copy of the texts at hand — the warm bot's rows (`ingest.rowcache`), the writer's sentence mirror
while it follows every write, a reader's mirror stamped with the current generation, else one
paged read of every row.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .mirrorfile import SCHEMA, connect, read_meta, where_matches
from .records import StoredSentence, stored_text

if TYPE_CHECKING:
    from .store import Store

_SEP = "\x00"  # between texts: a needle without it never matches across two rows


class TextIndex:
    """Every sentence's text in storage order as one string, and where each starts: a needle's
    matches are a few `str.find` calls over it (one scan in C, milliseconds at 100k sentences),
    not a Python loop over the rows."""

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        self.ids: list[str] = []
        texts: list[str] = []
        for sid, text in rows:
            self.ids.append(sid)
            texts.append(text)
        self.starts: list[int] = []
        at = 0
        for t in texts:
            self.starts.append(at)
            at += len(t) + 1
        self._blob = _SEP.join(texts)

    def __len__(self) -> int:
        return len(self.ids)

    def _text(self, k: int) -> str:
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self._blob)
        return self._blob[self.starts[k]:end]

    def find(self, needle: str) -> list[str]:
        """Ids of the rows whose text contains `needle`, in storage order."""
        if not needle or _SEP in needle:
            return [sid for k, sid in enumerate(self.ids) if needle in self._text(k)]
        out: list[str] = []
        blob, starts, n = self._blob, self.starts, len(self.ids)
        pos = blob.find(needle)
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            out.append(self.ids[k])
            if k + 1 >= n:
                break
            pos = blob.find(needle, starts[k + 1])
        return out


def from_mirror(store: Store) -> TextIndex | None:
    """The texts from the index's sentence mirror, when it holds exactly what Chroma holds: the
    writer's own while it follows every write (no write in flight), or a file stamped with the
    generation Chroma publishes while no run is open; None otherwise (server mode, no mirror, a
    mirror not known to be in step)."""
    m = getattr(store, "mirror", None)
    if m is None or m.path is None or m.state == "off" or (m.state == "follow" and m._inflight):
        return None
    sql = "SELECT id, doc FROM sentences ORDER BY rowid"
    try:
        if m.state == "follow":
            return TextIndex(m._db().execute(sql))
        conn = connect(m.path, create=False)
        if conn is None:
            return None
        try:
            conn.execute("BEGIN")  # one snapshot: the stamp and the rows it describes
            meta = read_meta(conn)
            gen = meta.get("generation", "")
            if not gen or meta.get("schema") != SCHEMA or gen != store.generation() or store.journal_open():
                return None
            return TextIndex(conn.execute(sql))
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None


def from_chroma(store: Store) -> TextIndex:
    """Every row's text read from Chroma, a page at a time (a full pass: the last resort)."""
    def rows() -> Iterable[tuple[str, str]]:
        for rec in store.sentence_pages(["metadatas", "documents"]):
            for sid, doc, meta in zip(rec["ids"], rec["documents"], rec["metadatas"]):
                if (text := stored_text(doc, meta)) is not None:
                    yield sid, text
    return TextIndex(rows())


def first_rows(read: Callable[[list[str]], dict[str, StoredSentence]], ids: Sequence[str], limit: int,
               where: dict[str, Any] | None = None) -> list[StoredSentence]:
    """The first `limit` of these rows (`read` by id) whose metadata matches `where`, in the ids' order
    (what a Chroma get with `where` and `limit` returned); a row gone since is skipped, as Chroma skips it."""
    out: list[StoredSentence] = []
    step = max(1, limit if where is None else max(limit, 1000))
    for a in range(0, len(ids), step):
        if len(out) >= limit:
            break
        part = list(ids[a:a + step])
        got = read(part)
        out += [got[i] for i in part if i in got and where_matches(got[i].metadata(), where)]
    return out[:limit]
