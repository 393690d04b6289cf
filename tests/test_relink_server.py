"""Reading links by source (`srcs` list metadata, `$contains`) works the same over a Chroma server:
an edit re-indexed over HTTP gives the links of a relink that reads every link."""

from __future__ import annotations

import importlib

from benchmarks.corpus import change_one, generate
from ingest.corrections.relink import relink
from tests.chroma_server import chroma_server  # noqa: F401  (fixture)
from tests.test_server_mode import server_settings


def _links(store) -> set[tuple]:
    return {(lk.claim, tuple(lk.by), lk.status, lk.origin, lk.note, lk.family)
            for lk in [*store.all_links(), *store.candidate_links()]}


def test_an_edit_over_the_server_reads_links_by_source(chroma_server, tmp_path, embedder, monkeypatch):
    from ingest.pipeline import Indexer

    corpus = generate(tmp_path / "corpus", 400)
    ix = Indexer(server_settings(chroma_server, tmp_path), embedder=embedder)
    assert ix.ingest([str(corpus.folder)]).ok
    store = ix.store()
    every = [*store.all_links(), *store.candidate_links()]
    assert every, "the corpus should hold correction links"
    sid = sorted(lk.claim.rpartition("#")[0] for lk in every)[0]
    assert {lk.id for lk in store.links_touching([sid])} == {lk.id for lk in every if sid in lk.sources()}
    change_one(next(f for f in corpus.files if f.stem == sid))
    reads: list[int] = []
    real_all = store.all_links
    store.all_links = lambda: (reads.append(1), real_all())[1]  # type: ignore[method-assign]
    assert ix.ingest([str(corpus.folder)]).ok
    del store.all_links
    assert not reads
    incremental = _links(store)
    monkeypatch.setattr(importlib.import_module("ingest.corrections.relink"), "_touching", lambda store, touched: None)
    relink(store, {sid}, set())
    assert _links(store) == incremental
