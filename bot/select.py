"""Stage 2, select: score the candidates and decide — answer with these sentences, or abstain.

Scoring is fitted, not hand-set: each (question, sentence) pair becomes a row of features
(bot/features.py: dense cosine, BM25, coverage of the question's words, names and numbers,
answer-type evidence, …); a logistic model fitted on external labelled data turns it into a first
probability, and a second stage fitted on our own news dev questions weighs that with whether the
sentence is its article's headline and re-weighs a few features on news (bot/scorer.py, bot/fitted/scorer.json,
`python -m bot.train`). The final probability is the sentence's score and the citation's `score`.
With FACTDESK_RERANK=cross the rerank stage (bot/rerank.py) rereads the best candidates with a
cross-encoder when the scorer is unsure (its fitted gate), and for those questions its fitted stack's
probability, threshold and citation values take the scorer's place.

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
   A name typed without its accents is held where a candidate writes it with them ("urzua":
   "Urzúa"), a name typed with one slip where a candidate writes it right ("sadam": "Saddam"; the
   engine then asks the question again respelt, bot/names.py `respell`), a number with a unit or
   ordinal glued on by its number ("100m": "100 metres").
   A year counts as mentioned when a source is dated to it ("the December 2015 court order").
2. "What did X say": only sentences reporting X's words are quoted (X named beside a reporting
   verb — said, wrote, urged, warned, … — or, for a quotation left open, in the next sentence; a
   sentence opening with "He"/"She" right after one naming X is X's: "He … told him …").
3. "Who owns/backs/funds/controls X": when some passing sentence has X as the object of that
   relation, only such sentences are quoted ("a state-owned group" does not say who owns X).
4. A sentence counts as naming what the question names when the sentence beside it, or its
   article's headline, does (news copy names its subject once, then says "the company").
5. A headline restates its article: when a body sentence passes, headlines are not quoted.
6. Abstaining, the two best candidates are shown for context only if they share a word with the
   question (never pad "the sources don't say" with unrelated sentences).
7. A question asking for an amount, a number, a time, a place or an organisation ("How much does
   the crown weigh?", "When will they vote?") is answered only by a sentence that holds one
   (bot/question.py `fits_type`); a sentence without one is context, never the answer. A question
   asking when something will happen ("When will …", "When is the next …") is answered only by a
   sentence speaking of the future (will, would, is to, scheduled, expected, next, …): a past
   event's date does not say when the next one comes.
8. A question with a focus — the attribute it asks for: "What salary …", "How many spectators …",
   "Who is the president of …" (bot/focus.py) — is answered only by a sentence holding it: its
   stem, or a word the engine's model puts within the fitted similarity of it (bot/fitted/focus.json,
   `python -m bot.focus_fit`: the similarity that keeps 95 % of TrecQA/WikiQA train's answers).
   Quoted sentences without it are dropped; when none is left, a passing sentence with the stem
   is quoted, else the bot abstains ("What salary …" is not answered with the company's revenue).
9. "What did X say/tell/write …", when no passing sentence reports X's words (rule 2, X
   matched by any longer word before an "of"), is not answered: others' words are not X's. (A
   yes/no question about a statement, "Did X tell Y to …?", is not asking for X's words; nor is
   "How did X react/respond": a reaction may be a deed, "Higgs was seen wiping away tears".)

The interface: a `Selector` takes the `Query` and the candidate `StoredSentence`s and returns a
`Selection` (every candidate scored, best first, and the chosen ones).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ingest.records import StoredSentence
from ingest.terms import content_terms, unaccent

from .features import FEATURES, QuestionView, name_coverage, vector
from .focus import WordVectors, focus_of, focus_similarity, holds_stem
from .focus import load as load_focus_threshold
from .question import (asks_checkable_kind, asks_future, asks_words_of, attributed_to, has_object, is_headline,
                       relation_of, speaker_of, speaks_of_future)
from .rerank import Reranker, Stack
from .retrieve import Query
from .select_rules import Neighbours, absent_names, around_of, with_quote_ends
from .scorer import Scorer
from .termstats import TermStats

log = logging.getLogger(__name__)

# Rule 6: how many nearby sentences an abstention shows, for context only (presentation: they are
# never quoted as the answer; the LLM composer's "no answer" shows as many).
CONTEXT_SHOWN = 2

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
    why: str = ""  # what decided: "answered", or the rule that declined ("rule 1", "threshold", "rule 9", …)

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
                 rerank: Reranker | None = None, embed: Callable[[list[str]], np.ndarray] | None = None) -> None:
        """`max_citations`: a reader's cap (settings) below the fitted one; the fitted file's
        `max_citations` decides otherwise. `rerank`: the cross-encoder stage (bot/rerank.py), whose
        fitted stack then decides in the scorer's place for the questions its gate rereads. `embed`: the engine's embedder (a batch of
        texts → normalised vectors), for rule 8's word similarity; without it rule 8 is off."""
        self.scorer = scorer
        self.words = WordVectors(embed) if embed is not None else None
        self.focus_threshold = load_focus_threshold()
        self.stats = stats
        self.cap = max_citations
        self.max_citations = min(scorer.max_citations, max_citations or scorer.max_citations)
        self.rerank = rerank

    def score(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> list[Scored]:
        """Every candidate scored, best first."""
        return self._scored(query, candidates, neighbours)[0]

    def _scored(self, query: Query, candidates: Sequence[StoredSentence],
                neighbours: Neighbours, reread: bool = True) -> tuple[list[Scored], Scorer | Stack]:
        """Every candidate scored, best first, and whose probability and decision values hold for
        this question: the rerank stack's when the stage is on, loads, and its gate rereads the
        question (bot/rerank.py); else the scorer's. `reread` False: the scorer's whatever the gate
        (a question rule 1 declines needs no second opinion)."""
        if not candidates:
            return [], self.scorer
        qv, bm25 = query.view, self.stats.bm25()
        qa = self.scorer.adapt(query.vector)  # the question adapter: one d×d product per question
        around = around_of(qv, candidates, neighbours, self._titles(qv))
        scored = []
        for s in candidates:
            names, text = name_coverage(qv, s.text), s.text
            if names < 1.0 and s.id in around:
                names = max(names, name_coverage(qv, s.text + " " + around[s.id]))
                # Rule 4: the subject the sentence refers to ("it", "the bank") counts as written.
                ctx, low = unaccent(around[s.id].lower()), unaccent(s.text.lower())
                text = " ".join([s.text] + [n for n in qv.names if n not in low and n in ctx])
            x = vector(qv, text, float(np.dot(query.vector, s.vector)), bm25, names=names,
                       adapted=float(np.dot(qa, s.vector)))
            scored.append(Scored(s, float(x[0]), float(x[2]), names, features=x))
        base = self.scorer.final(np.vstack([c.features for c in scored]), np.array([is_headline(s.text) for s in candidates]))
        probs, decider = base, self.scorer
        if self.rerank is not None and reread:  # the rerank stage rereads the best candidates when unsure
            stacked = self.rerank.rescore(query.text, [s.text for s in candidates], base)
            if stacked is not None:
                probs, decider = stacked, self.rerank.stack
        for c, p in zip(scored, probs):
            c.score = float(p)
        order = sorted(range(len(scored)), key=lambda i: (-probs[i], -base[i]))
        return [scored[i] for i in order], decider

    def _titles(self, qv: QuestionView) -> dict[str, str]:
        if not qv.names:
            return {}
        return self.stats.titles()

    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection:
        absent = bool(candidates) and bool(absent_names(query.text, self.stats, [c.text for c in candidates]))
        ranked, t = self._scored(query, candidates, neighbours, reread=not absent)
        cap = self.max_citations if t is self.scorer else min(t.max_citations, self.cap or t.max_citations)
        future = asks_future(query.text)
        fit = [c for c in ranked if eligible(query.text, c.features)
               and (not future or speaks_of_future(c.sentence.text))]  # rule 7
        sel = Selection(ranked, eligible=fit, threshold=t.threshold,
                        cite_threshold=max(t.threshold, t.cite_ratio * fit[0].score) if fit else 1.0)
        if not ranked or absent:  # rule 1 (checked before scoring: the rerank stage never rereads it)
            sel.why = "rule 1" if ranked else "no candidates"
            return sel
        if not fit or fit[0].score < t.threshold:
            sel.why = "rule 7" if ranked[0].score >= t.threshold else "threshold"
            return self._context(sel, query.text, ranked)  # rule 6
        passing = [c for c in fit if c.score >= t.threshold]
        pool = [c for c in passing if not is_headline(c.sentence.text)] or passing  # rule 5
        chosen = [pool[0]] + [c for c in pool[1:] if c.score >= sel.cite_threshold]  # pool[0] scores ≤ ranked[0]
        speaker = speaker_of(query.text)
        if speaker:  # rules 2 and 9
            said = with_quote_ends([c.sentence for c in pool], neighbours, speaker)
            own = [c for c in pool if attributed_to(speaker, said[c.sentence.id], loose=True)]
            if not own and asks_words_of(query.text):
                sel.why = "rule 9"
                return self._context(sel, query.text, ranked)
            chosen = [c for c in own if attributed_to(speaker, said[c.sentence.id])] or own or chosen
        rel = relation_of(query.text)
        if rel:  # rule 3
            obj = [c for c in pool if has_object(rel, c.sentence.text)]
            chosen = obj or chosen
        focus = focus_of(query.text) if self.words is not None else None
        if focus:  # rule 8
            chosen = [c for c in chosen[:cap] if self._holds(focus, c.sentence.text)] or [
                c for c in pool if holds_stem(focus, c.sentence.text)]
            if not chosen:
                sel.why = "rule 8"
                return self._context(sel, query.text, ranked)
        sel.chosen, sel.why = chosen[:cap], "answered"
        return sel

    def _holds(self, focus: str, text: str) -> bool:
        """Rule 8: the sentence has the focus's stem, or a word the model puts within the fitted
        similarity of it (bot/focus_fit.py); with no fitted file, the stem only."""
        return focus_similarity(focus, text, self.words) >= (1.0 if self.focus_threshold is None else self.focus_threshold)

    @staticmethod
    def _context(sel: Selection, question: str, ranked: list[Scored]) -> Selection:
        """Abstaining: the nearest candidates sharing a word with the question, for context (rule 6)."""
        qterms = set(content_terms(question))
        sel.context = [c for c in ranked[:CONTEXT_SHOWN] if qterms & set(content_terms(c.sentence.text))]
        return sel


_TYPE_FOUND = FEATURES.index("type_found")


def eligible(question: str, features: np.ndarray | None) -> bool:
    """Rule 7: the sentence may answer a question asking for an amount, number, time, place or
    organisation only when it holds one (the `type_found` feature, computed on the sentence with
    its subject resolved); any sentence may answer other questions."""
    return features is None or not asks_checkable_kind(question) or bool(features[_TYPE_FOUND] > 0)


__all__ = ["CONTEXT_SHOWN", "FittedSelector", "eligible", "Neighbours", "Scored", "Selection", "Selector", "absent_names", "has_object",
           "relation_of"]
