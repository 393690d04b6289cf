"""The slash command, "Share in channel" and the 👍/👎 buttons, over signed HTTP requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.engine import Engine
from bot.feedback import FeedbackLog
from bot.slack_blocks import ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, escape
from tests.mock_slack import all_text, block_action, button, command_form, mention, signed_post
from tests.test_slack_http import FACE_Q, Env, slack_env

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def slack(seed_engine: Engine, tmp_path: Path) -> Iterator[Env]:
    with slack_env(seed_engine, tmp_path) as env:
        yield env


def _command(env: Env, text: str) -> tuple[int, str, str]:
    response_url = env.api.response_url()
    status, body = signed_post(env.url, urlencode(command_form(text, response_url)), FORM)
    return status, body, response_url


def _click(env: Env, action: dict[str, Any], **kw: Any) -> tuple[int, str]:
    response_url = env.api.response_url()
    payload = block_action(action, response_url, **kw)
    status, _ = signed_post(env.url, urlencode({"payload": json.dumps(payload)}), FORM)
    return status, response_url


def _responses(env: Env, response_url: str) -> list[dict[str, Any]]:
    path = response_url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    return [c.params for c in env.api.of("response_url") if c.path == "/" + path]


def test_slash_command_answers_ephemerally_with_a_share_button(slack: Env, seed_engine: Engine):
    status, body, url = _command(slack, FACE_Q)
    assert status == 200 and body == ""  # acked at once; the answer follows through response_url
    slack.settle()
    (resp,) = _responses(slack, url)
    assert resp["response_type"] == "ephemeral"
    shown = all_text(resp["blocks"])
    for c in seed_engine.ask(FACE_Q).citations:
        assert escape(c.text) in shown
    assert "⚠" in shown and "CORRECTED" in shown
    assert button(resp["blocks"], ACTION_SHARE)["text"]["text"] == "Share in channel"
    assert slack.posts() == []  # nothing in the channel until shared


def test_share_posts_the_answer_in_channel_and_removes_the_ephemeral_one(slack: Env):
    _, _, url = _command(slack, FACE_Q)
    slack.settle()
    (ephemeral,) = _responses(slack, url)
    status, share_url = _click(slack, button(ephemeral["blocks"], ACTION_SHARE), ephemeral=True)
    assert status == 200
    slack.settle()
    shared, deleted = _responses(slack, share_url)
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert "<@U0000042> shared an answer to" in all_text(shared["blocks"])
    shown = all_text(shared["blocks"])
    assert "⚠" in shown and "CORRECTED" in shown
    for b in ephemeral["blocks"]:
        if b["type"] == "section":
            assert b["text"]["text"] in shown  # the same answer, now in the channel
    assert [e["action_id"] for e in next(b for b in shared["blocks"] if b["type"] == "actions")["elements"]] == [
        ACTION_VOTE_UP, ACTION_VOTE_DOWN]  # no second share button once public
    assert deleted["delete_original"] is True and "response_type" not in deleted


def test_feedback_votes_are_recorded_and_summarised(slack: Env, capsys, monkeypatch):
    slack.post_event(mention(FACE_Q, ts="1700002000.000100"))
    slack.settle()
    blocks = slack.posts()[0]["blocks"]
    up, down = button(blocks, ACTION_VOTE_UP), button(blocks, ACTION_VOTE_DOWN)
    status, thanks_url = _click(slack, up, user="U0000001")
    assert status == 200
    _click(slack, up, user="U0000002")
    _click(slack, down, user="U0000002")  # changed their mind: replaces, not adds
    _click(slack, down, user="U0000003")
    slack.settle()
    (thanks,) = _responses(slack, thanks_url)
    assert thanks["response_type"] == "ephemeral" and "👍" in thanks["text"]
    votes = FeedbackLog(slack.settings.data_dir).votes()
    assert sorted((v["user"], v["vote"]) for v in votes) == [("U0000001", 1), ("U0000002", -1), ("U0000003", -1)]
    v = votes[0]
    assert v["question"] == FACE_Q and v["sources"] == ["megvii-hrw-correction-2019"]
    assert v["answer"].startswith("Note: the claim in") and v["message_ts"] == "1700000000.000200"

    from bot.cli import main

    monkeypatch.setenv("FACTDESK_DATA_DIR", str(slack.settings.data_dir))
    assert main(["feedback", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["votes"], summary["up"], summary["down"]) == (3, 1, 2)
    assert summary["questions"] == [{"question": FACE_Q, "up": 1, "down": 2}]
    assert main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert "3 vote(s): 👍 1  👎 2" in out and FACE_Q in out


def test_slash_command_without_a_question_explains_itself(slack: Env):
    _, _, url = _command(slack, "   ")
    slack.settle()
    (resp,) = _responses(slack, url)
    assert resp["response_type"] == "ephemeral" and "Ask me about" in resp["text"]
