"""`python -m benchmarks.run [--sizes 1000,10000,100000] [--skip-langchain]`

For each size: generate the seeded corpus, ingest it with factdesk (fresh, unchanged, one source
changed), time warm queries through the engine, time a cold `factdesk ask` subprocess, then put
the same corpus through the LangChain tutorial pipeline and print the ratios. Each phase runs in
its own process (see phases.py) so peak RSS is per phase. Results are appended to
benchmarks/.work/results.json; `--markdown` prints the README table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import torch

    return (f"{os.cpu_count()} cores ({cpu}){mem}, Linux {platform.release()}, Python {platform.python_version()}, "
            f"torch {torch.__version__} CPU, {torch.get_num_threads()} threads")


def run_phase(phase: str, **kwargs: Any) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "benchmarks.phases", phase, json.dumps(kwargs)], cwd=ROOT,
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def cold_ask(data_dir: Path, runs: int = 3) -> dict[str, float]:
    """Wall time of a fresh `factdesk ask --json` process: interpreter, imports, model, index, answer."""
    exe = Path(sys.executable).parent / "factdesk"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot.cli"]
    env = {**os.environ, "FACTDESK_DATA_DIR": str(data_dir)}
    env.pop("CHROMA_HOST", None)
    times, cpu = [], []
    for _ in range(runs):
        t = time.perf_counter()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd + ["ask", "--json", "Who is the chief executive of Dunmore Bank?"], cwd=WORK,
                           env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if p.returncode != 0:
            raise SystemExit(f"factdesk ask failed: {p.stderr[-2000:]}")
    # CPU seconds are what the start-up costs on an idle machine; wall time also counts waiting
    # for a core when other work shares the machine.
    return {"median_s": statistics.median(times), "min_s": min(times), "cpu_s": statistics.median(cpu)}


def bench_size(size: int, langchain: bool, phases: set[str], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    from benchmarks.corpus import generate

    corpus = generate(WORK / f"corpus-{size}", size)
    index = WORK / f"index-{size}"
    print(f"\n== {size:,} sentences: {len(corpus.files):,} sources", flush=True)
    out: dict[str, Any] = {"size": size, **(previous or {})}
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
    print(f"ingest: {i['sentences']:,} sentences in {i['ingest_s']:.1f}s = {i['sent_per_s']:.0f}/s "
          f"(embedding {i['embed_s']:.1f}s = model alone {i['sentences'] / i['embed_s']:.0f}/s); re-ingest unchanged {i['unchanged_s']:.2f}s "
          f"({i['unchanged_embedded']} embedded); one changed {i['changed_s']:.2f}s "
          f"({i['changed_embedded']} embedded); peak RSS {i['peak_rss_mb']:.0f} MB", flush=True)
    if "query" in phases or "query" not in out:
        out["query"] = run_phase("query", data_dir=str(index))
    q = out["query"]
    print(f"warm query (engine): p50 {q['p50_ms']:.1f} ms, p95 {q['p95_ms']:.1f} ms; "
          f"CPU p50 {q.get('cpu_p50_ms', 0):.1f} ms; {q['answered']}/{q['n']} answered; bot peak RSS {q['peak_rss_mb']:.0f} MB", flush=True)
    if "cold" in phases or "cold" not in out:
        out["cold"] = cold_ask(index)
    print(f"cold `factdesk ask`: median {out['cold']['median_s']:.2f}s wall, {out['cold'].get('cpu_s', 0):.2f}s CPU",
          flush=True)
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


def markdown(results: list[dict[str, Any]]) -> str:
    rows = ["| sentences (sources) | ingest sent/s (embed share) | re-ingest unchanged | one source changed | "
            "warm query p50 / p95 | cold `factdesk ask` | bot peak RSS | ingest peak RSS | "
            "LangChain tutorial: ingest sent/s, query p50 / p95, RSS |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        i, q, c = r["ingest"], r["query"], r["cold"]
        lc = r.get("langchain")
        lcs = (f"{lc['sent_per_s']:.0f}, {lc['p50_ms']:.1f} / {lc['p95_ms']:.1f} ms, {lc['peak_rss_mb']:.0f} MB"
               if lc else "not run")
        rows.append(
            f"| {i['sentences']:,} ({i['sources']:,}) | {i['sent_per_s']:.0f} ({i['embed_s'] / i['ingest_s']:.0%}) | "
            f"{i['unchanged_s']:.2f} s, {i['unchanged_embedded']} embedded | {i['changed_s']:.2f} s, "
            f"{i['changed_embedded']} embedded | {q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms | {c['median_s']:.2f} s | "
            f"{q['peak_rss_mb']:.0f} MB | {i['peak_rss_mb']:.0f} MB | {lcs} |")
        if "cpu_p50_ms" in q:
            rows[-1] = rows[-1].replace(f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms |",
                                        f"{q['p50_ms']:.1f} / {q['p95_ms']:.1f} ms (CPU {q['cpu_p50_ms']:.1f} / "
                                        f"{q['cpu_p95_ms']:.1f}) |")
        if "cpu_s" in c:
            rows[-1] = rows[-1].replace(f"{c['median_s']:.2f} s |", f"{c['median_s']:.2f} s (CPU {c['cpu_s']:.2f} s) |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[1])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated sentence counts")
    ap.add_argument("--skip-langchain", action="store_true", help="factdesk only")
    ap.add_argument("--phases", default="ingest,query,cold,langchain",
                    help="which phases to (re)run; the others keep the saved figures (and the ingest its index)")
    ap.add_argument("--markdown", action="store_true", help="print the README table of all saved results")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    saved_path = WORK / "results.json"
    saved: dict[str, Any] = json.loads(saved_path.read_text()) if saved_path.exists() else {}
    if args.markdown:
        print(f"Machine: {saved.get('machine', machine())}\n")
        print(markdown([saved["sizes"][k] for k in sorted(saved.get("sizes", {}), key=int)]))
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
