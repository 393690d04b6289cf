"""`follows_store`: the hooks that repeat `Store`'s sentence and link writes in the mirror.

The store stays the one place that writes (`ingest.store`); this wraps its write methods so that
each is repeated in the sentence mirror (`ingest.mirror`) after Chroma accepted it — nothing to
remember at the call sites, and the mirror's bookkeeping in modules of its own.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .mirror import Mirror
from .records import StoredSentence



def follows_store(cls: type) -> type:
    """Wrap `Store`'s writes so the mirror repeats each one after Chroma accepted it (and stops
    following when Chroma refused it: a partial batch may have landed)."""

    init = cls.__init__

    @functools.wraps(init)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.mirror = Mirror(self.settings, self.folder)
    cls.__init__ = __init__

    def repeat(name: str, apply: Callable[..., None]) -> None:
        original = getattr(cls, name)

        @functools.wraps(original)
        def wrapper(self, *args: Any, **kwargs: Any) -> Any:
            if args and not isinstance(args[0], str) and not len(args[0]):
                return original(self, *args, **kwargs)  # nothing to write: the mirror stays trusted
            following = self.mirror.before_write(self)
            if following:  # cleared only once the mirror committed the same write: stamp refuses meanwhile
                self.mirror._inflight = True
            try:
                out = original(self, *args, **kwargs)
            except BaseException:
                self.mirror.state = "off" if following else self.mirror.state
                raise
            if following:
                self.mirror.apply(lambda db: apply(self.mirror, db, *args, **kwargs))
            return out
        setattr(cls, name, wrapper)

    def put_many(m: Mirror, db: sqlite3.Connection, items: Sequence, trim: Any = None) -> None:
        rows = [StoredSentence.of(src, snt, **(extra[i] if extra else {}))
                for src, sentences, _, extra in items for i, snt in enumerate(sentences)]
        vecs = [np.asarray(v, dtype=np.float32).reshape(len(s), -1) for _, s, v, _ in items if len(s)]
        if rows:
            m.put_sentences(db, rows, np.vstack(vecs))
        for src, sentences, _, _ in items:
            if trim is None or src.id in trim:
                m.delete_sentences(db, "source = ? AND idx >= ?", (src.id, len(sentences)))

    repeat("put_sentences_many", put_many)
    repeat("update_sentence_metadata", lambda m, db, ids, metas: m.update_metadata(db, list(ids), list(metas)))
    repeat("delete_sentences", lambda m, db, ids: m.delete_ids(db, "sentences", list(ids)))
    repeat("delete_source", lambda m, db, sid: m.delete_sentences(db, "source = ?", (sid,)))
    repeat("put_links", lambda m, db, links: m.put_links(
        db, [lk.id for lk in links], [lk.note for lk in links], [_link_meta(lk) for lk in links]))
    repeat("delete_links", lambda m, db, ids: m.delete_ids(db, "links", list(ids)))

    def stamps(name: str, when: Callable[[Mirror], bool]) -> None:
        original = getattr(cls, name)

        @functools.wraps(original)
        def wrapper(self, *args: Any, **kwargs: Any) -> str:
            token = original(self, *args, **kwargs)
            if when(self.mirror):
                self.mirror.stamp(self, token)
            return token
        setattr(cls, name, wrapper)

    stamps("publish_generation", lambda m: True)
    stamps("bump_generation", lambda m: not m.in_journal)  # mid-run bumps: more writes follow
    for name, flag in (("begin_journal", True), ("end_journal", False)):
        original = getattr(cls, name)
        setattr(cls, name, functools.wraps(original)(
            lambda self, *a, _o=original, _f=flag, **k: (setattr(self.mirror, "in_journal", _f), _o(self, *a, **k))[1]))
    return cls


def _link_meta(lk: Any) -> dict[str, Any]:
    from .store import _link_meta as meta  # the store's own encoding of a link

    return meta(lk)
