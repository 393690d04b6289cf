"""`python -m benchmarks.story_gate`: how the one-story test (ingest/corrections/story.py) separates
same-story from different-story pairs on labelled data.

Positives: every expected link across two sources in the spent real-world parts (the claim's
sentence, the later document). Negatives: every (claim sentence, later-dated document) pair whose two
sources belong to different episodes (each part's header lists its episodes) — and, in the news sets,
any two articles (five unrelated stories each). Reported: positives kept and negatives let through,
by the name test alone and with the document route (mean sentence vectors ≥ DOC_SIM), and the
distribution of the documents' cosine for same- and different-story source pairs. Blind sets
(data/eval/BLIND) are refused.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SETS = ["realworld/dev", "realworld/heldout", "realworld/heldout2", "realworld/heldout3", "realworld/heldout4",
        "realworld/heldout5", "realworld/heldout6", "realworld/heldout7", "news", "news-heldout", "news-heldout2",
        "news-heldout3", "news-heldout4", "news-heldout5", "news-heldout6"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.story_gate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args(argv)
    from benchmarks.blind import blind_sets
    from ingest.corrections.story import DOC_SIM, doc_facts, names_subject
    from ingest.dates import is_later
    from ingest.embed import Embedder
    from ingest.loaders import load_file
    from ingest.settings import Settings
    from ingest.split import is_headline, split_sentences

    names = [n for n in args.sets.split(",") if n]
    if any(n in blind_sets() for n in names):
        print("refused: blind sets (data/eval/BLIND)", file=sys.stderr)
        return 2
    s = Settings()
    emb = Embedder(s.embed_model, s.embed_device)
    pos = np.zeros(3, dtype=int)  # expected, kept by names, kept by names or documents
    neg = {"realworld": np.zeros(3, dtype=int), "news": np.zeros(3, dtype=int)}  # pairs, through by names, through either
    cos = {"same": [], "different": []}
    for name in names:
        path = ROOT / "data" / "eval" / f"{name}.jsonl"
        header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        folder = path.parent / header["sources"]
        docs = {}
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.suffix in (".md", ".txt", ".html"):
                src = load_file(f, folder)
                sents = [x.text for x in split_sentences(src.id, src.text)]
                docs[src.id] = (src, sents, doc_facts(sents, list(emb.embed(sents))))
        ep = {sid: e["id"] for e in header.get("episodes") or [] for sid in e["sources"]}
        news = name.startswith("news")

        def through(a_sid: str, i: int, b_sid: str) -> tuple[bool, bool]:
            src, sents, fa = docs[a_sid]
            fb = docs[b_sid][2]
            by_name = names_subject(sents[i], sents[i - 1] if i else "", src.title, fb)
            return by_name, by_name or float(fa.centroid @ fb.centroid) >= DOC_SIM

        for e in header.get("links") or []:
            if e["claim_source"] == e["by_source"]:
                continue
            i = next(k for k, t in enumerate(docs[e["claim_source"]][1]) if e["claim"] in t)
            pos += [1, *through(e["claim_source"], i, e["by_source"])]
        for a, b in itertools.permutations(docs, 2):
            if not is_later(docs[b][0].published, docs[a][0].published):
                continue
            if not news and (a not in ep or b not in ep):
                continue
            same = not news and ep[a] == ep[b]
            cos["same" if same else "different"].append(float(docs[a][2].centroid @ docs[b][2].centroid))
            if same:
                continue
            for i, t in enumerate(docs[a][1]):
                if not is_headline(t):
                    neg["news" if news else "realworld"] += [1, *through(a, i, b)]
        print(f"{name}: {len(docs)} sources", file=sys.stderr, flush=True)
    print(f"expected links across sources kept: by names {pos[1]}/{pos[0]}, by names or documents {pos[2]}/{pos[0]}")
    for k, v in neg.items():
        print(f"different-story (claim, later document) pairs let through, {k}: by names {v[1]}/{v[0]} "
              f"({v[1] / max(v[0], 1):.2%}), by names or documents {v[2]}/{v[0]} ({v[2] / max(v[0], 1):.2%})")
    for k, v in cos.items():
        a = np.asarray(v)
        print(f"document cosine, {k}-story source pairs ({len(a)}): min {a.min():.2f}, 5th pct {np.percentile(a, 5):.2f}, "
              f"median {np.median(a):.2f}, 99th pct {np.percentile(a, 99):.2f}, max {a.max():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
