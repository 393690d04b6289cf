"""Stage 4, compose: the text of the answer, by a `Composer` strategy.

The engine hands a composer everything the earlier stages decided (a `ComposeRequest`) and gets an
`Answer` back; a composer never reaches into the engine. `ExtractiveComposer` quotes the cited
sentences under a lead taken from bot/notices.py. `LLMComposer` (bot/composer.py) asks a chat model
for fluent prose and holds the draft to the extractive answer's rules, falling back to it. Which one
runs is decided once, from the settings, by `composer_from_settings`.

Adding a composer: implement `restate` (return None unless the composer can rewrite a follow-up as
a standalone question) and `compose`, then pass it as `Engine(settings, composer=...)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ingest.settings import Settings

from . import notices
from .answer import Answer, Citation
from .conversation import Conversation
from .select import Scored, Selection

log = logging.getLogger(__name__)

OnToken = Callable[[str], None]  # receives each piece of a streamed draft, on the asking thread


@dataclass(frozen=True)
class ComposeRequest:
    """What the composer gets: the question, what was searched for, the selection, and its verified
    citations. `cite` turns more scored candidates into verified citations (the cite stage), for a
    composer that offers a model more than the extractive picks."""

    question: str
    standalone: str
    selection: Selection
    citations: list[Citation]
    cite: Callable[[Sequence[Scored]], list[Citation]]


class Composer(Protocol):
    name: str

    def restate(self, question: str, conversation: Conversation, standalone: str) -> str | None:
        """A follow-up rewritten to stand alone, when it differs from `standalone` (what the engine
        would search for); None keeps the engine's own reading."""
        ...

    def compose(self, request: ComposeRequest, on_token: OnToken | None = None) -> Answer: ...


class ExtractiveComposer:
    """The answer is the cited sentences themselves, verbatim, under a lead naming the source —
    or, first, the notice for every flagged claim."""

    name = "extractive"

    def restate(self, question: str, conversation: Conversation, standalone: str) -> str | None:
        return None

    def compose(self, request: ComposeRequest, on_token: OnToken | None = None) -> Answer:
        cits = request.citations
        answered = request.selection.answered and bool(cits)
        return Answer(question=request.question, answered=answered, answer=extractive_text(cits, answered),
                      citations=cits, standalone=request.standalone)


def extractive_text(cits: list[Citation], answered: bool) -> str:
    if not answered:
        return notices.abstention(with_context=bool(cits))
    where = {c.key: c.n for c in cits}
    lead = [notices.correction_notice(c.n, c.correction, [where[b.source, b.sentence] for b in c.correction.by
                                                          if (b.source, b.sentence) in where])
            for c in cits if c.correction]
    if not lead:
        lead = [notices.according_to(list(dict.fromkeys((c.title, c.publisher, c.published) for c in cits)))]
    body = " ".join((notices.later_prefix(c.published, c.publisher or c.title) if c.role == "later" else "")
                    + f"{c.text} [{c.n}]" for c in cits)
    return "\n".join(lead) + "\n" + body


def composer_from_settings(settings: Settings) -> Composer:
    """The one place the composer is chosen: the LLM composer when `FACTDESK_LLM` is set and usable,
    else extractive (a configuration error is logged once and leaves answers extractive)."""
    if not settings.llm:
        return ExtractiveComposer()
    from .composer import LLMComposer  # LangChain is imported only when an LLM is configured
    from .llm import LLMError

    try:
        return LLMComposer(settings)
    except LLMError as e:
        log.warning("%s; answers stay extractive", e)
        return ExtractiveComposer()


__all__ = ["ComposeRequest", "Composer", "ExtractiveComposer", "OnToken", "composer_from_settings", "extractive_text"]
