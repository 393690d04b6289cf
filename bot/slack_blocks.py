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

from . import notices
from .answer import Answer, Citation

SECTION_LIMIT = 3000  # characters of text in one section block
MAX_BLOCKS = 50  # blocks in one message
FALLBACK_LIMIT = 3000  # the notification / screen-reader `text`; Slack truncates long ones anyway
BUTTON_VALUE_LIMIT = 2000
TITLE_LIMIT = 200  # characters of a source's title shown; the rest is cut with "…"
PUBLISHER_LIMIT = 100
NOTE_LIMIT = 500  # a correction's note
URL_LIMIT = 1000  # a longer URL is not linked (cutting it would leave broken markup)
DONT_KNOW_LIMIT = 900  # characters a "don't know" reply may take, passages included
DONT_KNOW_PASSAGES = 2
CLOSEST = notices.CLOSEST

ACTION_VOTE_UP = "factdesk_vote_up"
ACTION_VOTE_DOWN = "factdesk_vote_down"
ACTION_SHARE = "factdesk_share"
META_EVENT = "factdesk_answer"  # message metadata type: how a later thread turn finds this one

_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Slack's own escaping: the three characters that can start markup. `&` first, or the
    entities made for `<` and `>` would be escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
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


def quote(text: str) -> str:
    """A quote block: the marker starts every line (Slack reads ">" only at a line's start)."""
    return "> " + escape(text).replace("\n", "\n> ")


def shorten(text: str, limit: int) -> str:
    """Source metadata cut before it is escaped and placed: a title can be any length (one of
    190 KB once made a 66-block message Slack rejected, failing every answer citing it)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(url: str, label: str) -> str:
    if not url or not re.match(r"https?://", url) or len(url) > URL_LIMIT:
        return ""
    safe = escape(url).replace("|", "%7C")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


def source_line(title: str, publisher: str, published: str, url: str = "") -> str:
    """*Title* (linked when the source has a URL) · Publisher · June 2019, all escaped."""
    title, publisher = shorten(title, TITLE_LIMIT), shorten(publisher, PUBLISHER_LIMIT)
    name = escape(title) if title else "untitled source"
    head = _link(url, title or "untitled source") or name
    return " · ".join(x for x in (f"*{head}*", escape(publisher), notices.date_text(published)) if x)


def _correction(c: Citation) -> dict[str, Any] | None:
    """The citation's correction in the Answer contract's form, however the record holds it."""
    return c.to_json().get("correction")


def flag_line(corr: dict[str, Any], refs: list[int] | None = None) -> str:
    """⚠ *CORRECTED* — note; corrected by [1]–[3] above — one line, escaped."""
    label = notices.flag_label(str(corr.get("status")))
    note = escape(shorten(str(corr.get("note") or ""), NOTE_LIMIT))
    line = f"⚠ *{label}*" + (f" — {note}" if note else "")
    if refs:
        line += f"; {notices.corrected_above(str(corr.get('status')), refs)}"
    return line


def citation_blocks(c: Citation, cited: dict[tuple[str, Any], int], first_of: dict[str, int],
                     *, compact: bool = False) -> list[dict[str, Any]]:
    """One quoted sentence: its section (number, exact sentence, flag), then its source line as
    a context block. A correcting sentence quoted elsewhere in the answer is referred to by
    number; one that is not is quoted under the flag with its own source. `compact` (context for
    a "don't know" reply) keeps the flag to one line and quotes nothing more."""
    corr = _correction(c)
    later = getattr(c, "role", None) == "later"
    head = f"*[{c.n}]*" + (" ⚠" if corr else "")
    if later:
        head += f" 🕒 *{notices.LATER}* · {notices.date_text(c.published)}"
    lines = [head, quote(c.text)]
    if corr:
        by = corr.get("by", [])
        refs = [cited[(b.get("source"), b.get("sentence"))] for b in by if (b.get("source"), b.get("sentence")) in cited]
        lines.append(flag_line(corr, refs))
        for b in [] if compact else by:
            if (b.get("source"), b.get("sentence")) in cited:
                continue
            lines.append(quote(b.get("text", "")))
            lines.append("— " + source_line(b.get("title") or b.get("source", ""), "", b.get("published", "")))
    blocks = [section(piece) for piece in _quoted_chunks("\n".join(lines), SECTION_LIMIT)]
    seen = first_of.setdefault(c.source, c.n)
    where = source_line(c.title, c.publisher, c.published, c.url) if seen == c.n else notices.same_source(seen)
    if c.field:
        where += f" · {escape(c.field)}"
    blocks.append(context(where))
    return blocks


def _quoted_chunks(text: str, limit: int) -> list[str]:
    """`_chunks`, keeping quote blocks quoted: a piece that begins inside a quoted line starts
    with the quote marker again, so no ">" ever lands mid-line or goes missing."""
    pieces = _chunks(text, limit - 2)
    out = [pieces[0]]
    quoted = False  # whether the line running at the end of the previous piece is a quote
    for prev, piece in zip(pieces, pieces[1:]):
        nl = prev.rfind("\n")
        quoted = prev[nl + 1:].startswith("> ") if nl != -1 else quoted or prev.startswith("> ")
        quoted = quoted and not prev.endswith("\n")
        out.append(("> " if quoted else "") + piece)
    return out


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": cut(text, 2000)}]}


def lead_text(answer: Answer) -> str:
    """The answer's prose without its last line when that line is the extractive body — every
    quoted sentence with its [n] marker (and "Later (…): " before later coverage) — since the
    citation blocks below quote them verbatim and a sentence must never show twice."""
    text = answer.answer
    head, sep, last = text.rpartition("\n")
    if sep and answer.citations and all(f"{c.text} [{c.n}]" in last for c in answer.citations):
        return head
    return text


def answer_payload(answer: Answer) -> dict[str, Any]:
    """What a later turn in the thread needs from this one (message metadata): also the first quoted
    sentence (`lead`), in which a later "he" or "she" finds the person the answer named
    (`bot.conversation.person_answered`) — without it a thread replayed from Slack never could."""
    return {"question": answer.question[:500], "standalone": (answer.standalone or answer.question)[:1000],
            "answered": answer.answered, "sources": list(dict.fromkeys(c.source for c in answer.citations)),
            "lead": answer.first_quote[:600]}


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
    lines = ([escape(f"{notices.READ_AS} {answer.read_as}")] if answer.read_as else []) + [escape(lead_text(answer))]
    for c in answer.citations if answer.answered else closest(answer):
        corr = _correction(c)
        flag = ""
        if corr:
            flag = f" ⚠ {notices.flag_label(str(corr.get('status')))}"
        lines.append(f"[{c.n}]{flag} “{escape(c.text)}” — {escape(shorten(c.title, TITLE_LIMIT))}, {notices.date_text(c.published)}")
    limit = FALLBACK_LIMIT if answer.answered else DONT_KNOW_LIMIT // 3
    return cut("\n".join(lines), limit)


def closest(answer: Answer) -> list[Citation]:
    """The passages a "don't know" reply shows: the best-scored sentences, not the statements
    that corrected them (those come along in the Answer JSON with no score of their own)."""
    best = sorted(answer.citations, key=lambda c: -c.score)[:DONT_KNOW_PASSAGES]
    return sorted(best, key=lambda c: c.n)


def _dont_know_blocks(answer: Answer, around: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line, then at most two closest sentences under "Closest passages (not an answer)",
    the whole reply (with the `around` blocks) kept under DONT_KNOW_LIMIT characters: a passage
    that does not fit is left out, and the first one alone is cut short rather than dropped."""
    blocks = [section(escape(answer.answer.split("\n", 1)[0])), context(CLOSEST)]
    cited: dict[tuple[str, Any], int] = {}
    first_of: dict[str, int] = {}

    def size(extra: list[dict[str, Any]]) -> int:
        return len("\n".join(_texts(around + blocks + extra)))

    for c in closest(answer):
        group = citation_blocks(c, cited, first_of, compact=True)
        over = size(group) - (DONT_KNOW_LIMIT - 1)
        if over > 0:
            if len(blocks) > 2:
                break
            sec = group[0]["text"]
            sec["text"] = cut(sec["text"], max(80, len(sec["text"]) - over))
        blocks += group
    return blocks if len(blocks) > 2 else blocks[:1]


