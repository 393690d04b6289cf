"""A country is one name however the sources spell it (ingest/corrections/demonyms.py `country_forms`,
bot/names.py `named_country_in`): a question naming "the US" over a story about "the American
economy" is answered; a country no source spells in any form is
still absent (rule 1). Sources invented for this test."""

from __future__ import annotations

import pytest

from bot.names import named_country_in
from bot.select import absent_names
from ingest.corrections.demonyms import country_forms
from tests.conftest import story_engine

STORY = """---
id: velm-economy
title: Economy Slows in Winter
published: 2024-05-01
---
Economy Slows in Winter

The American economy grew at an annual rate of 0.4 percent in the first three months of the year, the Commerce Department said on Wednesday.

Economists blamed a harsh winter and weaker exports to Australian buyers.

Exports of wheat rose 3 percent.
"""
TEXTS = [line for line in STORY.split("---")[-1].splitlines() if line.strip()]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    return story_engine(tmp_path_factory.mktemp("country"), embedder, {"velm.md": STORY})


def test_a_countrys_spellings_are_one_name():
    assert {"us", "united states", "american"} <= country_forms("U.S.")
    assert country_forms("Australia") == country_forms("australians")
    assert country_forms("Paris") == frozenset()
    assert named_country_in("US", ["The American economy grew."])
    assert named_country_in("Australia", ["weaker exports to Australian buyers"])
    assert not named_country_in("US", ["Tell us more about it."])  # the pronoun is not the country
    assert not named_country_in("UK", ["The American economy grew."])


@pytest.mark.parametrize("question", ["how did the US economy do in the first quarter?",
                                      "How fast did the U.S. economy grow in the first three months?",
                                      "how much did the united states economy grow in the first quarter"])
def test_a_question_naming_the_country_otherwise_is_answered(engine, question):
    assert absent_names(question, engine.stats, TEXTS) == []
    ans = engine.ask(question)
    assert ans.answered and "American economy" in ans.citations[0].text


@pytest.mark.parametrize("question,name", [("how did the UK economy do in the first quarter?", "UK"),
                                           ("how much wheat did britain export?", "Britain")])
def test_a_country_spelled_in_no_form_is_still_absent(engine, question, name):
    assert name in absent_names(question, engine.stats, TEXTS)
    assert not engine.ask(question).answered
