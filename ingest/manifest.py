"""The manifest: what the index holds and in what state, kept in Chroma's sources collection.

One record per source (its metadata, cleaned text, `state`: writing | complete | removing, content
hash, sentence count), and a few reserved records, all named by `Reserved`: the embedding model
that built the index, the journal of a run in progress, the generation token readers compare,
the schema version (`ingest.migrations`), the writer lease (`ingest.lease`) and the term counts
(`ingest.termcounts`). It lives in Chroma, not a side file, so an embedded folder and a shared
server behave the same; `sources.json` in the data folder is a plain copy for `--rebuild`, and the
source catalog (`ingest.catalog`, kept in step by `ingest.catalogsync`) a local copy of the records
for reads by id, used only while it describes the generation Chroma publishes.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from .catalogsync import CatalogSync, chroma_records
from .dates import utc_now
from .gateway import IndexDamaged, ModelMismatch
from .records import TEXT_KEY, Source, SourceRecord, stored_text

if TYPE_CHECKING:
    from .gateway import Gateway
    from .termcounts import TermCounts


class Reserved(str, Enum):
    """Ids in the sources collection that are not sources (a source id cannot start with `_`)."""

    MODEL = "__model__"
    JOURNAL = "__journal__"
    GENERATION = "__generation__"
    SCHEMA = "__schema__"
    DETECTOR = "__detector__"  # the correction detector version the stored links and cues come from
    UPGRADE = "__upgrade__"  # the latest upgrade's record (`ingest.upgrades`), as JSON in its document
    LEASE = "__lease__"
    TERM_TOTALS = "__df_total__"
    TERM_COUNTS = "__df__"  # a prefix: one record per source, `__df__<source id>`


class Manifest:
    def __init__(self, gw: Gateway, terms: TermCounts) -> None:
        self.gw = gw
        self.terms = terms
        self._cache: dict[str, SourceRecord] | None = None
        self._caching = False
        self.sync = CatalogSync(gw)  # the source catalog: indexed reads (`ingest.catalog`)
        self._texts: dict[str, str] = {}  # texts this writer wrote, for the catalog it rewrites
        self._changed: dict[str, bool] = {}  # records this writer changed -> whether it deleted them once

    def cache_records(self, on: bool) -> None:
        """While the writer holds the lock, nobody else changes the records: read them once and
        keep them up to date as this process writes (planning, relinking, publishing and the
        sources list each read all of them: four reads of 100,000 records a run, before)."""
        self._caching, self._cache, self._texts, self._changed = on, None, {}, {}

    def _get(self, rid: Reserved, include: list[str] | None = None) -> dict[str, Any]:
        return self.gw._call(self.gw.sources_col.get, ids=[rid.value], include=include or ["metadatas"])

    def _put(self, rid: Reserved, meta: dict[str, Any], document: str = "") -> None:
        self.gw.upsert(self.gw.sources_col, [rid.value], [document], [meta])

    # -- model identity -------------------------------------------------------------------
    def model_info(self) -> tuple[str, int] | None:
        rec = self._get(Reserved.MODEL)
        if not rec["ids"]:
            return None
        m = rec["metadatas"][0]
        return str(m["model"]), int(m["dim"])

    def check_model(self, identity: str, dim: int | None = None, *, record: bool = False) -> None:
        """Vectors from two models must never share an index: refuse, and say how to fix it (here
        `--rebuild` is the remedy: a plain ingest cannot re-embed what is stored)."""
        info = self.model_info()
        if info is None:
            if record and dim is not None:
                self._put(Reserved.MODEL, {"model": identity, "dim": int(dim), "kind": "model"})
            return
        model, stored_dim = info
        if model != identity or (dim is not None and dim != stored_dim):
            raise ModelMismatch(
                f"the index at {self.gw.settings.index_location} was built with {model} ({stored_dim} dimensions), "
                f"but FACTDESK_EMBED_MODEL is {identity}: run `factdesk ingest --rebuild` to re-embed, "
                "or set the model back")

    # -- source records ----------------------------------------------------------------------
    def records(self) -> dict[str, SourceRecord]:
        """Every source's record (without text): from the catalog when it is in step, else Chroma."""
        if self._cache is not None:
            return dict(self._cache)
        out = self.sync.view(None, fresh=True)
        if out is None:
            out = chroma_records(self.gw)[0]
        if self._caching:
            self._cache = dict(out)
        return out

    def _cached(self, sid: str, meta: dict[str, Any] | None, text: str | None = None) -> None:
        self._changed[sid] = self._changed.get(sid, False) or meta is None
        if self._cache is not None:
            if meta is None:
                self._cache.pop(sid, None)
            else:
                self._cache[sid] = SourceRecord.from_meta(sid, meta)
        if meta is None or text is not None:
            self._texts.pop(sid, None)
            if text is not None:
                self._texts[sid] = text

    def get(self, ids: Sequence[str]) -> dict[str, SourceRecord]:
        """Records with their cleaned `text` (by id from the catalog when it is in step with the
        generation last read: a question reads the generation once, then only what it cites)."""
        if not ids:
            return {}
        out = self.sync.view(ids, fresh=False)
        if out is not None:
            return out
        rec = self.gw._call(self.gw.sources_col.get, ids=list(ids), include=["metadatas", "documents"])
        return {sid: SourceRecord.from_meta(sid, meta, stored_text(doc, meta) or "")
                for sid, meta, doc in zip(rec["ids"], rec["metadatas"], rec["documents"])}

    def mark(self, items: Sequence[tuple[Source, int]], state: str,
             fingerprints: Mapping[str, str] | None = None) -> None:
        """Set many sources' records in few upserts (every Chroma write has a fixed cost, ~30 ms
        embedded). A source becomes `complete` only after its term counts are stored, so a crash
        never leaves a complete source without them. `fingerprints`: of the files the sources were
        read from (`ingest.fingerprint`); a record marked without one loses its old one (Chroma
        merges metadata on upsert), so the next run parses that file again."""
        fps = fingerprints or {}
        metas = [{**_source_meta(src, state, n), "file_fp": fps.get(src.id, "")} for src, n in items]
        # The text as metadata, the document empty: Chroma indexes documents for full-text search,
        # and nothing searches sources (records written before hold the text as the document).
        rows = ([src.id for src, _ in items], [""] * len(items),
                [{**m, TEXT_KEY: src.text} for m, (src, _) in zip(metas, items)])
        if state == "complete":  # the counts first, in the same upsert (chunks keep the order)
            # A record this writer stored with the same text (marked `writing` this run) changes its
            # metadata only: Chroma merges it as an upsert would, without re-indexing the text's words.
            same = [k for k, (src, _) in enumerate(items) if self._texts.get(src.id) == src.text]
            other = sorted(set(range(len(items))) - set(same))
            self.terms.write(items, then=tuple([part[k] for k in other] for part in rows))  # type: ignore[arg-type]
            for a in range(0, len(same), self.gw.max_batch):
                chunk = same[a:a + self.gw.max_batch]
                self.gw._write(self.gw.sources_col.update, ids=[rows[0][k] for k in chunk], metadatas=[metas[k] for k in chunk])
        else:
            self.gw.upsert(self.gw.sources_col, *rows)
        for (src, _), meta in zip(items, metas):
            self._cached(src.id, meta, src.text)

    def set_fingerprints(self, fingerprints: Mapping[str, str]) -> None:
        """Record the file fingerprints of unchanged sources (an index built before fingerprints,
        or a file touched without a change): metadata only, the records are otherwise kept."""
        ids = list(fingerprints)
        for a in range(0, len(ids), self.gw.max_batch):
            chunk = ids[a:a + self.gw.max_batch]
            self.gw._write(self.gw.sources_col.update, ids=chunk, metadatas=[{"file_fp": fingerprints[i]} for i in chunk])
        for sid, fp in fingerprints.items():  # the content is the same: the catalog stays in step
            if self._cache is not None and sid in self._cache:
                self._cache[sid].fingerprint = fp
        self.sync.catalog.set_fingerprints(fingerprints)

    def set_state(self, source_id: str, state: str) -> None:
        """Change only a record's `state` (e.g. to `removing` before a delete)."""
        rec = self.gw._call(self.gw.sources_col.get, ids=[source_id], include=["metadatas", "documents"])
        if rec["ids"]:
            meta = {**rec["metadatas"][0], "state": state}
            self.gw._write(self.gw.sources_col.update, ids=[source_id], metadatas=[{"state": state}])  # keys merge
            self._cached(source_id, meta, stored_text(rec["documents"][0], meta) or "")

    def delete(self, source_id: str) -> None:
        """Record first says `removing`, then sentences go, then the record (and its term counts):
        a crash in between leaves a record the next run finishes deleting, never orphan sentences."""
        self.set_state(source_id, "removing")
        self.gw._write(self.gw.sentences.delete, where={"source": source_id})
        self.terms.forget(source_id)
        self.gw._write(self.gw.sources_col.delete, ids=[f"{Reserved.TERM_COUNTS.value}{source_id}", source_id])
        self._cached(source_id, None)

    def titles(self) -> dict[str, str]:
        """Every source's title (the select stage's headline lookups): two columns of the catalog."""
        got = self.sync.titles() if self._cache is None else None
        return got if got is not None else {sid: r.title for sid, r in self.records().items()}

    # -- journal, generation, schema ----------------------------------------------------------
    def journal_open(self) -> bool:
        """True when a run that wrote to this index did not finish (crashed or was killed)."""
        return bool(self._get(Reserved.JOURNAL)["ids"])

    def begin_journal(self, op: str) -> None:
        """Open the journal (the run's first write). A run that finds the published term totals in
        step with the index (no crashed run in between) updates them by what it changes, instead
        of re-reading every source's counts when it publishes."""
        crashed = self.journal_open()
        generation = self.generation()
        self.sync.begin("" if crashed else generation)  # before the first write: the catalog is not trusted
        if not crashed:
            self.terms.begin(generation, [s for s, r in self.records().items() if r.state == "complete"])
        self._put(Reserved.JOURNAL, {"kind": "journal", "op": op, "pid": os.getpid()})

    def end_journal(self) -> None:
        self.gw._write(self.gw.sources_col.delete, ids=[Reserved.JOURNAL.value])
        self.sync.closed()

    def generation(self) -> str:
        """A token that changes whenever sentences or sources change; readers compare it. An
        index replaced under this client (a rebuild's swap) reads as a generation of its own."""
        return self.sync.state()[0]

    def bump_generation(self, token: str | None = None) -> str:
        token = token or uuid.uuid4().hex
        self._put(Reserved.GENERATION, {"kind": "generation", "token": token})
        return token

    def publish_generation(self) -> str:
        """End of a run that changed the index: the summed term counts of every complete source
        under a new token, then that token made the generation. A reader that sees the token finds
        matching totals; a crash in between leaves totals for a token nobody has, so readers fall
        back to the per-source counts."""
        token = uuid.uuid4().hex
        done = {sid: r.sha256 for sid, r in self.records().items() if r.state == "complete"}
        # One upsert, totals first: the generation never names totals that are not there.
        self.terms.publish_totals(done, token, then=([Reserved.GENERATION.value], [""],
                                                     [{"kind": "generation", "token": token}]))
        self.sync.publish(token, self._cache, self._texts,
                          (list(self._changed), {s for s, gone in self._changed.items() if gone}))
        return token

    def schema_version(self) -> int:
        """The index's schema version; an index without the record is the baseline layout (1)."""
        return self._version(Reserved.SCHEMA, "schema version")

    def set_schema_version(self, version: int) -> None:
        self._put(Reserved.SCHEMA, {"kind": "schema", "version": int(version)})

    def detector_version(self) -> int:
        """The correction detector version the stored links were computed by (1: before it was recorded)."""
        return self._version(Reserved.DETECTOR, "correction detector version")

    def set_detector_version(self, version: int) -> None:
        self._put(Reserved.DETECTOR, {"kind": "detector", "version": int(version)})

    def _version(self, rid: Reserved, what: str) -> int:
        """A recorded version (1 when absent). A damaged record is refused in one line before
        anything is written: guessing could skip a migration, or mislabel the links' detector."""
        rec = self._get(rid)
        if not rec["ids"]:
            return 1
        value = (rec["metadatas"][0] or {}).get("version", 1)
        # isdecimal, not isdigit: isdigit admits "²", which int() refuses with a traceback
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdecimal():
            raise IndexDamaged(f"the index at {self.gw.settings.index_location} has an unreadable {what} "
                               f"({rid.value} = {str(value)[:40]!r}); nothing was changed: run "
                               "`factdesk ingest --rebuild` to rebuild it from its sources")
        return int(value)

    def last_upgrade(self) -> str | None:
        """The latest upgrade's record as stored (JSON; `ingest.upgrades` reads it), None if none."""
        rec = self._get(Reserved.UPGRADE, ["documents"])
        return (rec["documents"][0] or "") if rec["ids"] else None

    def set_last_upgrade(self, document: str) -> None:
        self._put(Reserved.UPGRADE, {"kind": "upgrade"}, document)


def _source_meta(source: Source, state: str, n_sentences: int) -> dict[str, Any]:
    return {
        "kind": "source", "state": state, "title": source.title, "publisher": source.publisher,
        "published": source.published, "url": source.url, "path": source.path,
        "byline": source.byline, "sha256": source.sha256, "sentences": int(n_sentences),
        "contacts": json.dumps(source.contacts), "furniture": json.dumps(source.furniture),
        "corrects": json.dumps(source.corrects), "extra": json.dumps(source.extra),
        # When this version of the source was written (UTC, to the second): `factdesk sources`,
        # `factdesk status` and the Slack App Home show it; records written before it lack it.
        "indexed_at": utc_now(),
    }
