"""When the source catalog (`ingest.catalog`) may answer for Chroma, and how it is kept in step.

The catalog is trusted only while its stamp is the generation Chroma publishes and no run is
writing (the journal record is absent): both are one small read of two reserved records. A reader
that finds it outdated rebuilds it with one full read; a writer rewrites it after it publishes,
from the records it holds in memory. Everything here falls back to Chroma: a wrong catalog can
cost a read, never an answer.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import Catalog, catalog_path
from .fingerprint import RACY_NS
from .records import SourceRecord, stored_text

if TYPE_CHECKING:
    from .gateway import Gateway

_GENERATION, _JOURNAL = "__generation__", "__journal__"  # ingest.manifest.Reserved (no import cycle)


def chroma_records(gw: Gateway, *, with_texts: bool = False) -> tuple[dict[str, SourceRecord], dict[str, str]]:
    """Every source record as Chroma holds it (one full read), and their texts when asked: what
    the catalog is rebuilt from and what a reader uses when the catalog cannot be trusted."""
    include = ["metadatas", "documents"] if with_texts else ["metadatas"]
    rec = gw._call(gw.sources_col.get, where={"kind": "source"}, include=include)
    recs = {sid: SourceRecord.from_meta(sid, meta) for sid, meta in zip(rec["ids"], rec["metadatas"])}
    texts = {sid: stored_text(doc, meta) or ""
             for sid, doc, meta in zip(rec["ids"], rec["documents"], rec["metadatas"])} if with_texts else {}
    return recs, texts


class CatalogSync:
    """The catalog of one opened index and what this process last read of the index's state."""

    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        self.catalog = Catalog(catalog_path(gw.settings, gw.folder))
        self.seen: tuple[str, bool] | None = None  # (generation, a run writing) as last read
        self._key: tuple | None = None  # the embedded database files' stat before that read, when quiet
        # The records of one generation, when the catalog file cannot be written (read-only folder).
        self._memory: tuple[str, dict[str, SourceRecord], dict[str, str]] | None = None
        self._since: int | None = None  # a writer's: the catalog's epoch after `begin`, when it was in step

    def state(self) -> tuple[str, bool]:
        """The published generation and whether a run is writing (its journal open): one read. An
        index replaced under this client (a rebuild's swap) reads as a generation of its own."""
        if self.gw.replaced():
            self.seen = ("replaced", False)
            return self.seen
        began, key = time.time_ns(), self._files()
        if key is not None and key == self._key and self.seen is not None:
            return self.seen  # nothing wrote to the database since that read
        rec = self.gw._call(self.gw.sources_col.get, ids=[_GENERATION, _JOURNAL], include=["metadatas"])
        got = dict(zip(rec["ids"], rec["metadatas"]))
        self.seen = (str((got.get(_GENERATION) or {}).get("token", "")), _JOURNAL in got)
        quiet = key is not None and all(k is None or k[0] < began - RACY_NS for k in key)
        self._key = key if quiet else None
        return self.seen

    def _files(self) -> tuple | None:
        """The embedded index's database file (and write-ahead log) by mtime, size and inode; None
        on a server, or while a write transaction's journal exists. Every Chroma write goes through
        this file, and a read never touches it: while it is unchanged — and its last change was
        well before the last read (`RACY_NS`, the racily-clean window of source files) — the state read
        then still holds, so a question needs no read to know nobody re-indexed (~0.75 ms)."""
        if self.gw.settings.server_mode:
            return None
        db = Path(self.gw.settings.data_dir) / self.gw.folder / "chroma.sqlite3"
        out = []
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")):
            try:
                st = os.stat(p)
            except FileNotFoundError:
                out.append(None)
                continue
            except OSError:
                return None
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(out) if out[0] is not None and out[2] is None else None

    def closed(self) -> None:
        """This writer closed its journal."""
        if self.seen is not None:
            self.seen, self._key = (self.seen[0], False), None

    def view(self, ids: Sequence[str] | None, *, fresh: bool) -> dict[str, SourceRecord] | None:
        """Records from the catalog (`ids` with their text; None: every record, without), or None
        when it cannot be trusted — no generation, a run writing, an index replaced: the caller
        reads Chroma. `fresh`: read the state now; else trust the generation last read (a
        question reads it once, then reads only what it cites) unless the catalog moved on."""
        ready = self._ready(fresh)
        if ready is None:
            return None
        if ready is not True:
            recs, texts = ready
            if ids is None:
                return dict(recs)
            return {i: dataclasses.replace(recs[i], text=texts.get(i, "")) for i in ids if i in recs}
        return self.catalog.records() if ids is None else self.catalog.get(ids)

    def titles(self) -> dict[str, str] | None:
        """Every source's title (two columns of the catalog), or None as `view`."""
        ready = self._ready(False)
        if ready is None or ready is True:
            return self.catalog.titles() if ready else None
        return {sid: r.title for sid, r in ready[0].items()}

    def _ready(self, fresh: bool) -> bool | tuple[dict[str, SourceRecord], dict[str, str]] | None:
        """True when the catalog file may be read; the records in memory when it cannot be
        written; None when neither can be trusted. An outdated or missing catalog is rebuilt."""
        gen, busy = self.seen if not fresh and self.seen else self.state()
        if not fresh and self.catalog.stamp() != gen:
            gen, busy = self.state()
        if not gen or busy or gen == "replaced":
            return None
        if self._memory is not None and self._memory[0] == gen:
            return self._memory[1], self._memory[2]
        if self.catalog.stamp() == gen:
            return True
        mem = self._rebuild(gen)
        if mem is not None:
            return mem[1], mem[2]
        return True if self.catalog.stamp() == gen else None  # else a writer began meanwhile

    def _rebuild(self, gen: str) -> tuple[str, dict[str, SourceRecord], dict[str, str]] | None:
        """One full read of the records into the catalog; kept in memory instead when the file
        cannot be written (returned then)."""
        epoch = self.catalog.epoch()  # before the read: a writer beginning after it bumps it
        if self.state() != (gen, False):
            return None
        recs, texts = chroma_records(self.gw, with_texts=True)
        if self.catalog.write(gen, recs.values(), texts, epoch) or self.catalog.epoch() != epoch:
            self._memory = None
            return None
        self._memory = (gen, recs, texts)
        return self._memory

    def begin(self, generation: str) -> None:
        """A writer's first write: nobody may trust the catalog until it is rewritten. If it
        described `generation` ("" after a crashed run: never), the writer's records came from it,
        and `publish` may rewrite only the rows the run changed."""
        got = self.catalog.invalidate()
        self._since = got[0] if got is not None and generation and got[1] == generation else None

    def publish(self, token: str, records: Mapping[str, SourceRecord] | None, written: Mapping[str, str],
                changed: tuple[Collection[str], Collection[str]] | None = None) -> None:
        """After a writer published `token`: the catalog rewritten from `records` (every record,
        as this writer holds them; None: it does not, and the next reader rebuilds), the texts
        it wrote and the ones the catalog already holds — any other is read from Chroma.
        `changed`: the ids whose records the run changed and those it deleted (maybe re-added);
        with a catalog `begin` found in step, only their rows are rewritten (`Catalog.update`)."""
        self.seen, self._key = (token, True), None  # the journal closes next
        since, self._since = self._since, None
        if records is None:
            return
        if since is not None and changed is not None:
            ids, dropped = changed
            texts = self._texts([s for s in ids if s in records], written)
            if self.catalog.update(token, records, ids, dropped, texts, since):
                return
        missing = self.catalog.missing_texts(records)
        if missing is None:
            return
        self.catalog.write(token, records.values(), self._texts(missing, written))

    def _texts(self, ids: Sequence[str], written: Mapping[str, str]) -> dict[str, str]:
        """`written`, with the texts of `ids` it lacks read from Chroma."""
        texts = dict(written)
        need = [sid for sid in ids if sid not in texts]
        for a in range(0, len(need), self.gw.max_batch):
            rec = self.gw._call(self.gw.sources_col.get, ids=need[a:a + self.gw.max_batch],
                                include=["documents", "metadatas"])
            texts.update((sid, stored_text(d, m) or "")
                         for sid, d, m in zip(rec["ids"], rec["documents"], rec["metadatas"]))
        return texts
