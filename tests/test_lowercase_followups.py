"""Follow-ups typed in lowercase find their subject: names are recased as the sources write them.

Readers type "who started linkedin" into a chat box. `subject_of` finds a question's subject by its
capitals, so a lowercase question named nothing: a follow-up ("when did it go public?") was run
together with the whole previous question, and a new lowercase question naming its own subject
could be taken for a follow-up. Ingest now counts how the sources write their names (`^LinkedIn`
in the term counts: sentences writing it with a capital, headlines aside); the engine recases a lowercase word the sources
mostly write capitalised, unless the dictionary calls it an ordinary word ("us", "apple" stay as typed).
The invented story below is not from any eval set.
"""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.names import lexicon, recase
from ingest.termcounts import CASED, document_frequencies, split_cased
from tests.conftest import story_engine

STORY = """---
published: 2021-03-04
publisher: Harbour Times
---
# Orvanta agrees to buy Quillshaw

Orvanta said on Thursday that it had agreed to buy Quillshaw, the online print marketplace, for 2.1 billion dollars.
Quillshaw was founded in 2009 by Mira Tallis in a garage in Leeds and listed its shares in London in 2015.
Orvanta will pay 14 dollars for each Quillshaw share, a premium of 30 percent.
The deal is expected to close in the third quarter, subject to approval by regulators.
Tallis, who owns about a fifth of Quillshaw, said she supported the sale.
Analysts said the purchase gives Orvanta a foothold in online printing, a market that grew during the lockdown.
Shares of Orvanta fell 3 percent in London trading.
An apple orchard near the Leeds warehouse was sold separately to a local farmer.
"""


def needs_dictionary() -> None:
    if not lexicon().loaded:
        pytest.skip("the en_US dictionary (chunspell) is not installed")


def test_term_counts_count_how_names_are_written_apart_from_the_terms():
    counts = document_frequencies("Orvanta Agrees To Buy Quillshaw\n\nOrvanta agreed to buy Quillshaw. "
                                  "Quillshaw shares rose. The deal with QUILLSHAW and Orvanta closes in May.")
    terms, cased = split_cased(counts)
    # A sentence's first word counts (not a function word: "The"); the headline does not.
    assert cased == {"Quillshaw": 2, "QUILLSHAW": 1, "Orvanta": 2, "May": 1}
    assert not any(t.startswith(CASED) for t in terms) and terms["quillshaw"] == 4
    assert split_cased({"deal": 2}) == ({"deal": 2}, {})


def test_recase_writes_names_as_the_sources_do_and_leaves_ordinary_words():
    needs_dictionary()
    written = {"linkedin": "LinkedIn", "us": "US", "apple": "Apple", "march": "March", "tallis": "Tallis"}
    assert recase("who started linkedin", written.get) == "who started LinkedIn"
    assert recase("what did tallis tell us in march", written.get) == "what did Tallis tell us in march"
    assert recase("is the apple orchard sold", written.get) == "is the apple orchard sold"
    assert recase("what about the lockdown", written.get) == "what about the lockdown"  # never written as a name
    assert recase("Who started LinkedIn", written.get) == "Who started LinkedIn"


def test_a_lowercase_follow_up_takes_the_subject_the_previous_question_named():
    needs_dictionary()
    written = {"quillshaw": "Quillshaw", "orvanta": "Orvanta"}
    casing = lambda text: recase(text, written.get)  # noqa: E731
    conv = Conversation()
    conv.add("who founded quillshaw", None, "who founded quillshaw")
    assert conv.resolve("when did it list its shares?", casing=casing) == "when did Quillshaw list its shares?"
    # Without the names' forms: both questions run together, as before.
    assert conv.resolve("when did it list its shares?") == "who founded quillshaw when did it list its shares?"
    # A lowercase question naming its own subject starts fresh (it is not read as a follow-up).
    assert conv.context_for("and how did orvanta fare", casing=casing) is None
    assert conv.context_for("and how did orvanta fare") == "who founded quillshaw"


def test_there_and_then_carry_the_whole_previous_question():
    """"there" points to the place the previous question gave ("on Everest"), not to its subject."""
    conv = Conversation()
    conv.add("What did the quake do on Everest?", None)
    assert conv.resolve("How many died there?") == "What did the quake do on Everest? How many died there?"
    conv.add("What did Orvanta's board decide in March 2004?", None)
    assert conv.resolve("Who was chairman then?") == "What did Orvanta's board decide in March 2004? Who was chairman then?"


def test_the_engine_recases_from_the_index_and_answers_the_follow_up(tmp_path, embedder):
    needs_dictionary()
    eng = story_engine(tmp_path, embedder, {"deal.md": STORY})
    assert eng.stats.written_as("quillshaw") == "Quillshaw"
    assert eng.stats.written_as("lockdown") is None      # written in lowercase
    assert eng.stats.written_as("apple") is None         # never capitalised here
    assert eng.stats.written_as("leeds") == "Leeds"
    conv = Conversation()
    first = eng.ask("who founded quillshaw", conv)
    assert first.answered and "Mira Tallis" in first.citations[0].text
    conv.add("who founded quillshaw", first, first.standalone)
    follow = eng.ask("when did it list its shares", conv)
    assert follow.standalone == "when did Quillshaw list its shares"
    assert follow.answered and "listed its shares in London in 2015" in follow.citations[0].text
    fresh = eng.ask("how much did orvanta's shares fall", conv)
    assert fresh.standalone == "how much did orvanta's shares fall"  # a subject of its own: not a follow-up
    assert fresh.answered and "fell 3 percent" in fresh.citations[0].text


