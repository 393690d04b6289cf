"""An index whose correction links an earlier detector computed is brought up to the current one
by the next ingest (migration 4, `ingest.migrations.relink_all`): every link re-derived over the
whole index from the stored sentences and vectors — nothing re-embedded — with the editor's
decisions in corrections.yml replayed, and the detector version recorded in the manifest.

The old index is built by the code of commit f7eefa5 (the detector before states at two times),
taken from this repository's history with `git archive`, as the baseline migration test does."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.oldtree import index_with, tree_at, upgrade, vectors

PREVIOUS = "f7eefa5"
EPISODE = ROOT / "data" / "eval" / "realworld" / "heldout2"
VISA = "Australian Border Force cancelled Novak Djokovic's visa on his arrival in Melbourne late on Wednesday"
QUASHED = "A federal judge quashed the cancellation of Novak Djokovic's visa on Monday"
BAN = "The ban will take effect on January 1"


def _previous_tree(dest: Path) -> Path:
    return tree_at(PREVIOUS, dest)


def _claims(store) -> dict[str, str]:
    texts = store.get_sentences([lk.claim for lk in store.all_links()])
    return {texts[lk.claim].text: lk.origin for lk in store.all_links() if lk.claim in texts}


def test_links_of_an_earlier_detector_are_recomputed_without_reembedding(tmp_path, embedder):
    from ingest.corrections import DETECTOR_VERSION
    from ingest.corrections.review import record
    from ingest.migrations import LATEST
    from ingest.pipeline import Indexer
    from ingest.store import Store

    base = _previous_tree(tmp_path / "previous")
    s, folder = index_with(base, sorted(EPISODE.glob("rw-djokovic-*.md")) + sorted(EPISODE.glob("rw-montana-*.md")), tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.detector_version() == 1 and old.manifest.schema_version() == 3
    before_claims = _claims(old)
    assert not any(VISA in t or BAN in t for t in before_claims)  # the earlier detector missed these
    before = vectors(old)
    # An editor rejected one pair the new detector will find: the decision must be replayed.
    visa_text = next(r.text for r in old.where_sentences({"source": "rw-djokovic-2022-01-06"}) if VISA in r.text)
    quashed_text = next(r.text for r in old.where_sentences({"source": "rw-djokovic-2022-01-10"}) if QUASHED in r.text)
    record(folder / "corrections.yml", "reject", visa_text, quashed_text)

    report, new = upgrade(s, folder, embedder, before)
    assert report.counts() == {"unchanged": len(list(folder.glob("*.md")))}, [r.line() for r in report.results]
    assert new.manifest.schema_version() == LATEST and new.manifest.detector_version() == DETECTOR_VERSION
    claims = _claims(new)
    assert any(BAN in t for t in claims)  # found by the current detector
    assert not any(VISA in t for t in claims)  # rejected by the editor, replayed
    # the stored cues are the current detector's (a sentence that can overturn is found by them)
    from ingest.corrections.signals import cue
    assert all(r.cue == cue(r.text) for r in new.where_sentences({"source": {"$in": ["rw-montana-tiktok-2023-12"]}}))

    # The next ingest finds the detector current and recomputes nothing.
    flagged = Indexer(s, embedder=embedder).ingest([str(folder)]).flagged
    assert flagged == 0 and _claims(Store(s, fresh=True)) == claims
