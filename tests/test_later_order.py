"""The one ordering rule with later coverage (bot/later.py `newest_first`, bot/cite.py): of the
newest-dated statements, later coverage's pick — its story's news — leads, before a same-dated
sentence of that story which is not a selected answer (a correcting sentence that is background,
what stands beside the news), with what stands beside it right after; a selected answer of the
same date is never displaced; a headline never stands beside a later statement. Invented examples."""

from __future__ import annotations

from bot.later import later_statements, newest_first
from bot.select import Scored
from ingest.records import StoredSentence

DATES = {"old#1": "2008-10-12", "new#1": "2017-11-21", "new#2": "2017-11-21", "new#3": "2017-11-21"}


def test_later_news_leads_a_same_dated_background_correction():
    # the claim (flagged) after its correction "new#1" (background), later coverage's news "new#3"
    order = ["new#1", "old#1", "new#3"]
    assert newest_first(order, DATES, flagged={"old#1"}, prefer=["new#3"]) == ["new#3", "new#1", "old#1"]
    # without later coverage's pick, the order stands (the same date is not certainly later)
    assert newest_first(order, DATES, flagged={"old#1"}) == order


def test_what_stands_beside_the_news_follows_it():
    # "new#2" names the subject beside the news "new#3" (a list window); the claim sits between them
    order = ["new#2", "old#1", "new#3"]
    assert newest_first(order, DATES, prefer=["new#3", "new#2"]) == ["new#3", "new#2", "old#1"]
    # an older later statement does not jump ahead of the newest story
    dates = DATES | {"mid#1": "2012-01-01"}
    assert newest_first(["old#1", "mid#1", "new#3"], dates, prefer=["new#3", "mid#1"])[:2] == ["new#3", "old#1"]


def test_a_selected_answer_of_the_same_date_is_not_displaced():
    """Must not: the story's own answer ("annulled the decree", its lead) keeps its place before
    later coverage's statement of the same story and date ("Hours later, … ordered …")."""
    order = ["new#1", "new#2"]
    assert newest_first(order, DATES, prefer=["new#2"], answers={"new#1"}) == order
    assert newest_first(order, DATES, prefer=["new#2"]) == ["new#2", "new#1"]


def test_a_headline_never_stands_beside_a_later_statement(embedder):
    def sc(text: str, src: str, idx: int, published: str, score: float) -> Scored:
        s = StoredSentence(id=f"{src}#{idx}", source=src, index=idx, start=0, end=len(text), text=text,
                           published=published, vector=embedder.embed([text])[0])
        return Scored(sentence=s, dense=0.5, lex=0.4, names=1.0, score=score)

    from bot.later import Surroundings

    cited = sc("At 20,320 feet, Mount Arlo is the highest peak in Norland.", "a", 1, "2012-06-10", 0.6)
    for title in ("New Survey of Norland's Highest Peak", "Mount Arlo Shrinks", "Norland Peak Is Lower"):
        head = sc(title, "b", 0, "2015-09-03", 0.2)
        news = sc("The summit stands at 20,310 feet, a survey team said on Wednesday.", "b", 1, "2015-09-03", 0.3)
        around = Surroundings({"b": title}, {})
        got = later_statements([cited], [cited, head, news], "How tall is Mount Arlo in Norland?",
                               ["mount", "arlo", "norland"], around=around)
        assert [s.sentence.text for s in got] == [news.sentence.text], title
