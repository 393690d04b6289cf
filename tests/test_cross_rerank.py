"""The rerank stage (FACTDESK_RERANK=cross, bot/rerank.py): the committed cross-encoder loads from
the repository alone, reads a question and a sentence together (it separates a TrecQA dev answer
from an on-topic sentence about the same man), is switched by the one setting, and a missing file
costs one warning line, never an answer.

Why: the fitted scorer ranks an on-topic sentence like an answer (README "Answer selection"); the
cross-encoder was trained here to tell them apart, and a deployment without its files must still run.
"""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest
from pydantic import ValidationError

from bot import crossenc, rerank
from bot.train import TRECQA, load_trecqa
from bot.train_cross import clean
from ingest.settings import Settings


@pytest.fixture(scope="module")
def model():
    return crossenc.shared()


def test_committed_model_loads_offline_and_ranks_a_trecqa_dev_answer_above_a_non_answer(model, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert model is not None, "bot/fitted/cross/ must load from the repository alone"
    card = model.card
    assert card["init"]["identity"] == "packaged:all-MiniLM-L6-v2" and card["seed"] and card["data"]
    g = next(g for g in load_trecqa(TRECQA / "dev.csv") if g.question.startswith("Where was Durst born"))
    answer = next(s for s, y in zip(g.sentences, g.labels) if y and s.startswith("Born in Jacksonville"))
    other = next(s for s, y in zip(g.sentences, g.labels) if not y and "did a lot before" in s)
    a, b = model.logits(clean(g.question), [clean(answer), clean(other)])
    assert a > b
    # The card's validation figures are the saved model's, above the fitted scorer's first-run figures.
    assert card["validation"]["trecqa_dev"]["map"] > 0.8


def test_the_setting_switches_the_stage_and_the_stack_decides(seed_engine, model) -> None:
    from bot.engine import Engine

    assert seed_engine.settings.rerank == "off" and seed_engine.selector.rerank is None
    on = Engine(seed_engine.settings.model_copy(update={"rerank": "cross"}), embedder=seed_engine.embedder)
    assert isinstance(on.selector.rerank, rerank.Reranker)
    q = "Which claim did Human Rights Watch withdraw?"
    off_cites, on_cites = seed_engine.ask(q).citations, on.ask(q).citations
    assert off_cites and on_cites
    # With the stage on, the citation's score is the stack's probability over the scorer's and the
    # cross-encoder's opinions of that sentence, not the scorer's alone.
    from bot.retrieve import understand, retrieve, read_sentences

    st = on.store() if callable(getattr(on, "store", None)) else on._store
    query = understand(q, on.embedder, on.stats)
    cands = retrieve(st, query, on.stats, on.settings)
    reads = lambda ids: read_sentences(st, ids)  # noqa: E731
    base = {c.sentence.id: c.score for c in seed_engine.selector.score(query, cands, reads)}
    ranked = on.selector.score(query, cands, reads)
    best = ranked[0]
    stack = on.selector.rerank.stack
    expect = stack.proba(np.array([base[best.sentence.id]]), model.logits(query.text, [best.sentence.text]))[0]
    assert best.score == pytest.approx(expect, abs=1e-5)
    assert sum(c.score > 0 for c in ranked) <= stack.top  # only the reread candidates can answer


def test_an_unknown_mode_is_a_clear_settings_error() -> None:
    with pytest.raises(ValidationError, match="rerank|FACTDESK_RERANK"):
        Settings(_env_file=None, FACTDESK_RERANK="bert")


def test_missing_files_give_one_warning_line_and_the_engine_answers_without_them(
        seed_engine, model, tmp_path, monkeypatch, caplog) -> None:
    from bot.engine import Engine

    monkeypatch.setattr(crossenc, "DIR", tmp_path / "nowhere")
    with caplog.at_level(logging.WARNING, logger="bot.rerank"):
        eng = Engine(seed_engine.settings.model_copy(update={"rerank": "cross"}), embedder=seed_engine.embedder)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.rerank"]
    assert len(lines) == 1 and "\n" not in lines[0] and "nowhere" in lines[0]
    assert eng.selector.rerank is None
    assert eng.ask("Which claim did Human Rights Watch withdraw?").citations
    # A torn copy (card present, weights gone) is reported the same way.
    torn = tmp_path / "torn"
    torn.mkdir()
    shutil.copy(model.folder / crossenc.CARD, torn / crossenc.CARD)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.rerank"):
        assert rerank.from_settings("cross", torn) is None
    assert len([r for r in caplog.records if r.name == "bot.rerank"]) == 1
