"""How Slack reaches the app: bolt's WSGI adapter on an HTTP server (Events API with a signing
secret) or Socket Mode (app token); `run` picks one from the settings and serves until stopped."""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from ingest.settings import Settings

from ..engine import Engine
from .listeners import FactdeskSlack
from .redaction import install_redaction

log = logging.getLogger("factdesk.slack")


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
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0
