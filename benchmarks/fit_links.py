"""Fitting the learned link model for the editor's review queue (`make train`:
`python -m benchmarks.learned_links --fit`; `--check` refits and compares with the committed file).

Training data: the spent real-world parts (data/eval/realworld/dev … heldout10; blind parts are
refused), each indexed as `factdesk eval` indexes it with the model switched off, and the pairs
*relinking forms* — a claim in an earlier-dated source and a statement of a later-dated one that can
overturn (a stored cue), not a headline (the shape `detect_across` is shown; `benchmarks/link_pairs.py`).
Labels from each part's header (expected `by` phrases). Model: logistic regression over the
detector's signals and the later sentence's vector (`lr+vec`: C 0.01, the project's one seed), and
a second one on the positives for the status. Threshold: the lowest of a fixed grid at which the
queue — on claims the detector neither links nor proposes, the model's best one-story pair per
claim — is right at least half the time, pooled over leave-one-part-out predictions (each part
scored by a model fitted on the others). The file records the parts' checksums, the seed, the
embedding model and the leave-one-part-out queue figures.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from bot.training_data import SEED

from .link_pairs import ROOT, Part, build, index_part

C = 0.01  # strong L2 with 418 weights (the experiment's lr+vec; not tuned here)
GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
QUEUE_PRECISION = 0.5  # a candidate an editor reads should be right at least half the time


def _digest(part: str) -> str:
    """sha256 over the part's question file and every source file under its folder, in name order."""
    path = ROOT / "data" / "eval" / "realworld" / f"{part}.jsonl"
    h = hashlib.sha256(path.read_bytes())
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    for f in sorted((path.parent / header["sources"]).rglob("*")):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def build_parts(names: list[str], settings: Any, embedder: Any, cache: Path | None = None) -> list[Part]:
    """Index each part with the learned model off (its candidates must not count as the detector's)."""
    from ingest.corrections import learned

    if cache and cache.exists():
        got = pickle.loads(cache.read_bytes())
        if [p.name for p in got] == names:
            return got
    saved, learned.FITTED = learned.FITTED, Path("/nonexistent/links.json")
    try:
        parts = [build(n, *index_part(n, settings, embedder)) for n in names]
    finally:
        learned.FITTED = saved
    if cache:
        cache.write_bytes(pickle.dumps(parts))
    return parts


def _rows(p: Part) -> np.ndarray:
    return np.flatnonzero(p.relinked.astype(bool))


def _design(p: Part, idx: np.ndarray) -> np.ndarray:
    from ingest.corrections.learned import FEATURES

    return np.hstack([p.X[idx, :len(FEATURES)], p.vb[idx]])


