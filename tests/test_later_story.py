"""A later story keeps its subject (bot/later_subject.py `continues`): a statement that names nothing
itself is about what the nearest earlier sentence naming anything names — or, failing any, the
story's headline — until a sentence naming something else takes over. And a sentence telling its
story's own news is not background for naming an earlier year (bot/story.py). Invented examples."""

from __future__ import annotations

from bot.later import Surroundings, later_statements
from bot.select import Scored
from bot.story import background
from ingest.records import StoredSentence


def _st(text: str, source: str, index: int, published: str = "2013-06-21") -> StoredSentence:
    return StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                          published=published)


def _sc(embedder, text: str, source: str, published: str, index: int, score: float = 0.05,
        names: float = 0.5) -> Scored:
    s = StoredSentence(id=f"{source}#{index}", source=source, index=index, start=0, end=len(text), text=text,
                       published=published, vector=embedder.embed([text])[0])
    return Scored(sentence=s, dense=0.5, lex=0.3, names=names, score=score)


CASES = [  # (cited, the later story's sentences before the statement, the statement, question, names)
    ("The Heritage Board put the Marrow Isles on its list of sites in danger on Friday.",
     ["The Marrow Isles won a long fight on Thursday.", "The vote was unanimous."],
     "Members struck the islands off the danger list, citing a ban on trawling.",
     "Are the Marrow Isles on the Heritage Board's danger list?", ["marrow", "isles", "heritage", "board"]),
    ("Harlow Foods plans to build a dairy plant in Tarn, its chief executive said.",
     ["Harlow Foods has changed course on its Tarn dairy.", "Costs had doubled since the spring."],
     "The company dropped the dairy plant plan on Friday, blaming costs.",
     "Is Harlow Foods still going to build the Tarn dairy plant?", ["harlow", "foods", "tarn"]),
    ("The Dorn ministry suspended Tessa Vell's fishing licence for a year.",
     ["Tessa Vell can fish again.", "It was a quiet ceremony at the harbour."],
     "Officials handed the skipper her licence back on Monday, months early.",
     "Is Tessa Vell's fishing licence still suspended?", ["tessa", "vell", "dorn"]),
]


def _shown(embedder, case, between: list[str] | None = None, title: str = "A Headline") -> list[str]:
    cited_text, before, stmt_text, q, names = case
    before = before if between is None else between
    cited = _sc(embedder, cited_text, "a", "2010-06-18", 1, score=0.6, names=1.0)
    stmt = _sc(embedder, stmt_text, "b", "2013-06-21", len(before) + 1)
    read = {f"b#{i}": _st(t, "b", i) for i, t in enumerate(before, 1)}
    got = later_statements([cited], [cited, stmt], q, names, around=Surroundings({"b": title}, read))
    return [s.sentence.text for s in got]


def test_a_statement_naming_nothing_keeps_its_storys_subject(embedder):
    for case in CASES:
        assert _shown(embedder, case) == [case[2]], case[2]


def test_a_story_whose_headline_names_the_subject_keeps_it(embedder):
    for case in CASES:
        nameless = ["The vote was unanimous."]
        assert _shown(embedder, case, nameless, title=case[1][0].rstrip(".")) == [case[2]], case[2]


def test_a_sentence_naming_something_else_takes_the_story_over(embedder):
    """Must not show: another subject named between the lead and the statement."""
    for case in CASES:
        other = [case[1][0], "Pellandia's reef, Ostrel's harbour and the Kessel dam stay under review."]
        assert _shown(embedder, case, other) == [], case[2]
        # nor a story that never names the subject
        assert _shown(embedder, case, ["The vote was unanimous."]) == [], case[2]


def test_a_storys_own_news_is_not_background_for_naming_an_earlier_year():
    for text in ("Grounded since 2008, the Arrow jets can fly again.",
                 "The council said on Tuesday that the ban it imposed in 2009 is over.",
                 "Banned in 2010, the Tessel app is now back in Valdoria's stores."):
        assert not background(_st(text, "b", 2)), text
    for text in ("The council had imposed the ban in 2009 after a long inquiry.",  # past perfect: history
                 "The Arrow jets were grounded in 2008 after two crashes."):
        assert background(_st(text, "b", 2)), text


def test_a_story_told_in_the_past_perfect_is_not_its_news(embedder):
    """Of two statements of one later story on the point, the one not told in the past perfect is
    shown, whatever the selection score says; with none in the past perfect, the score decides."""
    cases = [
        ("Ivo Lind's 2002 study found that marmosets learn rhythms as infants do.",
         "Former members of Ivo Lind's lab had complained about how he scored the marmoset tapes.",
         "The journal is taking Ivo Lind's marmoset study out of the literature, its editor said."),
        ("Harlow Foods plans to build a dairy plant in Tarn.",
         "Harlow Foods had hoped to open the Tarn dairy plant by the spring.",
         "Harlow Foods dropped the Tarn dairy plant plan, blaming costs."),
        ("The Dorn ministry suspended Tessa Vell's fishing licence for a year.",
         "Tessa Vell had fished the Dorn coast for twenty years before the licence was suspended.",
         "The Dorn ministry handed Tessa Vell her fishing licence back, months early."),
    ]
    for cited_text, perfect, plain in cases:
        cited = _sc(embedder, cited_text, "a", "2010-06-18", 1, score=0.6, names=1.0)
        a = _sc(embedder, perfect, "b", "2013-06-21", 3, score=0.4, names=1.0)
        b = _sc(embedder, plain, "b", "2013-06-21", 4, score=0.1, names=1.0)
        got = later_statements([cited], [cited, a, b], f"What about {cited_text.split()[0]}?", [])
        assert [s.sentence.text for s in got] == [plain], plain
        # must not: without the past perfect, the better-scored statement wins as before
        a2 = _sc(embedder, perfect.replace(" had ", " "), "b", "2013-06-21", 3, score=0.4, names=1.0)
        got = later_statements([cited], [cited, a2, b], f"What about {cited_text.split()[0]}?", [])
        assert [s.sentence.text for s in got] == [a2.sentence.text], plain


def test_an_ordinary_word_opening_a_sentence_does_not_take_a_story_over():
    from bot.later_subject import names_something

    for text in ("Officials handed the skipper her licence back.", "Members struck the islands off the list.",
                 "Readers could open the site again."):
        assert not names_something(text), text
    for text in ("Pfizer dropped the bid.", "China lifted the ban.", "Officials in Ostrel lifted the ban."):
        assert names_something(text), text
