"""The learned-link experiment (benchmarks/learned_links.py, link_pairs.py) measures what it says.

Why: its figures decide whether a learned link judgement ships. Candidate pairs must respect time
(an earlier source never corrects a later one), labels must follow the part's header (expected
`by` phrases positive, must-not-link pairs marked), the scoring must count recall, precision and
must-not-link violations as `factdesk eval` does, and the cross-validation must be able to find a
signal when there is one. Sources here are invented, not eval text; vectors are hand-made.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import blind
from benchmarks.learned_links import MODELS, decide, evaluate, main, score
from benchmarks.link_pairs import SCALARS, Part, build, candidate_recall
from ingest.records import StoredSentence


def _vec(*hot: int) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


def _row(source: str, index: int, text: str, published: str, vec: np.ndarray) -> StoredSentence:
    return StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                          published=published, vector=vec)


HEADER = {
    "links": [{"episode": "e", "family": "plan_reversal", "status": "superseded",
               "claim": "plans to build a ferry terminal in Port Alden",
               "by": ["called off the ferry terminal"], "claim_source": "a", "by_source": "b"}],
    "no_link": [{"episode": "e", "kind": "same_subject", "claim": "plans to build a ferry terminal in Port Alden",
                 "later": "Halvard Marine hired a new finance chief."}],
}
ROWS = [
    _row("a", 0, "Halvard Marine plans to build a ferry terminal in Port Alden, the company said.", "2021-03-02", _vec(1, 2)),
    _row("b", 0, "Halvard Marine called off the ferry terminal after the harbour board refused a permit.", "2021-09-14", _vec(1, 3)),
    _row("b", 1, "Halvard Marine hired a new finance chief.", "2021-09-14", _vec(1, 4)),
    _row("z", 0, "Halvard Marine is weighing a ferry terminal somewhere on the coast.", "2020-11-20", _vec(1, 2)),
]


def test_pairs_follow_time_and_labels_follow_the_header() -> None:
    part = build("invented", HEADER, ROWS, links=[])
    by_pair = dict(zip(part.pairs, range(len(part.pairs))))
    assert ("a#0", "b#0") in by_pair and ("a#0", "b#1") in by_pair
    assert not [p for p in part.pairs if p[1].startswith("z#")], "an earlier source never corrects a later one"
    assert ("z#0", "a#0") in by_pair  # the earlier-dated source's sentence is a claim for the later ones
    pos, other = by_pair[("a#0", "b#0")], by_pair[("a#0", "b#1")]
    assert part.y[pos] == 1 and part.y[other] == 0 and part.y.sum() == 1
    assert part.hard[other] and not part.hard[pos]
    assert part.corrected[pos] == 0  # superseded
    assert part.X.shape == (len(part.pairs), len(SCALARS))
    x = dict(zip(SCALARS, part.X[pos]))
    assert x["b_plan"] == 1.0 and x["a_plan"] == 1.0 and x["names"] >= 1 and x["log_days"] > 0
    assert x["ev_sure"] == 1.0  # the detector itself reads "called off" against "plans to"
    assert candidate_recall(part) == (1, 1, 1)


def test_scoring_counts_recall_precision_and_must_not_link_as_eval_does() -> None:
    part = build("invented", HEADER, ROWS, links=[])
    none = np.zeros(len(part.pairs))
    prob = np.array([1.0 if p == ("a#0", "b#0") else 0.0 for p in part.pairs])
    assert list(score(part, decide(part, prob, none, 0.5, False, True))) == [1, 1, 1, 1, 0, 1]
    # The wrong status is no recall and no right link; a link by the must-not-link sentence is a violation.
    assert list(score(part, decide(part, prob, none + 1, 0.5, False, True)))[:4] == [0, 1, 0, 1]
    bad = np.array([1.0 if p == ("a#0", "b#1") else 0.0 for p in part.pairs])
    assert list(score(part, decide(part, bad, none, 0.5, False, True))) == [0, 1, 1, 1, 1, 1]
    # Detector OR model: the detector's link wins on its claim.
    part.detected = {"a#0": ("superseded", {"b#0"})}
    assert list(score(part, decide(part, bad, none, 0.5, True, True))) == [1, 1, 1, 1, 0, 1]


def _synthetic(name: str, rng: np.random.Generator, signal: bool) -> Part:
    """A part whose positives differ from negatives in one feature (or in none)."""
    n = 120
    y = (np.arange(n) % 10 == 0).astype(int)
    X = rng.normal(size=(n, len(SCALARS)))
    if signal:
        X[:, 0] += 8.0 * y
        X[:, 1] += 8.0 * (np.arange(n) % 20 == 0)  # the status, for the status model
    texts = {f"{name}-c{i}": f"claim {i}" for i in range(n)} | {f"{name}-b{i}": f"later {i}" for i in range(n)}
    corrected = y * (np.arange(n) % 20 == 0)
    links = [{"claim": f"claim {i}", "by": [f"later {i}"], "status": "corrected" if corrected[i] else "superseded"}
             for i in range(n) if y[i]]
    for e in links:  # phrases must not match "claim 10" inside "claim 100"
        e["claim"] += "!"
    texts |= {f"{name}-c{i}": f"claim {i}!" for i in range(n)}
    return Part(name, {"links": links, "no_link": []}, texts, {}, set(), X, np.zeros((n, 384)), rng.normal(size=(n, 384)),
                [(f"{name}-c{i}", f"{name}-b{i}") for i in range(n)], y, corrected, np.zeros(n, bool), np.ones(n, bool))


@pytest.mark.parametrize("signal", [True, False])
def test_cross_validation_finds_a_signal_only_when_there_is_one(signal: bool) -> None:
    rng = np.random.default_rng(7)
    parts = [_synthetic(f"p{i}", rng, signal) for i in range(4)]
    r = evaluate(parts, MODELS["lr"])
    found = sum(row["either"][0] for row in r["lopo"].values())
    wrong = sum(row["either"][3] - row["either"][2] for row in r["lopo"].values())
    if signal:
        assert found >= 40 and wrong <= 3  # 48 positives, nearly all found out of fold
    else:
        assert found <= 8  # noise: the nested threshold keeps the model (almost) silent


def test_blind_parts_are_refused(tmp_path, monkeypatch, capsys) -> None:
    listing = tmp_path / "BLIND"
    listing.write_text("realworld/heldout9\n", encoding="utf-8")
    monkeypatch.setattr(blind, "LIST", listing)
    assert main(["--parts", "dev,heldout9"]) == 2
    assert "heldout9" in capsys.readouterr().err
