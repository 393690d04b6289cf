"""`factdesk slack` over the HTTP Events API: signed requests through bolt's real WSGI adapter,
answers posted to a recording mock of Slack's Web API on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.slack import FactdeskSlack, HttpServer, RedactSecrets, conversation_from_messages, slack_question
from bot.slack_blocks import META_EVENT, escape
from ingest.settings import Settings
from tests.mock_slack import (BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, MockSlackAPI, TrackingExecutor,
                              all_text, dm, event_body, mention, signed_post)

FACE_Q = "Did the police app use Megvii's face matching?"


@dataclass
class Env:
    api: MockSlackAPI
    server: HttpServer
    bot: FactdeskSlack
    executor: TrackingExecutor
    settings: Settings

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/slack/events"

    def post_event(self, event: dict[str, Any], *, event_id: str | None = None, **kw: Any) -> int:
        status, _ = signed_post(self.url, json.dumps(event_body(event, event_id=event_id)), "application/json", **kw)
        return status

    def settle(self) -> None:
        self.executor.wait_idle()

    def posts(self) -> list[dict[str, Any]]:
        return [c.params for c in self.api.of("chat.postMessage")]


@contextmanager
def slack_env(engine: Engine, tmp_path: Path, **settings: Any) -> Iterator[Env]:
    api = MockSlackAPI().start()
    executor = TrackingExecutor()
    server = None
    try:
        s = Settings(_env_file=None, data_dir=tmp_path / "slack-data", slack_bot_token=BOT_TOKEN,
                     slack_signing_secret=SIGNING_SECRET, slack_api_url=api.url, **settings)
        bot = FactdeskSlack(engine, s, executor=executor)
        server = bot.http_server("127.0.0.1", 0).start()
        yield Env(api, server, bot, executor, s)
    finally:
        if server:
            server.stop()
        executor.wait_idle()
        executor.shutdown(wait=True)
        api.stop()


@pytest.fixture
def slack(seed_engine: Engine, tmp_path: Path) -> Iterator[Env]:
    with slack_env(seed_engine, tmp_path) as env:
        yield env


def test_mention_gets_one_threaded_answer_with_exact_sentences_and_the_correction(slack: Env, seed_engine: Engine):
    assert slack.post_event(mention(FACE_Q, ts="1700000100.000100")) == 200
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1
    p = posts[0]
    assert p["channel"] == "C0000001" and p["thread_ts"] == "1700000100.000100"
    shown = all_text(p["blocks"])
    expected = seed_engine.ask(FACE_Q)
    flagged = expected.flagged
    assert flagged, "the seed claim about Megvii's face matching is flagged"
    for c in expected.citations:
        assert escape(c.text) in shown  # the exact sentence, only escaped
    for c in flagged:
        assert "⚠" in shown and "CORRECTED" in shown
        for b in c.correction.by:
            assert escape(b.text) in shown
    assert "Rights Group Corrects Report Tying Megvii to Xinjiang Police" in shown and "Bloomberg" in shown
    assert "June 2019" in shown
    assert "⚠" in p["text"]  # the notification fallback carries the flag too
    assert len(p["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in p["blocks"] if b["type"] == "section")
    assert p["metadata"]["event_type"] == META_EVENT
    # 👀 while working, removed after the answer was posted
    order = [c.method for c in slack.api.calls if c.method in ("reactions.add", "chat.postMessage", "reactions.remove")]
    assert order == ["reactions.add", "chat.postMessage", "reactions.remove"]
    for m in ("reactions.add", "reactions.remove"):
        params = slack.api.of(m)[0].params
        assert {k: params[k] for k in ("channel", "timestamp", "name")} == {
            "channel": "C0000001", "timestamp": "1700000100.000100", "name": "eyes"}
    # the bot token goes in the Authorization header of every Web API call
    assert all(c.headers.get("Authorization") == f"Bearer {BOT_TOKEN}" for c in slack.api.calls)


def _as_reply(post: dict[str, Any], ts: str, thread_ts: str, *, metadata: bool) -> dict[str, Any]:
    msg = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": post["text"], "ts": ts,
           "thread_ts": thread_ts}
    if metadata:
        msg["metadata"] = post["metadata"]
    return msg


@pytest.mark.parametrize("metadata", [True, False], ids=["metadata", "no-metadata"])
def test_follow_up_in_a_thread_uses_the_earlier_turn(slack: Env, seed_engine: Engine, metadata: bool):
    # (alone, "Who backs it?" is read as asked; the standalone form above shows the thread was used)
    root = "1700000200.000100"
    slack.post_event(mention("What is Megvii?", ts=root))
    slack.settle()
    first = slack.posts()[0]
    slack.api.replies[root] = [
        {"type": "message", "user": "U0000042", "text": f"<@{BOT_USER_ID}> What is Megvii?", "ts": root},
        _as_reply(first, "1700000201.000100", root, metadata=metadata),
        {"type": "message", "user": "U0000077", "text": "interesting, thanks", "ts": "1700000202.000100",
         "thread_ts": root},
    ]
    slack.post_event(mention("Who backs it?", ts="1700000203.000100", thread_ts=root))
    slack.settle()
    replies = slack.api.of("conversations.replies")
    assert len(replies) == 1 and replies[0].params["ts"] == root
    posts = slack.posts()
    assert len(posts) == 2
    follow = posts[1]
    assert follow["thread_ts"] == root
    payload = follow["metadata"]["event_payload"]
    assert payload["standalone"] == "Who backs Megvii?"  # the follow-up inherits the subject (bot/conversation.py)
    assert payload["answered"] is True
    assert "backed by Alibaba" in all_text(follow["blocks"])


def test_bad_signature_and_stale_timestamp_get_401_and_no_reply(slack: Env):
    import time

    assert slack.post_event(mention(FACE_Q, ts="1700000300.000100"), signature="v0=" + "0" * 64) == 401
    assert slack.post_event(mention(FACE_Q, ts="1700000301.000100"), secret="not-the-secret") == 401
    stale = int(time.time()) - 10 * 60  # correctly signed, but replayable: older than five minutes
    assert slack.post_event(mention(FACE_Q, ts="1700000302.000100"), timestamp=stale) == 401
    slack.settle()
    assert slack.api.calls == [] or {c.method for c in slack.api.calls} <= {"auth.test"}
    # the same request, properly signed, is answered: the 401s were about the signature
    assert slack.post_event(mention(FACE_Q, ts="1700000303.000100")) == 200
    slack.settle()
    assert len(slack.posts()) == 1


def test_a_retried_event_is_answered_once(slack: Env):
    ev = mention(FACE_Q, ts="1700000400.000100")
    assert slack.post_event(ev, event_id="Ev0RETRY001") == 200
    assert slack.post_event(ev, event_id="Ev0RETRY001",
                            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    slack.settle()
    assert slack.post_event(ev, event_id="Ev0RETRY001",
                            headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    slack.settle()
    assert len(slack.posts()) == 1
    assert len(slack.api.of("reactions.add")) == 1


def test_app_mention_and_message_for_one_post_are_answered_once(slack: Env):
    ts = "1700000500.000100"
    text = f"<@{BOT_USER_ID}> {FACE_Q}"
    slack.post_event({**mention(FACE_Q, ts=ts, channel="D0000009"), "channel_type": "im"})
    slack.post_event(dm(text, ts=ts, channel="D0000009"))
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1 and posts[0].get("thread_ts") is None  # answered as a DM, not in a thread


def test_unreadable_thread_history_still_gets_an_answer(slack: Env):
    slack.api.errors["conversations.replies"] = "missing_scope"
    slack.post_event(mention(FACE_Q, ts="1700000550.000100", thread_ts="1700000549.000100"))
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000549.000100" and "⚠" in posts[0]["text"]


def test_own_messages_edits_and_channel_chatter_are_ignored(slack: Env):
    slack.post_event(dm("Who developed the police app?", ts="1700000600.000100", user=BOT_USER_ID, bot_id=BOT_ID))
    slack.post_event(dm("edited", ts="1700000601.000100", subtype="message_changed",
                        message={"text": "Who developed the police app?", "ts": "1700000599.000100"}))
    slack.post_event(dm("Who developed the police app?", ts="1700000602.000100", subtype="bot_message",
                        bot_id="BOTHER01"))
    slack.post_event({**dm("Who developed the police app?", ts="1700000603.000100", channel="C0000001"),
                      "channel_type": "channel"})
    slack.settle()
    assert slack.posts() == [] and slack.api.of("reactions.add") == []
    # a plain DM is answered, at the top level of the DM
    slack.post_event(dm("Who developed the police app?", ts="1700000604.000100"))
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1 and posts[0]["channel"] == "D0000001" and posts[0].get("thread_ts") is None
    assert "China Electronics Technology Group Corp" in all_text(posts[0]["blocks"])


def test_a_429_is_retried_after_retry_after(slack: Env, monkeypatch):
    from slack_sdk.http_retry import builtin_handlers

    slept: list[float] = []
    fake_time = types.SimpleNamespace(sleep=slept.append, time=builtin_handlers.time.time)
    monkeypatch.setattr(builtin_handlers, "time", fake_time)
    slack.api.rate_limits["chat.postMessage"] = [7]
    slack.post_event(mention(FACE_Q, ts="1700000700.000100"))
    slack.settle()
    attempts = slack.api.of("chat.postMessage", ok_only=False)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[0].params["blocks"] == attempts[1].params["blocks"]
    assert len(slept) == 1 and slept[0] >= 7  # waited as long as Retry-After asked


def test_markup_in_sources_is_escaped(embedder, tmp_path: Path):
    from ingest.pipeline import Indexer

    src = tmp_path / "src"
    src.mkdir()
    (src / "ops.md").write_text(
        "---\nid: ops-bulletin\ntitle: Ops <b>&</b> Alerts\npublisher: Night & Day <News>\npublished: 2024-01-02\n"
        "url: https://example.com/ops?a=1&b=<x>\n---\n"
        "The Zephyrine bulletin told the night staff to type <!channel> and <@U123> when the Zephyrine "
        "reactor overheats & the alarm sounds.\n\nThe canteen opens at noon.\n", encoding="utf-8")
    s = Settings(_env_file=None, data_dir=tmp_path / "idx", sources_dir=src)
    assert Indexer(s, embedder=embedder).ingest([str(src)]).ok
    engine = Engine(s, embedder=embedder)
    with slack_env(engine, tmp_path) as env:
        env.post_event(mention("What did the Zephyrine bulletin tell the night staff to type?", ts="1700000800.000100"))
        env.settle()
        posts = env.posts()
    assert len(posts) == 1
    p = posts[0]
    shown = all_text(p["blocks"])
    assert "&lt;!channel&gt;" in shown and "&lt;@U123&gt;" in shown and "overheats &amp; the alarm" in shown
    assert "Ops &lt;b&gt;&amp;&lt;/b&gt; Alerts" in shown and "Night &amp; Day &lt;News&gt;" in shown
    raw = shown + p["text"]  # everything Slack renders (button values are data, never shown)
    for markup in ("<!channel>", "<@U123>", "<b>", "<News>", "<x>"):
        assert markup not in raw
    assert "<https://example.com/ops?a=1&amp;b=&lt;x&gt;|Ops &lt;b&gt;&amp;&lt;/b&gt; Alerts>" in shown  # the title linked, URL escaped


def test_an_error_posts_an_apology_in_the_thread_and_the_app_keeps_serving(slack: Env, seed_engine: Engine,
                                                                           monkeypatch, caplog):
    real_ask = seed_engine.ask

    def flaky(question: str, conversation: Any = None) -> Any:
        if "explode" in question:
            raise RuntimeError("index on fire")
        return real_ask(question, conversation)

    monkeypatch.setattr(seed_engine, "ask", flaky)
    caplog.set_level(logging.ERROR, logger="factdesk.slack")
    slack.post_event(mention("please explode", ts="1700000900.000100"))
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000900.000100"
    assert "Sorry" in posts[0]["text"] and "index on fire" not in posts[0]["text"]
    assert any(r.exc_info and "index on fire" in str(r.exc_info[1]) for r in caplog.records)
    assert len(slack.api.of("reactions.remove")) == 1  # the 👀 does not linger on a failure
    slack.post_event(mention(FACE_Q, ts="1700000901.000100"))
    slack.settle()
    assert len(slack.posts()) == 2 and "⚠" in slack.posts()[1]["text"]


def test_an_empty_mention_gets_usage_not_an_apology(slack: Env):
    slack.post_event(mention("", ts="1700001000.000100"))
    slack.settle()
    posts = slack.posts()
    assert len(posts) == 1 and "Ask me about" in posts[0]["text"] and "Sorry" not in posts[0]["text"]


def test_a_question_error_keeps_its_capitals(slack: Env):
    """The reason a question cannot be asked was sent through str.capitalize(), which lowercases
    everything after the first letter: "Invalid unicode … not utf-8"."""
    slack.post_event(mention("Did the police app use \ud800 Megvii?", ts="1700001100.000100"))
    slack.settle()
    (post,) = slack.posts()
    assert post["text"].startswith("Invalid Unicode in the question") and "UTF-8" in post["text"]


def test_tokens_and_secrets_never_reach_the_logs(slack: Env, caplog):
    caplog.set_level(logging.DEBUG)
    slack.post_event(mention(FACE_Q, ts="1700001100.000100"))
    slack.settle()
    assert len(slack.posts()) == 1
    assert caplog.records, "debug logging was captured"
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text


def test_redaction_filter_scrubs_tokens_from_messages_and_tracebacks():
    f = RedactSecrets([BOT_TOKEN, SIGNING_SECRET])
    rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "auth failed for %s with %s", (BOT_TOKEN, "xapp-1-A-B"),
                            None)
    f.filter(rec)
    assert BOT_TOKEN not in rec.getMessage() and "xapp-1-A-B" not in rec.getMessage()
    try:
        raise ValueError(f"secret {SIGNING_SECRET}")
    except ValueError:
        import sys

        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    f.filter(rec)
    assert SIGNING_SECRET not in (rec.exc_text or "") and "[redacted]" in rec.exc_text


def test_slack_text_becomes_a_plain_question():
    text = f"<@{BOT_USER_ID}> what did <@U0000042|ann> say about <https://x.example/a|this> &amp; <#C1|general>?"
    assert slack_question(text, BOT_USER_ID) == "what did @ann say about this & #general?"


def test_a_thread_without_our_answers_has_no_turns():
    msgs = [{"type": "message", "user": "U1", "text": "just chatting", "ts": "1.0"},
            {"type": "message", "user": "U2", "text": f"<@{BOT_USER_ID}> hello?", "ts": "2.0"}]
    conv = conversation_from_messages(msgs, bot_user_id=BOT_USER_ID, bot_id=BOT_ID, require_mention=True)
    assert conv.turns == []


def test_a_thread_turn_keeps_the_answers_first_sentence_for_a_later_he():
    """An answer posted in a thread carries its first quoted sentence in its metadata, so a "he"
    asked later in the thread means the person it named, as in the terminal chat. (Invented names.)"""
    from bot.answer import Answer, Citation
    from bot.slack_blocks import META_EVENT, answer_payload

    text = "Harlow's governor, Dana Whitcombe, said the toll would climb."
    cit = Citation(n=1, source="s1", title="t", published="", url="", sentence=3, start=0, end=len(text), text=text,
                   score=0.5)
    ans = Answer(question="Who is Harlow's governor?", answered=True, answer=text, citations=[cit],
                 standalone="Who is Harlow's governor?")
    msgs = [{"type": "message", "user": "U1", "text": f"<@{BOT_USER_ID}> Who is Harlow's governor?", "ts": "1.0"},
            {"type": "message", "bot_id": BOT_ID, "text": text, "ts": "2.0",
             "metadata": {"event_type": META_EVENT, "event_payload": answer_payload(ans)}}]
    conv = conversation_from_messages(msgs, bot_user_id=BOT_USER_ID, bot_id=BOT_ID, require_mention=True)
    assert conv.resolve("How did she describe the fire?") == "How did Dana Whitcombe describe the fire?"
    # an answer posted before the sentence was kept: "she" is the previous question's subject, as before
    old = {**answer_payload(ans)}
    old.pop("lead")
    msgs[1]["metadata"]["event_payload"] = old
    conv = conversation_from_messages(msgs, bot_user_id=BOT_USER_ID, bot_id=BOT_ID, require_mention=True)
    assert "Dana Whitcombe" not in conv.resolve("How did she describe the fire?")


def test_factdesk_slack_refuses_to_start_without_tokens(capsys):
    from bot.cli import main

    assert main(["slack"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_a_dm_follow_up_uses_the_dm_history(slack: Env):
    slack.post_event(dm("What is Megvii?", ts="1700001200.000100"))
    slack.settle()
    first = slack.posts()[0]
    assert first.get("thread_ts") is None
    slack.api.history["D0000001"] = [  # newest first, as conversations.history returns them
        _as_reply(first, "1700001201.000100", "", metadata=True) | {"thread_ts": None},
        {"type": "message", "user": "U0000042", "text": "What is Megvii?", "ts": "1700001200.000100"},
    ]
    slack.post_event(dm("Who backs it?", ts="1700001300.000100"))
    slack.settle()
    hist = slack.api.of("conversations.history")[-1]  # each top-level DM reads the recent history
    assert hist.params["channel"] == "D0000001" and hist.params["latest"] == "1700001300.000100"
    follow = slack.posts()[1]
    assert follow["metadata"]["event_payload"]["standalone"] == "Who backs Megvii?"  # the follow-up inherits the subject (bot/conversation.py)
    assert "backed by Alibaba" in all_text(follow["blocks"])


def test_factdesk_slack_command_serves_http_end_to_end(seed_engine: Engine, tmp_path: Path):
    """The console command itself: settings from the environment, the HTTP server, one answer."""
    import os
    import socket
    import subprocess
    import sys
    import time

    api = MockSlackAPI().start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": api.url, "FACTDESK_DATA_DIR": str(seed_engine.settings.data_dir)}
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "-v", "slack", "--host", "127.0.0.1", "--port",
                             str(port)], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        body = json.dumps(event_body(mention(FACE_Q, ts="1700001400.000100")))
        deadline = time.monotonic() + 60
        status = None
        while status is None:
            try:
                status, _ = signed_post(url, body, "application/json")
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stderr.read() if proc.poll() is not None else "server never came up") from None
                time.sleep(0.2)
        assert status == 200
        (post,) = [c.params for c in api.wait_for("chat.postMessage")]
        assert post["thread_ts"] == "1700001400.000100" and "⚠" in post["text"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        api.stop()
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in err  # -v logs at INFO; the tokens are not in them


def test_a_thread_replayed_without_metadata_reads_lowercase_names_as_the_engine_does():
    """Older answers carry no metadata: each turn's standalone form is replayed from the questions.
    With the engine's recasing, "and how did orvanta fare" names its own subject, as it did when the
    engine answered it, so a later "it" points to Orvanta, not back to Quillshaw. (Invented names.)"""
    from bot.conversation import Conversation
    from bot.names import lexicon, recase

    if not lexicon().loaded:
        pytest.skip("the en_US dictionary (chunspell) is not installed")
    written = {"quillshaw": "Quillshaw", "orvanta": "Orvanta"}
    casing = lambda text: recase(text, written.get)  # noqa: E731
    msgs = [{"type": "message", "user": "U1", "text": f"<@{BOT_USER_ID}> who founded quillshaw", "ts": "1.0"},
            {"type": "message", "bot_id": BOT_ID, "text": "Mira Tallis founded it.", "ts": "2.0"},
            {"type": "message", "user": "U1", "text": f"<@{BOT_USER_ID}> and how did orvanta fare", "ts": "3.0"},
            {"type": "message", "bot_id": BOT_ID, "text": "Its shares fell.", "ts": "4.0"}]
    conv = conversation_from_messages(msgs, bot_user_id=BOT_USER_ID, bot_id=BOT_ID, require_mention=True,
                                      casing=casing)
    live = Conversation()
    live.add("who founded quillshaw", None)
    assert [t.standalone for t in conv.turns] == ["who founded quillshaw", live.resolve("and how did orvanta fare",
                                                                                         casing=casing)]
    assert conv.turns[1].standalone == "and how did orvanta fare"
    assert conv.resolve("who runs it now", casing=casing) == "who runs Orvanta now"
