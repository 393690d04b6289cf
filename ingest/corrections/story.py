"""Are a claim and a later statement from two sources about the same story?

A correction link joins two sentences; across sources it must never join two different stories
(an election's "margin of 570,000 votes" is not revised by an earthquake's "toll could reach
10,000"; an ash cloud's "worst disruption since the Second World War" is not ended by an epidemic's
"worst outbreak"). Sentence-level evidence can be fooled by one shared word, so every pair the
detector proposes across sources — any family, link or candidate, and the learned model's
candidates — passes one document-level test, a reader's test on any text:

- the later source *names the claim's subject*: one of the claim's name phrases is found whole in
  the later document ("Second World War" is not found in a text that says "World Health
  Organization"; "Djokovic" is), or written there as its initials ("WHO" for "World Health
  Organization", and the other way round); a claim that names nothing takes the names of the
  sentence before it, else of its source's headline;
- or the two documents, as wholes, are close in meaning: the cosine of their mean sentence
  vectors is at least `settings.tuning.corrections.story_doc_sim` (a later story that calls "Volkswagen" "VW" throughout).

Numbers are not names here ("570,000" and "10,000" share "000"), nor are titles ("President",
"Minister") or the generic names of bodies ("University", "Department").

Measured on the labelled real-world parts (dev … heldout7: 175 expected links across sources,
episodes labelled in each part's header) and the news sets (five unrelated stories each), where
any two sources of different episodes or articles are different stories (`python -m
benchmarks.story_gate`): the name test alone keeps 160 of 175 expected links and lets through
0.94 % of (claim, later document) pairs of different stories in the real-world parts (3.8 % in the
news sets, which share people such as a president); with the document route, 174 of 175 (the one
left names only its town, and its two stories are at 0.47) and 1.16 % (3.8 %). The gate is a floor
under the families' sentence-level evidence, not a detector: what it lets through still needs a
family's evidence. The threshold 0.5 is a round number between the two distributions (same story:
median 0.71, minimum 0.38; different stories: median 0.10, 99th percentile 0.43), picked after seeing
them; also looked at and dropped: requiring both routes (the name test and 0.3 kept 158 of 175).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..terms import stem
from ..tuning import CorrectionsTuning
from .lexicon import GENERIC_NAMES, NOT_NAMES
from .subject import _caps, acronyms, names

# the shipped settings.tuning.corrections.story_doc_sim, read from its one definition (relinking passes the configured one)
DOC_SIM: float = CorrectionsTuning.model_fields["story_doc_sim"].default

# Titles and ranks stand before names; alone they name no one ("President", "Prime Minister").
TITLES = frozenset("""
president vice prime minister secretary chancellor king queen prince princess pope senator governor mayor
judge justice chief executive director general private sergeant captain colonel officer professor sir
lord lady dame mr mrs ms dr spokesman spokeswoman chairman chairwoman representative rep sen gov
""".split())

_PHRASE = re.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:(?:of|for|and|the|de|du|da|van|von|al|bin|la|le)\s+)*[A-Z][\w&'’.-]*)*")
_CAPITAL = re.compile(r"\b[A-Z][\w&'’.-]*")


def _norm(word: str) -> str:
    w = word.strip(".'’").lower()
    for tail in ("'s", "’s"):
        w = w.removesuffix(tail)
    return stem(w)


def _is_name(tok: str, known: frozenset[str]) -> bool:
    low = tok.strip(".'’").lower()
    for tail in ("'s", "’s"):
        low = low.removesuffix(tail)
    return (low in known and not any(c.isdigit() for c in low) and low not in GENERIC_NAMES
            and low not in NOT_NAMES and low not in TITLES)


@lru_cache(maxsize=100_000)
def name_phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """The sentence's names as phrases of stemmed words ("Second World War" → (second, world, war)),
    without titles, numbers and generic words; a phrase is matched whole, never by one of its words."""
    known = names(text)
    out: list[tuple[str, ...]] = []
    for m in _PHRASE.finditer(text):
        toks = tuple(_norm(t) for t in m.group(0).split() if t[0].isupper() and _is_name(t, known))
        if toks and toks not in out:
            out.append(toks)
    return tuple(out)


@dataclass(frozen=True)
class DocFacts:
    """What the test reads of one document: its capitalised words (stemmed), words in capitals,
    initials of its multi-word names, and its mean sentence vector (unit length; None without vectors)."""

    words: frozenset[str]
    caps: frozenset[str]
    initials: frozenset[str]
    centroid: np.ndarray | None


def doc_facts(texts: Sequence[str], vectors: Sequence[np.ndarray | None] = ()) -> DocFacts:
    joined = "\n".join(texts)
    words = frozenset(_norm(w) for w in _CAPITAL.findall(joined))
    initials = frozenset(x for t in texts for x in acronyms(t))
    vecs = [v for v in vectors if v is not None]
    centroid = None
    if vecs:
        c = np.mean(np.asarray(vecs, dtype=np.float64), axis=0)
        n = float(np.linalg.norm(c))
        centroid = c / n if n else None
    return DocFacts(words, _caps(joined), initials, centroid)


def names_subject(claim: str, before: str, headline: str, later: DocFacts) -> bool:
    """The later document names what the claim is about (see the module's docstring)."""
    phrases = name_phrases(claim) or name_phrases(before) or name_phrases(headline)
    if any(all(t in later.words for t in p) for p in phrases):
        return True
    return bool(acronyms(claim) & later.caps or _caps(claim) & later.initials)


def same_story(claim: str, before: str, headline: str, earlier: DocFacts, later: DocFacts,
               doc_sim: float = DOC_SIM) -> bool:
    if names_subject(claim, before, headline, later):
        return True
    if earlier.centroid is None or later.centroid is None:
        return False
    return float(earlier.centroid @ later.centroid) >= doc_sim


class Stories:
    """The gate for one relink: each source's facts built once from its sentence rows.
    `rows(source_id)` gives a source's sentences (with vectors) in order; `headline(source_id)` its title."""

    def __init__(self, rows: Callable[[str], Sequence[object]], headline: Callable[[str], str],
                 doc_sim: float = DOC_SIM) -> None:
        self._rows, self._headline, self.doc_sim = rows, headline, doc_sim
        self._facts: dict[str, DocFacts] = {}
        self.blocked = 0  # pairs refused, for the run's measurements

    def facts(self, source: str) -> DocFacts:
        if source not in self._facts:
            rs = self._rows(source)
            self._facts[source] = doc_facts([r.text for r in rs], [getattr(r, "vector", None) for r in rs])
        return self._facts[source]

    def headline(self, source: str) -> str:
        return self._headline(source)

    def see(self, *pair: object) -> None:
        """Every pair the detector forms is shown here; the gate alone keeps nothing
        (`learned.PairHook` scores them)."""

    def __call__(self, claim: object, later: object, before: str = "") -> bool:
        """Whether sentence row `later` may correct sentence row `claim` (rows of two sources)."""
        a_src, b_src = claim.source, later.source  # type: ignore[attr-defined]
        if a_src == b_src:
            return True
        ok = same_story(claim.text, before, self._headline(a_src), self.facts(a_src), self.facts(b_src),  # type: ignore[attr-defined]
                        self.doc_sim)
        self.blocked += not ok
        return ok


__all__ = ["DOC_SIM", "DocFacts", "Stories", "doc_facts", "name_phrases", "names_subject", "same_story"]
