"""The scorer's second stage and the fitted answer thresholds (bot/news_stage.py): the headline
flag is read, the thresholds meet their stated targets on the probabilities they were chosen on,
and a further sentence is quoted only by the fitted ratio."""

from __future__ import annotations

import json

import numpy as np

from bot import news_stage as NS
from bot.scorer import FITTED, NEWS_FEATURES, load, news_rows
from bot.training_data import Asked


def _asked(labels: list[int], answerable: bool = True, article: str = "a") -> Asked:
    n = len(labels)
    return Asked("q", answerable, np.zeros((n, 0)), labels, False, np.arange(n), np.zeros(n, bool), labels, article)


def test_stage_two_lowers_a_headline_against_a_body_sentence_stage_one_rates_alike():
    s = load()
    assert s.stage2 is not None and NEWS_FEATURES == ("logit", "headline")
    x = np.zeros((2, len(s.mean))) + s.mean  # two identical feature rows
    p = s.final(x, np.array([True, False]))
    assert p[0] < p[1] and 0.0 < p[0] < 1.0
    assert news_rows(np.array([0.5]), np.array([1]), x[:1]).tolist() == [[0.0, 1.0]]


def test_threshold_declines_at_most_the_stated_share_of_answerable_questions():
    rng = np.random.default_rng(0)
    decided = [NS.Decided(_asked([1, 0, 0]), rng.uniform(0, 1, 3)) for _ in range(100)]
    decided += [NS.Decided(_asked([0, 0, 0], answerable=False), rng.uniform(0, 0.5, 3)) for _ in range(20)]
    t, ratio = NS.thresholds(decided)
    declined = sum(1 for d in decided if d.asked.answerable and d.p.max() < t)
    assert declined <= NS.TARGET_FALSE_ABSTENTION * 100 and t > 0.0
    f = NS.figures(decided, t, ratio, NS.citation_cap(decided, t, ratio))
    assert f["false_abstention"] <= NS.TARGET_FALSE_ABSTENTION and f["questions"] == 120


def test_further_citation_ratio_quotes_runners_up_only_when_they_are_mostly_right():
    # Runners-up close to the best (ratio 0.94) are right in 4 questions; far ones (ratio 0.5) are
    # wrong in 10: quoting those too would make further citations right 4 times in 14.
    close = [NS.Decided(_asked([0, 1]), np.array([0.9, 0.85])) for _ in range(4)]
    far = [NS.Decided(_asked([1, 0]), np.array([0.9, 0.45])) for _ in range(10)]
    low = [NS.Decided(_asked([1]), np.array([0.05])) for _ in range(30)]  # keep the threshold low
    t, ratio = NS.thresholds(close + far + low)
    assert t <= 0.05 and 0.5 < ratio <= 0.85 / 0.9
    assert NS.choose(np.array([0.9, 0.85, 0.45]), t, ratio) == [0, 1]
    assert NS.thresholds(far + low)[1] == 1.0  # never right: only the best is quoted


def test_fitted_file_records_cross_validated_dev_figures():
    d = json.loads(FITTED.read_text(encoding="utf-8"))
    cv = d["validation"]["news_dev_by_article"]
    assert cv["questions"] == 367 and cv["false_abstention"] <= d["target_false_abstention"]
    assert [t.split(" ")[0] for t in d["training_data"]["stage2"]] == [
        "data/eval/news.jsonl", "data/eval/news-heldout.jsonl", "data/eval/news-heldout2.jsonl"]
    assert 1 <= d["max_citations"] <= 4


def test_citation_cap_stops_where_further_citations_turn_mostly_wrong():
    """Second citations right 3 times in 4, third ones never: at most two sentences are quoted."""
    ok = [NS.Decided(_asked([1, 1, 0]), np.array([0.9, 0.89, 0.88])) for _ in range(3)]
    bad = [NS.Decided(_asked([1, 0, 0]), np.array([0.9, 0.89, 0.88]))]
    assert NS.citation_cap(ok + bad, 0.5, 0.9) == 2
    assert NS.citation_cap(bad, 0.5, 0.9) == 1
