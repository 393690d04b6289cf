"""`factdesk corrections`: every link from a claim to what corrected or superseded it."""

from __future__ import annotations

import argparse

from bot.cli.common import App, console, dump


def cmd_corrections(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_corrections

    rows = app.engine.corrections()
    if args.json:
        dump(rows)
    else:
        render_corrections(rows, console())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("corrections", help="list every correction link")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_corrections)
