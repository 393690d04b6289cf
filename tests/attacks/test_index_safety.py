"""Issue 12, items 1 and 5: never lose the index.

Each test reproduces a mistake that lost data on the baseline (3c40c78): `--rebuild` wiped the
index before checking anything could be rebuilt (no path: only the default folder came back; a
mistyped path: an empty index; a failure half-way: nothing), a full disk was called damage with
advice to `--rebuild`, and pruning removed what an emptied folder or a `--watch` round no longer
saw.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.conftest import ARTICLE, SEED_ID
from tests.test_faults import check_invariants, snapshot
from tests.test_ingest import HTML, _Handler, web  # noqa: F401  (fixture)


def _settings(tmp_path: Path, **kw) -> Settings:
    # The default folder is somewhere else on purpose: a rebuild must not fall back to it.
    return Settings(_env_file=None, data_dir=tmp_path / "data", sources_dir=tmp_path / "default-sources", **kw)


def _indexer(s: Settings, embedder):
    from ingest.pipeline import Indexer

    return Indexer(s, embedder=embedder)


def _folder(tmp_path: Path, name: str = "src", n: int = 2) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{name}-{i}.md").write_text(
            f"# Note {name} {i}\n\nThe {name} office counted {100 + i} bicycles on Main Street in May.\n"
            f"Officials said the count in {name} would be repeated in June.\n", encoding="utf-8")
    return folder


def _sources(s: Settings) -> dict[str, tuple]:
    return snapshot(s)["sources"]


# -- 1. rebuild without loss ------------------------------------------------------------------------
def test_rebuild_without_paths_brings_back_every_recorded_source(tmp_path, embedder, web):  # noqa: F811
    """A folder, a file outside it and a URL are indexed; `--rebuild` with no path rebuilds all of
    them (the baseline rebuilt only FACTDESK_SOURCES_DIR: the folder, the file and the URL vanished)."""
    _Handler.routes["/acme"] = (200, "text/html", HTML)
    s = _settings(tmp_path, allow_private_urls=True)  # the test's web server is on 127.0.0.1
    folder = _folder(tmp_path)
    single = tmp_path / "elsewhere" / "seed.txt"
    single.parent.mkdir()
    shutil.copy(ARTICLE, single)
    ix = _indexer(s, embedder)
    assert ix.ingest([str(folder), str(single), f"{web}/acme"]).ok
    before = _sources(s)
    assert len(before) == 4

    report = _indexer(s, embedder).ingest([], rebuild=True)
    assert report.ok, [r.line() for r in report.results] + report.warnings
    assert _sources(s) == before
    check_invariants(s)
    # The plain list it was rebuilt from: ids, origins (files and URLs), hashes, folders.
    listed = json.loads((s.data_dir / "sources.json").read_text())
    assert {e["id"]: (e["path"] or e["url"], e["sha256"]) for e in listed["sources"]} == \
        {sid: (str(Path(p).resolve()) if p else f"{web}/acme", r[1]) for sid, r in before.items()
         for p in [{"seed": str(single)}.get("seed") if sid == SEED_ID else
                   (str(folder / f"{sid}.md") if sid.startswith("src-") else "")]}
    assert listed["folders"] == [str(folder.resolve())]
    assert not [f for f in s.data_dir.iterdir() if f.name.endswith(".tmp")]
    assert not (s.data_dir / "chroma.rebuild").exists() and not (s.data_dir / "chroma.old").exists()


def test_rebuild_with_a_mistyped_path_changes_nothing(tmp_path, embedder):
    """The baseline wiped first and then found nothing at the path: an empty index."""
    s = _settings(tmp_path)
    assert _indexer(s, embedder).ingest([str(_folder(tmp_path))]).ok
    before = snapshot(s)
    report = _indexer(s, embedder).ingest([str(tmp_path / "sorces")], rebuild=True)
    assert not report.ok
    assert any(r.status == "failed" and r.target.endswith("sorces") for r in report.results)
    assert any("rebuild refused, nothing changed" in w for w in report.warnings)
    assert snapshot(s) == before


def test_rebuild_refuses_when_a_recorded_source_is_gone_unless_told_to_drop_it(tmp_path, embedder):
    s = _settings(tmp_path)
    folder = _folder(tmp_path, n=3)
    assert _indexer(s, embedder).ingest([str(folder)]).ok
    before = snapshot(s)
    (folder / "src-1.md").unlink()
    report = _indexer(s, embedder).ingest([], rebuild=True)
    assert not report.ok
    assert [(r.status, r.source_id, r.reason) for r in report.results] == [("failed", "src-1", "its file is gone")]
    assert snapshot(s) == before  # refused: the index still holds all three

    report = _indexer(s, embedder).ingest([], rebuild=True, drop_missing=True)
    assert report.ok, [r.line() for r in report.results]
    assert ("removed", "src-1") in [(r.status, r.source_id) for r in report.results]
    assert set(_sources(s)) == {"src-0", "src-2"}
    check_invariants(s)


def test_rebuild_of_a_damaged_index_reads_the_plain_sources_list(tmp_path, embedder):
    """Chroma's database truncated: the manifest inside it is unreadable, the plain list is not."""
    s = _settings(tmp_path)
    folder = _folder(tmp_path)
    assert _indexer(s, embedder).ingest([str(folder), str(ARTICLE)]).ok
    want = {sid: r[1:] for sid, r in _sources(s).items()}
    db = s.data_dir / "chroma" / "chroma.sqlite3"
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 3)
    report = _indexer(s, embedder).ingest([], rebuild=True)
    assert report.ok, [r.line() for r in report.results] + report.warnings
    assert {sid: r[1:] for sid, r in _sources(s).items()} == want
    check_invariants(s)


