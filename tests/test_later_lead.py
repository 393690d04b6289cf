"""Which sentence of a later story is shown (bot/later.py `_news_first`): the story's lead, when it
states the change under a headline naming the question's subject, even in words far from the
question's ("The chipmaker has withdrawn its offer for its Texas rival") — not a sentence of the same
story that repeats the question's names beside the point. News copy tells its news first. Every
source here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine

STORIES = [
    ("Did Velcor go through with buying Drummond?",
     ("2017-11-07", "Velcor Bids for Drummond",
      ["Velcor offered on Monday to buy Drummond Systems for $40 a share, or about $61 billion.",
       "The chipmaker said the deal would create the largest maker of network chips in the world."]),
     ("2018-03-15", "Velcor Walks Away From Drummond",
      ["The chipmaker has withdrawn its offer for its Texas rival, two days after regulators blocked the takeover.",
       "Velcor had insisted that its purchase of Drummond posed no risk to competition.",
       "Velcor said it would still move its headquarters to Austin."]),
     "has withdrawn its offer"),
    ("Is the Harlow ferry to Osk still running?",
     ("2020-05-04", "Harlow Ferry Keeps Sailing",
      ["The Harlow ferry to Osk is still running twice a day despite falling passenger numbers.",
       "Tickets cost about 12 euros each way."]),
     ("2021-02-10", "Harlow Ferry to Osk Ends",
      ["The operator has cancelled the crossing for good after forty years, citing losses.",
       "The Harlow ferry to Osk carried 90,000 passengers in its best year.",
       "Osk's mayor said the Harlow ferry had been part of island life for generations."]),
     "has cancelled the crossing for good"),
    ("Did Pemberton Foods open its plant in Tarvo?",
     ("2019-06-12", "Pemberton Plans Tarvo Plant",
      ["Pemberton Foods plans to open a bottling plant in Tarvo next year, creating 400 jobs.",
       "The company already runs two plants in the region."]),
     ("2020-04-22", "Pemberton Drops Tarvo Plant",
      ["The food group has scrapped the plan for its bottling plant, blaming the cost of water.",
       "Pemberton Foods bought the site in Tarvo for about 3 million euros in 2018.",
       "Tarvo's council said Pemberton Foods had been a welcome investor."]),
     "has scrapped the plan"),
]


def _write(folder: Path, sid: str, published: str, title: str, sentences: list[str]) -> None:
    (folder / f"{sid}.md").write_text(
        f"---\nid: {sid}\ntitle: \"{title}\"\npublisher: Dale Courier (fictional)\npublished: {published}\n---\n"
        + "\n\n".join([title, *sentences]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("question,first,later,lead", STORIES)
def test_a_later_storys_lead_stating_the_change_is_the_statement_shown(tmp_path, settings, embedder, indexer,
                                                                      question, first, later, lead):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "story-first", *first)
    _write(folder, "story-later", *later)
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask(question)
    shown = [(c.role, c.source, c.text) for c in ans.citations]
    from_later = [c for c in ans.citations if c.source == "story-later"]
    assert from_later and lead in from_later[0].text, (question, shown)
