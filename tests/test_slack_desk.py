"""issue 14 in Slack, over signed requests to the real bolt app and the mock Web API: the
"Check with factdesk" message shortcut, its "Post in thread" button, and the App Home tab."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.engine import Engine
from bot.slack_blocks import escape
from bot.slack_views import ACTION_POST_CHECK, CHECK_CALLBACK
from tests.mock_slack import TEAM_ID, all_text, block_action, button, signed_post
from tests.test_slack_answers_read_well import assert_no_stray_quote_marker
from tests.test_slack_http import Env, slack_env

FORM = "application/x-www-form-urlencoded"
FORWARDED = ("Hi team. Human Rights Watch found that a police app in Xinjiang used Megvii's technology to match "
             "faces with photo identification. The company opened a new office on Mars last week.")
CLAIM = ("The influential watchdog said in last month’s report that a mobile app used by police to track citizens "
         "in Xinjiang")
WITHDRAWAL = "Human Rights Watch has withdrawn an assertion from a May report"


@pytest.fixture
def slack(seed_engine: Engine, tmp_path: Path) -> Iterator[Env]:
    with slack_env(seed_engine, tmp_path) as env:
        yield env


def message_action(text: str, response_url: str, *, ts: str = "1700003000.000100",
                   thread_ts: str | None = None) -> dict[str, Any]:
    """A message shortcut payload as Slack sends it (type message_action)."""
    msg = {"type": "message", "user": "U0000077", "ts": ts, "text": text}
    if thread_ts:
        msg["thread_ts"] = thread_ts
    return {"type": "message_action", "callback_id": CHECK_CALLBACK, "trigger_id": "1337.42.abcdef",
            "response_url": response_url, "action_ts": str(time.time()), "message_ts": ts,
            "team": {"id": TEAM_ID, "domain": "example"}, "channel": {"id": "C0000001", "name": "general"},
            "user": {"id": "U0000042", "name": "editor"}, "token": "legacy-unused", "message": msg}


def _responses(env: Env, response_url: str) -> list[dict[str, Any]]:
    path = "/" + response_url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    return [c.params for c in env.api.of("response_url") if c.path == path]


def _check(env: Env, text: str, **kw: Any) -> dict[str, Any]:
    url = env.api.response_url()
    status, body = signed_post(env.url, urlencode({"payload": json.dumps(message_action(text, url, **kw))}), FORM)
    assert status == 200 and body == ""  # acked at once; the reply follows through response_url
    env.settle()
    (resp,) = _responses(env, url)
    return resp


def test_check_shortcut_quotes_the_corrected_claim_with_its_correction_to_the_asker_only(slack: Env):
    resp = _check(slack, FORWARDED)
    assert resp["response_type"] == "ephemeral"
    shown = all_text(resp["blocks"])
    assert "You checked: _Hi team." in shown  # the message restated
    assert "⚠ The sources on this point include a claim later corrected" in shown
    assert escape(CLAIM) in shown and "⚠ *CORRECTED*" in shown
    assert WITHDRAWAL in shown
    assert "Not in the sources" in shown and "Mars" in shown
    assert "Hi team" not in shown.split("\n", 1)[1]  # the greeting is not checked
    assert_no_stray_quote_marker(resp["blocks"])
    assert slack.posts() == []  # nothing in the channel until posted


def test_post_in_thread_posts_the_check_in_the_message_thread(slack: Env):
    resp = _check(slack, FORWARDED, ts="1700003100.000100", thread_ts="1700003000.000100")
    url = slack.api.response_url()
    status, _ = signed_post(slack.url, urlencode({"payload": json.dumps(
        block_action(button(resp["blocks"], ACTION_POST_CHECK), url, ephemeral=True))}), FORM)
    assert status == 200
    slack.settle()
    (post,) = slack.posts()
    assert post["channel"] == "C0000001" and post["thread_ts"] == "1700003000.000100"
    shown = all_text(post["blocks"])
    assert "<@U0000042> checked this message with factdesk" in shown
    assert escape(CLAIM) in shown and WITHDRAWAL in shown and "⚠ *CORRECTED*" in shown
    for b in resp["blocks"]:
        if b["type"] == "section":
            assert b["text"]["text"] in shown  # the same check, now in the thread
    assert_no_stray_quote_marker(post["blocks"])  # the mention in its header is markup, not a quote
    (deleted,) = _responses(slack, url)
    assert deleted["delete_original"] is True


def test_a_message_with_nothing_to_check_says_so(slack: Env):
    resp = _check(slack, "Thanks! Is that right?")
    assert "Nothing to check" in all_text(resp["blocks"])


def test_app_home_publishes_the_index_status(slack: Env):
    event = {"type": "app_home_opened", "user": "U0000042", "channel": "D0000001", "tab": "home",
             "event_ts": "1700004000.000100"}
    assert slack.post_event(event) == 200
    slack.settle()
    (call,) = slack.api.of("views.publish")
    assert call.params["user_id"] == "U0000042"
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    shown = all_text(view["blocks"])
    assert "*Sources*\n1" in shown and "*Sentences*\n20" in shown and "*Flagged sentences*\n⚠ 1" in shown
    assert "MiniLM" in shown and "Latest corrections" in shown and "Withdrawn by Human Rights Watch" in shown
    assert "Check with factdesk" in shown and "/factdesk" in shown
    assert_no_stray_quote_marker(view["blocks"])
