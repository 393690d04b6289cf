"""`python -m benchmarks.relink_ab INDEX TAPE [--replay] [--warm-cues]`: relink every source of a copy of
INDEX and print the links' count and digest (candidates included), the candidates' own (what `factdesk
corrections --candidates` lists), the link writes' digest and the relinking thread's CPU.
`--warm-cues`: compute each sentence's cue first, untimed, as an ingest run has when it relinks.

Why: a speed change to the detector must leave every link identical. Two fresh ingests of the same
corpus by the same code agree since relinking's searches are exact or re-ranked (ingest/searches.py);
before, Chroma's approximate searches differed from build to build, and a relink that asks Chroma
(an index it does not hold whole) still can see another index's misses. So this records the vector
searches of one run (TAPE) and, with `--replay`, answers another run's identical searches from the
tape: two code versions then see the same candidates, and any difference in links is theirs.
Run it once with the new code (recording) and once with the old, replaying: from the old tree's root
(`cd OLD && PYTHONPATH=OLD:NEW python -m benchmarks.relink_ab INDEX TAPE --replay`; the current
directory comes first on the path, so run from elsewhere, the new tree's `ingest` would be imported).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

for _k, _v in (("HF_HUB_OFFLINE", "1"), ("TOKENIZERS_PARALLELISM", "false"), ("ANONYMIZED_TELEMETRY", "False")):
    os.environ.setdefault(_k, _v)


def _norm(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return "nd", np.asarray(x, dtype=np.float32).tobytes()
    if isinstance(x, dict):
        return tuple(sorted((k, _norm(v)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return tuple(_norm(v) for v in x)
    if callable(x):
        return "fn", getattr(x, "__name__", repr(x))
    return x


def _key(name: str, args: Any, kw: Any) -> str:
    return hashlib.sha1(pickle.dumps((name, _norm(args), _norm(kw)))).hexdigest()


def _digest(rows: list[str]) -> str:
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def _link_row(lk: Any) -> str:
    return json.dumps([lk.claim, lk.by, lk.status, lk.origin, lk.note, round(lk.score, 6), lk.family])


def run(index: Path, tape_path: Path, replay: bool, warm: bool = False) -> dict[str, Any]:
    from ingest.corrections.relink import relink
    from ingest.settings import Settings
    from ingest.store import Store

    work = Path(tempfile.mkdtemp(prefix="relink-ab-")) / "index"
    shutil.copytree(index, work)
    try:
        tape: dict[str, Any] = pickle.loads(tape_path.read_bytes()) if replay else {}
        counts = {"replayed": 0, "missed": 0, "recorded": 0}
        store = Store(Settings(_env_file=None, data_dir=work))

        def taped(name: str, fn: Any, only: Any = None) -> Any:
            def call(*a: Any, **kw: Any) -> Any:
                if only is not None and not only(a):
                    return fn(*a, **kw)
                k = _key(name, a, kw)
                if replay and k in tape:
                    counts["replayed"] += 1
                    return tape[k]
                out = fn(*a, **kw)
                counts["missed" if replay else "recorded"] += 1
                tape[k] = out
                return out
            return call

        # The vector searches only: every other read is deterministic and stays live.
        store._call = taped("_call", store._call, lambda a: getattr(a[0], "__name__", "") == "query")
        store.query = taped("query", store.query)
        writes: list[str] = []
        for name in ("put_links", "delete_links"):
            def write(items: Any, _fn: Any = getattr(store, name), _name: str = name) -> Any:
                writes.append(json.dumps([_name, sorted(_link_row(x) if hasattr(x, "claim") else x for x in items)]))
                return _fn(items)
            setattr(store, name, write)
        live = {sid for sid, r in store.source_records().items() if r.state == "complete"}
        if warm:  # as in an ingest run, where each sentence's cue (its signals) was computed when it was written
            from ingest.corrections import sentence_meta

            ids = sorted(live)
            for a in range(0, len(ids), 500):  # a bounded number of SQL variables a read
                for r in store.where_sentences({"source": {"$in": ids[a:a + 500]}}):
                    sentence_meta(r.text)
        t, c = time.perf_counter(), time.thread_time()
        relink(store, live, set(), [])
        wall, cpu = time.perf_counter() - t, time.thread_time() - c
        if not replay:
            tape_path.write_bytes(pickle.dumps(tape))
        links = sorted(_link_row(lk) for lk in store.every_link())
        cands = sorted(_link_row(lk) for lk in store.candidate_links())  # what `factdesk corrections --candidates` lists
        return {"code": str(Path(sys.modules["ingest"].__file__ or "").parent), **counts, "warm_cues": warm,
                "relink_wall_s": round(wall, 2), "relink_thread_cpu_s": round(cpu, 2), "links": len(links),
                "links_digest": _digest(links), "candidates": len(cands), "candidates_digest": _digest(cands),
                "writes_digest": _digest(writes)}
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__.split("\n\n")[0])
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]), "--replay" in sys.argv[3:], "--warm-cues" in sys.argv[3:])))
