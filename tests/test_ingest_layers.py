"""`ingest/` is the index: it imports nothing from `bot/` — not even lazily inside a function (the
LLM correction judge reaches the indexer as a callable, chosen by `bot/indexing.py`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("path", sorted((ROOT / "ingest").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_ingest_imports_nothing_from_bot(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level]
    assert not [m for m in names if m == "bot" or m.startswith("bot.")], path
