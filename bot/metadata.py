"""Questions about the sources themselves — who wrote it, who edited it, when and where it was
published — answered from the metadata ingest kept (bylines, contact lines, front matter), which is
not quoted as reporting but is still what the reader asked for."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.dates import human
from ingest.records import SourceRecord
from ingest.terms import content_terms, name_tokens

from . import notices
from .answer import Answer, Citation
from .conversation import Conversation

_DOC = r"(?:article|story|piece|this|it|the news|the text)"
BYLINE_Q = re.compile(
    r"\b(who (?:wrote|authored|reported|filed|is the (?:author|reporter|writer|journalist))|"
    r"(?:the |its |this )?(?:author|byline|reporter|journalist|writer)s?\b|written by|by whom)",
    re.I,
)
EDITOR_Q = re.compile(r"\b(editors?|edited)\b", re.I)
DATE_Q = re.compile(
    r"\bwhen (?:was|were|did) (?:the |this |that )?" + _DOC + r"\b.*\b(?:published|written|released|come out|appear|run)\b|"
    r"\b(?:publication|published) date\b|\bdate of (?:the |this )?" + _DOC + r"\b|\bhow old is (?:the |this )?" + _DOC,
    re.I,
)
PUBLISHER_Q = re.compile(
    r"\b(?:which|what) (?:outlet|publication|newspaper|paper|news (?:agency|organi[sz]ation|outlet|site)|publisher|"
    r"news service|wire)\b|\bwho (?:published|ran|carried) (?:the |this )?" + _DOC + r"\b",
    re.I,
)
_GENERIC = {"wrote", "write", "author", "reporter", "story", "article", "edit", "editor", "publish", "date",
            "piece", "journalist", "writer", "byline", "outlet", "publication", "newspaper"}


class Directory:
    """The sources' metadata as the questions about them look it up, built once per index
    generation: a question then scans the distinct bylines (a newsroom has far fewer reporters
    than stories) and the titles sharing one of its words, not every record."""

    def __init__(self, records: dict[str, SourceRecord]) -> None:
        self.records = records
        self.pos = {sid: i for i, sid in enumerate(records)}
        self.bylines: dict[str, list[str]] = {}  # lower-cased byline -> its sources, in index order
        for sid, r in records.items():
            if r.byline:
                self.bylines.setdefault(r.byline.lower(), []).append(sid)
        self._titled: dict[str, list[str]] | None = None

    @property
    def titled(self) -> dict[str, list[str]]:
        """A title's content word -> its sources, in index order; built on first use (a "Who is
        …?" question that names no byline never needs it: ~70 ms of a cold ask at 9k sources)."""
        if self._titled is None:
            titled: dict[str, list[str]] = {}
            for sid, r in self.records.items():
                for t in set(content_terms(r.title)):
                    titled.setdefault(t, []).append(sid)
            self._titled = titled
        return self._titled

    def by_byline(self, match: Callable[[str], bool]) -> list[str]:
        """Sources whose (lower-cased) byline matches, in index order."""
        hits = [sid for b, sids in self.bylines.items() if match(b) for sid in sids]
        return sorted(hits, key=self.pos.__getitem__)

    def best_title(self, terms: set[str]) -> str | None:
        """The source whose title shares most of `terms` (the first in index order on a tie)."""
        shared: dict[str, int] = {}
        for t in terms:
            for sid in self.titled.get(t, ()):
                shared[sid] = shared.get(sid, 0) + 1
        return min(shared, key=lambda s: (-shared[s], self.pos[s])) if shared else None


def _targets(q: str, d: Directory, conversation: Conversation | None) -> list[str]:
    """Which sources the question is about: the ones just quoted, a title it echoes, the one whose
    byline it names, or — with a single source — that one."""
    low = q.lower()
    names = [n.lower() for n in name_tokens(q, initial=True) if len(n) > 2]
    named = d.by_byline(lambda b: any(n in b for n in names))
    if named:
        return named[:5]
    last = conversation.last.answer if conversation and conversation.last else None
    if last and last.citations and re.search(r"\b(this|that|it|the (?:article|story|piece))\b", low):
        return list(dict.fromkeys(c.source for c in last.citations))
    if len(d.records) == 1:
        return list(d.records)
    best = d.best_title(set(content_terms(q)) - _GENERIC)
    return [best] if best is not None else list(d.records)[:5]


def _names_a_byline(q: str, d: Directory) -> bool:
    """"Who is Blake Schmidt?" asks about a source's author."""
    if not re.match(r"\s*who\s+(?:is|was)\b", q, re.I):
        return False
    names = [n.lower() for n in name_tokens(q, initial=True) if len(n) > 2]
    return bool(names) and any(all(n in b for n in names) for b in d.bylines)


_DOC_WORD = re.compile(r"\b(?:article|story|piece)\b", re.I)
_GENERIC_TERMS = frozenset(t for w in _GENERIC | {"name", "edited", "who", "reported", "authored", "filed"}
                           for t in content_terms(w))


def _asks_for_a_person_of_the_piece(q: str) -> bool:
    """"Who wrote this?", "Who is the author?", "Who wrote the story about Megvii?" ask about the
    piece; "How many days were the writers on strike?" or "Who wrote the majority opinion?" ask
    about its content. A byline or editor question names the piece itself, or says nothing
    beyond the words for writing and editing."""
    return bool(_DOC_WORD.search(q)) or not (set(content_terms(q)) - _GENERIC_TERMS)


def metadata_answer(q: str, directory: Callable[[], Directory],
                    conversation: Conversation | None) -> Answer | None:
    """`directory` is called only when the question is about the sources, keeping the manifest
    read off the path of ordinary questions."""
    if not (BYLINE_Q.search(q) or EDITOR_Q.search(q) or DATE_Q.search(q) or PUBLISHER_Q.search(q)
            or re.match(r"\s*who\s+(?:is|was)\b", q, re.I)):
        return None
    d = directory()
    recs = d.records
    if not recs:
        return None
    person = _asks_for_a_person_of_the_piece(q)
    if BYLINE_Q.search(q) and person or _names_a_byline(q, d):
        field, lead = "byline", "From the story's byline:"
    elif EDITOR_Q.search(q) and person:
        field, lead = "editors", "From the story's contact lines:"
    elif DATE_Q.search(q):
        field, lead = "published", "From the source's publication date:"
    elif PUBLISHER_Q.search(q):
        field, lead = "publisher", "From the source's details:"
    else:
        return None
    cits: list[Citation] = []
    for sid in _targets(q, d, conversation):
        rec = recs[sid]
        values = {
            "byline": [rec.byline],
            "editors": [c for c in rec.contacts if "editor" in c.lower()],
            "published": [rec.published],
            "publisher": [rec.publisher],
        }[field]
        for value in filter(None, values):
            cits.append(Citation(n=len(cits) + 1, source=sid, title=rec.title,
                                 published=rec.published, url=rec.url, sentence=None,
                                 start=None, end=None, text=value, score=1.0, publisher=rec.publisher,
                                 field=field))
    if not cits:
        return None
    phrase = {
        "byline": "is by {text}",
        "editors": "lists its editors: “{text}”",
        "published": "was published {date}",
        "publisher": "was published by {text}",
    }[field]
    body = " ".join(
        notices.source_inline(c.title, c.publisher or "unknown publisher", c.published) + " "
        + phrase.format(text=c.text, date=human(c.text)) + f" [{c.n}]."
        for c in cits)
    return Answer(question=q, answered=True, answer=f"{lead}\n{body}", citations=cits, standalone=q)
