"""Detector 5 (precision first, `ingest/corrections/precision.py`) upgrades an index whose links
detector 4 computed: the next ingest recomputes every link from the stored sentences and vectors
(`ingest.migrations.relink_all`, run whenever the recorded detector version is older) — nothing is
re-embedded, the false flags detector 4 made are gone, what it demotes is kept as a candidate for
the editor, and the right link stays. The old index is built by the code of 0fd9e7e (detector 4),
from this repository's history, as the other migration tests do; the sources are the North Korea
episode of the spent real-world part heldout4."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.oldtree import index_with, tree_at, upgrade, vectors

PREVIOUS = "0fd9e7e"
EPISODE = ROOT / "data" / "eval" / "realworld" / "heldout4"
RIGHT = "The United States took North Korea off its list of state sponsors of terrorism"
FALSE = ("North Korea had been on the list since 1988.", "The government in Pyongyang has long denied any support")


def _claims(store, links) -> set[str]:
    texts = store.get_sentences([lk.claim for lk in links])
    return {texts[lk.claim].text for lk in links if lk.claim in texts}


def test_detector_5_relinks_an_index_built_by_detector_4_without_reembedding(tmp_path, embedder):
    from ingest.corrections import DETECTOR_VERSION
    from ingest.pipeline import Indexer
    from ingest.store import Store

    base = tree_at(PREVIOUS, tmp_path / "previous")
    s, folder = index_with(base, sorted(EPISODE.glob("rw-north-korea-list-*.md")), tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.detector_version() == 4
    old_claims = _claims(old, old.all_links())
    assert all(any(f in t for t in old_claims) for f in FALSE)  # detector 4 flagged both true sentences
    before = vectors(old)

    _, new = upgrade(s, folder, embedder, before)
    assert new.manifest.detector_version() == DETECTOR_VERSION >= 5
    claims = _claims(new, new.all_links())
    assert any(RIGHT in t for t in claims)
    assert not any(f in t for t in claims for f in FALSE)
    # Detector 5 kept the Pyongyang denial as an editor's candidate (unsure, paired through the sentence
    # before it); since detector 29 the claim names its own subject ("The government in Pyongyang") and is
    # not paired with the later statement at all. The demotion path itself: tests/test_correction_precision.py.
    assert not any(FALSE[1] in t for t in claims)

    # the next ingest finds the detector current and recomputes nothing
    assert Indexer(s, embedder=embedder).ingest([str(folder)]).flagged == 0
    assert _claims(Store(s, fresh=True), Store(s, fresh=True).all_links()) == claims
