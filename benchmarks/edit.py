"""One edited source, measured on its own: `python -m benchmarks.edit`.

The `ingest` phase (benchmarks/phases.py) measures one edited source once, after a fresh ingest;
at 100k that costs a 15-minute ingest per figure. This measures only that step, on a copy of an
index built before (never the benchmark's own: `--setup` copies it and points the copy's records
at the copied corpus), as often as asked, for one tree or for several trees interleaved:

    python -m benchmarks.edit --setup benchmarks/.work/index-100000 benchmarks/.work/corpus-100000 DIR
    python -m benchmarks.edit --data DIR --rounds 5                 # this tree
    python -m benchmarks.edit --data DIR --tree base=/tmp/tree-base --tree new=.  --rounds 5
    python -m benchmarks.edit --dump DIR > out.json                 # what the index holds, to compare

With several trees each has its own copy (`DIR/<name>`, made by `--setup` once per name), every
round edits the same file in each copy, and the order of the trees alternates by round, so a
machine that gets busier favours none. Each round is a process of its own per tree: index opened,
model loaded, one unchanged re-ingest and one edit of another file as warm-up (the benchmark's
edit follows a fresh ingest: everything is warm), then the measured edit. Wall and CPU time and
the step breakdown (`phases.Breakdown`, plus listing/planning/publishing) are printed per round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

EXTRA_STEPS = {  # (module, function) -> step: parts of "other" (`Breakdown` names them too; older trees' does not)
    ("ingest.pipeline", "expand"): "list_files", ("ingest.pipeline", "plan"): "plan",
    ("ingest.manifest", "Manifest.publish_generation"): "publish",
}


def _files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix == ".md")


def pick(corpus: Path, k: int) -> Path:
    """The k-th edited file: spread over the archive, never the same twice for small k."""
    files = _files(corpus)
    return files[(k * 997 + 13) % len(files)]


def measure(data_dir: str, corpus: str, k: int) -> dict[str, Any]:
    """In this process (the tree on sys.path): warm up, then edit file k and re-ingest the folder."""
    import importlib

    from benchmarks.corpus import change_one
    from benchmarks.phases import Breakdown, _settings
    from ingest.pipeline import Indexer

    bd = Breakdown()
    bd.install()
    for (mod, name), step in EXTRA_STEPS.items():
        owner: Any = importlib.import_module(mod)
        if "." in name:
            cls, name = name.split(".")
            owner = getattr(owner, cls, None)
        if owner is not None:
            bd.t[step] = 0.0
            bd.patch(owner, name, step)
    idx = Indexer(_settings(data_dir))
    idx.embedder.dim
    warm = idx.ingest([corpus])  # unchanged (settles the last round's edit)
    assert warm.ok, [r.line() for r in warm.results if r.status == "failed"][:3]
    change_one(pick(Path(corpus), 10_000 + k))  # a warm-up edit (another file)
    idx.ingest([corpus])
    change_one(pick(Path(corpus), k))
    bd.t = dict.fromkeys(bd.t, 0.0)
    t, c = time.perf_counter(), time.process_time()
    rep = idx.ingest([corpus])
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    assert rep.ok and rep.embedded >= 1, rep.counts()
    return {"wall_s": wall, "cpu_s": cpu, "steps": bd.result(wall), "embedded": rep.embedded,
            "counts": rep.counts(), "load": os.getloadavg()[0]}


def run_tree(tree: Path, data_dir: Path, k: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = ("import json, sys; from benchmarks.edit import measure; "
            "print(json.dumps(measure(sys.argv[1], sys.argv[2], int(sys.argv[3]))))")
    mine = Path(__file__).resolve().parent / "edit.py"
    if not (tree / "benchmarks" / "edit.py").exists():  # an older tree: this file measures it
        code = code.replace("from benchmarks.edit import measure",
                            f"import runpy; measure = runpy.run_path({str(mine)!r})['measure']")
    p = subprocess.run(["nice", "-n", "5", sys.executable, "-c", code, str(data_dir / "index"),
                        str(data_dir / "corpus"), str(k)], cwd=tree, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{tree}: round {k} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def setup(index: Path, corpus: Path, out: Path) -> None:
    """Copy an index and its corpus into `out`, and point the copied records at the copied files
    (their paths are the originals'; the catalog is rebuilt from the records on first use)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(index, out / "index", symlinks=True)
    shutil.copytree(corpus, out / "corpus", symlinks=True)
    os.environ["FACTDESK_DATA_DIR"] = str(out / "index")
    from benchmarks.phases import _settings
    from ingest.store import Store

    store = Store(_settings(str(out / "index")))
    rec = store._call(store.sources_col.get, where={"kind": "source"}, include=["metadatas"])
    old, new = str(corpus.resolve()), str((out / "corpus").resolve())
    ids = [i for i, m in zip(rec["ids"], rec["metadatas"]) if str(m.get("path", "")).startswith(old)]
    metas = [{"path": new + m["path"][len(old):]} for m, i in zip(rec["metadatas"], rec["ids"]) if i in set(ids)]
    for a in range(0, len(ids), store.max_batch):
        store._write(store.sources_col.update, ids=ids[a:a + store.max_batch], metadatas=metas[a:a + store.max_batch])
    for p in (out / "index").glob("catalog-*"):
        p.unlink()
    (out / "index" / "sources.json").unlink(missing_ok=True)
    print(f"{out}: {len(ids)} records re-pointed at {new}")


def dump(data_dir: Path) -> dict[str, Any]:
    """What an index holds that an ingest decides — links, records, term totals, sentences — without
    what differs run to run (timestamps, file stats, generation tokens), for comparing two copies."""
    from benchmarks.phases import _settings
    from ingest.catalog import Catalog, catalog_path
    from ingest.store import Store

    s = _settings(str(data_dir))
    store = Store(s)
    links = sorted(json.dumps(_fields(lk), sort_keys=True, default=str) for lk in store.all_links())
    links += sorted(json.dumps(_fields(lk), sort_keys=True, default=str) for lk in store.candidate_links())
    recs = {sid: _fields(r) for sid, r in store.source_records().items()}
    cat = Catalog(catalog_path(s)).records() or {}
    catalog = {sid: _fields(r) for sid, r in cat.items()}
    tot = store.term_totals()
    sents = sorted(f"{r['id']}\t{r['doc']}\t{json.dumps(r['meta'], sort_keys=True)}" for r in _sentences(store))
    return {"links": links, "records": recs, "catalog_matches_records": catalog == recs,
            "catalog_order_matches": list(cat) == list(store.source_records()),
            "totals": [tot[1], tot[2]] if tot else None, "sentences": len(sents),
            "sentences_digest": __import__("hashlib").sha256("\n".join(sents).encode()).hexdigest()}


def _fields(obj: Any) -> dict[str, Any]:
    """A record's fields, without what differs between two copies run alike (time, file stat, path)."""
    import dataclasses

    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)
            if f.name not in ("indexed_at", "fingerprint", "path")}


