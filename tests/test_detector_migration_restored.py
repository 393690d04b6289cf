"""Detector 6 (a restriction lifted without a lifting verb: polarity.py "restored") upgrades an
index whose links detector 5 computed: the next ingest recomputes every cue and link from the stored
sentences and vectors (`ingest.migrations.relink_all`, run whenever the recorded detector version is
older) — nothing is re-embedded and the block lifted "again" is now flagged. The old index is built
by the code of 5162989 (detector 5), from this repository's history, as the other migration tests
do; the sources are the Wikipedia episode of the spent real-world part heldout5."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.oldtree import index_with, tree_at, upgrade, vectors

PREVIOUS = "5162989"
EPISODE = ROOT / "data" / "eval" / "realworld" / "heldout5"
CLAIM = "Turkey blocked access to Wikipedia in all languages on Saturday."


def test_detector_6_relinks_an_index_built_by_detector_5_without_reembedding(tmp_path, embedder):
    from ingest.corrections import DETECTOR_VERSION
    from ingest.pipeline import Indexer
    from ingest.store import Store

    base = tree_at(PREVIOUS, tmp_path / "previous")
    s, folder = index_with(base, sorted(EPISODE.glob("rw-wiki-turkey-*.md")), tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.detector_version() == 5
    assert old.all_links() == []  # detector 5 found nothing here
    before = vectors(old)

    _, new = upgrade(s, folder, embedder, before)
    assert new.manifest.detector_version() == DETECTOR_VERSION >= 6
    links = new.all_links()
    texts = new.get_sentences([lk.claim for lk in links] + [b for lk in links for b in lk.by])
    assert [(texts[lk.claim].text, lk.status) for lk in links] == [(CLAIM, "superseded")]
    assert "could open Wikipedia again" in texts[links[0].by[0]].text

    # the next ingest finds the detector current and recomputes nothing
    assert Indexer(s, embedder=embedder).ingest([str(folder)]).flagged == 0
