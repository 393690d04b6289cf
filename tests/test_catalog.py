"""The source catalog (ingest/catalog.py, ingest/catalogsync.py): a local SQLite copy of the
manifest that answers record reads by id, trusted only while it is stamped with the generation
Chroma publishes and no run is writing — rebuilt from Chroma otherwise (deleted, corrupt, stale,
a crashed run, an index from before catalogs, a server another client writes to)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ingest.catalog import Catalog, catalog_path
from ingest.records import SourceRecord, stored_text
from ingest.store import Store
from tests.chroma_server import chroma_server  # noqa: F401  (fixture)

ARTICLE = """---
title: {title}
published: 2024-0{month}-10
byline: By Ann Reporter{i}
---
{title}.

Acme Corp said on Monday it would close the Denver plant next year. The plant employs {n} people.
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    for i in range(1, 5):
        (d / f"story-{i}.md").write_text(ARTICLE.format(title=f"Story number {i}", month=i, i=i, n=100 * i))
    return d


def chroma_records(st: Store, text: bool = False) -> dict[str, SourceRecord]:
    """The manifest as Chroma holds it, read directly (the store of record)."""
    rec = st.sources_col.get(where={"kind": "source"}, include=["metadatas", "documents"])
    return {sid: SourceRecord.from_meta(sid, m, (stored_text(d, m) or "") if text else "")
            for sid, m, d in zip(rec["ids"], rec["metadatas"], rec["documents"])}


class Reads:
    """Counts full reads of the manifest and reads of sources by id from Chroma."""

    def __init__(self, st: Store, monkeypatch) -> None:
        self.full = self.by_id = 0
        col = st.sources_col
        real = col.get

        def get(*a, **k):
            if k.get("where") == {"kind": "source"}:
                self.full += 1
            elif k.get("ids") and not all(i.startswith("__") for i in k["ids"]):
                self.by_id += 1
            return real(*a, **k)

        monkeypatch.setattr(col, "get", get)


def in_step(settings) -> Store:
    """A fresh reader's view equals Chroma's, in Chroma's order, texts included."""
    st = Store(settings)
    want = chroma_records(st, text=True)
    got = st.source_records()
    assert list(got) == list(want)
    assert got == {sid: SourceRecord(**{**{f: getattr(r, f) for f in r.__slots__}, "text": ""})
                   for sid, r in want.items()}
    assert st.get_sources(list(want)) == want
    return st


def test_ingest_writes_the_catalog_and_readers_use_it(indexer, settings, folder, monkeypatch):
    assert indexer.ingest([str(folder)]).ok
    path = catalog_path(settings)
    assert path is not None and path.exists()
    st = in_step(settings)
    assert Catalog(path).stamp() == st.generation()
    fresh = Store(settings)
    reads = Reads(fresh, monkeypatch)
    fresh.generation()
    assert len(fresh.source_records()) == 4 and fresh.get_sources(["story-2"])["story-2"].text
    assert (reads.full, reads.by_id) == (0, 0)  # indexed lookups in the catalog, no read of everything


def test_edits_additions_and_removals_keep_it_in_step(indexer, settings, folder):
    assert indexer.ingest([str(folder)]).ok
    (folder / "story-2.md").write_text(ARTICLE.format(title="Story number 2", month=2, i=2, n=250))
    (folder / "story-3.md").unlink()
    (folder / "story-9.md").write_text(ARTICLE.format(title="Story number 9", month=9, i=9, n=900))
    rep = indexer.ingest([str(folder)], prune=True)
    assert rep.counts() == {"unchanged": 2, "updated": 1, "added": 1, "removed": 1}
    in_step(settings)
    assert indexer.remove(["story-1"]).ok
    in_step(settings)


def test_a_deleted_stale_or_corrupt_catalog_is_rebuilt(indexer, settings, folder, embedder, monkeypatch):
    from bot.engine import Engine

    assert indexer.ingest([str(folder)]).ok
    path = catalog_path(settings)
    question = "How many people does the Denver plant employ?"
    want = Engine(settings, embedder=embedder).ask(question).to_json()
    for damage in ("delete", "garbage", "stale", "truncated", "layout"):
        if damage == "delete":
            path.unlink()
        elif damage == "layout":  # a catalog of another version's layout
            path.unlink()
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT)")
        elif damage == "garbage":
            path.write_bytes(b"this is not a database" * 100)
        elif damage == "stale":
            Catalog(path).write("an-older-generation", [], {})  # describes nothing: must not be used
        else:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 3])
        want_records = chroma_records(Store(settings))
        st = Store(settings)
        reads = Reads(st, monkeypatch)
        assert st.source_records() == want_records, damage
        assert reads.full == 1, damage  # one full read, then the catalog is rewritten
        assert Catalog(path).stamp() == st.generation(), damage
        assert Engine(settings, embedder=embedder).ask(question).to_json() == want, damage
        in_step(settings)