def test_an_index_built_before_names_were_counted_gains_them_on_the_next_ingest(tmp_path, embedder, monkeypatch):
    """An index built by the code before this change (schema 6, commit 50eaeb1) reads as before —
    no names' forms, so nothing is recased — and the next ingest, changing no source, recounts
    every source's terms from its stored text (migration 7) without re-embedding anything, nor
    copying the sentence mirror again."""
    needs_dictionary()
    from bot.engine import Engine
    from ingest.migrations import LATEST
    from ingest.store import Store
    from tests.oldtree import index_with, tree_at, upgrade, vectors

    (tmp_path / "story").mkdir()
    story = tmp_path / "story" / "deal.md"
    story.write_text(STORY, encoding="utf-8")
    s, folder = index_with(tree_at("50eaeb1", tmp_path / "old"), [story], tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.schema_version() == 6
    eng = Engine(s, embedder=embedder)
    eng.ask("warm up")
    assert eng.stats.written_as("quillshaw") is None  # read as it is: readers never migrate

    from bot.coldstore import open_cold
    from bot.termstats import TermStats
    from ingest.mirror import Mirror

    rebuilt: list[int] = []
    real = Mirror.rebuild
    monkeypatch.setattr(Mirror, "rebuild", lambda self, store: (rebuilt.append(1), real(self, store))[1])
    report, new = upgrade(s, folder, embedder, vectors(old), exact=True)
    assert set(report.counts()) == {"unchanged"}
    assert new.manifest.schema_version() == LATEST >= 7
    # The mirror, in step before, follows the recount: stamped with the new totals, not copied again.
    assert rebuilt == []
    cold = open_cold(s, embedder.identity)
    assert cold is not None
    stats = TermStats()
    stats.refresh(cold)
    assert stats.written_as("quillshaw") == "Quillshaw"
    eng = Engine(s, embedder=embedder)
    eng.ask("warm up")
    assert eng.stats.written_as("quillshaw") == "Quillshaw"
    conv = Conversation()
    first = eng.ask("who founded quillshaw", conv)
    conv.add("who founded quillshaw", first, first.standalone)
    assert eng.ask("when did it list its shares", conv).standalone == "when did Quillshaw list its shares"


def test_a_name_typed_with_capitals_stays_the_subject_when_a_lowercase_word_is_recased():
    """A reader who types capitals names the subject they mean: "How did the zentrix outbreak hit
    Orvanta's sales?" is about Orvanta, so "Did it recover?" asks about Orvanta — even when the
    sources write "Zentrix" with a capital, which recasing would otherwise put first. (Invented.)"""
    written = {"zentrix": "Zentrix", "orvanta": "Orvanta"}
    casing = lambda text: recase(text, written.get)  # noqa: E731
    if casing("zentrix") != "Zentrix":
        pytest.skip("the en_US dictionary (chunspell) is not installed")
    conv = Conversation()
    conv.add("How did the zentrix outbreak hit Orvanta's sales?", None)
    assert conv.resolve("Did it recover a year later?", casing=casing) == "Did Orvanta recover a year later?"
    assert conv.resolve("Did it recover a year later?") == "Did Orvanta recover a year later?"  # as without recasing
    # Typed wholly in lowercase, the recased names are all there is: the first one is the subject.
    conv.add("how did orvanta fare in the zentrix outbreak", None)
    assert conv.resolve("did it recover a year later?", casing=casing) == "did Orvanta recover a year later?"


def test_the_person_answered_is_not_the_one_a_lowercase_question_named():
    """"who did dana whitcombe hire" answered "Dana Whitcombe hired Priya Sandhu …": a "she" after
    it is Priya Sandhu, as when the question is typed with capitals. (Invented names.)"""
    from bot.answer import Answer, Citation

    needs_dictionary()
    written = {"dana": "Dana", "whitcombe": "Whitcombe"}
    casing = lambda text: recase(text, written.get)  # noqa: E731
    text = "Dana Whitcombe hired Priya Sandhu as finance chief in May."
    answer = Answer(question="q", answered=True, answer=text, citations=[
        Citation(n=1, source="s", title="t", published="", url="", sentence=1, start=0, end=len(text), text=text,
                 score=0.5)])
    for asked, follow, want in [("Who did Dana Whitcombe hire?", "What does she earn?", "What does Priya Sandhu earn?"),
                                ("who did dana whitcombe hire", "what does she earn", "what does Priya Sandhu earn")]:
        conv = Conversation()
        conv.add(asked, answer, asked)
        assert conv.resolve(follow, casing=casing) == want, asked
