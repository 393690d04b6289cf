"""A day or a month a question names is when, not who or what (ingest.terms CALENDAR_WORDS): a later
story about another subject that shares only the question's month is not later coverage ("What was the
jobless rate in Tarvia in March?" / "The jobless rate in Osk for March was revised up to 5.4 percent"),
while the same subject's later figure still is. Every source here is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine

CASES = [
    ("What was the jobless rate in Tarvia in March?",
     "Tarvia's jobless rate stood at 5.1 percent in March, the labour office said on Friday.",
     "The jobless rate in Osk for March was revised up to 5.4 percent, the labour office said on Tuesday.",
     "Tarvia's jobless rate for March was revised up to 5.4 percent, the labour office said on Tuesday."),
    ("How much did Velm Bank earn in June?",
     "Velm Bank earned 40 million euros in June, its best month this year.",
     "Korra Bank earned 55 million euros in June after a rise in lending, the bank said.",
     "Velm Bank earned 55 million euros in June after all, the bank said in revised accounts."),
    ("How many visitors did the Tarn museum have on Sunday?",
     "The Tarn museum had 4,000 visitors on Sunday, its busiest day since opening.",
     "The Osk gallery had 6,500 visitors on Sunday, its director said in a later count.",
     "The Tarn museum had 6,500 visitors on Sunday, its director said in a later count."),
]


def _write(folder: Path, sid: str, published: str, text: str) -> None:
    (folder / f"{sid}.md").write_text(
        f"---\nid: {sid}\ntitle: {sid}\npublisher: Dale Courier (fictional)\npublished: {published}\n---\n{text}\n",
        encoding="utf-8")


def _later_shown(tmp_path, settings, embedder, indexer, question, first, later) -> list[str]:
    folder = tmp_path / "src"
    folder.mkdir()
    _write(folder, "first", "2023-04-03", first)
    _write(folder, "later", "2023-05-10", later)
    assert indexer.ingest([str(folder)]).ok
    return [c.text for c in Engine(settings, embedder=embedder).ask(question).citations if c.source == "later"]


@pytest.mark.parametrize("question,first,other,same", CASES)
def test_a_later_story_sharing_only_the_date_is_not_shown(tmp_path, settings, embedder, indexer, question, first, other, same):
    assert _later_shown(tmp_path, settings, embedder, indexer, question, first, other) == []


@pytest.mark.parametrize("question,first,other,same", CASES)
def test_the_same_subjects_later_statement_is(tmp_path, settings, embedder, indexer, question, first, other, same):
    assert _later_shown(tmp_path, settings, embedder, indexer, question, first, same) == [same]
