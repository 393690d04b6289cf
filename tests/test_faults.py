"""Faults (issue 7): a crash, a concurrent re-index, a broken index, a lost Chroma server.

These tests start real `factdesk` processes and really kill them, because the failures they
guard against (a half-written index after SIGKILL, a reader process that never sees another
process's writes, two writers interleaving) only exist across processes. Each subprocess pays
the model load (~8 s), so the tests start as few as they can and loop inside one test.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.loaders import load_file
from ingest.settings import Settings
from ingest.store import Store
from tests.conftest import ARTICLE, SEED_ID

FACTDESK = str(Path(sys.executable).parent / "factdesk")

# -- a generated corpus -----------------------------------------------------------------------
_PLACES = ["Lyon", "Tromsø", "Quito", "Hanoi", "Perth", "Tbilisi", "Accra", "Oslo", "Cusco", "Tartu",
           "Bergen", "Mostar", "Leeds", "Davao", "Arusha", "Galway", "Ghent", "Izmir", "Kochi", "Porto"]
_THINGS = ["tractors", "ferries", "bridges", "libraries", "orchards", "bakeries", "clinics", "kilns",
           "windmills", "looms", "canals", "granaries", "tramlines", "lighthouses", "quarries"]
_VERBS = ["counted", "listed", "inspected", "registered", "painted", "repaired", "catalogued", "measured"]


def _source_text(i: int, version: int = 1) -> tuple[str, list[str]]:
    """Front matter plus six unique, cue-free sentences (no correction wording), so the only
    correction links are the declared ones and the bundled article's own."""
    rnd = random.Random(i * 1000 + version)
    place = _PLACES[i % len(_PLACES)]
    sents = []
    for k in range(6):
        thing = _THINGS[(i + k) % len(_THINGS)]
        sents.append(f"Inspectors in {place} {_VERBS[(i * 3 + k) % len(_VERBS)]} {rnd.randint(10, 9999)} "
                     f"{thing} during survey {i}-{k}-{version}.")
    return " ".join(sents[:3]) + "\n\n" + " ".join(sents[3:]) + "\n", sents


def write_corpus(folder: Path, n: int, *, versions: dict[int, int] | None = None,
                 skip: set[int] = frozenset()) -> dict[str, list[str]]:
    """`n` sources gen-000..; every fifth declares that it corrects a sentence of the one before.
    Returns {source id: sentences}."""
    versions = versions or {}
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[str]] = {}
    for i in range(n):
        sid = f"gen-{i:03d}"
        path = folder / f"{sid}.md"
        if i in skip:
            path.unlink(missing_ok=True)
            continue
        body, sents = _source_text(i, versions.get(i, 1))
        fm = [f"id: {sid}", f"title: Survey {i}", "publisher: Survey Desk", f"published: 2020-{1 + i % 12:02d}-{1 + i % 27:02d}"]
        if i % 5 == 4 and f"gen-{i - 1:03d}" in out:
            prev = out[f"gen-{i - 1:03d}"]
            fm += ["corrects:", f"  - source: gen-{i - 1:03d}", f"    quote: {json.dumps(prev[1])}",
                   "    status: corrected", f"    by: {json.dumps(sents[0])}", "    note: Declared in the test corpus"]
            # a declared correction must be later than its claim
            fm[3] = "published: 2021-06-01"
        path.write_text("---\n" + "\n".join(fm) + "\n---\n" + body, encoding="utf-8")
        out[sid] = sents
    return out


# -- reading an index back ---------------------------------------------------------------------
def settings_for(data_dir: Path, **kw: Any) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **kw)


