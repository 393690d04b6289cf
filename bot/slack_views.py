"""Block Kit for the newsroom's other Slack surfaces: the "Check with factdesk" reply and the App
Home tab. Like `bot.slack_blocks` (whose pieces it reuses) it knows nothing of the transport, and
every text from a source or a user is escaped."""

from __future__ import annotations

import json
from typing import Any

from . import notices
from .check import CheckReport
from .home import RECENT_LINKS, IndexStatus, indexed_when
from .slack_blocks import (BUTTON_VALUE_LIMIT, MAX_BLOCKS, citation_blocks, context, cut, escape, quote, section)

CHECK_CALLBACK = "factdesk_check"  # the message shortcut's callback_id (slack-manifest.yml)
ACTION_POST_CHECK = "factdesk_check_post"  # "Post in thread" under a check reply
MAX_CHECK_CHARS = 1800  # a message longer than this is checked on its first part (and says so)


def check_value(channel: str, thread_ts: str, text: str) -> str:
    """What the "Post in thread" button carries: ephemeral replies are never sent back to the
    app, so the check is redone from the message text (deterministic over an unchanged index)."""
    value = json.dumps({"c": channel, "t": thread_ts, "x": text}, ensure_ascii=False)
    assert len(value) <= BUTTON_VALUE_LIMIT, "MAX_CHECK_CHARS keeps the value under Slack's limit"
    return value


def check_blocks(report: CheckReport, *, header: str = "", post_value: str = "",
                 truncated: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for a check: the message restated, then per statement its verdict
    and the sentences that decide it (a corrected claim with ⚠ and what corrected it)."""
    blocks: list[dict[str, Any]] = [context(header or f"You checked: _{cut(escape(report.text), 300)}_")]
    tail: list[dict[str, Any]] = [{"type": "divider"}]
    if post_value:
        tail.append({"type": "actions", "block_id": "factdesk_check", "elements": [
            {"type": "button", "action_id": ACTION_POST_CHECK, "style": "primary", "value": post_value,
             "text": {"type": "plain_text", "text": "Post in thread"}}]})
    if not report.checked:
        blocks.append(section(notices.NOTHING_TO_CHECK))
    lines: list[str] = []
    shown = 0
    for item in report.checked:
        said = " ".join(escape(item.text).split())
        group = [section(f"*Statement:* “{said}”\n*{escape(notices.VERDICTS[item.verdict])}*")]
        if item.answer and item.citations:
            cited = {(c.source, c.sentence): c.n for c in item.citations}
            first_of: dict[str, int] = {}
            for c in item.citations:
                group += citation_blocks(c, cited, first_of)
        if len(blocks) + len(group) + len(tail) + 1 > MAX_BLOCKS:
            break
        blocks += group
        shown += 1
        lines.append(f"{item.verdict}: {escape(item.text)}")
    left = len(report.checked) - shown + report.left_out
    notes = []
    if left:
        notes.append(f"{left} more statement(s) not shown; check long texts with `factdesk check -`.")
    if truncated:
        notes.append(f"Only the first {MAX_CHECK_CHARS:,} characters of the message were checked.")
    if notes:
        blocks.append(context(" ".join(notes)))
    text = "factdesk check: " + ("; ".join(lines) if lines else "nothing to check")
    return cut(text, 3000), blocks + tail


def home_view(st: IndexStatus) -> dict[str, Any]:
    """The App Home tab: index status, the latest correction links, how to ask."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "factdesk"}},
        section("Answers from the indexed news sources, quoting exact sentences and flagging every "
                "quoted sentence a later statement corrected or superseded."),
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Sources*\n{len(st.sources):,}"},
            {"type": "mrkdwn", "text": f"*Sentences*\n{st.sentences:,}"},
            {"type": "mrkdwn", "text": f"*Flagged sentences*\n{'⚠ ' if st.flagged else ''}{st.flagged:,}"},
            {"type": "mrkdwn", "text": f"*Last indexed*\n{indexed_when(st.last_indexed)}"},
            {"type": "mrkdwn", "text": f"*Embedding model*\n{escape(st.model)}"},
            {"type": "mrkdwn", "text": f"*Correction links*\n{len(st.links):,}"}]},
    ]
    if st.missing:
        blocks.append(context(f"{len(st.missing)} source(s) whose file is gone: "
                              + ", ".join(escape(s.id) for s in st.missing[:10])))
    blocks += [{"type": "divider"}, section("*Latest corrections*")]
    if not st.links:
        blocks.append(context("No correction links: no indexed sentence has been corrected or superseded."))
    for lk in st.links[:RECENT_LINKS]:
        c = lk.claim
        label = notices.flag_label(lk.correction.status)
        blocks.append(section(f"⚠ *{label}* — {escape(lk.correction.note)}\n{quote(cut(c.text, 400))}"))
        when = notices.date_text(c.published)
        blocks.append(context(f"*{escape(c.title or c.source)}* · {when}"))
    blocks += [{"type": "divider"}, section(
        "*How to ask*\n• Mention me in a channel: `@factdesk Did the police app use Megvii's face matching?`\n"
        "• Send me a direct message, or use `/factdesk QUESTION` (only you see the answer; Share posts it).\n"
        "• On any message: ⋯ → *Check with factdesk* quotes what the sources say on each of its statements.")]
    return {"type": "home", "blocks": blocks[:100]}


__all__ = ["ACTION_POST_CHECK", "CHECK_CALLBACK", "MAX_CHECK_CHARS", "check_blocks", "check_value", "home_view"]
