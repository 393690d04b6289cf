"""`factdesk slack` and `factdesk feedback`; slack-bolt is imported only when `slack` runs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


SLACK_HELP = """\
Serve the Slack app: answers to mentions, DMs and /factdesk, the "Check with factdesk" message
shortcut and the App Home tab. Needs SLACK_BOT_TOKEN plus SLACK_APP_TOKEN (Socket Mode, no public
URL) or SLACK_SIGNING_SECRET (HTTP Events API at /slack/events); create the app from
slack-manifest.yml.

examples:
  factdesk slack                      # Socket Mode when SLACK_APP_TOKEN is set
  factdesk slack --port 3000          # HTTP Events API behind your HTTPS proxy

The app reads every sentence row into memory in the background at start and after each re-index
(seconds at 100k sentences; questions meanwhile are answered from the index directly), so that
answers come faster; FACTDESK_WARM_ROWS=0 turns that off on a small machine.
"""

FEEDBACK_HELP = """\
Summarise the 👍/👎 votes people gave answers in Slack (kept in FACTDESK_DATA_DIR).

examples:
  factdesk feedback
  factdesk feedback --json

--json prints one object: votes, up, down, questions (question, up, down).
"""


def cmd_slack(app: Any, args: argparse.Namespace) -> int:
    from bot.cli.common import say_pending
    from bot.slack import SlackSetupError, check_settings, run

    try:
        check_settings(app.settings)
        app.ensure_index()  # an ingest it runs says so if it upgraded the index (`say_upgrade`)
        say_pending(app.engine.store())  # the bot never upgrades: its startup log says when flags are stale
        app.engine.keep_warm()  # a long-lived bot: sentence rows read once in the background
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
    s = sub.add_parser("slack", help="answer in Slack: Socket Mode with SLACK_APP_TOKEN, else HTTP Events API",
                       description=SLACK_HELP)
    s.add_argument("--port", type=int, default=3000, help="HTTP mode: port for /slack/events (default 3000)")
    s.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to bind (default all)")
    s.set_defaults(func=cmd_slack)
    s = sub.add_parser("feedback", help="summarise the 👍/👎 votes given in Slack", description=FEEDBACK_HELP)
    s.add_argument("--json", action="store_true", help="votes, up, down and per-question counts as one object")
    s.set_defaults(func=cmd_feedback)
