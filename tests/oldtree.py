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