def test_a_rebuild_that_fails_half_way_leaves_the_old_index(tmp_path, embedder, monkeypatch):
    """The disk fills while the new index is written: the old index is untouched, the half-built
    one deleted, and the error says the disk is full (the baseline had already wiped everything)."""
    from ingest.store import Store, StoreError

    s = _settings(tmp_path)
    assert _indexer(s, embedder).ingest([str(_folder(tmp_path)), str(ARTICLE)]).ok
    before = snapshot(s)
    real = Store.put_sentences_many

    def full(self, items, **kw):
        real(self, items[:1], **kw)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Store, "put_sentences_many", full)
    with pytest.raises((StoreError, OSError)):
        _indexer(s, embedder).ingest([], rebuild=True)
    monkeypatch.undo()
    assert snapshot(s) == before
    assert not (s.data_dir / "chroma.rebuild").exists()


def test_a_swap_cut_short_is_finished_by_the_next_ingest(tmp_path, embedder):
    """Killed between renaming the old index aside and moving the new one in: readers find no
    index for a moment; the next ingest finishes the swap and nothing is lost."""
    from ingest.swap import ASIDE, MARKER, OLD

    s = _settings(tmp_path)
    assert _indexer(s, embedder).ingest([str(_folder(tmp_path))]).ok
    before = _sources(s)
    data = s.data_dir
    shutil.copytree(data / "chroma", data / ASIDE)
    (data / "chroma").rename(data / OLD)
    (data / MARKER).write_text("{}")
    report = _indexer(s, embedder).ingest([str(tmp_path / "src")])
    assert report.ok and report.counts() == {"unchanged": 2}
    assert _sources(s) == before and not (data / OLD).exists() and not (data / MARKER).exists()


