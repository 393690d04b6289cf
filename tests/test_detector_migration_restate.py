"""Detector 4 (restated reversals) upgrades an index whose links detector 3 computed: the next ingest
recomputes every stored cue and every link from the stored sentences and vectors (migration 4,
`ingest.migrations.relink_all`, run whenever the recorded detector version is older) — nothing is
re-embedded, and links the old detector missed appear ("The giant panda is listed as endangered" ←
"downgraded the giant panda from endangered to vulnerable"; "remains under house arrest" ←
"released …"). The old index is built by the code of 64b318f (detector 3), from this repository's
history, as the other migration tests do."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.oldtree import index_with, tree_at, upgrade, vectors

PREVIOUS = "64b318f"
EPISODES = ROOT / "data" / "eval" / "realworld" / "heldout3"
PANDA = "The giant panda is listed as endangered"
ARREST = "remains under house arrest in Yangon"


def _claims(store) -> set[str]:
    texts = store.get_sentences([lk.claim for lk in store.all_links()])
    return {texts[lk.claim].text for lk in store.all_links() if lk.claim in texts}


def test_detector_4_relinks_an_index_built_by_detector_3_without_reembedding(tmp_path, embedder):
    from ingest.corrections import DETECTOR_VERSION
    from ingest.corrections.signals import cue
    from ingest.pipeline import Indexer
    from ingest.store import Store

    base = tree_at(PREVIOUS, tmp_path / "previous")
    s, folder = index_with(base, sorted(EPISODES.glob("rw-panda-*.md")) + sorted(EPISODES.glob("rw-suu-kyi-*.md")), tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.detector_version() == 3
    assert not any(PANDA in t or ARREST in t for t in _claims(old))  # detector 3 missed both
    before = vectors(old)

    _, new = upgrade(s, folder, embedder, before)
    assert new.manifest.detector_version() == DETECTOR_VERSION >= 4
    claims = _claims(new)
    assert any(PANDA in t for t in claims) and any(ARREST in t for t in claims)
    # the must-not-link pair of the panda episode stays unlinked
    assert not any("China counted 1,864 giant pandas" in t for t in claims)
    # stored cues are detector 4's (a sentence that ends something is found by its cue)
    rows = new.where_sentences({"source": {"$in": ["rw-panda-2016-09-05", "rw-suu-kyi-2010-11-14"]}})
    assert rows and all(r.cue == cue(r.text) for r in rows)

    # the next ingest finds the detector current and recomputes nothing
    assert Indexer(s, embedder=embedder).ingest([str(folder)]).flagged == 0
    assert _claims(Store(s, fresh=True)) == claims