def fit(parts: list[Part]) -> dict[str, Any]:
    """Weights of the link and status regressions, standardised, as plain lists."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([_design(p, _rows(p)) for p in parts])
    y = np.concatenate([p.y[_rows(p)] for p in parts])
    st = np.concatenate([p.corrected[_rows(p)] for p in parts])[y == 1]
    mean, scale = np.round(x.mean(axis=0), 8), np.round(x.std(axis=0), 8)
    scale[scale < 1e-6] = 1.0  # a constant feature: standardised to 0 either way
    z = (x - mean) / scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        link = LogisticRegression(C=C, max_iter=5000, random_state=SEED).fit(z, y)
        status = LogisticRegression(C=C, max_iter=5000, random_state=SEED).fit(z[y == 1], st)
    r = lambda a: [round(float(v), 8) for v in a]  # noqa: E731
    return {"mean": r(mean), "scale": r(scale), "coef": r(link.coef_[0]), "intercept": round(float(link.intercept_[0]), 8),
            "status_coef": r(status.coef_[0]), "status_intercept": round(float(status.intercept_[0]), 8),
            "pairs": int(len(y)), "positives": int(y.sum())}


def _model(w: dict[str, Any], embed_model: str, threshold: float) -> Any:
    from ingest.corrections.learned import LinkModel

    a = {k: np.asarray(w[k], dtype=np.float64) for k in ("mean", "scale", "coef", "status_coef")}
    return LinkModel(embed_model, threshold, True, a["mean"], a["scale"], a["coef"], float(w["intercept"]),
                     a["status_coef"], float(w["status_intercept"]))


def probs(model: Any, p: Part) -> np.ndarray:
    """The link probability of each relinked pair (0 elsewhere)."""
    out = np.zeros(len(p.y))
    from ingest.corrections.learned import FEATURES

    for i in _rows(p):
        out[i] = model.prob(p.X[i, :len(FEATURES)], p.vb[i])[0]
    return out


def queue(p: Part, prob: np.ndarray, t: float) -> dict[str, tuple[str, int]]:
    """The model's candidates on one part at threshold `t`: claim → (later id, right 1 / wrong 0);
    on claims the detector neither links nor proposes, its best one-story pair per claim."""
    best: dict[str, tuple[float, str, int]] = {}
    for i in _rows(p):
        a, b = p.pairs[i]
        if prob[i] < t or not p.story[i] or a in p.detected or a in p.proposed:
            continue
        if a not in best or prob[i] > best[a][0]:
            best[a] = (float(prob[i]), b, int(p.y[i]))
    return {a: (b, y) for a, (_, b, y) in best.items()}


def lopo(parts: list[Part], embed_model: str) -> dict[str, np.ndarray]:
    out = {}
    for q in parts:
        m = _model(fit([p for p in parts if p is not q]), embed_model, 0.0)
        out[q.name] = probs(m, q)
    return out


def choose(parts: list[Part], oof: dict[str, np.ndarray]) -> tuple[float, dict[str, dict[str, list[int]]]]:
    """The lowest grid threshold whose pooled out-of-fold queue is right at least QUEUE_PRECISION of the time."""
    table: dict[str, dict[str, list[int]]] = {}
    chosen = None
    for t in GRID:
        table[str(t)] = {}
        for p in parts:
            q = queue(p, oof[p.name], t)
            table[str(t)][p.name] = [sum(y for _, y in q.values()), sum(1 - y for _, y in q.values())]
        right = sum(v[0] for v in table[str(t)].values())
        wrong = sum(v[1] for v in table[str(t)].values())
        if chosen is None and right + wrong and right / (right + wrong) >= QUEUE_PRECISION:
            chosen = t
    return (chosen if chosen is not None else 2.0), table


def decisions(parts: list[Part], model: Any) -> dict[str, list[list[str]]]:
    return {p.name: sorted([a, b] for a, (b, _) in queue(p, probs(model, p), model.threshold).items()) for p in parts}


def fit_and_write(parts: list[Part], embed_model: str, out: Path | None, log: Any) -> int:
    from ingest.corrections.learned import FEATURES, FITTED

    oof = lopo(parts, embed_model)
    t, table = choose(parts, oof)
    w = fit(parts)
    for row in table.values():
        row["pooled"] = [sum(v[0] for v in row.values()), sum(v[1] for v in row.values())]
    doc = {"what": "learned link judgement for the editor's review queue (ingest/corrections/learned.py)",
           "command": "python -m benchmarks.learned_links --fit (make train)", "seed": SEED, "C": C,
           "embed_model": embed_model, "features": list(FEATURES), "vector": True, "threshold": t,
           "queue_precision_target": QUEUE_PRECISION,
           "training": {p.name: _digest(p.name) for p in parts},
           "lopo_queue_right_wrong": table, **w}
    dest = out or FITTED
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(doc, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {dest}: threshold {t}, {w['pairs']} pairs ({w['positives']} positive)", file=log)
    for k, row in table.items():
        print(f"  p >= {k}: queue right/wrong pooled {row['pooled']}  " +
              " ".join(f"{n} {v[0]}/{v[1]}" for n, v in row.items() if n != "pooled"), file=log)
    return 0


def check(parts: list[Part], embed_model: str, log: Any) -> int:
    """Refit on the same parts and compare the decisions on every part with the committed file's."""
    from ingest.corrections.learned import FITTED, load, read

    committed = read(FITTED)
    names = [p.name for p in parts]
    problems = []
    if list(committed["training"]) != names:
        problems.append(f"committed file trained on {list(committed['training'])}, not {names}")
    problems += [f"{p.name}: training data changed since the fit" for p in parts
                 if committed["training"].get(p.name) != _digest(p.name)]
    t, _ = choose(parts, lopo(parts, embed_model))
    if t != float(committed["threshold"]):
        problems.append(f"threshold {t} chosen, committed {committed['threshold']}")
    mine = _model(fit(parts), embed_model, float(committed["threshold"]))
    a, b = decisions(parts, load(FITTED)), decisions(parts, mine)
    problems += [f"{n}: decisions differ ({len(set(map(tuple, a[n])) ^ set(map(tuple, b[n])))} pairs)" for n in names if a[n] != b[n]]
    print("\n".join(problems) or f"reproduced: same decisions on {', '.join(names)} "
          f"({sum(len(v) for v in a.values())} candidates at p >= {committed['threshold']})", file=log)
    return 1 if problems else 0
