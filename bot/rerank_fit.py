"""`python -m bot.train_cross --stack`: fit the rerank stage's combination (bot/rerank.py) and
measure the cross-encoder three ways; writes the "stack" and "ranking" sections of
bot/fitted/cross/card.json.

Protocol. The cross-encoder was trained on TrecQA train, WikiQA train and spent news sets (the
card's `hyper["news"]`; by default news-heldout3 … news-heldout8, bot/train_cross.py NEWS_TRAIN),
never on OWN_DEV. The stack — a
logistic regression over [fitted scorer's log-odds, cross-encoder logit] — is fitted on data the
cross-encoder never saw: our own dev news questions as the engine retrieves them (news,
news-heldout, news-heldout2: bot/training_data.py OWN_DEV, the sets the scorer's stage 2 is fitted
on), each article's questions scored by a stack fitted on the other articles. From those
out-of-fold probabilities come, as for the scorer (bot/news_stage.py): how many candidates to
reread (TOPS: the smallest whose out-of-fold top-1 is within one question of the best — each
reread sentence costs a model pass), the answer threshold (at most 5 % of answerable dev questions
declined), the further-citation ratio and the citation cap. The final stack is then fitted on all
of them. Last, the gate (which questions are reread at all, bot/rerank.py): each question decided
out of fold — by the stack when its scorer runner-up is within the gate of its best, by the
scorer's own values otherwise — GATES are tried and the largest is kept whose hits and declined
unanswerable questions each stay within one of rereading every question (fewest model passes for
the same answers; `fit_gate`). TrecQA dev and WikiQA dev, never fitted on by either model or the stack, get MAP/MRR for
the fitted scorer, the cross-encoder alone and the stack (every candidate reread, and only `top`).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np

from .news_stage import Decided, citation_cap, figures, thresholds
from .rerank import STACK_FEATURES, stack_rows, top_indices
from .training_data import OWN_DEV, SEED, Asked, sha256

# Candidates the stack may reread, tried on our dev questions (the engine's retrieval gives 40).
TOPS = (3, 5, 10)
# Gates tried (reread when runner-up >= gate x best): a grid over the whole range, 0 = every question.
GATES = tuple(round(0.05 * k, 2) for k in range(21))


def _fit(p: list[np.ndarray], cross: list[np.ndarray], labels: list[np.ndarray]) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.column_stack([np.concatenate(c) for c in zip(*[stack_rows(a, b) for a, b in zip(p, cross)])])
    lr = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED).fit(x, np.concatenate(labels))
    return {"coef": [round(float(v), 6) for v in lr.coef_[0]], "intercept": round(float(lr.intercept_[0]), 6)}


def _proba(params: dict, p: np.ndarray, cross: np.ndarray) -> np.ndarray:
    z = np.column_stack(stack_rows(p, cross)) @ np.array(params["coef"]) + params["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def _engine_p(params: dict, a: Asked, p: np.ndarray, cross: np.ndarray, top: int) -> np.ndarray:
    """What the engine's rerank gives this question: the stack on the `top` best, 0 elsewhere, 0
    where rule 7 rules the sentence out; nothing when rule 1 abstains."""
    from .select import eligible

    if a.absent or not len(p):
        return np.zeros(0)
    idx = top_indices(p, top)
    out = np.zeros(len(p))
    out[idx] = _proba(params, p[idx], cross[: len(idx)])
    ok = np.array([eligible(a.question, row) for row in a.x], dtype=bool)
    return np.where(ok, out, 0.0)


def asked(scorer, embedder, sets=OWN_DEV) -> list[tuple[Asked, np.ndarray]]:
    """Each dev question as the engine retrieves it, with its candidates' scorer probabilities."""
    from .training_data import own_questions

    return [(a, scorer.final(a.x, a.headline) if len(a.x) else np.zeros(0))
            for path in sets for a in own_questions(path, embedder, scorer.adapter)]


def collect(ce, rows: list[tuple[Asked, np.ndarray]], most: int = max(TOPS)) -> list[tuple[Asked, np.ndarray, np.ndarray]]:
    """Adds the cross-encoder's logits of each question's `most` best candidates (scorer order)."""
    out = []
    for a, p in rows:
        idx = top_indices(p, most)
        out.append((a, p, ce.logits(a.question, [a.texts[i] for i in idx]) if len(idx) else np.zeros(0)))
    return out


def by_article(rows, top: int) -> list[Decided]:
    arts = sorted({a.article for a, _, _ in rows})
    out: dict[int, Decided] = {}
    for art in arts:
        train = [(a, p, c) for a, p, c in rows if a.article != art and len(p)]
        params = _fit(*zip(*[(p[top_indices(p, top)], c[:top], np.asarray(a.labels)[top_indices(p, top)])
                             for a, p, c in train]))
        for i, (a, p, c) in enumerate(rows):
            if a.article == art:
                out[i] = Decided(a, _engine_p(params, a, p, c, top))
    return [out[i] for i in range(len(rows))]


