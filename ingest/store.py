"""Chroma storage: sentences with their vectors, sources (the manifest) and correction links.

Everything lives in Chroma — including the manifest — so an embedded folder and a shared
Chroma server behave the same, and several bot processes can share one server.

Write order, for crash safety: a run that writes first opens a journal record (`__journal__`);
a source's manifest record is marked `writing`, then its sentences are written, then the links,
and the record is marked `complete` with the new content hash last; the journal is closed at
the end. A removal marks the record `removing` before deleting sentences, and deletes the record
last. So a crash (even SIGKILL) leaves an open journal, and the next ingest or remove sweeps:
`writing` records are redone, `removing` ones finished, sentences without a manifest record
deleted, and links re-derived (see `ingest.pipeline.Indexer._recover`).

Other processes (chat, Slack) keep a Chroma client open; an embedded Chroma client does not see
another process's vector writes, so every write bumps a `__generation__` record and readers
reopen when it changes (`Store.generation`, `Engine.ask`).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .records import CorrectionLink, Sentence, Source
from .settings import Settings
from .split import split_spans
from .terms import content_terms

log = logging.getLogger(__name__)
SCHEMA = 1


class StoreError(Exception):
    """The index cannot be used; the message tells the user what to do."""


class IndexMissing(StoreError):
    pass


class IndexDamaged(StoreError):
    pass


class ModelMismatch(StoreError):
    pass


class StoreUnavailable(StoreError):
    pass


def _refusing_embedding_function():
    """Chroma's default embedding function downloads a model; factdesk always passes its own
    vectors, and this makes any slip an immediate, explicit error instead of a download."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class RefuseToEmbed(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("factdesk passes its own vectors: Chroma must never embed")

        @staticmethod
        def name() -> str:
            return "factdesk-refuse"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> RefuseToEmbed:
            return RefuseToEmbed()

    return RefuseToEmbed()


def _is_connection_error(e: Exception) -> bool:
    text = f"{type(e).__name__} {e}".lower()
    return any(k in text for k in ("connect", "connection", "timed out", "timeout", "unreachable", "refused"))


def _chunks(n: int, size: int) -> Iterable[tuple[int, int]]:
    for i in range(0, n, size):
        yield i, min(n, i + size)


_DUMMY = [1.0]  # sources and links need no similarity search; Chroma still wants a vector


