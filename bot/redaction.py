"""Secrets stay out of logs, in every command.

Every configured secret (LLM key, CHROMA_AUTH_TOKEN, Slack tokens and signing secret), provider
keys read from the environment (`*_API_KEY`, `*_TOKEN`, `*_SECRET`), anything shaped like a Slack
token and any `Bearer` credential are replaced by `[redacted]` in each log record's message and
traceback. It is done where records are made (a log-record factory), not in one handler's filter,
so handlers added later — a library's, pytest's, a deployment's — never see the secret either.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from typing import Any

from ingest.settings import Settings

MASK = "[redacted]"
_MIN_LEN = 6  # shorter values ("x", "1") would blank ordinary words
_SHAPES = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|(?<=Bearer )[A-Za-z0-9._~+/=-]{8,}")
_ENV_SECRET = re.compile(r"(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$")


class Redactor:
    """Scrubs a set of secret strings (and secret shapes) from text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        new = {s for s in secrets if s and len(s) >= _MIN_LEN} - set(self._secrets)
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({*self._secrets, *new}, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for s in self._secrets:
            if s in text:
                text = text.replace(s, MASK)
        return _SHAPES.sub(MASK, text)

    def scrub(self, record: logging.LogRecord) -> None:
        """Scrub a record in place: the formatted message, and the traceback (formatted now,
        kept as `exc_text`, which every Formatter prints instead of formatting `exc_info`)."""
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 — a bad format string is logging's to report
            return
        clean = self.clean(msg)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            clean = self.clean(text)
            if clean != text:
                record.exc_text, record.exc_info = clean, None
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)


class RedactSecrets(logging.Filter):
    """The same scrubbing as a logging filter, for a handler built outside the CLI."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.redactor = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        self.redactor.scrub(record)
        return True


def settings_secrets(settings: Settings) -> list[str]:
    """The secret values of the settings and of provider keys in the environment."""
    values = [str(getattr(settings, name) or "") for name in settings.secret_fields()]
    values += [v for k, v in os.environ.items() if _ENV_SECRET.search(k.upper())]
    return values


_REDACTOR = Redactor()
_installed = threading.Lock()
_factory_set = False


def scrub_text(text: str) -> str:
    """`text` with the installed secrets masked, for messages printed outside logging."""
    return _REDACTOR.clean(text)


def install_redaction(settings: Settings | None = None, extra: Iterable[str] = ()) -> Redactor:
    """Scrub `settings`' secrets from every log record made from now on, in this process.
    Idempotent: a second call adds secrets, it does not stack another factory."""
    global _factory_set
    _REDACTOR.add([*(settings_secrets(settings) if settings is not None else []), *extra])
    with _installed:
        if not _factory_set:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                _REDACTOR.scrub(record)
                return record

            logging.setLogRecordFactory(factory)
            _factory_set = True
    return _REDACTOR
