"""A later source whose only linked sentence is its background still shows its news (bot/cite.py): a
correcting sentence that dates what it tells to an earlier year ("Vassaria was taken off the list in
2008", in a 2017 story) does not stand for that story's own news, so later coverage keeps the
story's statement of what happened in its own days. All examples are invented."""

from __future__ import annotations

import json

import pytest

from bot.engine import Engine
from tests.sources import write_source

CASES = [  # (claim, the later story's background, its news, question)
    ("The Orlan Council took Vassaria off its list of rogue states on Saturday.",
     "The Orlan Council had cleared Vassaria in 2008 under the old chair.",
     "Chair Ida Brun put the country back on it on Monday.",
     "Is Vassaria on the Orlan Council's list of rogue states?"),
    ("The Pell Trust removed the Kessel Moors from its register of sites at risk on Friday.",
     "The Pell Trust had cleared the Kessel Moors in 2008 after a survey.",
     "Meeting in Oslo on Tuesday, the trustees returned the moors to it.",
     "Are the Kessel Moors on the Pell Trust's register of sites at risk?"),
    ("The Dorn ministry lifted its ban on Tarrow Mining on Thursday.",
     "The Dorn ministry had let Tarrow Mining resume work in 2008, after a long inquiry.",
     "On Wednesday the ministry banned the miner again, citing new spills.",
     "Is Tarrow Mining still banned by the Dorn ministry?"),
]


def _write(folder, claim: str, back: str, news: str) -> None:
    """The later story declares (front matter) that its background sentence supersedes the claim: a
    link whose correcting sentence is background, as a detector can make too."""
    write_source(folder, "old", "2008-10-12", claim)
    (folder / "new.md").write_text(
        "---\nid: new\ntitle: The List Again\npublisher: Fen Gazette (fictional)\npublished: 2017-11-21\n"
        f"corrects:\n  - source: old\n    quote: {json.dumps(claim)}\n    status: superseded\n"
        f"    by: {json.dumps(back)}\n---\n{back}\n\n{news}\n\nThe decision drew praise from neighbouring states.\n",
        encoding="utf-8")


def _roles(tmp_path, settings, embedder, indexer, case) -> dict[str, str]:
    claim, back, news, q = case
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, claim, back, news)
    assert indexer.ingest([str(folder)]).ok
    return {c.text: c.role for c in Engine(settings, embedder=embedder).ask(q).citations}


@pytest.mark.parametrize("case", CASES, ids=["pronoun", "the-trustees", "again"])
def test_a_later_storys_news_is_shown_beside_its_linked_background(tmp_path, settings, embedder, indexer, case):
    roles = _roles(tmp_path, settings, embedder, indexer, case)
    _, back, news, _ = case
    assert roles.get(back) == "correction", roles  # the declared link is shown
    assert roles.get(news) == "later", roles  # and the story's own news beside it


def test_a_correcting_sentence_that_is_news_still_stands_for_its_story(tmp_path, settings, embedder, indexer):
    """Must not show: when the linked sentence is the story's news, the story adds no second statement."""
    claim, _, news, q = CASES[2]
    now = "On Wednesday the ministry banned the miner again, citing new spills."
    roles = _roles(tmp_path, settings, embedder, indexer, (claim, now, "The miner said it would appeal the ban "
                                                            "on Tarrow Mining.", q))
    assert roles.get(now) == "correction", roles
    assert [r for r in roles.values()].count("later") == 0, roles
