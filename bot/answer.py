"""The Answer contract (see DESIGN.md): what `factdesk ask --json` prints and every adapter renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    n: int
    source: str
    title: str
    published: str
    url: str
    sentence: int | None
    start: int | None
    end: int | None
    text: str
    score: float
    correction: dict[str, Any] | None = None
    publisher: str = ""
    field: str | None = None  # set when quoting source metadata (e.g. "byline") rather than a sentence

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        if d["field"] is None:
            d.pop("field")
        return d


@dataclass
class Answer:
    question: str
    answered: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    composer: str = "extractive"
    standalone: str = ""  # the question as retrieval understood it (after follow-up resolution)

    @property
    def flagged(self) -> list[Citation]:
        return [c for c in self.citations if c.correction]

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "composer": self.composer,
        }


def ref_list(ns: list[int]) -> str:
    """How an answer refers to its own citations: [1]–[3] for a run of three or more, else [1], [4]."""
    runs: list[list[int]] = []
    for n in sorted(dict.fromkeys(ns)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"[{r[0]}]–[{r[-1]}]" if len(r) > 2 else ", ".join(f"[{n}]" for n in r) for r in runs)
