"""Rule 1 with names typed in lowercase (bot/names.py): a question naming someone or something no
source mentions is not answered, whatever its capitals; a lowercase name the sources hold, and an
ordinary paraphrase word they do not, do not trigger it. Sources invented for this test."""

from __future__ import annotations

import pytest

from benchmarks.blind import EVAL, blind_sets, refused, set_name
from bot.names import NAME, ORDINARY, UNKNOWN, absent_spans, initials_in, lexicon, name_spans
from bot.select import absent_names
from tests.conftest import story_engine

STORY = """---
id: korvane-strike
title: Korvane Mining Workers Walk Out at Tallisford Pit
published: 2024-03-04
---
Korvane Mining Workers Walk Out at Tallisford Pit

About 900 miners at Korvane Mining's Tallisford pit walked out on Monday over pay and safety.

Miriam Okafor, the leader of the Tallisford miners' union, said the strike would continue until the company reopened talks.

Korvane has debts of about $40 million to its lenders, according to its latest annual report.

The company employs 2,300 people across three pits and an office in Glasgow.

Daniel Reyes, a safety inspector, visited the pit on Tuesday.

Most of the pit's coal is shipped to buyers in Russia.
"""
TEXTS = [line for line in STORY.split("---")[-1].splitlines() if line.strip()]

