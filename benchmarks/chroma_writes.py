"""`python -m benchmarks.chroma_writes [--rows N] [--meta full|few|none] [--method upsert|add] [--config JSON]`:
what one Chroma write of N sentence rows costs on its own (wall, process CPU, the calling thread's CPU),
in a fresh temporary `PersistentClient`. Unit vectors of 384 dimensions and metadata shaped like
factdesk's sentence rows (`ingest.records.StoredSentence.metadata` plus the text), in batches of
5,000 (under the embedded client's limit). Used to decide what the write step of an ingest can still
lose (docs/MEASUREMENTS.md, "Chroma writes: what they are made of"); compare rows of one run only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

import numpy as np


def meta(i: int, kind: str) -> dict | None:
    full = {"source": f"src{i // 11}", "index": i % 11, "start": i * 10, "end": i * 10 + 80,
            "published": "2020-01-01", "sha": "abcdef0123", "cue": "",
            "text": f"The company said on Tuesday it would close the factory in Ohio next year, citing costs {i}."}
    return {"full": full, "few": {"source": full["source"], "index": full["index"]}, "none": None}[kind]


def run(rows: int, kind: str, method: str, config: dict) -> dict[str, float]:
    import chromadb

    with tempfile.TemporaryDirectory() as d:
        col = chromadb.PersistentClient(path=d).get_or_create_collection(
            "sentences", embedding_function=None, metadata={"hnsw:space": "cosine", **config})
        vecs = np.random.default_rng(0).standard_normal((rows, 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        ids = [f"src{i // 11}:{i % 11}" for i in range(rows)]
        t, c, tt = time.perf_counter(), time.process_time(), time.thread_time()
        for s in range(0, rows, 5000):
            e = min(rows, s + 5000)
            metas = [meta(i, kind) for i in range(s, e)] if kind != "none" else None
            getattr(col, method)(ids=ids[s:e], embeddings=vecs[s:e].tolist(), metadatas=metas)
        return {"wall_s": time.perf_counter() - t, "process_cpu_s": time.process_time() - c,
                "thread_cpu_s": time.thread_time() - tt}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--meta", choices=("full", "few", "none"), default="full")
    ap.add_argument("--method", choices=("upsert", "add"), default="upsert")
    ap.add_argument("--config", default="{}", help='collection metadata, e.g. \'{"hnsw:construction_ef": 64}\'')
    a = ap.parse_args()
    out = run(a.rows, a.meta, a.method, json.loads(a.config))
    print(json.dumps({"rows": a.rows, "meta": a.meta, "method": a.method, "config": a.config,
                      **{k: round(v, 2) for k, v in out.items()}}))


if __name__ == "__main__":
    main()
