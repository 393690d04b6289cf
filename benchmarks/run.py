"""`python -m benchmarks.run [--sizes 1000,10000,100000] [--skip-langchain]`

For each size: generate the seeded corpus, ingest it with factdesk (fresh, unchanged, one source
changed), time warm queries through the engine, time a cold `factdesk ask` subprocess, then put
the same corpus through the LangChain tutorial pipeline and print the ratios. Each phase runs in
its own process (see phases.py) so peak RSS is per phase. Results are appended to
benchmarks/.work/results.json; `--markdown` prints the README table. A LangChain phase measured
in a run of its own (`run_phase("langchain", ...)` saved as benchmarks/.work/langchain-SIZE.json)
is merged into that size's row by `--merge-langchain FILE` (or found there by `--markdown`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = f", {int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        mem = ""
    import torch

    return (f"{os.cpu_count()} cores ({cpu}){mem}, Linux {platform.release()}, Python {platform.python_version()}, "
            f"torch {torch.__version__} CPU, {torch.get_num_threads()} threads")


def interpreter_start(runs: int = 3) -> float:
    """Median wall time of `python -c pass` (beside the in-process figures, which exclude it)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_phase(phase: str, **kwargs: Any) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "benchmarks.phases", phase, json.dumps(kwargs)], cwd=ROOT,
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def cold_ask(data_dir: Path, runs: int = 5) -> dict[str, Any]:
    """A fresh `factdesk ask --json` process beside a bare `python -c "import chromadb"` and
    `python -c pass`, interleaved in the same run, plus the in-process breakdown (coldstart.py)."""
    from benchmarks.coldstart import measure

    res = measure(str(data_dir), runs)
    res["median_s"] = res["ask"]["wall_s"]
    res["cpu_s"] = res["ask"]["cpu_s"]
    return res


def _steps_line(steps: dict[str, float], total: float) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:.2f}s ({v / total:.0%})" for k, v in steps.items() if total > 0)


def _print_query(q: dict[str, Any]) -> None:
    print(f"warm query (engine): p50 {q['p50_ms']:.1f} ms, p95 {q['p95_ms']:.1f} ms; CPU p50 {q.get('cpu_p50_ms', 0):.1f} ms; "
          f"{q['answered']}/{q['n']} answered; bot peak RSS {q['peak_rss_mb']:.0f} MB; rows read warm in "
          f"{q.get('rows_fill_s', 0):.1f}s ({q.get('rows_fill_cpu_s', 0):.1f}s CPU) before the questions", flush=True)


def bench_index(index: Path, phases: set[str]) -> None:
    """Only the query and cold phases, on an index built before (a copy of index-SIZE); nothing saved."""
    from benchmarks.coldstart import report
    if "query" in phases:
        _print_query(run_phase("query", data_dir=str(index)))
    if "cold" in phases:
        print(report(cold_ask(index)), flush=True)


