"""Which sentence of a later source an answer shows (bot/later.py, bot/cite.py): the story's own news
— a state that holds now or again, an event of the story's own days — before its reactions and
background, whatever the selection score says; a later statement of the very period the cited
sentence reports on is a revision, not background; and a later source whose correcting sentence
the answer already quotes adds no second statement. All examples are invented."""

from __future__ import annotations

from bot.engine import Engine
from bot.later import background, later_statements
from bot.story import period_years, reports_news
from bot.select import Scored
from ingest.records import StoredSentence
from tests.sources import write_source


def _sc(embedder, text: str, source: str, published: str, index: int = 1, score: float = 0.1,
        names: float = 1.0) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=0.3, names=names, score=score)


def _shown(got: list[Scored]) -> list[str]:
    return [s.sentence.text for s in got]


# -- the later source's news before its reactions and background ----------------------------------------

def test_a_state_that_holds_again_is_shown_before_a_reaction_with_a_higher_score(embedder):
    cited = _sc(embedder, "Valdoria blocked access to the Tessel encyclopedia on Saturday.", "a", "2018-03-04")
    news = _sc(embedder, "Readers in Valdoria could open the Tessel encyclopedia again on Friday.", "b",
               "2020-06-12", index=1, score=0.1)
    reaction = _sc(embedder, "The Tessel encyclopedia's founder, Ida Brun, welcomed the news.", "b", "2020-06-12",
                   index=3, score=0.4)
    got = later_statements([cited], [cited, reaction, news], "Is Tessel still blocked in Valdoria?",
                           ["tessel", "valdoria"])
    assert _shown(got) == [news.sentence.text]


def test_a_state_that_holds_now_is_shown_before_an_outlook(embedder):
    cited = _sc(embedder, "The Health Assembly declared on Monday that the Korvin fever is a global epidemic.", "a",
                "2011-04-05")
    news = _sc(embedder, "The Korvin fever outbreak is now over, the Health Assembly said.", "b", "2012-09-20",
               index=1, score=0.05)
    outlook = _sc(embedder, "The Korvin fever is expected to return each winter as a mild seasonal illness.", "b",
                  "2012-09-20", index=2, score=0.3)
    got = later_statements([cited], [cited, outlook, news], "Is the Korvin fever still an epidemic?", ["korvin"])
    assert _shown(got) == [news.sentence.text]


def test_an_event_of_the_storys_own_days_is_shown_before_its_background(embedder):
    cited = _sc(embedder, "The Lunaris Trust put the Pell Marshes on its list of sites at risk.", "a", "2014-05-02")
    background_ = _sc(embedder, "The Pell Marshes were put on the Lunaris Trust's list in the spring of 2014.", "b",
                      "2017-07-21", index=1, score=0.4)
    news = _sc(embedder, "Meeting in Oslo on Thursday, the Lunaris Trust took the Pell Marshes off the list.", "b",
               "2017-07-21", index=2, score=0.1)
    got = later_statements([cited], [cited, background_, news], "Are the Pell Marshes on the Lunaris Trust's list?",
                           ["pell", "marshes", "lunaris", "trust"])
    assert _shown(got) == [news.sentence.text]


def test_what_tells_news_and_what_does_not():
    for text in ("Tessel can be read in Valdoria again.", "Tessel is no longer blocked in Valdoria.",
                 "The agency said on Wednesday that the ban will end.", "Officials let the runner back into the Games.",
                 "Fans can now buy tickets at the gate."):
        assert reports_news(text), text
    for text in ("The court had ruled on Tuesday that the block was unlawful.",  # past perfect: background
                 "The founder welcomed the decision.", "Kessel sued the ministry in January over the listing."):
        assert not reports_news(text), text


# -- a revision of the same period is not background ------------------------------------------------------

def _s(text: str, published: str) -> StoredSentence:
    return StoredSentence(id="x#1", source="x", index=1, start=0, end=len(text), text=text, published=published)


def test_a_later_figure_for_the_period_the_claim_reports_on_is_not_background():
    rose = _s("Output in 2015 rose by 21.4 percent, according to revised accounts.", "2016-07-13")
    assert background(rose)  # alone, it reports on a year before its own source
    assert not background(rose, _s("Norland's economy grew by 6.2 percent last year, the office said.", "2016-03-11"))
    harvest = _s("The harvest in 2018 came to 3.2 million tonnes, the ministry said.", "2019-02-01")
    assert not background(harvest, _s("This year's harvest will reach 4 million tonnes.", "2018-09-10"))
    assert not background(harvest, _s("Grain farmers expect 4 million tonnes from the 2018 harvest.", "2018-06-10"))
    # another year stays background
    assert background(harvest, _s("The harvest will reach 4 million tonnes, the ministry said.", "2019-01-10"))
    assert period_years("Sales grew last year and this year.", "2020-05-01") == {2019, 2020}


