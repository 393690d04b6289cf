"""Later coverage reads the subject at the level of the later source's context (bot/later.py): a
later statement that names the subject only in its headline or in the sentence beside it ("The
magazine struck the study from its pages." after a sentence naming the journal) is shown, while
the same-point gate keeps out later articles that merely share a famous name, statements whose
only common "name" is a year, and a source's background history."""

from __future__ import annotations

import dataclasses

from bot.engine import Engine
from bot.later import Surroundings, background, later_statements, same_subject
from bot.select import Scored
from ingest.records import StoredSentence


def _sc(embedder, text: str, source: str, published: str, index: int = 1, names: float = 0.5,
        score: float = 0.1) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=0.3, names=names, score=score)


def _read(*pairs: tuple[str, int, str]) -> dict[str, StoredSentence]:
    """Neighbour sentences as the select stage read them: (source, index, text)."""
    return {f"{src}#{i}": StoredSentence(id=f"{src}#{i}", source=src, index=i, start=0, end=len(t), text=t)
            for src, i, t in pairs}


def _shown(got: list[Scored]) -> list[str]:
    return [s.sentence.text for s in got]


# -- shown: the subject is named only around the later statement ------------------------------------

def test_a_neighbour_naming_the_journal_makes_the_subject(embedder):
    cited = _sc(embedder, "A study in the Halvorsen Journal of Medicine found that zinc lozenges halve the length "
                "of colds.", "a", "2019-03-04")
    struck = _sc(embedder, "The magazine struck the zinc study from its pages on Friday.", "b", "2019-11-08", index=2,
                 names=1.0)
    around = Surroundings({"b": "Editors Act on Cold Remedy Paper"},
                          _read(("b", 1, "The editors of the Halvorsen Journal of Medicine met this week.")))
    question = "Do zinc lozenges shorten colds?"
    assert later_statements([cited], [cited, struck], question) == []  # the sentence alone names nothing
    assert _shown(later_statements([cited], [cited, struck], question, around=around)) == [struck.sentence.text]


def test_a_headline_naming_the_airline_makes_the_subject(embedder):
    cited = _sc(embedder, "Marlow Airways plans to open a route to Lisbon in May.", "a", "2022-01-10")
    shelved = _sc(embedder, "The airline shelved the route on Thursday, blaming fuel costs.", "b", "2022-03-03",
                  names=1.0)
    around = Surroundings({"b": "Marlow Airways Drops Lisbon Plan"})
    got = later_statements([cited], [cited, shelved], "Is Marlow Airways still flying to Lisbon?", around=around)
    assert _shown(got) == [shelved.sentence.text]


def test_a_pronoun_resolved_by_the_sentence_before_makes_the_subject(embedder):
    cited = _sc(embedder, "The Veld Dam remains closed to visitors after the earthquake.", "a", "2020-05-02")
    reopened = _sc(embedder, "It reopened to visitors on Saturday after repairs.", "b", "2020-09-14", index=3,
                   names=1.0)
    around = Surroundings({"b": "Good News for Walkers"},
                          _read(("b", 2, "Engineers spent the summer inspecting the Veld Dam.")))
    got = later_statements([cited], [cited, reopened], "Is the Veld Dam still closed?", around=around)
    assert _shown(got) == [reopened.sentence.text]


def test_a_list_window_keeps_the_sentence_that_names_the_subject(embedder):
    cited = _sc(embedder, "President Lang said he intends to remove Norvia from the list of high-risk jurisdictions.",
                "a", "2015-04-15")
    action = _sc(embedder, "The ministry took a country off its list of high-risk jurisdictions on Friday.", "b",
                 "2015-05-30", index=1, names=1.0, score=0.6)
    named = _sc(embedder, "Norvia had been on the list for 33 years.", "b", "2015-05-30", index=2, score=0.1)
    around = Surroundings({"b": "A Country Comes Off the List"},
                          _read(("b", 2, named.sentence.text), ("b", 1, action.sentence.text)))
    got = later_statements([cited], [cited, action, named], "Is Norvia still on the list of high-risk jurisdictions?",
                           ["norvia"], around=around)
    assert _shown(got) == [action.sentence.text, named.sentence.text]


