"""Later coverage read at the level of the story (bot/later.py `_headed`): a later story whose headline
— retrieved for the question — names the cited subject and is close to the cited sentence admits its
statements that name the subject only through it ("Prime Minister … put the number of dead at …"
under "Harbour Town Marks a Year Since the Storm"); a statement on the point in its own words still
comes first; a headline far from the cited sentence, or sharing no name with it, admits nothing. A
year in a later sentence's aside set off by commas does not make it background (bot/story.py). And a
question naming the year its story is dated to is not refused as naming something absent (bot/select.py
rule 1, `TermStats.years`). All examples are invented."""

from __future__ import annotations

from bot.later import Surroundings, later_statements
from bot.select import Scored, absent_names
from bot.story import background
from bot.termstats import TermStats
from ingest.records import SourceRecord, StoredSentence
from ingest.terms import content_terms


def _sc(embedder, text: str, source: str, published: str, index: int, score: float = 0.05,
        names: float = 0.5, lex: float = 0.3) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=lex, names=names, score=score)


CASES = [  # (cited, later headline, the later statement naming the subject only through it, question, names)
    ("Ostrel's government said on Wednesday that 23,000 people had been killed in last month's storm.",
     "Ostrel Marks a Year Since the Storm",
     "Prime Minister Hanna Veld put the number of dead at 31,600 at a memorial on Wednesday.",
     "How many people died in the storm in Ostrel?", ["ostrel"]),
    ("Marrow Airways has been part of the Tarn Share Index since 1931, the exchange said.",
     "Kestrel Foods Takes Marrow Airways' Seat in the Tarn Index",
     "The exchange said on Tuesday that Kestrel Foods will take its place from June 26.",
     "Is Marrow Airways still in the Tarn Share Index?", ["marrow", "airways", "tarn"]),
    ("The Vell ministry suspended the Caldera Ferry's licence to sail to Dorn.",
     "Caldera Ferry Cleared to Sail to Dorn Again",
     "On Tuesday the ministry cleared it and two smaller operators, citing real improvements.",
     "Is the Caldera Ferry still banned from sailing to Dorn?", ["caldera", "ferry", "dorn"]),
]


def _story(embedder, case, title: str | None = None, own: str | None = None) -> list[str]:
    cited_text, head_text, stmt_text, q, names = case
    title = head_text if title is None else title
    cited = _sc(embedder, cited_text, "a", "2010-02-11", 2, score=0.6, names=1.0)
    head = _sc(embedder, title, "b", "2011-01-13", 0, score=0.0)
    stmt = _sc(embedder, stmt_text, "b", "2011-01-13", 1)
    pool = [cited, head, stmt]
    if own:
        pool.append(_sc(embedder, own, "b", "2011-01-13", 3, score=0.01))
    got = later_statements([cited], pool, q, names, around=Surroundings({"b": title}, {}))
    return [s.sentence.text for s in got]


def test_a_statement_named_only_by_its_storys_headline_is_shown(embedder):
    for case in CASES:
        assert _story(embedder, case) == [case[2]], case[2]


def test_a_headline_naming_another_subject_admits_nothing(embedder):
    for case in CASES:
        other = "Quarry Workers Strike Again in Bellmouth"
        assert case[2] not in _story(embedder, case, title=other), case[2]


def test_a_statement_on_the_point_in_its_own_words_comes_before_one_its_headline_admits(embedder):
    case = CASES[0]
    own = "Ostrel's government now says 31,600 people were killed in the storm, up from 23,000."
    assert _story(embedder, case, own=own) == [own]


def test_a_year_in_an_aside_does_not_make_a_later_sentence_background():
    claim = StoredSentence(id="a#1", source="a", index=1, start=0, end=10, published="2019-06-19",
                           text="Harlow plans to launch a digital coin called Tally in the first half of next year.")
    later = StoredSentence(id="b#2", source="b", index=2, start=0, end=10, published="2022-02-01",
                           text="The coin, first announced as Tally in 2019 and renamed in 2020, never reached the public.")
    assert not background(later, claim) and not background(later)
    # a year dating the sentence's own event stays background, with or without an aside
    for text in ("Harlow first tried a payment scheme in 2012, which failed.",
                 "Harlow, the Tarn bank, first tried a payment scheme in 2012."):
        older = StoredSentence(id="b#3", source="b", index=3, start=0, end=10, published="2022-02-01", text=text)
        assert background(older, claim), text


class _Stats(TermStats):
    def __init__(self, df: dict[str, int], dates: list[str]) -> None:
        super().__init__()
        self._df_ = df
        self._records = {f"s{i}": SourceRecord(id=f"s{i}", published=d) for i, d in enumerate(dates)}

    def df(self, term: str) -> int:
        return self._df_.get(term, 0)


def test_a_year_the_sources_are_dated_to_is_no_absent_name():
    held = "A judge in Brazil ordered WhatsApp blocked; in December the court order was overturned."
    stats = _Stats({t: 1 for t in content_terms(held)}, ["2015-12-17", "2015-12-18"])
    assert absent_names("Is WhatsApp still blocked in Brazil after the December 2015 court order?", stats) == []
    # a year no source is dated to, nor writes, is still absent
    assert "1987" in absent_names("Was WhatsApp blocked in Brazil in 1987?", stats)


def test_only_an_aside_on_the_sentences_subject_is_left_out():
    from bot.story import main_clause
    assert main_clause("The coin, first announced in 2019, never reached the public.") == "The coin, never reached the public."
    assert main_clause("Exxon Mobil, a member since 1928, becomes the longest-serving member.").startswith("Exxon Mobil, becomes")
    # an introductory phrase is not the subject; an aside later in the sentence is not on it
    for text in ("Under the scheme, first announced in April 2022, some people were flown abroad.",
                 "The committee also banned Ivo Marsh, who was minister in 2014, from the Games for life."):
        assert main_clause(text) == text


def test_a_later_story_that_meets_the_cited_story_nowhere_adds_nothing(embedder):
    # it shares a country name and the word "people" with the question, and tells another story
    cited = _sc(embedder, "Ostrel has voted to leave the Tarn Union, ending four decades of membership.", "a",
                "2016-06-24", 1, score=0.6, names=1.0)
    other = _sc(embedder, "Some people arriving in Ostrel by small boat will be flown to Vell for processing.",
                "b", "2024-04-23", 2, names=1.0)
    assert later_statements([cited], [cited, other], "How did young people in Ostrel vote in the referendum?",
                            ["ostrel"]) == []
    # the same story told later meets it
    later = _sc(embedder, "Ostrel formally left the Tarn Union on Friday, four years after its referendum.",
                "b", "2020-01-31", 2, names=1.0)
    assert [s.sentence.text for s in later_statements([cited], [cited, later], "Did Ostrel leave the Tarn Union?",
                                                      ["ostrel", "tarn", "union"])] == [later.sentence.text]


def test_a_statement_admitted_by_its_headline_alone_must_be_close_to_the_question(embedder):
    cited_text, title, _, _, names = CASES[0]
    cited = _sc(embedder, cited_text, "a", "2010-02-11", 2, score=0.6, names=1.0)
    head = _sc(embedder, title, "b", "2011-01-13", 0, score=0.0)
    aside = _sc(embedder, "Kestrel Foods said it plans to keep the port's 900 employees.", "b", "2011-01-13", 1)
    aside.dense = 0.15  # far from the question in meaning, sharing only its name
    got = later_statements([cited], [cited, head, aside], "Where is Ostrel's government based?", names,
                           around=Surroundings({"b": title}, {}))
    assert aside.sentence.text not in [s.sentence.text for s in got]
