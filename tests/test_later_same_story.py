"""Later coverage by story (bot/later.py `_same_story`): a later-dated source that tells the cited
sentence's story — by the one-story test every correction link passes (the later document names what
the cited sentence names, or the two documents are close as wholes) — is shown beside the cited claim
even when none of its sentences repeats the claim's names or words. Another story is not. Invented
examples, real embedding model."""

from __future__ import annotations

import pytest

from bot.later import StoryFacts, Surroundings, later_statements
from bot.select import Scored
from ingest.corrections.story import doc_facts
from ingest.records import StoredSentence

CITED = "Orland Mining said on Tuesday that it wanted to buy the rest of Pellham Copper."
QUESTION = "Did Orland Mining buy Pellham Copper?"
NAMES = ["orland", "mining", "pellham", "copper"]
EARLIER = ["Orland Bids for Pellham", CITED, "Shares in Pellham Copper rose 12 percent on the news."]
LATER = ["Orland Mining Gives Up on Pellham",
         "The smelter scandal had made the deal impossible to defend, analysts said.",
         "Orland Mining still owns 39 percent of Pellham Copper."]
OTHER = ["Riverside Opens New Library",
         "The council approved the library budget after a long debate, officials said.",
         "The Riverside library will open in March."]


def _facts(embedder, texts):
    return StoryFacts(doc_facts(texts, list(embedder.embed(texts))).centroid, " ".join(texts[1:]))  # the body, as the engine reads it


def _sc(embedder, text: str, source: str, published: str, index: int, score: float) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=0.3, names=0.0, score=score)


def _shown(embedder, later_texts: list[str], cited_published: str = "2010-06-15", question: str = QUESTION) -> list[str]:
    facts = {"a": _facts(embedder, EARLIER), "b": _facts(embedder, later_texts)}
    cited = _sc(embedder, CITED, "a", cited_published, 1, 0.6)
    cited = Scored(sentence=cited.sentence, dense=0.6, lex=0.5, names=1.0, score=0.6)
    stmt = _sc(embedder, later_texts[1], "b", "2011-07-14", 1, 0.05)
    titles = {"a": EARLIER[0], "b": later_texts[0]}
    got = later_statements([cited], [cited, stmt], question, NAMES, around=Surroundings(titles, {}),
                           story_of=facts.get)
    return [s.sentence.text for s in got]


def test_a_later_story_of_the_same_subject_is_shown_without_shared_words(embedder):
    assert _shown(embedder, LATER) == [LATER[1]]


def test_without_the_story_test_the_sentence_rules_alone_show_nothing(embedder):
    # the statement names nothing the question asks about: the sentence-level rules turn it away
    cited = _sc(embedder, CITED, "a", "2010-06-15", 1, 0.6)
    stmt = _sc(embedder, LATER[1], "b", "2011-07-14", 1, 0.05)
    assert later_statements([cited], [cited, stmt], QUESTION, NAMES, around=Surroundings({}, {})) == []


def test_another_story_is_not_shown(embedder):
    assert _shown(embedder, OTHER) == []


def test_an_undated_claim_has_no_later_story(embedder):
    assert _shown(embedder, LATER, cited_published="") == []


def test_a_question_for_a_detail_is_not_given_the_later_story(embedder):
    # "what" asks for a detail of the cited story, not whether its claim still holds
    assert _shown(embedder, LATER, question="What did Orland Mining want to buy?") == []


def test_a_close_story_that_does_not_name_what_is_asked_is_not_shown(embedder):
    # the same kind of story told without the names: close as a whole (cosine 0.57), but it never
    # names Orland or Pellham
    rival = ["Miners Bid for Copper Rivals", "A mining company said on Tuesday that it wanted to buy the rest of a copper "
             "producer.", "Shares in the copper producer rose on the news."]
    assert _shown(embedder, rival) == []


def test_the_name_both_stories_share_may_be_outside_the_cited_sentence(embedder):
    # The cited sentence names neither company ("the miner", "the copper producer"); its story does, and
    # so does the later one: the later story is the cited one's, and is shown.
    cited_text = "The miner said on Tuesday that it wanted to buy the rest of the copper producer."
    earlier = ["Orland Bids for Pellham", "Orland Mining has built a 39 percent stake in Pellham Copper.", cited_text,
               "Shares in the copper producer rose 12 percent on the news."]
    facts = {"a": _facts(embedder, earlier), "b": _facts(embedder, LATER)}
    cited = _sc(embedder, cited_text, "a", "2010-06-15", 2, 0.6)
    cited = Scored(sentence=cited.sentence, dense=0.6, lex=0.5, names=0.0, score=0.6)
    stmt = _sc(embedder, LATER[1], "b", "2011-07-14", 1, 0.05)
    got = later_statements([cited], [cited, stmt], QUESTION, NAMES, around=Surroundings({"a": earlier[0], "b": LATER[0]}, {}),
                           story_of=facts.get)
    assert [s.sentence.text for s in got] == [LATER[1]]


