"""The benchmark's report: every must-show ratio stored, and a LangChain phase measured in a run
of its own merged into its size's row (figures here are made up: only the bookkeeping is tested)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.run import markdown, merge_langchain, ratios


def _row(size: int) -> dict:
    return {
        "size": size, "interpreter_s": 0.05, "load_avg": [1.0, 1.5],
        "ingest": {"sentences": size + 1, "sources": size // 10, "sent_per_s": 180.0, "model_load_s": 1.2,
                   "unchanged_s": 0.5, "unchanged_embedded": 0, "changed_s": 0.8, "changed_embedded": 1,
                   "peak_rss_mb": 600.0},
        "model": {"fp32": {"per_s": 200.0}, "int8": {"per_s": 300.0}},
        "query": {"p50_ms": 12.0, "p95_ms": 20.0, "peak_rss_mb": 400.0},
        "cold": {"ask": {"wall_s": 1.2, "cpu_s": 1.1}, "import_chromadb": {"wall_s": 1.0, "cpu_s": 1.0},
                 "ratio_wall": 1.2, "ratio_cpu": 1.1},
    }


def test_every_must_show_ratio_is_stored() -> None:
    r = ratios(_row(1000))
    assert r["ingest_over_model_fp32"] == 0.9 and r["ingest_over_model_int8"] == 0.6
    assert r["one_edited_source_s"] == 0.8 and r["cold_ask_over_import_chromadb"] == 1.2
    assert (r["warm_p50_ms"], r["warm_p95_ms"], r["bot_rss_mb"], r["ingest_peak_rss_mb"]) == (12.0, 20.0, 400.0, 600.0)
    assert r["model_load_s"] == 1.2 and r["interpreter_s"] == 0.05


def test_langchain_measured_apart_fills_the_row(tmp_path: Path) -> None:
    saved = {"sizes": {"100000": _row(100000)}}
    f = tmp_path / "langchain-100000.json"
    f.write_text(json.dumps({"chunks": 20000, "ingest_s": 1000.0, "p50_ms": 150.0, "p95_ms": 300.0,
                             "peak_rss_mb": 1900.0, "_load_start": 2.0, "_load_end": 3.0, "_commit": "abc1234"}))
    assert merge_langchain(saved, f) == 100000
    lc = saved["sizes"]["100000"]["langchain"]
    assert lc["sent_per_s"] == 100001 / 1000.0
    table = markdown([saved["sizes"]["100000"]])
    assert "not run" not in table
    assert "100, 150.0 / 300.0 ms, 1900 MB (run separately: commit abc1234, load 2.0–3.0)" in table
    assert "| 0.90 | 0.60 | 0.05 s, 1.20 s |" in table


def test_langchain_before_factdesk_row_is_kept_and_skipped(tmp_path: Path) -> None:
    saved: dict = {}
    f = tmp_path / "lc.json"
    f.write_text(json.dumps({"chunks": 1, "ingest_s": 10.0, "p50_ms": 1.0, "p95_ms": 2.0, "peak_rss_mb": 3.0}))
    assert merge_langchain(saved, f, 1000) == 1000
    assert saved["sizes"]["1000"]["langchain"]["sent_per_s"] == 100.0
    assert markdown([saved["sizes"]["1000"]]).count("\n") == 1  # header only: no factdesk figures yet
