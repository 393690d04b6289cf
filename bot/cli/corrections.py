"""`factdesk corrections`: every link from a claim to what corrected or superseded it."""

from __future__ import annotations

import argparse

from bot.cli.common import App, console, dump


HELP = """\
List every correction link: a claim in the sources, and the later statement(s) that corrected,
withdrew or superseded it, with the note and how the link was found.

examples:
  factdesk corrections
  factdesk corrections --json | jq '.[].note'

--json prints one array; each link has claim (source, title, sentence, start, end, text,
  published), status (corrected|superseded), note, origin and by (the correcting sentences).
"""


def cmd_corrections(app: App, args: argparse.Namespace) -> int:
    from bot.render import render_corrections

    rows = app.engine.corrections()
    if args.json:
        dump(rows)
    else:
        render_corrections(rows, console())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("corrections", help="list every correction link", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--json", action="store_true", help="one JSON array of links (see above)")
    s.set_defaults(func=cmd_corrections)
