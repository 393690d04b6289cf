"""A local stand-in for Slack, for offline tests of the real slack-bolt app.

- `MockSlackAPI`: the Web API (`/api/<method>`) and response URLs (`/response/<id>`) on
  127.0.0.1, recording every call. Tests script it: thread replies, DM history, 429s.
- `MockSocketMode`: a WebSocket server speaking Slack's Socket Mode protocol — `hello` on
  connect, envelopes pushed by the test, acks (`{"envelope_id": ...}`) recorded.
- `TrackingExecutor`: the listener executor, so a test can wait until every answer triggered by
  a request has finished instead of sleeping, and then assert exact call counts.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"
WAIT = 60.0  # generous upper bound for waits; tests never assert on elapsed time


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage") or "response_url"
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200


def _parse_params(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    if not raw:
        return params
    if "json" in content_type:
        params.update(json.loads(raw))
    else:
        params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
    for key in ("blocks", "metadata"):  # form-encoded calls send these as JSON strings
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


@dataclass
class MockSlackAPI:
    host: str = "127.0.0.1"
    calls: list[Call] = field(default_factory=list)
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # thread_ts -> messages
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> newest first
    rate_limits: dict[str, list[int]] = field(default_factory=dict)  # method -> Retry-After values to serve
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error code to answer with
    ws_url: str = ""

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._ts = 1_700_000_000
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlparse(self.path)
                params = _parse_params(raw, self.headers.get("Content-Type", ""), url.query)
                mock._handle(self, url.path, params, dict(self.headers.items()))

            do_GET = do_POST

        self.httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}/api/"

    def response_url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}/response/{uuid.uuid4().hex}"

    def start(self) -> "MockSlackAPI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    # -- serving ---------------------------------------------------------------------------
    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts}.000100"

    def _handle(self, h: BaseHTTPRequestHandler, path: str, params: dict[str, Any], headers: dict[str, str]) -> None:
        if path.startswith("/response/"):
            self._record(Call("response_url", path, params, headers))
            self._reply(h, 200, b"ok", "text/plain")
            return
        method = path.rsplit("/", 1)[-1]
        with self._cond:
            pending = self.rate_limits.get(method)
            retry_after = pending.pop(0) if pending else None
        if retry_after is not None:
            self._record(Call(method, path, params, headers, status=429))
            self._reply(h, 429, json.dumps({"ok": False, "error": "ratelimited"}).encode(), "application/json",
                        {"Retry-After": str(retry_after)})
            return
        body = self._respond(method, params)
        self._record(Call(method, path, params, headers))
        self._reply(h, 200, json.dumps(body).encode(), "application/json")

    def _respond(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method == "auth.test":
            return {"ok": True, "url": "https://example.slack.com/", "team": "Example", "user": "factdesk",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            ts = self._next_ts()
            msg = {"type": "message", "ts": ts, "text": p.get("text", ""), "bot_id": BOT_ID, "user": BOT_USER_ID}
            return {"ok": True, "channel": p.get("channel"), "ts": ts, "message": msg}
        if method == "conversations.replies":
            return {"ok": True, "messages": self.replies.get(str(p.get("ts")), []), "has_more": False}
        if method == "conversations.history":
            return {"ok": True, "messages": self.history.get(str(p.get("channel")), []), "has_more": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.ws_url}
        return {"ok": True}

    @staticmethod
    def _reply(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
               extra: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    # -- inspecting ---------------------------------------------------------------------------
    def of(self, method: str, *, ok_only: bool = True) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def wait_for(self, method: str, count: int = 1, *, ok_only: bool = True, timeout: float = WAIT) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} {method} call(s), got {len(got)}: "
                                         f"{[c.method for c in self.calls]}")
                self._cond.wait(left)


class TrackingExecutor(ThreadPoolExecutor):
    """Knows its unfinished work, so tests wait for "everything this request started" exactly."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="test-slack")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(fut)
        fut.add_done_callback(self._done)
        return fut

    def _done(self, fut: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(fut)

    def wait_idle(self) -> None:
        """Wait until no submitted work remains, including work submitted by work."""
        deadline = time.monotonic() + WAIT
        while True:
            with self._lock:
                pending = set(self._pending)
            if not pending:
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("listeners still running")
            wait(pending, timeout=left)


class MockSocketMode:
    """One-connection-at-a-time Socket Mode server: greets with `hello`, sends the envelopes the
    test queues, and records whatever the client sends back (acks)."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.connections = 0
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self.server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=test-ticket&app_id=A0001"

    def start(self) -> "MockSocketMode":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self._thread.join(timeout=5)

    def _session(self, ws: Any) -> None:
        with self._cond:
            self.connections += 1
            self._cond.notify_all()
        ws.send(json.dumps({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "mock", "approximate_connection_time": 18060},
                            "connection_info": {"app_id": "A0001"}}))
        while not self._stop.is_set():
            try:
                env = self.outbox.get_nowait()
                ws.send(json.dumps(env))
            except queue.Empty:
                pass
            try:
                msg = ws.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:
                return
            with self._cond:
                self.received.append(json.loads(msg))
                self._cond.notify_all()

    def send(self, envelope_type: str, payload: dict[str, Any], *, accepts_response_payload: bool = False) -> str:
        envelope_id = uuid.uuid4().hex
        self.outbox.put({"envelope_id": envelope_id, "type": envelope_type, "payload": payload,
                         "accepts_response_payload": accepts_response_payload, "retry_attempt": 0,
                         "retry_reason": ""})
        return envelope_id

    def wait_connected(self) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self.connections > 0, timeout=WAIT):
                raise AssertionError("the Socket Mode client never connected")

    def wait_ack(self, envelope_id: str) -> dict[str, Any]:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(m.get("envelope_id") == envelope_id for m in self.received),
                                     timeout=WAIT)
            if not ok:
                raise AssertionError(f"no ack for envelope {envelope_id}: {self.received}")
            return next(m for m in self.received if m.get("envelope_id") == envelope_id)


# -- building Slack's requests ----------------------------------------------------------------------
SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-bot-token-7357"
APP_TOKEN = "xapp-1-test-app-token-7357"


def signed_post(url: str, body: str, content_type: str, *, secret: str = SIGNING_SECRET,
                timestamp: int | None = None, signature: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
    """POST as Slack does: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    import urllib.error
    import urllib.request

    from slack_sdk.signature import SignatureVerifier

    ts = str(int(time.time()) if timestamp is None else timestamp)
    sig = signature or SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    req = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=WAIT) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def event_body(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy-unused", "team_id": TEAM_ID, "api_app_id": "A0001", "type": "event_callback",
            "event": event, "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()), "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID,
                                                               "is_bot": True}]}


