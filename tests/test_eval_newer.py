"""`factdesk eval`'s story-level later coverage: the later story shown, and stale quotes counted.

Pure scoring over hand-built answers: no index, no model."""

from bot.answer import Answer, Citation
from bot.evaluate import score_newer


def _cite(source: str, text: str) -> Citation:
    return Citation(n=1, source=source, title="", published=source[-10:], url="", sentence=1, start=0,
                    end=len(text), text=text, score=0.5)


TEXTS = {
    "rw-deal-2017-11-07": "Acme offered to buy Widget for $70 a share.",
    "rw-deal-2018-03-15": "Acme has withdrawn its offer. Acme said it would still move.",
    "rw-quake-2008-05-13": "A magnitude 7.8 earthquake struck.",
}


def test_later_story_shown_counts_any_sentence_of_the_newest_source():
    items = [{"question": "Did Acme buy Widget?", "newest": ["has withdrawn its offer"]}]
    other_sentence = Answer("q", True, "", [_cite("rw-deal-2017-11-07", "Acme offered to buy Widget"),
                                            _cite("rw-deal-2018-03-15", "Acme said it would still move.")])
    old_only = Answer("q", True, "", [_cite("rw-deal-2017-11-07", "Acme offered to buy Widget")])
    assert score_newer(items, [other_sentence], TEXTS)["newer_story_shown"] == 1.0
    assert score_newer(items, [old_only], TEXTS)["newer_story_shown"] == 0.0


def test_stale_quote_is_an_old_claim_quoted_alone_while_its_episode_has_later_news():
    items = [{"question": "a"}, {"question": "b"}, {"question": "c"}]
    answers = [
        Answer("a", True, "", [_cite("rw-deal-2017-11-07", "Acme offered")]),  # stale: 2018 story exists
        Answer("b", True, "", [_cite("rw-deal-2017-11-07", "Acme offered"),
                               _cite("rw-deal-2018-03-15", "Acme has withdrawn its offer.")]),
        Answer("c", True, "", [_cite("rw-quake-2008-05-13", "A magnitude 7.8 earthquake struck.")]),  # no later story
    ]
    r = score_newer(items, answers, TEXTS)
    assert (r["stale_quotes"], r["answers_quoting_dated"]) == (1, 3)
    assert r["newer_story_shown"] is None  # no question asks for the newest statement


def test_later_coverage_from_another_episode_is_counted():
    from dataclasses import replace

    from bot.evaluate import score_off_story

    episodes = [{"id": "deal", "sources": ["rw-deal-2017-11-07", "rw-deal-2018-03-15"]},
                {"id": "quake", "sources": ["rw-quake-2008-05-13"]}]
    items = [{"question": "Did Acme buy Widget?", "episode": "deal"}, {"question": "no episode"}]
    answer = Answer("q", True, "", [replace(_cite("rw-quake-2008-05-13", "A magnitude 7.8 earthquake struck."),
                                            role="later"),
                                    replace(_cite("rw-deal-2018-03-15", "Acme has withdrawn its offer."), role="correction"),
                                    _cite("rw-deal-2017-11-07", "Acme offered to buy Widget")])
    r = score_off_story(episodes, items, [answer, answer])  # the second question has no episode: not counted
    assert (r["later_off_story"], r["later_cited"]) == (1, 2)
    assert r["later_off_story_list"] == ["Did Acme buy Widget? ← A magnitude 7.8 earthquake struck."]
