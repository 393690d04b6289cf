"""The ninth session's selection trials (benchmarks/selection_trials.py, bot/novelty.py): what a
sentence adds to its question, neighbours in the same article, and the refusal of blind sets.
No model is loaded: these read texts and small arrays only."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import benchmarks.blind as blind
from benchmarks import selection_trials as T
from bot.novelty import NOVELTY, new_kind, novelty, question_terms


def row(question: str, text: str) -> dict[str, float]:
    return dict(zip(NOVELTY, novelty(question, question_terms(question), text)))


def test_the_answer_adds_what_the_restating_lead_does_not():
    q = "What was Tiger Woods's winning score at the Masters?"
    lead = row(q, "Tiger Woods won the Masters.")
    answer = row(q, "He finished at 13 under par, a total of 275, two shots clear of the field.")
    assert lead["new_number"] == 0.0 and answer["new_number"] == 1.0
    assert lead["new_terms"] < answer["new_terms"]
    assert lead["new_name"] == 0.0  # every name of the lead is the question's


def test_a_number_or_date_the_question_already_holds_is_not_new():
    q = "How many people died in the 2015 earthquake?"
    assert not new_kind(q, "The 2015 earthquake struck Nepal.")
    assert new_kind(q, "The 2015 earthquake killed more than 8,000 people.")
    w = "When did the election of 2019 take place?"
    assert not new_kind(w, "The 2019 election was close.")
    assert new_kind(w, "Voters went to the polls in May 2019.")
    who = "Who replaced Mugabe?"
    assert not new_kind(who, "Mugabe resigned on Tuesday.")
    assert new_kind(who, "Emmerson Mnangagwa was sworn in as president.")


def test_a_question_without_an_answer_kind_has_no_new_kind():
    assert not new_kind("Why did the guard open the gate?", "Jäger ordered his men to raise the barrier in 1989.")


def test_neighbour_reads_the_adjacent_sentence_of_the_same_article_only():
    a = SimpleNamespace(sources=["a", "a", "b", "a"], index=np.array([1, 2, 3, 5]))
    lg = np.array([2.0, -1.0, 0.5, -3.0])
    prev = T.neighbour(a, lg, -1)
    # sentence a:2 follows a:1; b:3 has no b:2 among the candidates; a:5 has no a:4
    assert prev.tolist() == [-3.0, 2.0, -3.0, -3.0]
    assert T.neighbour(a, lg, 1).tolist() == [-1.0, -3.0, -3.0, -3.0]


def test_stage2_rows_widen_by_the_trial_features():
    a = SimpleNamespace(question="How many miners were trapped?", texts=["Thirty-three miners were trapped.", "Rescue began."],
                        headline=np.array([False, True]), sources=["s", "s"], index=np.array([0, 1]))
    p = np.array([0.9, 0.1])
    assert T.stage2_rows(a, p, "committed").shape == (2, 2)
    assert T.stage2_rows(a, p, "novelty").shape == (2, 2 + len(NOVELTY))
    assert T.stage2_rows(a, p, "neighbours").shape == (2, 4)
    assert np.allclose(T.stage2_rows(a, p, "committed")[:, 0], np.log([9.0, 1 / 9.0]))


def test_blind_sets_are_refused_before_anything_loads(tmp_path, monkeypatch, capsys):
    listed = tmp_path / "BLIND"
    listed.write_text("news-heldout3\n", encoding="utf-8")
    monkeypatch.setattr(blind, "LIST", listed)
    assert T.main(["--sets", "news,news-heldout3"]) == 2
    assert "news-heldout3" in capsys.readouterr().err