def fit_gate(rows, decided: list[Decided], stack: dict, scorer, seed: int = SEED,
             own: list[Decided] | None = None) -> tuple[float, dict[str, dict[str, float]]]:
    """The largest gate in GATES at which these questions' hits and declined unanswerable questions
    each stay within one of rereading every question; with each gate's figures. Every decision is
    out of fold: the stack's where the gate rereads (`decided`), the scorer's stage 2 refitted
    without the question's article elsewhere (bot/news_stage.py `cross_validate`), as the engine
    decides with the scorer's own threshold, ratio and cap. The gate reads the committed scorer's
    probabilities, as the engine does. Questions rule 1 declines, or with no candidates, never reach
    the stage (bot/select.py checks rule 1 first) and count in no share. `own`: the scorer's
    out-of-fold decisions when already computed."""
    from .news_stage import choose, cross_validate

    from .rerank import Stack

    own = own if own is not None else cross_validate([a for a, _, _ in rows], scorer, seed)
    trials: dict[str, dict[str, float]] = {}
    for g in GATES:
        st = Stack(stack["top"], (0.0, 0.0), 0.0, stack["threshold"], stack["cite_ratio"], stack["max_citations"], g)
        hit = declined = reread = reach = 0
        for (a, p, _), d, o in zip(rows, decided, own):
            if a.absent or not len(p):
                continue
            reach += 1
            if st.unsure(p):
                reread += 1
                picks = choose(d.p, st.threshold, st.cite_ratio)[:st.max_citations]
            else:
                picks = choose(o.p, scorer.threshold, scorer.cite_ratio)[:scorer.max_citations]
            hit += a.answerable and any(a.labels[j] for j in picks)
            declined += not a.answerable and not picks
        trials[f"{g:.2f}"] = {"hits": int(hit), "declined_unanswerable": int(declined),
                              "reread": round(reread / max(1, reach), 3)}
    every = trials[f"{GATES[0]:.2f}"]
    gate = max(g for g in GATES if trials[f"{g:.2f}"]["hits"] >= every["hits"] - 1
               and trials[f"{g:.2f}"]["declined_unanswerable"] >= every["declined_unanswerable"] - 1)
    return gate, trials


def fit_stack(rows, scorer=None) -> dict:
    trials = {}
    for top in TOPS:
        decided = by_article(rows, top)
        t, r = thresholds(decided)
        cap = citation_cap(decided, t, r)
        trials[top] = (decided, t, r, cap, figures(decided, t, r, cap))
    n = sum(a.answerable for a, _, _ in rows)
    best = max(f["top1"] for *_, f in trials.values())
    top = min(k for k, (*_, f) in trials.items() if f["top1"] >= best - 1.0 / n)
    decided, t, r, cap, _ = trials[top]
    params = _fit(*zip(*[(p[top_indices(p, top)], c[:top], np.asarray(a.labels)[top_indices(p, top)])
                         for a, p, c in rows if len(p)]))
    gate, gates = (0.0, {}) if scorer is None else fit_gate(
        rows, decided, {"top": top, "threshold": t, "cite_ratio": r, "max_citations": cap}, scorer)
    return {"features": list(STACK_FEATURES), **params, "top": top, "threshold": t, "cite_ratio": r,
            "max_citations": cap, "gate": gate, "gates": gates,
            "fitted_on": {str(p.relative_to(p.parents[2])): sha256(p) for p in OWN_DEV},
            "by_article": {str(k): v[4] for k, v in trials.items()}}


def external(ce, scorer, embedder, stack: dict) -> dict:
    """MAP/MRR on the validation splits, three ways (and the engine's top-`top` rerank)."""
    from . import train as T
    from .train_cross import clean

    splits = {"trecqa_dev": T.load_trecqa(T.TRECQA / "dev.csv")}
    if (T.WIKIQA / "dev" / "sim.txt").exists():
        splits["wikiqa_dev"] = T.load_wikiqa(T.WIKIQA / "dev")
    out = {}
    for name, groups in splits.items():
        xs = T.featurize(groups, embedder, adapt=lambda q, v: scorer.adapt(v))
        ps = [scorer.final(x, np.zeros(len(x))) for x in xs]
        cs = [ce.logits(clean(g.question), [clean(s) for s in g.sentences]) for g in groups]
        both = [_proba(stack, p, c) for p, c in zip(ps, cs)]
        top = []
        for p, c in zip(ps, cs):
            idx, s = top_indices(p, stack["top"]), np.asarray(p) * 1e-3  # the rest: below, in scorer order
            s[idx] = 1.0 + _proba(stack, p[idx], c[idx])
            top.append(s)
        out[name] = {"fitted_scorer": T.ranking(groups, [scorer.proba(x) for x in xs]),
                     "cross_alone": T.ranking(groups, cs), "stack_all": T.ranking(groups, both),
                     f"stack_top{stack['top']}": T.ranking(groups, top)}
    return out


def main(folder: Path, cache: Path | None = None) -> int:
    from ingest.embed import Embedder

    from .crossenc import load
    from .scorer import cached

    scorer, embedder = cached(), Embedder()
    if cache is not None and cache.exists():
        got = pickle.loads(cache.read_bytes())
    else:
        got = asked(scorer, embedder)
        if cache is not None:
            cache.write_bytes(pickle.dumps(got))
    ce = load(folder)  # what the engine runs (the int8 ONNX graph when it can be made), so the stack fits its logits
    rows = collect(ce, got)
    stack = fit_stack(rows, scorer)
    print(json.dumps(stack["by_article"]), "top", stack["top"], "gate", stack["gate"], flush=True)
    card_path = folder / "card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["stack"] = stack
    card["ranking"] = external(ce, scorer, embedder, stack)
    card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(card["ranking"], indent=1))
    return 0
