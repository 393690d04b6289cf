"""Checking a text against the sources: what a desk editor does with a draft or a forwarded claim.

The text is split into sentences with the indexer's own splitter (exact offsets into the text).
Each sentence that states something — not a question, not a greeting, not a fragment under four
words — is put to the engine as it stands, and the engine's answer says what the sources hold on
that point: the matching sentences, the ⚠ corrections of them, later coverage, or nothing.

Without an entailment model factdesk does not claim a statement is true or false; the verdict
only says which of those four the sources offer:

- `found`: sentences on that point, none of them corrected or overtaken;
- `corrected`: the matching sentences include a claim later corrected, withdrawn or superseded
  (the correcting sentences are among the citations);
- `later`: later coverage of the same point exists (citations with `role: "later"`);
- `not_found`: nothing in the sources answers it.

Used by `factdesk check` and the Slack "Check with factdesk" shortcut; knows nothing of either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ingest.split import split_spans

from .answer import Answer

Verdict = Literal["found", "corrected", "later", "not_found"]
MIN_WORDS = 4  # shorter sentences are fragments ("Thanks a lot.", "See below.")
MAX_SENTENCES = 20  # a pasted article is checked on its first sentences, and says how many were left

# Openings that make a sentence a greeting or a sign-off rather than a statement; a reader would
# name these for any language's small talk, not for one story.
_GREETING = re.compile(r"^(hi|hello|hey|dear|thanks|thank you|cheers|good (morning|afternoon|evening)|"
                       r"regards|best|fyi)\b[\s,!.:]", re.I)
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class Asks(Protocol):
    def ask(self, question: str) -> Answer: ...


@dataclass
class CheckedSentence:
    """One statement of the checked text and what the sources say on its point."""

    text: str
    start: int  # character offsets into the checked text
    end: int
    verdict: Verdict
    answer: Answer | None = None

    @property
    def citations(self) -> list[Any]:
        return list(self.answer.citations) if self.answer and self.answer.answered else []

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "verdict": self.verdict,
                "citations": [c.to_json() for c in self.citations]}


@dataclass
class CheckReport:
    text: str
    checked: list[CheckedSentence] = field(default_factory=list)
    skipped: int = 0  # sentences that state nothing (questions, greetings, fragments)
    left_out: int = 0  # statements beyond MAX_SENTENCES

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.checked]


def is_statement(sentence: str) -> bool:
    """A sentence worth checking: it asserts something. Questions, greetings and short
    fragments are skipped."""
    s = sentence.strip()
    if not s or s.rstrip("\"'”’)»").endswith("?"):
        return False
    if _GREETING.match(s + " "):
        return False
    return len(_WORD.findall(s)) >= MIN_WORDS


def statements(text: str) -> tuple[list[tuple[int, int]], int]:
    """Spans of the text's statements, and how many sentences were skipped as not statements."""
    spans = split_spans(text)
    keep = [(a, b) for a, b in spans if is_statement(text[a:b])]
    return keep, len(spans) - len(keep)


def verdict_of(answer: Answer) -> Verdict:
    """`corrected` outranks `later`: a withdrawn claim matters more than newer coverage."""
    if not answer.answered or not answer.citations:
        return "not_found"
    if any(c.correction for c in answer.citations):
        return "corrected"
    if any(getattr(c, "role", None) == "later" for c in answer.citations):
        return "later"
    return "found"


def check_text(engine: Asks, text: str, *, limit: int = MAX_SENTENCES) -> CheckReport:
    """Check every statement of `text` (up to `limit`), in the text's order."""
    spans, skipped = statements(text)
    report = CheckReport(text=text, skipped=skipped, left_out=max(0, len(spans) - limit))
    for a, b in spans[:limit]:
        sentence = text[a:b]
        answer = engine.ask(re.sub(r"\s+", " ", sentence))
        report.checked.append(CheckedSentence(sentence, a, b, verdict_of(answer), answer))
    return report


__all__ = ["CheckReport", "CheckedSentence", "Verdict", "check_text", "is_statement", "statements", "verdict_of"]
