"""The Answer contract (docs/DESIGN.md, "The Answer JSON"): what `factdesk ask --json` prints and
every adapter renders. Typed here so that no stage or adapter reads a correction as a loose dict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.records import SourceRecord


@dataclass(frozen=True)
class QuotedSentence:
    """A stored sentence quoted beside a citation (what corrected it), with where it comes from."""

    source: str
    title: str
    sentence: int | None
    start: int | None
    end: int | None
    text: str
    published: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "title": self.title, "sentence": self.sentence, "start": self.start,
                "end": self.end, "text": self.text, "published": self.published}


@dataclass(frozen=True)
class Correction:
    """Why a cited sentence must not be read alone: a later statement corrected (or withdrew) it, or
    later events superseded it. `by` holds the statements that did, verified like any citation."""

    status: str  # "corrected" | "superseded"
    note: str
    origin: str  # "declared" (the later source says so) | "detected" (found by the detector)
    by: tuple[QuotedSentence, ...] = ()

    @property
    def withdrawn(self) -> bool:
        """A correction whose note says the claim was taken back rather than amended."""
        return self.note.lower().startswith(("withdrawn", "retracted"))

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "note": self.note, "origin": self.origin,
                "by": [b.to_json() for b in self.by]}


@dataclass
class DraftChecks:
    """What the checks on an LLM draft removed or dropped (bot/support.py): carried in the JSON of
    every answer the LLM was asked for, including one that fell back to the extractive answer."""

    invented: int = 0  # citation numbers that were not given (removed)
    uncited: int = 0  # statements with no valid citation (dropped)
    misquoted: int = 0  # statements quoting words their cited sentences do not contain (dropped)
    unsupported: int = 0  # statements with names, numbers or words their cited sentences do not hold (dropped)
    urls_removed: int = 0  # URLs the cited sentences do not contain (removed from their statements)
    notices: int = 0  # correction notices added for flagged claims cited without their correction
    kept: int = 0  # statements kept
    reason: str = ""  # why the draft was unusable, when it was

    def summary(self) -> str:
        return (f"kept {self.kept} statement(s); removed {self.invented} invented citation(s) and "
                f"{self.urls_removed} URL(s); dropped {self.uncited} uncited, {self.misquoted} misquoting and "
                f"{self.unsupported} unsupported statement(s); added {self.notices} correction notice(s)")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
    correction: Correction | None = None
    publisher: str = ""
    field: str | None = None  # set when quoting source metadata (e.g. "byline") rather than a sentence
    role: str = "answer"  # answer | correction (corrects another cited sentence) | later (later coverage, no link)

    @property
    def key(self) -> tuple[str, int | None]:
        """(source, sentence): the same sentence whatever its number in an answer."""
        return (self.source, self.sentence)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["correction"] = self.correction.to_json() if self.correction else None
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
    # The question as asked again when a name in it was typed with one slip ("sadam" → "Saddam"):
    # shown to the reader, who must see that the bot answered a question they did not quite type.
    read_as: str = ""
    checks: DraftChecks | None = None  # set when an LLM was asked to compose this answer

    @property
    def first_quote(self) -> str:
        """The first sentence quoted from a source (not source metadata such as a byline): where a
        later "he" finds the person the answer named (`bot.conversation.person_answered`)."""
        return next((c.text for c in self.citations if c.field is None), "")

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
        } | ({"checks": self.checks.to_json()} if self.checks is not None else {}) \
          | ({"read_as": self.read_as} if self.read_as else {})


@dataclass(frozen=True)
class IndexedSource:
    """A source as `Engine.sources` lists it: its manifest record, and how many of its sentences a
    later statement corrected or superseded."""

    record: SourceRecord
    flagged: int = 0


@dataclass(frozen=True)
class CorrectionEntry:
    """One correction link as `Engine.corrections` lists it (`factdesk corrections`, the status
    summary, App Home, alerts): the claim quoted, and its `Correction` — status, note, origin, and
    the statements that corrected it, each with its source and date — and the detection family."""

    claim: QuotedSentence
    correction: Correction
    family: str = ""  # detection family (ingest.corrections.signals.FAMILIES), "" when not detected

    @property
    def newest_by(self) -> str:
        """The date of the newest correcting statement ("" when none is dated)."""
        return max((b.published for b in self.correction.by), default="")

    def to_json(self) -> dict[str, Any]:
        """The row `factdesk corrections --json` prints: the claim, then the correction's fields."""
        return {"claim": self.claim.to_json(), **self.correction.to_json(), "family": self.family}

