"""How Slack reaches the app: bolt's WSGI adapter under waitress (Events API with a signing
secret) or Socket Mode (app token); `run` picks one from the settings and serves until stopped."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

from ingest.settings import Settings

from ..engine import Engine
from ..redaction import install_redaction
from .listeners import FactdeskSlack

log = logging.getLogger("factdesk.slack")

MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a bigger body is refused before it is read
REQUEST_SECONDS = 10.0  # a request must arrive whole within this (Slack itself gives up after 3 s)
IDLE_SECONDS = 30.0  # a kept-alive connection with nothing to say is closed after this
THREADS = 8  # workers that verify signatures and ack; answering runs in the listener executor
CONNECTIONS = 500  # open connections at once; more wait in the listen backlog, none is reset
BACKLOG = 1024


class _TimedParser(HTTPRequestParser):
    """waitress's request parser, stamped with when the request's first bytes arrived."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.time()


class _Channel(HTTPChannel):
    parser_class = _TimedParser


class _SlackWSGIServer(TcpWSGIServer):
    """waitress, plus a deadline on each request as a whole: waitress's own `channel_timeout`
    only closes connections that are silent, so a client sending a byte every few seconds
    (slowloris) would otherwise keep its connection for ever."""

    channel_class = _Channel
    request_seconds = REQUEST_SECONDS

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            req = channel.request
            if req is not None and not req.completed and now - getattr(req, "started", now) > self.request_seconds:
                log.info("closing a connection whose request took over %gs to arrive", self.request_seconds)
                channel.will_close = True


class HttpServer:
    """bolt's WSGI adapter under waitress, a maintained production WSGI server: bodies over
    MAX_BODY are refused from their Content-Length (413) before being read, requests that
    dribble in or connections left idle are closed, a fixed pool of THREADS serves requests, and
    a deep listen backlog means a burst of deliveries waits instead of being reset. Reading is
    asynchronous, so a slow client occupies a connection slot, never a worker thread."""

    def __init__(self, app: App, host: str, port: int, path: str = "/slack/events", *,
                 idle_seconds: float = IDLE_SECONDS, request_seconds: float = REQUEST_SECONDS) -> None:
        self.path = path
        handler = SlackRequestHandler(app, path=path)
        adj = Adjustments(host=host, port=port, threads=THREADS, max_request_body_size=MAX_BODY + 1,
                          channel_timeout=idle_seconds, cleanup_interval=1, connection_limit=CONNECTIONS,
                          backlog=BACKLOG, ident="factdesk", expose_tracebacks=False, asyncore_use_poll=True,
                          clear_untrusted_proxy_headers=False)
        self.server = _SlackWSGIServer(handler, adj=adj)
        self.server.request_seconds = request_seconds
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    def start(self) -> "HttpServer":
        self._thread = threading.Thread(target=self.serve_forever, name="factdesk-slack-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.run()

    def stop(self) -> None:
        """Close every socket from the server's own loop (waitress is not thread-safe), which
        then ends; then stop the worker threads. A loop that already ended has closed its own
        trigger (writing to it fails with EBADF: seen once in a full test run), so then the
        sockets left are closed here: stopping never raises over a server already down."""
        from waitress import wasyncore

        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:
            wasyncore.close_all(self.server._map)
        if self._thread:
            self._thread.join(timeout=5)
        self.server.task_dispatcher.shutdown()


class SlackSetupError(RuntimeError):
    """Slack settings are missing; the message says which."""


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
    server.serve_forever()  # returns on Ctrl-C, after waitress has stopped its workers
    return 0
