"""Stage 2, select: score the candidates and decide — answer with these sentences, or abstain.

Selection is calibrated to abstain: a sentence is cited only when it is both close in meaning and
shares the question's key words, and a question naming something no candidate mentions needs a much
closer match. Small sentence embeddings mostly measure "same topic", so the question's rare words
carry the decision and dense similarity alone must be high to count.

The interface is the point of this module: a `Selector` takes the `Query` and the candidate
`StoredSentence`s and returns a `Selection` (every candidate scored, best first, and the chosen
ones). `RuleSelector` is the hand-set one, reading its thresholds from `settings.tuning.selection`;
a fitted scorer plugs in as another `Selector` (`Engine(selector=...)`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ingest.records import StoredSentence, sentence_id
from ingest.tuning import SelectionTuning

from .question import attributed_to, fits_type, has_type_evidence, is_headline, lexical_overlap, speaker_of
from .retrieve import Query

# Reads stored sentences by id (the store's `get_sentences`, typed): how a selector looks at the
# sentences around a candidate without holding the store.
Neighbours = Callable[[Sequence[str]], dict[str, StoredSentence]]


@dataclass
class Scored:
    """One candidate with the evidence for it and its score (higher is a better answer)."""

    sentence: StoredSentence
    dense: float  # cosine to the question (blended with the context's for a follow-up)
    lex: float  # IDF-weighted share of the question's key words the sentence holds
    names: float  # share of the question's names the sentence (or a neighbour) mentions; 1.0 when none asked
    score: float = 0.0
    n_names: int = 0  # how many names the question has
    typed: bool = False  # the question asks for money/number/time/… and the sentence has one


@dataclass
class Selection:
    """What the select stage decided. `chosen` empty means abstain; `context` then holds the nearest
    on-topic sentences, shown to the user for context only."""

    ranked: list[Scored]  # every candidate, best first
    chosen: list[Scored] = field(default_factory=list)
    context: list[Scored] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.chosen)

    @property
    def picked(self) -> list[Scored]:
        """The sentences the answer shows: its citations, or the context of an abstention."""
        return self.chosen if self.chosen else self.context


class Selector(Protocol):
    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection: ...


class RuleSelector:
    """Hand-set floors over dense similarity, key-word share and names (see ingest/tuning.py)."""

    def __init__(self, tuning: SelectionTuning, max_citations: int) -> None:
        self.t = tuning
        self.max_citations = max_citations

    def score(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> list[Scored]:
        """Every candidate scored, best first."""
        t, q = self.t, query.text
        scored = []
        for s in candidates:
            dense = float(np.dot(query.vector, s.vector))
            if query.context_vector is not None:
                w = t.context_weight
                dense = (1.0 - w) * dense + w * float(np.dot(query.context_vector, s.vector))
            lex = lexical_overlap(query.terms, s.text, t)
            low = s.text.lower()
            names = (sum(1 for n in query.names if n in low) / len(query.names)) if query.names else 1.0
            c = Scored(s, dense, lex, names, n_names=len(query.names))
            c.score = dense + t.lex_weight * lex - (t.headline_penalty if is_headline(s.text) else 0.0)
            scored.append(c)
        scored.sort(key=lambda c: -c.score)
        if query.names:
            _names_from_neighbours([c for c in scored[:t.n_neighbours] if c.names < 1.0], query.names, neighbours)
            for c in scored:
                c.score += t.name_weight * c.names
        speaker = speaker_of(q)
        if speaker:
            for c in scored:
                if attributed_to(speaker, c.sentence.text):
                    c.score += t.speaker_bonus
        scored.sort(key=lambda c: -c.score)
        for c in scored:
            c.typed = has_type_evidence(q, c.sentence.text)
        return scored

    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection:
        t, q = self.t, query.text
        scored = self.score(query, candidates, neighbours)
        chosen = [c for c in scored if self.answers(c, query.unknown_term) and fits_type(q, c.sentence.text)]
        if query.names and any(c.names == 1.0 for c in chosen):
            # The question names its subject: sentences that never mention it (nor does the sentence
            # beside them) give way to those that do.
            chosen = [c for c in chosen if c.names > 0]
        if not chosen and len(scored) > 1:
            # A sentence that stands far above every other, names all the question names and shares
            # a key word answers even when no absolute floor is met.
            top, second = scored[0], scored[1]
            if (top.names == 1.0 and top.lex > 0 and top.dense >= t.margin_dense
                    and top.score - second.score >= t.margin and fits_type(q, top.sentence.text)):
                chosen = [top]
        if chosen:
            best = chosen[0].score
            chosen = [c for c in chosen if c.score >= best - t.keep_within][: self.max_citations]
            return Selection(scored, chosen)
        # Abstaining: the nearest sentences go along for context only if they are on the topic at
        # all; an off-topic question gets none (never pad with unrelated sentences).
        return Selection(scored, context=[c for c in scored[:2] if c.dense >= t.context_dense])

    def answers(self, c: Scored, unknown_term: bool) -> bool:
        """Whether one scored candidate clears a floor on its own."""
        t = self.t
        if c.lex >= t.strong_lex and c.dense >= t.strong_lex_dense:
            return True
        if c.names == 0.0:  # the question names something this sentence never mentions
            return False
        if c.lex >= t.some_lex and c.dense >= t.some_lex_dense:
            return True
        extra_evidence = c.n_names >= 2 or c.typed
        if c.names == 1.0 and c.lex >= t.few_lex and c.dense >= (t.multi_name_dense if extra_evidence else t.few_lex_dense):
            return True
        return c.dense >= t.dense_alone + (t.unknown_term_penalty if unknown_term else 0.0)


def _names_from_neighbours(cands: list[Scored], names: frozenset[str], neighbours: Neighbours) -> None:
    """News copy names someone once and then says "the company" or closes a quote with "Megvii
    said": a name in the sentence just before or after counts as mentioned."""
    want: dict[str, Scored] = {}
    for c in cands:
        for j in (c.sentence.index - 1, c.sentence.index + 1):
            if j >= 0:
                want[sentence_id(c.sentence.source, j)] = c
    if not want:
        return
    for sid, s in neighbours(list(want)).items():
        c = want[sid]
        low = (c.sentence.text + " " + s.text).lower()
        c.names = max(c.names, sum(1 for n in names if n in low) / len(names))


__all__ = ["Neighbours", "RuleSelector", "Scored", "Selection", "Selector"]
