"""`python -m bot.focus_fit`: fit select rule 8's one number, the focus similarity a sentence needs.

Rule 8 (bot/select.py) quotes a sentence for a question with a focus (bot/focus.py: "What salary
will …" → "salary") only when the sentence has the focus's stem or a word whose embedding, by the
engine's own model, is close to the focus's. How close is read off external labels nobody here
wrote: on TrecQA train (vendored, data/external/trecqa; news-domain questions) and WikiQA train
(castorini/data, read from a path, git-ignored: data/external/README.md), every question with a
focus and every sentence labelled as answering it; the threshold is the highest similarity
that keeps `RECALL` (95 %) of those answers — the stated rate at which the rule may decline a
correct answer. TrecQA dev reports what it does on data it was not fitted on: the share of correct
answers kept and of wrong candidates turned away. The file (bot/fitted/focus.json) records the
training file's SHA-256 and the embedding model; no seed is needed (nothing is sampled).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .focus import FITTED, WordVectors, focus_of, focus_similarity
from .training_data import Group, load_trecqa, load_wikiqa, sha256

ROOT = Path(__file__).resolve().parent.parent
TRECQA = ROOT / "data" / "external" / "trecqa"
WIKIQA = ROOT / "data" / "external" / "wikiqa"
RECALL = 0.95  # the share of external correct answers rule 8 must keep


def similarities(groups: list[Group], vectors: WordVectors) -> tuple[list[float], list[float], int]:
    """Focus similarities of correct and of wrong candidates, over the questions with a focus."""
    right, wrong, n = [], [], 0
    for g in groups:
        f = focus_of(g.question)
        if not f or not any(g.labels):
            continue
        n += 1
        for s, y in zip(g.sentences, g.labels):
            (right if y else wrong).append(focus_similarity(f, s, vectors))
    return right, wrong, n


def fit(embedder, wikiqa: Path | None = None) -> dict:
    vectors = WordVectors(embedder.embed, size=1_000_000)
    files = [TRECQA / "train.csv"] + ([wikiqa / "train" / n for n in ("a.toks", "b.toks", "id.txt", "sim.txt")] if wikiqa else [])
    groups = load_trecqa(TRECQA / "train.csv") + (load_wikiqa(wikiqa / "train") if wikiqa else [])
    right, wrong, n = similarities(groups, vectors)
    tau = float(np.quantile(np.asarray(right), 1.0 - RECALL, method="lower"))
    d_right, d_wrong, dn = similarities(load_trecqa(TRECQA / "dev.csv"), vectors)
    share = lambda xs, keep: round(float(np.mean([(x >= tau) == keep for x in xs])), 3) if xs else None  # noqa: E731
    return {
        "threshold": round(tau, 4), "recall_target": RECALL, "embed_model": embedder.identity,
        "train": {"files": {str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p): sha256(p) for p in files},
                  "questions": n, "answers": len(right), "answers_kept": share(right, True),
                  "wrong_turned_away": share(wrong, False)},
        "validation": {"file": "data/external/trecqa/dev.csv", "sha256": sha256(TRECQA / "dev.csv"),
                       "questions": dn, "answers_kept": share(d_right, True), "wrong_turned_away": share(d_wrong, False)},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.focus_fit", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=FITTED)
    ap.add_argument("--wikiqa", type=Path, default=WIKIQA if (WIKIQA / "train").exists() else None,
                    help="the WikiQA folder holding train/ (castorini/data WikiQA/); without it TrecQA train alone")
    args = ap.parse_args(argv)
    from ingest.embed import Embedder
    from ingest.settings import get_settings

    s = get_settings()
    d = fit(Embedder(s.embed_model, s.embed_device), args.wikiqa)
    args.out.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(d, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
