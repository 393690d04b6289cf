"""The answer stages are strategies with typed interfaces: a selector or composer plugs into the
engine without touching it, and the select stage runs on plain records (no store, no model).

Why: the answer-selection work replaces the hand-set selector with a fitted one, and an interface
(a new composer) must never need the engine's internals — these tests fail if either needs more
than the documented types.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.answer import Answer
from bot.compose import ComposeRequest, ExtractiveComposer
from bot.engine import Engine
from bot.retrieve import Query
import dataclasses
from collections import Counter

from bot.features import view
from bot.scorer import load
from bot.select import FittedSelector, Neighbours, Scored, Selection
from bot.termstats import TermStats
from ingest.records import StoredSentence
from ingest.terms import content_terms

Q = "Who developed the police app?"


def _sentence(i: int, text: str, vec: list[float]) -> StoredSentence:
    v = np.asarray(vec, dtype=np.float32)
    return StoredSentence(id=f"s#{i}", source="s", index=i, start=0, end=len(text), text=text, published="2020-01",
                          vector=v / np.linalg.norm(v))


def _stats(texts: list[str]) -> TermStats:
    st = TermStats()
    st._df = Counter(t for x in texts for t in set(content_terms(x)))
    st._n = len(texts)
    return st


def test_fitted_selector_runs_on_plain_records_and_reads_neighbours_through_the_callable() -> None:
    cands = [_sentence(1, "The plant in Ohio will employ 900 workers.", [1, 0.3, 0]),
             _sentence(2, "Its owner said so on Monday.", [0.9, 0.2, 0.1]),
             _sentence(3, "Rain is expected in Lyon.", [0, 0, 1])]
    asked: list[list[str]] = []

    def neighbours(ids: Sequence[str]) -> dict[str, StoredSentence]:
        asked.append(list(ids))
        return {"s#1": cands[0]} if "s#1" in ids else {}

    stats = _stats([c.text for c in cands] + ["Voltaic makes cars."])
    text = "How many workers will Voltaic employ in Ohio?"
    query = Query(text=text, vector=np.asarray([1, 0.1, 0], dtype=np.float32) / np.linalg.norm([1, 0.1, 0]),
                  view=view(text, stats.bm25()))
    scorer = load()
    sel = FittedSelector(scorer, stats, max_citations=4).select(query, cands, neighbours)
    assert isinstance(sel, Selection) and [c.sentence.index for c in sel.chosen] == [1]
    assert sel.ranked[0].sentence.index == 1 and sel.ranked[-1].sentence.index == 3
    assert all(0.0 < c.score < 1.0 for c in sel.ranked)  # probabilities, the citation's score
    assert asked, "names are looked up in neighbouring sentences through the callable"
    # A stricter fitted file abstains on the same evidence: the threshold is the file's, not the code's.
    strict = dataclasses.replace(scorer, threshold=0.999, cite_ratio=1.0)
    assert not FittedSelector(strict, stats, max_citations=4).select(query, cands, neighbours).answered


class PickSecondBest:
    """A selector as another scorer would plug in: same input, same output type."""

    def __init__(self, stats: TermStats) -> None:
        self.inner = FittedSelector(load(), stats, max_citations=4)

    def select(self, query: Query, candidates: Sequence[StoredSentence], neighbours: Neighbours) -> Selection:
        ranked = self.inner.score(query, candidates, neighbours)
        return Selection(ranked, chosen=ranked[1:2])


class Recording(ExtractiveComposer):
    name = "recording"

    def __init__(self) -> None:
        self.requests: list[ComposeRequest] = []

    def compose(self, request: ComposeRequest, on_token=None) -> Answer:
        self.requests.append(request)
        if on_token:
            on_token("drafting")
        return super().compose(request, on_token)


def test_a_selector_and_a_composer_plug_into_the_engine(seed_engine, embedder) -> None:
    comp = Recording()
    eng = Engine(seed_engine.settings, embedder=embedder, store=seed_engine.store(), selector=PickSecondBest(seed_engine.stats),
                 composer=comp)
    pieces: list[str] = []
    ans = eng.ask(Q, on_token=pieces.append)
    req = comp.requests[-1]
    second: Scored = req.selection.ranked[1]
    assert ans.answered and [c.text for c in ans.citations if c.role == "answer"] == [second.sentence.text]
    assert pieces == ["drafting"] and req.question == Q and req.standalone == Q
    # The cite callback turns any scored candidates into verified citations.
    more = req.cite(req.selection.ranked[:3])
    st = eng.store()
    assert more and all(st.get_sources([c.source])[c.source].text[c.start:c.end] == c.text for c in more)
