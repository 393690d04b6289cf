"""A rebuild's swap finished by the next ingest in the same process: that run writes to the new
index (chromadb caches one client per folder and process; the one cached before the swap still
has the old, moved database open and every write failed with "cannot be written")."""

from __future__ import annotations

import shutil

from ingest.pipeline import Indexer
from ingest.store import Store
from ingest.swap import ASIDE, MARKER, OLD


def test_an_edit_in_the_run_that_finishes_a_swap_is_written(settings, embedder, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in (1, 2):
        (src / f"s{i}.md").write_text(f"---\ntitle: S{i}\npublished: 2024-01-0{i}\n---\n"
                                      f"Acme said on Monday it would close plant {i}. It employs {i}00 people.\n")
    assert Indexer(settings, embedder=embedder).ingest([str(src)]).ok
    d = settings.data_dir
    shutil.copytree(d / "chroma", d / ASIDE)  # killed between the two renames of a swap
    (d / "chroma").rename(d / OLD)
    (d / MARKER).write_text("{}")
    (src / "s1.md").write_text((src / "s1.md").read_text() + "It later said the plant stays open.\n")
    rep = Indexer(settings, embedder=embedder).ingest([str(src)])
    assert rep.ok and rep.counts() == {"updated": 1, "unchanged": 1}
    assert "stays open" in Store(settings, fresh=True).get_sources(["s1"])["s1"].text
    assert not (d / OLD).exists() and not (d / MARKER).exists()
