"""Hybrid candidates, fitted scoring and the few documented rules that decide what to quote.

Retrieval: the dense nearest neighbours of the question, plus sentences holding the question's
rare words and names (found by exact match, since small embedding models blur them), fused by
reciprocal rank fusion of the dense and BM25 rankings; the best N_CANDIDATES go on to scoring.
Scoring: bot/features.py rows through the fitted model (bot/scorer.py); the probability is the
sentence's score. Selection: answer when the best probability reaches the fitted threshold, quote
further sentences that reach the fitted citation threshold, then the rules below, each of which a
reader would defend on any text:

1. A question naming something no source mentions is not answered (with a sentence about
   something else). Abbreviations and nationality adjectives do not count ("FTC", "British"):
   the sources may spell them out.
2. "What did X say": when some passing sentence reports X's words, only such sentences are quoted.
3. "Who owns/backs/funds/controls X": when some passing sentence has X as the object of that
   relation, only such sentences are quoted ("a state-owned group" is not who owns X).
4. A sentence counts as naming what the question names when the sentence beside it or its
   article's headline does (news copy names its subject in the headline and once in the text,
   then says "the company").
5. A headline restates its article: when a body sentence passes, headlines are not quoted.
6. Context shown beside "the sources don't say" shares at least one of the question's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.terms import content_terms, name_tokens, words

from .bm25 import BM25
from .features import QuestionView, name_coverage, vector, view
from .question import attributed_to, is_headline, speaker_of
from .scorer import Scorer

# How many fused candidates are scored, and how many each retriever contributes. A retrieval
# depth, not a decision: recall@N_CANDIDATES is measured by benchmarks/quality.py.
N_CANDIDATES = 40
# Reciprocal rank fusion's constant (Cormack et al. 2009), not tuned.
RRF_K = 60


@dataclass
class Candidate:
    row: dict[str, Any]
    dense: float
    bm25: float = 0.0
    names: float = 1.0  # share of the question's names the sentence (or a neighbour) mentions
    score: float = 0.0  # calibrated probability that it answers the question
    x: np.ndarray | None = None


def lexical_needles(question: str, qv: QuestionView, bm25: BM25, limit: int = N_CANDIDATES) -> list[str]:
    """Strings to find by exact match: the question's names and rare words held by at most
    `limit` sentences (a commoner word is found by meaning, and fetching every sentence that
    holds it would cost a full scan). A word is searched by its stem, so "approved" finds
    "approval"; names also in capitalised and upper-case form."""
    out: list[str] = []
    for tok in dict.fromkeys(name_tokens(question, initial=True)):
        for t in content_terms(tok):
            if 0 < bm25.df.get(t, 0) <= limit:
                out += [tok, tok.upper(), tok.capitalize()]
    for w in words(question):
        for t in content_terms(w):
            if t in qv.idf and 0 < bm25.df.get(t, 0) <= limit and len(t) >= 3:
                out += [t, t.capitalize()]
    return list(dict.fromkeys(out))


def fuse(cands: dict[str, Candidate], n: int = N_CANDIDATES) -> list[Candidate]:
    """Reciprocal rank fusion of the dense and BM25 rankings; the best n."""
    items = list(cands.values())
    fused = {id(c): 0.0 for c in items}
    for key in ("dense", "bm25"):
        for rank, c in enumerate(sorted(items, key=lambda c: -getattr(c, key)), 1):
            fused[id(c)] += 1.0 / (RRF_K + rank)
    return sorted(items, key=lambda c: -fused[id(c)])[:n]


_ABBREVIATION = re.compile(r"[A-Z][A-Z.&]{1,5}s?")
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:ish|ese|ian|ean|an|i)")


def absent_names(question: str, bm25: BM25) -> list[str]:
    """Names in the question that no indexed sentence holds (rule 1)."""
    out = []
    for tok in dict.fromkeys(name_tokens(question)):
        if _ABBREVIATION.fullmatch(tok) or _NATIONALITY.fullmatch(tok):
            continue  # "FTC", "CEO", "British": the sources may spell them out or say "Britain"
        terms = content_terms(tok)
        if terms and any(bm25.df.get(t, 0) == 0 for t in terms):
            out.append(tok)
    return out


def score(cands: list[Candidate], qv: QuestionView, bm25: BM25, scorer: Scorer,
          neighbours: dict[str, str] | None = None) -> list[Candidate]:
    """Features and probabilities for every candidate, best first. `neighbours` maps a sentence
    id to the text of the sentences beside it (rule 4)."""
    if not cands:
        return []
    for c in cands:
        c.names = name_coverage(qv, c.row["text"])
        if c.names < 1.0 and neighbours and c.row["id"] in neighbours:
            c.names = max(c.names, name_coverage(qv, c.row["text"] + " " + neighbours[c.row["id"]]))
        c.x = vector(qv, c.row["text"], c.dense, bm25, names=c.names)
    probs = scorer.proba(np.vstack([c.x for c in cands]))
    for c, p in zip(cands, probs):
        c.score = float(p)
    return sorted(cands, key=lambda c: -c.score)


_OWN_Q = re.compile(r"\bwho\s+(?:now\s+|still\s+)?(owns?|backs?|funds?|controls?|bought|acquired|invests?\s+in|"
                    r"finances?|runs?|operates?)\s+(.{2,80}?)\s*\??$", re.I)
_OWN_VERB = {"own": "own", "back": "back", "fund": "fund", "control": "control", "bought": "b(?:uy|ought)",
             "acquired": "acqui", "invest": "invest", "financ": "financ", "run": "r(?:un|an)", "operat": "operat"}


def relation_of(question: str) -> tuple[str, str] | None:
    """"Who owns X" → (verb pattern, X)."""
    m = _OWN_Q.search(question.strip())
    if not m:
        return None
    verb = m.group(1).lower()
    pat = next((p for k, p in _OWN_VERB.items() if verb.startswith(k)), None)
    obj = re.sub(r"^(?:the|a|an)\s+", "", m.group(2).strip(), flags=re.I)
    return (pat, obj) if pat and obj else None


def has_object(rel: tuple[str, str], text: str) -> bool:
    """X is the object of the relation: "Y owns X", "Y, which backs X", "X is owned by Y",
    "X's owner" — but not "a state-owned group" (an adjective, not the relation to X)."""
    verb, obj = rel
    o = re.escape(obj.lower())
    low = text.lower()
    active = re.search(rf"(?<![\w-]){verb}\w*\s+(?:\w+\s+){{0,4}}{o}", low)
    passive = re.search(rf"{o}[^.;]{{0,80}}?(?<![\w-]){verb}\w*\s+by\b", low)
    noun = re.search(rf"{o}(?:'s|’s)\s+(?:\w+\s+)?(?:owner|backer|investor|parent|shareholder)", low)
    return bool(active or passive or noun)


def choose(question: str, scored: list[Candidate], scorer: Scorer, max_citations: int,
           bm25: BM25) -> tuple[list[Candidate], bool]:
    """(sentences to quote, answered). Abstaining, the list holds context only (rule 6)."""
    qterms = set(content_terms(question))
    context = [c for c in scored[:2] if qterms & set(content_terms(c.row["text"]))]
    if not scored or absent_names(question, bm25):
        return ([] if scored else []), False
    if scored[0].score < scorer.threshold:
        return context, False
    passing = [c for c in scored if c.score >= scorer.threshold]
    body = [c for c in passing if not is_headline(c.row["text"])]
    pool = body or passing
    chosen = [pool[0]] + [c for c in pool[1:] if c.score >= scorer.cite_threshold]
    speaker = speaker_of(question)
    if speaker:
        own = [c for c in scored if c.score >= scorer.threshold and attributed_to(speaker, c.row["text"])]
        if own:
            chosen = own
    rel = relation_of(question)
    if rel:
        obj = [c for c in scored if c.score >= scorer.threshold and has_object(rel, c.row["text"])]
        if obj:
            chosen = obj
    return chosen[:max_citations], True


def retrieve(st, bm25: BM25, qv: QuestionView, qvec: np.ndarray, question: str,
             n: int = N_CANDIDATES) -> list[Candidate]:
    """Dense neighbours ∪ exact matches of rare words and names, fused; the best n."""
    pool: dict[str, Candidate] = {}
    for row in st.query(qvec, n):
        pool[row["id"]] = Candidate(row, float(np.dot(qvec, row["vector"])))
    for needle in lexical_needles(question, qv, bm25, n):
        for row in st.containing(needle, n):
            if row["id"] not in pool:
                pool[row["id"]] = Candidate(row, float(np.dot(qvec, row["vector"])))
    for c in pool.values():
        c.bm25 = bm25.score(qv.terms, content_terms(c.row["text"]))
    return fuse(pool, n)


def neighbours(st, cands: list[Candidate], qv: QuestionView, titles: dict[str, str] | None = None) -> dict[str, str]:
    """Text of the sentences beside candidates that miss some of the question's names, and their
    article's headline (rule 4), in one read."""
    if not qv.names:
        return {}
    want: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for c in cands:
        if name_coverage(qv, c.row["text"]) < 1.0:
            if titles and titles.get(c.row["source"]):
                out[c.row["id"]] = titles[c.row["source"]]
            src, idx = c.row["source"], int(c.row["index"])
            for j in (idx - 1, idx + 1):
                if j >= 0:
                    want.setdefault(f"{src}#{j}", []).append(c.row["id"])
    got = st.get_sentences(list(want)) if want else {}
    for sid, row in got.items():
        for cid in want[sid]:
            out[cid] = (out.get(cid, "") + " " + row["text"]).strip()
    return out


def rank_question(st, stats, embedder, scorer: Scorer, standalone: str) -> tuple[QuestionView, list[Candidate]]:
    """Retrieve, then score, one stand-alone question: its view and its candidates, best first."""
    bm25 = stats.bm25()
    qv = view(standalone, bm25)
    qvec = embedder.embed_one(standalone)
    cands = retrieve(st, bm25, qv, qvec, standalone)
    titles = {sid: rec.get("title", "") for sid, rec in stats.records.items()} if qv.names else {}
    return qv, score(cands, qv, bm25, scorer, neighbours(st, cands, qv, titles))
