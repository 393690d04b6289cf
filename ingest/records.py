"""Plain records that flow between ingest, the store and the answer engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Source:
    id: str
    title: str
    text: str  # cleaned text: every sentence's offsets point into this
    sha256: str
    publisher: str = ""
    published: str = ""  # ISO date, "YYYY-MM" or "YYYY" allowed, "" when unknown
    url: str = ""
    path: str = ""
    byline: str = ""
    contacts: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    corrects: list[dict[str, Any]] = field(default_factory=list)  # declared corrections
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sentence:
    source: str
    index: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        return sentence_id(self.source, self.index)


def sentence_id(source: str, index: int) -> str:
    """Stable id: the same source and position always map to the same record."""
    return f"{source}#{index}"


# A sentence's text is this metadata key, not its Chroma document: Chroma indexes every
# document for full-text search, a third of its write time, for reads now answered by
# `ingest.textscan`. Rows written before, and rows on a Chroma server (no mirror there: its own
# full-text search answers), keep their text as the document; reads take either.
TEXT_KEY = "text"


def stored_text(document: str | None, meta: dict[str, Any] | None) -> str | None:
    """A stored sentence row's text: its `TEXT_KEY` metadata, else (an older row) its document; None
    for a record another process deleted between the index lookup and the read."""
    if meta is None:
        return None
    text = meta.get(TEXT_KEY)
    return document if text is None else str(text)


def split_sentence_id(sid: str) -> tuple[str, int]:
    source, _, idx = sid.rpartition("#")
    return source, int(idx)


@dataclass
class CorrectionLink:
    """`claim` was corrected or superseded by the `by` sentences (all sentence ids)."""

    claim: str
    by: list[str]
    status: str  # "corrected" | "superseded" | "candidate" (unsure: kept for an editor, never shown as a flag)
    origin: str  # "declared" | "detected" | "editor"
    note: str = ""
    score: float = 0.0
    family: str = ""  # detection family (ingest.corrections.signals.FAMILIES), "" when not detected

    @property
    def id(self) -> str:
        return self.claim if self.status != "candidate" else f"candidate:{self.claim}"  # one of each per claim

    def sources(self) -> set[str]:
        """Every source this link depends on: if any changes, the link must be re-derived."""
        return {split_sentence_id(self.claim)[0], *(split_sentence_id(b)[0] for b in self.by)}


@dataclass(slots=True)
class StoredSentence:
    """One indexed sentence as the store holds it: where it sits in its source (offsets into the
    source's cleaned text), the source's date and content hash when written, its correction cue,
    and, when read with them, its vector and (from a similarity query) its cosine distance.

    The one shape of a sentence row: ingest builds it (`of`) for the store to write and for the
    correction detector, and the store returns it from every read — no stage passes raw
    metadata dicts around. Slots, built once per row read: the query path copies nothing."""

    id: str
    source: str
    index: int
    start: int
    end: int
    text: str
    published: str = ""
    sha: str | None = None  # the source's hash when this sentence was written (None: older index)
    cue: str | None = None  # correction cue (ingest.corrections.signals.cue); None: not stored
    vector: Any = None  # np.ndarray when read with vectors (or being ingested)
    distance: float | None = None  # cosine distance to the query vector (`Store.query` only)

    @classmethod
    def of(cls, source: Source, s: Sentence, vector: Any = None, cue: str | None = None) -> StoredSentence:
        """A sentence of `source` as it is (or will be) stored."""
        return cls(id=s.id, source=s.source, index=s.index, start=s.start, end=s.end, text=s.text,
                   published=source.published, sha=source.sha256, cue=cue, vector=vector)

    @classmethod
    def from_chroma(cls, sid: str, document: str | None, meta: dict[str, Any], vector: Any = None,
                    distance: float | None = None) -> StoredSentence:
        """A row read back from the store (its metadata as `metadata()` wrote it; the text in
        `TEXT_KEY` or, an older row, the document)."""
        cue = meta.get("cue")
        return cls(id=sid, source=str(meta["source"]), index=int(meta["index"]), start=int(meta["start"]),
                   end=int(meta["end"]), text=stored_text(document, meta) or "",
                   published=str(meta.get("published", "")),
                   sha=meta.get("sha"), cue=None if cue is None else str(cue), vector=vector, distance=distance)

    def metadata(self) -> dict[str, Any]:
        """This sentence's metadata, without its text (Chroma's gets `TEXT_KEY` too: `Store`)."""
        meta: dict[str, Any] = {"source": self.source, "index": self.index, "start": self.start, "end": self.end,
                                "published": self.published}
        if self.sha is not None:
            meta["sha"] = self.sha
        if self.cue is not None:
            meta["cue"] = self.cue
        return meta

    @property
    def dense(self) -> float | None:
        """Cosine similarity to the query vector (1 - distance), when read by a query."""
        return None if self.distance is None else 1.0 - self.distance


def _json_field(value: Any, kind: type) -> Any:
    """A manifest field stored as JSON text (lists and dicts cannot be Chroma metadata)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    return value if isinstance(value, kind) else kind()


@dataclass(slots=True)
class SourceRecord:
    """A source's manifest record: what `factdesk sources` lists, what the planner compares (state,
    hash, path) and what citations name; `text` (the cleaned text every offset points into) only
    when read with it (`Store.get_sources`)."""

    id: str
    title: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    path: str = ""
    byline: str = ""
    sha256: str = ""
    state: str = ""  # writing | complete | removing
    sentences: int = 0
    contacts: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    corrects: list[dict[str, Any]] = field(default_factory=list)  # declared corrections
    extra: dict[str, Any] = field(default_factory=dict)
    indexed_at: str = ""  # UTC, when this version was written ("" in records older than the field)
    fingerprint: str = ""  # of the file it was read from (`ingest.fingerprint`); "" for pages, older records
    text: str = ""

    @classmethod
    def from_meta(cls, sid: str, meta: dict[str, Any], text: str = "") -> SourceRecord:
        return cls(id=sid, title=str(meta.get("title") or ""), publisher=str(meta.get("publisher") or ""),
                   published=str(meta.get("published") or ""), url=str(meta.get("url") or ""),
                   path=str(meta.get("path") or ""), byline=str(meta.get("byline") or ""),
                   sha256=str(meta.get("sha256") or ""), state=str(meta.get("state") or ""),
                   sentences=int(meta.get("sentences") or 0), contacts=_json_field(meta.get("contacts"), list),
                   furniture=_json_field(meta.get("furniture"), list), corrects=_json_field(meta.get("corrects"), list),
                   extra=_json_field(meta.get("extra"), dict), indexed_at=str(meta.get("indexed_at") or ""),
                   fingerprint=str(meta.get("file_fp") or ""), text=text)


def link_meta(lk: CorrectionLink) -> dict[str, Any]:
    """A correction link as Chroma metadata (lists as JSON text, and `srcs` as a list to filter on)."""
    return {"claim": lk.claim, "by": json.dumps(lk.by), "status": lk.status, "origin": lk.origin,
            "note": lk.note, "score": float(lk.score), "sources": json.dumps(sorted(lk.sources())),
            "srcs": sorted(lk.sources()), "family": lk.family}


def link_from_meta(m: dict[str, Any]) -> CorrectionLink:
    return CorrectionLink(claim=m["claim"], by=json.loads(m["by"]), status=m["status"], origin=m["origin"],
                          note=m.get("note", ""), score=float(m.get("score", 0.0)), family=str(m.get("family", "")))
