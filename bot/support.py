"""Checking an LLM draft against the sentences it cites: what may reach the user.

The draft is untrusted; a citation marker proves nothing by itself (any real `[1]` would do). So
each statement is held to what it cites:

- it is split with the ingest sentence splitter (one splitter for sources and drafts); citation
  numbers that were not given are removed and counted, and a statement left with no citation is
  dropped;
- a URL that none of its cited sentences contains is removed from it, and counted;
- a quotation, in any quote style, that is not word for word in its cited sentences drops it;
- every name, number, date and content word left must come from its support — the cited
  sentences, what the model was shown with them (title, date, correction flag), the question, or
  a paraphrase from the tuning section's word groups — or the statement is dropped as unsupported.

What the checks did is counted in a `DraftChecks`, which an LLM answer carries in its JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.dates import human
from ingest.split import split_spans
from ingest.terms import content_terms, name_tokens
from ingest.tuning import ComposerTuning

from . import notices
from .answer import Citation, DraftChecks

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^((?:\[[^\]\n]{1,24}\]\s*)+)")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\[\]\"“”‘’]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|info|biz|ru|cn)"
                  r"(?:/[^\s<>\[\]\"“”‘’]*)?\b", re.I)
# Quotations in the quote styles news copy and models use: curly and straight double quotes, curly
# and straight single quotes (not apostrophes: the opening one follows a space or bracket),
# guillemets, low-high quotes, CJK brackets and backticks.
_QUOTES = re.compile(
    r"“([^“”]+)”|\"([^\"]+)\"|«\s?([^«»]+?)\s?»|„([^„“”]+)[“”]|「([^「」]+)」|『([^『』]+)』|`([^`]+)`"
    r"|(?:^|(?<=[\s(\[]))‘([^‘’]+?)’(?=[\s.,;:!?)\]]|$)|(?:^|(?<=[\s(\[]))'([^'\n]+?)'(?=[\s.,;:!?)\]]|$)")


def split_statements(text: str) -> list[str]:
    """Sentences of the draft, each keeping the citation markers that follow it: markers after a
    full stop ("… app. [2]") belong to the statement before them, not to the next one."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        for s, e in split_spans(line):
            piece = line[s:e]
            m = _LEADING_MARKERS.match(piece)
            if m and out:
                out[-1] = f"{out[-1]} {m.group(1).strip()}"
                piece = piece[m.end():].strip()
            if piece.strip(" .;,"):
                out.append(piece)
    return out


def normalise(s: str) -> str:
    """Quotes and spacing made uniform, lower case: how a quotation is compared with its source."""
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def quotations(text: str) -> list[str]:
    """The quoted passages of `text`, whatever the quote marks."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTES.finditer(text)]


def support_text(cited: Iterable[Citation], question: str) -> str:
    """Everything a statement citing `cited` may draw on: the sentences, what the model was shown
    beside each (source title, publication date, the correction flag in notices' words), and the
    question."""
    parts = [question]
    for c in cited:
        parts += [c.text, c.title, human(c.published) if c.published else ""]
        if c.correction:
            parts.append(notices.correction_notice(c.n, c.correction, []))
    return "\n".join(parts)


@lru_cache(maxsize=8)
def _alternatives(groups: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Each word's paraphrases (as content-term stems), from the composer tuning's word groups."""
    alternatives: dict[str, frozenset[str]] = {}
    for line in groups:
        group = frozenset(t for w in line.split() for t in content_terms(w))
        for t in group:
            alternatives[t] = alternatives.get(t, frozenset()) | (group - {t})
    return alternatives


def unsupported(statement: str, support: str, composer: ComposerTuning) -> list[str]:
    """The names, numbers, dates and content words of `statement` that its support does not hold
    (empty: the statement is supported)."""
    low = support.lower()
    missing = [n for n in name_tokens(statement) if n.lower().strip("'’.") not in low]
    have = set(content_terms(support)) | {t for w in composer.framing_words for t in content_terms(w)}
    for t in dict.fromkeys(content_terms(statement)):
        if t not in have and not (_alternatives(composer.paraphrases).get(t, frozenset()) & have) \
                and t not in (m.lower() for m in missing):
            missing.append(t)
    return missing


def verify(draft: str, given: dict[int, Citation], question: str = "", *,
           composer: ComposerTuning | None = None
           ) -> tuple[list[str], DraftChecks]:
    """Statements that survive the checks, with markers reduced to valid given numbers (`[n]`)."""
    composer = composer or ComposerTuning()
    v = DraftChecks()
    kept: list[str] = []
    for stmt in split_statements(draft):
        valid: list[int] = []

        def fix(m: re.Match[str]) -> str:
            nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
            good = [n for n in nums if n in given]
            v.invented += len(nums) - len(good)
            valid.extend(good)
            return "".join(f"[{n}]" for n in good)

        body = MARKER.sub(fix, stmt)
        if not valid:
            v.uncited += 1
            continue
        cited = [given[n] for n in dict.fromkeys(valid)]
        sentences = " ".join(normalise(c.text) for c in cited)
        for url in _URL.findall(body):
            if normalise(url).rstrip(".,;:") not in sentences:
                body = body.replace(url, "")
                v.urls_removed += 1
        if any(normalise(q) not in sentences for q in quotations(MARKER.sub("", body))):
            v.misquoted += 1
            continue
        body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", body)).strip()
        if unsupported(MARKER.sub(" ", body), support_text(cited, question), composer):
            v.unsupported += 1
            continue
        kept.append(body)
    v.kept = len(kept)
    return kept, v


__all__ = ["MARKER", "normalise", "quotations", "split_statements", "support_text", "unsupported", "verify"]
