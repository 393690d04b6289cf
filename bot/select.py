"""Stage 2, select: score the candidates and decide — answer with these sentences, or abstain.

Scoring is fitted, not hand-set: each (question, sentence) pair becomes a row of features
(bot/features.py: dense cosine, BM25, coverage of the question's words, names and numbers,
answer-type evidence, …); a logistic model fitted on external labelled data turns it into a first
probability, and a second stage fitted on our own news dev questions weighs that with whether the
sentence is its article's headline and re-weighs a few features on news (bot/scorer.py, bot/fitted/scorer.json,
`python -m bot.train`). The final probability is the sentence's score and the citation's `score`.
With FACTDESK_RERANK=cross the rerank stage (bot/rerank.py) rereads the best candidates with a
cross-encoder and its fitted stack's probability, threshold and citation values take the scorer's place.

The decision: answer when the best probability reaches the fitted `threshold` (chosen on our dev
questions for a stated false-abstention rate); quote a further sentence when its probability is at
least the fitted `cite_ratio` × the best's (and reaches the threshold), at most the fitted
`max_citations` in all.
Then a few rules, each of which a reader would defend on any text:

1. A question naming something no source mentions is not answered with a sentence about something
   else. An abbreviation counts as mentioned when a candidate spells it out ("FTC": "Federal Trade
   Commission"), a nationality adjective when a candidate names the country ("British": "Britain").
   Names typed in lowercase count (bot/names.py): a word no indexed sentence holds that an English
   dictionary does not call ordinary ("tokyo", "bernanke"; never "owe"), and a full name whose words
   no candidate holds together ("sonia gandhi" where one story names a Sonia, another a Gandhi).
2. "What did X say": when some passing sentence reports X's words, only such sentences are quoted.
3. "Who owns/backs/funds/controls X": when some passing sentence has X as the object of that
   relation, only such sentences are quoted ("a state-owned group" does not say who owns X).
4. A sentence counts as naming what the question names when the sentence beside it, or its
   article's headline, does (news copy names its subject once, then says "the company").
5. A headline restates its article: when a body sentence passes, headlines are not quoted.
6. Abstaining, the two best candidates are shown for context only if they share a word with the
   question (never pad "the sources don't say" with unrelated sentences).
7. A question asking for an amount, a number, a time, a place or an organisation ("How much does
   the crown weigh?", "When will they vote?") is answered only by a sentence that holds one
   (bot/question.py `fits_type`); a sentence without one is context, never the answer.

The interface: a `Selector` takes the `Query` and the candidate `StoredSentence`s and returns a
`Selection` (every candidate scored, best first, and the chosen ones).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ingest.records import StoredSentence, sentence_id
from ingest.terms import content_terms, name_tokens

from .features import FEATURES, QuestionView, name_coverage, vector
from .names import absent_spans, initials_in, lowercase_names
from .question import asks_checkable_kind, attributed_to, is_headline, speaker_of
from .rerank import Reranker, Stack
from .retrieve import Query
from .scorer import Scorer
from .termstats import TermStats

log = logging.getLogger(__name__)

# Rule 6: how many nearby sentences an abstention shows, for context only (presentation: they are
# never quoted as the answer; the LLM composer's "no answer" shows as many).
CONTEXT_SHOWN = 2

# Reads stored sentences by id (the store's `get_sentences`, typed): how a selector looks at the
# sentences around a candidate without holding the store.
Neighbours = Callable[[Sequence[str]], dict[str, StoredSentence]]


@dataclass
class Scored:
    """One candidate with the evidence for it and its score (the probability that it answers)."""

    sentence: StoredSentence
    dense: float  # cosine to the (stand-alone) question
    lex: float  # IDF-weighted share of the question's content words the sentence holds
    names: float  # share of the question's names the sentence (or a neighbour, or its headline) mentions
    score: float = 0.0
    features: np.ndarray | None = None


@dataclass
class Selection:
    """What the select stage decided. `chosen` empty means abstain; `context` then holds the nearest
    on-topic sentences, shown to the user for context only."""

    ranked: list[Scored]  # every candidate, best first
    chosen: list[Scored] = field(default_factory=list)
    eligible: list[Scored] | None = None  # the candidates that may answer (rule 7), best first; None: all
    context: list[Scored] = field(default_factory=list)
    threshold: float = 0.0  # the probability an answer needed
    cite_threshold: float = 0.0  # the probability a further citation needed (cite_ratio × the best's)

    @property
    def answered(self) -> bool:
        return bool(self.chosen)

    @property
    def picked(self) -> list[Scored]:
        """The sentences the answer shows: its citations, or the context of an abstention."""
        return self.chosen if self.chosen else self.context


class Selector(Protocol):
    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection: ...


class FittedSelector:
    """The fitted scorer plus rules 1–7 above."""

    def __init__(self, scorer: Scorer, stats: TermStats, max_citations: int | None = None,
                 rerank: Reranker | None = None) -> None:
        """`max_citations`: a reader's cap (settings) below the fitted one; the fitted file's
        `max_citations` decides otherwise. `rerank`: the cross-encoder stage (bot/rerank.py), whose
        fitted stack then decides in the scorer's place."""
        self.scorer = scorer
        self.stats = stats
        self.cap = max_citations
        self.max_citations = min(scorer.max_citations, max_citations or scorer.max_citations)
        self.rerank = rerank

    def _decider(self) -> Scorer | Stack:
        """Whose probability and decision values hold: the rerank stack's when it is on and loaded."""
        return self.rerank.stack if self.rerank is not None and self.rerank.ready() else self.scorer

    def score(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> list[Scored]:
        """Every candidate scored, best first."""
        if not candidates:
            return []
        qv, bm25 = query.view, self.stats.bm25()
        qa = self.scorer.adapt(query.vector)  # the question adapter: one d×d product per question
        around = _around(qv, candidates, neighbours, self._titles(qv))
        scored = []
        for s in candidates:
            names, text = name_coverage(qv, s.text), s.text
            if names < 1.0 and s.id in around:
                names = max(names, name_coverage(qv, s.text + " " + around[s.id]))
                # Rule 4: the subject the sentence refers to ("it", "the bank") counts as written.
                ctx, low = around[s.id].lower(), s.text.lower()
                text = " ".join([s.text] + [n for n in qv.names if n not in low and n in ctx])
            x = vector(qv, text, float(np.dot(query.vector, s.vector)), bm25, names=names,
                       adapted=float(np.dot(qa, s.vector)))
            scored.append(Scored(s, float(x[0]), float(x[2]), names, features=x))
        base = self.scorer.final(np.vstack([c.features for c in scored]), np.array([is_headline(s.text) for s in candidates]))
        probs = base
        if self._decider() is not self.scorer:  # the rerank stage rereads the best candidates
            probs = self.rerank.rescore(query.text, [s.text for s in candidates], base)
        for c, p in zip(scored, probs):
            c.score = float(p)
        order = sorted(range(len(scored)), key=lambda i: (-probs[i], -base[i]))
        return [scored[i] for i in order]

    def _titles(self, qv: QuestionView) -> dict[str, str]:
        if not qv.names:
            return {}
        return self.stats.titles()

    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection:
        ranked = self.score(query, candidates, neighbours)
        t = self._decider()
        cap = self.max_citations if t is self.scorer else min(t.max_citations, self.cap or t.max_citations)
        fit = [c for c in ranked if eligible(query.text, c.features)]  # rule 7
        sel = Selection(ranked, eligible=fit, threshold=t.threshold,
                        cite_threshold=max(t.threshold, t.cite_ratio * fit[0].score) if fit else 1.0)
        if not ranked or absent_names(query.text, self.stats, [c.sentence.text for c in ranked]):  # rule 1
            return sel
        if not fit or fit[0].score < t.threshold:
            qterms = set(content_terms(query.text))
            sel.context = [c for c in ranked[:CONTEXT_SHOWN] if qterms & set(content_terms(c.sentence.text))]  # rule 6
            return sel
        passing = [c for c in fit if c.score >= t.threshold]
        pool = [c for c in passing if not is_headline(c.sentence.text)] or passing  # rule 5
        chosen = [pool[0]] + [c for c in pool[1:] if c.score >= sel.cite_threshold]  # pool[0] scores ≤ ranked[0]
        speaker = speaker_of(query.text)
        if speaker:  # rule 2
            own = [c for c in pool if attributed_to(speaker, c.sentence.text)]
            chosen = own or chosen
        rel = relation_of(query.text)
        if rel:  # rule 3
            obj = [c for c in pool if has_object(rel, c.sentence.text)]
            chosen = obj or chosen
        sel.chosen = chosen[:cap]
        return sel


_TYPE_FOUND = FEATURES.index("type_found")


def eligible(question: str, features: np.ndarray | None) -> bool:
    """Rule 7: the sentence may answer a question asking for an amount, number, time, place or
    organisation only when it holds one (the `type_found` feature, computed on the sentence with
    its subject resolved); any sentence may answer other questions."""
    return features is None or not asks_checkable_kind(question) or bool(features[_TYPE_FOUND] > 0)


def _around(qv: QuestionView, candidates: Sequence[StoredSentence], neighbours: Neighbours,
            titles: dict[str, str]) -> dict[str, str]:
    """Rule 4: for candidates missing some of the question's names, the text of the sentences
    beside them and their article's headline, in one read."""
    if not qv.names:
        return {}
    want: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for s in candidates:
        if name_coverage(qv, s.text) < 1.0:
            out[s.id] = titles.get(s.source, "")
            for j in (s.index - 1, s.index + 1):
                if j >= 0:
                    want.setdefault(sentence_id(s.source, j), []).append(s.id)
    for sid, s in (neighbours(list(want)) if want else {}).items():
        for cid in want[sid]:
            out[cid] = out[cid] + " " + s.text
    return out


_ABBREVIATION = re.compile(r"[A-Z][A-Z.&]{1,5}s?")
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:ish|ese|ian|ean|an|i)")


