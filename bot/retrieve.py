"""Stage 1, retrieve: what the question asks (a `Query`) and the candidate sentences that might
answer it.

Retrieval is hybrid. Dense vectors from Chroma find sentences close in meaning; exact matching of
the question's names ("IJOP", "CETC", "Face++") finds what small embedding models blur. The two rankings — dense cosine and BM25 over the stored term counts — are
fused by reciprocal rank fusion and the best `n_dense` go on to selection (candidate recall at that
depth is measured by `python -m benchmarks.quality`). Nothing here decides whether a sentence
answers — that is the select stage's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.embed import Embedder
from ingest.records import StoredSentence
from ingest.settings import Settings
from ingest.store import Store
from ingest.terms import content_terms, name_tokens

from .bm25 import BM25
from .features import QuestionView, view
from .termstats import TermStats

# Reciprocal rank fusion's constant (Cormack, Clarke & Büttcher 2009), not tuned here.
RRF_K = 60


@dataclass(frozen=True)
class Query:
    """The question as retrieval and selection read it: stand-alone (a follow-up already carries
    the subject it inherited, see bot/conversation.py)."""

    text: str
    vector: np.ndarray
    view: QuestionView  # key words, names, numbers and answer type, weighed against the index

    @property
    def standalone(self) -> str:
        return self.text

    @property
    def names(self) -> tuple[str, ...]:
        return self.view.names


def understand(question: str, embedder: Embedder, stats: TermStats) -> Query:
    """Embed the question and read its key words against the index's term counts."""
    return Query(question, embedder.embed_one(question), view(question, stats.bm25()))


def lexical_needles(question: str, qv: QuestionView, bm25: BM25, limit: int) -> list[str]:
    """Strings to find by exact match: the question's names held by at most `limit` sentences (a
    commoner name is found by meaning, and fetching every sentence holding it would cost a full
    scan), as written, capitalised and upper-case (the match is case-sensitive: `Store.containing`). Other rare
    words are left to BM25 over the fused pool: looking each up too cost ~3x the warm p50 at 10k
    sentences (benchmarks, README "Answer selection")."""
    out: list[str] = []
    for tok in dict.fromkeys(name_tokens(question, initial=True)):
        if any(0 < bm25.df.get(t, 0) <= limit for t in content_terms(tok)):
            out += [tok, tok.upper(), tok.capitalize()]
    return list(dict.fromkeys(out))


def fuse(rankings: Sequence[Sequence[str]], n: int) -> list[str]:
    """Reciprocal rank fusion of several rankings of ids; the best n ids."""
    score: dict[str, float] = {}
    for ranking in rankings:
        for rank, sid in enumerate(ranking, 1):
            score[sid] = score.get(sid, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(score, key=lambda sid: -score[sid])[:n]


def retrieve(store: Store, query: Query, stats: TermStats, settings: Settings) -> list[StoredSentence]:
    """Candidate sentences (with vectors), each once, best fused rank first."""
    tuning = settings.tuning.retrieval
    bm25 = stats.bm25()
    found: dict[str, StoredSentence] = {}
    for row in store.query(query.vector, tuning.n_dense):
        found.setdefault(row.id, row)
    for needle in lexical_needles(query.text, query.view, bm25, tuning.n_lexical):
        for row in store.containing(needle, tuning.n_lexical):
            found.setdefault(row.id, row)
    if len(found) <= tuning.n_dense:
        return list(found.values())
    ids = list(found)
    dense = {sid: float(np.dot(query.vector, found[sid].vector)) for sid in ids}
    lexical = {sid: bm25.score(query.view.terms, content_terms(found[sid].text)) for sid in ids}
    keep = fuse([sorted(ids, key=lambda i: -dense[i]), sorted(ids, key=lambda i: -lexical[i])], tuning.n_dense)
    return [found[sid] for sid in keep]


def read_sentences(store: Store, ids: Sequence[str]) -> dict[str, StoredSentence]:
    """Stored sentences by id, typed (without vectors)."""
    return store.get_sentences(ids) if ids else {}


__all__ = ["Query", "fuse", "lexical_needles", "read_sentences", "retrieve", "understand"]
