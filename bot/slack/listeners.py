"""The bolt app and its listeners: mentions, direct messages, the slash command and the answer's
buttons. Each listener turns a Slack event into one engine call and posts the rendered answer;
retries and duplicate deliveries are dropped here so each post is answered once."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from ingest.settings import Settings

from ..engine import Engine, QuestionError
from ..feedback import FeedbackLog, Vote
from ..slack_blocks import (ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, META_EVENT, answer_payload, escape,
                            message_blocks, render_answer)
from .desk import Desk
from .history import slack_question, thread_history

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from .transport import HttpServer

log = logging.getLogger("factdesk.slack")

COMMAND = "/factdesk"
NOTICE_EVENT = "factdesk_notice"  # metadata on apologies and usage notes: not an answered turn
APOLOGY = "Sorry — something went wrong while answering that. The error has been logged; please try again."
USAGE = ("Ask me about the indexed news sources, e.g. `/factdesk Did the police app use Megvii's face matching?` "
         "or mention me in a channel. I quote exact sentences and flag any that were later corrected.")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class SeenKeys:
    """A bounded, expiring set: Slack retries within minutes, so a few thousand recent keys are
    enough, and memory stays flat however long the process runs."""

    def __init__(self, ttl: float = 600.0, size: int = 5000) -> None:
        self.ttl, self.size = ttl, size
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """True when the key is new (and is now remembered)."""
        now = time.monotonic()
        with self._lock:
            while self._keys and (len(self._keys) >= self.size or next(iter(self._keys.values())) < now - self.ttl):
                self._keys.popitem(last=False)
            if key in self._keys:
                return False
            self._keys[key] = now
            return True


# -- the app ------------------------------------------------------------------------------------------
def web_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL for proxies and tests, and 429s retried after Retry-After."""
    kw: dict[str, Any] = {"token": settings.slack_bot_token or None, "timeout": 30,
                          "retry_handlers": [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)]}
    if settings.slack_api_url:
        base = settings.slack_api_url
        kw["base_url"] = base if base.endswith("/") else base + "/"
    return WebClient(**kw)


