"""Later coverage for a question typed in lowercase (bot/retrieve.py `Query.cased`): "is oslo still
bidding …" names Oslo as much as "Is Oslo still bidding …" does, so the later story saying the city
pulled out — whose statement names it only as "the Norwegian capital", under a headline naming
Norway — is shown beside the older claim either way. Before, a lowercase question named nothing,
and a later statement sharing none of the cited sentence's own names was not tied to it. The two
sources are an episode of the spent real-world part data/eval/realworld/heldout25 (development
data, README "Evaluation")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Engine

PART = Path(__file__).resolve().parent.parent / "data" / "eval" / "realworld" / "heldout25"


@pytest.mark.parametrize("question", ["Is Oslo still bidding for the 2022 Winter Olympics?",
                                      "is oslo still bidding for the 2022 winter olympics"])
def test_a_lowercase_question_gets_the_later_story_as_a_capitalised_one_does(tmp_path, settings, embedder, indexer,
                                                                           question):
    folder = tmp_path / "src"
    folder.mkdir()
    for sid in ("rw-oslo2022-2014-07-08", "rw-oslo2022-2014-10-02"):
        shutil.copy(PART / f"{sid}.md", folder)
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask(question)
    shown = [(c.role, c.source, c.text) for c in ans.citations]
    assert any(c.source == "rw-oslo2022-2014-07-08" for c in ans.citations), shown
    assert any(c.role == "later" and "pulled out of the contest" in c.text for c in ans.citations), shown


def test_a_lowercase_question_about_a_state_quotes_no_other_sentence_of_the_same_story_as_later(
        tmp_path, settings, embedder, indexer):
    """Selection reads a lowercase question as naming nothing, so every candidate covered its names;
    later coverage counts them against the recased question's names (bot/later.py `recounted`), or
    the same-story rule would show any sentence of the cited story as the newest word. The source
    is an article of the spent news set data/eval/news-heldout16."""
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(PART.parent.parent / "news-heldout16" / "sources" / "01-gene-edited-twins.md", folder)
    assert indexer.ingest([str(folder)]).ok
    ans = Engine(settings, embedder=embedder).ask("was he jiankui still working at the university when this came out?")
    assert ans.citations and not [c.text for c in ans.citations if c.role == "later"], \
        [(c.role, c.text) for c in ans.citations]
