"""The stat shortcut of file fingerprints (ingest/fingerprint.py): a file whose size, mtime and
inode match its record is unchanged without being read — unless it was racily clean (modified
just before it was read), and never when FACTDESK_HASH_ALL asks to read and hash everything."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import ingest.plan as plan_mod
from ingest.store import Store

ARTICLE = """---
title: Story number {i}
published: 2024-0{i}-10
---
Story number {i}.

Acme Corp said on Monday it would close the Denver plant next year. The plant employs {n} people.
"""
HOUR_AGO = time.time_ns() - 3600 * 10**9


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    for i in range(1, 4):
        f = d / f"story-{i}.md"
        f.write_text(ARTICLE.format(i=i, n=100 * i))
        os.utime(f, ns=(HOUR_AGO, HOUR_AGO))  # written well before it is read
    return d


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = plan_mod.read_file

    def counting(path, root=None):
        seen.append(Path(path).name)
        return real(path, root)

    monkeypatch.setattr(plan_mod, "read_file", counting)
    return seen


def _statuses(report) -> dict[str, str]:
    return {Path(r.target).name: r.status for r in report.results}


def same_size_edit(f: Path, keep_mtime: int) -> None:
    """An edit that keeps the file's size and (restored by hand) its mtime."""
    f.write_text(f.read_text().replace("Denver", "Dallas"))
    os.utime(f, ns=(keep_mtime, keep_mtime))


def test_unchanged_files_are_not_read_and_an_edit_is(indexer, folder, reads):
    assert indexer.ingest([str(folder)]).ok and len(reads) == 3
    reads.clear()
    rep = indexer.ingest([str(folder)])
    assert reads == [] and set(_statuses(rep).values()) == {"unchanged"}
    f = folder / "story-2.md"
    f.write_text(f.read_text() + "\nThe company later said the plant would stay open.\n")
    rep = indexer.ingest([str(folder)])
    assert reads == ["story-2.md"] and _statuses(rep)["story-2.md"] == "updated"


def test_a_touched_file_is_hashed_once_then_known_by_its_new_stat(indexer, folder, reads):
    assert indexer.ingest([str(folder)]).ok
    f = folder / "story-1.md"
    os.utime(f, ns=(HOUR_AGO + 10**9, HOUR_AGO + 10**9))
    reads.clear()
    rep = indexer.ingest([str(folder)])
    assert reads == ["story-1.md"] and set(_statuses(rep).values()) == {"unchanged"}
    reads.clear()
    assert set(_statuses(indexer.ingest([str(folder)])).values()) == {"unchanged"} and reads == []


def test_a_racily_clean_file_is_hashed_so_a_same_size_same_mtime_edit_is_caught(indexer, folder, reads):
    f = folder / "story-3.md"
    f.write_text(f.read_text())  # modified just now: read within the same moment it was written
    mtime = f.stat().st_mtime_ns
    assert indexer.ingest([str(folder)]).ok
    same_size_edit(f, mtime)
    assert f.stat().st_mtime_ns == mtime
    reads.clear()
    rep = indexer.ingest([str(folder)])
    assert reads == ["story-3.md"] and _statuses(rep)["story-3.md"] == "updated"
    assert "Dallas" in indexer.store().get_sources(["story-3"])["story-3"].text


def test_hash_all_catches_an_edit_the_stat_cannot_see(indexer, folder, settings, embedder, reads):
    from ingest.pipeline import Indexer

    assert indexer.ingest([str(folder)]).ok
    f = folder / "story-2.md"
    same_size_edit(f, HOUR_AGO)  # size and an old mtime restored: the stat cannot tell
    reads.clear()
    assert set(_statuses(indexer.ingest([str(folder)])).values()) == {"unchanged"} and reads == []
    full = Indexer(settings.model_copy(update={"hash_all_files": True}), embedder=embedder)
    rep = full.ingest([str(folder)])
    assert len(reads) == 3 and _statuses(rep)["story-2.md"] == "updated"


def test_records_from_before_stats_are_read_once_then_not(indexer, folder, settings, reads):
    from ingest.fingerprint import digest

    assert indexer.ingest([str(folder)]).ok
    st = Store(settings)
    fps = {sid: digest(r.fingerprint) for sid, r in st.source_records().items()}
    st.manifest.set_fingerprints(fps)  # as the previous code recorded them: the digest alone
    reads.clear()
    assert set(_statuses(indexer.ingest([str(folder)])).values()) == {"unchanged"} and len(reads) == 3
    reads.clear()
    assert set(_statuses(indexer.ingest([str(folder)])).values()) == {"unchanged"} and reads == []


def test_a_racy_unchanged_file_is_hashed_each_run_without_a_write(indexer, folder, reads, monkeypatch):
    from ingest.manifest import Manifest

    f = folder / "story-1.md"
    f.write_text(f.read_text())  # just modified: racy until it settles
    assert indexer.ingest([str(folder)]).ok
    writes = []
    monkeypatch.setattr(Manifest, "set_fingerprints", lambda self, fps: writes.append(dict(fps)))
    reads.clear()
    rep = indexer.ingest([str(folder)])
    assert reads == ["story-1.md"] and set(_statuses(rep).values()) == {"unchanged"} and writes == []
