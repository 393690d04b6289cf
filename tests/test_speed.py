"""Speed paths that must not change answers silently: the int8 model is its own model identity
(an index is never a mix of fp32 and int8 vectors), and its vectors stay close to fp32's.
No test here asserts on wall time."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SOURCES

TEXTS = [
    "Human Rights Watch has withdrawn an assertion from a May report that linked Megvii to a police app.",
    "Did the police app use Megvii's face matching?",
    "The plant will employ 500 workers, the company said on Tuesday.",
    "IJOP",
]


@pytest.fixture(scope="module")
def int8(embedder):
    from ingest.embed import Embedder

    embedder.model  # the fp32 export the int8 copy is made from
    return Embedder(quantize="int8")


def test_int8_is_its_own_identity_and_stays_close_to_fp32(embedder, int8):
    assert int8.identity == embedder.identity + "+int8"
    v8, v32 = int8.embed(TEXTS), embedder.embed(TEXTS)
    assert v8.shape == v32.shape
    assert np.allclose(np.linalg.norm(v8, axis=1), 1.0, atol=1e-4)
    cos = (v8 * v32).sum(axis=1)
    assert cos.min() > 0.98, cos  # close, but not the same vectors: hence the separate identity
    # A question is embedded alone; dynamic quantisation scales activations per batch, so a
    # sentence's int8 vector moves a little with its batch — the same alone, close in a batch.
    one = int8.embed_one(TEXTS[1])
    assert float(np.dot(one, int8.embed([TEXTS[1]])[0])) > 0.9999
    assert float(np.dot(one, v8[1])) > 0.98


def test_an_index_is_never_a_mix_of_fp32_and_int8(settings, embedder, int8):
    from bot.engine import Engine
    from ingest.pipeline import Indexer
    from ingest.store import ModelMismatch

    assert Indexer(settings, embedder=embedder).ingest([str(SOURCES)]).ok
    with pytest.raises(ModelMismatch, match=r"\+int8"):
        Indexer(settings, embedder=int8).ingest([str(SOURCES)])
    with pytest.raises(ModelMismatch):
        Engine(settings, embedder=int8).ask("Did the police app use Megvii's face matching?")
    # and the other way round: an int8 index refuses fp32 vectors
    s8 = settings.model_copy(update={"data_dir": settings.data_dir.parent / "int8-data"})
    assert Indexer(s8, embedder=int8).ingest([str(SOURCES)]).ok
    with pytest.raises(ModelMismatch):
        Indexer(s8, embedder=embedder).ingest([str(SOURCES)])
    assert Engine(s8, embedder=int8).ask("Did the police app use Megvii's face matching?").answered


def test_quantize_mode_comes_from_the_settings_and_is_checked(monkeypatch):
    from ingest.embed import EmbedError, Embedder
    from ingest.settings import Settings

    monkeypatch.setenv("FACTDESK_EMBED_QUANTIZE", "int8")
    s = Settings(_env_file=None)
    assert s.embed_quantize == "int8"
    assert Embedder(s.embed_model, quantize=s.embed_quantize).identity.endswith("+int8")
    assert not Embedder(quantize="fp32").identity.endswith("+int8")
    with pytest.raises(EmbedError, match="FACTDESK_EMBED_QUANTIZE"):
        Embedder(quantize="int4")


def test_ingest_breakdown_accounts_for_every_step(settings, embedder):
    """The benchmark's ingest breakdown: every step present, exclusive times that add up to the
    total (with `other` the unwrapped rest), and the steps that must happen are seen to happen."""
    import time

    from benchmarks.phases import Breakdown
    from ingest.pipeline import Indexer

    bd = Breakdown()
    bd.install()
    try:
        t = time.perf_counter()
        assert Indexer(settings, embedder=embedder).ingest([str(SOURCES)]).ok
        total = time.perf_counter() - t
    finally:
        bd.uninstall()
    steps = bd.result(total)
    assert list(steps) == [*Breakdown.STEPS, "other"]
    assert abs(sum(steps.values()) - total) < 0.01
    assert all(v >= 0 for k, v in steps.items() if k != "other")
    for step in ("load_clean_split", "embed", "relink", "chroma_writes", "chroma_reads", "cues", "list_files", "plan",
                 "publish"):
        assert bd.t[step] > 0, (step, bd.t)  # unrounded: listing one small folder takes well under 1 ms


def test_cold_start_report_has_every_phase_and_the_ratio(tmp_path, settings, embedder):
    """`python -m benchmarks.coldstart`: the bare processes, the real ask, the ratio and each phase
    of an instrumented ask, measured on a real index (one run; no assertion on time)."""
    from benchmarks.coldstart import PHASES, measure, report
    from ingest.pipeline import Indexer

    assert Indexer(settings, embedder=embedder).ingest([str(SOURCES)]).ok
    res = measure(str(settings.data_dir), runs=1, question="Did the police app use Megvii's face matching?")
    for k in ("interpreter", "import_chromadb", "ask"):
        assert res[k]["wall_s"] > 0 and res[k]["cpu_s"] > 0
    assert res["ratio_wall"] == res["ask"]["wall_s"] / res["import_chromadb"]["wall_s"]
    assert set(res["phases"]) == set(PHASES)
    assert res["phases"]["embedding"]["cpu_s"] >= 0
    assert not {"torch", "sentence_transformers", "langchain", "slack_bolt"} & set(res["heavy_loaded"])
    text = report(res)
    assert "ask / import chromadb" in text
    for p in PHASES:
        assert f"  {p} " in text
