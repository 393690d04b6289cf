"""A warm bot's copy of every sentence row (text and metadata, no vectors), one generation at a time.

Why: at 100k sentences a warm question spent ~7 ms in Chroma's vector query, and most of that was
Chroma reading the text and metadata of the 40 rows it returns (~60 µs a row), not the search
(~1.5 ms). A long-lived bot (chat, Slack) reads every row once in a background thread and then
asks Chroma for ids, distances and vectors only, taking text and metadata from here; the reads of
neighbouring sentences and cited rows by id, and the correction links of cited claims, are served
from here too. One-shot commands (`ask`,
`eval`, ingest) never build it.

Answers stay the same by construction: a row here is the row Chroma held for this generation
(every write bumps the generation, and a changed generation drops the copy and starts a new
read), reads by id come back in Chroma's own order (its storage order, which the fill records),
and a row the vector search returns that the copy lacks (written after the fill), or any read
while the copy is not ready, goes to Chroma as before. Memory: tens of MB per 100k sentences
(vectors stay in Chroma's HNSW index).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .records import CorrectionLink, StoredSentence, stored_text
from .textscan import TextIndex

if TYPE_CHECKING:  # the store imports this module
    from .store import Store

log = logging.getLogger(__name__)

PAGE = 1000  # rows per Chroma read while filling (~80 ms each at 100k: a question waits at most that)


class SentenceRows:
    """Every sentence row of one generation, keyed by id, with its place in Chroma's order.
    `attach` (each question) starts a fill when the generation changed; reads use it only once
    the fill is complete (`ready`)."""

    def __init__(self, page: int = PAGE) -> None:
        self.page = page
        self.generation: str | None = None
        # (rows by id, every link and candidate by link id), each with its place in Chroma's order;
        # None until a fill completes. Replaced whole, so a reader never sees half of a change.
        self._held: tuple[dict[str, tuple[int, StoredSentence]], dict[str, tuple[int, CorrectionLink]]] | None = None
        self._texts: TextIndex | None = None  # every held row's text, set with `_held`
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.fills = 0  # how many fills finished (tests read it)

    def attach(self, store: Store, generation: str | None) -> None:
        """Make `store`'s reads use this copy, and (re)fill it when `generation` is not the one it
        holds. Cheap when nothing changed."""
        store.rows = self
        if generation is None:
            return
        with self._lock:
            if generation == self.generation:
                return
            self._held, self._texts, self.generation = None, None, generation
            t = threading.Thread(target=self._fill, args=(store, generation), name="factdesk-rows", daemon=True)
            self._thread = t
        t.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current fill has ended (benchmarks, tests); True when the copy is ready."""
        t = self._thread
        if t is not None:
            t.join(timeout)
        return self._held is not None

    @property
    def ready(self) -> bool:
        return self._held is not None

    def _fill(self, store: Store, generation: str) -> None:
        rows: dict[str, tuple[int, StoredSentence]] = {}
        same: dict[str, str] = {}  # one string object per distinct source id, date and hash
        try:
            pos = 0
            for k, rec in enumerate(store.sentence_pages(["documents", "metadatas"], page=self.page)):
                if self.generation != generation:
                    return  # superseded: a newer fill runs
                if k % 10 == 9:
                    _trim()
                for sid, doc, meta in zip(rec["ids"], rec["documents"], rec["metadatas"]):
                    if stored_text(doc, meta) is not None:
                        row = StoredSentence.from_chroma(sid, doc, meta)
                        row.source = same.setdefault(row.source, row.source)
                        row.published = same.setdefault(row.published, row.published)
                        if row.sha is not None:
                            row.sha = same.setdefault(row.sha, row.sha)
                        rows[sid] = (pos, row)
                    pos += 1
            links = {lk.id: (k, lk) for k, lk in enumerate(store.every_link())}
            # The texts in storage order, for searches by substring (`ingest.textscan`).
            texts = TextIndex((sid, row.text) for sid, (_, row) in sorted(rows.items(), key=lambda kv: kv[1][0]))
        except Exception as e:  # the copy is an optimisation: reads keep going to Chroma
            log.info("sentence rows not cached (%s: %s)", type(e).__name__, e)
            return
        with self._lock:
            if self.generation == generation:
                self._held, self._texts = (rows, links), texts
                self.fills += 1
        _trim()


    def __len__(self) -> int:
        held = self._held
        return len(held[0]) if held is not None else 0

    def split(self, ids: Sequence[str]) -> tuple[dict[str, tuple[int, StoredSentence]], list[str]] | None:
        """(the rows held for these ids, the ids not held), or None when the copy is not ready."""
        if (held := self._held) is None:
            return None
        rows = held[0]
        have = {sid: rows[sid] for sid in ids if sid in rows}
        return have, [sid for sid in ids if sid not in have]

    def hits(self, ids: Sequence[str], distances: Sequence[float], vectors: Sequence[Any],
             read: Callable[[list[str]], dict[str, StoredSentence]]) -> list[StoredSentence]:
        """A vector query's result (ids, distances, vectors from Chroma) as rows, nearest first: the
        held rows, and `read` for ids the copy lacks (written after the fill); an id neither has (a
        record deleted meanwhile) is left out, as before."""
        got = self.split(ids)  # None if a new fill began since the caller looked
        held = {sid: row for sid, (_, row) in got[0].items()} if got else {}
        missing = [sid for sid in ids if sid not in held]
        held |= read(missing) if missing else {}
        # A new record per hit (the held one is shared); `dataclasses.replace` cost ~20 µs a row.
        return [StoredSentence(id=r.id, source=r.source, index=r.index, start=r.start, end=r.end, text=r.text,
                               published=r.published, sha=r.sha, cue=r.cue,
                               vector=np.asarray(vectors[i], dtype=np.float32), distance=float(distances[i]))
                for i, sid in enumerate(ids) if (r := held.get(sid)) is not None]

    def by_ids(self, ids: Sequence[str]) -> dict[str, StoredSentence] | None:
        """Rows by id in Chroma's order (a get by ids returns them in its storage order), or None
        when the copy is not ready. An id the copy lacks did not exist when this generation was
        read (a neighbour past a source's end): left out, as Chroma leaves it out."""
        got = self.split(list(dict.fromkeys(ids)))
        if got is None:
            return None
        return {sid: row for sid, (_, row) in sorted(got[0].items(), key=lambda kv: kv[1][0])}

    def text_index(self) -> TextIndex | None:
        """Every held row's text in Chroma's order, or None when the copy is not ready."""
        return self._texts if self._held is not None else None

    def links_by_ids(self, ids: Sequence[str]) -> list[CorrectionLink] | None:
        """Links and candidates by id, in Chroma's order (copies: callers may change them), or None
        when the copy is not ready."""
        if (held := self._held) is None:
            return None
        links = held[1]
        held = sorted((links[i] for i in dict.fromkeys(ids) if i in links), key=lambda kv: kv[0])
        return [dataclasses.replace(lk) for _, lk in held]


def _trim() -> None:
    """Hand the pages freed by the fill's reads back to the OS (glibc keeps them otherwise: +60 MB
    of resident memory at 100k sentences for nothing)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


__all__ = ["SentenceRows"]
