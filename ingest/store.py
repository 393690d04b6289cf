"""Chroma storage: sentences with their vectors, sources (the manifest) and correction links.

Three parts: the Chroma gateway (`ingest.gateway`: connection, batching, errors mapped once), the
manifest (`ingest.manifest`: source states, journal, generation, model identity, schema version)
and the term counts (`ingest.termcounts`). `Store` is the gateway plus sentences and correction
links, and offers the manifest's and term counts' operations under their long-standing names.

Everything lives in Chroma — including the manifest — so an embedded folder and a shared
Chroma server behave the same, and several bot processes can share one server.

Write order, for crash safety: a run that writes first opens a journal record; a source's
manifest record is marked `writing`, then its sentences are written, then the links, and the
record is marked `complete` with the new content hash last; the journal is closed at the end. A
removal marks the record `removing` before deleting sentences, and deletes the record last. So a
crash (even SIGKILL) leaves an open journal, and the next ingest or remove sweeps: `writing`
records are redone, `removing` ones finished, sentences without a manifest record deleted, and
links re-derived (see `ingest.plan.recover`).

Other processes (chat, Slack) keep a Chroma client open; an embedded Chroma client does not see
another process's vector writes, so every write bumps the generation record and readers reopen
when it changes (`Store.generation`, `Engine.ask`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .gateway import (  # noqa: F401  (re-exported: callers catch these from ingest.store)
    DiskFull, Gateway, IndexDamaged, IndexMissing, ModelMismatch, StoreError, StoreUnavailable, chunks,
    disk_error_text, is_disk_full,
)
from .manifest import Manifest, Reserved
from .mirrorhooks import follows_store
from .records import TEXT_KEY, CorrectionLink, Sentence, Source, SourceRecord, StoredSentence, sentence_id, stored_text
from .records import link_from_meta as _link_from_meta, link_meta as _link_meta  # noqa: F401  (re-exported)
from .rowcache import SentenceRows
from .settings import Settings
from .termcounts import TermCounts, document_frequencies  # noqa: F401  (re-exported)
from .textscan import TextIndex, first_rows, from_chroma, from_mirror

log = logging.getLogger(__name__)


@follows_store  # every sentence and link write repeated in the one-shot reader's mirror (ingest.mirror)
class Store(Gateway):
    """The gateway with sentences and links; the manifest and term counts as parts."""

    def __init__(self, settings: Settings, *, create: bool = False, fresh: bool = False,
                 folder: str = "chroma") -> None:
        super().__init__(settings, create=create, fresh=fresh, folder=folder)
        self.terms = TermCounts(self)
        self.manifest = Manifest(self, self.terms)
        self.rows: SentenceRows | None = None  # a warm bot's copy of the rows (`ingest.rowcache`)
        self._texts: tuple[str, TextIndex] | None = None  # every row's text, for one generation

    # -- the manifest and term counts, under the names callers use ------------------------------
    def model_info(self) -> tuple[str, int] | None:
        return self.manifest.model_info()

    def check_model(self, identity: str, dim: int | None = None, *, record: bool = False) -> None:
        self.manifest.check_model(identity, dim, record=record)

    def source_records(self) -> dict[str, SourceRecord]:
        return self.manifest.records()

    def get_sources(self, ids: Sequence[str]) -> dict[str, SourceRecord]:
        return self.manifest.get(ids)

    def source_titles(self) -> dict[str, str]:
        return self.manifest.titles()

    def mark_sources(self, items: Sequence[tuple[Source, int]], state: str,
                     fingerprints: Mapping[str, str] | None = None) -> None:
        self.manifest.mark(items, state, fingerprints)

    def mark_source(self, source: Source, state: str, n_sentences: int) -> None:
        self.manifest.mark([(source, n_sentences)], state)

    def set_state(self, source_id: str, state: str) -> None:
        self.manifest.set_state(source_id, state)

    def delete_source(self, source_id: str) -> None:
        self._texts = None; self.manifest.delete(source_id)  # noqa: E702

    def journal_open(self) -> bool:
        return self.manifest.journal_open()

    def begin_journal(self, op: str) -> None:
        self.manifest.begin_journal(op)

    def end_journal(self) -> None:
        self.manifest.end_journal()

    def generation(self) -> str:
        return self.manifest.generation()

    def bump_generation(self, token: str | None = None) -> str:
        return self.manifest.bump_generation(token)

    def publish_generation(self) -> str:
        return self.manifest.publish_generation()

    def with_term_counts(self, source_ids: Sequence[str]) -> set[str]:
        return self.terms.have(source_ids)

    def term_counts(self, source_ids: Sequence[str]) -> dict[str, tuple[str, int, dict[str, int]]]:
        return self.terms.read(source_ids)

    def term_totals(self) -> tuple[str, int, dict[str, int]] | None:
        return self.terms.totals()

    # -- sentences ------------------------------------------------------------------------------
    def put_sentences_many(self, items: Sequence[tuple[Source, Sequence[Sentence], np.ndarray, Sequence[dict[str, Any]]]],
                           trim: Collection[str] | None = None) -> None:
        """`put_sentences` for many sources: upserts packed up to the server's batch limit across
        sources, then each source's stale tail (sentences beyond its new count) deleted — of the
        sources in `trim` only, when given (a new source has none: one delete per source was most
        of a fresh ingest's write time)."""
        rows = [StoredSentence.of(source, snt, **(extra[i] if extra else {}))
                for source, sentences, _, extra in items for i, snt in enumerate(sentences)]
        vecs = [np.asarray(v, dtype=np.float32).reshape(len(s), -1) for _, s, v, _ in items if len(s)]
        allv = np.vstack(vecs) if vecs else np.zeros((0, 1), dtype=np.float32)
        self._texts, server = None, self.settings.server_mode
        # The text as metadata, no document: Chroma indexes documents for full-text search (`ingest.textscan`);
        # a server (no mirror there) keeps it as the document (None drops the key), found by its own search.
        # The vectors go as float32 rows, not `tolist()`: Chroma turns a list of lists back into one
        # float32 array per row (the same values, stored and searched alike), and the round trip
        # through 3.8 M Python floats at 10k sentences cost ~0.2 s of the write's own thread.
        self.upsert(self.sentences, [r.id for r in rows], [r.text for r in rows] if server else None,
                    [{**r.metadata(), TEXT_KEY: None if server else r.text} for r in rows], allv)
        for source, sentences, _, _ in items:  # a source emptied by an edit only loses its old sentences
            if trim is not None and source.id not in trim:
                continue
            self._write(self.sentences.delete,
                        where={"$and": [{"source": source.id}, {"index": {"$gte": len(sentences)}}]})

    def put_sentences(self, source: Source, sentences: Sequence[Sentence], vectors: np.ndarray,
                      extra: Sequence[dict[str, Any]] | None = None) -> None:
        """Upsert a source's sentences (stable ids) and delete any beyond the new count."""
        self.put_sentences_many([(source, sentences, vectors, extra or [])])

    def incomplete(self, items: Sequence[tuple[str, int]]) -> set[str]:
        """Which of these (source id, sentence count) pairs lack some of their sentence records
        (ids only, in batches: a no-op re-ingest of 10k sources costs a few dozen reads)."""
        want = [(sid, sentence_id(sid, i)) for sid, n in items for i in range(n)]
        have = self.existing_ids(self.sentences, [w for _, w in want])
        return {sid for sid, w in want if w not in have}

    def sentence_pages(self, include: list[str], page: int = 0) -> Iterator[dict[str, Any]]:
        """Every sentence record (ids and `include`), a page at a time, for whole-index passes."""
        offset, page = 0, page or max(1000, self.max_batch)
        while True:
            yield (rec := self._call(self.sentences.get, include=include, limit=page, offset=offset))
            if len(rec["ids"]) < page:
                return
            offset += page

    def update_sentence_metadata(self, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        """Replace stored sentences' metadata (no new vectors: migrations recompute derived fields)."""
        self._texts = None
        self._write(self.sentences.update, ids=list(ids), metadatas=list(metadatas))

    def sentence_sources(self) -> dict[str, list[str]]:
        """Every sentence id, grouped by the source its metadata names (for the crash sweep)."""
        out: dict[str, list[str]] = {}
        for rec in self.sentence_pages(["metadatas"]):
            for sid, meta in zip(rec["ids"], rec["metadatas"]):
                out.setdefault(str((meta or {}).get("source", "")), []).append(sid)
        return out

    def delete_sentences(self, ids: Sequence[str]) -> None:
        self._texts = None; self.delete_ids(self.sentences, ids)  # noqa: E702

    def source_sentences(self, source_id: str, with_vectors: bool = False) -> list[StoredSentence]:
        rec = self._call(self.sentences.get, where={"source": source_id}, include=_include(with_vectors))
        return sorted(_rows(rec, with_vectors), key=lambda r: r.index)

    def get_sentences(self, ids: Sequence[str], with_vectors: bool = False) -> dict[str, StoredSentence]:
        held = self.rows.by_ids(ids) if self.rows is not None and not with_vectors and ids else None
        return held if held is not None else self._read_sentences(ids, with_vectors) if ids else {}

    def _read_sentences(self, ids: Sequence[str], with_vectors: bool) -> dict[str, StoredSentence]:
        # Chroma rejects a get with repeated ids (two links corrected by one sentence do that).
        rec = self._call(self.sentences.get, ids=list(dict.fromkeys(ids)), include=_include(with_vectors))
        return {row.id: row for row in _rows(rec, with_vectors)}

    def where_sentences(self, where: dict[str, Any], with_vectors: bool = False,
                        limit: int | None = None) -> list[StoredSentence]:
        rec = self._call(self.sentences.get, where=where, include=_include(with_vectors), limit=limit)
        return _rows(rec, with_vectors)

    def count(self) -> int:
        return int(self._call(self.sentences.count))

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None,
              among: Sequence[str] | None = None) -> list[StoredSentence]:
        """The `n` nearest sentences (with their vectors and cosine `distance`), nearest first,
        only among the ids `among` when given. With a warm copy of the rows (`self.rows`),
        Chroma returns ids, distances and vectors only."""
        # Chroma returns fewer than n (or none) on a small or empty collection: no count() first.
        rows = self.rows if self.rows is not None and self.rows.ready else None
        warm = rows is not None
        rec = self._call(self.sentences.query, query_embeddings=[vector.tolist()], n_results=n, where=where,
                         ids=list(among) if among is not None else None,
                         include=["distances", "embeddings"] + ([] if warm else ["metadatas", "documents"]))
        ids, dists, vecs = rec["ids"][0], rec["distances"][0], rec["embeddings"][0]
        if rows is not None:  # rows from the warm copy; one Chroma read for any it lacks
            return rows.hits(ids, dists, vecs, lambda lack: self._read_sentences(lack, False))
        docs, metas = rec["documents"][0], rec["metadatas"][0]
        # The vector index may still list a record another process just deleted (no metadata or text).
        return [StoredSentence.from_chroma(sid, docs[i], metas[i], np.asarray(vecs[i], dtype=np.float32),
                                           float(dists[i]))
                for i, sid in enumerate(ids) if stored_text(docs[i], metas[i]) is not None]

    def containing(self, needle: str, limit: int = 50, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        """The first `limit` sentences (with vectors), in storage order, whose text contains `needle`
        (case-sensitive, as Chroma's `$contains` did) and, when given, whose metadata matches `where`."""
        if self.settings.server_mode and (self.rows is None or self.rows.text_index() is None):  # no mirror there
            return _rows(self._call(self.sentences.get, where_document={"$contains": needle}, where=where,
                                    limit=limit, include=_include(True)), True)
        return first_rows(lambda ids: {i: r for i, r in self._read_sentences(ids, True).items() if needle in r.text},
                          self.text_index().find(needle), limit, where)  # a row rewritten since: checked again

    def text_index(self) -> TextIndex:
        """Every sentence's text in storage order (`ingest.textscan`): the warm rows' once ready, else read (from the
        mirror when in step, else Chroma) and kept for its generation until this process writes sentences."""
        if self.rows is not None and (held := self.rows.text_index()) is not None:
            self._texts = None
            return held
        gen = self.generation()
        if self._texts is not None and self._texts[0] == gen:
            return self._texts[1]
        texts = from_mirror(self) or from_chroma(self)
        self._texts = (gen, texts)  # also while warm rows fill: each search would read every row again
        return texts

    # -- correction links -----------------------------------------------------------------
    def all_links(self) -> list[CorrectionLink]:
        """Links shown as flags (not the editor's candidates)."""
        return [lk for lk in self.every_link() if lk.status != "candidate"]

    def every_link(self) -> list[CorrectionLink]:
        """Every link and candidate, in the store's order."""
        return list(map(_link_from_meta, self._call(self.links_col.get, include=["metadatas"])["metadatas"]))

    def candidate_links(self) -> list[CorrectionLink]:
        """Pairs the detector was unsure of, kept for an editor's review."""
        rec = self._call(self.links_col.get, where={"status": "candidate"}, include=["metadatas"])
        return [_link_from_meta(m) for m in rec["metadatas"]]

    def links_for_claims(self, claim_ids: Sequence[str]) -> dict[str, CorrectionLink]:
        # A shown link's id is its claim's sentence id (`CorrectionLink.id`; candidates are
        # "candidate:<claim>"): a read by id, ~5x cheaper than a `where` over every link's metadata.
        return {lk.claim: lk for lk in self.links_by_ids(claim_ids) if lk.status != "candidate"}

    def links_by_ids(self, link_ids: Sequence[str]) -> list[CorrectionLink]:
        """Links and candidates with these ids (`CorrectionLink.id`), read by id in batches."""
        if (held := self.rows.links_by_ids(link_ids) if self.rows is not None else None) is not None:
            return held
        ids = list(dict.fromkeys(link_ids))
        out: list[CorrectionLink] = []
        for a, b in chunks(len(ids), self.max_batch):
            out += map(_link_from_meta, self._call(self.links_col.get, ids=ids[a:b], include=["metadatas"])["metadatas"])
        return out

    def links_touching(self, source_ids: Sequence[str]) -> list[CorrectionLink]:
        """Links and candidates that depend on any of these sources (their `srcs` metadata, schema 5):
        what a change to them can affect, read without reading every link in the archive."""
        out: dict[str, CorrectionLink] = {}
        for a, b in chunks(len(source_ids), 50):
            terms = [{"srcs": {"$contains": sid}} for sid in source_ids[a:b]]
            rec = self._call(self.links_col.get, where=terms[0] if len(terms) == 1 else {"$or": terms},
                             include=["metadatas"])
            out |= {lk.id: lk for lk in map(_link_from_meta, rec["metadatas"])}
        return list(out.values())

    def has_editor_links(self) -> bool:
        """Whether any link comes from an editor's decision (a metadata lookup, no scan of texts)."""
        return bool(self._call(self.links_col.get, where={"origin": "editor"}, limit=1, include=[])["ids"])

    def put_links(self, links: Sequence[CorrectionLink]) -> None:
        self.upsert(self.links_col, [lk.id for lk in links], [lk.note for lk in links], [_link_meta(lk) for lk in links])

    def delete_links(self, link_ids: Sequence[str]) -> None:
        self.delete_ids(self.links_col, link_ids)


def _include(with_vectors: bool) -> list[str]:
    return ["metadatas", "documents"] + (["embeddings"] if with_vectors else [])


def _rows(rec: dict[str, Any], with_vectors: bool) -> list[StoredSentence]:
    """Chroma's column-wise get() result as one record per sentence (skipping a record another
    process deleted between the index lookup and the read)."""
    docs, metas = rec["documents"], rec["metadatas"]
    vecs = rec["embeddings"] if with_vectors else None
    return [StoredSentence.from_chroma(sid, docs[i], metas[i],
                                       np.asarray(vecs[i], dtype=np.float32) if vecs is not None else None)
            for i, sid in enumerate(rec["ids"]) if stored_text(docs[i], metas[i]) is not None]
