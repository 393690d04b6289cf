"""`factdesk check`: what the sources say on each statement of a text (a draft, a forwarded claim)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import App, console, dump, err

HELP = """\
Split TEXT into sentences and, for each one that states something (not a question, greeting or
fragment under four words), quote what the sources say on that point: the matching sentences,
⚠ corrections of them, later coverage, or "not in the sources". factdesk does not judge whether
a statement is true; it shows what the sources hold. A long text is checked on its first 20
statements (MAX_SENTENCES in bot/check.py); stderr says how many more were left out.

examples:
  factdesk check "Human Rights Watch found that the police app used Megvii's face matching."
  pbpaste | factdesk check - --json

--json prints one JSON object per checked sentence, one per line:
  {"text", "start", "end", "verdict", "citations"}
  start/end are character offsets into TEXT; verdict is found | corrected | later | not_found
  (corrected: the matching sentences include a claim later corrected or superseded);
  citations are in the Answer contract of `factdesk ask --json`.
"""


def cmd_check(app: App, args: argparse.Namespace) -> int:
    from bot.check import check_text
    from bot.notices import NOTHING_TO_CHECK, VERDICTS
    from rich.text import Text

    from bot.render import render_answer

    if args.text == ["-"] or (not args.text and not sys.stdin.isatty()):
        text = sys.stdin.read()
    else:
        text = " ".join(args.text)
    if not text.strip():
        err('check what? usage: factdesk check "TEXT" (or - to read standard input) [--json]')
        return 2
    app.ensure_index()
    report = check_text(app.engine, text)
    if args.json:
        for c in report.checked:
            dump(c.to_json())
    else:
        out = console()
        if not report.checked:
            out.print(NOTHING_TO_CHECK)
        for c in report.checked:
            out.print()
            out.print(Text(f"“{c.text}”", style="bold"))
            style = {"corrected": "bold red", "not_found": "yellow", "later": "bold magenta"}.get(c.verdict, "bold")
            out.print(VERDICTS[c.verdict], style=style)
            if c.citations:
                render_answer(c.answer, out, lead=False, verbose=args.verbose)
    if report.left_out:
        err(f"checked the first {len(report.checked)} statements; {report.left_out} more were left out")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("check", help="what the sources say on each statement of a text",
                       description=HELP)
    s.add_argument("text", nargs="*", metavar="TEXT", help='the text to check, or "-" for standard input')
    s.add_argument("--json", action="store_true", help="one JSON object per checked sentence (see above)")
    s.set_defaults(func=cmd_check)
