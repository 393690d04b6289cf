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


def test_the_setting_switches_the_stage_and_the_stack_decides(seed_engine, model, tmp_path) -> None:
    import json

    from bot.engine import Engine

    assert Settings(_env_file=None).rerank == "off"  # opt-in (README "Configuration": its memory and latency)
    off = seed_engine
    assert off.selector.rerank is None
    # A copy of the committed stage whose gate rereads every question, so the stack decides here.
    every = tmp_path / "cross-every"
    every.mkdir()
    for f in model.folder.iterdir():
        if f.name != crossenc.CARD:
            (every / f.name).symlink_to(f)
    card = json.loads((model.folder / crossenc.CARD).read_text(encoding="utf-8"))
    card["stack"]["gate"] = 0.0
    (every / crossenc.CARD).write_text(json.dumps(card), encoding="utf-8")
    on = Engine(seed_engine.settings.model_copy(update={"rerank": "cross", "cross_dir": every}),
                embedder=seed_engine.embedder)
    assert isinstance(on.selector.rerank, rerank.Reranker) and on.selector.rerank.stack.gate == 0.0
    q = "Which claim did Human Rights Watch withdraw?"
    off_cites, on_cites = off.ask(q).citations, on.ask(q).citations
    assert off_cites and on_cites
    # With the stage on, the citation's score is the stack's probability over the scorer's and the
    # cross-encoder's opinions of that sentence, not the scorer's alone.
    from bot.retrieve import understand, retrieve, read_sentences

    st = on.store() if callable(getattr(on, "store", None)) else on._store
    query = understand(q, on.embedder, on.stats)
    cands = retrieve(st, query, on.stats, on.settings)
    reads = lambda ids: read_sentences(st, ids)  # noqa: E731
    base = {c.sentence.id: c.score for c in off.selector.score(query, cands, reads)}
    ranked = on.selector.score(query, cands, reads)
    best = ranked[0]
    stack = on.selector.rerank.stack
    expect = stack.proba(np.array([base[best.sentence.id]]), model.logits(query.text, [best.sentence.text]))[0]
    assert best.score == pytest.approx(expect, abs=1e-5)
    assert sum(c.score > 0 for c in ranked) <= stack.top  # only the reread candidates can answer


def test_the_gate_rereads_only_questions_the_scorer_is_unsure_of(seed_engine, model, monkeypatch) -> None:
    """The committed stage rereads a question only when the scorer's runner-up is within the fitted
    gate of its best; a sure question keeps the scorer's probabilities and decision values and runs
    no model pass. A card without a gate rereads every question (earlier cards)."""
    import json

    from bot.engine import Engine
    from bot.retrieve import understand, retrieve, read_sentences

    card = json.loads((model.folder / crossenc.CARD).read_text(encoding="utf-8"))
    stack = rerank.Stack.from_card(card["stack"])
    assert 0.0 < stack.gate < 1.0, "the committed card carries a fitted gate (python -m bot.train_cross --stack)"
    assert stack.unsure(np.array([0.5, 0.5 * stack.gate + 1e-6, 0.01]))
    assert not stack.unsure(np.array([0.5, 0.5 * stack.gate - 1e-3, 0.01]))
    assert not stack.unsure(np.array([0.5]))  # one candidate: nothing to choose between
    no_gate = dict(card["stack"])
    no_gate.pop("gate")
    assert rerank.Stack.from_card(no_gate).unsure(np.array([0.9, 0.0]))

    on = Engine(seed_engine.settings.model_copy(update={"rerank": "cross"}), embedder=seed_engine.embedder)
    off = Engine(seed_engine.settings.model_copy(update={"rerank": "off"}), embedder=seed_engine.embedder)
    st = on.store()
    reads = lambda ids: read_sentences(st, ids)  # noqa: E731
    calls = []
    used = crossenc.shared(on.selector.rerank.folder, on.selector.rerank.threads)  # the engine's instance
    real = used.logits
    monkeypatch.setattr(used, "logits", lambda q, texts, *a, **k: calls.append(q) or real(q, texts, *a, **k))
    seen = {"sure": 0, "unsure": 0}
    for q in ("Which claim did Human Rights Watch withdraw?", "Who developed the police app?", "What is IJOP?",
              "Where is Megvii based?", "Who is the CEO of Megvii?", "When was Megvii founded?",
              "Which minority lives in Xinjiang?", "Which company backs Megvii?", "What did Megvii pledge?",
              "Under which brand does Megvii develop image recognition?", "How does Megvii make money?",
              "Who conducted a technical assessment of the app?"):
        query = understand(q, on.embedder, on.stats)
        cands = retrieve(st, query, on.stats, on.settings)
        base = [c.score for c in off.selector.score(query, cands, reads)]
        calls.clear()
        ranked, decider = on.selector._scored(query, cands, reads)
        if stack.unsure(np.array(base)):
            seen["unsure"] += 1
            assert calls and decider is on.selector.rerank.stack
        else:
            seen["sure"] += 1
            assert not calls and decider is on.selector.scorer
            assert [c.score for c in ranked] == pytest.approx(base)
            shown = lambda eng: [(c.text, c.role, round(c.score, 6)) for c in eng.ask(q).citations]  # noqa: E731
            assert shown(on) == shown(off)
    assert seen["sure"] and seen["unsure"], seen


