"""Sentence texts kept as metadata, not as Chroma documents, and searched by substring without Chroma's
full-text index (ingest/textscan.py).

What must hold: `Store.containing` returns exactly what Chroma's `where_document={"$contains": …}`
returned — the same rows, in the same (storage) order, cut at the same limit — whichever copy of the
texts answers (the mirror, a full read of Chroma, a warm bot's rows, a Chroma server); new rows carry
no document; and an index built by the code before (3cbe65d, whose rows have documents) opens,
answers and takes edits without re-embedding, its old rows and new ones read alike.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ingest.corrections.signals import CORRECTOR_CUES
from ingest.records import TEXT_KEY, stored_text
from ingest.terms import name_tokens
from ingest.textscan import TextIndex
from tests.chroma_server import chroma_server  # noqa: F401  (fixture)
from tests.conftest import ARTICLE
from tests.test_coldstore import MULTI

CUE_WHERE = {"cue": {"$in": list(CORRECTOR_CUES)}}
BEFORE = "3cbe65d"  # the session's starting commit: sentence texts as Chroma documents


def _needles(texts: list[str]) -> list[str]:
    """Every name in the texts, plus pieces of words, other cases, short strings and a miss."""
    names = sorted({t for x in texts for t in name_tokens(x, initial=True)})
    return names + [n[1:4] for n in names[::7]] + [n.lower() for n in names[::5]] + [n.upper() for n in names[::5]] \
        + ["e", "th", "the", "The", "’s", "%", "_", ". ", "no such words anywhere"]


def _chroma_order(store) -> list[tuple[str, str]]:
    """(id, text) of every sentence row, in the order Chroma's gets return them."""
    rec = store.sentences.get(include=["metadatas", "documents"])
    return [(i, t) for i, d, m in zip(rec["ids"], rec["documents"], rec["metadatas"])
            if (t := stored_text(d, m)) is not None]


def _offsets_point_at_texts(store) -> None:
    """Every sentence's offsets point at its text in its source's cleaned text, both read straight
    from Chroma (not the catalog): in whichever shape each record was written."""
    from ingest.catalogsync import chroma_records

    _, texts = chroma_records(store, with_texts=True)
    for sid, text in _chroma_order(store):
        row = store.get_sentences([sid])[sid]
        assert texts[row.source][row.start:row.end] == text, sid


def _brute(rows: list[tuple[str, str]], needle: str, limit: int, allowed: set[str] | None = None) -> list[str]:
    return [i for i, t in rows if needle in t and (allowed is None or i in allowed)][:limit]


def test_the_text_index_matches_chromas_contains_row_for_row(tmp_path):
    import chromadb

    docs = ["Face++ said IJOP's data", '50% of "the" o_k items', "Ünïcode straße test", "a*b?c [x] back\\slash",
            "MiXeD case Word", "tab\there", "ends with a", " b starts", "", "aaaa", "Megvii, Megvii and MEGVII",
            "line\nbreak", "emoji 🙂 here"] + [f"filler sentence number {k} about Xinjiang" for k in range(40)]
    col = chromadb.PersistentClient(str(tmp_path / "c")).create_collection("texts", embedding_function=None)
    col.add(ids=[f"r{k:03d}" for k in range(len(docs))], embeddings=[[1.0, float(k)] for k in range(len(docs))],
            documents=docs)
    col.delete(ids=["r005"])  # a deleted row leaves no match behind
    got = col.get(include=["documents"])
    index = TextIndex(zip(got["ids"], got["documents"]))
    needles = ["Face++", "face", "IJOP's", "%", "_", "o_k", '"the"', "straße", "STRASSE", "Ünï", "a*b", "[x]",
               "\\sl", "MiXeD", "mixed", "ed c", "a b", "aa", "Megvii", "MEGVII", "k\nb", "🙂", "Xinjiang", "number 1",
               "e", "x", "tab", "no match"]
    for needle in needles:
        chroma = col.get(where_document={"$contains": needle}, include=[])["ids"]
        assert index.find(needle) == chroma, needle
        assert index.find(needle) == [i for i, d in zip(got["ids"], got["documents"]) if needle in d]


def test_new_rows_keep_the_text_as_metadata_and_every_copy_finds_the_same_rows(tmp_path, settings, indexer,
                                                                                monkeypatch):
    import ingest.store as store_module
    from ingest.rowcache import SentenceRows
    from ingest.store import Store

    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    assert indexer.ingest([str(folder)]).ok
    st = Store(settings, fresh=True)
    rec = st.sentences.get(include=["metadatas", "documents"])
    assert rec["ids"] and all(d is None for d in rec["documents"])  # no full-text index written
    assert all(isinstance(m[TEXT_KEY], str) and m[TEXT_KEY] for m in rec["metadatas"])
    src = st.sources_col.get(where={"kind": "source"}, include=["metadatas", "documents"])
    assert src["ids"] and all(d == "" and m[TEXT_KEY] for d, m in zip(src["documents"], src["metadatas"]))
    _offsets_point_at_texts(st)
    rows = _chroma_order(st)
    cue = {sid for sid, m in zip(rec["ids"], rec["metadatas"]) if m.get("cue") in CORRECTOR_CUES}
    needles = _needles([t for _, t in rows])

    def check(store, label: str) -> None:
        for needle in needles:
            for limit in (3, 50):
                got = store.containing(needle, limit)
                assert [r.id for r in got] == _brute(rows, needle, limit), (label, needle, limit)
                assert all(r.vector is not None and needle in r.text for r in got)
            assert [r.id for r in store.containing(needle, 5, where=CUE_WHERE)] == _brute(rows, needle, 5, cue)

    check(st, "mirror")  # a reader's view of the mirror stamped with this generation
    fresh = Store(settings, fresh=True)
    monkeypatch.setattr(store_module, "from_mirror", lambda store: None)
    check(fresh, "chroma")  # one paged read of every row
    warm = Store(settings, fresh=True)
    cache = SentenceRows(page=50)
    cache.attach(warm, warm.generation())
    assert cache.wait(60)
    monkeypatch.setattr(store_module, "from_chroma", lambda store: pytest.fail("warm rows must answer"))
    check(warm, "warm rows")