# -- not shown -------------------------------------------------------------------------------------------

def test_a_later_article_sharing_a_famous_name_on_another_point_is_not_shown(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    for sid, date, title, *body in [
        ("ban", "2021-01-09", "Twitter Bans Donald Trump", "Twitter banned Donald Trump permanently on Friday.",
         "The company cited the risk of further incitement of violence."),
        ("rally", "2022-06-20", "Donald Trump Rallies in Ohio", "Donald Trump held a rally in Ohio on Saturday.",
         "He spoke for ninety minutes to a crowd of supporters."),
        ("golf", "2022-08-02", "Trump Hosts Golf Event", "The event at the Bedminster golf club drew protests.",
         "Trump played a round with guests on Sunday."),
        ("back", "2022-11-20", "Twitter Reinstates Donald Trump",
         "The Donald Trump account was restored on Saturday after a poll.",
         "The platform said the ban on him was over."),
    ]:
        (folder / f"{sid}.md").write_text(f"---\nid: {sid}\ntitle: {title}\npublisher: Dale Courier (fictional)\n"
                                          f"published: {date}\n---\n{title}\n\n" + "\n\n".join(body) + "\n")
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("Is Donald Trump still banned from Twitter?")
    assert ans.answered
    sources = {c.source for c in ans.citations}
    assert "rally" not in sources and "golf" not in sources, [(c.source, c.text) for c in ans.citations]
    assert "back" in sources, [(c.source, c.text) for c in ans.citations]


def test_context_names_alone_do_not_carry_another_point(embedder):
    cited = _sc(embedder, "Marlow Airways plans to open a route to Lisbon in May.", "a", "2022-01-10")
    # its headline carries every name of the question (names=1.0), but its own words are on another point
    chief = _sc(embedder, "The airline appointed Ana Ruiz as chief executive on Monday.", "b", "2022-03-03", names=1.0)
    around = Surroundings({"b": "Marlow Airways Names New Chief for Lisbon Hub"})
    assert later_statements([cited], [cited, chief], "Is Marlow Airways still flying to Lisbon?",
                            ["marlow", "airways", "lisbon"], around=around) == []


def test_a_name_only_in_the_cited_sentences_context_is_not_its_subject(embedder):
    cited = _sc(embedder, "Varo Systems relies on American suppliers such as Qualcomm for its chips.", "a", "2018-04-17")
    other = _sc(embedder, "The Commerce Department put dozens of Chinese companies on its entity list.", "b",
                "2020-12-19")
    around = Surroundings({"a": "Commerce Department Bars Sales to Varo Systems"})
    assert later_statements([cited], [cited, other], "Can American companies sell parts to Varo Systems?",
                            around=around) == []


def test_a_year_or_figure_alone_is_no_subject(embedder):
    assert not same_subject("The decision takes wrestling off the programme for the 2020 Olympics.",
                            "The authors had already reported in 2020 that they could not reproduce the effect.")
    assert same_subject("The decision takes wrestling off the programme for the 2020 Olympics.",
                        "Wrestling has been part of every modern Olympics except one.")
    cited = _sc(embedder, "The decision takes wrestling off the programme for the 2020 Olympics.", "a", "2013-02-13")
    year = _sc(embedder, "The authors had already reported in 2020 that they could not reproduce the programme effect.",
               "b", "2021-09-14")
    assert later_statements([cited], [cited, year], "Is wrestling still out of the 2020 Olympics?") == []


def test_a_word_of_two_different_names_is_no_shared_subject():
    # "World" in UNESCO's list and in the World Health Organization: two bodies
    assert not same_subject("Varn Abbey has been on UNESCO's List of World Heritage in Danger since 1992.",
                            "The World Health Organization has struck it from its list of countries.")
    assert not same_subject("The Orsk National Museum reopened on Monday.", "The Varn National Park closed its gates.")
    # the same name, or one word of it written alone, or its forms, still tie two sentences
    assert same_subject("The World Bank cut its forecast for Orsk.", "The World Bank president visited Orsk.")
    assert same_subject("The Justice Department said on Monday it would appeal.", "A Justice Department spokesman declined.")
    from bot.later_subject import _other_names
    assert not _other_names("On Monday North Korea fired a missile.", "It was shown on North Korean state television.", "north")
    assert same_subject("Boeing said the jet would fly again.", "Boeing Commercial Airplanes chief Stan Deal spoke.")
    # a person or company written with a title, an honorific, a day or a suffix beside the name is still the same
    assert same_subject("Donald Trump signed the order on Monday.", "On Friday Mr Trump reversed the order.")
    assert same_subject("Chancellor Angela Merkel backed the plan.", "On Friday Mrs Merkel dropped the plan.")
    assert same_subject("Boeing CEO Dennis Muilenburg said the jet was safe.", "On Friday Boeing Co. fired its chief.")


def test_background_history_in_a_later_source_is_not_later_news(embedder):
    old = StoredSentence(id="b#1", source="b", index=1, start=0, end=10, published="2017-11-21",
                         text="Norvia was taken off the list of sponsors in 2008 under the previous government.")
    assert background(old)
    assert not background(StoredSentence(id="b#2", source="b", index=2, start=0, end=10, published="2017-11-21",
                                         text="Norvia has been on the list since 1988."))
    cited = _sc(embedder, "The United States took Norvia off its list of sponsors on Saturday.", "a", "2008-10-12")
    hist = _sc(embedder, old.text, "b", "2017-11-21")
    assert later_statements([cited], [cited, hist], "Is Norvia on the list of sponsors?") == []


def test_surroundings_must_carry_the_questions_names(embedder):
    cited = _sc(embedder, "A federal jury convicted Sam Bankman-Fried, the founder of the exchange, of fraud.", "a",
                "2023-11-02")
    # "Sam" is shared through the headline, but the story is Sam Altman's: the question's names are not all there
    quit_ = _sc(embedder, "Greg Brockman, the company's president and a co-founder, quit in protest.", "b", "2023-11-22",
                names=0.5)
    around = Surroundings({"b": "Sam Altman to Return as OpenAI Chief"})
    question = "Who testified against Sam Bankman-Fried?"
    assert later_statements([cited], [cited, quit_], question, ["sam", "bankman-fried"], around=around) == []


# -- which sentence of a later source is its news ------------------------------------------------------

def _cued(embedder, text: str, index: int, cue: str | None, score: float, names: float = 1.0) -> Scored:
    sc = _sc(embedder, text, "b", "2009-06-26", index=index, names=names, score=score)
    sc.sentence = dataclasses.replace(sc.sentence, cue=cue)
    return sc


def test_the_later_sources_change_statement_is_shown_not_its_background(embedder):
    cited = _sc(embedder, "UNESCO has put the Orsk Valley on its list of sites in danger because of a planned bridge.",
                "a", "2006-07-13", names=1.0)
    pool = [cited,
            _cued(embedder, "Orsk Valley Loses Heritage Status", 0, "update", 0.3),  # the headline restates
            _cued(embedder, "The Orsk Valley had been praised for its riverside landscape.", 1, "update", 0.25),
            _cued(embedder, "Meeting in Seville, the committee struck the Orsk Valley off the list over the bridge.", 2,
                  "update", 0.1),
            _cued(embedder, "The Orsk Valley sites near the bridge drew tourists.", 3, None, 0.2),
            _cued(embedder, "Orsk officials removed the bridge posters from the sites.", 4, "strong", 0.15, names=0.5)]
    got = later_statements([cited], pool, "Is the Orsk Valley still a World Heritage site?", ["orsk", "valley"])
    assert _shown(got) == [pool[3].sentence.text]
