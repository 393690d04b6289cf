"""`python -m benchmarks.quality`: answer-selection quality, side by side.

1. Ranking on the external validation splits — TrecQA dev (vendored) and WikiQA dev (when present at
   data/external/wikiqa/dev): MAP and MRR of the fitted scorer beside BM25 alone, dense cosine
   alone and the adapted cosine cos(W q, s) alone (bot/adapter.py). Questions without a correct candidate are left out (the usual convention: they cannot be
   ranked); TrecQA dev questions whose candidates are all correct are kept. Test splits are never read.
2. Our eval sets (data/eval/*.jsonl; never news-heldout unless named): hit rate, sentence precision,
   abstention and false abstention at the fitted threshold, and candidate recall@40 (an expected
   sentence among the fused candidates the select stage sees), beside the LangChain tutorial
   pipeline (`--tutorial`).

`--sets a.jsonl,b.jsonl` picks the sets; `--scorer FILE` another fitted file; `--json` machine output.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = ["questions", "multisource", "heldout", "later", "fresh", "news"]


def ranking_report(embedder, scorer) -> dict[str, Any]:
    from bot import train as T
    from bot.features import FEATURES

    out: dict[str, Any] = {}
    splits = {"trecqa_dev": lambda: T.load_trecqa(T.TRECQA / "dev.csv")}
    if (T.WIKIQA / "dev" / "sim.txt").exists():
        splits["wikiqa_dev"] = lambda: T.load_wikiqa(T.WIKIQA / "dev")
    for name, load in splits.items():
        groups = load()
        xs = T.featurize(groups, embedder, adapt=lambda q, v: scorer.adapt(v))
        out[name] = {
            "fitted": T.ranking(groups, [scorer.proba(x) for x in xs]),
            "bm25": T.ranking(groups, [x[:, FEATURES.index("bm25")] for x in xs]),
            "dense": T.ranking(groups, [x[:, FEATURES.index("dense")] for x in xs]),
            "adapted": T.ranking(groups, [x[:, FEATURES.index("adapted")] for x in xs]),  # cos(W q, s) alone
        }
    return out


def eval_set(path: Path, embedder, scorer) -> dict[str, Any]:
    """The engine over one eval set in a fresh index, plus candidate recall@40."""
    from bot.conversation import Conversation
    from bot.engine import Engine
    from bot.evaluate import load_eval, score
    from bot.retrieve import retrieve, understand
    from ingest.pipeline import Indexer
    from ingest.settings import Settings

    header, items = load_eval(path)
    src = Path(header["sources"])
    src = src if src.is_absolute() or src.exists() else path.parent / src
    with tempfile.TemporaryDirectory(prefix="factdesk-quality-") as tmp:
        s = Settings().model_copy(update={"data_dir": Path(tmp), "chroma_host": ""})
        if not Indexer(s, embedder=embedder).ingest([str(src)]).ok:
            raise RuntimeError(f"{path}: sources failed to ingest")
        engine = Engine(s, embedder=embedder, scorer=scorer)
        answers, convs, recall, recall_adapted = [], {}, [], []
        for q in items:
            conv = convs.setdefault(q["dialogue"], Conversation()) if q.get("dialogue") else None
            standalone = conv.resolve(q["question"]) if conv else q["question"]
            a = engine.ask(q["question"], conv)
            if conv is not None:
                conv.add(q["question"], a, a.standalone)
            answers.append(a)
            if q.get("answerable", True) and q.get("expect"):
                st = engine.store()
                query = understand(standalone, embedder, engine.stats)
                cands = retrieve(st, query, engine.stats, s)
                recall.append(any(any(p in c.text for p in q["expect"]) for c in cands))
                # The same with W q as the dense query (bot/adapter.py): measured, not what the engine does.
                cands = retrieve(st, dataclasses.replace(query, vector=scorer.adapt(query.vector)), engine.stats, s)
                recall_adapted.append(any(any(p in c.text for p in q["expect"]) for c in cands))
        st = engine.store()
        texts = {sid: r.text for sid, r in st.get_sources(list(st.source_records())).items()}
    r = score(items, answers, texts, header.get("flags"))
    r["recall_at_40"] = round(float(np.mean(recall)), 3) if recall else None
    r["recall_at_40_adapted_query"] = round(float(np.mean(recall_adapted)), 3) if recall_adapted else None
    return r


KEYS = ("hit_rate", "sentence_precision", "citations_per_answer", "abstention", "false_abstention", "recall_at_40",
        "recall_at_40_adapted_query")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS), help="eval set names or paths, comma-separated")
    ap.add_argument("--scorer", type=Path, default=None, help="fitted file (default bot/fitted/scorer.json)")
    ap.add_argument("--tutorial", action="store_true", help="also score the LangChain tutorial pipeline")
    ap.add_argument("--no-ranking", action="store_true", help="skip the external validation splits")
    ap.add_argument("--failures", action="store_true", help="list each set's failures")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from bot.scorer import FITTED, load
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    settings = get_settings()
    embedder = Embedder(settings.embed_model, settings.embed_device)
    scorer = load(args.scorer or FITTED)
    report: dict[str, Any] = {"scorer": scorer.path, "threshold": scorer.threshold}
    if not args.no_ranking:
        report["ranking"] = ranking_report(embedder, scorer)
        if not args.json:
            print("Ranking on validation splits (MAP / MRR; questions without a correct candidate left out)")
            for split, rows in report["ranking"].items():
                for name, m in rows.items():
                    print(f"  {split:<11} {name:<7} MAP {m['map']:.3f}  MRR {m['mrr']:.3f}  ({m['questions']} questions)")
    report["sets"] = {}
    if not args.json:
        print(f"Our sets at threshold {scorer.threshold}:")
        print("  " + " ".join(f"{k:>20}" for k in ("set",) + KEYS))
    for name in [n for n in args.sets.split(",") if n]:
        path = Path(name) if name.endswith(".jsonl") else ROOT / "data" / "eval" / f"{name}.jsonl"
        r = eval_set(path, embedder, scorer)
        report["sets"][path.stem] = {k: r.get(k) for k in KEYS} | {"failures": r["failures"]}
        if args.tutorial:
            from benchmarks.tutorial_eval import score_tutorial

            report["sets"][path.stem]["tutorial"] = score_tutorial(path)
        if not args.json:
            print("  " + " ".join(f"{str(v):>20}" for v in (path.stem,) + tuple(r.get(k) for k in KEYS)), flush=True)
            if args.tutorial:
                t = report["sets"][path.stem]["tutorial"]
                print("  " + " ".join(f"{str(v):>20}" for v in ("  tutorial k=4", t["hit_rate"], t["sentence_precision"],
                                                                  "4 chunks", t["abstention"], 0.0, "-")))
            if args.failures:
                for f in r["failures"]:
                    print(f"      - {f['question']} — {f['why']}: {f['cited'][:2]}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
