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

for _k, _v in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("TOKENIZERS_PARALLELISM", "false"),
               ("ANONYMIZED_TELEMETRY", "False")):
    os.environ.setdefault(_k, _v)


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
    if not (xs := sorted(xs)):
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# -- factdesk ------------------------------------------------------------------------------
class Breakdown:
    """Exclusive wall time per ingest step, by wrapping the functions that do each step.

    Steps nest (relinking reads Chroma; a Chroma write computes term counts): each wrapped call's
    time is charged to its own step minus the time of wrapped calls inside it, so the parts add up
    to the wrapped total and `other` is what no wrapper covers. A wrapper is installed only where
    the function exists, so the breakdown survives refactors of the pipeline (a missing step reads 0).
    """

    STEPS = ("load_clean_split", "embed", "relink", "chroma_writes", "chroma_reads", "term_counts", "cues", "mirror",
             "list_files", "plan", "publish")  # cues: the sentences' stored cues; mirror: the sentence mirror's writes
    WRITES = {"upsert", "add", "update", "delete", "delete_collection", "create_collection",
              "get_or_create_collection"}

    def __init__(self) -> None:
        self.t = dict.fromkeys(self.STEPS, 0.0)
        self.cpu = dict.fromkeys(self.STEPS, 0.0)  # the calling thread's CPU, exclusive like `t`: what load does not inflate
        self._stack: list[list[float]] = []  # [start, time of nested wrapped calls, thread CPU start, nested CPU]
        self._patched: list[tuple[Any, str, Any]] = []  # (owner, attribute, original) for uninstall

    def _timed(self, step, fn):  # type: ignore[no-untyped-def]
        def wrap(*a, **k):  # type: ignore[no-untyped-def]
            name = step(a) if callable(step) else step
            self._stack.append([time.perf_counter(), 0.0, time.thread_time(), 0.0])
            try:
                return fn(*a, **k)
            finally:
                start, inner, cpu_start, cpu_inner = self._stack.pop()
                took, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
                self.t[name] += took - inner
                self.cpu[name] += cpu - cpu_inner
                if self._stack:
                    self._stack[-1][1] += took
                    self._stack[-1][3] += cpu
        wrap.__wrapped__ = fn  # type: ignore[attr-defined]
        return wrap

    def patch(self, obj: Any, attr: str, step) -> None:  # type: ignore[no-untyped-def]
        fn = vars(obj).get(attr) if isinstance(obj, type) else getattr(obj, attr, None)
        if fn is not None and not hasattr(fn, "__wrapped__"):
            self._patched.append((obj, attr, fn))
            setattr(obj, attr, self._timed(step, fn))

    def uninstall(self) -> None:
        for obj, attr, fn in reversed(self._patched):
            setattr(obj, attr, fn)
        self._patched.clear()

    def install(self) -> None:
        import importlib.util  # (binds importlib)

        from ingest.embed import Embedder

        chroma = lambda a: "chroma_writes" if getattr(a[1], "__name__", "") in self.WRITES else "chroma_reads"  # noqa: E731
        for mod_name in ("ingest.pipeline", "ingest.prepare", "ingest.plan", "ingest.write"):
            try:
                mod = importlib.import_module(mod_name)
            except ImportError:
                continue
            for attr in ("load_file", "parse_file", "read_file", "source_from_page", "split_sentences"):
                self.patch(mod, attr, "load_clean_split")
            for attr, step in (("relink", "relink"), ("expand", "list_files"), ("plan", "plan")):
                self.patch(mod, attr, step)
        self.patch(Embedder, "embed", "embed")
        self.patch(importlib.import_module("ingest.corrections"), "sentence_meta", "cues")
        self.patch(importlib.import_module("ingest.manifest").Manifest, "publish_generation", "publish")
        mirror = importlib.util.find_spec("ingest.mirror") and importlib.import_module("ingest.mirror").Mirror
        [self.patch(mirror, a, "mirror") for a in ("before_write", "apply", "stamp", "ensure", "settle", "rebuild")]
        for mod_name, cls_name, attr in (("ingest.store", "Store", "_call"), ("ingest.gateway", "Gateway", "_call"),
                                         ("ingest.gateway", "Gateway", "call")):
            try:
                cls = getattr(importlib.import_module(mod_name), cls_name)
            except (ImportError, AttributeError):
                continue
            self.patch(cls, attr, lambda a: chroma(a))
        for mod_name in ("ingest.store", "ingest.termcounts", "ingest.manifest", "ingest.write"):
            try:
                mod = importlib.import_module(mod_name)
            except ImportError:
                continue
            self.patch(mod, "document_frequencies", "term_counts")

    def result(self, total: float) -> dict[str, float]:
        return {**{k: round(v, 3) for k, v in self.t.items()}, "other": round(total - sum(self.t.values()), 3)}


