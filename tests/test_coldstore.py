"""The sentence mirror (ingest/mirror.py) and the one-shot reader over it (bot/coldstore.py).

A cold `factdesk ask` over an index whose mirror is in step never imports chromadb and prints the
same answers as the Chroma path; the mirror follows every write (adds, edits that shrink a source,
removals, relinks), is never trusted after a write it did not follow, is copied again by the next
ingest, and compacts its vector file when dead slots pile up.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SOURCES
from tests.sources import write_source

MULTI = ROOT / "data" / "eval" / "multisource"
PROBE = ("import os, sys, runpy, json\ndef _exit(rc):\n    raise SystemExit(rc)\nos._exit = _exit\n"
         "sys.argv = ['factdesk', 'ask', '--json']\n"
         "try:\n    runpy.run_module('bot.cli', run_name='__main__')\nexcept SystemExit as e:\n    rc = e.code\n"
         "print(json.dumps({'chromadb': 'chromadb' in sys.modules, 'rc': rc}), file=sys.stderr)\n")


def _questions() -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "data" / "eval" / "multisource.jsonl").read_text().splitlines() if x]
    return [r["question"] for r in rows if "question" in r] + ["Did the police app use Megvii's face matching?"]


def _ask(data, questions, **env) -> tuple[list[dict], bool]:
    """`factdesk ask --json` in a fresh process, questions on stdin: the answers, and whether
    chromadb was imported."""
    e = {**os.environ, "FACTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), **env}
    p = subprocess.run([sys.executable, "-c", PROBE], input="\n".join(questions) + "\n", cwd=data, env=e,
                       capture_output=True, text=True, timeout=300)
    probe = json.loads(p.stderr.strip().splitlines()[-1])
    assert probe["rc"] == 0, p.stderr[-3000:]
    return [json.loads(x) for x in p.stdout.splitlines()], probe["chromadb"]


def _corpus(tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    shutil.copy(SOURCES / "megvii-hrw-correction-2019.txt", folder)
    return folder


def assert_mirror_is_chroma(settings, embedder=None, *, required: bool = True) -> None:
    """The mirror may answer for Chroma (unless not `required`: then only if it says it may), and
    holds exactly Chroma's rows, vectors and links."""
    from bot.coldstore import open_cold
    from ingest.records import stored_text
    from ingest.store import Store

    st = Store(settings, fresh=True)
    identity = embedder.identity if embedder is not None else (st.model_info() or ("",))[0]
    cold = open_cold(settings, identity)
    if cold is None and not required:
        return
    assert cold is not None, "the mirror is not in step"
    rec = st.sentences.get(include=["metadatas", "documents", "embeddings"])
    assert cold.count() == len(rec["ids"])
    got = cold.get_sentences(rec["ids"], with_vectors=True)
    for i, sid in enumerate(rec["ids"]):
        row = got[sid]
        text = stored_text(rec["documents"][i], rec["metadatas"][i])  # metadata, or an older row's document
        assert (row.text, row.metadata()) == (text, st.get_sentences([sid])[sid].metadata())
        # Chroma hands back a vector it normalised and scaled again (float32: last-bit differences);
        # the mirror holds the vector ingest wrote, or Chroma's when it was copied from Chroma.
        assert np.allclose(row.vector, np.asarray(rec["embeddings"][i]), rtol=0, atol=1e-6), sid
    assert sorted(cold.every_link(), key=lambda lk: lk.id) == sorted(st.every_link(), key=lambda lk: lk.id)
    assert cold.term_totals()[1:] == st.term_totals()[1:]
    assert cold.source_records() == st.source_records()


def test_a_one_shot_ask_reads_the_mirror_without_chromadb_and_answers_as_chroma(tmp_path, indexer, embedder):
    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    assert_mirror_is_chroma(indexer.settings, embedder)
    data = indexer.settings.data_dir
    cold, imported = _ask(data, _questions())
    assert imported is False
    warm, imported = _ask(data, _questions(), FACTDESK_COLD_MIRROR="0")
    assert imported is True
    assert len(cold) == len(_questions()) and any(a["answered"] for a in cold)
    assert any(c["correction"] for a in cold for c in a.get("citations", []))
    assert cold == warm


