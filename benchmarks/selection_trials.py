"""`python -m benchmarks.selection_trials`: the ninth session's trials on answer selection (issue 11),
reproducible — what a sentence adds to its question, neighbours, rankers, and how many to cite.

None of these is in the engine: each was measured here and left out (README "Answer selection
(issue 11, ninth session)"). The script exists so the figures that decided can be re-run.

A. Stage 1 refitted on TrecQA train (the committed recipe) with bot/novelty.py's features added:
   MAP/MRR on TrecQA dev and WikiQA dev (when data/external/wikiqa/dev exists), and top-1 of stage 1
   on the spent news sets (never fitted on them).
B. Stage 2 over stage 1's log-odds and the headline flag, plus novelty or neighbour features (the
   stage-1 log-odds of the sentence before/after in the same article), fitted and scored by article
   (each article's questions scored by a model fitted on the other articles of every spent set):
   pooled out-of-fold top-1, hit, precision, abstention, false abstention at the threshold the
   committed rule reads off those probabilities (≤ 5 % of answerable questions declined).
C. How many sentences to cite: a further citation at ≥ r × the best's probability (at most two),
   on B's committed-recipe out-of-fold probabilities, for a grid of r; the objective stated before
   looking — maximise pooled hit subject to pooled sentence precision ≥ 0.70, else one citation.

Blind sets (data/eval/BLIND) are refused. Slow: it embeds TrecQA and ingests every set (minutes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from benchmarks.blind import refused

ROOT = Path(__file__).resolve().parent.parent
SPENT = ["news", "news-heldout", "news-heldout2", "news-heldout3", "news-heldout4", "news-heldout5",
         "news-heldout6", "news-heldout7"]
RATIOS = (1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
MIN_PRECISION = 0.70  # trial C's constraint, stated before the grid was computed


def novelty_rows(question: str, texts: list[str]) -> np.ndarray:
    from bot.novelty import NOVELTY, novelty, question_terms

    qt = question_terms(question)
    return np.array([novelty(question, qt, s) for s in texts], dtype=np.float64).reshape(len(texts), len(NOVELTY))


def logits(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def neighbour(a, lg: np.ndarray, step: int) -> np.ndarray:
    """Stage-1 log-odds of the sentence `step` places away in the same article when it is a
    candidate, else the question's lowest (the engine sees only its candidates)."""
    at = {(s, int(i)): k for k, (s, i) in enumerate(zip(a.sources, a.index))}
    return np.array([lg[at[(s, int(i) + step)]] if (s, int(i) + step) in at else lg.min()
                     for s, i in zip(a.sources, a.index)])


def stage2_rows(a, p1: np.ndarray, extra: str) -> np.ndarray:
    lg = logits(p1)
    cols = [lg, np.asarray(a.headline, dtype=np.float64)]
    if extra == "novelty":
        cols += list(novelty_rows(a.question, a.texts).T)
    elif extra == "neighbours":
        cols += [neighbour(a, lg, -1), neighbour(a, lg, 1)]
    return np.column_stack(cols)


def by_article(asked: list, proba, extra: str, seed: int):
    """Out-of-fold stage-2 probabilities by article (with rule 7, as bot/news_stage.py scores)."""
    from sklearn.linear_model import LogisticRegression

    from bot.news_stage import C, Decided
    from bot.select import eligible

    out: dict[int, Decided] = {}
    for art in sorted({a.article for a in asked}):
        train = [a for a in asked if a.article != art and len(a.x)]
        x = np.vstack([stage2_rows(a, proba(a.x), extra) for a in train])
        y = np.concatenate([a.labels for a in train])
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(C=C, max_iter=2000, random_state=seed).fit((x - mean) / scale, y)
        for i, a in enumerate(asked):
            if a.article == art:
                p = np.zeros(0) if a.absent or not len(a.x) else \
                    lr.predict_proba((stage2_rows(a, proba(a.x), extra) - mean) / scale)[:, 1]
                ok = np.array([eligible(a.question, r) for r in a.x], dtype=bool)
                out[i] = Decided(a, np.where(ok, p, 0.0) if len(p) else p)
    return [out[i] for i in range(len(asked))]


def stage1(ext: dict, cols: list[int], seed: int):
    from bot.train import Model, fit

    m = Model(fit([x[:, cols] for x in ext["xtr"]], [g.labels for g in ext["tr"]], seed))
    return lambda x: m.proba(np.atleast_2d(x)[:, cols]) if len(x) else np.zeros(0)


