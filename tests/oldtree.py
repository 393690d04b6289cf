"""The project's code as it was at an earlier commit, for tests that build an index with old code
and check that today's code upgrades it (numbered migrations) without re-embedding."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT


def tree_at(commit: str, dest: Path) -> Path:
    """Extract `commit`'s tree into `dest` (`git archive`); skip the test when the history or the
    commit is not in this clone (a shallow checkout)."""
    git = shutil.which("git")
    if not git or not (ROOT / ".git").exists():
        pytest.skip("needs the repository's git history")
    res = subprocess.run([git, "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone ({res.stderr.decode()[:100]})")
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def ingest_with(tree: Path, folder: Path, data: Path, sources_dir: Path | None = None) -> None:
    """Index `folder` into `data` with the code in `tree` (a separate process, so nothing of today's
    code is imported), offline and embedded whatever the environment says; fail with its output."""
    env = {**os.environ, "PYTHONPATH": str(tree), "FACTDESK_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    if sources_dir is not None:
        env["FACTDESK_SOURCES_DIR"] = str(sources_dir)
    env.pop("CHROMA_HOST", None)
    res = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(folder)], cwd=tree, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]


def vectors(store) -> dict[str, np.ndarray]:
    """Every stored sentence vector by id: read before and after an upgrade, to show nothing was
    re-embedded or changed."""
    got = store.sentences.get(include=["embeddings"])
    return dict(zip(got["ids"], np.asarray(got["embeddings"])))


def upgrade(settings, folder: Path, embedder, before: dict[str, np.ndarray], *, exact: bool = False):
    """Re-index `folder` with today's code over an index old code built, checking what every
    migration test must show: the run succeeds, nothing is re-embedded, and every stored vector is
    unchanged (bit for bit with `exact`). Returns the run's report and the upgraded store."""
    from ingest.pipeline import Indexer
    from ingest.store import Store

    calls = embedder.calls
    report = Indexer(settings, embedder=embedder).ingest([str(folder)])
    assert report.ok, [r.line() for r in report.results]
    assert embedder.calls == calls  # nothing re-embedded
    new = Store(settings, fresh=True)
    after = vectors(new)
    assert set(after) == set(before)
    same = np.array_equal if exact else np.allclose
    for sid, vec in after.items():
        assert same(vec, before[sid]), sid
    return report, new


def index_with(tree: Path, files, tmp_path: Path):
    """Copy `files` into a fresh sources folder and index it with the old code in `tree`; returns
    today's settings for that index (its sources folder set) and the folder."""
    from ingest.settings import Settings

    folder = tmp_path / "src"
    folder.mkdir()
    for p in files:
        shutil.copy(p, folder / p.name)
    data = tmp_path / "data"
    ingest_with(tree, folder, data, sources_dir=folder)
    return Settings(_env_file=None, data_dir=data, sources_dir=folder), folder