def test_the_exact_search_finds_what_chroma_finds(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold
    from ingest.store import Store

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    cold, st = open_cold(indexer.settings, embedder.identity), Store(indexer.settings, fresh=True)
    for q in _questions():
        v = embedder.embed_one(q)
        a, b = cold.query(v, 8), st.query(v, 8)
        assert [r.id for r in a] == [r.id for r in b]
        assert np.allclose([r.distance for r in a], [r.distance for r in b], atol=1e-5)
        where = {"source": b[-1].source}
        assert [r.id for r in cold.query(v, 3, where=where)] == [r.id for r in st.query(v, 3, where=where)]
    for needle in ("Voltaic", "Megvii", "zzz-none"):
        assert [r.id for r in cold.containing(needle, 50)] == [r.id for r in st.containing(needle, 50)]


def test_the_mirror_follows_edits_removals_and_relinks(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold

    folder = _corpus(tmp_path)
    write_source(folder, "dale-extra", "2020-01-02", "The Dale council approved the budget on Monday.",
                 "The budget funds two new schools.", "A vote on the bridge was postponed.")
    assert indexer.ingest([str(folder)]).ok
    assert_mirror_is_chroma(indexer.settings, embedder)
    write_source(folder, "dale-extra", "2020-01-02", "The Dale council rejected the budget on Monday.")
    assert indexer.ingest([str(folder)]).ok  # shrinks: the old tail is deleted
    assert_mirror_is_chroma(indexer.settings, embedder)
    (folder / "02-voltaic-correction.md").unlink()
    assert indexer.ingest([str(folder)], prune=True).ok  # a removal unlinks a correction
    assert_mirror_is_chroma(indexer.settings, embedder)
    (folder / "dale-extra.md").unlink()
    assert indexer.remove(["dale-extra"]).ok
    assert_mirror_is_chroma(indexer.settings, embedder)
    gen = open_cold(indexer.settings, embedder.identity).generation()
    assert indexer.ingest([str(folder)]).ok  # nothing changed: still in step, same generation
    assert open_cold(indexer.settings, embedder.identity).generation() == gen


def test_a_write_the_mirror_missed_makes_it_untrusted_until_the_next_ingest_copies_it(tmp_path, indexer,
                                                                                      embedder, monkeypatch):
    from bot.coldstore import open_cold
    from ingest.mirror import Mirror

    folder = _corpus(tmp_path)
    assert indexer.ingest([str(folder)]).ok

    def refuse(*a, **k):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(Mirror, "put_sentences", refuse)
    write_source(folder, "dale-extra", "2020-01-02", "The Dale council approved the budget on Monday.")
    assert indexer.ingest([str(folder)]).ok  # the index is written; the mirror stops following
    assert open_cold(indexer.settings, embedder.identity) is None
    answers, imported = _ask(indexer.settings.data_dir, ["What did the Dale council approve?"])
    assert imported is True and "budget" in json.dumps(answers)  # the Chroma path answers
    monkeypatch.undo()
    from ingest.pipeline import Indexer

    assert Indexer(indexer.settings, embedder=embedder).ingest([str(folder)]).ok  # unchanged: copied again
    assert_mirror_is_chroma(indexer.settings, embedder)


def test_a_crashed_run_leaves_the_mirror_untrusted(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold
    from ingest.records import Source
    from ingest.split import split_sentences
    from ingest.store import Store

    folder = _corpus(tmp_path)
    assert indexer.ingest([str(folder)]).ok
    st = Store(indexer.settings)
    st.begin_journal("ingest")  # a run that wrote one source and was killed before publishing
    text = "The Dale council approved the budget on Monday."
    src = Source(id="crashed", title="t", text=text, sha256="x")
    sentences = split_sentences(src.id, text)
    st.put_sentences(src, sentences, embedder.embed([s.text for s in sentences]))
    assert open_cold(indexer.settings, embedder.identity) is None
    from ingest.pipeline import Indexer

    assert Indexer(indexer.settings, embedder=embedder).ingest([str(folder)]).ok  # recovers, copies
    assert_mirror_is_chroma(indexer.settings, embedder)


def test_dead_slots_are_compacted(tmp_path, indexer, embedder, monkeypatch):
    import ingest.mirror

    monkeypatch.setattr(ingest.mirror, "COMPACT_MIN", 0)  # compact as soon as dead slots outnumber live ones
    folder = _corpus(tmp_path)
    assert indexer.ingest([str(folder)]).ok
    first = set(indexer.settings.data_dir.glob("mirror-*.f32"))
    write_source(folder, "dale-extra", "2020-01-02", "The Dale council approved the budget on Monday.")
    assert indexer.ingest([str(folder)]).ok  # a few dead slots: no compaction yet
    assert set(indexer.settings.data_dir.glob("mirror-*.f32")) == first
    for p in folder.iterdir():
        if p.name != "dale-extra.md":
            p.unlink()
    assert indexer.ingest([str(folder)], prune=True).ok  # most rows deleted: compacted at publish
    now = set(indexer.settings.data_dir.glob("mirror-*.f32"))
    assert len(now) == 1 and now != first
    db = sqlite3.connect(next(indexer.settings.data_dir.glob("mirror-*.sqlite3")))
    live = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert dict(db.execute("SELECT key, value FROM meta"))["dead"] == "0"
    assert next(iter(now)).stat().st_size == live * 4 * (embedder.dim + 1)
    assert_mirror_is_chroma(indexer.settings, embedder)


@pytest.mark.parametrize("flag", ["0", "false"])
def test_the_setting_forces_chroma(tmp_path, indexer, embedder, flag, monkeypatch):
    from bot.engine import Engine
    from ingest.settings import Settings
    from ingest.store import Store

    assert indexer.ingest([str(SOURCES)]).ok
    monkeypatch.setenv("FACTDESK_COLD_MIRROR", flag)
    s = Settings(_env_file=None, data_dir=indexer.settings.data_dir)
    assert isinstance(Engine(s, embedder=embedder, one_shot=True).store(), Store)
    monkeypatch.delenv("FACTDESK_COLD_MIRROR")
    s = Settings(_env_file=None, data_dir=indexer.settings.data_dir)
    assert not isinstance(Engine(s, embedder=embedder, one_shot=True).store(), Store)
    assert isinstance(Engine(s, embedder=embedder).store(), Store)  # chat and Slack: Chroma