def test_an_unknown_mode_is_a_clear_settings_error() -> None:
    with pytest.raises(ValidationError, match="rerank|FACTDESK_RERANK"):
        Settings(_env_file=None, FACTDESK_RERANK="bert")


def test_missing_files_give_one_warning_line_and_the_engine_answers_without_them(
        seed_engine, model, tmp_path, monkeypatch, caplog) -> None:
    from bot.engine import Engine

    with caplog.at_level(logging.WARNING, logger="bot.rerank"):
        eng = Engine(seed_engine.settings.model_copy(update={"rerank": "cross", "cross_dir": tmp_path / "nowhere"}),
                     embedder=seed_engine.embedder)
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


def test_the_cross_dir_setting_chooses_the_folder_the_stage_reads(seed_engine, model, tmp_path, monkeypatch) -> None:
    """FACTDESK_CROSS_DIR swaps the cross-encoder (e.g. the 2-layer bot/fitted/cross-l2/) without
    code: the engine must read that folder's model and that folder's stack, not the committed
    bot/fitted/cross/. Here another folder holds the committed weights with a stack that rereads
    one candidate only; the engine must answer with that stack."""
    import json

    from bot.engine import Engine

    assert Settings(_env_file=None).cross_dir == crossenc.DIR
    other = tmp_path / "cross-other"
    other.mkdir()
    for f in model.folder.iterdir():  # the weights, tokenizer and their int8 graph, shared by link
        if f.name != crossenc.CARD:
            (other / f.name).symlink_to(f)
    card = json.loads((model.folder / crossenc.CARD).read_text(encoding="utf-8"))
    card["stack"]["top"] = 1
    card["stack"]["gate"] = 0.0  # every question reread, so the model of that folder is loaded
    (other / crossenc.CARD).write_text(json.dumps(card), encoding="utf-8")
    monkeypatch.setenv("FACTDESK_CROSS_DIR", str(other))
    chosen = Settings(_env_file=None, FACTDESK_RERANK="cross")
    assert chosen.cross_dir == other
    on = Engine(seed_engine.settings.model_copy(update={"rerank": "cross", "cross_dir": chosen.cross_dir}),
                embedder=seed_engine.embedder)
    assert on.selector.rerank.folder == other and on.selector.rerank.stack.top == 1
    assert on.ask("Which claim did Human Rights Watch withdraw?").citations
    loaded = {k: v for k, v in crossenc._loaded.items() if k[0] == str(other)}
    assert loaded and all(v is not None for v in loaded.values())


