"""Okapi BM25 over the term counts ingest already stores (document frequency per stemmed term
and the number of sentences), so lexical scoring needs no second index.

A "document" is one sentence. Its length is its number of distinct content terms, because that is
what the stored counts sum to: the average length is Σ df / N. k1 and b are the textbook
defaults (Robertson & Zaragoza 2009), not tuned here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

K1 = 1.2
B = 0.75


def idf(df: int, n: int) -> float:
    """BM25's probabilistic IDF, floored at 0 by the +1 (Lucene's variant): a term in every
    sentence weighs nothing, an unseen one the most."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class BM25:
    """Scores sentences against a question with corpus statistics read from `df` (a mapping
    term → number of sentences holding it) and `n` sentences in all."""

    def __init__(self, df: Mapping[str, int], n: int, total_terms: int | None = None) -> None:
        self.df = df
        self.n = max(1, n)
        total = sum(df.values()) if total_terms is None else total_terms
        self.avgdl = max(1.0, total / self.n)
        # Memo of idf per term: `df` is a snapshot (one scorer per generation) and the engine scores
        # ~40 candidates a question against the same few terms. Bounded by the question terms seen.
        self._idf: dict[str, float] = {}

    def idf(self, term: str) -> float:
        w = self._idf.get(term)
        if w is None:
            w = self._idf[term] = idf(self.df.get(term, 0), self.n)
        return w

    def score(self, query: Iterable[str], sentence_terms: Iterable[str]) -> float:
        terms = set(sentence_terms)
        dl = len(terms)
        norm = K1 * (1.0 - B + B * dl / self.avgdl)
        s = 0.0
        for t in set(query):
            if t in terms:  # tf is 1 in a set of distinct terms
                s += self.idf(t) * (K1 + 1.0) / (1.0 + norm)
        return s

    def ceiling(self, query: Iterable[str]) -> float:
        """What a sentence of average length holding every query term would score: divides
        the score so it reads as a share, comparable across questions and corpora."""
        return sum(self.idf(t) for t in set(query)) or 1.0
