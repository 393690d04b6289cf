"""An index built before the sentence mirror existed (commit 26d0c45, the code this change started
from): a one-shot ask reads Chroma as before, and the next ingest — changing nothing — copies the
mirror from the stored rows and vectors (migration 6) without re-embedding, after which a one-shot
ask no longer imports chromadb and answers as the Chroma path does."""

from __future__ import annotations

from ingest.settings import Settings
from tests.conftest import ARTICLE
from tests.oldtree import index_with, tree_at, upgrade, vectors
from tests.test_coldstore import MULTI, _ask, _questions, assert_mirror_is_chroma

BEFORE_MIRROR = "26d0c45"


def test_an_index_built_before_the_mirror_gets_one_on_the_next_ingest(tmp_path, embedder):
    from bot.coldstore import open_cold
    from ingest.migrations import LATEST
    from ingest.store import Store

    old_tree = tree_at(BEFORE_MIRROR, tmp_path / "old")
    s, folder = index_with(old_tree, [ARTICLE, *sorted(MULTI.iterdir())], tmp_path)
    assert not list(s.data_dir.glob("mirror-*"))
    assert open_cold(s, embedder.identity) is None
    answers, imported = _ask(s.data_dir, _questions()[:3])
    assert imported is True and all("answered" in a for a in answers)  # the Chroma path, as before

    old = Store(s, fresh=True)
    assert old.manifest.schema_version() == 5  # the mirror is migration 6
    report, new = upgrade(Settings(_env_file=None, data_dir=s.data_dir, sources_dir=folder), folder, embedder,
                          vectors(old), exact=True)
    assert set(report.counts()) == {"unchanged"}
    assert new.manifest.schema_version() == LATEST
    assert_mirror_is_chroma(s, embedder)
    cold, imported = _ask(s.data_dir, _questions())
    assert imported is False
    warm, _ = _ask(s.data_dir, _questions(), FACTDESK_COLD_MIRROR="0")
    assert cold == warm
