"""Streaming an LLM answer into the interactive `factdesk chat`.

The draft streams live (dimmed) while the model writes; once it is done the draft disappears and
the caller renders the verified answer — invented citations removed, correction notices added —
like any other. The user sees progress at once, but only checked text
stays on screen.
"""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text

from .answer import Answer
from .conversation import Conversation
from .engine import Engine


def ask_streaming(engine: Engine, question: str, conversation: Conversation | None, console: Console) -> Answer:
    """`engine.ask` with the LLM draft shown live (and then cleared) on `console`; the caller
    renders the returned, verified answer. Raises what `engine.ask` raises."""
    draft = Text(style="dim")
    with Live(Text("drafting…", style="dim"), console=console, transient=True, refresh_per_second=12) as live:
        def on_token(piece: str) -> None:
            if not draft.plain:
                live.update(draft)
            draft.append(piece)
            live.refresh()

        answer = engine.ask(question, conversation, on_token=on_token)
    return answer


__all__ = ["ask_streaming"]