def _texts(x: Any) -> list[str]:
    """Every text a reader sees in blocks (sections, context, button labels), in order."""
    if isinstance(x, list):
        return [t for v in x for t in _texts(v)]
    if not isinstance(x, dict):
        return []
    own = [x["text"]] if x.get("type") in ("mrkdwn", "plain_text") and isinstance(x.get("text"), str) else []
    return own + [t for v in x.values() for t in _texts(v)]


def render_answer(answer: Answer, *, share: bool = False, feedback: bool = True,
                  header: str | None = None, asked: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for one answer: the lead line, one section per quoted sentence
    with its source line as context, a divider, then the buttons. `header` is already-escaped
    mrkdwn context (who shared it); `asked` restates the question (replies only the asker sees,
    which Slack shows without the question that led to them)."""
    blocks: list[dict[str, Any]] = []
    if header:
        blocks.append(context(header))
    if asked:
        blocks.append(context(f"You asked: _{escape(answer.question)}_"))
    if answer.read_as:
        blocks.append(context(f"{notices.READ_AS} _{escape(answer.read_as)}_"))
    tail = [{"type": "divider"}, actions_block(answer, share=share)] if (feedback or share) else []
    if not answer.answered:
        return fallback_text(answer), blocks + _dont_know_blocks(answer, blocks + tail) + tail
    blocks += [section(p) for p in _chunks(escape(lead_text(answer)), SECTION_LIMIT)]
    cited = {(c.source, c.sentence): c.n for c in answer.citations}
    first_of: dict[str, int] = {}
    groups = [citation_blocks(c, cited, first_of) for c in answer.citations]
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
        blocks.append(context(f"{len(groups) - shown} more citation(s) did not fit in one Slack message."))
    blocks += tail
    return fallback_text(answer), blocks


def message_blocks(text: str) -> tuple[str, list[dict[str, Any]]]:
    """A short notice (apology, usage) from trusted text; user text must be escaped by the caller."""
    return cut(text, FALLBACK_LIMIT), [section(cut(text, SECTION_LIMIT))]