def test_an_index_from_before_catalogs_opens_and_gets_one(indexer, settings, folder):
    """An index built by the previous code has no catalog file: the first reader builds it."""
    assert indexer.ingest([str(folder)]).ok
    catalog_path(settings).unlink()
    rep = indexer.ingest([str(folder)])
    assert rep.counts() == {"unchanged": 4}
    assert Catalog(catalog_path(settings)).stamp() == Store(settings).generation()
    in_step(settings)


def test_a_crashed_run_is_never_read_from_the_catalog(indexer, settings, folder):
    assert indexer.ingest([str(folder)]).ok
    st = Store(settings)
    src = indexer.store().get_sources(["story-2"])["story-2"]
    # A run that dies after marking a source `writing` and before it publishes:
    from ingest.loaders import load_file

    edited = load_file(folder / "story-2.md")
    edited.text += " The plant will stay open."
    st.begin_journal("ingest")
    st.mark_sources([(edited, 3)], "writing")
    reader = Store(settings)
    assert reader.source_records()["story-2"].state == "writing"  # Chroma's truth, not the catalog's
    assert reader.get_sources(["story-2"])["story-2"].text == edited.text
    assert src.text != edited.text
    rep = indexer.ingest([str(folder)])  # the next run finishes it; the catalog is in step again
    assert rep.ok and rep.counts().get("updated") == 1
    in_step(settings)


