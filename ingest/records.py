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