def mention(text: str, *, ts: str, channel: str = "C0000001", thread_ts: str | None = None,
            user: str = "U0000042") -> dict[str, Any]:
    ev = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER_ID}> {text}", "ts": ts, "channel": channel,
          "event_ts": ts}
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return ev


def dm(text: str, *, ts: str, channel: str = "D0000001", user: str = "U0000042", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "event_ts": ts, **extra}


def _trigger_id() -> str:
    """Slack gives every slash command and click its own trigger_id (a replay repeats it)."""
    return f"1337.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:8]}"


def command_form(text: str, response_url: str, *, user: str = "U0000042") -> dict[str, str]:
    return {"token": "legacy-unused", "team_id": TEAM_ID, "team_domain": "example", "channel_id": "C0000001",
            "channel_name": "general", "user_id": user, "user_name": "reader", "command": "/factdesk",
            "text": text, "api_app_id": "A0001", "response_url": response_url,
            "trigger_id": _trigger_id()}


def block_action(action: dict[str, Any], response_url: str, *, user: str = "U0000042",
                 message_ts: str = "1700000000.000200", ephemeral: bool = False) -> dict[str, Any]:
    """A block_actions payload for a click on `action` (a button element from our own blocks)."""
    return {"type": "block_actions", "team": {"id": TEAM_ID, "domain": "example"},
            "user": {"id": user, "username": "reader", "team_id": TEAM_ID}, "api_app_id": "A0001",
            "token": "legacy-unused", "trigger_id": _trigger_id(), "response_url": response_url,
            "container": {"type": "message", "message_ts": message_ts, "channel_id": "C0000001",
                          "is_ephemeral": ephemeral},
            "channel": {"id": "C0000001", "name": "general"},
            "actions": [{"type": "button", "action_id": action["action_id"], "block_id": "factdesk_feedback",
                         "value": action["value"], "text": action["text"], "action_ts": str(time.time())}]}


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for b in blocks:
        for el in b.get("elements", []) if b.get("type") == "actions" else []:
            if el.get("action_id") == action_id:
                return el
    raise AssertionError(f"no {action_id} button in {blocks}")


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every text a reader sees in the blocks, in order."""
    out: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if x.get("type") in ("mrkdwn", "plain_text") and isinstance(x.get("text"), str):
                out.append(x["text"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(blocks)
    return "\n".join(out)
