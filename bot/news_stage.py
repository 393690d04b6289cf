"""The scorer's second stage and the answer thresholds, fitted on our own news dev questions as the
engine retrieves them (used by `python -m bot.train`).

Why a second stage: the external sets (TrecQA, WikiQA) are lists of candidate sentences without an
article around them, so they cannot teach what a sentence's place says. A headline restates its
whole story in few words and stage 1 (fitted on TrecQA) rates it like an answer. Stage 2 is a
logistic regression over stage 1's log-odds and the headline flag (bot/scorer.py NEWS_FEATURES).

Tried and dropped (README "Answer selection"): the lead sentence and the position in the article
raised top-1 by article on news dev (0.58 → 0.66) but lowered it on the earlier sets, written by
other hands and never fitted on (multisource 1.0 → 0.63, later 0.58 → 0.42) — the dev set's writer
rarely asks what the lead says, a habit of one writer, not of news. Re-weighing stage 1's focus,
rarest-focus-word, answer-type and name features on news separated answerable from unanswerable
questions better on the earlier sets but not on news dev by article, where abstention at the same
false-abstention rate fell (0.56 → 0.31).

Everything here is measured honestly by article: `cross_validate` fits on the other articles and
scores the held-out one, and the thresholds are chosen on those out-of-fold probabilities, so the
figures written to the fitted file are cross-validated by article, not fitted-and-scored on the same
questions. The same data then fits the model the engine loads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .scorer import NEWS_FEATURES, news_rows, standard_logistic
from .training_data import Asked

# Abstention: the threshold is the highest probability at which at most this share of our dev
# questions that do have an answer are declined (issue 11's bar for false abstention).
TARGET_FALSE_ABSTENTION = 0.05
# Further citations: quoted only where such runners-up are right at least this often on our dev
# questions (out of fold): more likely right than wrong.
FURTHER_PRECISION = 0.5
# L2 strength of the stage-2 logistic regression (scikit-learn's default C); not tuned.
C = 1.0


@dataclass
class Decided:
    """One question's stage-2 probabilities (empty when the engine abstains whatever they are:
    no candidates, or rule 1, a name no source mentions)."""

    asked: Asked
    p: np.ndarray


def rows(a: Asked, stage1) -> np.ndarray:
    return news_rows(stage1.proba(a.x), a.headline, a.x)


def fit(asked: list[Asked], stage1, seed: int) -> dict:
    """Stage 2 on these questions' candidates (standardised logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    use = [a for a in asked if len(a.x)]
    x = np.vstack([rows(a, stage1) for a in use])
    y = np.concatenate([np.asarray(a.labels, dtype=int) for a in use])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000, random_state=seed).fit((x - mean) / scale, y)
    return {"features": list(NEWS_FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": lr.coef_[0].round(6).tolist(), "intercept": round(float(lr.intercept_[0]), 6), "C": C}


def apply(params: dict, a: Asked, stage1) -> np.ndarray:
    return standard_logistic(rows(a, stage1), params["mean"], params["scale"], params["coef"], params["intercept"])


def cross_validate(asked: list[Asked], stage1, seed: int) -> list[Decided]:
    """Out-of-fold stage-2 probabilities: each article's questions scored by a model fitted on the
    other articles' questions. A sentence the engine's rule 7 rules out (a question asking for a
    number, time or place, a sentence holding none) gets probability 0, as it never answers."""
    from .select import eligible

    out: dict[int, Decided] = {}
    for art in sorted({a.article for a in asked}):
        params = fit([a for a in asked if a.article != art], stage1, seed)
        for i, a in enumerate(asked):
            if a.article == art:
                p = np.zeros(0) if a.absent or not len(a.x) else apply(params, a, stage1)
                ok = np.array([eligible(a.question, row) for row in a.x], dtype=bool)
                out[i] = Decided(a, np.where(ok, p, 0.0) if len(p) else p)
    return [out[i] for i in range(len(asked))]


def choose(p: np.ndarray, threshold: float, ratio: float) -> list[int]:
    """The engine's decision on one question's probabilities (bot/select.py, before its rules 2–5):
    the best when it reaches the threshold, and each further sentence at ≥ ratio × the best's."""
    if not len(p) or p.max() < threshold:
        return []
    order = np.argsort(-p, kind="stable")
    floor = max(threshold, ratio * p[order[0]])
    return [int(order[0])] + [int(j) for j in order[1:] if p[j] >= floor]


def citation_cap(decided: list[Decided], threshold: float, ratio: float) -> int:
    """How many sentences an answer quotes at most: the largest k such that, on our dev
    questions (out of fold), the sentence quoted in each place 2..k was right at least
    FURTHER_PRECISION of the time — the same bar as the further-citation ratio, by position (a
    fourth citation is rarer and more often wrong than a second)."""
    by_place: dict[int, list[int]] = {}
    for d in decided:
        if d.asked.answerable:
            for k, j in enumerate(choose(d.p, threshold, ratio)[1:], 2):
                by_place.setdefault(k, []).append(d.asked.good[j])
    cap = 1
    while cap + 1 in by_place and np.mean(by_place[cap + 1]) >= FURTHER_PRECISION:
        cap += 1
    return cap


def figures(decided: list[Decided], threshold: float, ratio: float, max_citations: int) -> dict[str, float]:
    """Hit rate, sentence precision, abstention and false abstention, as `factdesk eval` counts them."""
    hit = cited = right = declined = false_abst = n_ans = n_un = top1 = 0
    for d in decided:
        picks = choose(d.p, threshold, ratio)[:max_citations]
        if d.asked.answerable:
            n_ans += 1
            hit += any(d.asked.labels[j] for j in picks)
            cited += len(picks)
            right += sum(d.asked.good[j] for j in picks)
            false_abst += not picks
            top1 += bool(len(d.p)) and bool(d.asked.labels[int(np.argmax(d.p))])
        else:
            n_un += 1
            declined += not picks
    r = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {"hit_rate": r(hit, n_ans), "sentence_precision": r(right, cited), "abstention": r(declined, n_un),
            "false_abstention": r(false_abst, n_ans), "top1": r(top1, n_ans), "questions": n_ans + n_un}


def thresholds(decided: list[Decided]) -> tuple[float, float]:
    """The answer threshold: the highest probability at which at most TARGET_FALSE_ABSTENTION of
    the answerable questions are declined. The further-citation ratio: the lowest ratio to the best
    probability (among those that occur) at which the further sentences it quotes are right at
    least FURTHER_PRECISION of the time — a further citation more likely right than wrong: it
    raises the hit rate when the best sentence is not the answer and costs little precision."""
    best = sorted(float(d.p.max()) if len(d.p) else -1.0 for d in decided if d.asked.answerable)
    allowed = int(TARGET_FALSE_ABSTENTION * len(best))
    # Rounded down, so rounding never declines one more question than the target allows.
    threshold = math.floor(max(0.0, best[allowed] if allowed < len(best) else 0.0) * 1e4) / 1e4
    further: list[tuple[float, int]] = []  # (ratio to the best, right) of every runner-up that passes
    for d in decided:
        if d.asked.answerable and len(d.p) > 1 and d.p.max() >= threshold:
            order = np.argsort(-d.p, kind="stable")
            for j in order[1:]:
                if d.p[j] >= threshold:
                    further.append((float(d.p[j] / d.p[order[0]]), int(d.asked.good[j])))
    further.sort(key=lambda t: -t[0])
    ratio, right = 1.0, 0
    for n, (r, ok) in enumerate(further, 1):
        right += ok
        last_of_ties = n == len(further) or further[n][0] < r  # a ratio quotes every runner-up at it
        if last_of_ties and right / n >= FURTHER_PRECISION:
            ratio = r
    return threshold, round(math.floor(ratio * 1e3) / 1e3, 3) if ratio < 1.0 else 1.0
