"""Features of one (question, sentence) pair, for the fitted scorer (bot/scorer.py).

Every feature is computed the same way in training (bot/train.py, over external answer-selection
sets) and in the engine, from the sentence text, its embedding and the corpus's term counts; the
model in bot/fitted/scorer.json weighs them. What the external sets cannot teach (neighbouring
sentences, headlines, recency) is not a feature; the engine applies documented rules for those.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ingest.terms import QUESTION_WORDS, content_terms, name_tokens, unaccent

from .bm25 import BM25
from .question import has_type_evidence, wants_type

FEATURES = (
    "dense",  # cosine of question and sentence embeddings
    "bm25",  # Okapi BM25 over stored term counts, as a share of the question's ceiling
    "overlap",  # IDF-weighted share of the question's content words the sentence holds
    "rarest",  # the question's rarest word (present in the corpus) is in the sentence
    "focus",  # IDF-weighted share of the question's words other than its names (what is asked)
    "focus_rarest",  # the rarest of those is in the sentence
    "bigrams",  # share of the question's adjacent word pairs found adjacent in the sentence
    "names_missing",  # the question names things and the sentence (or a neighbour) lacks them
    "numbers_missing",  # the question has numbers the sentence lacks
    "type_found",  # the question asks for a kind of answer (time, number, name…) and it is there
    "type_absent",  # … and it is not
    "unknown",  # IDF-weighted share of the question's words no source uses
    "length",  # log of the sentence's content-word count
    "dense_x_overlap",  # meaning and wording agree
    "adapted",  # cosine of the adapted question vector W q and the sentence's (bot/adapter.py)
)

_NUM = re.compile(r"\d[\d,.]*")


@dataclass
class QuestionView:
    """What the features need of a question, computed once per question."""

    text: str
    terms: tuple[str, ...]
    idf: dict[str, float]
    names: tuple[str, ...]
    numbers: tuple[str, ...]
    typed: bool
    bigrams: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    unknown: float = 0.0
    rarest: str | None = None
    focus: tuple[str, ...] = ()  # terms that are not part of a name
    focus_rarest: str | None = None


def view(question: str, bm25: BM25) -> QuestionView:
    seq = [t for t in content_terms(question) if t not in QUESTION_WORDS]
    terms = tuple(dict.fromkeys(seq))
    idf = {t: bm25.idf(t) for t in terms}
    total = sum(idf.values()) or 1.0
    unknown = sum(w for t, w in idf.items() if bm25.df.get(t, 0) == 0) / total
    known = [t for t in terms if bm25.df.get(t, 0) > 0]
    rarest = max(known, key=lambda t: idf[t]) if known else None
    names = tuple(dict.fromkeys(unaccent(n.lower()) for n in name_tokens(question) if not _NUM.fullmatch(n)))
    numbers = tuple(dict.fromkeys(m.group(0).rstrip(".,") for m in _NUM.finditer(question)))
    name_terms = {t for n in name_tokens(question, initial=True) for t in content_terms(n)}
    focus = tuple(t for t in terms if t not in name_terms)
    fknown = [t for t in focus if bm25.df.get(t, 0) > 0]
    frarest = max(fknown, key=lambda t: idf[t]) if fknown else None
    return QuestionView(question, terms, idf, names, numbers, wants_type(question),
                        frozenset(zip(seq, seq[1:])), unknown, rarest, focus, frarest)


def name_coverage(qv: QuestionView, text: str) -> float:
    """Share of the question's names the text mentions (1.0 when it names none), accents aside: a
    reader types "Ibanez" for the "Ibáñez" a source writes."""
    if not qv.names:
        return 1.0
    low = unaccent(text.lower())
    return sum(1 for n in qv.names if n in low) / len(qv.names)


def vector(qv: QuestionView, text: str, dense: float, bm25: BM25, names: float | None = None,
           adapted: float | None = None) -> np.ndarray:
    """The feature row of FEATURES for one sentence. `names` overrides the name coverage
    (the engine counts a name in the neighbouring sentence); `adapted` is cos(W q, s), the plain
    cosine when there is no adapter."""
    sterms = content_terms(text)
    sset = set(sterms)
    total = sum(qv.idf.values()) or 1.0
    overlap = sum(w for t, w in qv.idf.items() if t in sset) / total
    share = bm25.score(qv.terms, sset) / bm25.ceiling(qv.terms) if qv.terms else 0.0
    rarest = 1.0 if qv.rarest and qv.rarest in sset else 0.0
    ftotal = sum(qv.idf[t] for t in qv.focus)
    focus = sum(qv.idf[t] for t in qv.focus if t in sset) / ftotal if ftotal else 0.0
    frarest = 1.0 if qv.focus_rarest and qv.focus_rarest in sset else 0.0
    if qv.bigrams:
        spairs = set(zip(sterms, sterms[1:]))
        bigrams = len(qv.bigrams & spairs) / len(qv.bigrams)
    else:
        bigrams = 0.0
    cover = name_coverage(qv, text) if names is None else names
    names_missing = (1.0 - cover) if qv.names else 0.0
    if qv.numbers:
        got = sum(1 for n in qv.numbers if n in text)
        numbers_missing = 1.0 - got / len(qv.numbers)
    else:
        numbers_missing = 0.0
    found = has_type_evidence(qv.text, text) if qv.typed else False
    return np.array([
        dense, share, overlap, rarest, focus, frarest, bigrams, names_missing, numbers_missing,
        1.0 if qv.typed and found else 0.0, 1.0 if qv.typed and not found else 0.0,
        qv.unknown, math.log1p(len(sset)) / math.log(50.0), dense * overlap, dense if adapted is None else adapted,
    ], dtype=np.float64)