def _chroma_contains(self, needle: str, limit: int = 50, where=None):
    """`Store.containing` as it was: Chroma's full-text search over the rows' documents."""
    from ingest.store import _rows

    rec = self.sentences.get(where_document={"$contains": needle}, where=where, limit=limit,
                             include=["metadatas", "documents", "embeddings"])
    return _rows(rec, True)


def test_an_index_built_with_documents_opens_answers_and_takes_edits_without_re_embedding(tmp_path, embedder,
                                                                                          monkeypatch):
    from bot.coldstore import open_cold
    from ingest.corrections.relink import relink
    from ingest.searches import RunSearches
    from ingest.migrations import LATEST
    from ingest.pipeline import Indexer
    from ingest.settings import Settings
    from ingest.store import Store
    from tests.oldtree import index_with, tree_at, upgrade, vectors
    from tests.test_coldstore import _ask, _questions, assert_mirror_is_chroma  # noqa: F811

    old_tree = tree_at(BEFORE, tmp_path / "old")
    s, folder = index_with(old_tree, [ARTICLE, *sorted(MULTI.iterdir())], tmp_path)
    old = Store(s, fresh=True)
    rec = old.sentences.get(include=["metadatas", "documents"])
    assert all(isinstance(d, str) for d in rec["documents"]) and not any(TEXT_KEY in m for m in rec["metadatas"])
    # Chroma's own full-text search over the old rows is the oracle.
    rows = _chroma_order(old)
    for needle in _needles([t for _, t in rows]):
        chroma = old.sentences.get(where_document={"$contains": needle}, limit=7, include=[])["ids"]
        assert [r.id for r in old.containing(needle, 7)] == chroma == _brute(rows, needle, 7), needle

    settings = Settings(_env_file=None, data_dir=s.data_dir, sources_dir=folder)
    report, new = upgrade(settings, folder, embedder, vectors(old), exact=True)
    assert set(report.counts()) == {"unchanged"} and new.manifest.schema_version() == LATEST
    # Relinking every source with Chroma's full-text search (the old rows still have documents)
    # gives the links the upgrade's relink (if the detector changed) or the old code stored.
    upgraded = sorted(new.every_link(), key=lambda lk: lk.id)
    assert upgraded, "the corpus holds correction links"
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(Store, "containing", lambda *a, **k: (calls.append(a[1]), _chroma_contains(*a, **k))[1])
        m.setattr(RunSearches, "containing", lambda self, needle, limit=50, where=None:
                  self.store.containing(needle, limit, where))
        relink(new, set(new.source_records()), set())
    assert len(calls) > 20  # names searched
    assert sorted(new.every_link(), key=lambda lk: lk.id) == upgraded

    # An edit writes its source's rows in the new shape beside the old rows.
    edited = folder / ARTICLE.name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nHuman Rights Watch later said Megvii's "
                      "technology was not part of the app.\n", encoding="utf-8")
    calls = embedder.calls
    ix = Indexer(settings, embedder=embedder)
    assert ix.ingest([str(folder)]).ok
    assert embedder.calls > calls  # only the edited source's sentences
    st = Store(settings, fresh=True)
    rec = st.sentences.get(include=["metadatas", "documents"])
    kept = [TEXT_KEY not in m for m in rec["metadatas"]]
    assert any(kept) and not all(kept)  # untouched rows keep their documents; the edited source's have none
    assert all(d is not None for d, old_row in zip(rec["documents"], kept) if old_row)
    rows = _chroma_order(st)
    for needle in _needles([t for _, t in rows]):
        assert [r.id for r in st.containing(needle, 7)] == _brute(rows, needle, 7), needle
    _offsets_point_at_texts(st)  # the edited source's record in the new shape, the others as they were
    assert_mirror_is_chroma(settings, embedder)
    assert open_cold(settings, embedder.identity) is not None
    cold, imported = _ask(s.data_dir, _questions())
    assert imported is False and cold == _ask(s.data_dir, _questions(), FACTDESK_COLD_MIRROR="0")[0]
    # The incremental relink over mixed rows gives the links a full relink gives.
    store = ix.store()
    incremental = sorted(store.every_link(), key=lambda lk: lk.id)
    relink(store, set(store.source_records()), set())
    assert sorted(store.every_link(), key=lambda lk: lk.id) == incremental


def test_over_a_chroma_server_the_texts_are_found_by_the_server(chroma_server, tmp_path, embedder):
    from ingest.pipeline import Indexer
    from tests.test_server_mode import server_settings

    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    ix = Indexer(server_settings(chroma_server, tmp_path), embedder=embedder)
    assert ix.ingest([str(folder)]).ok
    st = ix.store()
    assert st.mirror.path is None
    rec = st.sentences.get(include=["metadatas", "documents"])
    # No mirror on a server: the text stays the document, for the server's own search (tests/test_store_review.py).
    assert all(isinstance(d, str) and TEXT_KEY not in m for d, m in zip(rec["documents"], rec["metadatas"]))
    rows = _chroma_order(st)
    for needle in _needles([t for _, t in rows])[::3]:
        got = st.containing(needle, 7)
        assert [r.id for r in got] == _brute(rows, needle, 7), needle
        assert all(np.asarray(r.vector).shape == (embedder.dim,) for r in got)

