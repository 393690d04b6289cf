"""`python -m bot.train` (`make train`): fit the answer scorer on external labelled data and write
bot/fitted/scorer.json, which the engine loads.

Fitting data: TrecQA train (vendored under data/external/trecqa/, news-domain questions).
Validation, used to pick the abstention threshold and to report ranking quality: TrecQA dev,
plus "constructed negatives" — each dev question asked of another dev question's candidates,
where no sentence can answer it — so the threshold also sees questions without an answer.
WikiQA dev (not vendored; read from --wikiqa) is reported as a second, out-of-domain validation
set and is never fitted on. Test splits of WikiQA and TrecQA, and SQuAD, are never read here.

The model is a logistic regression over bot/features.py's FEATURES, standardised; the file records
the feature names, means, scales, weights, the threshold, the embedding model, the seed and the
SHA-256 of every training and validation file, so `python -m bot.train --check` can tell whether
a refit reproduces it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from .features import FEATURES
# load_trecqa, load_wikiqa and featurize are also used from here by benchmarks.quality and the tests.
from .training_data import (
    NEGATIVE_LISTS, OWN_DEV, Group, featurize, load_trecqa, load_wikiqa, own_questions, with_negatives,
)

ROOT = Path(__file__).resolve().parent.parent
TRECQA = ROOT / "data" / "external" / "trecqa"
WIKIQA = ROOT / "data" / "external" / "wikiqa"
OUT = Path(__file__).resolve().parent / "fitted" / "scorer.json"
SEED = 20190614
# Abstention: the threshold is the lowest probability at which, on our own dev questions, at least
# this share of the questions answered do have an answer in the sources.
TARGET_PRECISION = 0.9
# Further citations: the lowest probability at which at least this share of sentences quoted
# are correct on the validation questions.
TARGET_SENTENCE_PRECISION = 0.75
# L2 strength of the logistic regression (scikit-learn's default C); not tuned.
C = 1.0


def ranking(groups: list[Group], scores: list[np.ndarray]) -> dict[str, float]:
    """MAP and MRR over questions with at least one correct candidate (the usual convention for
    WikiQA and TrecQA; questions with none cannot be ranked and are left out). Ties broken by
    candidate order, pessimistically would be fairer but the scores are continuous."""
    aps, rrs = [], []
    for g, s in zip(groups, scores):
        if g.constructed or not any(g.labels):
            continue
        order = np.argsort(-np.asarray(s), kind="stable")
        hits, precs, rr = 0, [], 0.0
        for rank, j in enumerate(order, 1):
            if g.labels[j]:
                hits += 1
                precs.append(hits / rank)
                rr = rr or 1.0 / rank
        aps.append(float(np.mean(precs)))
        rrs.append(rr)
    return {"map": round(float(np.mean(aps)), 4), "mrr": round(float(np.mean(rrs)), 4), "questions": len(aps)}


class Model:
    """Standardised logistic regression: p = σ(w · (x − mean) / scale + b)."""

    def __init__(self, d: dict) -> None:
        self.d = d
        self.mean = np.asarray(d["mean"], dtype=np.float64)
        self.scale = np.asarray(d["scale"], dtype=np.float64)
        self.coef = np.asarray(d["coef"], dtype=np.float64)
        self.intercept = float(d["intercept"])

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def fit(xs: list[np.ndarray], labels: list[list[int]], seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(xs)
    y = np.concatenate([np.asarray(l, dtype=int) for l in labels])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    lr.fit((x - mean) / scale, y)
    return {"mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": lr.coef_[0].round(6).tolist(), "intercept": round(float(lr.intercept_[0]), 6)}


def lowest_meeting(points: list[tuple[float, int]], target: float) -> float:
    """The lowest probability p such that, of the points scoring at least p, a share of at least
    `target` are right: as many answers (or citations) as that precision allows."""
    pts = sorted(points, key=lambda t: -t[0])
    best, right = (pts[0][0] if pts else 0.5), 0
    for n, (p, ok) in enumerate(pts, 1):
        right += ok
        if right / n >= target:
            best = p
    return round(best, 4)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(embedder, wikiqa: Path | None = None, seed: int = SEED, own: Path | None = OWN_DEV) -> dict:
    """Fit the weights on TrecQA train (external labels only). Choose the abstention threshold on
    our own dev questions as the engine retrieves them (news articles with answerable and
    unanswerable questions: the distribution the product sees), and the further-citation
    threshold on those and TrecQA dev's sentences together."""
    train_groups = with_negatives(load_trecqa(TRECQA / "train.csv"), seed)
    params = fit(featurize(train_groups, embedder), [g.labels for g in train_groups], seed)
    model = Model(params)
    dev_groups = with_negatives(load_trecqa(TRECQA / "dev.csv"), seed + 1)
    probs = [model.proba(x) for x in featurize(dev_groups, embedder)]
    sentences = [(float(v), int(y)) for g, p in zip(dev_groups, probs) for v, y in zip(p, g.labels)]
    files = {str(p.relative_to(ROOT)): sha256(p) for p in (TRECQA / "train.csv", TRECQA / "dev.csv")}
    validation: dict = {"trecqa_dev": ranking(dev_groups, probs)}
    # Answer decisions: (best probability, 1 if the question has an answer among its candidates).
    answers: list[tuple[float, int]] = []
    if own:
        files[str(own.relative_to(ROOT))] = sha256(own)
        for a in own_questions(own, embedder):
            if a.absent or not len(a.x):
                continue  # the engine abstains on these whatever the threshold (rule 1)
            p = model.proba(a.x)
            answers.append((float(p.max()), int(a.answerable and any(a.labels))))
            sentences += [(float(v), int(y)) for v, y in zip(p, a.labels)]
    else:  # without our own questions, TrecQA dev and its constructed negatives
        answers = [(float(p.max()), int(any(g.labels))) for g, p in zip(dev_groups, probs)]
    threshold = lowest_meeting(answers, TARGET_PRECISION)
    cite = max(threshold, lowest_meeting(sentences, TARGET_SENTENCE_PRECISION))
    if wikiqa and (wikiqa / "dev").exists():
        wq = load_wikiqa(wikiqa / "dev")
        validation["wikiqa_dev"] = ranking(wq, [model.proba(x) for x in featurize(wq, embedder)])
    return {
        "about": "Answer scorer for factdesk: logistic regression over bot/features.py; written by python -m bot.train",
        "embed_model": embedder.identity,
        "features": list(FEATURES),
        **params,
        "threshold": threshold,
        "cite_threshold": cite,
        "target_precision": TARGET_PRECISION,
        "target_sentence_precision": TARGET_SENTENCE_PRECISION,
        "seed": seed,
        "C": C,
        "negative_lists": NEGATIVE_LISTS,
        "training_data": {
            "fit": ["data/external/trecqa/train.csv (+ each question asked of another's candidates, all 0)"],
            "threshold": [f"{own.relative_to(ROOT)} (our own dev questions, answerable and not, as the engine retrieves them)"
                          if own else "data/external/trecqa/dev.csv (+ constructed negatives)"],
            "cite_threshold": ["data/external/trecqa/dev.csv"] + ([str(own.relative_to(ROOT))] if own else []),
            "sha256": files},
        "validation": validation,
    }


