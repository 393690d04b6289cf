"""The project's code as it was at an earlier commit, for tests that build an index with old code
and check that today's code upgrades it (numbered migrations) without re-embedding."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

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
