"""An index built by the baseline code (commit 3c40c78) opens and upgrades without re-embedding.

The baseline's own `factdesk ingest` builds the index (its code taken from this repository's
history with `git archive`), then today's code reads it as it is, and the next ingest upgrades it
through the numbered migrations (`ingest/migrations.py`) — embedding nothing, keeping every
vector, and leaving an index that satisfies every invariant a fresh build does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.settings import Settings
from tests.conftest import ARTICLE, SEED_ID
from tests.oldtree import ingest_with, tree_at, upgrade, vectors
from tests.test_faults import check_invariants

BASELINE = "3c40c78"


def _baseline_tree(dest: Path) -> Path:
    return tree_at(BASELINE, dest)


def test_a_baseline_index_opens_and_upgrades_without_reembedding(tmp_path, embedder):
    from bot.engine import Engine
    from ingest.migrations import LATEST
    from ingest.store import Store

    base = _baseline_tree(tmp_path / "baseline")
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    (folder / "later.md").write_text(
        "---\npublished: 2019-07-02\npublisher: Wire\n---\n# Megvii follow-up\n\n"
        "Human Rights Watch said on Tuesday that it had withdrawn the claim about Megvii's code.\n"
        "The group said the police app did not use Megvii's software.\n", encoding="utf-8")
    data = tmp_path / "data"
    ingest_with(base, folder, data)
    s = Settings(_env_file=None, data_dir=data, sources_dir=tmp_path / "none")
    old = Store(s, fresh=True)
    assert old.manifest.schema_version() == 1
    before = vectors(old)
    links = {lk.claim: lk.by for lk in old.all_links()}

    # Read as it is (readers never migrate): the flag on the seed's claim is there.
    ans = Engine(s, embedder=embedder).ask("Did the police app use Megvii's face matching?")
    assert ans.answered and any(c.correction for c in ans.citations if c.source == SEED_ID)

    report, new = upgrade(s, folder, embedder, before, exact=True)
    assert report.counts() == {"unchanged": 2}, [r.line() for r in report.results]
    assert new.manifest.schema_version() == LATEST
    assert {lk.claim: lk.by for lk in new.all_links()} == links
    assert (data / "sources.json").exists()
    check_invariants(s)
