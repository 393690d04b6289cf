"""`python -m bot.train` (`make train`): fit the answer scorer on external labelled data and write
bot/fitted/scorer.json, which the engine loads.

Stage 1 is fitted on TrecQA train (vendored under data/external/trecqa/, news-domain questions;
each question also asked of another's candidates, all "no"); TrecQA dev and WikiQA dev (not
vendored; read from --wikiqa) report its ranking quality. Fitting on WikiQA train as well was tried
and dropped: it raised TrecQA dev MAP but lowered top-1 on our news dev (README "Answer selection").
Stage 2 (the sentence's place in its article) and the thresholds are fitted on our own news
questions as the engine retrieves them (news, news-heldout, news-heldout2 — the two held-out sets
were run once and are development data since; bot/training_data.py OWN_DEV), cross-validated by
article (bot/news_stage.py). Test splits of WikiQA and TrecQA, SQuAD, and the blind sets written
after them (news-heldout3, realworld/heldout4) are never read here.

One of stage 1's features is the adapted cosine cos(W q, s) of the question adapter
(bot/adapter.py, bot/fitted/adapter.npz), fitted first — on WikiQA train + TrecQA train, chosen on
their dev splits — when WikiQA is present (else the committed adapter is used, `--keep-adapter`
forces that). W saw TrecQA train, so stage 1's TrecQA train rows use out-of-fold adapted vectors
stored in the adapter file: an in-sample cosine would look better there than anywhere else.

Both stages are standardised logistic regressions; the file records feature names, means, scales,
weights, the thresholds, the embedding model, the seed and the SHA-256 of every file read, so
`python -m bot.train --check` can tell whether a refit reproduces it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .features import FEATURES
# load_trecqa, load_wikiqa and featurize are also used from here by benchmarks.quality and the tests.
from .training_data import (
    NEGATIVE_LISTS, OWN_DEV, SEED, Group, featurize, load_trecqa, load_wikiqa, own_questions, sha256,
    with_negatives,
)

ROOT = Path(__file__).resolve().parent.parent
TRECQA = ROOT / "data" / "external" / "trecqa"
WIKIQA = ROOT / "data" / "external" / "wikiqa"
OUT = Path(__file__).resolve().parent / "fitted" / "scorer.json"
ADAPTER = OUT.parent / "adapter.npz"
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


def train(embedder, wikiqa: Path | None = None, seed: int = SEED, own: tuple[Path, ...] = OWN_DEV,
          adapter: Path = ADAPTER) -> dict:
    """Stage 1: weights on TrecQA train (external labels only). Stage 2 and the thresholds: on our
    own dev questions as the engine retrieves them (news articles with answerable and unanswerable
    questions: the distribution the product sees), by article (bot/news_stage.py)."""
    from . import adapter as A
    from . import news_stage as NS

    ad = A.load(adapter)
    if ad is None or ad.embed_model != embedder.identity:
        raise SystemExit(f"no question adapter for {embedder.identity!r} at {adapter}: run `python -m bot.adapter` first")
    # TrecQA train's adapted cosines come from adapters fitted without each question's fold (W saw TrecQA train).
    oof = lambda q, v: ad.oof[q]  # noqa: E731
    adapt = lambda q, v: ad.apply(v)  # noqa: E731
    train_groups = with_negatives(load_trecqa(TRECQA / "train.csv"), seed)
    params = fit(featurize(train_groups, embedder, adapt=oof), [g.labels for g in train_groups], seed)
    model = Model(params)
    dev_groups = with_negatives(load_trecqa(TRECQA / "dev.csv"), seed + 1)
    probs = [model.proba(x) for x in featurize(dev_groups, embedder, adapt=adapt)]
    files = {str(p.relative_to(ROOT)): sha256(p) for p in (TRECQA / "train.csv", TRECQA / "dev.csv")}
    validation: dict = {"trecqa_dev": ranking(dev_groups, probs)}
    stage2 = None
    if own:
        files.update({str(p.relative_to(ROOT)): sha256(p) for p in own})
        asked = [a for p in own for a in own_questions(p, embedder, ad.w)]
        decided = NS.cross_validate(asked, model, seed)
        threshold, ratio = NS.thresholds(decided)
        cap = NS.citation_cap(decided, threshold, ratio)
        validation["news_dev_by_article"] = NS.figures(decided, threshold, ratio, cap)
        stage2 = NS.fit(asked, model, seed)
    else:  # without our own questions: stage 1 alone, threshold on TrecQA dev and its negatives
        decided = [NS.Decided(NS.Asked(g.question, bool(any(g.labels)), np.zeros((len(p), 0)), g.labels, False,
                                       np.zeros(len(p)), np.zeros(len(p)), g.labels, ""), p)
                   for g, p in zip(dev_groups, probs)]
        threshold, ratio = NS.thresholds(decided)
        cap = NS.citation_cap(decided, threshold, ratio)
    if wikiqa and (wikiqa / "dev").exists():
        wq = load_wikiqa(wikiqa / "dev")
        validation["wikiqa_dev"] = ranking(wq, [model.proba(x) for x in featurize(wq, embedder, adapt=adapt)])
    return {
        "about": "Answer scorer for factdesk: logistic regression over bot/features.py (stage 1) and over its "
                 "log-odds and the sentence's place in its article (stage 2); written by python -m bot.train",
        "embed_model": embedder.identity,
        "features": list(FEATURES),
        **params,
        "adapter": {"file": Path(adapter).name, "sha256": sha256(Path(adapter))},
        "stage2": stage2,
        "threshold": threshold,
        "cite_ratio": ratio,
        "max_citations": cap,
        "target_false_abstention": NS.TARGET_FALSE_ABSTENTION,
        "further_precision": NS.FURTHER_PRECISION,
        "seed": seed,
        "C": C,
        "negative_lists": NEGATIVE_LISTS,
        "training_data": {
            "fit": ["data/external/trecqa/train.csv (+ each question asked of another's candidates, all 0)"],
            "stage2": [f"{p.relative_to(ROOT)} (our own dev questions as the engine retrieves them)" for p in own],
            "threshold": [f"{p.relative_to(ROOT)} (out-of-fold by article)" for p in own]
            or ["data/external/trecqa/dev.csv (+ constructed negatives)"],
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
    for k in ("threshold", "cite_ratio"):
        if abs(new[k] - old[k]) > threshold_tol:
            out.append(f"{k}: {new[k]} vs {old[k]}")
    if new.get("max_citations") != old.get("max_citations"):
        out.append(f"max_citations: {new.get('max_citations')} vs {old.get('max_citations')}")
    a, b = new.get("stage2") or {}, old.get("stage2") or {}
    if bool(a) != bool(b):
        out.append("stage 2 present in one file only")
    for name, u, v in zip(a.get("features", []), a.get("coef", []), b.get("coef", [])):
        if abs(u - v) > tol:
            out.append(f"stage 2 weight {name}: {u} vs {v}")
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
    ap.add_argument("--keep-adapter", action="store_true", help="use the committed question adapter, do not refit it")
    args = ap.parse_args(argv)
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    from . import adapter as A

    s = get_settings()
    embedder = Embedder(s.embed_model, s.embed_device)
    adapter = args.out.parent / A.FITTED.name
    if not args.keep_adapter and args.wikiqa and (args.wikiqa / "train" / "sim.txt").exists():
        w, qs, oof, meta = A.build(embedder, TRECQA, args.wikiqa)  # the adapter first: stage 1 reads it
        if args.check:
            diffs = A.compare(w, meta, A.load(adapter), A.read_meta(adapter))
            print("adapter reproduces " + str(adapter) if not diffs else "adapter differs: " + "; ".join(diffs))
        else:
            A.save(adapter, w, qs, oof, meta)
            print(f"wrote {adapter}: {json.dumps(meta['chosen'])} validation {json.dumps(meta['validation'])}")
    elif not args.keep_adapter:
        print(f"no WikiQA train under {args.wikiqa}: using the committed question adapter {adapter}")
    result = train(embedder, args.wikiqa, adapter=adapter)
    if args.check:
        old = json.loads(args.out.read_text(encoding="utf-8"))
        diffs = compare(result, old)
        print("reproduces " + str(args.out) if not diffs else "differs: " + "; ".join(diffs))
        return 1 if diffs else 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: threshold {result['threshold']}, cite ratio {result['cite_ratio']}, validation {json.dumps(result['validation'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
