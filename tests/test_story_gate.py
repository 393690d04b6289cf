"""One story per link (ingest/corrections/story.py): a correction link — or an editor's candidate —
never joins sentences of two different stories. Across sources, the later document must name the
claim's subject (a name phrase found whole, or its initials), or the two documents must be close in
meaning as wholes. Every detector family passes through the same test (detect_across's `story`).
Also "no longer just X" ends nothing (a quoted "Acme is no longer just an online store" after the
announcement of a takeover is not a later change). Invented texts; the real model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections import story as S
from ingest.corrections.detect import Row, detect_across, detect_within
from ingest.records import SourceRecord
from tests.sources import write_source


def _rows(embedder, source: str, texts: list[str], published: str) -> list[Row]:
    vecs = embedder.embed(texts)
    return [Row(id=f"{source}#{i}", source=source, index=i, start=0, end=len(t), text=t, vector=v, published=published)
            for i, (t, v) in enumerate(zip(texts, vecs))]


def test_name_phrases_leave_out_numbers_titles_and_generic_words():
    assert S.name_phrases("In Vadodara, his margin was more than 570,000 votes.") == (("vadodara",),)
    got = S.name_phrases("President Ana Reyes met the Second World War veterans at the University of Tarsa.")
    assert ("ana", "rey") in got and ("second", "world", "war") in got
    assert not any("presid" in p for p in got) and not any(t.isdigit() for p in got for t in p)


@pytest.mark.parametrize("claim,later_doc,same", [
    # one shared word inside two different names is not the same subject
    ("Pilots called it the worst disruption since the Second World War.",
     ["The World Health Organization declared an emergency over the outbreak."], False),
    ("In Vadodara, his margin of victory was more than 570,000 votes.",
     ["Prime Minister Sushil Koirala said the death toll could reach 10,000."], False),
    # the same subject: a name found whole, a surname, initials either way
    ("Djokovic's visa was restored by a judge.", ["Novak Djokovic was deported on Sunday."], True),
    ("The World Health Organization declared a pandemic.", ["The WHO said the pandemic phase had ended."], True),
    ("The WHO declared a pandemic.", ["The World Health Organization said the pandemic phase had ended."], True),
])
def test_the_later_document_must_name_the_claims_subject(claim, later_doc, same):
    facts = S.doc_facts(later_doc)
    assert S.names_subject(claim, "", "", facts) is same


def test_a_claim_naming_nothing_takes_the_sentence_before_or_the_headline():
    later = S.doc_facts(["Harlow Mining closed the Tarsa pit on Monday."])
    assert S.names_subject("It plans to double output.", "Harlow Mining bought the Tarsa pit.", "", later)
    assert S.names_subject("It plans to double output.", "", "Harlow Mining expands", later)
    assert not S.names_subject("It plans to double output.", "", "", later)


def test_documents_close_as_wholes_are_one_story_without_a_shared_name(embedder):
    one = ["Volkswagen admitted cheating diesel emissions tests.", "The carmaker faces recalls of its diesel cars."]
    two = ["VW said fewer diesel cars had false emissions figures than it first feared.",
           "The carmaker's diesel recall will be smaller."]
    far = ["The orchestra opened its season with a new symphony.", "Tickets sold out in an hour."]
    a, b, c = (S.doc_facts(t, list(embedder.embed(t))) for t in (one, two, far))
    claim = "Volkswagen understated the carbon dioxide emissions of 800,000 cars."
    assert not S.names_subject(claim, "", "", b)
    assert float(a.centroid @ b.centroid) >= S.DOC_SIM > float(a.centroid @ c.centroid)
    assert S.same_story(claim, "", "", a, b) and not S.same_story(claim, "", "", a, c)


ASH = ["Volcanic ash grounds flights across Europe.",
            "Pilots called it the worst disruption to European air travel since the Second World War."]
EPIDEMIC = ["Epidemic declared an emergency.",
         "The World Health Organization declared the epidemic an international emergency, saying a global "
         "response was needed to stop the worst outbreak of the disease since it was discovered."]


def _pair(embedder):
    a = _rows(embedder, "ash", ASH, "2010-04-16")
    b = _rows(embedder, "epidemic", EPIDEMIC, "2014-08-08")
    recs = {"ash": SourceRecord("ash", title=ASH[0], publisher="T", published="2010-04-16"),
            "epidemic": SourceRecord("epidemic", title=EPIDEMIC[0], publisher="T", published="2014-08-08")}
    rows = {"ash": a, "epidemic": b}
    return a, b, recs, S.Stories(rows.__getitem__, lambda sid: recs[sid].title)


def test_detect_across_refuses_a_pair_of_two_stories_that_it_would_otherwise_propose(embedder):
    a, b, recs, gate = _pair(embedder)
    without = detect_across(a, b, recs)
    assert without, "the pair must reach the detector for the test to mean anything"
    assert detect_across(a, b, recs, story=gate) == []
    assert gate.blocked >= 1


def test_the_same_story_across_sources_still_links(embedder):
    a = _rows(embedder, "plan", ["Harlow Mining plans to build a smelter in Tarsa, the company said."], "2021-03-02")
    b = _rows(embedder, "off", ["Harlow Mining called off the Tarsa smelter after the council refused a permit."], "2021-09-14")
    recs = {"plan": SourceRecord("plan", title="Harlow plans smelter", publisher="T", published="2021-03-02"),
            "off": SourceRecord("off", title="Harlow drops smelter", publisher="T", published="2021-09-14")}
    rows = {"plan": a, "off": b}
    gate = S.Stories(rows.__getitem__, lambda sid: recs[sid].title)
    links = detect_across(a, b, recs, story=gate)
    assert [lk.status for lk in links] == ["superseded"] and gate.blocked == 0


def test_ingest_keeps_two_stories_apart_and_lists_no_candidate_between_them(settings, embedder, tmp_path):
    from ingest.pipeline import Indexer

    src = tmp_path / "two"
    src.mkdir()
    write_source(src, "ash", "2010-04-16", *ASH)
    write_source(src, "epidemic", "2014-08-08", *EPIDEMIC)
    ix = Indexer(settings.model_copy(update={"sources_dir": src}), embedder=embedder)
    assert ix.ingest([str(src)]).ok
    st = ix.store()
    assert st.all_links() == [] and st.candidate_links() == []


@pytest.mark.parametrize("later", [
    "\"Acme is no longer just an online store, it now owns a supermarket chain,\" one analyst said after the announcement.",
    "After the deal Acme is no longer only an online retailer, analysts said later.",
    "Acme is no longer merely an online store, one investor said later that day.",
])
def test_no_longer_just_x_ends_nothing(embedder, later):
    texts = ["Acme said on Friday it had agreed to buy the Halden supermarket chain, taking the online store into physical shops.",
             later]
    rows = _rows(embedder, "s", texts, "2017-06-16")
    links = detect_within(rows, {"s": SourceRecord("s", publisher="T", published="2017-06-16")})
    assert [lk for lk in links if lk.status != "candidate"] == []


def test_no_longer_without_just_still_overtakes(embedder):
    texts = ["The Halden footbridge remains closed to walkers, the council said in the morning.",
             "By the evening the Halden footbridge was no longer closed to walkers, the council said later."]
    rows = _rows(embedder, "s", texts, "2017-06-16")
    links = detect_within(rows, {"s": SourceRecord("s", publisher="T", published="2017-06-16")})
    assert [lk.status for lk in links] == ["superseded"], links
    assert np.isfinite(links[0].score)
