"""Plain records that flow between ingest, the store and the answer engine."""

from __future__ import annotations

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


def sentence_row(source: Source, s: Sentence, vector: Any, extra: dict[str, Any]) -> dict[str, Any]:
    """A sentence in its stored shape — what the store writes (id, text, vector and metadata) and
    what it reads back — so ingest builds rows for the correction detector the same way."""
    return {"id": s.id, "text": s.text, "vector": vector, "source": s.source, "index": s.index, "start": s.start,
            "end": s.end, "published": source.published, "sha": source.sha256, **extra}


def sentence_id(source: str, index: int) -> str:
    """Stable id: the same source and position always map to the same record."""
    return f"{source}#{index}"


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


@dataclass
class StoredSentence:
    """One indexed sentence as the store holds it: where it sits in its source (offsets into the
    source's cleaned text), the source's date and content hash when written, and its vector when
    asked for. Built from the store's row once, so no stage passes raw metadata dicts around."""

    id: str
    source: str
    index: int
    start: int
    end: int
    text: str
    published: str = ""
    sha: str | None = None  # the source's hash when this sentence was written (None: older index)
    vector: Any = None  # np.ndarray when read with vectors

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredSentence:
        return cls(id=row["id"], source=row["source"], index=int(row["index"]), start=int(row["start"]),
                   end=int(row["end"]), text=row["text"], published=str(row.get("published", "")),
                   sha=row.get("sha"), vector=row.get("vector"))


@dataclass
class SourceRecord:
    """A source's manifest record (and its cleaned text when read with it)."""

    id: str
    title: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    byline: str = ""
    sha256: str = ""
    state: str = ""
    sentences: int = 0
    contacts: list[str] = field(default_factory=list)
    text: str = ""

    @classmethod
    def from_meta(cls, sid: str, meta: dict[str, Any]) -> SourceRecord:
        return cls(id=sid, title=str(meta.get("title", "")), publisher=str(meta.get("publisher", "")),
                   published=str(meta.get("published", "")), url=str(meta.get("url", "")),
                   byline=str(meta.get("byline", "")), sha256=str(meta.get("sha256", "")),
                   state=str(meta.get("state", "")), sentences=int(meta.get("sentences", 0)),
                   contacts=list(meta.get("contacts") or []), text=str(meta.get("text", "")))
