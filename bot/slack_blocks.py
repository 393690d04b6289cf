"""Block Kit rendering of an Answer, kept apart from the Slack transport so it can be checked
without a Slack app and reused by anything that posts to Slack.

Two rules shape everything here. First, text from sources and users is never trusted as Slack
markup: `&`, `<` and `>` are escaped, so a source quoting `<!channel>` cannot ping a channel.
Second, a flagged sentence never appears without its flag: a citation, its ⚠ line and its
correcting sentences travel as one group, and when Slack's limits force trimming, whole groups are
dropped — never a flag alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ingest.dates import human

from .answer import Answer, Citation

SECTION_LIMIT = 3000  # characters of text in one section block
MAX_BLOCKS = 50  # blocks in one message
FALLBACK_LIMIT = 3000  # the notification / screen-reader `text`; Slack truncates long ones anyway
BUTTON_VALUE_LIMIT = 2000

ACTION_VOTE_UP = "factdesk_vote_up"
ACTION_VOTE_DOWN = "factdesk_vote_down"
ACTION_SHARE = "factdesk_share"
META_EVENT = "factdesk_answer"  # message metadata type: how a later thread turn finds this one

_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Slack's own escaping: the three characters that can start markup. `&` first, or the
    entities made for `<` and `>` would be escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    """Shorten already-escaped text without leaving half an entity (`&am`) at the end."""
    if len(text) <= limit:
        return text
    head = _PARTIAL_ENTITY.sub("", text[: limit - 1])
    return head + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """Split escaped text into pieces of at most `limit` characters, never inside an entity —
    used for quotes, which must stay whole (exact sentences) rather than be cut short."""
    out: list[str] = []
    while len(text) > limit:
        cut = limit
        amp = text.rfind("&", cut - 5, cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
        space = text.rfind(" ", cut - 200, cut)
        if space > 0:
            cut = space + 1
        out.append(text[:cut])
        text = text[cut:]
    out.append(text)
    return out


def _quote(text: str) -> str:
    return "> " + escape(text).replace("\n", "\n> ")


def _link(url: str, label: str) -> str:
    if not url or not re.match(r"https?://", url):
        return ""
    safe = escape(url).replace("|", "%7C")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


def _date(published: str) -> str:
    return human(published) if published else "undated"


def source_line(title: str, publisher: str, published: str, url: str = "") -> str:
    """“Title” — Publisher, June 2019 · <link>, all escaped."""
    bits = [f"“{escape(title)}”" if title else "untitled source"]
    meta = ", ".join(x for x in (escape(publisher), _date(published)) if x)
    line = f"{bits[0]} — {meta}" if meta else bits[0]
    link = _link(url, "link")
    return f"{line} · {link}" if link else line


def _flag_lines(corr: dict[str, Any]) -> list[str]:
    label = "CORRECTED" if corr.get("status") == "corrected" else "SUPERSEDED"
    note = escape(str(corr.get("note") or ""))
    lines = [f"⚠ *{label}*" + (f" — {note}" if note else "")]
    for b in corr.get("by", []):
        lines.append(f"↳ corrected by: {_quote(b.get('text', ''))}")
        lines.append(f"    — {source_line(b.get('title') or b.get('source', ''), '', b.get('published', ''))}")
    return lines


def _citation_sections(c: Citation) -> list[dict[str, Any]]:
    head = f"*[{c.n}]*" + (" ⚠" if c.correction else "")
    where = source_line(c.title, c.publisher, c.published, c.url)
    if c.field:
        where += f" · {escape(c.field)}"
    tail = "\n".join(_flag_lines(c.correction)) if c.correction else ""
    text = f"{head}\n{_quote(c.text)}\n{where}" + (f"\n{tail}" if tail else "")
    return [_section(piece) for piece in _chunks(text, SECTION_LIMIT)]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def lead_text(answer: Answer) -> str:
    """The answer's prose without its last line when that line is just the quoted sentences
    with [n] markers (the extractive body) — the citation blocks below quote them verbatim."""
    body = " ".join(f"{c.text} [{c.n}]" for c in answer.citations)
    text = answer.answer
    if body and text.endswith("\n" + body):
        return text[: -len(body) - 1]
    return text


def answer_payload(answer: Answer) -> dict[str, Any]:
    """What a later turn in the thread needs from this one (message metadata)."""
    return {"question": answer.question[:500], "standalone": (answer.standalone or answer.question)[:1000],
            "answered": answer.answered, "sources": list(dict.fromkeys(c.source for c in answer.citations))}


def vote_value(answer: Answer) -> str:
    """Button value carrying what a vote records; ephemeral messages are not sent back with
    block actions, so the value is the only reliable carrier. Kept under Slack's 2,000 chars."""
    base = {"q": answer.question[:300], "s": list(dict.fromkeys(c.source for c in answer.citations))[:10],
            "ok": answer.answered, "a": ""}
    room = BUTTON_VALUE_LIMIT - len(json.dumps(base, ensure_ascii=False)) - 10
    text = answer.answer
    while room > 0 and len(json.dumps(text, ensure_ascii=False)) - 2 > room:
        text = text[: max(0, len(text) - max(50, len(text) // 10))]
    base["a"] = text if room > 0 else ""
    return json.dumps(base, ensure_ascii=False)


def actions_block(answer: Answer, *, share: bool) -> dict[str, Any]:
    value = vote_value(answer)
    elements: list[dict[str, Any]] = []
    if share:
        elements.append({"type": "button", "action_id": ACTION_SHARE, "style": "primary",
                         "text": {"type": "plain_text", "text": "Share in channel"},
                         "value": json.dumps({"q": answer.question[:1900]}, ensure_ascii=False)})
    elements += [
        {"type": "button", "action_id": ACTION_VOTE_UP, "text": {"type": "plain_text", "text": "👍"}, "value": value},
        {"type": "button", "action_id": ACTION_VOTE_DOWN, "text": {"type": "plain_text", "text": "👎"}, "value": value},
    ]
    return {"type": "actions", "block_id": "factdesk_feedback", "elements": elements}


def fallback_text(answer: Answer) -> str:
    """Plain text for notifications and clients without blocks: escaped, flags included."""
    lines = [escape(lead_text(answer))]
    for c in answer.citations:
        flag = ""
        if c.correction:
            flag = f" ⚠ {'CORRECTED' if c.correction.get('status') == 'corrected' else 'SUPERSEDED'}"
        lines.append(f"[{c.n}]{flag} “{escape(c.text)}” — {escape(c.title)}, {_date(c.published)}")
    return _cut("\n".join(lines), FALLBACK_LIMIT)


def render_answer(answer: Answer, *, share: bool = False, feedback: bool = True,
                  header: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for one answer. `header` is already-escaped mrkdwn context
    (e.g. who shared it)."""
    blocks: list[dict[str, Any]] = []
    if header:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(header, 2000)}]})
    blocks += [_section(p) for p in _chunks(escape(lead_text(answer)), SECTION_LIMIT)]
    tail = [actions_block(answer, share=share)] if (feedback or share) else []
    groups = [_citation_sections(c) for c in answer.citations]
    room = MAX_BLOCKS - len(blocks) - len(tail)
    shown = 0
    for g in groups:
        need = len(g) + (1 if shown < len(groups) - 1 else 0)  # keep a slot for the "more" note
        if need > room:
            break
        blocks += g
        room -= len(g)
        shown += 1
    if shown < len(groups):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn",
                       "text": f"{len(groups) - shown} more citation(s) did not fit in one Slack message."}]})
    blocks += tail
    return fallback_text(answer), blocks


def message_blocks(text: str) -> tuple[str, list[dict[str, Any]]]:
    """A short notice (apology, usage) from trusted text; user text must be escaped by the caller."""
    return _cut(text, FALLBACK_LIMIT), [_section(_cut(text, SECTION_LIMIT))]
