"""The editor's review queue fed by a learned judgement (ingest/corrections/learned.py): on a claim
the detector neither links nor proposes, a pair relinking formed and the fitted model finds likely
is listed by `factdesk corrections --candidates` with reason "model" and its probability as score —
never a link; `accept` turns it into a link with origin "editor" that survives `--rebuild`; `reject`
hides it; with a model fitted for another embedding model the ingest says so and proposes nothing.

The integration tests use a hand-set model file (weights on shared names only) so the test reads
the plumbing, not the fitted weights; the committed file is checked for what it must name, and (slow)
that `python -m benchmarks.learned_links --fit` reproduces its decisions on the training parts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import cli_runner
from ingest.corrections import learned

OLD = """---
id: orla-1
title: Orla Foods to open Dunmore bakery
publisher: Coast Daily (fictional)
published: 2022-01-10
---
Orla Foods will open its new bakery in Dunmore in the spring, the company said.

The bakery will bake bread for shops across the county.
"""
NEW = """---
id: orla-2
title: Dunmore bakery delayed
publisher: Coast Daily (fictional)
published: 2022-04-03
---
Orla Foods said on Tuesday that the opening of the Dunmore bakery had been delayed until the autumn.
"""
CLAIM = "Orla Foods will open its new bakery in Dunmore in the spring, the company said."
BY = "Orla Foods said on Tuesday that the opening of the Dunmore bakery had been delayed until the autumn."


def _model_file(path, embed_model: str) -> None:
    """p = sigmoid(3 · shared names − 4): none give 0.02, three 0.99; status: superseded."""
    n = len(learned.FEATURES)
    coef = np.zeros(n)
    coef[learned.FEATURES.index("names")] = 3.0
    path.write_text(json.dumps({"embed_model": embed_model, "features": list(learned.FEATURES), "vector": False,
                                "threshold": 0.5, "mean": [0.0] * n, "scale": [1.0] * n, "coef": coef.tolist(),
                                "intercept": -4.0, "status_coef": [0.0] * n, "status_intercept": -1.0}))


@pytest.fixture
def run(monkeypatch, embedder, capsys, tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "orla-1.md").write_text(OLD)
    (src / "orla-2.md").write_text(NEW)
    model = tmp_path / "links.json"
    _model_file(model, embedder.identity)
    monkeypatch.setattr(learned, "FITTED", model)
    _run = cli_runner(monkeypatch, embedder, capsys, src, tmp_path / "data")
    _run.model = model
    return _run


def _candidates(run) -> list[dict]:
    code, out, _ = run("corrections", "--candidates", "--json")
    assert code == 0
    return json.loads(out)["candidates"]


def _links(run) -> list[dict]:
    code, out, _ = run("corrections", "--json")
    assert code == 0
    return json.loads(out)


def test_a_model_candidate_is_listed_with_reason_and_score_never_as_a_link(run):
    assert run("ingest")[0] == 0
    assert _links(run) == [], "the detector itself links nothing here, and the model never links"
    cands = _candidates(run)
    assert len(cands) == 1, cands
    c = cands[0]
    assert c["reason"] == "model" and c["family"] == "model" and c["claim"]["text"] == CLAIM and c["by"]["text"] == BY
    assert c["score"] == pytest.approx(1 / (1 + np.exp(-5.0)), abs=1e-3)  # three shared names: Orla, Foods, Dunmore
    assert c["status"] == "superseded"  # the status model's verdict is what accepting makes
    code, out, _ = run("corrections", "--candidates")
    assert "model" in out and "0.99" in out


def test_accept_makes_an_editor_link_that_survives_rebuild_and_reject_hides_it(run):
    assert run("ingest")[0] == 0
    pid = _candidates(run)[0]["id"]
    assert run("corrections", "accept", pid)[0] == 0
    links = _links(run)
    assert [(lk["claim"]["text"], lk["origin"], lk["status"]) for lk in links] == \
        [(CLAIM, "editor", "superseded")]
    assert _candidates(run) == []
    assert run("ingest", "--rebuild")[0] == 0
    assert [lk["origin"] for lk in _links(run)] == ["editor"]
    assert run("corrections", "reject", pid)[0] == 0  # the editor changes their mind
    assert _links(run) == [] and _candidates(run) == []
    assert run("ingest", "--rebuild")[0] == 0
    assert _links(run) == [] and _candidates(run) == [], "a rejection is replayed: the model's pair stays hidden"


def test_reject_hides_a_model_candidate(run):
    assert run("ingest")[0] == 0
    pid = _candidates(run)[0]["id"]
    assert run("corrections", "reject", pid)[0] == 0
    assert _candidates(run) == [] and _links(run) == []


def test_a_model_fitted_for_another_embedding_model_is_skipped_and_said(run):
    _model_file(run.model, "some-other-model")
    code, out, err = run("ingest")
    assert code == 0
    assert "learned link model skipped" in out + err and "some-other-model" in out + err
    assert _candidates(run) == []


def test_without_a_fitted_file_there_is_no_model_candidate(run):
    run.model.unlink()
    assert run("ingest")[0] == 0
    assert _candidates(run) == []


def test_the_committed_file_names_its_data_seed_and_model_and_loads():
    from bot.training_data import SEED
    from ingest.embed import PACKAGED

    meta = learned.read(learned.FITTED)
    assert meta["embed_model"] == PACKAGED and meta["seed"] == SEED
    assert set(meta["training"]) >= {"dev", "heldout", "heldout7"} and all(len(v) == 64 for v in meta["training"].values())
    m = learned.load(learned.FITTED)
    assert 0.0 < m.threshold < 1.0 and m.vector and len(m.coef) == len(learned.FEATURES) + 384


def _synthetic_part(name: str, seed: int):
    from benchmarks.link_pairs import SCALARS, Part

    rng = np.random.default_rng(seed)
    n = 120
    x = rng.normal(size=(n, len(SCALARS)))
    y = (x[:, 1] + 0.5 * rng.normal(size=n) > 1.0).astype(int)
    pairs = [(f"{name}-a#{i % 40}", f"{name}-b#{i}") for i in range(n)]
    return Part(name, {}, {}, {}, set(), x, rng.normal(size=(n, 384)), rng.normal(size=(n, 384)), pairs, y,
                (x[:, 2] > 0).astype(int), np.zeros(n), np.ones(n), np.ones(n), np.ones(n))


def test_fitting_is_deterministic_and_the_threshold_is_chosen_out_of_fold():
    """Two fits on the same pairs give the same weights; the threshold comes from leave-one-part-out."""
    from benchmarks import fit_links as F

    parts = [_synthetic_part(f"p{i}", i) for i in range(3)]
    assert F.fit(parts) == F.fit(parts)
    t, table = F.choose(parts, F.lopo(parts, "m"))
    assert t in F.GRID and set(table) == {str(g) for g in F.GRID}
    right, wrong = (sum(v[k] for v in table[str(t)].values()) for k in (0, 1))
    assert right / (right + wrong) >= F.QUEUE_PRECISION


@pytest.mark.slow
@pytest.mark.skipif(not __import__("os").environ.get("FACTDESK_REFIT"),
                    reason="re-indexes the training parts (~5 min on 2 cores): set FACTDESK_REFIT=1")
def test_the_fitting_command_reproduces_the_committed_decisions():
    """`python -m benchmarks.learned_links --check`: the same threshold and the same candidates on
    every training part as the committed file, and the parts' checksums unchanged."""
    from benchmarks.learned_links import main

    assert main(["--check"]) == 0
