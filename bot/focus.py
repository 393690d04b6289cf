"""What a question asks about: its focus, the attribute or thing the answer must be about
("How much is OpenAI worth?" → "worth"; "What salary will Microsoft pay?" → "salary"; "Who was the
captain of the Dali?" → "captain"), read from the question's wording alone (select rule 8).

A question's focus is the head of the phrase its question word governs:
  - "how many N …", "how much N …" → N ("how many spectators attended" → "spectators");
  - "what N …" where N is not a kind of name ("what company" asks for a name: rule 7) → N
    ("what salary will …" → "salary");
  - "what/who is the N of|for|in|at|on …", "what is X's N" → N ("what was the turnout in …").
The phrase ends at the first function word, question word or verb-like word (ending in -ed, or
followed by a function word). A question without such a head may have a verb focus instead: the
verb closing "When was X founded?", "How much does X weigh?" (`verb_of`). No focus is read when the head is itself a kind of answer that rule 7
checks instead (money, a number, a share, a time: "how much prize money", "what year"), or a word
that names the kind of answer rather than an attribute of the subject ("name", "reason", "role":
`GENERIC`): those are answered by what the sentence says, not by the word.

A sentence *holds* the focus when one of its words has the focus's stem (the Snowball stems the
index's term counts use: "salaries" holds "salary"). What the rule does with that: bot/select.py.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.terms import QUESTION_WORDS, STOPWORDS, content_terms

FITTED = Path(__file__).resolve().parent / "fitted" / "focus.json"  # written by `python -m bot.focus_fit`

# Heads that name a kind of answer rule 7 checks by its form (an amount, a number, a share, a time).
TYPE_WORDS = frozenset("money cash amount amounts number numbers percentage percent share proportion date dates "
                       "day days year years month months time times".split())
# Heads that name the kind of answer, not an attribute the answering sentence must word.
GENERIC = frozenset("name names reason reasons role purpose result outcome effect impact response reaction "
                    "position view status kind type sort way thing things part place happen happened happens occur occurred".split())
_ENTITY_KIND = re.compile(r"^(?:company|companies|firm|firms|organi[sz]ations?|agency|agencies|group|groups|person|"
                          r"people|official|officials|country|countries|city|cities|state|states|bank|banks|brand|"
                          r"brands|investor|investors|team|teams|player|players|club|clubs)$")

_LEAD = re.compile(r"\bhow (?:many|much)\s+|^\s*(?:and\s+|so\s+)?what\s+(?!is\b|was\b|are\b|were\b|did\b|does\b|do\b|will\b|"
                   r"would\b|can\b|could\b|has\b|have\b|had\b|should\b|about\b|if\b|else\b|kind\b|type\b|sort\b)", re.I)
_OF = re.compile(r"^\s*(?:and\s+)?(?:what|who)(?:'s|’s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+|a\s+|an\s+)?"
                 r"((?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:of|for|in|at|on|behind|to)\b", re.I)
_POSS = re.compile(r"^\s*(?:and\s+)?(?:what|who)(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?[\w.&-]+(?:'s|’s)\s+"
                   r"((?:[\w-]+\s+){0,2}?[\w-]+)\s*\??\s*$", re.I)
_WORD = re.compile(r"[\w'’-]+")


_AUX = frozenset("did does do is are was were will would has have had can could should".split())
_PEOPLE = frozenset("people staff men women children".split())


def _phrase_head(text: str, aux_next: bool = False) -> str | None:
    """The head of the noun phrase that opens `text`: words up to a function word, a question word
    or a verb-like word (ending in -ed), at most three, the phrase ending at a plural ("asylum
    claims are …", "people work …"). With `aux_next` ("what N did …") the phrase must be followed
    by an auxiliary, else the word after "what" is a verb ("what caused …") and there is no head."""
    out: list[str] = []
    toks = [t.lower() for t in _WORD.findall(text)]
    for i, w in enumerate(toks[:3]):
        if w in STOPWORDS or w in QUESTION_WORDS or w.endswith("ed") or not w.isalpha():
            break
        out.append(w)
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if nxt in STOPWORDS or nxt in QUESTION_WORDS or (w.endswith("s") and not w.endswith("ss")) or w in _PEOPLE:
            break
    if aux_next and toks[len(out):len(out) + 1] and toks[len(out)] not in _AUX:
        return None
    return out[-1] if out else None


@lru_cache(maxsize=512)
def focus_of(question: str) -> str | None:
    """The question's focus word (lowercase, as typed), or None when it has none (see the module
    docstring)."""
    q = question.strip()
    m = _OF.search(q) or _POSS.search(q)
    if m:
        if any(w.lower().endswith(("ed", "ing")) for w in _WORD.findall(m.group(1))):
            return None  # "who was the bridge named for", "who's going to pay for": a verb, not an attribute
        head = _phrase_head(m.group(1) + " of")
    else:
        m = _LEAD.search(q)
        if not m:
            return verb_of(q)
        what = m.group(0).strip().lower().endswith("what")
        head = _phrase_head(q[m.end():], aux_next=what)
    if not head or head in TYPE_WORDS or head in GENERIC or head in _PEOPLE or _ENTITY_KIND.match(head):
        return verb_of(q) if not m or m.re is _LEAD else None
    return head if content_terms(head) else None


_VERB_LAST = re.compile(r"^\s*(?i:and\s+)?(?i:when|where|how much|how many|how long|how often)\s+((?i:did|does|do|was|were|"
                        r"is|are|will|would|has|have|had))\s+((?:[\w.'’&-]+\s+){1,5}?)([a-z]+)\s*\??\s*$")
_DETERMINERS = frozenset("the a an its their his her our this that these those".split())
_BE = frozenset("was were is are".split())


def verb_of(question: str) -> str | None:
    """The predicate a question without a noun focus asks about: the verb closing "when was X
    founded", "how much does X weigh", where only determiners come between. After a form of "be",
    only a participle (-ed, -en) is a verb ("when is the match" has none). The verb after "who"
    ("who bought …") is not read: news copy words a buyer, a coach, a leader in too many ways."""
    m = _VERB_LAST.search(question)
    if m:
        aux, v = m.group(1).lower(), m.group(3)
        between = [w.lower() for w in m.group(2).split()]
        if (aux in _BE and not v.endswith(("ed", "en"))) or any(
                w in STOPWORDS and w not in _DETERMINERS for w in between):
            return None  # "when is the match": no verb; "how much did X pay for Y": the last word is not the verb
    else:
        return None
    if not v or v in STOPWORDS or v in QUESTION_WORDS or v in GENERIC or not content_terms(v):
        return None
    return v


def holds_stem(focus: str, text: str) -> bool:
    """The sentence has a word with the focus's stem."""
    want = set(content_terms(focus))
    return bool(want) and bool(want & set(content_terms(text)))


