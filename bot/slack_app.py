"""`factdesk slack`: a thin slack-bolt adapter over the answer engine.

The adapter only moves questions in and answers out; answering lives in the engine and rendering
in `slack_blocks`. It keeps no conversation state: a thread's earlier turns are read back from
Slack (`conversations.replies`, with the message metadata each answer carries), so any number of
replicas can serve one workspace. The only process-local memory is a short-lived set of event ids
and message timestamps, to drop Slack's retries and the app_mention/message pair for one post.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, ThreadPoolExecutor
from socketserver import ThreadingMixIn
from typing import Any, Callable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from ingest.settings import Settings

from .answer import Answer, Citation
from .conversation import Conversation
from .engine import Engine, QuestionError
from .feedback import FeedbackLog, Vote
from .slack_blocks import (ACTION_SHARE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, META_EVENT, answer_payload, escape,
                           message_blocks, render_answer)

log = logging.getLogger("factdesk.slack")

COMMAND = "/factdesk"
NOTICE_EVENT = "factdesk_notice"  # metadata on apologies and usage notes: not an answered turn
APOLOGY = "Sorry — something went wrong while answering that. The error has been logged; please try again."
USAGE = ("Ask me about the indexed news sources, e.g. `/factdesk Did the police app use Megvii's face matching?` "
         "or mention me in a channel. I quote exact sentences and flag any that were later corrected.")
DM_CONTEXT_SECONDS = 3600  # a top-level DM older than this no longer counts as the conversation
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


# -- Slack text → question --------------------------------------------------------------------------
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


# -- thread history → Conversation --------------------------------------------------------------------
def _stub_answer(p: dict[str, Any], question: str) -> Answer:
    """Enough of an earlier Answer for the engine's follow-up logic (which sources it cited)."""
    cits = [Citation(n=i, source=str(s), title="", published="", url="", sentence=None, start=None, end=None,
                     text="", score=0.0) for i, s in enumerate(p.get("sources") or [], 1)]
    return Answer(question=question, answered=bool(p.get("answered")), answer="", citations=cits,
                  standalone=str(p.get("standalone") or question))


def _replayed_standalone(conv: Conversation, question: str) -> str:
    ctx = conv.context_for(question)
    return f"{ctx} {question}" if ctx else question


