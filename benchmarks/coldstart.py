"""`python -m benchmarks.coldstart DATA_DIR [--runs 5]`: where a cold `factdesk ask` spends its time.

Prints, for fresh processes over the index in DATA_DIR (median of `--runs`, wall and CPU seconds):

  interpreter     `python -c pass`
  import chromadb `python -c "import chromadb"` — the floor the embedded store imposed on every ask
  factdesk ask    the real command, `python -m bot.cli ask --json QUESTION` (the sentence mirror
                  when the index has one in step: chromadb is not imported)
  the same ask    with FACTDESK_COLD_MIRROR=0: the Chroma path, as before the mirror
  ratio           factdesk ask / import chromadb (the issue's target: ≤ 1.3), and the Chroma path's

and the in-process breakdown of one instrumented ask (median per phase): imports (the modules the
ask path needs: the CLI, the engine, onnxruntime, tokenizers — chromadb only when the index has
no sentence mirror in step, bot/coldstore.py: then it shows among the late imports), opening the index,
loading statistics (term counts), embedding (loading the ONNX session and embedding the question),
answering (retrieve, select, cite, compose) and output. Modules imported after the import phase
are counted, so an import that slipped into a later phase shows.

Each figure is measured in the same run, so ratios hold on a busy machine; absolute seconds do not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Who is the chief executive of Dunmore Bank?"
PHASES = ("imports", "open_index", "statistics", "embedding", "answering", "output")

# Runs inside a fresh interpreter; prints one JSON line of phase timings (wall and CPU seconds).
PROBE = r'''
import json, sys, time
T = {}
def clock():
    return time.perf_counter(), time.process_time()
def lap(name, start):
    w, c = clock()
    T[name] = [w - start[0], c - start[1]]
    return w, c
start = clock()
import bot.cli, bot.cli.common, bot.engine, ingest.store, onnxruntime, tokenizers
mark = lap("imports", start)
before = set(sys.modules)
from bot.engine import Engine
from bot.termstats import TermStats
from ingest.embed import Embedder
acc = {"open_index": [0.0, 0.0], "statistics": [0.0, 0.0], "embedding": [0.0, 0.0]}
def timed(name, fn):
    def wrap(*a, **k):
        s = clock()
        try:
            return fn(*a, **k)
        finally:
            w, c = clock()
            acc[name][0] += w - s[0]
            acc[name][1] += c - s[1]
    return wrap
Engine.store = timed("open_index", Engine.store)
TermStats.refresh = timed("statistics", TermStats.refresh)
Embedder.embed_one = timed("embedding", Embedder.embed_one)
real_ask = Engine.ask
ask_t = [0.0, 0.0]
def ask(self, *a, **k):
    s = clock()
    try:
        return real_ask(self, *a, **k)
    finally:
        w, c = clock()
        ask_t[0] += w - s[0]
        ask_t[1] += c - s[1]
Engine.ask = ask
s = clock()
rc = bot.cli.main(["ask", "--json", sys.argv[1]])
w, c = clock()
total = [w - s[0], c - s[1]]
T.update(acc)
# Engine.store is also called by ensure_index (before ask): open_index may lie outside ask.
inside = [sum(acc[k][i] for k in ("statistics", "embedding")) for i in (0, 1)]
T["answering"] = [ask_t[i] - inside[i] for i in (0, 1)]
T["output"] = [total[i] - ask_t[i] - acc["open_index"][i] for i in (0, 1)]
T["late_imports"] = sorted(m for m in set(sys.modules) - before if "." not in m)
T["heavy_loaded"] = sorted(m for m in ("chromadb", "torch", "sentence_transformers", "transformers", "langchain",
                                       "langchain_core", "slack_bolt", "slack_sdk", "rich") if m in sys.modules)
print(json.dumps(T), file=sys.stderr if rc else sys.stdout)
sys.exit(rc)
'''


def _env(data_dir: str) -> dict[str, str]:
    env = {**os.environ, "FACTDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("CHROMA_HOST", None)
    return env


def _timed_process(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {p.stderr[-2000:]}")
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    return wall, cpu, p.stdout


def measure(data_dir: str, runs: int = 5, question: str = QUESTION) -> dict[str, Any]:
    """Interleaved runs (pass, import chromadb, ask, ask on Chroma, instrumented ask) so load changes
    hit all alike."""
    env, cwd = _env(data_dir), Path(data_dir)
    py = sys.executable
    ask = [py, "-m", "bot.cli", "ask", "--json", question]
    cmds = {"interpreter": [py, "-c", "pass"], "import_chromadb": [py, "-c", "import chromadb"], "ask": ask,
            "ask_chroma": ask}  # the same ask forced onto Chroma (FACTDESK_COLD_MIRROR=0): the path before the mirror
    envs = {k: env for k in cmds} | {"ask_chroma": {**env, "FACTDESK_COLD_MIRROR": "0"}}
    got: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
    phases: list[dict[str, Any]] = []
    for _ in range(runs):
        for k, cmd in cmds.items():
            wall, cpu, out = _timed_process(cmd, envs[k], cwd)
            if k.startswith("ask") and '"answered"' not in out:
                raise SystemExit(f"factdesk ask printed no answer: {out[:500]}")
            got[k].append((wall, cpu))
        _, _, out = _timed_process([py, "-c", PROBE, question], env, cwd)
        phases.append(json.loads(out.strip().splitlines()[-1]))
    res: dict[str, Any] = {}
    for k, xs in got.items():
        res[k] = {"wall_s": statistics.median(w for w, _ in xs), "cpu_s": statistics.median(c for _, c in xs)}
    res["ratio_wall"] = res["ask"]["wall_s"] / res["import_chromadb"]["wall_s"]
    res["ratio_cpu"] = res["ask"]["cpu_s"] / res["import_chromadb"]["cpu_s"]
    res["ratio_chroma_wall"] = res["ask_chroma"]["wall_s"] / res["import_chromadb"]["wall_s"]
    res["ratio_chroma_cpu"] = res["ask_chroma"]["cpu_s"] / res["import_chromadb"]["cpu_s"]
    res["phases"] = {p: {"wall_s": statistics.median(x[p][0] for x in phases),
                         "cpu_s": statistics.median(x[p][1] for x in phases)} for p in PHASES}
    res["late_imports"] = phases[-1]["late_imports"]
    res["heavy_loaded"] = phases[-1]["heavy_loaded"]
    res["load_avg"] = os.getloadavg()[0]
    return res


def report(res: dict[str, Any]) -> str:
    out = [f"cold start (median; load average {res['load_avg']:.1f})            wall s   CPU s"]
    for k, label in (("interpreter", "python -c pass"), ("import_chromadb", 'python -c "import chromadb"'),
                     ("ask", "factdesk ask --json"), ("ask_chroma", "  the same, FACTDESK_COLD_MIRROR=0")):
        if k in res:  # (a report from before the Chroma path was measured beside has no ask_chroma)
            out.append(f"  {label:<40} {res[k]['wall_s']:7.2f} {res[k]['cpu_s']:7.2f}")
    out.append(f"  {'ask / import chromadb':<40} {res['ratio_wall']:7.2f} {res['ratio_cpu']:7.2f}")
    if "ratio_chroma_wall" in res:
        out.append(f"  {'  Chroma path / import chromadb':<40} {res['ratio_chroma_wall']:7.2f} "
                   f"{res['ratio_chroma_cpu']:7.2f}")
    out.append("breakdown of one instrumented ask:")
    for p in PHASES:
        out.append(f"  {p:<40} {res['phases'][p]['wall_s']:7.3f} {res['phases'][p]['cpu_s']:7.3f}")
    out.append(f"  modules first imported after the import phase: {', '.join(res['late_imports']) or 'none'}")
    out.append(f"  heavy modules loaded: {', '.join(res['heavy_loaded']) or 'none'}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.coldstart", description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", help="FACTDESK_DATA_DIR of an existing index")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--question", default=QUESTION)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = measure(args.data_dir, args.runs, args.question)
    print(json.dumps(res) if args.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