def _run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from bot.cli import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_full_disk_is_reported_as_a_full_disk(tmp_path, embedder, monkeypatch, capsys):
    """SQLite's "database or disk is full" from Chroma was reported as a damaged index with advice
    to `--rebuild` (which then deleted it); it is one line saying the disk is full, and a plain
    ingest afterwards recovers."""
    import chromadb.api.models.Collection as C

    from bot.cli import App

    s = _settings(tmp_path)
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(s.data_dir))
    monkeypatch.setattr(App, "embedder", property(lambda self: embedder))
    folder = _folder(tmp_path)
    assert _indexer(s, embedder).ingest([str(folder)]).ok
    _folder(tmp_path, "more")
    real = C.Collection.upsert

    def full(self, *a, **kw):
        import sqlite3

        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(C.Collection, "upsert", full)
    code, _, err = _run_cli(["ingest", str(tmp_path / "more")], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert "full" in lines[0] and "--rebuild" not in lines[0] and "damaged" not in lines[0], lines[0]
    monkeypatch.setattr(C.Collection, "upsert", real)
    code, out, _ = _run_cli(["ingest", str(tmp_path / "more")], capsys)
    assert code == 0 and "added: more-0" in out
    check_invariants(s)


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs")
def test_a_really_full_disk_says_so_and_keeps_the_index(tmp_path, embedder, capsys, monkeypatch):
    """The same on a real 3 MB filesystem filled up by a large source."""
    from bot.cli import App

    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        s = Settings(_env_file=None, data_dir=mnt / "data", sources_dir=tmp_path / "none")
        monkeypatch.setenv("FACTDESK_DATA_DIR", str(s.data_dir))
        monkeypatch.setattr(App, "embedder", property(lambda self: embedder))
        assert _indexer(s, embedder).ingest([str(ARTICLE)]).ok
        before = _sources(s)
        big = tmp_path / "big.txt"
        big.write_text("\n\n".join(f"Inspectors in district {i} counted {i * 7} ferries and {i * 3} kilns on "
                                   f"survey day {i} of the long regional count." for i in range(4000)))
        code, _, err = _run_cli(["ingest", str(big)], capsys)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 1 and len(lines) == 1 and "full" in lines[0] and "--rebuild" not in lines[0], err
        # Chroma may have logged the write it could not apply, and applies its log before any read:
        # the index is kept, readable again once there is room (the disk's margin decides which).
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)
        assert SEED_ID in _sources(s) and _sources(s)[SEED_ID] == before[SEED_ID]
    finally:
        subprocess.run(["umount", "-l", str(mnt)])


# -- 5. pruning is opt-in and never empties a folder's sources ----------------------------------------
def test_an_emptied_folder_is_never_pruned(tmp_path, embedder):
    """A folder that yields no files (emptied, or a mount that is not there) pruned every source
    under it on the baseline."""
    s = _settings(tmp_path)
    folder = _folder(tmp_path)
    assert _indexer(s, embedder).ingest([str(folder)]).ok
    for f in folder.iterdir():
        f.unlink()
    report = _indexer(s, embedder).ingest([str(folder)], prune=True)
    assert [r.status for r in report.results] == ["failed"] and "nothing pruned" in report.results[0].reason
    assert set(_sources(s)) == {"src-0", "src-1"}


def _watch_until(app, folder: Path, args, done) -> None:
    from bot.cli import _watch

    stop = threading.Event()
    t = threading.Thread(target=_watch, args=(app, [str(folder)], args, stop), daemon=True)
    t.start()
    time.sleep(1.0)  # let the watcher start before the change
    (folder / "new.md").write_text("# New\n\nGamma Corp opened a depot in Utah.\n", encoding="utf-8")
    (folder / "src-0.md").unlink()
    for _ in range(200):  # bounded: up to ~20 s on a loaded machine
        if done():
            break
        time.sleep(0.1)
    stop.set()
    t.join(timeout=10)


def test_watch_prunes_only_with_prune(tmp_path, embedder, monkeypatch, capsys):
    """`ingest --watch` removed the sources of deleted files on every round, silently opting
    into --prune; now a deleted file stays indexed unless --prune is given, and then its removal
    is printed."""
    from bot.cli import App

    monkeypatch.setattr(App, "embedder", property(lambda self: embedder))
    folder = _folder(tmp_path)
    app = App(_settings(tmp_path))
    app.indexer.ingest([str(folder)])
    ids = lambda: set(app.indexer.store().source_records())  # noqa: E731
    _watch_until(app, folder, argparse.Namespace(prune=False), lambda: "new" in ids())
    assert ids() == {"src-0", "src-1", "new"}
    out = capsys.readouterr().out
    assert "added: new" in out and "removed" not in out

    (folder / "src-0.md").write_text("# Back\n\nThe src office counted 100 bicycles.\n", encoding="utf-8")
    _watch_until(app, folder, argparse.Namespace(prune=True), lambda: "src-0" not in ids())
    assert ids() == {"src-1", "new"}
    assert "removed: src-0" in capsys.readouterr().out