def conversation_from_messages(messages: list[dict[str, Any]], *, bot_user_id: str | None, bot_id: str | None,
                               require_mention: bool) -> Conversation:
    """Rebuild a thread's turns: a user question followed by this bot's answer is one turn.
    Answers carry their question and standalone form as metadata; when Slack returns none
    (older messages), the standalone form is replayed from the questions alone."""
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
                conv.add(pending, None, _replayed_standalone(conv, pending))
            pending = None
        elif not m.get("bot_id") and not m.get("subtype"):
            text = m.get("text") or ""
            if require_mention and not (bot_user_id and f"<@{bot_user_id}>" in text):
                continue
            q = slack_question(text, bot_user_id)
            if q:
                pending = q
    return conv


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
        self.app.error(self._on_error)

    # -- middleware -----------------------------------------------------------------------------
    def _drop_retries(self, body: dict[str, Any], next: Callable[[], None], request: Any) -> BoltResponse | None:
        """Slack re-sends an event (X-Slack-Retry-Num) when it thinks the ack was lost; the first
        delivery is already being answered. Runs after signature verification, so forged
        requests cannot poison the set."""
        eid = body.get("event_id") if isinstance(body, dict) else None
        if eid and not self._events.add(str(eid)):
            retry = (request.headers.get("x-slack-retry-num") or [""])[0]
            log.info("dropping repeated delivery of event %s (retry %s)", eid, retry or "?")
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
            conv = self._history(client, context, channel, ts, thread_ts, im)
            answer = self.engine.ask(question, conv)
            text, blocks = render_answer(answer)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks,
                                    metadata={"event_type": META_EVENT, "event_payload": answer_payload(answer)},
                                    unfurl_links=False, unfurl_media=False)
        except QuestionError as e:
            self._notice(client, channel, thread_ts, f"{escape(str(e)).capitalize()}.\n{USAGE}")
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

    def _history(self, client: WebClient, context: Any, channel: str, ts: str, thread_ts: str | None,
                 im: bool) -> Conversation | None:
        """The earlier turns this message follows, read from Slack rather than remembered. Without
        them (a missing history scope, an API error) the question is answered on its own."""
        try:
            return self._read_history(client, context, channel, ts, thread_ts, im)
        except SlackApiError as e:
            log.warning("could not read earlier turns in %s: %s", channel, e.response.get("error", "?"))
            return None

    def _read_history(self, client: WebClient, context: Any, channel: str, ts: str, thread_ts: str | None,
                      im: bool) -> Conversation | None:
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
                                          require_mention=not im)
        return conv if conv.turns else None

    # -- slash command and buttons ----------------------------------------------------------------------
    def _on_command(self, body: dict[str, Any], respond: Any) -> None:
        question = slack_question(body.get("text", ""), None)
        if not question:
            respond(response_type="ephemeral", replace_original=False, text=USAGE)
            return
        try:
            answer = self.engine.ask(question)
        except QuestionError as e:
            respond(response_type="ephemeral", replace_original=False, text=f"{escape(str(e)).capitalize()}.")
            return
        except Exception:
            log.exception("answering %s failed", COMMAND)
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)
            return
        text, blocks = render_answer(answer, share=True)
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
        ack()
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
            log.exception("recording feedback failed")
            respond(response_type="ephemeral", replace_original=False, text=APOLOGY)
            return
        respond(response_type="ephemeral", replace_original=False,
                text=f"Thanks — your {'👍' if up else '👎'} was recorded.")

    # -- transports -------------------------------------------------------------------------------------
    def http_server(self, host: str = "0.0.0.0", port: int = 3000) -> "HttpServer":
        return HttpServer(self.app, host, port)

    def socket_mode(self) -> SocketModeHandler:
        return SocketModeHandler(self.app, self.settings.slack_app_token)


def _ack(ack: Any) -> None:
    ack()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.debug("http: " + format, *args)


class HttpServer:
    """bolt's WSGI adapter on a threaded stdlib server: a request never waits for another's
    signature check, and no web framework is needed for one endpoint."""

    def __init__(self, app: App, host: str, port: int, path: str = "/slack/events") -> None:
        self.path = path
        self.httpd = make_server(host, port, SlackRequestHandler(app, path=path), server_class=_ThreadingWSGIServer,
                                 handler_class=_QuietHandler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> "HttpServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="factdesk-slack-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)


# -- secrets stay out of logs ----------------------------------------------------------------------------
class RedactSecrets(logging.Filter):
    """Belt and braces: slack_sdk already redacts Authorization headers, but a token pasted into
    an error message or URL would otherwise reach the log verbatim."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]
        self._token = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")

    def _clean(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, "[redacted]")
        return self._token.sub("[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = self._clean(msg)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def install_redaction(settings: Settings) -> None:
    f = RedactSecrets([settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret])
    for h in logging.getLogger().handlers:
        h.addFilter(f)


def check_settings(settings: Settings) -> None:
    """Fail before loading the model or the index when Slack cannot work anyway."""
    if not settings.slack_bot_token:
        raise SlackSetupError("SLACK_BOT_TOKEN is not set: see the README's Slack section")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise SlackSetupError("set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP Events API)")


def run(engine: Engine, settings: Settings, *, host: str = "0.0.0.0", port: int = 3000) -> int:
    """Serve until interrupted: Socket Mode with an app token, else HTTP with the signing secret."""
    install_redaction(settings)
    check_settings(settings)
    bot = FactdeskSlack(engine, settings)
    if settings.slack_app_token:
        log.warning("factdesk slack: Socket Mode")
        bot.socket_mode().start()
        return 0
    server = bot.http_server(host, port)
    log.warning("factdesk slack: HTTP Events API on %s:%d%s", host, server.port, server.path)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0


class SlackSetupError(RuntimeError):
    """Slack settings are missing; the message says which."""
