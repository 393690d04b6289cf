"""The one place the bot builds an ingest `Indexer`: with the LLM correction judge when
`FACTDESK_LLM_JUDGE` and an LLM are set, and without it otherwise.

`ingest/` imports nothing from `bot/`; the judge reaches it as a callable. `bot.judge` (and with
it langchain) is imported only when the judge is on, so a plain `factdesk ingest` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.settings import Settings

if TYPE_CHECKING:
    from ingest.corrections import Judge
    from ingest.embed import Embedder
    from ingest.pipeline import Indexer


def correction_judge(settings: Settings) -> Judge | None:
    if not (settings.llm_judge_corrections and settings.llm):
        return None
    from bot.judge import judge_links

    return judge_links


def make_indexer(settings: Settings, embedder: Embedder | None = None) -> Indexer:
    from ingest.pipeline import Indexer

    return Indexer(settings, embedder=embedder, judge=correction_judge(settings))