def compare(new: dict, old: dict, tol: float = 0.02, threshold_tol: float = 0.05) -> list[str]:
    """Differences that matter: weights beyond `tol` (standardised units; they depend on TrecQA
    alone), thresholds beyond `threshold_tol` (they are read off our own dev questions as the
    engine retrieves them, so a change to splitting or retrieval moves them: refit then)."""
    out = []
    if new["features"] != old["features"]:
        out.append("feature list differs")
        return out
    for name, a, b in zip(new["features"], new["coef"], old["coef"]):
        if abs(a - b) > tol:
            out.append(f"weight {name}: {a} vs {b}")
    if abs(new["intercept"] - old["intercept"]) > tol:
        out.append(f"intercept: {new['intercept']} vs {old['intercept']}")
    for k in ("threshold", "cite_threshold"):
        if abs(new[k] - old[k]) > threshold_tol:
            out.append(f"{k}: {new[k]} vs {old[k]}")
    if new["training_data"]["sha256"].get("data/external/trecqa/train.csv") != \
            old["training_data"]["sha256"].get("data/external/trecqa/train.csv"):
        out.append("training data checksum differs")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--wikiqa", type=Path, default=WIKIQA if WIKIQA.exists() else None,
                    help="folder with WikiQA dev/ (castorini/data WikiQA/), for validation figures")
    ap.add_argument("--check", action="store_true", help="refit and compare with --out instead of writing it")
    args = ap.parse_args(argv)
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    s = get_settings()
    result = train(Embedder(s.embed_model, s.embed_device), args.wikiqa)
    if args.check:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        diffs = compare(result, old)
        print("reproduces " + str(args.out) if not diffs else "differs: " + "; ".join(diffs))
        return 1 if diffs else 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: threshold {result['threshold']}, validation {json.dumps(result['validation'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
