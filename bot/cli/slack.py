"""`factdesk slack` and `factdesk feedback`; slack-bolt is imported only when `slack` runs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cmd_slack(app: Any, args: argparse.Namespace) -> int:
    from bot.slack import SlackSetupError, check_settings, run

    try:
        check_settings(app.settings)
        app.ensure_index()
        return run(app.engine, app.settings, host=args.host, port=args.port)
    except SlackSetupError as e:
        print(f"factdesk: {e}", file=sys.stderr)
        return 2


def cmd_feedback(app: Any, args: argparse.Namespace) -> int:
    from bot.feedback import FeedbackLog, format_summary

    summary = FeedbackLog(app.settings.data_dir).summary()
    print(json.dumps(summary, ensure_ascii=False) if args.json else format_summary(summary))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("slack", help="answer in Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP Events API")
    s.add_argument("--port", type=int, default=3000, help="HTTP mode: port for /slack/events (default 3000)")
    s.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to bind (default all)")
    s.set_defaults(func=cmd_slack)
    s = sub.add_parser("feedback", help="summarise the 👍/👎 votes given in Slack")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_feedback)
