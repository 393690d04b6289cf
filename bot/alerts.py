"""Correction alerts: after an ingest, one Slack message per newly linked correction.

This is how a desk learns that something it once published or quoted has been overtaken. The
links an ingest created are found by comparing the index's correction links before and after the
run (`LinkWatch`), so the indexer needs no hook and an alert never depends on how a link was found
(detected, declared, accepted by an editor). A link is new when its claim is linked to a set of
correcting sentences the index did not link it to before.

Posting is best-effort by design: a failure to post is logged and never fails the ingest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from ingest.records import SourceRecord

from . import notices
from .answer import CorrectionEntry, QuotedSentence
from .slack_blocks import NOTE_LIMIT, TITLE_LIMIT, context, escape, quote, section, shorten, source_line

log = logging.getLogger("factdesk.alerts")

MAX_ALERTS = 20  # messages per run; the rest are summed up in one line


def link_key(row: CorrectionEntry) -> tuple[Any, ...]:
    """A correction link's identity: the claim, what corrects it, and how (not its note or score)."""
    c, corr = row.claim, row.correction
    return (c.source, c.sentence, corr.status, tuple(sorted((b.source, b.sentence) for b in corr.by)))


def _links(engine: Any) -> list[CorrectionEntry]:
    from ingest.store import IndexMissing

    try:
        return list(engine.corrections())
    except IndexMissing:
        return []


def _where(s: QuotedSentence, records: Mapping[str, SourceRecord]) -> str:
    rec = records.get(s.source)
    return source_line(s.title or s.source, rec.publisher if rec else "", s.published, rec.url if rec else "")


def alert_message(row: CorrectionEntry, records: Mapping[str, SourceRecord]) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for one link: the claim with its source and date, what corrected
    or superseded it with theirs, and the note — in the style of an answer."""
    claim, corr = row.claim, row.correction
    label = notices.flag_label(corr.status)
    note = escape(shorten(corr.note, NOTE_LIMIT))
    blocks = [section(f"⚠ *{label}* — a claim in the sources was {label.lower()}" + (f": {note}" if note else "")),
              section(f"*Claim*\n{quote(claim.text)}"), context(_where(claim, records))]
    for i, b in enumerate(corr.by):
        head = f"*{label.capitalize()} by*\n" if i == 0 else ""
        blocks += [section(head + quote(b.text)), context(_where(b, records))]
    blocks.append({"type": "divider"})
    title = shorten(claim.title or claim.source, TITLE_LIMIT)
    text = (f"⚠ {label}: “{escape(claim.text)}” ({escape(title)}) — "
            f"{label.lower()} by “{escape(corr.by[0].text if corr.by else '')}”")
    return text[:3000], blocks


@dataclass
class LinkWatch:
    """The correction links before an ingest; `new_since` lists those the ingest added."""

    before: set[tuple[Any, ...]] = field(default_factory=set)

    @classmethod
    def start(cls, engine: Any) -> "LinkWatch":
        return cls({link_key(r) for r in _links(engine)})

    def new_since(self, engine: Any) -> list[CorrectionEntry]:
        return [r for r in _links(engine) if link_key(r) not in self.before]


def post_alerts(settings: Any, rows: list[CorrectionEntry], records: Mapping[str, SourceRecord],
                client: Any = None) -> int:
    """Post one message per link (at most MAX_ALERTS, then a summary line) to the alert channel.
    Returns how many messages were posted; never raises."""
    if not rows or not settings.alert_channel:
        return 0
    posted = 0
    try:
        if client is None:
            from .slack.listeners import web_client

            client = web_client(settings)
        for row in rows[:MAX_ALERTS]:
            text, blocks = alert_message(row, records)
            client.chat_postMessage(channel=settings.alert_channel, text=text, blocks=blocks,
                                    unfurl_links=False, unfurl_media=False)
            posted += 1
        if len(rows) > MAX_ALERTS:
            more = len(rows) - MAX_ALERTS
            client.chat_postMessage(channel=settings.alert_channel,
                                    text=f"…and {more} more newly linked correction(s) in this ingest: "
                                         "see `factdesk corrections`.")
            posted += 1
    except Exception as e:  # a failure to alert must never fail the ingest
        detail = getattr(getattr(e, "response", None), "get", lambda *_: None)("error") or type(e).__name__
        log.warning("could not post correction alerts to %s (%s); %d of %d posted",
                    settings.alert_channel, detail, posted, len(rows))
    return posted


__all__ = ["LinkWatch", "MAX_ALERTS", "alert_message", "link_key", "post_alerts"]
