"""`factdesk sources`: what is in the index."""

from __future__ import annotations

import argparse

from bot.cli.common import App, console, dump


def cmd_sources(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_sources

    rows = app.engine.sources()
    if args.json:
        dump(rows)
    elif not rows:
        print("no sources indexed: run `factdesk ingest`")
    else:
        render_sources(rows, console())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sources", help="list indexed sources")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sources)