class FactdeskSlack:
    """The bolt app and its listeners. Listeners run after the ack (bolt's worker threads, lazy
    listeners for commands and buttons), so Slack always gets its 3-second ack."""

    def __init__(self, engine: Engine, settings: Settings, *, client: WebClient | None = None,
                 feedback: FeedbackLog | None = None, executor: Executor | None = None) -> None:
        """`executor` runs listeners after the ack; its size bounds concurrent answers (the
        engine embeds on CPU, so more threads than cores only queue)."""
        self.engine = engine
        self.settings = settings
        self.feedback = feedback or FeedbackLog(settings.data_dir)
        self._events = SeenKeys()
        self._messages = SeenKeys()
        self.app = App(client=client or web_client(settings), signing_secret=settings.slack_signing_secret or None,
                       process_before_response=False, logger=logging.getLogger("factdesk.slack.bolt"),
                       listener_executor=executor or ThreadPoolExecutor(max_workers=4, thread_name_prefix="factdesk-slack"),
                       ignoring_self_events_enabled=True)
        self.app.middleware(self._drop_retries)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.command(COMMAND)(ack=_ack, lazy=[self._on_command])
        self.app.action(ACTION_SHARE)(ack=_ack, lazy=[self._on_share])
        self.app.action(ACTION_VOTE_UP)(self._on_vote)
        self.app.action(ACTION_VOTE_DOWN)(self._on_vote)
        Desk(engine).register(self.app, _ack)  # check shortcut, its thread button, App Home
        self.app.error(self._on_error)

    # -- middleware -----------------------------------------------------------------------------
    def _drop_retries(self, body: dict[str, Any], next: Callable[[], None], request: Any) -> BoltResponse | None:
        """Slack re-sends an event (X-Slack-Retry-Num) when it thinks the ack was lost; the first
        delivery is already being answered. A slash command or button click is one `trigger_id`:
        the same one again is a replay (a signed request is valid for five minutes), answered
        once. Runs after signature verification, so forged requests cannot poison the set."""
        key = None
        if isinstance(body, dict):
            key = (f"event:{body['event_id']}" if body.get("event_id")
                   else f"trigger:{body['trigger_id']}" if body.get("trigger_id") else None)
        if key and not self._events.add(key):
            retry = (request.headers.get("x-slack-retry-num") or [""])[0]
            log.info("dropping repeated delivery %s (retry %s)", key, retry or "?")
            return BoltResponse(status=200, body="")
        next()
        return None

    def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("unhandled error in a Slack listener (%s)", type(error).__name__, exc_info=error)

    # -- messages -------------------------------------------------------------------------------
    def _on_mention(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        if event.get("subtype") or event.get("bot_id"):
            return
        im = event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")
        # A mention inside a DM is answered as the DM's message event would be, whichever arrives first.
        thread_ts = event.get("thread_ts") if im else event.get("thread_ts") or event["ts"]
        self._answer(client, context, event, thread_ts=thread_ts, im=im)

    def _on_message(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        # Only direct messages: channel messages reach the bot as app_mention. Edits, deletions,
        # joins and every bot's posts (ours included) carry a subtype or a bot_id.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        self._answer(client, context, event, thread_ts=event.get("thread_ts"), im=True)

    def _answer(self, client: WebClient, context: Any, event: dict[str, Any], *, thread_ts: str | None,
                im: bool) -> None:
        channel, ts = event["channel"], event["ts"]
        if not self._messages.add(f"{channel}:{ts}"):
            return  # the same post, delivered as both app_mention and message
        bot_user_id = getattr(context, "bot_user_id", None) or context.get("bot_user_id")
        question = slack_question(event.get("text", ""), bot_user_id)
        reacted = self._reaction(client, "add", channel, ts)
        try:
            conv = thread_history(client, context, channel, ts, thread_ts, im, self.engine.recase)
            answer = self.engine.ask(question, conv)
            text, blocks = render_answer(answer)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks,
                                    metadata={"event_type": META_EVENT, "event_payload": answer_payload(answer)},
                                    unfurl_links=False, unfurl_media=False)
        except QuestionError as e:
            self._notice(client, channel, thread_ts, f"{_sentence(escape(str(e)))}\n{USAGE}")
        except Exception:
            log.exception("answering message %s in %s failed", ts, channel)
            self._notice(client, channel, thread_ts, APOLOGY)
        finally:
            if reacted:
                self._reaction(client, "remove", channel, ts)

    def _notice(self, client: WebClient, channel: str, thread_ts: str | None, text: str) -> None:
        try:
            fallback, blocks = message_blocks(text)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=fallback, blocks=blocks,
                                    metadata={"event_type": NOTICE_EVENT, "event_payload": {}})
        except Exception:
            log.exception("could not post a notice to %s", channel)

    @staticmethod
    def _reaction(client: WebClient, op: str, channel: str, ts: str) -> bool:
        """The 👀 while working is a courtesy: failing to add or remove it must not stop an answer."""
        try:
            getattr(client, f"reactions_{op}")(channel=channel, timestamp=ts, name="eyes")
            return True
        except Exception as e:
            log.warning("could not %s the 👀 reaction on %s: %s", op, ts, type(e).__name__)
            return False

    # -- slash command and buttons ----------------------------------------------------------------------
    def _on_command(self, body: dict[str, Any], respond: Any) -> None:
        question = slack_question(body.get("text", ""), None)
        if not question:
            respond(response_type="ephemeral", replace_original=False, text=USAGE)
            return
        try:
            answer = self.engine.ask(question)
        except QuestionError as e:
            respond(response_type="ephemeral", replace_original=False, text=_sentence(escape(str(e))))
            return
        except Exception:
            log.exception("answering %s failed", COMMAND)
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)
            return
        text, blocks = render_answer(answer, share=True, asked=True)
        respond(response_type="ephemeral", replace_original=False, text=text, blocks=blocks)

    def _on_share(self, body: dict[str, Any], respond: Any) -> None:
        """Re-asks rather than copying the ephemeral message, which Slack never sends back; the
        engine is deterministic over an unchanged index, and a changed index deserves the new answer."""
        try:
            question = str(json.loads(body["actions"][0]["value"])["q"])
            answer = self.engine.ask(question)
            user = str((body.get("user") or {}).get("id", ""))
            who = f"<@{user}>" if _USER_ID.match(user) else "Someone"
            text, blocks = render_answer(answer, header=f"{who} shared an answer to: _{escape(question)}_")
            respond(response_type="in_channel", replace_original=False, text=text, blocks=blocks)
            respond(delete_original=True)
        except Exception:
            log.exception("sharing an answer failed")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)

    def _on_vote(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Recorded before the ack (an append to a local file), so one user's clicks are recorded
        in the order they made them: a changed mind replaces the earlier vote, never the reverse."""
        action = body["actions"][0]
        up = action["action_id"] == ACTION_VOTE_UP
        try:
            v = json.loads(action.get("value") or "{}")
            container = body.get("container") or {}
            self.feedback.record(Vote(
                user=str((body.get("user") or {}).get("id", "")), question=str(v.get("q", "")),
                answer=str(v.get("a", "")), sources=[str(s) for s in v.get("s", [])], vote=1 if up else -1,
                channel=str(container.get("channel_id") or (body.get("channel") or {}).get("id", "")),
                message_ts=str(container.get("message_ts", "")), answered=v.get("ok")))
        except Exception:
            ack()
            log.exception("recording feedback failed")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)
            return
        ack()
        respond(response_type="ephemeral", replace_original=False,
                text=f"Thanks — your {'👍' if up else '👎'} was recorded.")

    # -- transports -------------------------------------------------------------------------------------
    def http_server(self, host: str = "0.0.0.0", port: int = 3000) -> "HttpServer":
        from .transport import HttpServer

        return HttpServer(self.app, host, port)

    def socket_mode(self) -> "SocketModeHandler":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        return SocketModeHandler(self.app, self.settings.slack_app_token)


def _ack(ack: Any) -> None:
    ack()


def _sentence(reason: str) -> str:
    """A one-line reason as a sentence: its first letter raised, nothing else changed
    (str.capitalize() also lowered the rest: "Invalid unicode … not utf-8")."""
    return f"{reason[:1].upper()}{reason[1:]}."
