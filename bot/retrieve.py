"""Stage 1, retrieve: what the question asks (a `Query`) and the candidate sentences that might
answer it.

Retrieval is hybrid. Dense vectors from Chroma find sentences close in meaning; exact matching of
name-like tokens ("IJOP", "CETC", "Face++") finds the rare names that small embedding models blur.
Nothing here decides whether a sentence answers — that is the select stage's job — so retrieval
errs on the side of more candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.embed import Embedder
from ingest.records import StoredSentence
from ingest.settings import Settings
from ingest.store import Store
from ingest.terms import content_terms, name_tokens, stem

from .question import question_terms
from .termstats import TermStats


@dataclass(frozen=True)
class Query:
    """The question as retrieval and selection read it."""

    text: str  # the question as asked (or as the composer restated it)
    context: str | None  # the earlier question this one follows up on, if any
    vector: np.ndarray
    context_vector: np.ndarray | None
    terms: dict[str, float]  # key words (names taken out) weighted by rarity, context words at reduced weight
    names: frozenset[str]  # lower-cased names the question mentions
    unknown_term: bool  # a key word of the question that the sources never use

    @property
    def standalone(self) -> str:
        """What was searched for: the follow-up with the question it follows."""
        return f"{self.context} {self.text}" if self.context else self.text


def understand(question: str, context: str | None, embedder: Embedder, stats: TermStats,
               settings: Settings) -> Query:
    """Embed the question (and its context) and weigh its key words against the index."""
    vec = embedder.embed_one(question)
    cvec = embedder.embed_one(f"{context} {question}") if context else None
    terms = question_terms(question, stats.idf)
    # A key word the sources never use makes a dense-only match suspect.
    unknown = any(stats.df(t) == 0 for t in terms)
    if context:
        weight = settings.tuning.retrieval.context_term_weight
        for t, w in question_terms(context, stats.idf).items():
            terms.setdefault(t, weight * w)
    names = frozenset(n.lower() for n in name_tokens(question))
    # Names decide *whether* a sentence is about the right thing (a separate factor, also satisfied
    # by a neighbouring sentence); the other key words decide what it says.
    name_stems = set(content_terms(" ".join(names)))
    terms = {t: w for t, w in terms.items() if t not in name_stems} or terms
    return Query(question, context, vec, cvec, terms, names, unknown)


def retrieve(store: Store, query: Query, stats: TermStats, settings: Settings) -> list[StoredSentence]:
    """Candidate sentences (with vectors), each once, in the order found: nearest to the question,
    nearest to the question in context, then exact name matches."""
    tuning = settings.tuning.retrieval
    found: dict[str, StoredSentence] = {}
    for vec in (query.vector, query.context_vector):
        if vec is None:
            continue
        for row in store.query(vec, tuning.n_dense):
            if row["id"] not in found:
                found[row["id"]] = StoredSentence.from_row(row)
    for tok in dict.fromkeys(name_tokens(query.text + (" " + query.context if query.context else ""))):
        # Exact matching is for rare names the embedding blurs; a name in hundreds of sentences is
        # found by meaning, and scanning for it would cost a full-text search.
        if stats.df(stem(tok.lower().strip("'’."))) > tuning.n_lexical:
            continue
        for variant in dict.fromkeys((tok, tok.upper(), tok.capitalize())):
            for row in store.containing(variant, tuning.n_lexical):
                if row["id"] not in found:
                    found[row["id"]] = StoredSentence.from_row(row)
    return list(found.values())


def read_sentences(store: Store, ids: Sequence[str]) -> dict[str, StoredSentence]:
    """Stored sentences by id, typed (without vectors)."""
    return {sid: StoredSentence.from_row(r) for sid, r in store.get_sentences(ids).items()} if ids else {}


__all__ = ["Query", "read_sentences", "retrieve", "understand"]
