"""Words with accented letters are read whole, and found typed with or without their accents.

News names are often written with accents ("Raúl Castro", "Gdańsk", "Nguyễn"). The word pattern
read only ASCII letters, so "Ibáñez" became the fragments "Ib", "áñ" and "ez": a question naming him
with the accents was declined as naming something no source mentions, and one typed without them
("ibanez") matched nothing of the name. Words are now read whole over the Latin letters, and a
term drops its accents (so "ibanez" and "Ibáñez" are one term); names keep their written form.
An index built before (schema 7) is recounted from its stored text (migration 8), not re-embedded.
The invented story below is not from any eval set.
"""

from __future__ import annotations

from ingest.termcounts import CASED, document_frequencies
from ingest.terms import content_terms, name_tokens, unaccent
from tests.conftest import story_engine

STORY = """---
published: 2022-05-10
publisher: Valley Courier
---
# Harbour pilot fined after ferry grounding

A harbour pilot, Tomás Ibáñez, was fined 4,000 euros on Tuesday for the grounding of a ferry near Łódź Marina.
Ibáñez told the court that fog had hidden the channel markers when the ferry left at dawn.
The ferry's owner, Øresund Lines, said none of its 212 passengers was hurt.
The marina's director, Zoë Nguyễn, said repairs to the quay would take three weeks.
The harbour authority said it would review how pilots are trained for night crossings.
"""


def test_accented_words_are_read_whole_and_unaccented():
    assert content_terms("Tomás Ibáñez told the court") == ("toma", "ibanez", "tell", "court")
    assert content_terms("tomas ibanez") == content_terms("Tomás Ibáñez")
    assert content_terms("Łódź and Øresund") == ("lodz", "oresund")
    assert name_tokens("A pilot, Tomás Ibáñez, met Zoë Nguyễn in Gdańsk.") == ["Tomás", "Ibáñez", "Zoë", "Nguyễn", "Gdańsk"]
    assert unaccent("straße") == "strasse" and unaccent("plain") == "plain"
    # Other scripts as before: Greek and Cyrillic words whole and unstemmed, CJK by character too.
    assert content_terms("Путин met Σωκράτης") == ("meet", "путин", "σωκράτης")
    assert content_terms("北京 said") == ("say", "北", "京", "北京")
    counts = document_frequencies("Ibáñez spoke. Then Ibáñez left.")
    assert counts["ibanez"] == 2 and counts[CASED + "Ibáñez"] == 2 and "ez" not in counts


def test_a_name_is_found_typed_with_or_without_its_accents(tmp_path, embedder):
    eng = story_engine(tmp_path, embedder, {"grounding.md": STORY})
    for q in ("what did Ibáñez tell the court", "what did ibanez tell the court", "What did Ibanez tell the court?"):
        ans = eng.ask(q)
        assert ans.answered, q
        assert "fog had hidden the channel markers" in ans.citations[0].text, q
    ans = eng.ask("how long will the quay repairs take according to zoe nguyen")
    assert ans.answered and "three weeks" in ans.citations[0].text
    assert eng.stats.written_as("ibanez") == "Ibáñez"
    # A name no source holds is still not answered with someone else's words.
    assert not eng.ask("What did Ibarra tell the court?").answered


def test_an_index_counted_before_reads_accented_words_after_the_next_ingest(tmp_path, embedder):
    """An index built by the code before this change (schema 7, commit 18217c1) counted "Ibáñez" as
    fragments; the next ingest, changing no source, recounts its terms from the stored text
    (migration 8) and relinks under the current detector, re-embedding nothing."""
    from ingest.corrections import DETECTOR_VERSION
    from ingest.migrations import LATEST
    from ingest.store import Store
    from ingest.termcounts import split_cased
    from tests.oldtree import index_with, tree_at, upgrade, vectors

    (tmp_path / "story").mkdir()
    story = tmp_path / "story" / "grounding.md"
    story.write_text(STORY, encoding="utf-8")
    s, folder = index_with(tree_at("18217c1", tmp_path / "old"), [story], tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.schema_version() == 7
    terms, _ = split_cased(old.term_totals()[2])
    assert "ez" in terms and "ibanez" not in terms
    report, new = upgrade(s, folder, embedder, vectors(old), exact=True)
    assert set(report.counts()) == {"unchanged"}
    assert new.manifest.schema_version() == LATEST >= 8 and new.manifest.detector_version() == DETECTOR_VERSION
    terms, cased = split_cased(new.term_totals()[2])
    assert terms["ibanez"] == 2 and "ez" not in terms and cased["Ibáñez"] == 2


def test_later_coverage_reads_the_names_without_accents_too():
    """The question's names are read without accents, so the tests of later coverage that look for them
    in a statement fold the statement's accents too (a reviewer's case: "Did Ibáñez resign in March?")."""
    import unicodedata

    from bot.later import _says
    from bot.later_story import names_any

    assert _says("Ibáñez resigned as mayor on Tuesday.", "ibanez")
    assert names_any("Łódź will get 20 million zloty.", ["lodz"])
    # Text in decomposed form (NFD) reads as the composed form does.
    assert content_terms(unicodedata.normalize("NFD", "Ibáñez met Nguyễn")) == content_terms("Ibáñez met Nguyễn")
