"""Secrets stay out of logs: a logging filter that scrubs every configured secret and anything
shaped like a Slack token from each record, tracebacks included."""

from __future__ import annotations

import logging
import re

from ingest.settings import Settings


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