def test_a_same_period_revision_is_shown_as_later_coverage(embedder):
    cited = _sc(embedder, "Norland's economy grew by 6.2 percent last year, the statistics office said.", "a",
                "2016-03-11")
    revised = _sc(embedder, "Norland's output in 2015 rose by 21.4 percent, according to revised accounts.", "b",
                  "2016-07-13")
    history = _sc(embedder, "Norland joined the currency union in 2009, after a long debate.", "c", "2016-08-01")
    got = later_statements([cited], [cited, revised, history], "How fast did Norland's economy grow in 2015?",
                           ["norland"])
    assert _shown(got) == [revised.sentence.text]


# -- a later source that already speaks through a correcting sentence --------------------------------------

def _src(folder, sid: str, published: str, *sentences: str) -> None:
    write_source(folder, sid, published, *sentences, publisher="Fen Gazette (fictional)")


def test_a_later_source_quoted_as_a_correction_adds_no_second_statement(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    _src(folder, "bid", "2010-02-02", "Harlow Foods has offered to buy Brisk Dairy for $2 billion in cash and shares.")
    # the withdrawal corrects the offer; the share move is news of the same story, not a second statement
    _src(folder, "off", "2010-05-04", "Harlow Foods has withdrawn its $2 billion offer for Brisk Dairy.",
         "Brisk Dairy shares fell 9 percent on Monday, wiping $2 billion off its value.")
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("How much did Harlow Foods offer for Brisk Dairy?")
    roles = {c.text[:40]: c.role for c in ans.citations}
    assert any(c.role == "correction" and c.source == "off" for c in ans.citations), roles
    assert [c.source for c in ans.citations].count("off") == 1, roles


# -- the newest source's own statement of how things stand now -----------------------------------------

def _now_case(embedder, aside: str, now: str, q: str, names: list[str]) -> list[str]:
    """Selection cited the newest source's aside; its sentence saying how things stand now (no
    stored cue) is brought in for a question about the current state."""
    first = _sc(embedder, aside, "n", "2006-08-25", index=3, score=0.5)
    stated = _sc(embedder, now, "n", "2006-08-25", index=2, score=0.3)
    return _shown(later_statements([first], [first, stated], q, names))


def test_the_newest_sources_sentence_saying_how_things_stand_now_is_brought_in(embedder):
    cases = [("Some astronomers said they would keep calling Varro a planet anyway.",
              "Varro now belongs to a new class of dwarf worlds.", "Is Varro still a planet?", ["varro"]),
             ("Fans of the Tallis Rovers said they would still sing the old anthem.",
              "The Tallis Rovers are no longer in the first division.", "Are the Tallis Rovers still in the first "
              "division?", ["tallis", "rovers"]),
             ("Critics of Mira Soren said the ruling came too late.",
              "Mira Soren can stand for the city council again.", "Is Mira Soren still barred from the council?",
              ["mira", "soren"])]
    for aside, now, q, names in cases:
        shown = _now_case(embedder, aside, now, q, names)
        assert shown == [now], (aside, shown)
    # only for a question about the current state
    aside, now, _, names = cases[0]
    assert _now_case(embedder, aside, now, "What did astronomers say about Varro?", names) == []


def test_words_saying_now_add_nothing_beside_a_later_source(embedder):
    cited = _sc(embedder, "Grey wolves around Lake Ardel will come off the list of protected species, the ministry "
                "said.", "a", "2017-06-23", index=1, score=0.6)
    count = _sc(embedder, "An estimated 400 grey wolves now live around Lake Ardel.", "a", "2017-06-23", index=4,
                score=0.2)
    ruling = _sc(embedder, "A judge put the grey wolves around Lake Ardel back under protection on Monday.", "b",
                 "2018-09-25", index=1, score=0.3)
    got = later_statements([cited], [cited, count, ruling], "Are Lake Ardel's grey wolves still off the protected "
                           "list?", ["lake", "ardel"])
    assert _shown(got) == [ruling.sentence.text]


# -- a statement that refers back to the sentence before it ------------------------------------------------

def _read(src: str, i: int, text: str) -> dict[str, StoredSentence]:
    return {f"{src}#{i}": StoredSentence(id=f"{src}#{i}", source=src, index=i, start=0, end=len(text), text=text)}


def test_a_statement_referring_back_to_the_sentence_naming_the_subject_is_shown(embedder):
    from bot.later import Surroundings

    cases = [  # (cited, the sentence before, the later statement, question, names)
        ("The Defence Office on Thursday added Kovix, the Estlandic handset maker, to its list of companies tied to "
         "the army.", "Kovix sued the Defence Office in January over the listing.",
         "In a filing on Tuesday, the office agreed to take the handset maker off its list.",
         "Is Kovix on the Defence Office's list of companies tied to Estland's army?", ["kovix", "defence", "estland"]),
        ("The Heritage Board has put the Marrow Isles on its list of sites in danger, citing overfishing.",
         "The Marrow Isles were put on the danger list four years ago.",
         "Meeting in Lima on Thursday, the board took them off it, saying the overfishing had stopped.",
         "Are the Marrow Isles on the Heritage Board's list of sites in danger?", ["marrow", "isles", "heritage"]),
        ("The Trade Office named Pellandia a currency cheat on Monday.",
         "Pellandia was named a currency cheat in August, as the trade dispute grew.",
         "In its report on Friday, the office no longer gives the country that name, citing its currency pledges.",
         "Does the Trade Office call Pellandia a currency cheat?", ["trade", "office", "pellandia", "ledger"])]
    for cited_text, before, later_text, q, names in cases:
        cited = _sc(embedder, cited_text, "a", "2021-01-15", score=0.6)
        stmt = _sc(embedder, later_text, "b", "2021-05-27", index=2, score=0.01, names=0.5)
        around = Surroundings({"b": "A Win for the Accused"}, _read("b", 1, before))
        assert later_statements([cited], [cited, stmt], q, names) == [], later_text  # alone: no subject
        assert _shown(later_statements([cited], [cited, stmt], q, names, around=around)) == [later_text]
    # the sentence before must name the cited subject, and the statement must refer back to it
    cited = _sc(embedder, cases[1][0], "a", "2021-01-15", score=0.6)
    stmt = _sc(embedder, cases[1][2], "b", "2021-05-27", index=2, score=0.01, names=0.5)
    other = Surroundings({"b": "A Win"}, _read("b", 1, "The Tolley Reef was put on the danger list in 2015."))
    assert later_statements([cited], [cited, stmt], cases[1][3], cases[1][4], around=other) == []
    plain = _sc(embedder, "Meeting in Lima on Thursday, the board praised local fishing crews.", "b", "2021-05-27",
                index=2, score=0.01, names=0.5)
    near = Surroundings({"b": "A Win"}, _read("b", 1, cases[1][1]))
    assert later_statements([cited], [cited, plain], cases[1][3], cases[1][4], around=near) == []


def test_news_told_before_a_subordinate_past_perfect_still_counts():
    from bot.story import news_level

    assert news_level("The isles were taken off the list on Thursday, after officials said they had acted.") == 1
    assert news_level("Varro is a planet again.") == 2
    assert news_level("The court had ruled on Tuesday that the block was unlawful.") == 0


def test_for_a_current_state_a_statement_referring_back_needs_no_shared_word(embedder):
    from bot.later import Surroundings

    cited = _sc(embedder, "The United States took Norvia off its list of state sponsors of terrorism on Saturday.", "a",
                "2008-10-12", score=0.6)
    before = "Norvia was taken off the list of sponsors in 2008 under the previous government."
    for text in ("The president put the country back on it on Monday.", "On Monday the president reversed it.",
                 "It returned to the roll on Monday, the president said."):
        stmt = _sc(embedder, text, "b", "2017-11-21", index=2, score=0.01, names=1.0)
        around = Surroundings({"b": "A Reversal"}, _read("b", 1, before))
        got = later_statements([cited], [cited, stmt], "Is Norvia on the list of state sponsors of terrorism?",
                               ["norvia"], around=around)
        assert _shown(got) == [text], text
        # not for a question about something else than the current state
        assert later_statements([cited], [cited, stmt], "Why did the United States take Norvia off its list?",
                                ["norvia"], around=around) == [], text


def test_a_year_the_question_asks_about_is_not_background():
    old = _s("A winter storm in 2021 froze the pumps and left the town without water for a month.", "2022-09-15")
    assert background(old)
    assert not background(old, asked=frozenset({2021}))
    assert background(old, asked=frozenset({2020}))
    assert period_years("What happened to Dunmore's water in 2021?", "") == {2021}
