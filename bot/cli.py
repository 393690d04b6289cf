"""The `factdesk` command: a thin adapter over the ingest pipeline and the answer engine."""

from __future__ import annotations

import argparse
import json
import logging
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

from ingest.settings import Settings, get_settings  # noqa: E402

log = logging.getLogger("factdesk")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _err(msg: str) -> None:
    print(f"factdesk: {msg}", file=sys.stderr)


def _dump(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


# -- shared objects ---------------------------------------------------------------------
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
        _err(f"the index is empty: ingesting {folder} first")
        report = self.indexer.ingest([str(folder)])
        for r in report.results:
            print(r.line(), file=sys.stderr)
        self.engine._reset_store()


# -- ingest -----------------------------------------------------------------------------------
def _progress(enabled: bool):
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=_console(stderr=True), transient=True)
    task = {"id": None}

    def cb(event: str, n: int) -> None:
        if event == "total":
            task["id"] = prog.add_task("embed", total=n)
        elif task["id"] is not None:
            prog.advance(task["id"], n)

    return prog, cb


def _print_report(report, as_json: bool) -> None:
    if as_json:
        _dump({"results": [r.__dict__ for r in report.results], "flagged": report.flagged,
               "unflagged": report.unflagged, "warnings": report.warnings, "ok": report.ok})
        return
    for r in report.results:
        print(r.line(), flush=True)
    for w in report.warnings:
        print(f"warning: {w}", flush=True)
    counts = report.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to do"
    print(f"{summary}; {report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)


def cmd_ingest(app: App, args: argparse.Namespace) -> int:
    targets = args.paths or [str(app.settings.sources_dir)]
    prog, cb = _progress(sys.stderr.isatty() and not args.json)
    if prog:
        with prog:
            report = app.indexer.ingest(targets, prune=args.prune, rebuild=args.rebuild, progress=cb)
    else:
        report = app.indexer.ingest(targets, prune=args.prune, rebuild=args.rebuild)
    _print_report(report, args.json)
    rc = 0 if report.ok else 1
    if args.watch:
        return _watch(app, targets, args)
    return rc


def _watch(app: App, targets: list[str], args: argparse.Namespace, stop_event=None) -> int:
    """Re-index on every change until Ctrl-C (or `stop_event`, for tests). A failed round — the
    index locked by another ingest, a server outage — is reported and the watch goes on."""
    from watchfiles import watch

    from ingest.lock import IngestLocked
    from ingest.store import StoreError

    paths = [t for t in targets if Path(t).exists()]
    if not paths:
        _err("--watch needs files or folders to watch")
        return 2
    print(f"watching {', '.join(paths)} for changes (Ctrl-C to stop)", flush=True)
    try:
        for _changes in watch(*paths, debounce=500, step=100, rust_timeout=500, stop_event=stop_event,
                              yield_on_timeout=False):
            try:
                report = app.indexer.ingest(targets, prune=True)
            except (IngestLocked, StoreError) as e:
                _err(f"{e}; will retry on the next change")
                continue
            for r in report.results:
                if r.status != "unchanged":
                    print(r.line(), flush=True)
            if report.flagged or report.unflagged:
                print(f"{report.flagged} sentence(s) newly flagged, {report.unflagged} unflagged", flush=True)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_remove(app: App, args: argparse.Namespace) -> int:
    report = app.indexer.remove(args.sources)
    _print_report(report, args.json)
    return 0 if report.ok else 1


# -- asking -------------------------------------------------------------------------------------
def _answer_or_error(app: App, question: str, conversation=None, live=None) -> tuple[Any, str | None]:
    from bot.engine import QuestionError

    try:
        if live is not None and app.settings.llm:  # stream the LLM draft into the chat (bot/chat_stream.py)
            from bot.chat_stream import ask_streaming

            return ask_streaming(app.engine, question, conversation, live), None
        return app.engine.ask(question, conversation), None
    except QuestionError as e:
        return None, str(e)


def _stdin_lines() -> Iterator[str]:
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.strip():
            yield line


def cmd_ask(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_answer

    if args.question:
        questions = [" ".join(args.question)]
    elif not sys.stdin.isatty():
        questions = list(_stdin_lines())
        if not questions:
            _err("no questions on standard input")
            return 2
    else:
        _err('ask what? usage: factdesk ask "QUESTION" [--json]')
        return 2
    app.ensure_index()
    console = _console()
    rc = 0
    for q in questions:
        ans, err = _answer_or_error(app, q)
        if err:
            rc = 2
            if args.json:
                _dump({"question": q, "error": err})
            else:
                _err(err)
            continue
        if args.json:
            _dump(ans.to_json())
        else:
            render_answer(ans, console)
    return rc


def cmd_chat(app: App, args: argparse.Namespace) -> int:
    from bot.conversation import Conversation
    from bot.render import render_answer, render_corrections, render_sources
    from ingest.store import StoreError

    app.ensure_index()
    conv = Conversation()
    interactive = sys.stdin.isatty() and not args.json
    if not interactive:
        # Each input line is the next turn of one conversation; each output line its Answer JSON.
        rc = 0
        for line in _stdin_lines():
            if line.strip() in ("/quit", "/exit"):
                break
            if line.strip() == "/reset":
                conv.reset()
                continue
            try:
                ans, err = _answer_or_error(app, line, conv)
            except StoreError as e:
                # The index went away or the server is down: say so for this turn and keep
                # going; the engine reconnects on the next one.
                rc = 1
                _dump({"question": line, "error": str(e)})
                continue
            if err:
                rc = 2
                _dump({"question": line, "error": err})
                continue
            conv.add(line, ans, ans.standalone)
            _dump(ans.to_json())
        return rc
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    console = _console()
    hist = Path(app.settings.data_dir) / "chat_history"
    hist.parent.mkdir(parents=True, exist_ok=True)
    session = PromptSession(history=FileHistory(str(hist)))
    console.print("[bold]factdesk[/bold] — ask about the sources. /sources, /corrections, /reset, /quit")
    while True:
        try:
            line = session.prompt("you › ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            break
        if line == "/reset":
            conv.reset()
            console.print("[dim]conversation cleared[/dim]")
            continue
        if line == "/sources":
            render_sources(app.engine.sources(), console)
            continue
        if line == "/corrections":
            render_corrections(app.engine.corrections(), console)
            continue
        if line.startswith("/"):
            console.print("[yellow]commands: /sources, /corrections, /reset, /quit[/yellow]")
            continue
        try:
            ans, err = _answer_or_error(app, line, conv, live=console)
        except StoreError as e:
            console.print(f"[red]{e}[/red]")
            continue
        if err:
            console.print(f"[yellow]{err}[/yellow]")
            continue
        conv.add(line, ans, ans.standalone)
        render_answer(ans, console)
    return 0


def cmd_sources(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_sources

    rows = app.engine.sources()
    if args.json:
        _dump(rows)
    elif not rows:
        print("no sources indexed: run `factdesk ingest`")
    else:
        render_sources(rows, _console())
    return 0


def cmd_corrections(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_corrections

    rows = app.engine.corrections()
    if args.json:
        _dump(rows)
    else:
        render_corrections(rows, _console())
    return 0


def cmd_eval(app: App, args: argparse.Namespace) -> int:
    from bot.evaluate import format_report, run_eval

    path = Path(args.file)
    if not path.exists():
        _err(f"no eval file at {path}")
        return 2
    report = run_eval(app.settings, app.embedder, path)
    if args.json:
        _dump(report)
    else:
        print(format_report(report))
    if args.min_hit is not None and (report["hit_rate"] or 0) < args.min_hit:
        _err(f"hit rate {report['hit_rate']} is below --min-hit {args.min_hit}")
        return 1
    return 0


# -- entry point ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="factdesk", description="Answers from news sources, quoting exact sentences "
                                "and flagging every quoted sentence that was later corrected or superseded.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens, to stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("ingest", help="index sources (files, folders, URLs); default: FACTDESK_SOURCES_DIR")
    s.add_argument("paths", nargs="*", metavar="PATH|URL")
    s.add_argument("--prune", action="store_true", help="remove indexed sources whose files are gone from the given folders")
    s.add_argument("--rebuild", action="store_true", help="drop the index (or a damaged one) and rebuild it")
    s.add_argument("--watch", action="store_true", help="keep running and re-index when files change")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("remove", help="remove sources from the index by id")
    s.add_argument("sources", nargs="+", metavar="SOURCE")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("ask", help="answer one question (or one per line from stdin)")
    s.add_argument("question", nargs="*")
    s.add_argument("--json", action="store_true", help="print the Answer JSON (JSON Lines for stdin)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="an interactive conversation (JSON Lines with --json or piped input)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("sources", help="list indexed sources")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sources)

    s = sub.add_parser("corrections", help="list every correction link")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corrections)

    s = sub.add_parser("eval", help="score answers against an eval set")
    s.add_argument("--file", default="data/eval/questions.jsonl")
    s.add_argument("--min-hit", type=float, default=None, metavar="RATE",
                   help="exit 1 when the hit rate is below RATE (for CI)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_eval)
    return p


EXTRA_COMMANDS: list = []  # adapters (slack, feedback) register themselves here

from bot.slack_cli import register as _register_slack  # noqa: E402  (`slack`, `feedback`)

EXTRA_COMMANDS.append(_register_slack)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    for register in EXTRA_COMMANDS:
        register(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.command:
        parser.print_help()
        return 2
    from ingest.embed import EmbedError
    from ingest.lock import IngestLocked
    from ingest.store import StoreError

    app = App(get_settings())
    try:
        return int(args.func(app, args) or 0)
    except (StoreError, IngestLocked, EmbedError) as e:
        _err(str(e))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