ABSENT = [
    ("what did sonia okafor say about the strike", "Sonia"),  # two words: Okafor is present, Sonia is not
    ("what did daniel okafor say about the strike", "daniel okafor"),  # both present, never together
    ("what did the dalai lama say about the walkout", "DALAI"),  # a name the dictionary does not know
    ("how many korvane employees work in lisbon", "Lisbon"),  # a place the dictionary writes with a capital
    ("what did vladimir putin say about the tallisford pit?", "Vladimir"),
    ("How many Lisbon-based staff does Korvane employ?", "Lisbon-based"),  # the name part is absent
]
PRESENT = [
    "what did miriam okafor say about the strike",  # a lowercase name the source holds
    "how much does korvane owe",  # "owe" is not in the source, but it is an ordinary word
    "how many people does korvane employ in glasgow",
    "what did Miriam Okafor say about the strike",  # a full name the source holds together
    "who did daniel reyes's inspectors meet at tallisford",  # a possessive ends a name
    "why didnt the tallisford miners go to work",  # a contraction typed without its apostrophe
    "how many staff were travelling to the pit",  # a British spelling the American list lacks
    "How many Glasgow-based staff does Korvane employ?",  # a hyphenated word names only its name
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    return story_engine(tmp_path_factory.mktemp("absent"), embedder, {"korvane.md": STORY})


@pytest.mark.parametrize("question,name", ABSENT)
def test_lowercase_absent_names_are_not_answered(engine, question, name):
    assert name in absent_names(question, engine.stats, TEXTS)
    ans = engine.ask(question)
    assert not ans.answered and "don't say" in ans.answer


@pytest.mark.parametrize("question", PRESENT)
def test_lowercase_present_names_and_paraphrase_words_are_not_absent(engine, question):
    assert absent_names(question, engine.stats, TEXTS) == []


def test_a_lowercase_name_the_source_holds_is_answered(engine):
    ans = engine.ask("what did miriam okafor say about the strike")
    assert ans.answered and "Miriam Okafor" in ans.citations[0].text


# A date is a time, not a name: the story is dated 4 March 2024 and writes no month out ("on Monday").
DATED = [
    "How many miners walked out at Tallisford on March 4, 2024?",  # the day of a written date is not looked up
    "Did the Tallisford miners strike in March 2024?",  # a month a source is dated in
    "What did the union say on 4 March about the strike?",
    "Did Korvane's miners walk out in February?",  # a story reports the month before's last days
]
UNDATED = [
    ("Did the Tallisford miners strike in July 2024?", "July"),  # no source dated then
    ("Did the Tallisford miners strike in March 2019?", "March"),  # the month, but not of that year
    ("What did Theresa May say about the strike?", "Theresa"),  # "May" beside no day or year is a name
]


@pytest.mark.parametrize("question", DATED)
def test_a_date_the_sources_are_dated_in_is_not_an_absent_name(engine, question):
    assert absent_names(question, engine.stats, TEXTS) == []


@pytest.mark.parametrize("question,name", UNDATED)
def test_a_month_no_source_is_dated_in_is_still_absent(engine, question, name):
    assert name in absent_names(question, engine.stats, TEXTS)


def test_a_dated_question_is_answered(engine):
    ans = engine.ask("How many miners walked out at Korvane's Tallisford pit on March 4, 2024?")
    assert ans.answered and "900 miners" in ans.citations[0].text


NEW_YEAR = """---
id: vessa-flood
title: Floods Close the Vessa Bridge
published: 2016-01-02
---
Floods Close the Vessa Bridge

The Vessa bridge closed on Thursday after the river rose two metres overnight.
"""


def test_the_year_of_a_december_date_reported_in_january_is_held(tmp_path, embedder):
    # Only a story of 2 January 2016 reports the last day of 2015: "December" and its "2015" are both
    # times the sources cover, though no source is dated 2015.
    flood = story_engine(tmp_path, embedder, {"vessa.md": NEW_YEAR})
    assert absent_names("Did the Vessa bridge close on December 31, 2015?", flood.stats, []) == []
    assert absent_names("Did the Vessa bridge close in December 2014?", flood.stats, []) == ["December", "2014"]


def test_a_country_is_held_however_the_index_spells_it(engine):
    # No candidate text given: only the index's terms can hold the country ("Russia" for "Russian").
    assert absent_names("Who buys Korvane's coal on the Russian market?", engine.stats, []) == []
    assert absent_names("Who buys Korvane's coal on the Turkish market?", engine.stats, []) == ["Turkish"]


def test_the_dictionary_reads_case_inflections_and_variants():
    lex = lexicon()
    assert lex.loaded
    assert [lex.kind(w) for w in ("tokyo", "sonia", "wales")] == [NAME] * 3  # "wales" is also "wale/S"
    assert [lex.kind(w) for w in ("owe", "employees", "happier", "china", "didnt", "epicentre")] == [ORDINARY] * 6
    assert [lex.kind(w) for w in ("bernanke", "srivaddhanaprabha")] == [UNKNOWN] * 2


def test_full_names_are_read_in_any_case():
    assert name_spans("what did sonia gandhi say") == [("sonia", "gandhi")]
    assert name_spans("What did Prime Minister Narendra Modi say?") == [("narendra", "modi")]
    assert name_spans("What did Human Rights Watch say?") == []  # ordinary words, capitalised
    assert name_spans("who runs lehman's european business") == []
    assert absent_spans("what did jerome powell say", ["Fed chair Jerome H. Powell said so."]) == []
    assert absent_spans("what did jerome powell say", ["Jerome Lee said so.", "Colin Powell did not."]) == ["jerome powell"]
    assert absent_spans("what did jerome powell say", []) == []  # no candidates: no evidence either way


def test_abbreviations_spelled_out_with_a_word_in_capitals():
    assert initials_in("UKIP", ["Nigel Farage of the UK Independence Party said so."])
    assert initials_in("NSF", ["The National Science Foundation paid for it."])
    assert not initials_in("NSF", ["No such facility exists."])  # lowercase words are not a name's initials
    assert not initials_in("ukip", ["UK Independence Party"])  # only an abbreviation in capitals


def test_abbreviations_of_words_with_capitals_inside_and_a_number_after():
    """"PS4" is "PlayStation 4", "MBP" "MacBook Pro": a word with capitals inside gives each; a number
    after the letters must be the word after them. Typed in lowercase with its number, still read."""
    text = ["Sony's PlayStation 4 followed in March, and Apple's MacBook Pro a month later."]
    assert initials_in("PS4", text) and initials_in("ps4", text)
    assert initials_in("MBP", text)
    assert not initials_in("PS5", text)  # another number: another product
    assert not initials_in("PS4", ["The Public Service 5 route was cut."])
    assert not initials_in("PS4", ["Sony's PlayStation 4.5 is a rumour."])  # another number
    assert not initials_in("ps", text)  # lowercase letters alone stay ordinary words


def test_a_surname_or_a_degree_with_a_capital_inside_is_no_abbreviation():
    """Only a word of capitalised parts of three letters or more gives its capitals ("PlayStation",
    "YouTube"): "McDonald", "DiCaprio", "LaGuardia", "PhD", "MPs" are one name each."""
    for abbr, text in (("MD", "McDonald's sales rose."), ("DC", "Leonardo DiCaprio donated $3 million."),
                       ("LG", "Flights at LaGuardia were delayed."), ("PD", "She holds a PhD."),
                       ("MP", "MPs voted on Tuesday.")):
        assert not initials_in(abbr, [text]), abbr
    assert initials_in("YT", ["Clips on YouTube were removed."])
    # a camel-case name read by its first letter still spells a longer abbreviation
    assert initials_in("MDC", ["McDonnell Douglas Corporation merged with Boeing in 1997."])
    assert initials_in("MDA", ["MacDonald, Dettwiler and Associates built the robotic arm."])


def test_a_console_typed_as_its_abbreviation_is_answered(tmp_path, embedder):
    files = {"consoles.md": "---\nid: consoles\ntitle: Consoles on sale\npublished: 2015-07-27\n---\n"
             "Game machines may now be sold anywhere in the country, the ministry said. "
             "Sony's PlayStation 4 went on sale in March.\n"}
    eng = story_engine(tmp_path, embedder, files)
    assert not absent_names("when did the ps4 go on sale", eng.selector.stats, ["Sony's PlayStation 4 went on sale in March."])
    assert absent_names("when did the ps5 go on sale", eng.selector.stats, ["Sony's PlayStation 4 went on sale in March."])


def test_blind_list_refuses_the_sets_it_names(tmp_path):
    blind = tmp_path / "BLIND"
    blind.write_text("# comment\nnews-heldout5\nrealworld/heldout6  # the sixth\n\n", encoding="utf-8")
    assert blind_sets(blind) == {"news-heldout5", "realworld/heldout6"}
    asked = ["news", "news-heldout5", "data/eval/realworld/heldout6.jsonl", "news-heldout4"]
    assert refused(asked, blind) == ["news-heldout5", "data/eval/realworld/heldout6.jsonl"]
    assert set_name(EVAL / "news-heldout5.jsonl") == "news-heldout5"


def test_the_blind_list_stops_failure_causes(tmp_path, monkeypatch):
    from benchmarks import blind, failure_causes

    listed = tmp_path / "BLIND"
    listed.write_text("news-heldout5\n", encoding="utf-8")
    monkeypatch.setattr(blind, "LIST", listed)
    assert "news-heldout5" in blind_sets()
    with pytest.raises(SystemExit):
        failure_causes.main(["--sets", "news,news-heldout5"])
