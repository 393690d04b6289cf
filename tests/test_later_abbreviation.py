"""Later coverage of a question naming something by its initials (bot/later.py `_asked_name_in`): a
later statement that spells the name out ("The Proceedings of the National Academy of Sciences has
struck last year's paper") names what the question asks about ("the 2019 PNAS study") — from three
letters on; "US" or "UK" spelled otherwise does not (they name where more than what). Sentences
invented."""

from __future__ import annotations

import pytest

from bot.later import Surroundings, _asked_name_in
from bot.select import Scored
from ingest.records import StoredSentence


def _scored(text: str, names: float = 0.0) -> Scored:
    s = StoredSentence(id="later#1", source="later", index=1, start=0, end=len(text), text=text, published="2020-07-11")
    return Scored(sentence=s, dense=0.5, lex=0.2, names=names, score=0.1)


@pytest.mark.parametrize("names,text", [
    (["tjmr"], "The Tarvian Journal of Medical Research has struck last year's night-shift paper from its record."),
    (["vbfr", "velm"], "The Velm Board of Financial Review withdrew its pension fund audit on Monday."),
    (["nsf"], "The National Science Foundation has asked for its grant back."),
])
def test_initials_spelled_out_name_what_the_question_asks(names, text):
    assert _asked_name_in(_scored(text), names, Surroundings())


@pytest.mark.parametrize("names,text", [
    (["us", "libya"], "The United States lists three other countries."),  # two letters: not read as initials
    (["tjmr"], "The journal has struck last year's night-shift paper from its record."),
    (["tarvia", "march"], "The jobless rate in Osk for March was revised up."),
])
def test_what_does_not_name_it(names, text):
    assert not _asked_name_in(_scored(text, names=0.5 if "march" in names else 0.0), names, Surroundings())
