"""What every `factdesk` command shares: the lazily built engine/indexer, console and output helpers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Quiet third-party chatter before anything imports it; the user sees only factdesk's output.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest.settings import Settings  # noqa: E402


def console(stderr: bool = False):
    """A rich console that prints plainly (no syntax highlighting, no soft wrapping of quotes)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def err(msg: str) -> None:
    print(f"factdesk: {msg}", file=sys.stderr)


def dump(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def stdin_lines() -> Iterator[str]:
    """Non-empty lines of standard input, without their newline."""
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.strip():
            yield line


class App:
    """Lazily built engine and indexer sharing one embedder, so the model loads once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._embedder = None
        self._engine = None
        self._indexer = None

    @property
    def embedder(self):
        if self._embedder is None:
            from ingest.embed import Embedder

            self._embedder = Embedder(self.settings.embed_model, self.settings.embed_device)
        return self._embedder

    @property
    def engine(self):
        if self._engine is None:
            from bot.engine import Engine

            self._engine = Engine(self.settings, embedder=self.embedder)
        return self._engine

    @property
    def indexer(self):
        if self._indexer is None:
            from ingest.pipeline import Indexer

            self._indexer = Indexer(self.settings, embedder=self.embedder)
        return self._indexer

    def ensure_index(self) -> None:
        """With an empty index, ask and chat ingest the bundled sources first — and say so."""
        from ingest.store import IndexMissing

        try:
            if self.engine.index_size() > 0:
                return
        except IndexMissing:
            pass
        folder = self.settings.sources_dir
        if not Path(folder).is_dir():
            raise IndexMissing(f"the index at {self.settings.index_location} is empty: run `factdesk ingest PATH`")
        err(f"the index is empty: ingesting {folder} first")
        report = self.indexer.ingest([str(folder)])
        for r in report.results:
            print(r.line(), file=sys.stderr)
        self.engine.reset_store()
