"""docs/DESIGN.md stays true: every module it names exists, and the import rules it states hold.

Why: a design document that names modules which moved away is worse than none, and the rules
(the core knows nothing of its interfaces; a stage knows nothing of later stages) erode one
convenient import at a time unless something checks them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "DESIGN.md"

ADAPTERS = ("bot.cli", "bot.slack", "bot.render", "bot.slack_blocks", "bot.slack_views", "bot.alerts", "bot.chat_stream",
            "bot.feedback")
ADAPTER_LIBS = ("rich", "slack_bolt", "slack_sdk")
LATER_STAGES = {
    "bot/retrieve.py": ("bot.select", "bot.cite", "bot.compose", "bot.composer", "bot.engine"),
    "bot/select.py": ("bot.cite", "bot.compose", "bot.composer", "bot.engine"),
    "bot/cite.py": ("bot.select", "bot.compose", "bot.composer", "bot.engine"),
    "bot/compose.py": ("bot.engine",),
}


def _imports(path: Path) -> set[str]:
    """Absolute names of every module `path` imports (relative imports resolved within bot/)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                out.add(mod)
                if not node.module:  # `from . import notices`
                    out.update(f"{mod}.{a.name}" for a in node.names)
            else:
                out.add(node.module or "")
    return out


def _is(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _core_modules() -> list[Path]:
    files = sorted((ROOT / "bot").glob("*.py"))
    return [f for f in files if not _is(f"bot.{f.stem}", ADAPTERS)]


def test_every_module_the_design_names_exists() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:bot|ingest|prompts|tests|benchmarks)/[\w/]*\.py)`", text))
    named |= {f"ingest/{m}" for m in re.findall(r"`ingest/[\w/]*\.py`, ((?:`\w+\.py`(?:, )?)+)", text)
              for m in re.findall(r"(\w+\.py)", m)}
    named |= set(re.findall(r"`((?:bot|ingest)/[\w]+/)`", text))
    assert len(named) > 20, "the design names the modules it describes"
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"docs/DESIGN.md names modules that do not exist: {missing}"


def test_readme_links_the_design_and_nothing_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/DESIGN.md" in readme
    for doc in (readme, DESIGN.read_text(encoding="utf-8")):
        assert "../" not in doc, "documents outside the repository are not part of it"


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: p.name)
def test_the_core_imports_no_adapter(path: Path) -> None:
    bad = sorted(m for m in _imports(path) if _is(m, ADAPTERS) or _is(m, ADAPTER_LIBS))
    assert not bad, f"{path.name} is core (it turns questions into answers) but imports {bad}"


@pytest.mark.parametrize("stage", sorted(LATER_STAGES))
def test_a_stage_imports_no_later_stage(stage: str) -> None:
    bad = sorted(m for m in _imports(ROOT / stage) if _is(m, LATER_STAGES[stage]))
    assert not bad, f"{stage} imports later stages {bad}"


def test_the_extractive_path_has_no_hidden_hooks() -> None:
    for f in (ROOT / "bot").rglob("*.py"):
        src = f.read_text(encoding="utf-8")
        assert "ContextVar" not in src and 'getattr(self, "composer"' not in src, f
