"""Opt-in LLM confirmation of detected correction links at ingest: it may only confirm or reject
the offline detector's candidates, verdicts are cached per pair, and a broken LLM keeps links."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from ingest.settings import Settings
from tests.conftest import SOURCES
from tests.mock_openai import MockOpenAI, Reply


@pytest.fixture
def server() -> Iterator[MockOpenAI]:
    with MockOpenAI() as srv:
        yield srv


def links_of(settings: Settings, embedder, data_dir=None, cache_from=None, fields=("by",)) -> dict[str, object]:
    """Links after ingesting the seed into a fresh index (optionally starting from a judge cache):
    claim -> `by`, or claim -> a tuple of the named link fields."""
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
        data_dir.mkdir(parents=True)
        if cache_from is not None:
            shutil.copy(cache_from / "llm_judge_cache.json", data_dir / "llm_judge_cache.json")
    from bot.indexing import make_indexer

    idx = make_indexer(settings, embedder)
    assert idx.ingest([str(SOURCES)]).ok
    links = idx.store().all_links()
    if fields == ("by",):
        return {lk.claim: lk.by for lk in links}
    return {lk.claim: tuple(getattr(lk, f) for f in fields) for lk in links}


def test_judge_confirms_rejects_caches_and_survives_failure(server, settings, embedder, tmp_path, seed_engine) -> None:
    from bot import judge

    judge._judges.clear()
    offline = {lk.claim: lk.by for lk in seed_engine.store().all_links()}  # the detector alone
    assert offline, "the seed article has a detected correction"
    pairs = sum(len(by) for by in offline.values())
    on = settings.model_copy(update={"llm": "openai:judge", "llm_base_url": server.base_url,
                                     "llm_judge_corrections": True, "llm_timeout": 5})

    server.script(Reply('{"verdict": "yes", "reason": "it withdraws the claim"}'))
    whole = ("by", "status", "family", "note")
    detected = {lk.claim: tuple(getattr(lk, f) for f in whole) for lk in seed_engine.store().all_links()}
    assert all(d[2] for d in detected.values()), "detected links carry their family"
    assert links_of(on, embedder, tmp_path / "a", fields=whole) == detected  # confirming changes nothing
    assert len(server.requests) == pairs
    assert "<data-" in server.requests[0]["messages"][-1]["content"]

    judge._judges.clear()
    assert links_of(on, embedder, tmp_path / "b", cache_from=tmp_path / "a") == offline
    assert len(server.requests) == pairs  # every pair answered from the on-disk cache

    judge._judges.clear()
    server.script(Reply(status=500))  # an outage never unflags a claim
    assert links_of(on, embedder, tmp_path / "c") == offline

    # Per pair: confirmed, no usable verdict (kept), rejected (dropped from the link).
    (claim, by), = offline.items()
    assert len(by) == 3
    judge._judges.clear()
    server.script(Reply('{"verdict": "yes"}'), Reply("I cannot tell."), Reply('{"verdict": "no", "reason": "x"}'))
    assert links_of(on, embedder, tmp_path / "d") == {claim: by[:2]}


def test_judge_is_off_unless_asked(server, settings, seed_engine) -> None:
    from types import SimpleNamespace

    from bot.judge import judge_links

    links = seed_engine.store().all_links()
    s = settings.model_copy(update={"llm": "openai:judge", "llm_base_url": server.base_url})
    assert judge_links(SimpleNamespace(settings=s), links, {}, []) == links
    assert server.requests == []