def _spelled_out(tok: str, texts: Sequence[str]) -> bool:
    """An abbreviation is mentioned when consecutive words of a text start with its letters ("FTC":
    "Federal Trade Commission"; "CEO": "chief executive officer", not "chief executive"); a nationality
    adjective when a capitalised word shares its first four letters ("British": "Britain")."""
    if _ABBREVIATION.fullmatch(tok):
        letters = [c.lower() for c in tok if c.isalpha()]
        if tok.endswith("s") and len(letters) > 2:
            letters = letters[:-1]
        pat = re.compile(r"\b" + r"\S*\s+(?:(?:of|the|and|for)\s+)?".join(re.escape(c) for c in letters), re.I)
        return any(pat.search(t) for t in texts)
    if _NATIONALITY.fullmatch(tok):
        return any(re.search(rf"\b{re.escape(tok[:4])}", t) for t in texts)
    return False


def absent_names(question: str, stats: TermStats, texts: Sequence[str] = ()) -> list[str]:
    """Rule 1: names in the question that no indexed sentence holds (abbreviations and nationality
    adjectives may be spelled out in `texts`, the candidate sentences) — capitalised ones, and those
    a reader typed in lowercase that an English dictionary does not call ordinary words; failing
    those, a full name ("sonia gandhi") whose words no candidate holds together (bot/names.py)."""
    def absent(tok: str) -> bool:
        terms = content_terms(tok)
        return (bool(terms) and any(stats.df(t) == 0 for t in terms) and not _spelled_out(tok, texts)
                and not initials_in(tok, texts))

    out = [tok for tok in dict.fromkeys(name_tokens(question)) if absent(tok)] + lowercase_names(question, absent)
    return out or absent_spans(question, texts)


