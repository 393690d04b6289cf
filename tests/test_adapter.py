"""The question adapter (bot/adapter.py): the committed file names its data and model, the scorer
refuses an adapter it was not fitted with, the engine's `adapted` feature is cos(W q, s), fitting
learns an asymmetric map from labels, and the fitting command reproduces the committed file (when
WikiQA, which is not vendored, is present)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from bot import adapter as A
from bot import train as T
from bot.features import FEATURES
from bot.scorer import FITTED, ScorerError, load
from bot.training_data import load_trecqa


def test_committed_adapter_names_its_data_model_and_choice():
    meta = A.read_meta(A.FITTED)
    ad = A.load(A.FITTED)
    assert ad is not None and ad.w.shape == (384, 384) and ad.embed_model == "packaged:all-MiniLM-L6-v2"
    assert meta["seed"] == A.SEED and meta["chosen"]["strength"] in A.STRENGTHS
    assert 1 <= meta["chosen"]["epochs"] <= A.MAX_EPOCHS
    for name in ("train.csv", "dev.csv"):  # the vendored TrecQA files are the ones it was fitted and chosen on
        assert meta["sha256"][f"data/external/trecqa/{name}"] == T.sha256(T.TRECQA / name)
    blob = json.dumps({k: meta[k] for k in ("fit", "chosen_on", "sha256")}).lower()
    assert "test" not in blob and "squad" not in blob
    # Every TrecQA train question has its out-of-fold adapted vector (stage 1 is fitted on them).
    questions = {g.question for g in load_trecqa(T.TRECQA / "train.csv")}
    assert questions <= set(ad.oof) and all(abs(np.linalg.norm(v) - 1) < 1e-4 for v in ad.oof.values())
    # The scorer's file records the adapter's checksum and the `adapted` feature.
    d = json.loads(FITTED.read_text(encoding="utf-8"))
    assert d["adapter"]["sha256"] == T.sha256(A.FITTED) and "adapted" in d["features"]


def test_scorer_refuses_an_adapter_it_was_not_fitted_with(tmp_path):
    shutil.copy(FITTED, tmp_path / FITTED.name)
    ad = A.load(A.FITTED)
    A.save(tmp_path / A.FITTED.name, ad.w + 0.01, list(ad.oof), np.vstack(list(ad.oof.values())), A.read_meta())
    with pytest.raises(ScorerError, match="make train"):
        load(tmp_path / FITTED.name)
    (tmp_path / A.FITTED.name).unlink()
    with pytest.raises(ScorerError, match="missing"):
        load(tmp_path / FITTED.name)


def test_engine_feature_is_the_adapted_cosine(seed_engine):
    """The select stage's `adapted` column is cos(W q, s) with the committed W (one matvec)."""
    from bot.retrieve import read_sentences, retrieve, understand

    eng = seed_engine
    q = understand("Who developed the police app?", eng.embedder, eng.stats)
    st = eng.store()
    cands = retrieve(st, q, eng.stats, eng.settings)
    scored = eng.selector.score(q, cands, lambda ids: read_sentences(st, ids))
    w = A.load().w
    qa = w @ q.vector
    qa /= np.linalg.norm(qa)
    j = FEATURES.index("adapted")
    for c in scored[:5]:
        assert c.features[j] == pytest.approx(float(qa @ c.sentence.vector), abs=1e-5)
        assert c.features[FEATURES.index("dense")] == pytest.approx(float(q.vector @ c.sentence.vector), abs=1e-5)
    assert not np.allclose(qa, q.vector, atol=1e-3)  # the fitted W is not the identity
    # A vector of another size (another embedding model, which the engine warns about) passes unchanged.
    assert np.array_equal(eng.selector.scorer.adapt(np.ones(3)), np.ones(3))


def _synthetic(rng, rot: np.ndarray, n: int):
    """Questions whose answer is the candidate holding the question's direction *rotated*: plain
    cosine prefers a distractor that copies the question, a learnt W can find the answer."""
    d = len(rot)
    q = rng.normal(size=(n, d))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    cands, labels = [], []
    for v in q:
        answer = rot @ v + 0.3 * rng.normal(size=d)
        copy = v + 0.3 * rng.normal(size=d)
        noise = rng.normal(size=(3, d))
        c = np.vstack([answer, copy, noise])
        cands.append((c / np.linalg.norm(c, axis=1, keepdims=True)).astype(np.float32))
        labels.append(np.array([1, 0, 0, 0, 0], dtype=np.float32))
    return A.Lists(q.astype(np.float32), cands, labels)


def test_fitting_learns_an_asymmetric_map_and_strength_pulls_to_identity():
    rng = np.random.default_rng(0)
    rot = np.linalg.qr(rng.normal(size=(16, 16)))[0]
    train, held = _synthetic(rng, rot, 400), _synthetic(rng, rot, 200)  # held-out questions, same relation
    top1 = lambda w: np.mean([int(np.argmax(s) == 0) for s in A.scores(w, held)])  # noqa: E731
    assert top1(None) < 0.2  # plain cosine picks the copy
    w = A.fit_one(train, strength=0.0, epochs=30, seed=1)  # a few hundred small steps: it is learning
    assert top1(w) > 0.35
    stiff = A.fit_one(train, strength=100.0, epochs=5, seed=1)
    assert np.abs(stiff - np.eye(16)).max() < 0.05


@pytest.mark.slow
def test_adapter_command_reproduces_the_committed_file(embedder):
    """`python -m bot.adapter` gives the committed choice (strength, epochs) and W within 0.02.
    WikiQA is not vendored (its licence, data/external/README.md): skipped without it."""
    if not (T.WIKIQA / "train" / "sim.txt").exists() or not (T.WIKIQA / "dev" / "sim.txt").exists():
        pytest.skip("WikiQA train/dev not present under data/external/wikiqa (not vendored)")
    w, qs, oof, meta = A.build(embedder, T.TRECQA, T.WIKIQA, log=lambda *_: None)
    assert A.compare(w, meta, A.load(), A.read_meta()) == []
