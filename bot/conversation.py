"""Earlier turns of one conversation, so follow-ups ("How much revenue does it have?") resolve.

Held in memory by the CLI; rebuilt from a Slack thread's replies by the Slack adapter, so no
process needs to remember anything between messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .answer import Answer

_ANAPHORA = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|there|then|"
    r"the (?:company|firm|app|group|organi[sz]ation|report|database|watchdog|unit|agency|article|story|"
    r"government|platform|software|claim|person|man|woman))\b",
    re.I,
)
_CONTINUATION = re.compile(r"^\s*(and|what about|how about|why|when|where|who|so|also)\b", re.I)


@dataclass
class Turn:
    question: str
    standalone: str
    answer: Answer | None = None


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    def add(self, question: str, answer: Answer | None, standalone: str | None = None) -> None:
        self.turns.append(Turn(question, standalone or question, answer))
        del self.turns[:-self.max_turns]

    def reset(self) -> None:
        self.turns.clear()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def context_for(self, question: str) -> str | None:
        """The earlier question this one follows up on, or None when it stands alone."""
        if not self.turns:
            return None
        words = re.findall(r"\w+", question)
        if _ANAPHORA.search(question) or len(words) <= 4 or _CONTINUATION.match(question) and len(words) <= 6:
            return self.turns[-1].standalone
        return None