def corpus_sentences(corpus: str) -> list[str]:
    """The sentences ingest embeds, read the way ingest reads them (for the model-alone rate)."""
    from ingest.loaders import iter_files, load_file
    from ingest.split import split_sentences
    out = []
    for f in iter_files(Path(corpus)):
        src = load_file(f, Path(corpus))
        out += [s.text for s in split_sentences(src.id, src.text)]
    return out


def model_alone(texts: list[str], quantize: str = "") -> dict[str, float]:
    """The embedder on its own over `texts` (same batching as ingest), session loaded first."""
    from ingest.embed import Embedder

    emb = Embedder(quantize=quantize)
    t = time.perf_counter()
    emb.embed(texts[:8])
    load_s, t = time.perf_counter() - t, time.perf_counter()
    emb.embed(texts)
    took = time.perf_counter() - t
    return {"sentences": len(texts), "s": took, "per_s": len(texts) / took, "load_s": load_s}


def phase_model(corpus: str) -> dict[str, Any]:
    """Model-alone rates, fp32 and int8, on the corpus's sentences (its own process), and fp32 on its
    distinct texts alone: ingest embeds a text repeated across sources once, so the model's own work
    on the corpus is the distinct texts' time, and that ratio does not flatter a corpus with repeats."""
    texts = corpus_sentences(corpus)
    return {"fp32": model_alone(texts), "int8": model_alone(texts, "int8"),
            "fp32_distinct": model_alone(list(dict.fromkeys(texts)))}


def links_digest(store: Any) -> dict[str, Any]:
    """Every stored correction link and sentence cue, as a count and a digest: a speed change to
    the detector must leave both identical (compare them across runs of the same corpus)."""
    import hashlib

    links = sorted(json.dumps([lk.claim, lk.by, lk.status, lk.origin, lk.note, round(lk.score, 6), lk.family])
                   for lk in store.every_link())
    cues = sorted(f"{i}\t{(m or {}).get('cue', '')}" for rec in store.sentence_pages(["metadatas"])
                  for i, m in zip(rec["ids"], rec["metadatas"]))
    digest = lambda xs: hashlib.sha256("\n".join(xs).encode()).hexdigest()[:16]  # noqa: E731
    return {"links": len(links), "links_digest": digest(links), "cued": sum(not c.endswith("\t") for c in cues),
            "cues_digest": digest(cues)}


def phase_ingest(corpus: str, data_dir: str, change: str = "") -> dict[str, Any]:
    """Fresh ingest, then re-ingest unchanged, then with one source changed (same process, model
    warm: these measure the pipeline, the CLI's model load is measured by `cold`). The fresh
    ingest is broken down into steps (`Breakdown`); interpreter start and model load are reported
    beside it, not inside it."""
    from benchmarks.corpus import change_one
    from ingest.pipeline import Indexer

    started = time.perf_counter()
    bd = Breakdown()
    bd.install()
    idx = Indexer(_settings(data_dir))
    # chromadb is imported when the index is first opened, which an ingest does before it reads the
    # first file: an import (0.4-0.5 s), reported with the imports, not inside "first file read to last write".
    import chromadb  # noqa: F401
    imports_s = time.perf_counter() - started
    t = time.perf_counter()
    idx.embedder.dim  # model load is start-up, not throughput
    load_s = time.perf_counter() - t
    bd.t, bd.cpu = dict.fromkeys(bd.STEPS, 0.0), dict.fromkeys(bd.STEPS, 0.0)
    t, c = time.perf_counter(), time.process_time()
    rep = idx.ingest([corpus])
    ingest_s, ingest_cpu_s = time.perf_counter() - t, time.process_time() - c
    assert rep.ok, [r.line() for r in rep.results if r.status == "failed"][:5]
    steps = bd.result(ingest_s)
    steps_cpu = {k: round(v, 3) for k, v in bd.cpu.items()}
    digest = links_digest(idx.store())
    sentences = sum(r.sentences for r in rep.results)
    sources = len(rep.results)

    t, c = time.perf_counter(), time.process_time()
    rep2 = idx.ingest([corpus])
    unchanged_s, unchanged_cpu_s = time.perf_counter() - t, time.process_time() - c
    assert rep2.ok

    if change:
        change_one(Path(change))
    bd.t = dict.fromkeys(bd.STEPS, 0.0)
    t = time.perf_counter()
    rep3 = idx.ingest([corpus])
    changed_s = time.perf_counter() - t
    changed_steps = bd.result(changed_s)
    return {
        "sources": sources, "sentences": sentences, "imports_s": imports_s, "model_load_s": load_s,
        "ingest_s": ingest_s, "embed_s": steps["embed"], "steps": steps, "steps_thread_cpu": steps_cpu, "cpu_s": ingest_cpu_s,
        "sent_per_s": sentences / ingest_s, "flagged": rep.flagged, **digest,
        "unchanged_s": unchanged_s, "unchanged_embedded": rep2.embedded, "unchanged_cpu_s": unchanged_cpu_s,
        "unchanged_counts": rep2.counts(), "changed_s": changed_s, "changed_embedded": rep3.embedded,
        "changed_steps": changed_steps, "changed_counts": rep3.counts(), "peak_rss_mb": peak_rss_mb(),
    }


