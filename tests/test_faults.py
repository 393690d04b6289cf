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
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.loaders import load_file
from ingest.records import stored_text
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
        "special": sorted(i for i in records if i.startswith("__")
                          and i not in ("__generation__", "__df_total__", "__schema__", "__detector__", "__upgrade__")
                          and not i.startswith("__df__")),
        "totals": {"generation": records.get("__df_total__", ({}, ""))[0].get("generation"),
                   "sentences": records.get("__df_total__", ({}, ""))[0].get("sentences")},
        "generation": records.get("__generation__", ({}, ""))[0].get("token"),
        "term_counts": {m["source"]: m["sha256"] for m, _ in records.values() if m.get("kind") == "df"},
        "sources": {i: (m["state"], m["sha256"], m["sentences"], m["title"], m["published"], stored_text(d, m))
                    for i, (m, d) in records.items() if m.get("kind") == "source"},
        "sentences": {i: (stored_text(d, m), m["source"], m["index"], m["start"], m["end"], m["sha"])
                      for i, m, d in zip(sen["ids"], sen["metadatas"], sen["documents"])},
        "links": {m["claim"]: (m["by"], m["status"], m["origin"]) for m in links["metadatas"]},
    }


def check_invariants(s: Settings) -> dict[str, Any]:
    """What any usable index must satisfy, crash or not. Returns the snapshot."""
    snap = snapshot(s)
    assert snap["special"] == ["__model__"], f"journal left open or stray records: {snap['special']}"
    records = snap["sources"]
    assert all(r[0] == "complete" for r in records.values()), {k: r[0] for k, r in records.items()}
    # Every complete source has term counts made from its current content; no others remain.
    assert snap["term_counts"] == {sid: r[1] for sid, r in records.items()}, "term counts out of step with sources"
    # Summed counts published for the current generation cover exactly the indexed sentences.
    if snap["totals"]["generation"] == snap["generation"]:
        assert snap["totals"]["sentences"] == len(snap["sentences"])
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
        hits = [r.id for r in st.query(got[sid].vector, 3)]
        assert sid in hits, f"{sid} is not found by its own vector: {hits}"
    # A sentence mirror that says it may answer for Chroma (bot/coldstore.py) holds exactly the same.
    from tests.test_coldstore import assert_mirror_is_chroma

    assert_mirror_is_chroma(s, required=False)
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


# -- 2. concurrent use ----------------------------------------------------------------------------
class ChatProcess:
    """`factdesk chat --json` fed one line per turn; each turn's Answer JSON read back."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen([FACTDESK, "chat", "--json"], env=env, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
                                     start_new_session=True)

    def ask(self, question: str) -> dict[str, Any]:
        assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"chat ended: {self.proc.stderr.read()}"
        return json.loads(line)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=30)


def _cleaned_texts(folder: Path, into: dict[str, set[str]]) -> None:
    for f in folder.iterdir():
        src = load_file(f)
        into.setdefault(src.id, set()).add(src.text)


def _check_citations(ans: dict[str, Any], texts: dict[str, set[str]]) -> None:
    """Every quoted sentence (and every quoted correction) is exactly some version of its source
    at its offsets."""
    assert "error" not in ans, ans
    for c in ans["citations"]:
        if c.get("field"):
            continue
        quotes = [c] + list((c.get("correction") or {}).get("by", []))
        for q in quotes:
            versions = texts.get(q["source"], set())
            assert any(t[q["start"]:q["end"]] == q["text"] for t in versions), \
                f"{q['source']} [{q['start']}:{q['end']}] is not {q['text']!r}"


ZEPHYR = """---
id: zephyr-observatory
title: Zephyrine Observatory log
publisher: Survey Desk
published: 2022-03-01
---
The Zephyrine Observatory in Svalbard recorded 417 aurora nights in its first decade.

