"""One edited source costs what it changes (issue 15): the incremental paths of a re-ingest give
exactly what the full ones give — the folder listing (`ingest.listing`) the files `rglob` listed,
in the same order; the catalog's publish (`Catalog.update`) the rows a full rewrite writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.catalog import Catalog, catalog_path
from ingest.listing import SUFFIXES, iter_files
from ingest.records import SourceRecord
from tests.test_catalog import ARTICLE, folder, in_step  # noqa: F401  (fixture)


def rglob_listing(folder: Path) -> list[Path]:
    """The listing as it was (`sorted(rglob)` and a stat of each file), the reference."""
    return [p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix.lower() in SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and p.name.lower() not in {"readme.md", "readme.txt"}]


def test_the_listing_is_the_sorted_rglob_listing(tmp_path, monkeypatch):
    root = tmp_path / "archive"
    for rel in ("a.md", "a-c.md", "a/b.md", "a/z/deep.TXT", "a-b/x.html", "B.md", "b.htm", "..md", "x.", "note.pdf",
                ".hidden.md", ".git/config.md", "sub/.secret/s.md", "README.md", "sub/readme.txt", "sub/Readme.MD",
                "ß.md", "é/1.md", "e/1.markdown", "sp ace.text", "no_suffix"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "o.md").write_text("x")
    os.symlink(outside, root / "linked-dir")  # a symlinked folder is not entered
    os.symlink(root / "a.md", root / "alias.md")  # a symlink to a file is listed
    os.symlink(root / "gone.md", root / "broken.md")  # a broken one is not
    (root / "dir.md").mkdir()  # a folder named like a file is entered, not listed
    (root / "dir.md" / "in.md").write_text("x")
    want = rglob_listing(root)
    assert list(iter_files(root)) == want
    assert root / "alias.md" in want and root / "a-c.md" in want and root / "a" / "b.md" in want
    # relative folders give the same relative paths
    monkeypatch.chdir(tmp_path)
    assert list(iter_files(Path("archive"))) == rglob_listing(Path("archive"))


def _rec(sid: str, sha: str, title: str = "") -> SourceRecord:
    return SourceRecord(sid, title=title or sid.upper(), sha256=sha, state="complete", sentences=3,
                        corrects=[{"source": "a"}] if sid == "d" else [])


def test_a_catalog_update_equals_a_full_rewrite(tmp_path):
    before = {s: _rec(s, f"{s}1") for s in "abcd"}
    texts = {s: f"text of {s}" for s in before}
    cat = Catalog(tmp_path / "inc.sqlite3")
    assert cat.write("g1", before.values(), texts)
    epoch, was = cat.invalidate()
    assert was == "g1" and cat.stamp() == ""
    # a run: b edited, c removed, d removed and added again (to the end, as in the index), e added
    after = dict(before)
    after["b"] = _rec("b", "b2", "B edited")
    del after["c"], after["d"]
    after["e"] = _rec("e", "e1")
    after["d"] = _rec("d", "d2")
    written = {"b": "new text of b", "e": "text of e", "d": "text of d, again"}
    assert cat.update("g2", after, ["b", "c", "d", "e"], {"c", "d"}, written, epoch)
    full = Catalog(tmp_path / "full.sqlite3")
    assert full.write("g2", after.values(), {**texts, **written})
    assert cat.stamp() == full.stamp() == "g2"
    assert list(cat.records()) == list(full.records()) == ["a", "b", "e", "d"]
    assert cat.records() == full.records()
    assert cat.get(list(after)) == full.get(list(after))
    assert cat.missing_texts(after) == []


def test_a_catalog_update_refuses_a_catalog_it_did_not_start_from(tmp_path):
    before = {s: _rec(s, f"{s}1") for s in "ab"}
    cat = Catalog(tmp_path / "c.sqlite3")
    assert cat.write("g1", before.values(), {s: s for s in before})
    epoch, _ = cat.invalidate()
    after = {**before, "b": _rec("b", "b2")}
    assert not cat.update("g2", after, ["b"], set(), {"b": "B"}, epoch - 1)  # another writer's epoch
    assert not cat.update("g2", {**after, "z": _rec("z", "z1")}, ["b"], set(), {"b": "B"}, epoch)  # a row it never had
    assert cat.stamp() == "" and cat.records() == before  # nothing changed
    assert not cat.update("g2", after, ["b"], set(), {}, epoch)  # b's new text unknown: written, not trusted
    assert cat.stamp() == "" and cat.epoch() == epoch + 1


def test_a_re_ingest_publishes_only_the_changed_rows_and_equals_chroma(indexer, settings, folder, monkeypatch):
    assert indexer.ingest([str(folder)]).ok
    calls: list[str] = []
    real_update, real_write = Catalog.update, Catalog.write

    def update(self, *a, **k):  # type: ignore[no-untyped-def]
        ok = real_update(self, *a, **k)
        calls.append(f"update:{ok}")
        return ok

    def write(self, *a, **k):  # type: ignore[no-untyped-def]
        calls.append("write")
        return real_write(self, *a, **k)

    monkeypatch.setattr(Catalog, "update", update)
    monkeypatch.setattr(Catalog, "write", write)
    (folder / "story-2.md").write_text(ARTICLE.format(title="Story number 2", month=2, i=2, n=250))
    (folder / "story-3.md").unlink()
    (folder / "story-9.md").write_text(ARTICLE.format(title="Story number 9", month=9, i=9, n=900))
    rep = indexer.ingest([str(folder)], prune=True)
    assert rep.counts() == {"unchanged": 2, "updated": 1, "added": 1, "removed": 1}
    assert calls == ["update:True"]
    in_step(settings)  # a fresh reader's catalog equals Chroma, in Chroma's order, texts included
    calls.clear()
    assert indexer.remove(["story-1"]).ok
    assert calls == ["update:True"]
    in_step(settings)
    # after a crashed run the catalog cannot be trusted: the next run rewrites it whole
    from ingest.store import Store

    Store(settings).begin_journal("ingest")  # a run that never finished
    calls.clear()
    (folder / "story-4.md").write_text(ARTICLE.format(title="Story number 4", month=4, i=4, n=444))
    assert indexer.ingest([str(folder)]).ok
    assert calls == ["write"]
    in_step(settings)


def _row(r) -> tuple:  # type: ignore[no-untyped-def]
    return (r.id, r.text, r.source, r.index, r.start, r.end, r.published, r.sha, r.cue, r.distance,
            None if r.vector is None else r.vector.tobytes())


def test_run_searches_give_the_rows_the_store_gives(indexer, tmp_path, monkeypatch):
    from benchmarks.corpus import COMPANIES, PLACES, change_one, generate
    from ingest import searches
    from ingest.corrections.signals import CORRECTOR_CUES
    from ingest.records import split_sentence_id
    from tests.test_relink_incremental import _edit_in_the_middle

    corpus = generate(tmp_path / "corpus", 400)
    assert indexer.ingest([str(corpus.folder)]).ok
    # Chroma's order is not the files' order any more: rows rewritten in place, new ones at the end, some gone
    change_one(corpus.files[3])
    _edit_in_the_middle(corpus.files[5])
    corpus.files[7].unlink()
    assert indexer.ingest([str(corpus.folder)], prune=True).ok
    store = indexer.store()
    cue_where = {"cue": {"$in": list(CORRECTOR_CUES)}}
    names = [w for c in COMPANIES[:6] + PLACES[:4] for w in c.split()] + ["earlier", "EU", "zzz-none"]
    rows = store.where_sentences({"source": {"$in": [f.stem for f in corpus.files[:6]]}}, with_vectors=True)
    assert len(rows) > 20
    for max_ids in (30_000, 1):  # 1: as past SQLite's bound-parameter limit (the filter, as before)
        monkeypatch.setattr(searches, "MAX_IDS", max_ids)
        search = searches.RunSearches(store, cue_where)
        for name in names:
            for limit in (3, 40):
                for where in (None, cue_where):  # a name's matches in sentence-id order, not Chroma's
                    every = sorted(store.containing(name, 10**6, where=where), key=lambda r: split_sentence_id(r.id))
                    want = [_row(r) for r in every[:limit]]
                    assert [_row(r) for r in search.containing(name, limit, where=where)] == want, (name, limit, where)
                where = {"source": corpus.files[3].stem}  # any other filter: the store's own answer
                want = [_row(r) for r in store.containing(name, limit, where=where)]
                assert [_row(r) for r in search.containing(name, limit, where=where)] == want, (name, limit, where)
        assert any(search.containing(n, 40, where=cue_where) for n in names)
        for r in rows[::2]:  # the store's nearest (asked for all: exact here) ranked by exact cosine, ties by id
            # (without Chroma's distance: the run's search is exact over the mirror's vectors, and
            # relinking never reads a row's distance)
            want = [_row(x)[:9] for x in searches.rank(r.vector, store.query(r.vector, 1000, where=cue_where), 10)]
            assert want and [_row(x)[:9] for x in search.query(r.vector, 10, where=cue_where)] == want
            want = [_row(x)[:9] for x in searches.rank(r.vector, store.query(r.vector, 1000), 5)]
            assert [_row(x)[:9] for x in search.query(r.vector, 5)] == want
    # By meaning over every sentence: through Chroma (the run holds a few rows), and exact when it holds them all.
    everything = store.where_sentences({"source": {"$in": sorted(store.source_records())}}, with_vectors=True)
    want = {r.id: [x.id for x in searches.rank(r.vector, store.query(r.vector, 1000), 8)] for r in rows[:12]}
    for held in (rows, everything):
        search = searches.RunSearches(store, cue_where)
        search.hold(held)
        assert search.holds_all() == (held is everything)
        assert {k: [x.id for x in v] for k, v in search.nearest(rows[:12], 8).items()} == want
