"""An edited source is relinked by what changed, and the published term totals are carried by
what a run changes: both give exactly what re-deriving everything gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import change_one, generate
import importlib
from ingest.corrections.relink import relink


def _links(store) -> set[tuple]:
    return {(lk.claim, tuple(lk.by), lk.status, lk.origin, lk.note, lk.family)
            for lk in [*store.all_links(), *store.candidate_links()]}


@pytest.fixture
def corpus(tmp_path):
    return generate(tmp_path / "corpus", 400)


def _edit_in_the_middle(path: Path) -> None:
    """Drop one body sentence from the middle of a source (positions after it shift)."""
    text = path.read_text()
    head, _, body = text.partition("\n---\n")
    parts = body.split(". ")
    del parts[len(parts) // 2]
    path.write_text(head + "\n---\n" + ". ".join(parts))


@pytest.mark.parametrize("edit", ["append", "middle"])
def test_an_edit_relinks_like_a_full_relink(indexer, corpus, edit, monkeypatch):
    assert indexer.ingest([str(corpus.folder)]).ok
    store = indexer.store()
    assert _links(store), "the corpus should hold correction links"
    # edit sources that take part in links, and one more
    linked = sorted({lk.claim.rpartition("#")[0] for lk in store.all_links()})
    targets = [f for f in corpus.files if f.stem in linked[:2]] + [corpus.files[0]]
    for f in targets:
        change_one(f) if edit == "append" else _edit_in_the_middle(f)
    full_reads: list[int] = []
    real_all = store.all_links
    store.all_links = lambda: (full_reads.append(1), real_all())[1]  # type: ignore[method-assign]
    rep = indexer.ingest([str(corpus.folder)])
    del store.all_links
    assert rep.ok and sum(r.status == "updated" for r in rep.results) == len(set(targets))
    assert not full_reads, "an edit reads the links touching the edited sources, not every link"
    incremental = _links(store)
    relink(store, {f.stem for f in targets}, set())  # the same sources, re-derived whole
    assert _links(store) == incremental
    # ... and re-derived whole reading every link (what relink did before `links_touching`)
    monkeypatch.setattr(importlib.import_module("ingest.corrections.relink"), "_touching", lambda store, touched: None)
    relink(store, {f.stem for f in targets}, set())
    assert _links(store) == incremental


def test_links_touching_finds_every_link_of_a_source(indexer, corpus):
    assert indexer.ingest([str(corpus.folder)]).ok
    store = indexer.store()
    every = [*store.all_links(), *store.candidate_links()]
    for sid in sorted({s for lk in every for s in lk.sources()})[:25]:
        assert {lk.id for lk in store.links_touching([sid])} == {lk.id for lk in every if sid in lk.sources()}
    assert {lk.id for lk in store.links_by_ids([lk.id for lk in every[:7]])} == {lk.id for lk in every[:7]}


def test_running_term_totals_equal_a_full_sum(indexer, corpus):
    assert indexer.ingest([str(corpus.folder)]).ok
    store = indexer.store()
    change_one(corpus.files[1])
    corpus.files[2].unlink()
    read_sizes: list[int] = []
    real_read = store.terms.read
    store.terms.read = lambda ids: (read_sizes.append(len(ids)), real_read(ids))[1]  # type: ignore[method-assign]
    assert indexer.ingest([str(corpus.folder)], prune=True).ok
    del store.terms.read
    assert read_sizes and max(read_sizes) <= 1, read_sizes  # the changed and removed sources' counts only
    gen, n, counts = store.term_totals()
    assert gen == store.generation()
    full = store.terms
    done = {sid: r.sha256 for sid, r in store.source_records().items() if r.state == "complete"}
    full._base = None
    full.publish_totals(done, "check")
    _, n_full, counts_full = store.term_totals()
    assert (n, counts) == (n_full, counts_full)
