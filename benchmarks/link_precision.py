"""`python -m benchmarks.link_precision`: how often each kind of correction evidence is right.

Every labelled eval set is indexed afresh (as `factdesk eval` does) while the detector's link
builder is observed: each (claim, correcting sentence) pair it links or keeps as a candidate is
recorded with the evidence that made it — the rule (`Evidence.kind`: "retraction:document",
"restated:ended", …), how the subject was shown (`basis`: a shared name, a neighbour sentence, a
shared noun only, …) and, inside one source, what ordered the two (`order`). Each pair is then
labelled from the set's header: *right* when the claim is an expected one with that status
(`links` of the real-world sets, `flags` of the others), *wrong* otherwise (the news sets expect no
link at all). The report gives, per kind, auto links (⚠, verdict sure) right / wrong and candidates
right / wrong, and the final links of the index per set (what readers see).

`--sets` picks sets (default: every spent labelled set; never a blind one); `--json` machine output.
This measures the detector on development data: every set listed has been read and used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETS = ["realworld/dev", "realworld/heldout", "realworld/heldout2", "realworld/heldout3", "realworld/heldout4",
        "questions", "multisource", "heldout", "later", "fresh", "news", "news-heldout", "news-heldout2",
        "news-heldout3"]


def expected(header: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(status, claim phrase, correcting phrases — empty when any will do) the set expects linked."""
    if header.get("links"):
        return [(e["status"], e["claim"], list(e["by"])) for e in header["links"]]
    return [(st, p, []) for st, ps in (header.get("flags") or {}).items() for p in ps]


def label(exp: list[tuple[str, str, list[str]]], claim: str, by: str, status: str) -> str:
    """right (claim and status expected), status (the claim expected with the other status), wrong."""
    hits = [e for e in exp if e[1] in claim]
    if any(st == status for st, _, _ in hits):
        return "right"
    return "status" if hits else "wrong"


class Recorder:
    """Observes `detect._link`: every pair the detector builds a link or candidate from."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str, str], dict[str, Any]] = {}

    def install(self) -> Any:
        from ingest.corrections import detect

        original = detect._link

        def observed(claim, ranked, sources, extra, max_by):  # type: ignore[no-untyped-def]
            for ev, b in ranked:
                key = (claim.id, b.id, ev.kind)
                cur = self.pairs.get(key)
                if cur is None or (ev.verdict == "link" and cur["verdict"] != "link"):
                    self.pairs[key] = {"claim": claim.text, "by": b.text, "kind": ev.kind or "?", "basis": ev.basis,
                                       "order": ev.order, "verdict": ev.verdict, "status": ev.status,
                                       "family": ev.family, "reason": ev.reason, "same_source": claim.source == b.source}
            return original(claim, ranked, sources, extra, max_by)

        detect._link = observed
        return lambda: setattr(detect, "_link", original)


def run_set(name: str, settings: Any, embedder: Any) -> dict[str, Any]:
    from bot.evaluate import load_eval
    from ingest.pipeline import Indexer

    path = ROOT / "data" / "eval" / f"{name}.jsonl"
    header, _ = load_eval(path)
    src = Path(header["sources"])
    src = src if src.is_absolute() or not (path.parent / src).exists() else path.parent / src
    exp = expected(header)
    rec = Recorder()
    undo = rec.install()
    try:
        with tempfile.TemporaryDirectory(prefix="factdesk-linkprec-") as tmp:
            s = settings.model_copy(update={"data_dir": Path(tmp), "chroma_host": "",
                                            "corrections_file": src / "corrections.yml"})
            indexer = Indexer(s, embedder=embedder)
            if not indexer.ingest([str(src)]).ok:
                raise RuntimeError(f"{path}: sources failed to ingest")
            st = indexer.store()
            links, cands = st.all_links(), st.candidate_links()
            texts = {sid: r.text for sid, r in st.get_sentences(sorted({i for lk in links + cands
                                                                        for i in (lk.claim, *lk.by)})).items()}
    finally:
        undo()
    pairs = [p | {"set": name, "label": label(exp, p["claim"], p["by"], p["status"])} for p in rec.pairs.values()]
    final = [{"claim": texts.get(lk.claim, ""), "by": texts.get(lk.by[0], "") if lk.by else "",
              "label": label(exp, texts.get(lk.claim, ""), "", lk.status)} for lk in links]
    found = sum(1 for st, p, _ in exp if any(st == lk.status and p in texts.get(lk.claim, "") for lk in links))
    return {"set": name, "pairs": pairs, "links": final, "candidates": len(cands), "expected": len(exp),
            "found": found, "right": sum(f["label"] == "right" for f in final),
            "wrong": sum(f["label"] != "right" for f in final)}


def table(pairs: list[dict[str, Any]], key: str) -> list[tuple[str, int, int, int, int]]:
    """Per value of `key`: auto right, auto wrong, candidates right, candidates wrong."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for p in pairs:
        k = p[key] if key != "kind+basis" else f"{p['kind']} [{p['basis']}{'/' + p['order'] if p['order'] else ''}]"
        row = out[k]
        row[(0 if p["verdict"] == "link" else 2) + (p["label"] != "right")] += 1
    return sorted(((k, *v) for k, v in out.items()), key=lambda r: (-(r[1] + r[2]), r[0]))


def _prec(r: int, w: int) -> str:
    return f"{r / (r + w):.2f}" if r + w else "–"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.link_precision", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(SETS), help="eval set names (under data/eval/), comma-separated")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--wrong", action="store_true", help="list every wrong auto pair")
    args = ap.parse_args(argv)
    from ingest.embed import Embedder
    from ingest.settings import Settings

    settings = Settings()
    embedder = Embedder(settings.embed_model, settings.embed_device)
    runs = [run_set(n, settings, embedder) for n in args.sets.split(",") if n]
    pairs = [p for r in runs for p in r["pairs"]]
    if args.json:
        json.dump({"runs": runs}, sys.stdout, indent=1)
        return 0
    print("Final links per set (what readers see as ⚠): expected found / links right / links wrong / candidates")
    for r in runs:
        print(f"  {r['set']:<20} recall {r['found']}/{r['expected']}  links {r['right']} right, {r['wrong']} wrong"
              f"  (precision {_prec(r['right'], r['wrong'])})  candidates {r['candidates']}")
    tot_r, tot_w = sum(r["right"] for r in runs), sum(r["wrong"] for r in runs)
    print(f"  {'pooled':<20} recall {sum(r['found'] for r in runs)}/{sum(r['expected'] for r in runs)}  links {tot_r} right, "
          f"{tot_w} wrong  (precision {_prec(tot_r, tot_w)})")
    for key in ("kind", "basis", "order", "kind+basis"):
        print(f"\nPairs by {key}: auto right / wrong (precision) | candidates right / wrong")
        for k, ar, aw, cr, cw in table(pairs, key):
            print(f"  {k or '-':<48} {ar:>3} / {aw:<3} ({_prec(ar, aw)}) | {cr:>3} / {cw:<3}")
    if args.wrong:
        print("\nWrong auto pairs:")
        for p in pairs:
            if p["verdict"] == "link" and p["label"] != "right":
                print(f"  [{p['set']}] {p['kind']} [{p['basis']}/{p['order']}] ({p['label']}): {p['claim'][:90]} ← {p['by'][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