def bench_size(size: int, langchain: bool, phases: set[str], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    from benchmarks.corpus import generate

    corpus = generate(WORK / f"corpus-{size}", size)
    index = WORK / f"index-{size}"
    print(f"\n== {size:,} sentences: {len(corpus.files):,} sources", flush=True)
    out: dict[str, Any] = {"size": size, **(previous or {})}
    load_start = os.getloadavg()[0]
    partial = WORK / f"ingest-{size}.json"  # kept even if a later phase fails
    if "ingest" not in out and partial.exists():
        out["ingest"] = json.loads(partial.read_text())
    if "ingest" in phases or "ingest" not in out or not index.exists():
        shutil.rmtree(index, ignore_errors=True)
        out["ingest"] = run_phase("ingest", corpus=str(corpus.folder), data_dir=str(index),
                                  change=str(corpus.files[0]))
        partial.write_text(json.dumps(out["ingest"]))
    else:
        print("ingest: reusing the index and figures of the last run", flush=True)
    i = out["ingest"]
    if "model" in phases or "model" not in out:
        out["model"] = run_phase("model", corpus=str(corpus.folder))
    m = out["model"]
    out["interpreter_s"] = interpreter_start()
    out["ratios"] = ratios(out)
    ratio = out["ratios"]["ingest_over_model_fp32"]
    print(f"ingest: {i['sentences']:,} sentences in {i['ingest_s']:.1f}s = {i['sent_per_s']:.0f}/s, first file read "
          f"to last write; model alone on the same sentences: fp32 {m['fp32']['per_s']:.0f}/s, int8 "
          f"{m['int8']['per_s']:.0f}/s; ingest / model alone = {ratio:.2f} (fp32), "
          f"{out['ratios']['ingest_over_model_int8']:.2f} (int8)", flush=True)
    if "model_distinct_over_ingest" in out["ratios"]:
        d = m["fp32_distinct"]
        print(f"  distinct texts: {d['sentences']:,} of {i['sentences']:,} (ingest embeds each once); model alone on them "
              f"{d['s']:.1f}s fp32 = {out['ratios']['model_distinct_over_ingest']:.2f} of ingest's time", flush=True)
    print(f"  beside it: interpreter start {out['interpreter_s']:.2f}s, imports {i.get('imports_s', 0):.2f}s, "
          f"model load {i['model_load_s']:.2f}s", flush=True)
    if "steps" in i:
        print(f"  breakdown: {_steps_line(i['steps'], i['ingest_s'])}", flush=True)
    if "steps_thread_cpu" in i:  # the ingesting thread's CPU per step (embedding's own threads not counted)
        print("  its thread CPU: " + ", ".join(f"{k.replace('_', ' ')} {v:.2f}s" for k, v in i["steps_thread_cpu"].items()
                                               if k in ("cues", "relink", "load_clean_split")), flush=True)
    print(f"re-ingest unchanged {i['unchanged_s']:.2f}s ({i['unchanged_embedded']} embedded); one source edited "
          f"{i['changed_s']:.2f}s ({i['changed_embedded']} embedded); ingest peak RSS {i['peak_rss_mb']:.0f} MB",
          flush=True)
    if "links_digest" in i:
        print(f"  links {i['links']:,} (digest {i['links_digest']}), cued sentences {i['cued']:,} (digest "
              f"{i['cues_digest']}): a speed change must leave both identical", flush=True)
    if "changed_steps" in i:
        print(f"  one edited source: {_steps_line(i['changed_steps'], i['changed_s'])}", flush=True)
    if "query" in phases or "query" not in out:
        out["query"] = run_phase("query", data_dir=str(index))
        out["query_rerank"] = run_phase("query", data_dir=str(index), rerank="cross")
    _print_query(out["query"])
    if "query_rerank" in out:
        qr, q0 = out["query_rerank"], out["query"]
        print(f"  with the opt-in rerank stage (FACTDESK_RERANK=cross; its gate reread {qr.get('reread', qr['n'])} of "
              f"{qr['n']} questions): p50 {qr['p50_ms']:.1f} ms (x{qr['p50_ms'] / q0['p50_ms']:.2f}), "
              f"p95 {qr['p95_ms']:.1f} ms (x{qr['p95_ms'] / q0['p95_ms']:.2f}); bot peak RSS {qr['peak_rss_mb']:.0f} MB "
              f"(+{qr['peak_rss_mb'] - q0['peak_rss_mb']:.0f})", flush=True)
    if "cold" in phases or "cold" not in out:
        out["cold"] = cold_ask(index)
    c = out["cold"]
    if "import_chromadb" in c:
        from benchmarks.coldstart import report

        print(report(c), flush=True)
    else:
        print(f"cold `factdesk ask`: median {c['median_s']:.2f}s wall, {c.get('cpu_s', 0):.2f}s CPU", flush=True)
    out["load_avg"] = [round(load_start, 1), round(os.getloadavg()[0], 1)]
    out["ratios"] = ratios(out)
    print(f"load average (1 min) at start / end of this size: {out['load_avg'][0]} / {out['load_avg'][1]}", flush=True)
    # the corpus now has one changed file; restore it so the next run's corpus is unchanged
    generate(WORK / f"corpus-{size}", size)
    if langchain and ("langchain" in phases or "langchain" not in out):
        lc_dir = WORK / f"langchain-{size}"
        shutil.rmtree(lc_dir, ignore_errors=True)
        out["langchain"] = lc = run_phase("langchain", corpus=str(corpus.folder), data_dir=str(lc_dir))
        lc["sent_per_s"] = i["sentences"] / lc["ingest_s"]
        print(f"LangChain tutorial: {lc['chunks']:,} chunks in {lc['ingest_s']:.1f}s = {lc['sent_per_s']:.0f} "
              f"sentences/s; query p50 {lc['p50_ms']:.1f} ms, p95 {lc['p95_ms']:.1f} ms; peak RSS "
              f"{lc['peak_rss_mb']:.0f} MB", flush=True)
        print(f"ratios factdesk/LangChain: ingest speed x{i['sent_per_s'] / lc['sent_per_s']:.2f}, "
              f"unchanged re-ingest time x{i['unchanged_s'] / lc['ingest_s']:.3f} (the tutorial re-embeds everything), "
              f"query p50 x{q['p50_ms'] / lc['p50_ms']:.2f}, bot RSS x{q['peak_rss_mb'] / lc['peak_rss_mb']:.2f}",
              flush=True)
    return out


def ratios(r: dict[str, Any]) -> dict[str, float]:
    """Every ratio the issue's must-show asks for, from one size's figures of one run (stored
    beside the figures, so the README quotes exactly what was measured)."""
    i, m, q, c = r.get("ingest", {}), r.get("model"), r.get("query"), r.get("cold")
    out: dict[str, float] = {}
    if m and i:
        out["ingest_over_model_fp32"] = i["sent_per_s"] / m["fp32"]["per_s"]
        out["ingest_over_model_int8"] = i["sent_per_s"] / m["int8"]["per_s"]
        if "fp32_distinct" in m:  # the model's time on the texts ingest embeds ÷ ingest's time
            out["model_distinct_over_ingest"] = m["fp32_distinct"]["s"] / i["ingest_s"]
        out["model_load_s"] = i.get("model_load_s", 0.0)
        out["interpreter_s"] = r.get("interpreter_s", 0.0)
    if i:
        out["one_edited_source_s"] = i.get("changed_s", 0.0)  # in-process: no start-up, model warm
    if c and "import_chromadb" in c:
        out["cold_ask_over_import_chromadb"] = c["ratio_wall"]
        out["cold_ask_over_import_chromadb_cpu"] = c["ratio_cpu"]
    if q:
        out |= {"warm_p50_ms": q["p50_ms"], "warm_p95_ms": q["p95_ms"], "bot_rss_mb": q["peak_rss_mb"]}
    if q and (qr := r.get("query_rerank")):  # the opt-in rerank stage, same questions, same run
        out |= {"rerank_p50_ratio": qr["p50_ms"] / q["p50_ms"], "rerank_rss_mb": qr["peak_rss_mb"],
                "rerank_reread": qr.get("reread", qr["n"])}
    if i:
        out["ingest_peak_rss_mb"] = i.get("peak_rss_mb", 0.0)
    return out


def merge_langchain(saved: dict[str, Any], path: Path, size: int | None = None) -> int:
    """Put a LangChain phase measured in a run of its own (`run_phase("langchain", ...)`'s dict,
    optionally with `_load_start`, `_load_end`, `_commit`) into `size`'s row. Its sentences/s
    use the factdesk ingest's sentence count of the same corpus (the same seeded files)."""
    if size is None:
        m = re.search(r"langchain-(\d+)\.json$", path.name)
        if not m:
            raise SystemExit(f"{path}: give --size (the file name does not say it)")
        size = int(m.group(1))
    lc = json.loads(path.read_text())
    row = saved.setdefault("sizes", {}).setdefault(str(size), {"size": size})
    sentences = row.get("ingest", {}).get("sentences", size)
    lc["sent_per_s"] = sentences / lc["ingest_s"]
    lc["separate_run"] = str(path)
    row["langchain"] = lc
    return size


def _langchain_cell(lc: dict[str, Any] | None) -> str:
    if not lc:
        return "not run"
    cell = f"{lc['sent_per_s']:.0f}, {lc['p50_ms']:.1f} / {lc['p95_ms']:.1f} ms, {lc['peak_rss_mb']:.0f} MB"
    if lc.get("separate_run"):
        where = ", ".join(x for x in (f"commit {lc['_commit']}" if lc.get("_commit") else "",
                                      f"load {lc['_load_start']:.1f}–{lc['_load_end']:.1f}"
                                      if "_load_start" in lc and "_load_end" in lc else "") if x)
        cell += f" (run separately{': ' + where if where else ''})"
    return cell


def markdown(results: list[dict[str, Any]]) -> str:
    """The README table: every ratio from one run of one size."""
    rows = ["| sentences (sources) | ingest sent/s | model alone fp32 / int8 sent/s | ingest ÷ model (fp32) | "
            "ingest ÷ model (int8) | interpreter start, model load | "
            "re-ingest unchanged | one source edited (in-process) | warm query p50 / p95 | cold `ask` / bare `import chromadb` "
            "(wall; CPU) | bot peak RSS | ingest peak RSS | LangChain tutorial: ingest sent/s, query p50 / p95, RSS |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if not all(k in r for k in ("ingest", "query", "cold")):
            continue  # e.g. a LangChain figure merged before factdesk's run of that size
        i, q, c, m = r["ingest"], r["query"], r["cold"], r.get("model")
        lcs = _langchain_cell(r.get("langchain"))
        ms = f"{m['fp32']['per_s']:.0f} / {m['int8']['per_s']:.0f}" if m else "–"
        ratio = f"{i['sent_per_s'] / m['fp32']['per_s']:.2f}" if m else "–"
        ratio8 = f"{i['sent_per_s'] / m['int8']['per_s']:.2f}" if m else "–"
        start = f"{r.get('interpreter_s', 0):.2f} s, {i.get('model_load_s', 0):.2f} s"
        if "import_chromadb" in c:
            cold = (f"{c['ask']['wall_s']:.2f} s / {c['import_chromadb']['wall_s']:.2f} s = ×{c['ratio_wall']:.2f}; "
                    f"CPU ×{c['ratio_cpu']:.2f}")
        else:
            cold = f"{c['median_s']:.2f} s"
        rows.append(
            f"| {i['sentences']:,} ({i['sources']:,}) | {i['sent_per_s']:.0f} | {ms} | {ratio} | {ratio8} | {start} | "
            f"{i['unchanged_s']:.2f} s, {i['unchanged_embedded']} embedded | {i['changed_s']:.2f} s, "
            f"{i['changed_embedded']} embedded | {q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms | {cold} | "
            f"{q['peak_rss_mb']:.0f} MB | {i['peak_rss_mb']:.0f} MB | {lcs} |")
    loads = [f"{r['size']:,}: {r['load_avg'][0]}–{r['load_avg'][1]}" for r in results if r.get("load_avg")]
    if loads:
        rows.append(f"\nLoad average (1 min) at the start and end of each size's run: {'; '.join(loads)}.")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[1])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated sentence counts")
    ap.add_argument("--skip-langchain", action="store_true", help="factdesk only")
    ap.add_argument("--phases", default="ingest,model,query,cold,langchain",
                    help="which phases to (re)run; the others keep the saved figures (and the ingest its index)")
    ap.add_argument("--markdown", action="store_true", help="print the README table of all saved results")
    ap.add_argument("--merge-langchain", metavar="FILE", type=Path,
                    help="a LangChain phase measured on its own (langchain-SIZE.json): store it in SIZE's row")
    ap.add_argument("--size", type=int, help="with --merge-langchain, when the file name does not say the size")
    ap.add_argument("--index", type=Path, help="only the query and cold phases (of --phases), on this existing index")
    args = ap.parse_args(argv)
    if args.index:
        bench_index(args.index, set(args.phases.split(",")))
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    saved_path = WORK / "results.json"
    saved: dict[str, Any] = json.loads(saved_path.read_text()) if saved_path.exists() else {}
    if args.merge_langchain:
        size = merge_langchain(saved, args.merge_langchain, args.size)
        saved_path.write_text(json.dumps(saved, indent=1))
        print(f"merged {args.merge_langchain} into the {size:,} row of {saved_path}")
    if args.markdown:
        for f in sorted(WORK.glob("langchain-*.json")):  # measured apart, not merged yet
            m = re.search(r"langchain-(\d+)\.json$", f.name)
            if m and m.group(1) in saved.get("sizes", {}) and "langchain" not in saved["sizes"][m.group(1)]:
                merge_langchain(saved, f)
        print(f"Machine: {saved.get('machine', machine())}\n")
        print(markdown([saved["sizes"][k] for k in sorted(saved.get("sizes", {}), key=int)]))
        return 0
    if args.merge_langchain:
        return 0
    saved["machine"] = machine()
    print(f"machine: {saved['machine']}")
    for size in (int(s.replace("_", "").replace("k", "000")) for s in args.sizes.split(",") if s.strip()):
        res = bench_size(size, not args.skip_langchain, set(args.phases.split(",")),
                         saved.get("sizes", {}).get(str(size)))
        # re-read before writing: another run may have saved other sizes meanwhile
        latest = json.loads(saved_path.read_text()) if saved_path.exists() else {}
        saved["sizes"] = {**saved.get("sizes", {}), **latest.get("sizes", {}), str(size): res}
        saved_path.write_text(json.dumps(saved, indent=1))
    print("\n" + markdown([saved["sizes"][k] for k in sorted(saved["sizes"], key=int)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