def test_a_reader_rebuild_never_lands_over_a_writer(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite3")
    rec = SourceRecord("a", title="A", sha256="x")
    assert cat.write("g1", [rec], {"a": "text"})
    epoch = cat.epoch()  # a reader starts rebuilding...
    cat.invalidate()  # ...a writer begins
    assert not cat.write("g1", [rec], {"a": "text"}, epoch) and cat.stamp() == ""
    assert cat.write("g2", [rec], {}) and cat.stamp() == "g2"  # the text of sha x is kept
    assert cat.get(["a"])["a"].text == "text"
    assert not cat.write("g3", [SourceRecord("a", sha256="y")], {}) and cat.stamp() == ""  # text missing


def test_a_folder_without_a_catalog_keeps_records_in_memory(indexer, settings, folder, monkeypatch):
    assert indexer.ingest([str(folder)]).ok
    monkeypatch.setattr("ingest.catalogsync.catalog_path", lambda s, f="chroma": Path("/proc/no-such/c.sqlite3"))
    st = Store(settings)
    reads = Reads(st, monkeypatch)
    st.generation()
    want = chroma_records(Store(settings))
    for _ in range(3):
        assert st.source_records() == want
        assert st.get_sources(["story-1"])["story-1"].text
    assert reads.full == 1  # read once for this generation, then from memory


def test_server_mode_keeps_each_client_in_step(chroma_server, tmp_path, embedder, folder):
    from ingest.pipeline import Indexer
    from tests.test_server_mode import server_settings

    a = server_settings(chroma_server, tmp_path / "a")
    b = a.model_copy(update={"data_dir": tmp_path / "b"})  # another host, its own catalog file
    assert Indexer(a, embedder=embedder).ingest([str(folder)]).ok
    assert catalog_path(a).exists() and "@" in catalog_path(a).name
    assert len(in_step(b).source_records()) == 4
    (folder / "story-5.md").write_text(ARTICLE.format(title="Story number 5", month=5, i=5, n=500))
    assert Indexer(a, embedder=embedder).ingest([str(folder)]).ok
    assert "story-5" in in_step(b).source_records()  # b's catalog was stale: rebuilt


def test_metadata_lookups_match_a_scan_of_every_record():
    """bot.metadata's per-generation Directory picks exactly the sources a scan of every record
    picked (the code before it, kept here as the reference), ties and order included."""
    import random
    import re

    from bot import metadata as md
    from ingest.terms import content_terms, name_tokens

    def scan_targets(q, recs):
        named = [sid for sid, r in recs.items() if r.byline and any(
            n.lower() in r.byline.lower() for n in name_tokens(q, initial=True) if len(n) > 2)]
        if named:
            return named[:5]
        if len(recs) == 1:
            return list(recs)
        qt = set(content_terms(q)) - md._GENERIC
        ranked = sorted(recs, key=lambda s: -len(qt & set(content_terms(recs[s].title))))
        return ranked[:1] if ranked and qt & set(content_terms(recs[ranked[0]].title)) else ranked[:5]

    def scan_names(q, recs):
        if not re.match(r"\s*who\s+(?:is|was)\b", q, re.I):
            return False
        names = [n.lower() for n in name_tokens(q, initial=True) if len(n) > 2]
        return bool(names) and any(r.byline and all(n in r.byline.lower() for n in names) for r in recs.values())

    rnd = random.Random(5)
    words = ["plant", "strike", "Denver", "bank", "merger", "court", "river", "election", "budget", "storm"]
    people = ["Ann Lee", "Bo Park", "Cy Young", "Dee Moss", ""]
    for n in (1, 2, 7, 60):
        recs = {f"s{i:03d}": SourceRecord(f"s{i:03d}", title=" ".join(rnd.sample(words, 3)),
                                          byline=rnd.choice(people)) for i in rnd.sample(range(n * 3), n)}
        d = md.Directory(recs)
        for _ in range(40):
            q = rnd.choice(["Who wrote the {} {} story?", "Who is {} {}?", "When was the {} {} piece published?"]
                           ).format(*rnd.sample(words + ["Ann", "Lee", "Moss", "Young"], 2))
            assert md._targets(q, d, None) == scan_targets(q, recs), q
            assert md._names_a_byline(q, d) == scan_names(q, recs), q


def test_an_unchanged_database_file_answers_for_the_generation(indexer, settings, folder, monkeypatch):
    """While the embedded database file is unchanged (and was quiet before the last read), the
    generation is known without a read; any write — another process's re-index — is seen."""
    import time

    import ingest.catalogsync as cs

    assert indexer.ingest([str(folder)]).ok
    monkeypatch.setattr(cs, "RACY_NS", 0)  # instead of waiting two seconds for the file to be quiet
    reader = Store(settings)
    first = reader.generation()
    calls = []
    col, real = reader.sources_col, reader.sources_col.get
    monkeypatch.setattr(col, "get", lambda *a, **k: calls.append(k.get("ids")) or real(*a, **k))
    assert reader.generation() == first and reader.generation() == first and calls == []
    time.sleep(0.05)  # past the filesystem clock's tick
    (folder / "story-7.md").write_text(ARTICLE.format(title="Story number 7", month=7, i=7, n=700))
    assert indexer.ingest([str(folder)]).ok  # another writer
    assert reader.generation() != first and calls  # seen on the next question
    assert "story-7" in reader.source_records()


def test_an_index_built_by_the_previous_code_gets_a_catalog_and_file_stats(tmp_path, embedder, folder, monkeypatch):
    """An index the code before the catalog built (64b318f: no catalog file, fingerprints without
    stats) opens as it is: the first reader builds the catalog from Chroma, the first re-ingest
    reads every file once and records its stat, the next reads none, and an edit is still found."""
    import os
    import time

    import ingest.plan as plan_mod
    from ingest.pipeline import Indexer
    from ingest.settings import Settings
    from tests.oldtree import ingest_with, tree_at

    old = tree_at("64b318f", tmp_path / "previous")
    hour_ago = time.time_ns() - 3600 * 10**9
    for f in folder.iterdir():
        os.utime(f, ns=(hour_ago, hour_ago))
    data = tmp_path / "olddata"
    ingest_with(old, folder, data)
    s = Settings(_env_file=None, data_dir=data)
    assert not catalog_path(s).exists()
    in_step(s)  # the first reader builds it
    assert Catalog(catalog_path(s)).stamp() == Store(s).generation()
    reads: list[str] = []
    real = plan_mod.read_file
    monkeypatch.setattr(plan_mod, "read_file", lambda p, root=None: reads.append(p.name) or real(p, root))
    ix = Indexer(s, embedder=embedder)
    assert set(ix.ingest([str(folder)]).counts()) == {"unchanged"} and len(reads) == 4
    reads.clear()
    assert set(ix.ingest([str(folder)]).counts()) == {"unchanged"} and reads == []
    (folder / "story-4.md").write_text(ARTICLE.format(title="Story number 4", month=4, i=4, n=444))
    assert ix.ingest([str(folder)]).counts() == {"unchanged": 3, "updated": 1} and reads == ["story-4.md"]
    in_step(s)


def test_after_a_rebuild_swap_the_catalog_describes_the_new_index(indexer, settings, folder):
    from ingest.loaders import load_file

    assert indexer.ingest([str(folder)]).ok
    old_gen = Store(settings).generation()
    (folder / "story-1.md").write_text(ARTICLE.format(title="Story number 1", month=1, i=1, n=111))
    assert indexer.ingest([str(folder)], rebuild=True).ok
    st = in_step(settings)
    assert st.generation() != old_gen and Catalog(catalog_path(settings)).stamp() == st.generation()
    assert st.get_sources(["story-1"])["story-1"].text == load_file(folder / "story-1.md").text
