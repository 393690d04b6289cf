"""The `factdesk` command: a thin adapter over the ingest pipeline and the answer engine.

One module per command group; each has a `register(subparsers)` adding its commands, in the order
`--help` lists them. Adapters with heavy dependencies (slack-bolt) import them only when they run."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli import asking, check, corrections, evaluation, index, slack, sources
from bot.cli.common import App
from bot.cli.index import watch as _watch  # noqa: F401  (tests drive the watcher directly)

log = logging.getLogger("factdesk")

EPILOG = """\
examples:
  factdesk ingest data/sources
  factdesk ask "Did the police app use Megvii's face matching?"
  factdesk check "Human Rights Watch found the police app used Megvii's face matching."
  factdesk chat
  factdesk COMMAND --help            # examples and what --json prints, for each command

configuration: environment variables, or a .env file in the current folder (see .env.example).
  FACTDESK_DATA_DIR     where the index and chat history live (default ~/.local/share/factdesk)
  FACTDESK_SOURCES_DIR  what a plain `factdesk ingest` indexes (default data/sources)
  SLACK_BOT_TOKEN, SLACK_APP_TOKEN / SLACK_SIGNING_SECRET, FACTDESK_ALERT_CHANNEL  for Slack
"""

# Command groups in the order `factdesk --help` lists them.
COMMAND_GROUPS = [index, asking, check, sources, corrections, evaluation, slack]


class _CommandParser(argparse.ArgumentParser):
    """Every command's parser keeps its help's examples as written (one formatter, set once)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        # `factdesk ask "…" -v` is how people type it; the top-level flag alone refused that as an
        # unrecognized argument. SUPPRESS: absent here, the top level's value stands.
        self.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                          help="as `factdesk -v COMMAND`: sentence offsets and link origins; log to stderr")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="factdesk", description="Answers from news sources, quoting exact sentences "
                                "and flagging every quoted sentence that was later corrected or superseded.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-v", "--verbose", action="store_true", help="show sentence offsets and how correction "
                   "links were found in answers; log what happens, to stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """The `factdesk` command. Called as the process's entry point (`argv` None), a one-shot
    `ask` that wrote nothing ends the process once its output is flushed (`_exit_now`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.command:
        parser.print_help()
        return 2
    from bot.cli.common import err, load_settings
    from bot.redaction import install_redaction
    from ingest.embed import EmbedError
    from ingest.lock import IngestLocked
    from ingest.store import StoreError

    settings = load_settings()
    if settings is None:
        return 2
    install_redaction(settings)
    app = App(settings)
    try:
        rc = int(args.func(app, args) or 0)
        if argv is None and args.command == "ask" and app.read_only:
            _exit_now(rc)
        return rc
    except (StoreError, IngestLocked, EmbedError) as e:
        err(str(e))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _exit_now(rc: int) -> None:
    """End a one-shot question without the interpreter's teardown: freeing chromadb's modules and
    the opened index costs a cold `factdesk ask` about 0.25 s CPU (a quarter of what importing
    chromadb costs) and buys nothing, since `ask` wrote nothing. Output is flushed first; an ask
    that ingested the bundled sources (an empty index) exits normally."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    logging.shutdown()
    os._exit(rc)


__all__ = ["App", "build_parser", "main"]