def sentence_words(text: str) -> list[str]:
    """The sentence's content words as typed (lowercase, alphabetic), each once: what the focus is
    compared with word by word."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text)
                              if w.isalpha() and w.lower() not in STOPWORDS and len(w) > 1))


class WordVectors:
    """Embeddings of single words by the engine's own model, cached (a sentence's words repeat
    question after question). `embed` is the embedder's batch function (normalised vectors)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], size: int = 8192) -> None:
        self._embed, self._size = embed, size
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, ws: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [w for w in dict.fromkeys(ws) if w not in self._cache]
        if missing:
            vecs = np.asarray(self._embed(missing), dtype=np.float32)
            with self._lock:
                if len(self._cache) + len(missing) > self._size:
                    self._cache.clear()
                self._cache.update(zip(missing, vecs))
        with self._lock:
            return np.vstack([self._cache[w] for w in ws]) if ws else np.zeros((0, 1), np.float32)


def focus_similarity(focus: str, text: str, vectors: Callable[[Sequence[str]], np.ndarray]) -> float:
    """1.0 when the sentence has the focus's stem; else the highest cosine between the focus and one
    of the sentence's words, each embedded alone ("employees" ~ "employs" 0.71, "salary" ~ "hired"
    0.34)."""
    if holds_stem(focus, text):
        return 1.0
    ws = sentence_words(text)
    if not ws:
        return 0.0
    v = vectors([focus] + ws)
    return float(np.max(v[1:] @ v[0]))


def load(path: Path = FITTED) -> float | None:
    """The fitted focus similarity (bot/focus_fit.py), or None when the file is missing (rule 8 then
    reads stems only)."""
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["threshold"])
    except (OSError, ValueError, KeyError):
        return None


__all__ = ["FITTED", "GENERIC", "load", "TYPE_WORDS", "WordVectors", "focus_of", "focus_similarity", "holds_stem", "sentence_words"]
