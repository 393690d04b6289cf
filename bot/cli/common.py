"""What every `factdesk` command shares: the lazily built engine/indexer, console and output helpers."""

from __future__ import annotations

import json
import os
import re
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


def console(stderr: bool = False, **options: Any):
    """A rich console that prints plainly (no syntax highlighting, no soft wrapping of quotes) and
    never passes a terminal control character from the text it prints: a source could otherwise
    carry escape sequences that clear the screen, retitle the window, rewrite the clipboard
    (OSC 52) or hide text with a carriage return. rich keeps ESC; its own styling is untouched."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer):  # rich's one place where segments become output
            return super()._render_buffer(
                seg if seg.control else Segment(strip_controls(seg.text), seg.style, seg.control) for seg in buffer)

    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=False, **options)


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """Text without C0/C1 control characters (ESC, CR, CSI, BEL…), newlines and tabs kept."""
    return _CONTROLS.sub("", text)


def err(msg: str) -> None:
    """One line to stderr; secrets scrubbed like log lines (an error may quote a server's reply)."""
    from bot.redaction import scrub_text

    print(f"factdesk: {scrub_text(msg)}", file=sys.stderr)


def say_upgrade(record: Any) -> None:
    """One line to stderr when opening the index upgraded it (`ingest.upgrades.UpgradeRecord`):
    a user whose flags change after an upgrade is told, with the counts, whatever `--verbose`."""
    from bot.upgrade_note import upgrade_line

    err(upgrade_line(record))


def say_pending(store: Any) -> None:
    """One line to stderr when the index's next writer will upgrade it (readers never do): a chat
    or the Slack bot showing an older detector's flags says so at start. A damaged version record
    is the writer's to refuse (one line there); a reader still answers."""
    from bot.upgrade_note import pending_line
    from ingest.store import StoreError
    from ingest.upgrades import pending

    try:
        p = pending(store)
    except StoreError as e:
        err(str(e))
        return
    if p is not None:
        err(pending_line(p))


def load_settings() -> Settings | None:
    """The settings, or None after one line naming the bad value (not a pydantic traceback)."""
    from pydantic import ValidationError

    from ingest.settings import get_settings

    try:
        return get_settings()
    except ValidationError as e:
        first = e.errors()[0]
        name = ".".join(str(x) for x in first.get("loc", ())) or "?"
        secret = name.lower() in {f.lower() for f in Settings.secret_fields()} or _SECRET_NAME.search(name)
        shown = "" if secret else f"={str(first.get('input', ''))[:60]!r}"
        more = f" (and {e.error_count() - 1} more)" if e.error_count() > 1 else ""
        err(f"bad setting {name}{shown}: {first.get('msg', 'invalid')}{more}")
    except Exception as e:  # noqa: BLE001 — e.g. an unreadable .env or a value pydantic-settings cannot parse
        err(f"cannot read the settings: {' '.join(str(e).split())[:200]}")
    return None


_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.I)


def dump(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def stdin_lines() -> Iterator[str]:
    """Non-empty lines of standard input, without their newline. Each line is decoded on its own
    (UTF-8, undecodable bytes kept as lone surrogates), so one bad line cannot end the stream:
    it reaches the engine, which refuses that question alone as invalid Unicode."""
    raw = getattr(sys.stdin, "buffer", None)
    lines = (b.decode("utf-8", "surrogateescape") for b in raw) if raw is not None else iter(sys.stdin)
    for line in lines:
        line = line.rstrip("\r\n")
        if line.strip():
            yield line


def printable(text: str) -> str:
    """Text safe to print or put in JSON: lone surrogates (undecodable input) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


class App:
    """Lazily built engine and indexer sharing one embedder, so the model loads once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._embedder = None
        self._engine = None
        self._indexer = None
        self.one_shot = False  # set by `ask`: the engine may read the sentence mirror (bot/coldstore.py)

    @property
    def embedder(self):
        if self._embedder is None:
            from ingest.embed import Embedder

            self._embedder = Embedder(self.settings.embed_model, self.settings.embed_device,
                                     quantize=self.settings.embed_quantize, query_threads=self.settings.query_threads)
        return self._embedder

    @property
    def read_only(self) -> bool:
        """True while this command has not built an indexer (nothing was written)."""
        return self._indexer is None

    @property
    def engine(self):
        if self._engine is None:
            from bot.engine import Engine

            self._engine = Engine(self.settings, embedder=self.embedder, one_shot=self.one_shot)
        return self._engine

    @property
    def indexer(self):
        if self._indexer is None:
            from bot.indexing import make_indexer

            self._indexer = make_indexer(self.settings, self.embedder)
            self._indexer.on_upgrade = say_upgrade  # every command that writes opens the index through it
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
