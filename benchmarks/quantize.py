"""`python -m benchmarks.quantize [--sets ...] [--no-eval]`: is the int8 model path equal in use?

1. Vectors: every distinct sentence of the eval sets' sources (data/eval/**, data/sources) is
   embedded by the fp32 ONNX export and by its int8 copy (`FACTDESK_EMBED_QUANTIZE=int8`, made by
   `ingest.onnx_embed.quantize_int8`); prints the cosine to fp32 (mean, 1st percentile, worst),
   how far an int8 vector moves when the sentence is embedded alone rather than in a batch (dynamic
   quantisation scales activations per batch), and the model-alone rate of both in this run.
2. Answers: every eval set (data/eval/*.jsonl, data/eval/realworld/dev.jsonl) is run in both modes,
   and the figures are printed side by side with the differences; the int8 path may become the
   default only if every difference is within ±0.01 (the `verdict` line).

Results are saved to benchmarks/.work/quantize.json; `--markdown` prints the README table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
# The figures compared (higher is better except where noted); None when a set has no such item.
METRICS = ["hit_rate", "sentence_precision", "abstention", "false_abstention", "flag_recall",
           "correction_leads", "index_flag_recall", "link_recall", "link_precision", "later_shown"]
COUNTS = ["false_flags", "index_false_flags"]  # compared as counts: must be equal
TOLERANCE = 0.01


def eval_sets() -> list[Path]:
    sets = sorted((ROOT / "data" / "eval").glob("*.jsonl"))
    dev = ROOT / "data" / "eval" / "realworld" / "dev.jsonl"
    return sets + ([dev] if dev.exists() else [])


def real_sentences() -> list[str]:
    """Distinct sentences of every source the eval sets and the bundled corpus hold."""
    from ingest.loaders import SourceError, iter_files, load_file
    from ingest.split import split_sentences

    out: dict[str, None] = {}
    for folder in (ROOT / "data" / "eval", ROOT / "data" / "sources"):
        for f in sorted(iter_files(folder)):
            if f.name.lower().startswith("readme"):
                continue
            try:
                src = load_file(f)
            except (SourceError, OSError):
                continue
            out.update((s.text, None) for s in split_sentences(src.id, src.text))
    return list(out)


def _rate(embedder: Any, texts: list[str]) -> tuple[np.ndarray, float]:
    t = time.perf_counter()
    v = embedder.embed(texts)
    return v, len(texts) / (time.perf_counter() - t)


def vectors(n_alone: int = 200) -> dict[str, Any]:
    from ingest.embed import Embedder

    texts = real_sentences()
    fp32, int8 = Embedder(), Embedder(quantize="int8")
    fp32.embed(texts[:8]), int8.embed(texts[:8])  # sessions loaded before timing
    v32, r32 = _rate(fp32, texts)
    v8, r8 = _rate(int8, texts)
    cos = (v32 * v8).sum(axis=1)
    alone = np.vstack([int8.embed_one(t) for t in texts[:n_alone]])
    drift = (alone * v8[:n_alone]).sum(axis=1)
    return {"sentences": len(texts), "cos_mean": float(cos.mean()), "cos_p1": float(np.percentile(cos, 1)),
            "cos_worst": float(cos.min()), "alone_vs_batch_worst": float(drift.min()),
            "alone_vs_batch_mean": float(drift.mean()),
            "fp32_per_s": r32, "int8_per_s": r8, "speedup": r8 / r32}


def run_evals(sets: list[Path]) -> dict[str, dict[str, Any]]:
    from bot.evaluate import run_eval
    from ingest.embed import Embedder
    from ingest.settings import Settings

    base = Settings(_env_file=None)
    out: dict[str, dict[str, Any]] = {}
    for mode in ("", "int8"):
        emb = Embedder(base.embed_model, base.embed_device, quantize=mode)
        for path in sets:
            t = time.perf_counter()
            r = run_eval(base.model_copy(update={"embed_quantize": mode}), emb, path)
            name = str(path.relative_to(ROOT))
            out.setdefault(name, {})[mode or "fp32"] = {k: r.get(k) for k in METRICS + COUNTS}
            print(f"  {mode or 'fp32'} {name}: {time.perf_counter() - t:.0f}s", file=sys.stderr, flush=True)
    return out


def verdict(evals: dict[str, dict[str, Any]]) -> tuple[bool, list[str]]:
    """(int8 may be the default, the differences that forbid it)."""
    bad = []
    for name, modes in evals.items():
        a, b = modes["fp32"], modes["int8"]
        for k in METRICS:
            if (a[k] is None) != (b[k] is None) or (a[k] is not None and abs(a[k] - b[k]) > TOLERANCE + 1e-9):
                bad.append(f"{name} {k}: fp32 {a[k]} vs int8 {b[k]}")
        for k in COUNTS:
            if a.get(k) != b.get(k):
                bad.append(f"{name} {k}: fp32 {a.get(k)} vs int8 {b.get(k)}")
    return not bad, bad


def _f(v: Any) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def markdown(res: dict[str, Any]) -> str:
    v = res.get("vectors")
    out = []
    if v:
        out.append(f"Vectors ({v['sentences']:,} distinct sentences of the eval sources): cosine int8 to fp32 mean "
                   f"{v['cos_mean']:.4f}, 1st percentile {v['cos_p1']:.4f}, worst {v['cos_worst']:.4f}; one "
                   f"sentence alone vs in a batch (int8) worst {v['alone_vs_batch_worst']:.4f}; model alone "
                   f"fp32 {v['fp32_per_s']:.0f}/s, int8 {v['int8_per_s']:.0f}/s (×{v['speedup']:.2f}).\n")
    cols = ["hit_rate", "sentence_precision", "abstention", "flag_recall", "false_flags", "index_flag_recall",
            "index_false_flags", "link_recall", "link_precision"]
    heads = ["hit rate", "precision", "abstention", "flag recall", "false flags", "index flag recall",
             "index false flags", "link recall", "link precision"]
    out.append("| eval set | " + " | ".join(f"{h} fp32 / int8" for h in heads) + " |")
    out.append("|---|" + "---|" * len(cols))
    for name, modes in res.get("evals", {}).items():
        a, b = modes["fp32"], modes["int8"]
        cells = []
        for k in cols:
            mark = "" if (a.get(k) == b.get(k) or (a.get(k) is not None and b.get(k) is not None and k in METRICS
                                                   and abs(a[k] - b[k]) <= TOLERANCE + 1e-9)) else " **≠**"
            cells.append(f"{_f(a.get(k))} / {_f(b.get(k))}{mark}")
        out.append(f"| {name.removeprefix('data/eval/')} | " + " | ".join(cells) + " |")
    if "evals" in res:
        ok, bad = verdict(res["evals"])
        out.append(f"\nVerdict: {'int8 keeps every figure within ±0.01' if ok else 'int8 changes answers'}"
                   + ("" if ok else f" ({len(bad)} differences beyond ±0.01: " + "; ".join(bad) + ")"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    ap = argparse.ArgumentParser(prog="python -m benchmarks.quantize", description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-eval", action="store_true", help="vectors only")
    ap.add_argument("--sets", nargs="*", help="eval files (default: every set)")
    ap.add_argument("--markdown", action="store_true", help="print the README table of the saved results")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    saved = WORK / "quantize.json"
    if args.markdown:
        print(markdown(json.loads(saved.read_text())))
        return 0
    res: dict[str, Any] = {"load_avg": os.getloadavg()[0], "vectors": vectors()}
    v = res["vectors"]
    print(f"vectors: {v['sentences']} sentences; cosine int8→fp32 mean {v['cos_mean']:.4f}, p1 {v['cos_p1']:.4f}, "
          f"worst {v['cos_worst']:.4f}; alone vs batch worst {v['alone_vs_batch_worst']:.4f}; "
          f"fp32 {v['fp32_per_s']:.0f}/s, int8 {v['int8_per_s']:.0f}/s", flush=True)
    if not args.no_eval:
        res["evals"] = run_evals([Path(s) for s in args.sets] if args.sets else eval_sets())
    saved.write_text(json.dumps(res, indent=1))
    print(markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
