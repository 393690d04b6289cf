"""Separate a story's answerable text from its page furniture.

Furniture (ads, share bars, contact and copyright lines) must never be quoted as if it were
reporting, but bylines and contacts still answer "who wrote this?", so they are kept as
metadata. Each kept paragraph is a verbatim substring of the input, so every sentence is
too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PARA_SPLIT = re.compile(r"\n[ \t]*\n")

_AD = re.compile(
    r"^(?:skip\s+)?advertisement$|^supported by$|^sponsored(?: content)?$|^story continues below(?: advertisement)?$",
    re.I,
)
_SHARE_WORDS = {
    "share", "tweet", "email", "e-mail", "print", "facebook", "twitter", "x", "linkedin",
    "whatsapp", "reddit", "pinterest", "copy", "link", "save", "this", "article", "story", "on",
    "via", "gift", "comments", "comment", "listen", "follow", "subscribe", "|", "·", "-",
}
_CONTACT = re.compile(r"^to contact the (reporters?|editors?|authors?)\b[^:]*:\s*(.+)$", re.I)
# Wire-style credit lines: "Reporting by A and B; Editing by C", "--With assistance from D."
_CREDITS = re.compile(r"^[(\[]?\s*(?:additional )?reporting by\s+(.+?)\s*(?:;.*)?[)\]]?\.?$|"
                      r"^(?:--|—|–)?\s*with assistance from\s+(.+?)\.?$", re.I)
# Version notes that are not reporting. "(Corrects …)" notes are kept: they are corrections.
_VERSION_NOTE = re.compile(r"^[(\[]\s*(?:updates?|adds?|recasts?|rewrites?|changes|refiles?|repeats?)\b.{0,300}[)\]]$", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b).{0,120}$|all rights reserved\.?$", re.I)
_BYLINE = re.compile(r"^(?i:by|written by)\s+([A-Z][\w.'\- ]+(?:(?:,| and) [A-Z][\w.'\- ]+)*)\.?$")
_PROMO = re.compile(
    r"^(?:read more|related|sign up|click here|subscribe|most read|recommended|also read|more from|"
    r"follow (?:us|\w+ on)|our standards)\b.{0,100}$|"
    r"^(?:photographer|photo|image|source|credit):\s.{0,120}$",
    re.I,
)
_DATELINE = re.compile(r"^(?:\([A-Z][\w .&'-]{1,40}\)|[A-Z][A-Z .,'-]{2,40}\s*\([A-Z][\w .&'-]{1,40}\))\s*(?:--|—|–|-)\s*")
_EMAIL = re.compile(r"\s+at\s+\S+@\S+")


@dataclass
class Cleaned:
    text: str
    byline: str = ""
    contacts: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    dateline: str = ""


def _is_share_bar(p: str) -> bool:
    words = re.findall(r"[\w|·-]+", p.lower())
    marks = {"share", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "email", "print"}
    return 0 < len(words) <= 12 and all(w in _SHARE_WORDS for w in words) and bool(marks & set(words))


def clean_text(raw: str) -> Cleaned:
    """Keep the story's paragraphs verbatim, joined by blank lines; move the rest to metadata."""
    out = Cleaned(text="")
    kept: list[str] = []
    for para in _PARA_SPLIT.split(raw.replace("\r\n", "\n").replace("\r", "\n")):
        p = para.strip()
        if not p:
            continue
        m = _CONTACT.match(p)
        if m:
            out.contacts.append(p)
            who = _EMAIL.sub("", m.group(2)).strip().rstrip(".")
            if m.group(1).lower().startswith(("reporter", "author")) and not out.byline:
                out.byline = who
            continue
        cr = _CREDITS.match(p)
        if cr and len(p) < 300:
            out.contacts.append(p)
            if cr.group(1) and not out.byline:
                out.byline = cr.group(1).strip()
            continue
        if _VERSION_NOTE.match(p):
            out.furniture.append(p)
            continue
        b = _BYLINE.match(p)
        if b and len(p) < 120:
            out.byline = out.byline or b.group(1).strip()
            out.furniture.append(p)
            continue
        if _AD.match(p) or _COPYRIGHT.match(p) or _PROMO.match(p) or _is_share_bar(p):
            out.furniture.append(p)
            continue
        d = _DATELINE.match(p)
        if d and not kept_body(kept):
            out.dateline = d.group(0).strip()
            p = p[d.end():]
        kept.append(p)
    out.text = "\n\n".join(kept)
    return out


def kept_body(kept: list[str]) -> bool:
    """True once a paragraph of body prose (not a headline) has been kept."""
    return any(len(k) > 120 for k in kept)