def _sentences(store: Any):  # type: ignore[no-untyped-def]
    """Every row as (id, text, metadata without the text): the same for a row whose text is its
    document (written before issue 15, or on a server) and one whose text is metadata."""
    from ingest.records import TEXT_KEY, stored_text

    for page in store.sentence_pages(["documents", "metadatas"]):
        for i, d, m in zip(page["ids"], page["documents"], page["metadatas"]):
            yield {"id": i, "doc": stored_text(d, m), "meta": {k: v for k, v in (m or {}).items() if k != TEXT_KEY}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.edit", description=__doc__.split("\n\n")[0])
    ap.add_argument("--setup", nargs=3, metavar=("INDEX", "CORPUS", "OUT"), type=Path)
    ap.add_argument("--data", type=Path, help="a --setup folder (with --tree: holding one per tree name)")
    ap.add_argument("--tree", action="append", default=[], help="NAME=PATH of a source tree (repeatable)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--start", type=int, default=0, help="first file number (rounds edit files start..)")
    ap.add_argument("--dump", type=Path, metavar="INDEX")
    args = ap.parse_args(argv)
    if args.setup:
        setup(*args.setup)
        return 0
    if args.dump:
        print(json.dumps(dump(args.dump), indent=1, sort_keys=True))
        return 0
    trees = [(n, Path(p).resolve()) for n, p in (t.split("=", 1) for t in args.tree)] or \
        [("tree", Path(__file__).resolve().parent.parent)]
    got: dict[str, list[dict[str, Any]]] = {n: [] for n, _ in trees}
    for r in range(args.rounds):
        order = trees if r % 2 == 0 else trees[::-1]
        for name, tree in order:
            data = args.data / name if len(trees) > 1 else args.data
            res = run_tree(tree, data, args.start + r)
            got[name].append(res)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in res["steps"].items() if abs(v) >= 0.005)
            print(f"round {r} {name}: {res['wall_s']:.2f}s wall, {res['cpu_s']:.2f}s CPU, load {res['load']:.1f}; "
                  f"{steps}", flush=True)
    for name, rs in got.items():
        med = {k: statistics.median(x["steps"][k] for x in rs) for k in rs[0]["steps"]}
        print(f"{name}: median {statistics.median(x['wall_s'] for x in rs):.2f}s wall, "
              f"{statistics.median(x['cpu_s'] for x in rs):.2f}s CPU; "
              + ", ".join(f"{k} {v:.2f}" for k, v in med.items()))
    if len(trees) == 2:
        (a, _), (b, _) = trees
        ratios = [y["cpu_s"] / x["cpu_s"] for x, y in zip(got[a], got[b])]
        walls = [y["wall_s"] / x["wall_s"] for x, y in zip(got[a], got[b])]
        print(f"{b} / {a} per round: CPU {', '.join(f'{v:.2f}' for v in ratios)}; "
              f"wall {', '.join(f'{v:.2f}' for v in walls)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
