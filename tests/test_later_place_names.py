"""Later coverage and the countries a question names (bot/later.py `_places`): a country named as
where or whose ("the US list", "in the United States", "Australian barley") does not tie a later
statement to the question's subject — a statement sharing only that country is another story
("the United States would add the Orsk Brigade to its list" is no news about the Velmar Front) —
while a country the question asks about ("Is Russia still …") does. Invented examples, real
embedding model."""

from __future__ import annotations

import pytest

from bot.later import Surroundings, _places, later_statements
from bot.select import Scored
from ingest.records import StoredSentence


def _sc(embedder, text: str, source: str, published: str, names: float, index: int = 1) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=0.4, names=names, score=0.3)


@pytest.mark.parametrize("question,names,places", [
    ("Is the Velmar Front on the US list of terrorist organisations?", ("velmar", "front", "us"), {"us"}),
    ("Are civilian planes still barred from flying in the United States?", ("united", "states"), {"united", "states"}),
    ("Does China still charge duties on Australian barley?", ("china", "australian"), {"australian"}),
    ("Is Russia still part of the Group of Eight?", ("russia", "group", "eight"), set()),
    ("Did Britain leave the EU?", ("britain", "eu"), set()),
    ("Did the US leave the Paris climate agreement?", ("us", "paris"), set()),
    ("Do Australians still oppose nuclear power?", ("australians",), set()),
    ("What was net migration to Britain in 2022?", ("britain",), {"britain"}),
    ("Did Harlow Motors win Britain's tank contract?", ("harlow", "motors", "britain"), {"britain"}),
])
def test_a_country_is_where_after_a_preposition_before_its_noun_or_as_an_adjective(question, names, places):
    assert _places(names, question) == frozenset(places)


QUESTION = "Is the Velmar Front on the US list of terrorist organisations?"
NAMES = ["velmar", "front", "us"]
BEFORE = "The US on Thursday designated three leaders of the Velmar Front as terrorists."
CITED = "It did not add the group itself to the State Department's list of terrorist organisations."


def _shown(embedder, other_names: float) -> list[str]:
    before = _sc(embedder, BEFORE, "a", "2012-06-22", 1.0, index=0)
    cited = _sc(embedder, CITED, "a", "2012-06-22", 0.34)
    other = _sc(embedder, "President Malvo said on Monday that the US would add the Orsk Brigade to its "
                "list of terrorist organisations.", "c", "2019-04-09", other_names)
    same = _sc(embedder, "On Wednesday the State Department designated the Velmar Front a terrorist organisation.",
               "b", "2013-11-14", 0.67)
    around = Surroundings({}, {before.sentence.id: before.sentence})
    return [s.sentence.source for s in later_statements([cited], [cited, other, same], QUESTION, NAMES, around=around)]


def test_a_later_statement_sharing_only_the_place_is_not_coverage_of_the_subject(embedder):
    # it shares "the US" with the cited claim's story, and the question names the US: but
    # as whose list, not as what is asked about
    got = _shown(embedder, 0.34)
    assert "c" not in got and "b" in got


def test_another_phrasing_a_country_as_owner(embedder):
    q, names = "Did Harlow Motors win Britain's tank contract?", ["harlow", "motors", "britain"]
    cited = _sc(embedder, "Britain said on Tuesday that Harlow Motors was the favourite for its tank contract.",
                "a", "2016-03-01", 1.0)
    other = _sc(embedder, "On Friday Britain awarded the contract for its new tanks to Dunmore Yards.",
                "c", "2018-05-04", 0.34)
    same = _sc(embedder, "Harlow Motors lost the tank contract to a German rival on Monday.", "b", "2017-02-06", 0.67)
    got = [s.sentence.source for s in later_statements([cited], [cited, other, same], q, names,
                                                       around=Surroundings({}, {}))]
    assert "c" not in got and "b" in got


def test_a_country_the_question_asks_about_still_ties_a_later_statement(embedder):
    q, names = "Is Russia still part of the Group of Eight?", ["russia", "group", "eight"]
    cited = _sc(embedder, "The Group of Eight brings together the United States, Japan, Germany, Britain, France, "
                "Italy, Canada and Russia.", "a", "2013-06-19", 1.0)
    later = _sc(embedder, "The other seven leaders said they would meet without Russia, suspending it from the "
                "Group of Eight.", "b", "2014-03-25", 1.0)
    got = [s.sentence.source for s in later_statements([cited], [cited, later], q, names, around=Surroundings({}, {}))]
    assert got == ["b"]
