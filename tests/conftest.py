"""Shared fixtures. Every test gets its own temporary home and data folder (as `llm` does), so
no test sees another's index or the user's; the real embedding model loads once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest.embed import Embedder  # noqa: E402
from ingest.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
ARTICLE = SOURCES / "megvii-hrw-correction-2019.txt"
SEED_ID = "megvii-hrw-correction-2019"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(home / "factdesk-data"))
    for var in ("CHROMA_HOST", "FACTDESK_LLM", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
                "FACTDESK_EMBED_MODEL", "SLACK_API_URL"):
        monkeypatch.delenv(var, raising=False)
    from ingest.settings import get_settings

    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="session")
def pair_evidence(embedder):
    """`families.evidence` for an invented (claim, later statement) pair, a year apart, its similarity
    scored with the real model: what the pattern-family tests assert on."""
    import numpy as np

    from ingest.corrections import signals  # noqa: F401  (before the other detector modules)
    from ingest.corrections.families import evidence

    def score(a: str, b: str):
        v = embedder.embed([a, b])
        return evidence(a, b, float(np.dot(v[0], v[1])), a_published="2015-01-05", b_published="2016-03-01")
    return score


ACME_STORY = """---
title: {title}
published: 2024-0{month}-10
---
{title}.

Acme Corp said on Monday it would close the Denver plant next year. The plant employs 400 people.
{extra}
"""


@pytest.fixture
def acme_folder(tmp_path) -> Path:
    """Two dated sources, the later one reversing the first: the smallest archive whose ingest relinks
    (tests of what an ingest run holds and hands back: tests/test_ingest_heap.py, test_ingest_caches.py)."""
    d = tmp_path / "src"
    d.mkdir()
    (d / "first.md").write_text(ACME_STORY.format(title="Acme to close Denver plant", month=1, extra=""))
    (d / "later.md").write_text(ACME_STORY.format(
        title="Acme keeps Denver plant open", month=3,
        extra="Acme Corp has since reversed its decision and will keep the Denver plant open."))
    return d


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", sources_dir=SOURCES)


@pytest.fixture
def indexer(settings, embedder):
    from ingest.pipeline import Indexer

    return Indexer(settings, embedder=embedder)


@pytest.fixture
def engine(settings, embedder, indexer):
    """An engine over an index holding the bundled article."""
    from bot.engine import Engine

    report = indexer.ingest([str(SOURCES)])
    assert report.ok, [r.line() for r in report.results]
    return Engine(settings, embedder=embedder)


@pytest.fixture(scope="session")
def seed_engine(tmp_path_factory, embedder):
    """One shared read-only index of the bundled article, for the many tests that only ask."""
    from bot.engine import Engine
    from ingest.pipeline import Indexer

    s = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("seed") / "data", sources_dir=SOURCES)
    report = Indexer(s, embedder=embedder).ingest([str(SOURCES)])
    assert report.ok
    return Engine(s, embedder=embedder)


def story_engine(base: Path, embedder: Embedder, files: dict[str, str]):
    """An engine over a fresh index of `files` (name: text) under `base`, its term counts read:
    for the tests that ask an invented story what the bundled article cannot show."""
    from bot.engine import Engine
    from ingest.pipeline import Indexer

    src = base / "sources"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    s = Settings(_env_file=None, data_dir=base / "data", sources_dir=src)
    assert Indexer(s, embedder=embedder).ingest([str(src)]).ok
    eng = Engine(s, embedder=embedder)
    eng.ask("warm up")  # reads the term counts
    return eng


def cli_runner(monkeypatch, embedder: Embedder, capsys, sources: Path, data: Path):
    """`factdesk …` in-process over `sources` and `data` with the session's model: returns
    run(*argv) -> (exit code, stdout, stderr), settings re-read at each call as a new process would."""
    from bot import cli

    monkeypatch.setattr(cli.App, "embedder", property(lambda self: embedder))
    monkeypatch.setenv("FACTDESK_SOURCES_DIR", str(sources))
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(data))

    def _run(*argv: str) -> tuple[int, str, str]:
        from ingest.settings import get_settings

        get_settings.cache_clear()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run