def snapshot(s: Settings) -> dict[str, Any]:
    """Everything an index holds that must not depend on how it was built (vectors aside,
    which are checked by `check_invariants`)."""
    st = Store(s, create=False, fresh=True)
    src = st.sources_col.get(include=["metadatas", "documents"])
    records = {i: (m, d) for i, m, d in zip(src["ids"], src["metadatas"], src["documents"])}
    sen = st.sentences.get(include=["metadatas", "documents"])
    links = st.links_col.get(include=["metadatas"])
    return {
        "special": sorted(i for i in records if i.startswith("__") and i != "__generation__"),
        "sources": {i: (m["state"], m["sha256"], m["sentences"], m["title"], m["published"], d)
                    for i, (m, d) in records.items() if m.get("kind") == "source"},
        "sentences": {i: (d, m["source"], m["index"], m["start"], m["end"], m["sha"])
                      for i, m, d in zip(sen["ids"], sen["metadatas"], sen["documents"])},
        "links": {m["claim"]: (m["by"], m["status"], m["origin"]) for m in links["metadatas"]},
    }


def check_invariants(s: Settings) -> dict[str, Any]:
    """What any usable index must satisfy, crash or not. Returns the snapshot."""
    snap = snapshot(s)
    assert snap["special"] == ["__model__"], f"journal left open or stray records: {snap['special']}"
    records = snap["sources"]
    assert all(r[0] == "complete" for r in records.values()), {k: r[0] for k, r in records.items()}
    per_source: dict[str, list[int]] = {}
    spans: set[tuple[str, int, int]] = set()
    for sid, (text, source, index, start, end, sha) in snap["sentences"].items():
        assert source in records, f"orphan sentence {sid} of missing source {source}"
        assert sid == f"{source}#{index}"
        assert records[source][5][start:end] == text, f"{sid}: offsets do not point at its text"
        assert sha == records[source][1], f"{sid}: sentence from another version of {source}"
        assert (source, start, end) not in spans, f"duplicate sentence {sid}"
        spans.add((source, start, end))
        per_source.setdefault(source, []).append(index)
    for source, rec in records.items():
        assert sorted(per_source.get(source, [])) == list(range(rec[2])), f"{source}: sentences missing or extra"
    for claim, (by, _status, _origin) in snap["links"].items():
        for sid in [claim, *json.loads(by)]:
            assert sid in snap["sentences"], f"link to missing sentence {sid}"
    # The vector index agrees with the records: each sentence's own vector finds it.
    st = Store(s, create=False, fresh=True)
    sample = sorted(snap["sentences"])[:: max(1, len(snap["sentences"]) // 12)]
    got = st.get_sentences(sample, with_vectors=True)
    assert st.count() == len(snap["sentences"])
    for sid in sample:
        hits = [r["id"] for r in st.query(got[sid]["vector"], 3)]
        assert sid in hits, f"{sid} is not found by its own vector: {hits}"
    return snap


def chroma_seq(data_dir: Path) -> int:
    """How many writes Chroma has logged so far (read-only; 0 before the database exists)."""
    db = data_dir / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            row = con.execute("SELECT max(seq_id) FROM embeddings_queue").fetchone()
            return int(row[0] or 0)
        finally:
            con.close()
    except sqlite3.Error:
        return -1  # busy or mid-creation: ask again


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "FACTDESK_DATA_DIR": str(data_dir), **extra}
    env.pop("CHROMA_HOST", None) if "CHROMA_HOST" not in extra else None
    return env


def run_factdesk(args: list[str], env: dict[str, str], cwd: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FACTDESK, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180, **kw)


# -- 1. crash mid-ingest ------------------------------------------------------------------------
def _ingest_and_kill(args: list[str], env: dict[str, str], cwd: Path, data_dir: Path, after_writes: int) -> bool:
    """Start `factdesk ingest`, SIGKILL it once Chroma has logged `after_writes` more writes.
    Returns whether it was killed (False: it finished first)."""
    base = max(0, chroma_seq(data_dir))
    proc = subprocess.Popen([FACTDESK, *args], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        while proc.poll() is None:
            if chroma_seq(data_dir) >= base + after_writes:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                return True
            time.sleep(0.002)
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def test_sigkill_mid_ingest_converges_to_a_clean_build(tmp_path, embedder):
    """SIGKILL `factdesk ingest` at seeded random points (while adding, then while updating,
    removing and pruning); the next ingest must leave exactly what a clean run builds."""
    from ingest.pipeline import Indexer

    rnd = random.Random(7)
    # The clean build of the final sources (in another folder: paths are not compared); its
    # number of Chroma writes aims the kills inside the write phase.
    final = tmp_path / "final"
    write_corpus(final, 15, versions={3: 2, 11: 2}, skip={7})
    shutil.copy(ARTICLE, final / ARTICLE.name)
    clean_settings = settings_for(tmp_path / "clean")
    assert Indexer(clean_settings, embedder=embedder).ingest([str(final)]).ok
    clean = check_invariants(clean_settings)
    total = chroma_seq(clean_settings.data_dir)
    assert total > 60

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 14)
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    crash_dir = tmp_path / "crashed"
    env = env_for(crash_dir)
    killed = 0
    for _ in range(2):  # first build, killed twice at random writes
        killed += _ingest_and_kill(["ingest", str(corpus)], env, tmp_path, crash_dir, rnd.randint(1, total - 1))
    # The sources change: two edited, one deleted, one added; killed again mid-way.
    write_corpus(corpus, 15, versions={3: 2, 11: 2}, skip={7})
    killed += _ingest_and_kill(["ingest", "--prune", str(corpus)], env, tmp_path, crash_dir,
                               rnd.randint(1, total // 2))
    assert killed >= 2, "the kills all came too late to test anything"

    report = Indexer(settings_for(crash_dir), embedder=embedder).ingest([str(corpus)], prune=True)
    assert report.ok, [r.line() for r in report.results]
    recovered = check_invariants(settings_for(crash_dir))

    assert recovered["sources"] == clean["sources"]
    assert recovered["sentences"] == clean["sentences"]
    assert recovered["links"] == clean["links"]
    assert "gen-007" not in recovered["sources"]
    assert sum(1 for _c, (_b, _s, origin) in clean["links"].items() if origin == "declared") == 3
    assert any(c.startswith(SEED_ID) for c in clean["links"]), "the bundled article's own correction link"
    # A second run over an intact index changes nothing.
    again = Indexer(settings_for(crash_dir), embedder=embedder).ingest([str(corpus)], prune=True)
    assert {r.status for r in again.results} == {"unchanged"}


def test_recovery_sweeps_orphans_and_finishes_removals(tmp_path, embedder):
    """The states a crash can leave, made by hand so each is certain to be tested: sentences
    whose manifest record is missing, a record stuck `removing`, one stuck `writing` whose
    file is gone, and an open journal. The next ingest sweeps all of them."""
    from ingest.pipeline import Indexer

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 6)
    s = settings_for(tmp_path / "data")
    ix = Indexer(s, embedder=embedder)
    assert ix.ingest([str(corpus)]).ok
    clean = snapshot(s)

    st = ix.store()
    st.begin_journal("ingest")
    st.sources_col.delete(ids=["gen-001"])  # killed between deleting the record and its sentences
    st.set_state("gen-002", "removing")  # killed mid-remove
    extra = tmp_path / "elsewhere"
    write_corpus(extra, 1)
    (extra / "gen-000.md").rename(extra / "lost.md")
    lost = load_file(extra / "lost.md")
    lost.id = "lost-source"
    st.mark_source(lost, "writing", 6)  # a half-written source whose file then vanished
    st.put_sentences(lost, [], np.zeros((0, 384), dtype=np.float32))
    (extra / "lost.md").unlink()
    (corpus / "gen-002.md").unlink()

    report = ix.ingest([str(corpus)])
    assert report.ok
    assert any("lost-source" in w for w in report.warnings)
    snap = check_invariants(s)
    assert set(snap["sources"]) == set(clean["sources"]) - {"gen-002"}
    assert snap["sentences"] == {k: v for k, v in clean["sentences"].items() if not k.startswith("gen-002#")}
    assert "gen-001" in snap["sources"], "a source whose record was lost is re-added from its file"