def phase_query(data_dir: str, n: int = 60, rerank: str = "") -> dict[str, Any]:
    """Warm query latency through Engine.ask (extractive), and the bot's resident memory. `rerank`:
    "cross" measures the opt-in rerank stage (the same questions; its model loads on the first it
    rereads) and counts the questions its gate rereads. With the stage on, its int8 graph is made
    first in a process of its own, as `factdesk ingest` does, so the bot measured here never imports
    torch to export it (a fresh worktree has none: the eighteenth session's 10k run counted that
    export in the bot's memory, +591 MB)."""
    import subprocess

    from bot.engine import Engine

    s = _settings(data_dir)
    if rerank:
        s = s.model_copy(update={"rerank": rerank})
    eng, qs = Engine(s), questions(n + 5)
    if s.rerank == "cross":
        from bot import crossenc

        subprocess.run([sys.executable, "-c", "import sys; from bot import crossenc; crossenc.prepare(sys.argv[1])",
                        str(s.cross_dir)], check=True)
        # The model itself, loaded before timing (the gate may leave every warm-up question to the scorer).
        rr = getattr(eng.selector, "rerank", None)
        if rr is None or crossenc.shared(rr.folder, rr.threads) is None:
            raise SystemExit("FACTDESK_RERANK=cross, but the stage did not load: nothing to measure")
    t, c = time.perf_counter(), time.process_time()
    if hasattr(eng, "keep_warm"):  # older trees (a compare baseline) have no warm rows
        eng.keep_warm(wait=True)  # as chat and Slack do: every sentence row read once (ingest/rowcache.py)
    fill = {"rows_fill_s": time.perf_counter() - t, "rows_fill_cpu_s": time.process_time() - c}
    for q in qs[:5]:  # warm: model loaded, index opened, HNSW in memory
        eng.ask(q)
    lat, cpu, answered = [], [], 0
    reread = _count_rereads(eng)
    for q in qs[5:]:
        t, c = time.perf_counter(), time.process_time()
        a = eng.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        answered += a.answered
    return {"n": n, "p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95), "mean_ms": statistics.mean(lat), **fill,
            "cpu_p50_ms": pct(cpu, 0.5), "cpu_p95_ms": pct(cpu, 0.95), "answered": answered, "peak_rss_mb": peak_rss_mb(),
            "rerank": s.rerank, "reread": reread()}


def _count_rereads(eng) -> Any:
    """Counts the questions the rerank stage rereads from now on (model passes that gave
    probabilities: bot/rerank.py `Reranker.rescore`); a function giving the count, 0 with the stage off."""
    rr = getattr(eng.selector, "rerank", None)
    if rr is None:
        return lambda: 0
    seen = [0]
    rescore = rr.rescore

    def counting(*a, **k):
        out = rescore(*a, **k)
        seen[0] += out is not None
        return out

    rr.rescore = counting  # this process's engine only
    return lambda: seen[0]


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


PHASES = {"ingest": phase_ingest, "model": phase_model, "query": phase_query, "langchain": phase_langchain}

if __name__ == "__main__":
    result = PHASES[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps(result))
