"""`factdesk eval`: score answers against an eval set."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import App, dump, err


HELP = """\
Score the answers to an eval set's questions (hit rate, abstention, correction flags) on an index
built from the set's own sources, so your index is not touched.

examples:
  factdesk eval
  factdesk eval --file data/eval/multisource.jsonl --min-hit 0.95

--json prints the report as one object (hit_rate and the other figures the text report shows).
"""


def cmd_eval(app: App, args: argparse.Namespace) -> int:
    from bot.evaluate import format_report, run_eval

    path = Path(args.file)
    if not path.exists():
        err(f"no eval file at {path}")
        return 2
    try:
        report = run_eval(app.settings, app.embedder, path)
    except (ValueError, OSError, RuntimeError) as e:  # a bad file: one line, not a traceback
        err(f"eval {path}: {' '.join(str(e).split())[:300]}")
        return 2
    if args.json:
        dump(report)
    else:
        print(format_report(report))
    if args.min_hit is not None and (report["hit_rate"] or 0) < args.min_hit:
        err(f"hit rate {report['hit_rate']} is below --min-hit {args.min_hit}")
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("eval", help="score answers against an eval set", description=HELP)
    s.add_argument("--file", default="data/eval/questions.jsonl", help="the eval set (JSON Lines)")
    s.add_argument("--min-hit", type=float, default=None, metavar="RATE",
                   help="exit 1 when the hit rate is below RATE (for CI)")
    s.add_argument("--json", action="store_true", help="the whole report as one JSON object")
    s.set_defaults(func=cmd_eval)
