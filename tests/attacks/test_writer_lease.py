"""Issue 12, item 2: one writer per Chroma server.

The baseline's ingest lock was a file in the local data folder, so two hosts (or two data folders)
pointing at one server and collection interleaved their writes, and the second took the first's
open journal for a crash and "recovered" — rewriting or deleting the live writer's half-written
sources. These tests run two writers with different data folders against one real `chroma run`.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from ingest.settings import Settings
from tests.chroma_server import ChromaServer, chroma_server  # noqa: F401  (fixture)
from tests.conftest import ARTICLE, SEED_ID
from tests.test_faults import check_invariants, snapshot


def _host(server: ChromaServer, tmp_path: Path, name: str, prefix: str, **kw) -> Settings:
    """One "host": its own data folder (so its own file lock), the shared server and prefix."""
    return Settings(_env_file=None, data_dir=tmp_path / name / "data", sources_dir=tmp_path / "none",
                    chroma_host=server.host, chroma_port=server.port, collection_prefix=prefix, **kw)


def _indexer(s: Settings, embedder):
    from ingest.pipeline import Indexer

    return Indexer(s, embedder=embedder)


def _lease(s: Settings):
    from ingest.store import Store

    rec = Store(s, create=True).sources_col.get(ids=["__lease__"], include=["metadatas"])
    return rec["metadatas"][0] if rec["ids"] else None


class _GatedEmbedder:
    """The real embedder, but the first embed waits for the test: the first writer is then
    certainly alive (holding its lock and lease) while the second one tries."""

    def __init__(self, real) -> None:
        self.real, self.started, self.go = real, threading.Event(), threading.Event()
        self.identity, self.dim = real.identity, real.dim

    def embed(self, texts, progress=None):
        self.started.set()
        assert self.go.wait(120)
        return self.real.embed(texts, progress=progress)


def test_a_second_writer_started_while_the_first_runs_is_refused(chroma_server, tmp_path, embedder):
    """Two hosts (two data folders, so two file locks) on one server and prefix: while A runs —
    paused for longer than its lease's lifetime, so only the heartbeat keeps it — B's ingest and
    remove are refused naming A; after A ends, B writes."""
    from ingest.lock import IngestLocked

    prefix = f"t{uuid.uuid4().hex[:10]}"
    a = _host(chroma_server, tmp_path, "a", prefix, ingest_lease_seconds=3)
    b = _host(chroma_server, tmp_path, "b", prefix, ingest_lease_seconds=3)
    corpus = generate(tmp_path / "corpus", 120)
    gated = _GatedEmbedder(embedder)
    result: dict = {}
    t = threading.Thread(target=lambda: result.setdefault("a", _indexer(a, gated).ingest([str(corpus.folder)])))
    t.start()
    try:
        assert gated.started.wait(120)
        lease = _lease(a)
        assert lease and lease["host"] and lease["expires"] > time.time()
        for _ in range(3):  # 3 × ~1.5 s: past the 3 s lifetime, so the heartbeat must have renewed it
            with pytest.raises(IngestLocked, match="holds the lease") as e:
                _indexer(b, embedder).ingest([str(ARTICLE)])
            assert f"pid {lease['pid']}" in str(e.value)
            with pytest.raises(IngestLocked, match="holds the lease"):
                _indexer(b, embedder).remove(["syn-00001"])
            time.sleep(1.5)
        assert _lease(a)["heartbeat"] > lease["heartbeat"]
    finally:
        gated.go.set()
        t.join(300)
    assert result["a"].ok
    assert _lease(a) is None  # released at the end
    assert _indexer(b, embedder).ingest([str(ARTICLE)]).ok  # free again
    snap = check_invariants(b)
    assert SEED_ID in snap["sources"] and len(snap["sources"]) == len(corpus.files) + 1


def test_recovery_never_touches_a_live_writers_half_written_work(chroma_server, tmp_path, embedder):
    """A writes a journal, a `writing` record and some sentences, and is alive (its lease beats).
    B, on another host, must not take that for a crash: it is refused and changes nothing."""
    from ingest.lock import IngestLock, IngestLocked
    from ingest.loaders import load_file
    from ingest.split import split_sentences
    from ingest.store import Store

    prefix = f"t{uuid.uuid4().hex[:10]}"
    a, b = _host(chroma_server, tmp_path, "a", prefix), _host(chroma_server, tmp_path, "b", prefix)
    src = load_file(ARTICLE)
    sents = split_sentences(src.id, src.text)[:5]
    with IngestLock(a) as lock:
        st = Store(a, create=True)
        st.guard = lock.guard
        st.check_model(embedder.identity, embedder.dim, record=True)
        st.begin_journal("ingest")
        st.mark_sources([(src, len(sents))], "writing")
        st.put_sentences(src, sents, embedder.embed([s.text for s in sents]))
        before = snapshot(a)
        with pytest.raises(IngestLocked, match="holds the lease"):
            _indexer(b, embedder).ingest([str(tmp_path / "nothing-here")])
        assert snapshot(a) == before
        assert before["sources"][SEED_ID][0] == "writing" and len(before["sentences"]) == 5


def test_a_dead_writers_lease_expires_and_the_next_writer_recovers(chroma_server, tmp_path, embedder):
    from ingest.store import Store

    prefix = f"t{uuid.uuid4().hex[:10]}"
    b = _host(chroma_server, tmp_path, "b", prefix)
    st = Store(b, create=True)
    st.begin_journal("ingest")  # a crashed run's open journal
    now = time.time()
    st.sources_col.upsert(ids=["__lease__"], embeddings=[[1.0]], documents=[""], metadatas=[{
        "kind": "lease", "owner": "dead", "host": "gone", "pid": 1, "heartbeat": now - 120, "expires": now - 60}])
    report = _indexer(b, embedder).ingest([str(ARTICLE)])
    assert report.ok and report.counts() == {"added": 1}
    check_invariants(b)


def test_a_writer_whose_lease_was_taken_over_stops_writing(chroma_server, tmp_path, embedder):
    from ingest.lease import LeaseLost
    from ingest.lock import IngestLock
    from ingest.store import Store

    prefix = f"t{uuid.uuid4().hex[:10]}"
    a = _host(chroma_server, tmp_path, "a", prefix)
    with IngestLock(a) as lock:
        st = Store(a, create=True)
        st.guard = lock.guard
        st.begin_journal("ingest")
        # Another writer overwrote the lease (ours expired while we were stalled).
        st.sources_col.upsert(ids=["__lease__"], embeddings=[[1.0]], documents=[""], metadatas=[{
            "kind": "lease", "owner": "other", "host": "elsewhere", "pid": 2, "heartbeat": time.time(),
            "expires": time.time() + 60}])
        time.sleep(1.1)  # past the once-a-second check
        with pytest.raises(LeaseLost):
            st.end_journal()
    assert _lease(a)["owner"] == "other"  # not ours to release


def test_a_source_marked_complete_is_verified_to_hold_its_sentences(tmp_path, embedder):
    """Sentences of a `complete` source vanished (an interleaved writer, a damaged server): the
    baseline called it unchanged forever; now it is repaired, embedding only what is missing."""
    s = Settings(_env_file=None, data_dir=tmp_path / "data", sources_dir=tmp_path / "none")
    assert _indexer(s, embedder).ingest([str(ARTICLE)]).ok
    from ingest.store import Store

    Store(s).sentences.delete(ids=[f"{SEED_ID}#3", f"{SEED_ID}#7"])
    calls = embedder.calls
    report = _indexer(s, embedder).ingest([str(ARTICLE)])
    assert [(r.status, r.embedded) for r in report.results] == [("updated", 2)]
    assert embedder.calls - calls == 2  # texts embedded
    check_invariants(s)
