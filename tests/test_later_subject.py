"""Later coverage stays on the question's subject (bot/later.py) and a current-state question gets the
newest story's lead (bot/story.py `is_lead`): a word capitalised only because it opens a sentence is
no shared name; a later statement naming none of what the question names, even with its headline and
neighbours, is about something else; and the lead of the newest cited story, which tells its news in
plain words, is brought in beside an aside that selection cited. All examples are invented."""

from __future__ import annotations

from bot.later import Surroundings, later_statements, same_subject
from bot.select import Scored
from ingest.records import StoredSentence


def _sc(embedder, text: str, source: str, published: str, index: int = 2, score: float = 0.1,
        names: float = 1.0, lex: float = 0.3) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=lex, names=names, score=score)


def _shown(got: list[Scored]) -> list[str]:
    return [s.sentence.text for s in got]


# -- a sentence's first word is no name --------------------------------------------------------------------

OPENERS = [  # (cited, a later statement of another story sharing only the opening word, question)
    ("Countries whose public debt exceeds half of their output grow more slowly, a study by Ilse Varga found.",
     "The Tarn Council took two countries off its watch list of lax regulators on Friday.",
     "How fast do countries with high public debt grow?"),
    ("Harbour traffic in Ostrel fell by a third last year, the port authority said.",
     "Traffic on the Morrow Bridge will be cut to one lane for repairs, the Vell city council said.",
     "How much did harbour traffic in Ostrel fall?"),
    ("Ostrel's waterfront keeps its place on the Heritage Board's register, the board said.",
     "Waterfront Caldera said it would look for other ways to develop the pier site.",
     "Is Ostrel's waterfront still on the Heritage Board's register?"),
]


def test_a_word_capitalised_only_as_a_sentence_opener_is_no_shared_name():
    for cited, later, _ in OPENERS:
        assert not same_subject(cited, later), later
    # a real name shared still is; so are initials
    assert same_subject("Ilse Varga's study found slower growth.", "Ilse Varga withdrew her study.")
    assert same_subject("The Heritage Board kept the waterfront on its register.", "The HB struck it off.") is not None


def test_a_later_story_sharing_only_an_opening_word_is_not_shown(embedder):
    for cited_text, later_text, q in OPENERS:
        cited = _sc(embedder, cited_text, "a", "2013-02-20", score=0.6)
        later = _sc(embedder, later_text, "b", "2022-06-18", score=0.01, names=0.5)
        assert later_statements([cited], [cited, later], q, ["varga"]) == [], later_text
    # must show: the same statement naming the cited subject itself
    cited = _sc(embedder, OPENERS[0][0], "a", "2013-02-20", score=0.6)
    own = _sc(embedder, "Ilse Varga's debt study contained a spreadsheet error, two economists found.", "b",
              "2014-04-17", score=0.2)
    assert _shown(later_statements([cited], [cited, own], OPENERS[0][2], ["varga"])) == [own.sentence.text]


# -- a later statement naming none of what the question names -------------------------------------------------

ELSEWHERE = [  # (cited, a later statement sharing a descriptive name only, question, question names)
    ("Corvane said on Monday that it does not intend to make an offer for Ashmill, ending what would have been "
     "the largest foreign takeover of a Norlish company.",
     "Tellit has agreed to buy the Norlish chip designer Pavo from Sunbank for $40 billion.",
     "Is Corvane still trying to buy Ashmill?", ["corvane", "ashmill"]),
    ("Brenna Air grounded its Eastern fleet after the crash, the airline said.",
     "Eastern Skies grounded its fleet of turboprops after an engine fire, the carrier said.",
     "Is Brenna Air's fleet still grounded?", ["brenna", "air"]),
    ("The Ostrel court jailed the Vellish auditor Ivo Lind for four years.",
     "A court in Caldera jailed the Vellish banker Ari Moss for six years.",
     "Is Ivo Lind still in jail?", ["ivo", "lind"]),
]


def test_a_later_statement_naming_none_of_the_questions_names_is_not_shown(embedder):
    for cited_text, later_text, q, names in ELSEWHERE:
        cited = _sc(embedder, cited_text, "a", "2014-05-27", score=0.6)
        later = _sc(embedder, later_text, "b", "2020-09-14", score=0.05, names=0.0)
        assert later_statements([cited], [cited, later], q, names) == [], later_text
        # must show: the same statement when it (or its surroundings) names the question's subject
        named = _sc(embedder, later_text, "b", "2020-09-14", score=0.05, names=0.5)
        assert _shown(later_statements([cited], [cited, named], q, names)) == [later_text], later_text


# -- the newest story's lead -----------------------------------------------------------------------------------

LEADS = [  # (an aside selection cited, the story's lead, question, names)
    ("In a letter to the mayor, the Skyway Trust said on Monday that it could not go on without his backing.",
     "The charity set up to build the Skyway garden bridge over the Lisle is winding up the project.",
     "Is the Skyway garden bridge still going to be built?", ["skyway", "lisle"]),
    ("Fans of the Tallis Rovers gathered outside the ground on Saturday evening.",
     "The Tallis Rovers will play next season in the second division after losing to Brack City.",
     "Are the Tallis Rovers still in the first division?", ["tallis", "rovers"]),
    ("Ivo Lind thanked his lawyers in a short statement read outside the court.",
     "Ivo Lind walked out of Ostrel prison on Monday after an appeals court overturned his conviction.",
     "Is Ivo Lind still in prison?", ["ivo", "lind"]),
]


def _lead_case(embedder, aside: str, lead: str, q: str, names: list[str], lead_index: int = 1) -> list[str]:
    cited = _sc(embedder, aside, "n", "2017-08-15", index=3, score=0.3)
    first = _sc(embedder, lead, "n", "2017-08-15", index=lead_index, score=0.2)
    around = Surroundings({"n": "A Headline"}, {})
    return _shown(later_statements([cited], [cited, first], q, names, around=around))


def test_the_newest_storys_lead_is_brought_in_for_a_current_state_question(embedder):
    for aside, lead, q, names in LEADS:
        assert _lead_case(embedder, aside, lead, q, names) == [lead], lead


def test_a_lead_is_not_brought_in_for_another_question_nor_a_later_sentence_of_the_story(embedder):
    aside, lead, _, names = LEADS[0]
    assert _lead_case(embedder, aside, lead, "Who wrote to the mayor about the Skyway bridge?", names) == []
    for aside, lead, q, names in LEADS:
        assert _lead_case(embedder, aside, lead, q, names, lead_index=4) == [], lead  # not the lead
