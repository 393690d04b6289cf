"""Slack text and threads → what the engine reads: the plain question, and the earlier turns of a
thread rebuilt from Slack's own messages (never remembered locally, so replicas agree)."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..answer import Answer, Citation
from ..conversation import Casing, Conversation
from ..slack_blocks import META_EVENT

log = logging.getLogger("factdesk.slack")

DM_CONTEXT_SECONDS = 3600  # a top-level DM older than this no longer counts as the conversation
_MARKUP = re.compile(r"<([^<>]*)>")


def slack_question(text: str, bot_user_id: str | None) -> str:
    """Plain text of a Slack message as the engine should see it: the bot's own mention dropped,
    other markup reduced to what a reader sees, entities unescaped (they are re-escaped on output)."""

    def sub(m: re.Match[str]) -> str:
        inner = m.group(1)
        target, _, label = inner.partition("|")
        if bot_user_id and target == f"@{bot_user_id}":
            return ""
        if target.startswith(("@", "#")):
            return (("@" if target[0] == "@" else "#") + label) if label else target
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return label or target

    plain = _MARKUP.sub(sub, text or "")
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", plain).strip()


def _stub_answer(p: dict[str, Any], question: str) -> Answer:
    """Enough of an earlier Answer for the engine's follow-up logic: which sources it cited, and its
    first quoted sentence (`lead`, where a later "he" finds the person it named; empty in answers
    posted before it was kept)."""
    lead = str(p.get("lead") or "")
    cits = [Citation(n=i, source=str(s), title="", published="", url="", sentence=None, start=None, end=None,
                     text=lead if i == 1 else "", score=0.0) for i, s in enumerate(p.get("sources") or [], 1)]
    return Answer(question=question, answered=bool(p.get("answered")), answer="", citations=cits,
                  standalone=str(p.get("standalone") or question))


def _replayed_standalone(conv: Conversation, question: str, casing: Casing | None = None) -> str:
    """What the engine searched for, replayed from the questions alone: with the engine's recasing,
    so that a lowercase question naming its own subject ("and how did orvanta fare") stands alone
    here as it did when answered, and a later "it" points to Orvanta, not to the turn before."""
    return conv.resolve(question, casing=casing)


def conversation_from_messages(messages: list[dict[str, Any]], *, bot_user_id: str | None, bot_id: str | None,
                               require_mention: bool, casing: Casing | None = None) -> Conversation:
    """Rebuild a thread's turns: a user question followed by this bot's answer is one turn.
    Answers carry their question and standalone form as metadata; when Slack returns none
    (older messages), the standalone form is replayed from the questions alone (`casing`: the
    engine's, `Engine.recase`, so the replay reads lowercase names as the engine did)."""
    conv = Conversation()
    pending: str | None = None
    for m in messages:
        mine = bool((bot_id and m.get("bot_id") == bot_id) or (bot_user_id and m.get("user") == bot_user_id))
        if mine:
            meta = m.get("metadata") or {}
            kind = meta.get("event_type")
            if kind == META_EVENT:
                p = meta.get("event_payload") or {}
                q = str(p.get("question") or pending or "")
                if q:
                    conv.add(q, _stub_answer(p, q), str(p.get("standalone") or q))
            elif kind is None and pending:
                conv.add(pending, None, _replayed_standalone(conv, pending, casing))
            pending = None
        elif not m.get("bot_id") and not m.get("subtype"):
            text = m.get("text") or ""
            if require_mention and not (bot_user_id and f"<@{bot_user_id}>" in text):
                continue
            q = slack_question(text, bot_user_id)
            if q:
                pending = q
    return conv


def thread_history(client: WebClient, context: Any, channel: str, ts: str, thread_ts: str | None,
                   im: bool, casing: Casing | None = None) -> Conversation | None:
    """The earlier turns this message follows, read from Slack rather than remembered. Without
    them (a missing history scope, an API error) the question is answered on its own."""
    try:
        return _read_history(client, context, channel, ts, thread_ts, im, casing)
    except SlackApiError as e:
        log.warning("could not read earlier turns in %s: %s", channel, e.response.get("error", "?"))
        return None


def _read_history(client: WebClient, context: Any, channel: str, ts: str, thread_ts: str | None,
                  im: bool, casing: Casing | None = None) -> Conversation | None:
    if thread_ts and thread_ts != ts:
        resp = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True, limit=100)
        msgs = list(resp.get("messages") or [])
    elif im and not thread_ts:
        resp = client.conversations_history(channel=channel, latest=ts, inclusive=False, limit=10,
                                            include_all_metadata=True)
        oldest = float(ts) - DM_CONTEXT_SECONDS
        msgs = [m for m in reversed(resp.get("messages") or [])
                if float(m.get("ts", 0)) >= oldest and not m.get("thread_ts")]
    else:
        return None
    msgs = sorted((m for m in msgs if float(m.get("ts", 0)) < float(ts)), key=lambda m: float(m["ts"]))
    conv = conversation_from_messages(msgs, bot_user_id=context.get("bot_user_id"), bot_id=context.get("bot_id"),
                                      require_mention=not im, casing=casing)
    return conv if conv.turns else None