Its director said the observatory dome will be rebuilt with timber from Bergen.
"""
QUESTIONS = ["How many aurora nights did the Zephyrine Observatory record?",
             "Who developed the police app?",
             "How many tractors did the inspectors in Lyon count?",
             "What did inspectors in Hanoi register?"]


def test_chat_keeps_answering_through_a_reindex_and_a_second_ingest_fails_fast(tmp_path, embedder):
    """A chat process answers throughout a re-index by another process (sources added,
    changed, removed); every citation is exact; afterwards they find the new source without a
    restart. Of two ingests started together, one fails fast on the lock and writes nothing."""
    from ingest.pipeline import Indexer

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 10)
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    texts: dict[str, set[str]] = {}
    _cleaned_texts(corpus, texts)
    data = tmp_path / "data"
    assert Indexer(settings_for(data), embedder=embedder).ingest([str(corpus)]).ok
    env = env_for(data)

    chats = [ChatProcess(env, tmp_path)]  # one reader process: each costs a model load
    ingests: list[subprocess.Popen[str]] = []
    try:
        for chat in chats:
            _check_citations(chat.ask(QUESTIONS[1]), texts)
        write_corpus(corpus, 10, versions={3: 2, 8: 2}, skip={6})
        (corpus / "zephyr.md").write_text(ZEPHYR, encoding="utf-8")
        _cleaned_texts(corpus, texts)
        ingests = [subprocess.Popen([FACTDESK, "ingest", "--prune", str(corpus)], env=env, cwd=tmp_path,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
                   for _ in range(2)]
        turns = 0
        while any(p.poll() is None for p in ingests) or turns < 4:
            for chat in chats:
                _check_citations(chat.ask(QUESTIONS[turns % len(QUESTIONS)]), texts)
                turns += 1
        outs = [(p.returncode, *p.communicate()) for p in ingests]
        codes = sorted(rc for rc, _o, _e in outs)
        assert codes == [0, 1], outs
        winner = next(o for rc, o, _e in outs if rc == 0)
        loser_out, loser_err = next((o, e) for rc, o, e in outs if rc == 1)
        assert "another `factdesk ingest`" in loser_err and len(loser_err.strip().splitlines()) == 1, loser_err
        assert loser_out == "", "the ingest that lost the lock wrote nothing"
        assert "added: zephyr-observatory" in winner and "removed: gen-006" in winner

        for chat in chats:  # the same processes, no restart
            ans = chat.ask(QUESTIONS[0])
            _check_citations(ans, texts)
            assert ans["answered"] and ans["citations"][0]["source"] == "zephyr-observatory", ans
            for q in QUESTIONS[1:]:
                assert all(c["source"] != "gen-006" for c in chat.ask(q)["citations"])
    finally:
        for chat in chats:
            chat.close()
        for p in ingests:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=30)
    snap = check_invariants(settings_for(data))
    assert "zephyr-observatory" in snap["sources"] and "gen-006" not in snap["sources"]


# -- 3. a broken or missing index ------------------------------------------------------------------
def _one_line_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("factdesk: "), res.stderr
    return lines[0]


@pytest.mark.parametrize("state", ["deleted", "empty"])
def test_missing_index_says_run_ingest(tmp_path, state, capsys, monkeypatch):
    """No index (folder absent or empty) and no bundled sources to fall back on: one line that
    says what to run — for `ask` and for `chat`."""
    from bot.cli import main

    data = tmp_path / "data"
    if state == "empty":
        data.mkdir()
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(data))
    monkeypatch.setenv("FACTDESK_SOURCES_DIR", str(tmp_path / "no-sources"))
    for argv in (["ask", "Who developed the app?"], ["chat", "--json"]):
        monkeypatch.setattr("sys.stdin", open(os.devnull))
        assert main(argv) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "run `factdesk ingest" in err[0], err


@pytest.mark.parametrize("damage", ["sqlite", "vectors"])
def test_corrupted_index_says_rebuild_and_rebuild_recovers(tmp_path, embedder, damage):
    """Chroma's files truncated: `ask` and `chat` print one line naming the folder and
    `--rebuild`; `ingest --rebuild` recovers and answers again. Run as subprocesses, so a crash
    inside Chroma's native code could not hide behind the test process."""
    from ingest.pipeline import Indexer

    data = tmp_path / "data"
    assert Indexer(settings_for(data), embedder=embedder).ingest([str(ARTICLE)]).ok
    chroma = data / "chroma"
    if damage == "sqlite":
        db = chroma / "chroma.sqlite3"
        with open(db, "r+b") as f:
            f.truncate(db.stat().st_size // 3)
    else:
        for f in chroma.glob("*/*.bin"):
            with open(f, "r+b") as fh:
                fh.truncate(f.stat().st_size // 2)
    env = env_for(data, FACTDESK_SOURCES_DIR=str(tmp_path / "no-sources"))
    for argv in (["ask", "Who developed the police app?", "--json"], ["chat", "--json"]):
        res = run_factdesk(argv, env, tmp_path, input="Who developed the police app?\n")
        if (damage == "vectors" or argv[0] == "ask") and res.returncode == 0:
            # Chroma may rebuild vectors from its log, and a one-shot ask reads the sentence mirror
            # (bot/coldstore.py), which the damage did not touch: the answers must still be exact.
            texts = {SEED_ID: {load_file(ARTICLE).text}}
            for line in res.stdout.splitlines():
                _check_citations(json.loads(line), texts)
            continue
        msg = _one_line_error(res)
        assert str(data) in msg and "factdesk ingest --rebuild" in msg and "damaged" in msg, msg
    # `ingest --rebuild` (in this process, to spare a model load; the CLI only calls this).
    from bot.engine import Engine

    s = settings_for(data)
    report = Indexer(s, embedder=embedder).ingest([str(ARTICLE)], rebuild=True)
    assert report.ok, [r.line() for r in report.results]
    ans = Engine(s, embedder=embedder).ask("Who developed the police app?").to_json()
    assert ans["answered"]
    _check_citations(ans, {SEED_ID: {load_file(ARTICLE).text}})
    check_invariants(s)


def test_model_change_is_refused(tmp_path, embedder, capsys, monkeypatch):
    """An index built with one model refuses another (here a local model made from the packaged
    one with a different output layer, so nothing is downloaded): `ask` and `ingest` both say
    which model built it and what to do; the index is left as it was."""
    import torch
    from sentence_transformers import SentenceTransformer, models

    from bot.cli import main
    from ingest.embed import resolve_model
    from ingest.pipeline import Indexer

    data = tmp_path / "data"
    assert Indexer(settings_for(data), embedder=embedder).ingest([str(ARTICLE)]).ok
    before = snapshot(settings_for(data))

    torch.manual_seed(0)
    base = SentenceTransformer(resolve_model("")[1], device="cpu")
    dense = models.Dense(in_features=base.get_sentence_embedding_dimension(), out_features=32)
    other = SentenceTransformer(modules=[*base, dense], device="cpu")
    model_dir = tmp_path / "other-model"
    other.save(str(model_dir))

    monkeypatch.setenv("FACTDESK_DATA_DIR", str(data))
    monkeypatch.setenv("FACTDESK_EMBED_MODEL", str(model_dir))
    for argv in (["ask", "Who developed the police app?"], ["ingest", str(ARTICLE)]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "was built with" in err[0] and str(model_dir) in err[0] \
            and "--rebuild" in err[0], err
    assert snapshot(settings_for(data)) == before


# -- 4. the Chroma server goes away and comes back ----------------------------------------------------
def test_chat_survives_a_chroma_server_outage(tmp_path, embedder):
    """Server mode: stop the server mid-conversation — a clear error per turn while it is down,
    the same chat process answering again once it is back."""
    from ingest.pipeline import Indexer
    from tests.chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "server-db")
    server.start()
    chat = None
    try:
        s = settings_for(tmp_path / "data", chroma_host=server.host, chroma_port=server.port)
        assert Indexer(s, embedder=embedder).ingest([str(ARTICLE)]).ok
        env = env_for(tmp_path / "data", **server.env())
        chat = ChatProcess(env, tmp_path)
        texts = {SEED_ID: {load_file(ARTICLE).text}}
        q = "Who developed the police app?"
        first = chat.ask(q)
        _check_citations(first, texts)
        assert first["answered"]

        server.stop()
        for _ in range(2):
            down = chat.ask(q)
            assert "error" in down and f"{server.host}:{server.port}" in down["error"] \
                and "Chroma server" in down["error"], down
        server.start()
        back = chat.ask(q)
        _check_citations(back, texts)
        assert back["answered"]
        assert [(c["source"], c["sentence"], c["text"]) for c in back["citations"]] == \
            [(c["source"], c["sentence"], c["text"]) for c in first["citations"]]
    finally:
        if chat:
            chat.close()
        server.stop()
