"""Socket Mode: the real bolt SocketModeHandler (slack_sdk's built-in client) against a local
WebSocket server speaking Slack's protocol — `apps.connections.open` on the mock Web API hands
out its ws:// URL, the server greets with `hello`, sends envelopes and records the acks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.feedback import FeedbackLog
from bot.slack import FactdeskSlack
from bot.slack_blocks import ACTION_VOTE_DOWN, escape
from ingest.settings import Settings
from tests.mock_slack import (APP_TOKEN, BOT_TOKEN, MockSlackAPI, MockSocketMode, TrackingExecutor, all_text,
                              block_action, button, command_form, event_body, mention)
from tests.test_slack_http import FACE_Q


@dataclass
class SocketEnv:
    api: MockSlackAPI
    ws: MockSocketMode
    bot: FactdeskSlack
    executor: TrackingExecutor
    settings: Settings


@pytest.fixture
def socket_env(seed_engine: Engine, tmp_path: Path) -> Iterator[SocketEnv]:
    api = MockSlackAPI().start()
    ws = MockSocketMode().start()
    api.ws_url = ws.url
    executor = TrackingExecutor()
    handler = None
    try:
        # no signing secret: Socket Mode needs none
        s = Settings(_env_file=None, data_dir=tmp_path / "slack-data", slack_bot_token=BOT_TOKEN,
                     slack_app_token=APP_TOKEN, slack_api_url=api.url)
        bot = FactdeskSlack(seed_engine, s, executor=executor)
        handler = bot.socket_mode()
        handler.connect()
        ws.wait_connected()
        yield SocketEnv(api, ws, bot, executor, s)
    finally:
        if handler:
            handler.close()
        executor.wait_idle()
        executor.shutdown(wait=True)
        ws.stop()
        api.stop()


def test_connects_with_the_app_token(socket_env: SocketEnv):
    (opened,) = socket_env.api.of("apps.connections.open")
    assert opened.headers.get("Authorization") == f"Bearer {APP_TOKEN}"


def test_events_api_envelope_is_acked_and_answered_in_thread(socket_env: SocketEnv, seed_engine: Engine):
    env_id = socket_env.ws.send("events_api", event_body(mention(FACE_Q, ts="1700003000.000100")))
    ack = socket_env.ws.wait_ack(env_id)
    assert ack["envelope_id"] == env_id
    socket_env.executor.wait_idle()
    (post,) = [c.params for c in socket_env.api.of("chat.postMessage")]
    assert post["thread_ts"] == "1700003000.000100"
    shown = all_text(post["blocks"])
    for c in seed_engine.ask(FACE_Q).citations:
        assert escape(c.text) in shown
    assert "⚠" in shown and "CORRECTED" in shown
    # the same post under a new event id (app_mention + message) and a redelivered event id
    # (Slack retries over Socket Mode too) are acked, not answered again
    again = socket_env.ws.send("events_api", {**event_body(mention(FACE_Q, ts="1700003000.000100")),
                                              "event_id": "EvSAME0001"})
    socket_env.ws.wait_ack(again)
    dup = socket_env.ws.send("events_api", {**event_body(mention(FACE_Q, ts="1700003001.000100")),
                                            "event_id": "EvSAME0001"})
    socket_env.ws.wait_ack(dup)
    socket_env.executor.wait_idle()
    assert len(socket_env.api.of("chat.postMessage")) == 1


def test_slash_command_and_feedback_over_socket_mode(socket_env: SocketEnv):
    url = socket_env.api.response_url()
    env_id = socket_env.ws.send("slash_commands", command_form(FACE_Q, url), accepts_response_payload=True)
    socket_env.ws.wait_ack(env_id)
    socket_env.executor.wait_idle()
    (resp,) = [c.params for c in socket_env.api.of("response_url")]
    assert resp["response_type"] == "ephemeral" and "⚠" in all_text(resp["blocks"])

    click = block_action(button(resp["blocks"], ACTION_VOTE_DOWN), socket_env.api.response_url(), ephemeral=True)
    env_id = socket_env.ws.send("interactive", click)
    socket_env.ws.wait_ack(env_id)
    socket_env.executor.wait_idle()
    (vote,) = FeedbackLog(socket_env.settings.data_dir).votes()
    assert vote["vote"] == -1 and vote["question"] == FACE_Q and vote["user"] == "U0000042"
    assert vote["sources"] == ["megvii-hrw-correction-2019"]