class Store:
    """A thin, typed layer over three Chroma collections."""

    def __init__(self, settings: Settings, *, create: bool = False, fresh: bool = False) -> None:
        """`fresh`: do not reuse this process's cached embedded client (see `_connect`)."""
        self.settings = settings
        self._ef = _refusing_embedding_function()
        self.client = self._connect(create, fresh)
        p = settings.collection_prefix
        self.names = {"sentences": f"{p}_sentences", "sources": f"{p}_sources", "links": f"{p}_links"}
        self._cols: dict[str, Any] = {}
        self._open(create)
        try:
            self.max_batch = max(1, int(self.client.get_max_batch_size()))
        except Exception:
            self.max_batch = 1000

    # -- connection -------------------------------------------------------------------
    def _connect(self, create: bool, fresh: bool = False):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from chromadb.api.shared_system_client import SharedSystemClient

        s = self.settings
        cs = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if s.server_mode:
            headers = {"Authorization": f"Bearer {s.chroma_auth_token}"} if s.chroma_auth_token else None
            try:
                return chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, ssl=s.chroma_ssl,
                                           headers=headers, settings=cs)
            except Exception as e:
                raise StoreUnavailable(
                    f"cannot reach the Chroma server at {s.chroma_host}:{s.chroma_port} ({type(e).__name__}); "
                    "is `chroma run` up?") from None
        path = Path(s.data_dir) / "chroma"
        if not create and not (path / "chroma.sqlite3").exists():
            raise IndexMissing(f"no index at {s.data_dir}: run `factdesk ingest` first")
        path.mkdir(parents=True, exist_ok=True)
        # chromadb caches one client system per folder and process, and that system's vector
        # index never sees another process's writes. For a fresh view, drop the cached one
        # (without stopping it: older Store objects may still use it) and read what is on disk.
        if fresh:
            SharedSystemClient._identifier_to_system.pop(str(path), None)
        try:
            return chromadb.PersistentClient(path=str(path), settings=cs)
        except Exception as e:
            raise IndexDamaged(
                f"the index at {s.data_dir} is damaged ({type(e).__name__}): run `factdesk ingest --rebuild`"
            ) from None

    def _open(self, create: bool) -> None:
        try:
            for key, name in self.names.items():
                if create:
                    meta = {"hnsw:space": "cosine", "factdesk_schema": SCHEMA}
                    self._cols[key] = self.client.get_or_create_collection(
                        name, embedding_function=self._ef, metadata=meta)
                else:
                    self._cols[key] = self.client.get_collection(name, embedding_function=self._ef)
        except Exception as e:
            self._raise(e, missing_ok=not create)

    def _raise(self, e: Exception, missing_ok: bool = False):
        s = self.settings
        if isinstance(e, StoreError):
            raise e
        if s.server_mode and _is_connection_error(e):
            raise StoreUnavailable(
                f"the Chroma server at {s.chroma_host}:{s.chroma_port} is not answering; "
                "factdesk will retry on the next question") from None
        if missing_ok and ("does not exist" in str(e) or "not found" in str(e).lower()):
            raise IndexMissing(f"no index at {s.index_location}: run `factdesk ingest` first") from None
        raise IndexDamaged(
            f"the index at {s.index_location} is damaged ({type(e).__name__}: {str(e)[:120]}): "
            "run `factdesk ingest --rebuild`") from None

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            self._raise(e)

    @property
    def sentences(self):
        return self._cols["sentences"]

    @property
    def sources_col(self):
        return self._cols["sources"]

    @property
    def links_col(self):
        return self._cols["links"]

    # -- model identity ---------------------------------------------------------------
    def model_info(self) -> tuple[str, int] | None:
        rec = self._call(self.sources_col.get, ids=["__model__"], include=["metadatas"])
        if not rec["ids"]:
            return None
        m = rec["metadatas"][0]
        return str(m["model"]), int(m["dim"])

    def check_model(self, identity: str, dim: int | None = None, *, record: bool = False) -> None:
        """Vectors from two models must never share an index: refuse, and say how to fix it."""
        info = self.model_info()
        if info is None:
            if record and dim is not None:
                self._call(self.sources_col.upsert, ids=["__model__"], embeddings=[_DUMMY],
                           metadatas=[{"model": identity, "dim": int(dim), "kind": "model"}],
                           documents=[""])
            return
        model, stored_dim = info
        if model != identity or (dim is not None and dim != stored_dim):
            raise ModelMismatch(
                f"the index at {self.settings.index_location} was built with {model} ({stored_dim} dimensions), "
                f"but FACTDESK_EMBED_MODEL is {identity}: run `factdesk ingest --rebuild` to re-embed, "
                "or set the model back")

    # -- sources (the manifest) ---------------------------------------------------------
    def source_records(self) -> dict[str, dict[str, Any]]:
        rec = self._call(self.sources_col.get, where={"kind": "source"}, include=["metadatas"])
        out = {}
        for sid, meta in zip(rec["ids"], rec["metadatas"]):
            out[sid] = _decode_meta(meta)
        return out

    def get_sources(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Records with their cleaned `text`."""
        if not ids:
            return {}
        rec = self._call(self.sources_col.get, ids=list(ids), include=["metadatas", "documents"])
        out = {}
        for sid, meta, doc in zip(rec["ids"], rec["metadatas"], rec["documents"]):
            d = _decode_meta(meta)
            d["text"] = doc or ""
            out[sid] = d
        return out

    def mark_source(self, source: Source, state: str, n_sentences: int) -> None:
        self.mark_sources([(source, n_sentences)], state)

    def mark_sources(self, items: Sequence[tuple[Source, int]], state: str) -> None:
        """`mark_source` for many sources in few upserts: every Chroma write has a fixed cost
        (~30 ms embedded), which per source capped ingest of short articles below the embedder."""
        for a, b in _chunks(len(items), self.max_batch):
            chunk = items[a:b]
            if state == "complete":
                # Term counts for the answer engine's word weights, so a bot starting on a large
                # archive reads one small record per source instead of every sentence. Written
                # before the record says `complete`, so a crash never leaves a source without them.
                self._call(self.sources_col.upsert, ids=[_df_id(src.id) for src, _ in chunk],
                           embeddings=[_DUMMY] * len(chunk),
                           metadatas=[{"kind": "df", "source": src.id, "sha256": src.sha256, "sentences": int(n)}
                                      for src, n in chunk],
                           documents=[json.dumps(document_frequencies(src.text)) for src, _ in chunk])
            self._call(self.sources_col.upsert, ids=[src.id for src, _ in chunk], embeddings=[_DUMMY] * len(chunk),
                       metadatas=[_source_meta(src, state, n) for src, n in chunk],
                       documents=[src.text for src, _ in chunk])

    def put_sentences_many(self, items: Sequence[tuple[Source, Sequence[Sentence], np.ndarray, Sequence[dict[str, Any]]]]) -> None:
        """`put_sentences` for many sources: upserts packed up to the server's batch limit across
        sources, then each source's stale tail (sentences beyond its new count) deleted."""
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        vecs: list[np.ndarray] = []
        for source, sentences, vectors, extra in items:
            for i, snt in enumerate(sentences):
                ids.append(snt.id)
                docs.append(snt.text)
                metas.append({"source": snt.source, "index": snt.index, "start": snt.start, "end": snt.end,
                              "published": source.published, "sha": source.sha256, **(extra[i] if extra else {})})
            if len(sentences):  # a source emptied by an edit only loses its old sentences
                vecs.append(np.asarray(vectors, dtype=np.float32).reshape(len(sentences), -1))
        allv = np.vstack(vecs) if vecs else np.zeros((0, 1), dtype=np.float32)
        for a, b in _chunks(len(ids), self.max_batch):
            self._call(self.sentences.upsert, ids=ids[a:b], embeddings=allv[a:b].tolist(), documents=docs[a:b],
                       metadatas=metas[a:b])
        for source, sentences, _, _ in items:
            self._call(self.sentences.delete,
                       where={"$and": [{"source": source.id}, {"index": {"$gte": len(sentences)}}]})

    def set_state(self, source_id: str, state: str) -> None:
        """Change only a manifest record's `state` (e.g. to `removing` before a delete)."""
        rec = self._call(self.sources_col.get, ids=[source_id], include=["metadatas", "documents"])
        if not rec["ids"]:
            return
        meta = dict(rec["metadatas"][0])
        meta["state"] = state
        self._call(self.sources_col.upsert, ids=[source_id], embeddings=[_DUMMY], metadatas=[meta],
                   documents=[rec["documents"][0] or ""])

    def delete_source(self, source_id: str) -> None:
        """Record first says `removing`, then sentences go, then the record: a crash in between
        leaves a record the next run knows to finish deleting, never sentences without one."""
        self.set_state(source_id, "removing")
        self._call(self.sentences.delete, where={"source": source_id})
        self._call(self.sources_col.delete, ids=[_df_id(source_id), source_id])

    def with_term_counts(self, source_ids: Sequence[str]) -> set[str]:
        """Which of these sources already have term counts stored (ids only: cheap)."""
        have: set[str] = set()
        ids = list(source_ids)
        for a, b in _chunks(len(ids), self.max_batch):
            rec = self._call(self.sources_col.get, ids=[_df_id(s) for s in ids[a:b]], include=[])
            have.update(i[len("__df__"):] for i in rec["ids"])
        return have

    def term_counts(self, source_ids: Sequence[str]) -> dict[str, tuple[str, int, dict[str, int]]]:
        """Stored term document-frequencies: source id → (content hash they were made from,
        sentence count, counts). Sources indexed before these existed are simply absent."""
        if not source_ids:
            return {}
        rec = self._call(self.sources_col.get, ids=[_df_id(s) for s in source_ids], include=["metadatas", "documents"])
        out = {}
        for meta, doc in zip(rec["metadatas"], rec["documents"]):
            try:
                out[meta["source"]] = (meta.get("sha256", ""), int(meta.get("sentences", 0)), json.loads(doc or "{}"))
            except (ValueError, KeyError):
                continue
        return out

    # -- journal and generation ---------------------------------------------------------------
    def journal_open(self) -> bool:
        """True when a run that wrote to this index did not finish (crashed or was killed)."""
        rec = self._call(self.sources_col.get, ids=["__journal__"], include=["metadatas"])
        return bool(rec["ids"])

    def begin_journal(self, op: str) -> None:
        import os

        self._call(self.sources_col.upsert, ids=["__journal__"], embeddings=[_DUMMY], documents=[""],
                   metadatas=[{"kind": "journal", "op": op, "pid": os.getpid()}])

    def end_journal(self) -> None:
        self._call(self.sources_col.delete, ids=["__journal__"])

    def generation(self) -> str:
        """A token that changes whenever sentences or sources change; readers compare it."""
        rec = self._call(self.sources_col.get, ids=["__generation__"], include=["metadatas"])
        return str(rec["metadatas"][0].get("token", "")) if rec["ids"] else ""

    def bump_generation(self, token: str | None = None) -> str:
        import uuid

        token = token or uuid.uuid4().hex
        self._call(self.sources_col.upsert, ids=["__generation__"], embeddings=[_DUMMY], documents=[""],
                   metadatas=[{"kind": "generation", "token": token}])
        return token

    def publish_generation(self) -> str:
        """End of a run that changed the index: store the summed term counts of every complete
        source under a new token, then make that token the generation. A reader that sees the
        token finds matching totals — one read on a cold start instead of one per source; a crash
        in between leaves totals for a token nobody has, so readers fall back to the per-source
        counts."""
        import uuid

        token = uuid.uuid4().hex
        recs = self.source_records()
        done = {sid: r.get("sha256") for sid, r in recs.items() if r.get("state") == "complete"}
        total: Counter[str] = Counter()
        n = 0
        ids = list(done)
        for a, b in _chunks(len(ids), self.max_batch):
            for sid, (sha, count, counts) in self.term_counts(ids[a:b]).items():
                if done.get(sid) == sha:
                    total.update(counts)
                    n += count
        self._call(self.sources_col.upsert, ids=["__df_total__"], embeddings=[_DUMMY],
                   documents=[json.dumps(total)],
                   metadatas=[{"kind": "df_total", "generation": token, "sentences": n, "sources": len(done)}])
        return self.bump_generation(token)

    def term_totals(self) -> tuple[str, int, dict[str, int]] | None:
        """(generation they were made for, sentence count, document frequencies), if stored."""
        rec = self._call(self.sources_col.get, ids=["__df_total__"], include=["metadatas", "documents"])
        if not rec["ids"]:
            return None
        try:
            meta = rec["metadatas"][0]
            return str(meta.get("generation", "")), int(meta.get("sentences", 0)), json.loads(rec["documents"][0] or "{}")
        except (ValueError, TypeError):
            return None

    def sentence_sources(self) -> dict[str, list[str]]:
        """Every sentence id, grouped by the source its metadata names (for the crash sweep)."""
        out: dict[str, list[str]] = {}
        offset, page = 0, max(1000, self.max_batch)
        while True:
            rec = self._call(self.sentences.get, include=["metadatas"], limit=page, offset=offset)
            for sid, meta in zip(rec["ids"], rec["metadatas"]):
                out.setdefault(str((meta or {}).get("source", "")), []).append(sid)
            if len(rec["ids"]) < page:
                return out
            offset += page

    def delete_sentences(self, ids: Sequence[str]) -> None:
        for a, b in _chunks(len(ids), self.max_batch):
            self._call(self.sentences.delete, ids=list(ids[a:b]))

    # -- sentences ----------------------------------------------------------------------
    def source_sentences(self, source_id: str, with_vectors: bool = False) -> list[dict[str, Any]]:
        include = ["metadatas", "documents"] + (["embeddings"] if with_vectors else [])
        rec = self._call(self.sentences.get, where={"source": source_id}, include=include)
        return sorted(_rows(rec, with_vectors), key=lambda r: r["index"])

    def put_sentences(self, source: Source, sentences: Sequence[Sentence], vectors: np.ndarray,
                      extra: Sequence[dict[str, Any]] | None = None) -> None:
        """Upsert a source's sentences (stable ids) and delete any beyond the new count."""
        self.put_sentences_many([(source, sentences, vectors, extra or [])])

    def get_sentences(self, ids: Sequence[str], with_vectors: bool = False) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        include = ["metadatas", "documents"] + (["embeddings"] if with_vectors else [])
        # Chroma rejects a get with repeated ids (two links corrected by one sentence do that).
        rec = self._call(self.sentences.get, ids=list(dict.fromkeys(ids)), include=include)
        return {row["id"]: row for row in _rows(rec, with_vectors)}

    def where_sentences(self, where: dict[str, Any], with_vectors: bool = False,
                        limit: int | None = None) -> list[dict[str, Any]]:
        include = ["metadatas", "documents"] + (["embeddings"] if with_vectors else [])
        rec = self._call(self.sentences.get, where=where, include=include, limit=limit)
        return _rows(rec, with_vectors)

    def count(self) -> int:
        return int(self._call(self.sentences.count))

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        # Chroma returns fewer than n (or none) on a small or empty collection: no count() first.
        rec = self._call(self.sentences.query, query_embeddings=[vector.tolist()], n_results=n,
                         where=where, include=["metadatas", "documents", "distances", "embeddings"])
        rows = []
        for i, sid in enumerate(rec["ids"][0]):
            if rec["metadatas"][0][i] is None or rec["documents"][0][i] is None:
                continue  # the vector index still lists a record another process just deleted
            rows.append({"id": sid, "text": rec["documents"][0][i], **rec["metadatas"][0][i],
                         "dense": 1.0 - float(rec["distances"][0][i]),
                         "vector": np.asarray(rec["embeddings"][0][i], dtype=np.float32)})
        return rows

    def containing(self, needle: str, limit: int = 50) -> list[dict[str, Any]]:
        """Sentences whose text contains `needle` (case-sensitive, like Chroma's $contains)."""
        rec = self._call(self.sentences.get, where_document={"$contains": needle}, limit=limit,
                         include=["metadatas", "documents", "embeddings"])
        return [{"id": sid, "text": rec["documents"][i], **rec["metadatas"][i],
                 "vector": np.asarray(rec["embeddings"][i], dtype=np.float32)}
                for i, sid in enumerate(rec["ids"])
                if rec["metadatas"][i] is not None and rec["documents"][i] is not None]

    # -- correction links -----------------------------------------------------------------
    def all_links(self) -> list[CorrectionLink]:
        """Links shown as flags (not the editor's candidates)."""
        rec = self._call(self.links_col.get, include=["metadatas"])
        return [lk for lk in map(_link_from_meta, rec["metadatas"]) if lk.status != "candidate"]

    def candidate_links(self) -> list[CorrectionLink]:
        """Pairs the detector was unsure of, kept for an editor's review."""
        rec = self._call(self.links_col.get, where={"status": "candidate"}, include=["metadatas"])
        return [_link_from_meta(m) for m in rec["metadatas"]]

    def links_for_claims(self, claim_ids: Sequence[str]) -> dict[str, CorrectionLink]:
        if not claim_ids:
            return {}
        rec = self._call(self.links_col.get, where={"claim": {"$in": list(claim_ids)}}, include=["metadatas"])
        return {lk.claim: lk for lk in map(_link_from_meta, rec["metadatas"]) if lk.status != "candidate"}

    def put_links(self, links: Sequence[CorrectionLink]) -> None:
        if not links:
            return
        for a, b in _chunks(len(links), self.max_batch):
            chunk = links[a:b]
            self._call(self.links_col.upsert, ids=[lk.id for lk in chunk], embeddings=[_DUMMY] * len(chunk),
                       documents=[lk.note for lk in chunk], metadatas=[_link_meta(lk) for lk in chunk])

    def delete_links(self, link_ids: Sequence[str]) -> None:
        if link_ids:
            for a, b in _chunks(len(link_ids), self.max_batch):
                self._call(self.links_col.delete, ids=list(link_ids[a:b]))


def _source_meta(source: Source, state: str, n_sentences: int) -> dict[str, Any]:
    return {
        "kind": "source", "state": state, "title": source.title, "publisher": source.publisher,
        "published": source.published, "url": source.url, "path": source.path,
        "byline": source.byline, "sha256": source.sha256, "sentences": int(n_sentences),
        "contacts": json.dumps(source.contacts), "furniture": json.dumps(source.furniture),
        "corrects": json.dumps(source.corrects), "extra": json.dumps(source.extra),
        # When this version of the source was written (UTC, to the second): `factdesk sources`,
        # `factdesk status` and the Slack App Home show it; records written before it lack it.
        "indexed_at": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _df_id(source_id: str) -> str:
    return f"__df__{source_id}"


def document_frequencies(text: str) -> dict[str, int]:
    """In how many of the text's sentences each content term occurs."""
    df: Counter[str] = Counter()
    for s, e in split_spans(text):
        df.update(set(content_terms(text[s:e])))
    return dict(df)


def _rows(rec: dict[str, Any], with_vectors: bool) -> list[dict[str, Any]]:
    """Chroma's column-wise get() result as one dict per sentence."""
    rows = []
    for i, sid in enumerate(rec["ids"]):
        row = {"id": sid, "text": rec["documents"][i], **rec["metadatas"][i]}
        if with_vectors:
            row["vector"] = np.asarray(rec["embeddings"][i], dtype=np.float32)
        rows.append(row)
    return rows


def _decode_meta(meta: dict[str, Any]) -> dict[str, Any]:
    d = dict(meta)
    for key in ("contacts", "furniture", "corrects", "extra"):
        if isinstance(d.get(key), str):
            try:
                d[key] = json.loads(d[key])
            except ValueError:
                d[key] = []
    return d


def _link_meta(lk: CorrectionLink) -> dict[str, Any]:
    return {"claim": lk.claim, "by": json.dumps(lk.by), "status": lk.status, "origin": lk.origin,
            "note": lk.note, "score": float(lk.score), "sources": json.dumps(sorted(lk.sources())),
            "family": lk.family}


def _link_from_meta(m: dict[str, Any]) -> CorrectionLink:
    return CorrectionLink(claim=m["claim"], by=json.loads(m["by"]), status=m["status"], origin=m["origin"],
                          note=m.get("note", ""), score=float(m.get("score", 0.0)), family=str(m.get("family", "")))