def test_rebuild_on_a_chroma_server_builds_aside_and_swaps(tmp_path, embedder):
    """Server mode: the new index is built under another collection prefix and renamed in; the
    old collections are gone afterwards and nothing else on the server is touched."""
    import uuid

    from tests.chroma_server import ChromaServer

    with ChromaServer(tmp_path / "server-db") as server:
        other = _settings(tmp_path / "other", chroma_host=server.host, chroma_port=server.port,
                          collection_prefix="neighbour")
        assert _indexer(other, embedder).ingest([str(ARTICLE)]).ok
        s = _settings(tmp_path, chroma_host=server.host, chroma_port=server.port,
                      collection_prefix=f"t{uuid.uuid4().hex[:8]}")
        folder = _folder(tmp_path)
        assert _indexer(s, embedder).ingest([str(folder), str(ARTICLE)]).ok
        before = _sources(s)
        (folder / "src-1.md").unlink()
        assert not _indexer(s, embedder).ingest([], rebuild=True).ok
        assert _sources(s) == before
        report = _indexer(s, embedder).ingest([], rebuild=True, drop_missing=True)
        assert report.ok, [r.line() for r in report.results]
        assert set(_sources(s)) == {"src-0", SEED_ID}
        check_invariants(s)
        from ingest.store import Store

        names = sorted(c.name if hasattr(c, "name") else c for c in Store.connect_only(s).list_collections())
        assert names == sorted([f"{p}_{k}" for p in (s.collection_prefix, "neighbour")
                                for k in ("links", "sentences", "sources")]), names
        assert set(_sources(other)) == {SEED_ID}


def test_a_running_reader_sees_the_rebuilt_index(tmp_path, embedder):
    """A chat or Slack process that has the index open when `--rebuild` swaps a new one in reopens
    on its next question (its client still saw the old, renamed files) and finds what the rebuild
    added."""
    from bot.engine import Engine

    s = _settings(tmp_path)
    assert _indexer(s, embedder).ingest([str(_folder(tmp_path))]).ok
    engine = Engine(s, embedder=embedder)
    assert engine.ask("How many bicycles did the src office count?").answered
    extra = tmp_path / "extra.md"
    extra.write_text("# Ferry news\n\nThe harbour office counted 41 ferries in the bay on Sunday.\n", encoding="utf-8")
    assert _indexer(s, embedder).ingest([str(extra)], rebuild=True).ok
    ans = engine.ask("How many ferries did the harbour office count?")
    assert ans.answered and any(c.source == "extra" for c in ans.citations), ans.to_json()


@pytest.mark.parametrize("error", ["attempt to write a readonly database", "database is locked"])
def test_a_read_only_or_busy_index_is_not_called_damaged(tmp_path, embedder, monkeypatch, capsys, error):
    """Only damage that a plain ingest cannot repair recommends `--rebuild`: a read-only folder or a
    busy database says what it is."""
    import sqlite3

    import chromadb.api.models.Collection as C

    from bot.cli import App

    s = _settings(tmp_path)
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(s.data_dir))
    monkeypatch.setattr(App, "embedder", property(lambda self: embedder))
    assert _indexer(s, embedder).ingest([str(_folder(tmp_path))]).ok

    def fail(self, *a, **kw):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(C.Collection, "upsert", fail)
    code, _, err = _run_cli(["ingest", str(_folder(tmp_path, "more"))], capsys)
    assert code == 1 and "--rebuild" not in err and "damaged" not in err, err
    assert ("read-only" in err) if "readonly" in error else ("busy" in err), err
