"""Rerank stage (FACTDESK_RERANK=cross): the cross-encoder (bot/crossenc.py) rereads the fitted
scorer's best candidates with the question and the two opinions are combined into the answer
probability.

Why a combination, not the cross-encoder alone: it was trained on TrecQA and WikiQA, lists of
sentences without an article around them, and its logit is not a calibrated probability. A
logistic regression over [the scorer's log-odds, the cross-encoder's logit], fitted on our own dev
news questions as the engine retrieves them (`python -m bot.train_cross --stack`,
bot/rerank_fit.py; cross-validated by article), turns both into the probability the engine
thresholds and shows as the citation's `score`. How many candidates are reread (`top`), the answer
threshold, the further-citation ratio and the citation cap come from the same fit and are stored in
`bot/fitted/cross/card.json` ("stack"); candidates below `top` are not reread and get probability 0
(they can be context, never the answer). Nothing here is a hand-set constant.

Why a gate: a question the scorer is sure of gains little from a second opinion, and each reread
pair is a model pass (~4 ms here). The stage rereads a question only when the scorer's runner-up
is within `gate` of its best (second ≥ gate × first); otherwise the scorer's own probabilities and
decision values stand for that question. The gate is fitted with the stack (bot/rerank_fit.py
`fit_gate`: the largest whose out-of-fold hits and declined unanswerable questions on our dev
questions each stay within one of rereading every question); a card without one (gate 0) rereads
every question, as before.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import crossenc

log = logging.getLogger(__name__)

STACK_FEATURES = ("scorer_logit", "cross_logit")


@dataclass(frozen=True)
class Stack:
    """The fitted combination and the decision values that go with its probability."""

    top: int
    coef: tuple[float, float]
    intercept: float
    threshold: float
    cite_ratio: float
    max_citations: int
    gate: float = 0.0  # reread when second >= gate x first (the scorer's probabilities); 0: every question

    def unsure(self, p_scorer: np.ndarray) -> bool:
        """The scorer's runner-up is within the gate of its best: the question is reread."""
        if self.gate <= 0.0:
            return True
        p = np.sort(np.asarray(p_scorer, dtype=np.float64))[::-1]
        return len(p) > 1 and p[0] > 0.0 and p[1] >= self.gate * p[0]

    @classmethod
    def from_card(cls, d: dict) -> Stack:
        if tuple(d.get("features", ())) != STACK_FEATURES:
            raise ValueError("its stack reads other inputs than this code computes; run `python -m bot.train_cross --stack`")
        return cls(int(d["top"]), (float(d["coef"][0]), float(d["coef"][1])), float(d["intercept"]),
                   float(d["threshold"]), float(d["cite_ratio"]), int(d["max_citations"]), float(d.get("gate", 0.0)))

    def proba(self, p_scorer: np.ndarray, cross: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(np.column_stack(stack_rows(p_scorer, cross)) @ np.array(self.coef) + self.intercept)))


def stack_rows(p_scorer: np.ndarray, cross: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stack's inputs: the scorer's log-odds and the cross-encoder's logit (training and engine)."""
    p = np.clip(np.asarray(p_scorer, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p)), np.asarray(cross, dtype=np.float64)


def top_indices(p: np.ndarray, k: int) -> np.ndarray:
    """The k best candidates by the scorer's probability (ties: candidate order)."""
    return np.argsort(-np.asarray(p), kind="stable")[:k]


class Reranker:
    """Reads the card at construction (cheap); the model itself on the first question."""

    def __init__(self, folder: Path | None = None, threads: int = 1) -> None:
        self.folder = Path(folder or crossenc.DIR)
        self.threads = threads  # settings.query_threads
        card = json.loads((self.folder / crossenc.CARD).read_text(encoding="utf-8"))
        if "stack" not in card:
            raise ValueError("no fitted stack in its card; run `python -m bot.train_cross --stack`")
        if not (self.folder / "model.safetensors").exists():
            raise FileNotFoundError("model.safetensors is missing")
        self.stack = Stack.from_card(card["stack"])

    def rescore(self, question: str, texts: list[str], p: np.ndarray) -> np.ndarray | None:
        """The stacked probability of the `top` best candidates by the scorer, 0 for the rest; None
        when the gate leaves the question to the scorer, or the model cannot load."""
        if not len(texts) or not self.stack.unsure(p):
            return None
        model = crossenc.shared(self.folder, self.threads)
        if model is None:
            return None
        out = np.zeros(len(texts))
        top = top_indices(p, self.stack.top)
        logits = model.logits(question, [texts[i] for i in top])
        out[top] = self.stack.proba(np.asarray(p)[top], logits)
        return out


def from_settings(mode: str, folder: Path | None = None, threads: int = 1) -> Reranker | None:
    """The reranker FACTDESK_RERANK asks for, or None: "off", or (with one warning line) the
    committed files are missing or unreadable — the engine then runs on the fitted scorer alone."""
    if mode != "cross":
        return None
    folder = folder or crossenc.DIR
    try:
        return Reranker(folder, threads)
    except (OSError, ValueError, KeyError) as e:
        log.warning("FACTDESK_RERANK=cross but the cross-encoder in %s cannot be used (%s); answering without it",
                    folder, str(e).splitlines()[0] if str(e) else type(e).__name__)
        return None
