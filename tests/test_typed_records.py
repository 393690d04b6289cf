"""Typed records between the store, the stages and the adapters (issue 13, item 3).

Why: rows that travel as dicts (`rec`, `row`, `corr` each meaning several things) let a caller
read a key that is not there, or a stage build a row in a shape the store never returns. The
store's reads return `StoredSentence` / `SourceRecord`, the engine's listings `IndexedSource` /
`CorrectionEntry`, and the sentence the correction detector sees while a source is ingested is
built the one way the store writes and reads it back.
"""

from __future__ import annotations

import json

import numpy as np

from bot.answer import CorrectionEntry, IndexedSource
from conftest import ARTICLE, SEED_ID, SOURCES
from ingest import corrections as corr
from ingest.loaders import load_file
from ingest.records import SourceRecord, StoredSentence
from ingest.split import split_sentences


def test_every_read_of_the_store_returns_typed_records(indexer):
    indexer.ingest([str(SOURCES)])
    st = indexer.store()
    recs = st.source_records()
    assert set(recs) == {SEED_ID} and isinstance(recs[SEED_ID], SourceRecord)
    rec = recs[SEED_ID]
    assert rec.state == "complete" and rec.sentences == 20 and rec.publisher == "Bloomberg"
    assert rec.path.endswith(ARTICLE.name) and rec.indexed_at.endswith("Z") and rec.text == ""
    full = st.get_sources([SEED_ID])[SEED_ID]
    assert full.text and full.sha256 == rec.sha256

    rows = st.source_sentences(SEED_ID)
    assert [r.index for r in rows] == list(range(20)) and all(isinstance(r, StoredSentence) for r in rows)
    assert all(full.text[r.start:r.end] == r.text and r.sha == rec.sha256 and r.vector is None for r in rows)
    assert all(r.cue is not None for r in rows)  # the detector's cue is stored with every sentence
    by_id = st.get_sentences([rows[3].id, rows[3].id, rows[5].id], with_vectors=True)
    assert list(by_id) == [rows[3].id, rows[5].id] and by_id[rows[3].id].vector.shape == (384,)
    assert {r.id for r in st.where_sentences({"index": {"$lt": 2}})} == {rows[0].id, rows[1].id}

    hits = st.query(by_id[rows[3].id].vector, 5)
    assert hits[0].id == rows[3].id and abs(hits[0].distance) < 1e-4 and abs(hits[0].dense - 1.0) < 1e-4
    assert [h.distance for h in hits] == sorted(h.distance for h in hits)
    assert all(isinstance(h.vector, np.ndarray) and h.text == full.text[h.start:h.end] for h in hits)
    found = st.containing("Megvii", 50)
    assert found and all("Megvii" in r.text and r.vector is not None and r.distance is None for r in found)


def test_the_detector_sees_a_sentence_being_ingested_exactly_as_the_store_returns_it(indexer, embedder):
    source = load_file(ARTICLE)
    sentences = split_sentences(source.id, source.text)
    vectors = embedder.embed([s.text for s in sentences])
    building = [corr.row(source, s, vectors[i]) for i, s in enumerate(sentences)]
    indexer.ingest([str(SOURCES)])
    stored = indexer.store().source_sentences(SEED_ID, with_vectors=True)
    assert len(building) == len(stored) == 20
    for a, b in zip(building, stored):
        assert (a.id, a.source, a.index, a.start, a.end, a.text, a.published, a.sha, a.cue) == \
               (b.id, b.source, b.index, b.start, b.end, b.text, b.published, b.sha, b.cue)
        assert np.allclose(a.vector, b.vector, atol=1e-6)
        assert a.metadata() == b.metadata()


def test_a_source_record_from_an_older_or_damaged_manifest_still_reads():
    old = SourceRecord.from_meta("x", {"kind": "source", "state": "complete", "title": "T", "sentences": 3,
                                       "contacts": "not json", "extra": "[]", "corrects": json.dumps([{"source": "y"}])})
    assert (old.title, old.sentences, old.indexed_at, old.path) == ("T", 3, "", "")
    assert old.contacts == [] and old.extra == {} and old.corrects == [{"source": "y"}]
    s = StoredSentence.from_chroma("a#0", "Text.", {"source": "a", "index": 0, "start": 0, "end": 5})
    assert s.sha is None and s.cue is None and s.published == "" and s.dense is None
    assert s.metadata() == {"source": "a", "index": 0, "start": 0, "end": 5, "published": ""}


def test_the_engine_lists_sources_and_corrections_as_records_whose_json_keeps_its_shape(engine):
    entries = engine.corrections()
    assert len(entries) == 1 and isinstance(entries[0], CorrectionEntry)
    e = entries[0]
    assert e.claim.source == SEED_ID and e.correction.status == "corrected" and e.correction.by
    assert e.newest_by == max(b.published for b in e.correction.by)
    js = e.to_json()
    assert list(js) == ["claim", "status", "note", "origin", "by", "family"]
    assert js["claim"] == e.claim.to_json() and js["by"] == [b.to_json() for b in e.correction.by]
    srcs = engine.sources()
    assert [type(s) for s in srcs] == [IndexedSource] and srcs[0].record.id == SEED_ID and srcs[0].flagged == 1
