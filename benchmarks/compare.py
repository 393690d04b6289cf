"""`python -m benchmarks.compare [--size 10000] [--rounds 2] [--baseline 3c40c78]`

Before and after in ONE run: the baseline commit's code (taken from this repository's history with
`git archive`) and the working tree's code each build their own index of the same seeded corpus
and answer the same warm questions, alternating (baseline, head; then head, baseline; …) so a
machine that gets busier or quieter during the run favours neither. Each phase is its own process
(benchmarks/phases.py from the working tree, importing the code under test from that tree), so
peak RSS is per phase. Printed: ingest sentences/s, warm query p50/p95 and the bot's peak RSS per
tree (median over rounds), and the ratios head/baseline. Results: benchmarks/.work/compare-SIZE.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
PHASES = ROOT / "benchmarks" / "phases.py"


def baseline_tree(commit: str) -> Path:
    dest = WORK / f"tree-{commit}"
    if not (dest / "ingest" / "pipeline.py").exists():
        res = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True)
        if res.returncode != 0:
            raise SystemExit(f"git archive {commit} failed: {res.stderr.decode()[:300]}")
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
            tar.extractall(dest, filter="data")
    return dest


def run_phase(tree: Path, phase: str, **kwargs: Any) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("CHROMA_HOST", None)
    p = subprocess.run([sys.executable, str(PHASES), phase, json.dumps(kwargs)], cwd=tree, env=env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{tree.name}: phase {phase} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def measure(name: str, tree: Path, corpus: Path, size: int, queries: int) -> dict[str, float]:
    index = WORK / f"compare-index-{name}-{size}"
    shutil.rmtree(index, ignore_errors=True)
    ing = run_phase(tree, "ingest", corpus=str(corpus), data_dir=str(index))
    qry = run_phase(tree, "query", data_dir=str(index), n=queries)
    out = {"sent_per_s": ing["sent_per_s"], "ingest_s": ing["ingest_s"], "sentences": ing["sentences"],
           "unchanged_s": ing["unchanged_s"], "ingest_rss_mb": ing["peak_rss_mb"], "p50_ms": qry["p50_ms"],
           "p95_ms": qry["p95_ms"], "answered": qry["answered"], "bot_rss_mb": qry["peak_rss_mb"]}
    print(f"  {name:8s} ingest {out['sent_per_s']:.0f} sentences/s ({out['ingest_s']:.1f}s), re-ingest unchanged "
          f"{out['unchanged_s']:.2f}s; warm query p50 {out['p50_ms']:.1f} ms, p95 {out['p95_ms']:.1f} ms; "
          f"bot RSS {out['bot_rss_mb']:.0f} MB", flush=True)
    shutil.rmtree(index, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1] if __doc__ else None)
    ap.add_argument("--size", type=int, default=10000, help="corpus sentences (default 10000)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds per tree (default 2)")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--baseline", default="3c40c78", help="the commit to compare against")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import generate

    WORK.mkdir(parents=True, exist_ok=True)
    trees = {"baseline": baseline_tree(args.baseline), "head": ROOT}
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    corpus = generate(WORK / f"corpus-{args.size}", args.size)
    print(f"{args.size:,} sentences, {len(corpus.files):,} sources; baseline {args.baseline} vs head {head} "
          f"(working tree), {args.rounds} alternating rounds", flush=True)
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "head": []}
    for r in range(args.rounds):
        print(f"round {r + 1}", flush=True)
        for name in (["baseline", "head"] if r % 2 == 0 else ["head", "baseline"]):
            runs[name].append(measure(name, trees[name], corpus.folder, args.size, args.queries))
    med = {name: {k: statistics.median(x[k] for x in rs) for k in rs[0]} for name, rs in runs.items()}
    b, h = med["baseline"], med["head"]
    ratios = {"ingest_speed": h["sent_per_s"] / b["sent_per_s"], "query_p50": h["p50_ms"] / b["p50_ms"],
              "query_p95": h["p95_ms"] / b["p95_ms"], "bot_rss": h["bot_rss_mb"] / b["bot_rss_mb"]}
    print(f"median of {args.rounds}: baseline ingest {b['sent_per_s']:.0f}/s, p50 {b['p50_ms']:.1f} ms, p95 "
          f"{b['p95_ms']:.1f} ms, bot RSS {b['bot_rss_mb']:.0f} MB | head ingest {h['sent_per_s']:.0f}/s, p50 "
          f"{h['p50_ms']:.1f} ms, p95 {h['p95_ms']:.1f} ms, bot RSS {h['bot_rss_mb']:.0f} MB")
    print("head/baseline: " + ", ".join(f"{k} x{v:.3f}" for k, v in ratios.items()))
    out = {"size": args.size, "baseline": args.baseline, "head": head, "rounds": runs, "median": med, "ratios": ratios}
    (WORK / f"compare-{args.size}.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
