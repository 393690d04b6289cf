"""Review of later coverage within a story (bot/later_within.py): a weekday is placed against its
source's date only when that date names a day; a time of day ("10.30 pm") is no figure. Every source
here is invented."""

from __future__ import annotations

from bot.later_within import told_after, updates_within
from bot.select import Scored
from ingest.records import StoredSentence


def _st(text: str, index: int, published: str = "2019-03-02") -> StoredSentence:
    return StoredSentence(id=f"a#{index}", source="a", index=index, start=0, end=len(text), text=text,
                          published=published)


def test_a_weekday_is_not_placed_against_a_date_that_names_no_day():
    # Dated to the month only: which "Thursday" or "Saturday" is meant is unknown, so the story's own
    # order stands (as for an undated story). Read against 1 March 2019 (a Friday) it was refused.
    first = _st("On Thursday the ministry put the death toll at 40.", 1, published="2019-03")
    update = _st("On Saturday the ministry raised the death toll to 58.", 4, published="2019-03")
    assert told_after(first, update)
    assert told_after(_st(first.text, 1, published="2019"), _st(update.text, 4, published="2019"))
    assert told_after(_st(first.text, 1, published=""), _st(update.text, 4, published=""))
    # With a day's date the weekday still says otherwise: "on Saturday" in a Friday story is last week.
    assert not told_after(_st(first.text, 1, published="2019-03-01"), _st(update.text, 4, published="2019-03-01"))


def test_a_time_of_day_is_no_figure_that_puts_an_update_on_the_point():
    cited = Scored(sentence=_st("The council counted 40 ballots in Brenford.", 1), dense=0.6, lex=0.5, names=1.0)
    beside = Scored(sentence=_st("By the evening, at 10.30 pm, fireworks lit up the stadium roof.", 5),
                    dense=0.45, lex=0.0, names=0.0)
    assert updates_within([cited], [cited, beside], "How many ballots were counted?") == []
    figure = Scored(sentence=_st("By the evening, 52 fireworks lit up the stadium roof.", 6), dense=0.45, lex=0.0,
                    names=0.0)
    assert updates_within([cited], [cited, figure], "How many ballots were counted?") == [figure]


# -- a live blog: every paragraph carries an update's label, few overtake anything --------------------------

LIVE = ["Storm hits Tessel harbour: live updates",
        "The harbour authority said the storm surge reached 3.2 metres at the Tessel breakwater on Wednesday morning.",
        "The ferry company cancelled all crossings to the islands for the day.",
        "Update, 3pm: Volunteers from the lifeboat station handed out blankets at the town hall.",
        "Update, 5pm: The mayor thanked the volunteers and said the town hall would stay open overnight."]


def test_a_live_blogs_update_label_alone_puts_no_paragraph_on_the_point(tmp_path, settings, embedder, indexer):
    from bot.engine import Engine
    from tests.sources import write_source

    folder = tmp_path / "src"
    folder.mkdir()
    write_source(folder, "liveblog", "2024-03-06", *LIVE)
    assert indexer.ingest([str(folder)]).ok
    engine = Engine(settings, embedder=embedder)
    for q in ("How high was the storm surge at Tessel?", "What did the harbour authority say about the storm surge?"):
        ans = engine.ask(q)
        shown = [(c.role, c.text) for c in ans.citations]
        assert ans.citations and "storm surge reached 3.2 metres" in ans.citations[0].text, (q, shown)
        assert all(c.role != "later" for c in ans.citations), (q, shown)