# The later story calls the question's subject otherwise ("the miner", "the copper producer") but names
# a person the cited story names: the two stories, close as wholes, are one (the one-story test with a
# name besides).
SHARED_EARLIER = ["Orland Bids for Pellham", CITED, "Chief executive Dana Whitcombe said the offer was fair to "
                  "Pellham's shareholders.", "The offer values the copper producer at $2.1 billion."]
SHARED_LATER = ["Copper Offer Lapses",
                "The offer for the copper producer lapsed on Monday after too few shareholders accepted it.",
                "Whitcombe said the miner would keep the stake it already holds in the copper producer."]


def _shown_from(embedder, earlier: list[str], later_texts: list[str]) -> list[str]:
    facts = {"a": _facts(embedder, earlier), "b": _facts(embedder, later_texts)}
    cited = _sc(embedder, CITED, "a", "2010-06-15", 1, 0.6)
    cited = Scored(sentence=cited.sentence, dense=0.6, lex=0.5, names=1.0, score=0.6)
    stmt = _sc(embedder, later_texts[1], "b", "2011-07-14", 1, 0.05)
    got = later_statements([cited], [cited, stmt], QUESTION, NAMES,
                           around=Surroundings({"a": earlier[0], "b": later_texts[0]}, {}), story_of=facts.get)
    return [s.sentence.text for s in got]


def test_a_close_later_story_sharing_a_person_with_the_cited_one_is_shown(embedder):
    assert _shown_from(embedder, SHARED_EARLIER, SHARED_LATER) == [SHARED_LATER[1]]


def test_a_close_later_story_sharing_only_a_country_or_a_first_word_is_not_shown(embedder):
    # "Chile" names where; "Shareholders" is capitalised only as a sentence's first word in both
    earlier = SHARED_EARLIER[:2] + ["Shareholders in Chile will vote on the offer.", SHARED_EARLIER[3]]
    later = [SHARED_LATER[0], SHARED_LATER[1], "Shareholders in Chile said the miner would keep its stake in the "
             "copper producer."]
    assert _shown_from(embedder, earlier, later) == []


def test_a_close_later_story_writing_as_initials_a_body_the_cited_one_spells_out_is_shown(embedder):
    earlier = ["Orland Bids for Pellham", CITED, "The Federal Mining Board said it would review whether the offer "
               "was fair to Pellham's shareholders.", "The offer values the copper producer at $2.1 billion."]
    later = ["Copper Offer Lapses",
             "The offer for the copper producer lapsed on Monday after too few shareholders accepted it.",
             "The FMB said the miner could not bid again for a year."]
    assert _shown_from(embedder, earlier, later) == [later[1]]


# Another company's story, close to the cited one as a whole, shares only where it happened or who reported it
# ("in London", "on Wall Street", "Reuters reported"), or letters that spell the cited story's initials only
# across a sentence's end ("… said Nina Soto. Experts …" is no "NSE"): it is not the cited story, and not shown.
RIVAL = ["Miners Bid for Copper Rivals", "A mining company said on Tuesday that it wanted to buy the rest of a copper producer."]
WHERE_OR_WHO_REPORTED = [
    ("Shares in Pellham Copper rose 12 percent in London on the news.", "Shares in the copper producer rose in London on the news."),
    ("Shares in Pellham Copper rose 12 percent on Wall Street.", "Shares in the copper producer rose on Wall Street on the news."),
    ("Shares in Pellham Copper rose 12 percent on the news, Reuters reported.",
     "Shares in the copper producer rose on the news, Reuters reported."),
    ("Shares in Pellham Copper rose 12 percent on the NSE.",
     "Shares in the copper producer rose on the news, said Nina Soto. Experts expect more deals."),
]


@pytest.mark.parametrize("cited_more,rival_more", WHERE_OR_WHO_REPORTED)
def test_a_rival_story_sharing_only_where_or_who_reported_is_not_shown(embedder, cited_more, rival_more):
    assert _shown_from(embedder, ["Orland Bids for Pellham", CITED, cited_more], RIVAL + [rival_more]) == []
