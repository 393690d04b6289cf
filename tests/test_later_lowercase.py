"""Later coverage for a question typed in lowercase (bot/retrieve.py `Query.cased`): "is tarvo still
bidding …" names Tarvo as much as "Is Tarvo still bidding …" does, so the later story that says the
bid was dropped — naming the city only in its story, the statement itself saying "the Norland
capital" — is shown beside the older claim either way. Before, a lowercase question named nothing,
and a later statement that did not share the cited sentence's own names was never tied to it. Every
source here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine

FIRST = ("2029-07-08", "Three Cities Left in the Race for the 2036 Winter Games", [
    "Tarvo is one of three cities still bidding to host the 2036 Winter Games, after the organisers' board named it a candidate on Monday.",
    "The other two candidates are Lund and Belmar."])
LATER = ("2029-10-02", "Norland Drops Its Winter Games Bid", [
    "The Norland capital pulled out of the race for the 2036 Winter Games on Wednesday.",
    "Polls had shown most voters in Tarvo against spending public money on the Games.",
    "The organisers still plan to pick the host next July."])


def _write(folder: Path, sid: str, published: str, title: str, sentences: list[str]) -> None:
    (folder / f"{sid}.md").write_text(
        f"---\nid: {sid}\ntitle: \"{title}\"\npublisher: Dale Courier (fictional)\npublished: {published}\n---\n"
        + "\n\n".join([title, *sentences]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("question", ["Is Tarvo still bidding for the 2036 Winter Games?",
                                      "is tarvo still bidding for the 2036 winter games"])
def test_a_lowercase_question_gets_the_later_story_as_a_capitalised_one_does(tmp_path, settings, embedder, indexer,
                                                                           question):
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "bid-first", *FIRST)
    _write(folder, "bid-later", *LATER)
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask(question)
    shown = [(c.role, c.source, c.text) for c in ans.citations]
    assert any(c.source == "bid-first" for c in ans.citations), shown
    later = [c for c in ans.citations if c.source == "bid-later" and c.role == "later"]
    assert later and "pulled out of the race" in later[0].text, shown