def test_the_bot_reads_with_onnx_int8_and_agrees_with_the_torch_model(model) -> None:
    """Question time runs the int8 ONNX graph (no torch in the bot); its logits order pairs as the
    committed torch model does."""
    assert isinstance(model, crossenc.OnnxCross), "with onnxruntime present the stage must not run torch"
    torch_model = crossenc.CrossEncoder(model.folder)
    groups = [g for g in load_trecqa(TRECQA / "dev.csv")][:6]
    for g in groups:
        q, sents = clean(g.question), [clean(s) for s in g.sentences][:12]
        a, b = model.logits(q, sents), torch_model.logits(q, sents)
        assert np.corrcoef(a, b)[0, 1] > 0.98
        assert np.max(np.abs(a - b)) < 0.75


def test_a_fresh_process_scores_without_importing_torch(model) -> None:
    import subprocess
    import sys

    code = ("import sys; from bot import crossenc; m = crossenc.shared(); "
            "print(type(m).__name__, float(m.logits('Who won?', ['Smith won the race.'])[0]) == m.logits('Who won?', ['Smith won the race.'])[0], 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["OnnxCross", "True", "False"]


def test_a_sentences_score_does_not_depend_on_what_else_was_retrieved(model) -> None:
    """The int8 graph quantises activations per run: scored in one batch, a pair's logit moved with
    its batchmates (and their padding). Each pair is run alone, so the same sentence gets the same
    score whatever else the question retrieved."""
    q = "Who did the court order to pay damages?"
    s = "The court ordered the bank to pay the former employee 1.2 million euros in damages."
    others = ["Shares fell 3 percent in early trading after the ruling, the steepest fall since the bank's listing in 2004.",
              "The bank said it would appeal."]
    alone = model.logits(q, [s])[0]
    assert model.logits(q, [s] + others)[0] == alone
    assert model.logits(q, others + [s])[2] == alone


def test_threads_change_the_time_of_a_pair_not_its_logit(model) -> None:
    """`FACTDESK_QUERY_THREADS` reaches the stage's ONNX session; one thread or two, each pair's logit
    is the same bit for bit (threads split a product's rows, not its sums), so answers cannot move."""
    import os

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: there is no second thread to compare with")
    fp32, int8 = crossenc.onnx_files(model.folder)
    one, two = crossenc.OnnxCross(model.folder, int8, 1), crossenc.OnnxCross(model.folder, int8, 2)
    assert one.session.get_session_options().intra_op_num_threads == 1
    assert two.session.get_session_options().intra_op_num_threads == 2
    for g in [g for g in load_trecqa(TRECQA / "dev.csv")][:4]:
        q, sents = clean(g.question), [clean(s) for s in g.sentences][:8]
        assert np.array_equal(one.logits(q, sents), two.logits(q, sents))
    assert crossenc.shared(model.folder, 2) is not None and (str(model.folder), 2) in crossenc._loaded


def test_a_question_longer_than_the_models_window_is_scored_not_raised(model) -> None:
    """Pairs are cut "only_second" (the question whole, the sentence cut) to the card's max_length
    (96 tokens); a question that alone fills it made the tokenizer raise ("Sequence to truncate too
    short") and the ask crash. Such a pair is cut from both sides instead; other pairs keep their
    scores."""
    q = "What did the finance minister say about the budget deficit and the pension reform " * 10
    s = "The minister said the deficit would fall to 3 percent next year."
    short = "What did the minister say about the deficit?"
    for m in (model, crossenc.CrossEncoder(model.folder)):
        got = m.logits(q, [s, s])
        assert got.shape == (2,) and np.all(np.isfinite(got))
        assert m.logits(short, [s])[0] == pytest.approx(m.logits(short, [s, s])[0], abs=1e-4)


def test_a_failed_export_leaves_no_partial_file(tmp_path, monkeypatch, caplog) -> None:
    """An export that fails part-way (disk full, a torch error) falls back to torch with one
    warning, and removes its half-written temporary graph (~90 MB, named by pid: nobody else would)."""
    import torch

    monkeypatch.delenv("FACTDESK_ONNX_CACHE", raising=False)
    (tmp_path / "model.safetensors").write_bytes(b"not weights")

    class Fake:
        def __init__(self, folder) -> None:  # type: ignore[no-untyped-def]
            self.model = torch.nn.Identity()

    def export(model, args, path, **kw):  # type: ignore[no-untyped-def]
        with open(path, "wb") as f:
            f.write(b"half a graph")
        raise OSError("No space left on device")

    monkeypatch.setattr(crossenc, "CrossEncoder", Fake)
    monkeypatch.setattr(torch.onnx, "export", export)
    with caplog.at_level(logging.WARNING, logger="bot.crossenc"):
        assert crossenc.export_onnx(tmp_path) is None
    assert [p.name for p in (tmp_path / "onnx-cache").iterdir()] == []
    assert len([r for r in caplog.records if "export failed" in r.getMessage()]) == 1


def test_a_reader_that_cannot_write_the_model_folder_uses_the_graph_made_there(tmp_path, monkeypatch) -> None:
    """`factdesk ingest` (able to write bot/fitted/cross/) makes the int8 graph there; a bot running
    as a user who cannot write that folder used to look only in its own cache folder, miss it, and
    export again on its first question (torch imported, ~20 s) — the cost `prepare` exists to avoid."""
    monkeypatch.delenv("FACTDESK_ONNX_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cross"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights")
    made = crossenc.onnx_files(folder)[1]  # as the writer sees it
    assert made.parent == folder / "onnx-cache"
    made.parent.mkdir()
    made.write_bytes(b"graph")
    monkeypatch.setattr(crossenc.os, "access", lambda path, mode: False)  # the reader cannot write there
    assert crossenc.onnx_files(folder)[1] == made
    made.unlink()  # nothing there: the reader's own cache folder
    assert crossenc.onnx_files(folder)[1].is_relative_to(tmp_path / "cache")


def test_two_exporters_with_one_pid_write_different_temporary_files(tmp_path, monkeypatch) -> None:
    """Two containers sharing a cache or model volume both run as pid 1: named by pid alone, their
    exports wrote one temporary file at once, and the rename published a graph made of both."""
    import torch

    from ingest import onnx_embed

    monkeypatch.delenv("FACTDESK_ONNX_CACHE", raising=False)
    monkeypatch.setattr(onnx_embed.os, "getpid", lambda: 1)
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    written: list[str] = []

    class Fake:
        def __init__(self, folder) -> None:  # type: ignore[no-untyped-def]
            self.model = torch.nn.Identity()

    def export(model, args, path, **kw):  # type: ignore[no-untyped-def]
        written.append(str(path))
        raise OSError("stop here")

    monkeypatch.setattr(crossenc, "CrossEncoder", Fake)
    monkeypatch.setattr(torch.onnx, "export", export)
    monkeypatch.setattr(crossenc.os, "getpid", lambda: 1)
    assert crossenc.export_onnx(tmp_path) is None and crossenc.export_onnx(tmp_path) is None
    assert len(written) == 2 and written[0] != written[1]
    target = tmp_path / "x.int8.onnx"
    assert onnx_embed.temp_path(target) != onnx_embed.temp_path(target)


def test_a_model_that_cannot_load_leaves_the_scorer_deciding(model, monkeypatch) -> None:
    """The card loaded but the model did not (a torn graph, no onnxruntime and no torch): every
    question is the scorer's, rather than an answer scored 0 everywhere."""
    rr = rerank.Reranker(model.folder)
    monkeypatch.setattr(crossenc, "shared", lambda *a, **k: None)
    p = np.array([0.5, 0.49, 0.1])
    assert rr.stack.unsure(p) and rr.rescore("Who?", ["a", "b", "c"], p) is None
