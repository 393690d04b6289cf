"""The rerank stage's gate is fitted by a stated rule (bot/rerank_fit.py `fit_gate`): each question
decided by the stack where the gate rereads it and by the scorer elsewhere, the largest gate kept
whose hits and declined unanswerable questions stay within one of rereading every question, and the
share reread counted over the questions that reach the stage (rule 1 and empty pools never do).

Why: the gate decides which questions pay three model passes; a miscounted share or a rule applied
to the wrong decisions would move the engine's answers without anyone seeing it."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bot.news_stage import Decided
from bot.rerank_fit import GATES, fit_gate
from bot.training_data import Asked


def _asked(question: str, labels: list[int], answerable: bool = True, absent: bool = False) -> Asked:
    n = len(labels)
    return Asked(question, answerable, np.zeros((n, 1)), labels, absent, np.arange(n), np.zeros(n, bool), labels, "a")


def test_the_largest_gate_within_one_question_is_kept_and_shares_count_only_questions_that_reach_it() -> None:
    scorer = SimpleNamespace(threshold=0.2, cite_ratio=1.0, max_citations=1)
    stack = {"top": 3, "threshold": 0.2, "cite_ratio": 1.0, "max_citations": 1}
    rows, stacked, own = [], [], []

    def add(a: Asked, p: list[float], by_stack: list[float], by_scorer: list[float]) -> None:
        rows.append((a, np.array(p), np.zeros(3)))
        stacked.append(Decided(a, np.array(by_stack)))
        own.append(Decided(a, np.array(by_scorer)))

    # Close call (runner-up at 0.94 of the best): the stack finds the answer, the scorer does not.
    add(_asked("close", [0, 1]), [0.5, 0.47], [0.3, 0.6], [0.5, 0.47])
    # Another at 0.7 of the best: the same.
    add(_asked("closer", [0, 1]), [0.5, 0.35], [0.3, 0.6], [0.5, 0.35])
    # Clear (runner-up at 0.1): both right.
    add(_asked("clear", [1, 0]), [0.8, 0.08], [0.9, 0.1], [0.8, 0.08])
    # Unanswerable, runner-up at 0.65: the stack declines it, the scorer answers it.
    add(_asked("none", [0, 0], answerable=False), [0.4, 0.26], [0.1, 0.05], [0.4, 0.26])
    # Rule 1 and an empty pool: never reach the stage, counted in no share.
    add(_asked("absent", [1, 0], absent=True), [0.5, 0.5], [0.9, 0.1], [0.9, 0.1])
    add(_asked("empty", []), [], [], [])

    gate, trials = fit_gate(rows, stacked, stack, scorer, own=own)
    assert trials["0.00"] == {"hits": 3, "declined_unanswerable": 1, "reread": 1.0}  # the 4 that reach it
    assert trials["0.60"] == {"hits": 3, "declined_unanswerable": 1, "reread": 0.75}  # all but "clear"
    assert trials["0.80"] == {"hits": 2, "declined_unanswerable": 0, "reread": 0.25}  # "close" only
    assert trials["1.00"] == {"hits": 1, "declined_unanswerable": 0, "reread": 0.0}
    # Within one of rereading every question on both counts: the largest such gate still rereads "close".
    assert gate == 0.9 and trials["0.95"]["hits"] == 1
