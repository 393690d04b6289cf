"""Earlier turns of one conversation, so follow-ups ("How much revenue does it have?") resolve.

Held in memory by the CLI; rebuilt from a Slack thread's replies by the Slack adapter, so no
process needs to remember anything between messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.tuning import FollowUpTuning

from .answer import Answer

_PRONOUNS = r"it|its|it's|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|there|then"
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

    def context_for(self, question: str, tuning: FollowUpTuning | None = None) -> str | None:
        """The earlier question this one follows up on, or None when it stands alone: it refers
        back ("it", "the company"), is very short, or continues ("and when?")."""
        if not self.turns:
            return None
        t = tuning or FollowUpTuning()
        words = re.findall(r"\w+", question)
        if (_anaphora(t.referring_nouns).search(question) or len(words) <= t.short_words
                or _CONTINUATION.match(question) and len(words) <= t.continuation_words):
            return self.turns[-1].standalone
        return None


@lru_cache(maxsize=4)
def _anaphora(nouns: tuple[str, ...]) -> re.Pattern[str]:
    """Words that refer back: pronouns, and "the <noun>" for the tuning section's nouns."""
    the = "|".join(re.escape(n) for n in nouns)
    return re.compile(rf"\b({_PRONOUNS}" + (rf"|the (?:{the})" if the else "") + r")\b", re.I)
