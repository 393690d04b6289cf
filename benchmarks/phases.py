"""One benchmark phase per child process: `python -m benchmarks.phases PHASE JSON-ARGS`.

Each phase runs in its own process so its peak RSS (ru_maxrss) is its own — the bot's memory is
not inflated by the ingest that came before it, and LangChain's by factdesk's. The last line on
stdout is the phase's result as JSON.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def questions(n: int, seed: int = 7) -> list[str]:
    """Questions a reader of the synthetic archive would ask: names, places, topics."""
    from benchmarks.corpus import COMPANIES, PEOPLE, PLACES, ROLES, TOPICS

    rnd = random.Random(seed)
    forms = [
        "Did {c} close the {p} factory?",
        "Who is the {r} of {c}?",
        "What did {P} say about {t}?",
        "Why did shares of {c} rise?",
        "Is {c} under investigation in {p}?",
        "How many people does {c} employ?",
        "What happened to the strike at the {p} plant?",
        "How much did {c} spend on research?",
    ]
    return [rnd.choice(forms).format(c=rnd.choice(COMPANIES), p=rnd.choice(PLACES), r=rnd.choice(ROLES),
                                     P=rnd.choice(PEOPLE), t=rnd.choice(TOPICS)) for _ in range(n)]


def _settings(data_dir: str):
    from ingest.settings import Settings

    return Settings(_env_file=None, data_dir=Path(data_dir))


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# -- factdesk ------------------------------------------------------------------------------
def phase_ingest(corpus: str, data_dir: str, change: str = "") -> dict[str, Any]:
    """Fresh ingest, then re-ingest unchanged, then with one source changed (same process, model
    warm: these measure the pipeline, the CLI's model load is measured by `cold`)."""
    from benchmarks.corpus import change_one
    from ingest.pipeline import Indexer

    idx = Indexer(_settings(data_dir))
    t = time.perf_counter()
    idx.embedder.dim  # model load is start-up, not throughput
    load_s = time.perf_counter() - t
    embed_s = 0.0
    real_embed = idx.embedder.embed

    def timed_embed(texts, progress=None):
        nonlocal embed_s
        t0 = time.perf_counter()
        try:
            return real_embed(texts, progress)
        finally:
            embed_s += time.perf_counter() - t0

    idx.embedder.embed = timed_embed  # type: ignore[method-assign]
    t, c = time.perf_counter(), time.process_time()
    rep = idx.ingest([corpus])
    ingest_s, ingest_cpu_s = time.perf_counter() - t, time.process_time() - c
    assert rep.ok, [r.line() for r in rep.results if r.status == "failed"][:5]
    sentences = sum(r.sentences for r in rep.results)
    sources = len(rep.results)
    ingest_embed_s = embed_s

    t, c = time.perf_counter(), time.process_time()
    rep2 = idx.ingest([corpus])
    unchanged_s, unchanged_cpu_s = time.perf_counter() - t, time.process_time() - c
    assert rep2.ok

    if change:
        change_one(Path(change))
    t = time.perf_counter()
    rep3 = idx.ingest([corpus])
    changed_s = time.perf_counter() - t
    return {
        "sources": sources, "sentences": sentences, "model_load_s": load_s, "ingest_s": ingest_s,
        "embed_s": ingest_embed_s, "cpu_s": ingest_cpu_s, "sent_per_s": sentences / ingest_s, "flagged": rep.flagged,
        "unchanged_s": unchanged_s, "unchanged_embedded": rep2.embedded, "unchanged_cpu_s": unchanged_cpu_s,
        "unchanged_counts": rep2.counts(), "changed_s": changed_s, "changed_embedded": rep3.embedded,
        "changed_counts": rep3.counts(), "peak_rss_mb": peak_rss_mb(),
    }


def phase_query(data_dir: str, n: int = 60) -> dict[str, Any]:
    """Warm query latency through Engine.ask (extractive), and the bot's resident memory."""
    from bot.engine import Engine

    eng = Engine(_settings(data_dir))
    qs = questions(n + 5)
    for q in qs[:5]:  # warm: model loaded, index opened, HNSW in memory
        eng.ask(q)
    lat, cpu, answered = [], [], 0
    for q in qs[5:]:
        t, c = time.perf_counter(), time.process_time()
        a = eng.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        answered += a.answered
    return {"n": n, "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95), "mean_ms": statistics.mean(lat),
            "cpu_p50_ms": pct(cpu, 0.5), "cpu_p95_ms": pct(cpu, 0.95),
            "answered": answered, "peak_rss_mb": peak_rss_mb()}


# -- the LangChain tutorial pipeline ---------------------------------------------------------
class _STEmbeddings:
    """What `HuggingFaceEmbeddings(model_name=...)` does — sentence-transformers `encode` — over
    the same packaged model, without adding langchain-huggingface as a dependency."""

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        from ingest.embed import resolve_model

        self.model = SentenceTransformer(resolve_model("")[1], device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(texts, show_progress_bar=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], show_progress_bar=False)[0].tolist()


def phase_langchain(corpus: str, data_dir: str, n: int = 60) -> dict[str, Any]:
    """The RAG tutorial: load → RecursiveCharacterTextSplitter(1000, 200) → Chroma.from_documents
    → similarity_search(k=4). Same corpus files, same model."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    class Emb(_STEmbeddings, Embeddings):
        pass

    emb = Emb()
    t = time.perf_counter()
    docs = [Document(page_content=p.read_text(), metadata={"source": str(p)})
            for p in sorted(Path(corpus).glob("*.md"))]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    chunks = splitter.split_documents(docs)
    Chroma.from_documents(chunks, emb, persist_directory=data_dir, collection_name="tutorial")
    ingest_s = time.perf_counter() - t
    store = Chroma(persist_directory=data_dir, collection_name="tutorial", embedding_function=emb)
    qs = questions(n + 5)
    for q in qs[:5]:
        store.similarity_search(q, k=4)
    lat = []
    for q in qs[5:]:
        t = time.perf_counter()
        store.similarity_search(q, k=4)
        lat.append((time.perf_counter() - t) * 1000)
    return {"chunks": len(chunks), "ingest_s": ingest_s, "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95),
            "peak_rss_mb": peak_rss_mb()}


PHASES = {"ingest": phase_ingest, "query": phase_query, "langchain": phase_langchain}

if __name__ == "__main__":
    result = PHASES[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps(result))