_OWN_Q = re.compile(r"\bwho\s+(?:now\s+|still\s+)?(owns?|backs?|funds?|controls?|bought|acquired|invests?\s+in|"
                    r"finances?|runs?|operates?)\s+(.{2,80}?)\s*\??$", re.I)
_OWN_VERB = {"own": "own", "back": "back", "fund": "fund", "control": "control", "bought": "b(?:uy|ought)",
             "acquired": "acqui", "invest": "invest", "financ": "financ", "run": "r(?:un|an)", "operat": "operat"}


def relation_of(question: str) -> tuple[str, str] | None:
    """Rule 3: "Who owns X?" → (a pattern for the verb, X)."""
    m = _OWN_Q.search(question.strip())
    if not m:
        return None
    verb = m.group(1).lower()
    pat = next((p for k, p in _OWN_VERB.items() if verb.startswith(k)), None)
    obj = re.sub(r"^(?:the|a|an)\s+", "", m.group(2).strip(), flags=re.I)
    return (pat, obj) if pat and obj else None


def has_object(rel: tuple[str, str], text: str) -> bool:
    """X is the object of the relation: "Y owns X", "Y, which backs X", "X is owned by Y", "X's
    owner" — not "a state-owned group" (an adjective, not the relation to X)."""
    verb, obj = rel
    o = re.escape(obj.lower())
    low = text.lower()
    active = re.search(rf"(?<![\w-]){verb}\w*\s+(?:[\w,'’]+\s+){{0,4}}{o}", low)
    passive = re.search(rf"{o}[^.;]{{0,80}}?(?<![\w-]){verb}\w*\s+by\b", low)
    noun = re.search(rf"{o}(?:'s|’s)\s+(?:\w+\s+)?(?:owner|backer|investor|parent|shareholder)", low)
    return bool(active or passive or noun)


__all__ = ["CONTEXT_SHOWN", "FittedSelector", "eligible", "Neighbours", "Scored", "Selection", "Selector", "absent_names", "has_object",
           "relation_of"]
