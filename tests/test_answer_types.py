"""A measured quantity is a number with its unit (bot/question.py `_MEASURES`): "how cold" needs a
temperature, "what percentage" a percentage — any number in the sentence (a year, another count) is
no answer to them — and "how much did X go for" asks for money. Invented sentences."""

from __future__ import annotations

import pytest

from bot.question import fits_type


@pytest.mark.parametrize("question,answer,other", [
    ("How cold was the lake on Sunday?", "The water was about 4 degrees Celsius when the swimmers set off.",
     "About 300 swimmers set off from the pier at 9 a.m. on Sunday."),
    ("What was the temperature in Harlow?", "It reached 38°C in Harlow, a record for June.",
     "Harlow has recorded 12 heatwaves since 1990."),
    ("What percentage of voters backed the plan?", "Some 62 percent of voters backed the plan, officials said.",
     "The plan was backed in 14 of 20 districts in 2021."),
    ("What share of the company will Orland own?", "Orland will own about half of the combined company.",
     "Orland has 4,000 employees in 12 countries."),
])
def test_a_measure_needs_its_unit(question, answer, other):
    assert fits_type(question, answer)
    assert not fits_type(question, other)


def test_how_much_something_went_for_asks_for_money():
    q = "How much did the Vermeer go for at auction?"
    assert fits_type(q, "The Vermeer sold for 8.2 million pounds on Tuesday.")
    assert not fits_type(q, "The Vermeer was painted around 1660 and shown in 3 cities.")


def test_other_number_questions_keep_the_plain_number_test():
    assert fits_type("How many people attended?", "Some 4,000 people attended the opening.")
    assert fits_type("How old is the bridge?", "The bridge was built in 1891.")


@pytest.mark.parametrize("answer", [
    "The collision happened at about 1:30 a.m., when traffic on the Orrin bridge was light.",
    "The fire at the Tallis mill was first seen shortly after 6pm.",
    "The Orrin probe passed closest at 7:49 in the morning, Eastern time.",
    "Shortly before midnight the guards at the Tallis gate gave up.",
    "The vote on the Orrin contract runs from Oct. 2 to Oct. 9.",
    "The Tallis deal is expected to close in the fourth quarter.",
])
def test_a_time_of_day_or_a_short_date_answers_when(answer):
    # rule 7: a question asking when is answered only by a sentence holding a time (invented sentences)
    assert fits_type("What time did it happen?", answer)
    assert fits_type("When did it happen?", answer)


def test_a_sentence_with_no_time_still_does_not_answer_when():
    assert not fits_type("When did the Orrin bridge close?", "The Orrin bridge carries 40,000 cars, its owner said.")
    assert not fits_type("When did the Tallis mill open?", "The mill went to the Oct party, a local group.")