def top1(asked: list, score) -> float:
    ans = [a for a in asked if a.answerable]
    return round(float(np.mean([bool(len(a.x)) and bool(a.labels[int(np.argmax(score(a)))]) for a in ans])), 3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.selection_trials", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(SPENT), help="spent news sets, comma-separated")
    args = ap.parse_args(argv)
    sets = args.sets.split(",")
    blind = refused(sets)
    if blind:
        print(f"refused: {', '.join(blind)} are blind (data/eval/BLIND)", file=sys.stderr)
        return 2
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    from bot import adapter as A
    from bot import news_stage as NS
    from bot.novelty import NOVELTY
    from bot.train import ADAPTER, TRECQA, WIKIQA, ranking
    from bot.training_data import SEED, featurize, load_trecqa, load_wikiqa, own_questions, with_negatives

    s = get_settings()
    emb = Embedder(s.embed_model, s.embed_device)
    ad = A.load(ADAPTER)
    ext = {"tr": with_negatives(load_trecqa(TRECQA / "train.csv"), SEED),
           "dv": with_negatives(load_trecqa(TRECQA / "dev.csv"), SEED + 1)}
    ext["xtr"] = featurize(ext["tr"], emb, adapt=lambda q, v: ad.oof[q])
    ext["xdv"] = featurize(ext["dv"], emb, adapt=lambda q, v: ad.apply(v))
    if (WIKIQA / "dev" / "sim.txt").exists():
        ext["wq"] = load_wikiqa(WIKIQA / "dev")
        ext["xwq"] = featurize(ext["wq"], emb, adapt=lambda q, v: ad.apply(v))
    for k, g in (("xtr", "tr"), ("xdv", "dv"), ("xwq", "wq")):
        if k in ext:
            ext[k] = [np.hstack([x, novelty_rows(gr.question, gr.sentences)]) for gr, x in zip(ext[g], ext[k])]
    asked = [a for n in sets for a in own_questions(ROOT / "data" / "eval" / f"{n}.jsonl", emb, ad.w)]
    n0 = ext["xtr"][0].shape[1] - len(NOVELTY)
    base = list(range(n0))

    print("A. stage 1 on TrecQA train: TrecQA dev MAP/MRR | WikiQA dev MAP/MRR | news top-1 of stage 1 (pooled)")
    variants = [("committed features", base)] + [(f"+ {name}", base + [n0 + i]) for i, name in enumerate(NOVELTY)] + \
        [("+ all four", base + [n0 + i for i in range(len(NOVELTY))])]
    for label, cols in variants:
        pr = stage1(ext, cols, SEED)
        news_x = lambda a: pr(np.hstack([a.x, novelty_rows(a.question, a.texts)]) if len(a.x) else a.x)  # noqa: E731
        tq = ranking(ext["dv"], [pr(x) for x in ext["xdv"]])
        wq = ranking(ext["wq"], [pr(x) for x in ext["xwq"]]) if "wq" in ext else {"map": "-", "mrr": "-"}
        print(f"  {label:22s} {tq['map']} / {tq['mrr']} | {wq['map']} / {wq['mrr']} | {top1(asked, news_x)}")

    committed = stage1(ext, base, SEED)
    print(f"B. stage 2 by article over {len(sets)} sets ({len(asked)} questions), out of fold: top-1 hit precision abstention false-abstention")
    decided = {}
    for extra in ("committed", "novelty", "neighbours"):
        decided[extra] = d = by_article(asked, committed, extra, SEED)
        thr, _ = NS.thresholds(d)
        f = NS.figures(d, thr, 1.0, 1)
        print(f"  {extra:11s} threshold {thr}: {f['top1']} {f['hit_rate']} {f['sentence_precision']} {f['abstention']} {f['false_abstention']}")

    d = decided["committed"]
    thr, _ = NS.thresholds(d)
    print(f"C. a further citation at >= r x the best's (at most 2), same probabilities, threshold {thr}: r hit precision")
    best = (1.0, NS.figures(d, thr, 1.0, 1))
    for r in RATIOS:
        f = NS.figures(d, thr, r, 2)
        print(f"  {r:4.2f} {f['hit_rate']} {f['sentence_precision']}")
        if f["sentence_precision"] is not None and f["sentence_precision"] >= MIN_PRECISION and f["hit_rate"] > best[1]["hit_rate"]:
            best = (r, f)
    print(f"  objective (max hit, precision >= {MIN_PRECISION}): "
          + ("one citation" if best[0] == 1.0 else f"r = {best[0]}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
