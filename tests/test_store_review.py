"""A second reading of issue 15's storage change (sentence texts as metadata, searches by substring
over copies of the texts: ingest/textscan.py), each test showing a fault that change let through.

- A warm bot whose copy of the rows is not ready yet (filling after start or after a re-index) read
  every sentence's text again for each search by name — several whole-index reads per question.
- Over a Chroma server, where no mirror is kept, a one-shot reader and every ingest read every
  sentence row to answer a search by name: the server's own full-text search was no longer
  usable, because the texts were no longer documents.
- tests/test_ingest.py's snapshot of the index compared documents, which new rows no longer have:
  "a re-ingest leaves every sentence as it was" stopped looking at the texts.
- A reader holding the texts of a generation returned, for a name, a row another process had
  rewritten since (before it published): a row whose text no longer held the name.
- `benchmarks.edit --dump`, which compares two trees' indexes, saw the two shapes of a row as
  different sentences.
"""

from __future__ import annotations

import shutil

import pytest

from ingest.records import TEXT_KEY, stored_text
from ingest.terms import name_tokens
from tests.chroma_server import chroma_server  # noqa: F401  (fixture)
from tests.test_coldstore import MULTI


def _rows(store) -> list[tuple[str, str]]:
    rec = store.sentences.get(include=["metadatas", "documents"])
    return [(i, t) for i, d, m in zip(rec["ids"], rec["documents"], rec["metadatas"])
            if (t := stored_text(d, m)) is not None]


def _needles(rows: list[tuple[str, str]]) -> list[str]:
    names = sorted({t for _, x in rows for t in name_tokens(x, initial=True)})
    return names[::4] + ["the", "The", "no such words anywhere"]


def _brute(rows: list[tuple[str, str]], needle: str, limit: int) -> list[str]:
    return [i for i, t in rows if needle in t][:limit]


def _count_full_reads(monkeypatch, store_cls) -> list[int]:
    """Rows returned by whole-index passes over the sentences (`Store.sentence_pages`)."""
    seen: list[int] = []
    real = store_cls.sentence_pages

    def pages(self, include, page=0):
        for rec in real(self, include, page):
            seen.append(len(rec["ids"]))
            yield rec
    monkeypatch.setattr(store_cls, "sentence_pages", pages)
    return seen


def test_a_warm_store_whose_rows_are_not_ready_reads_the_texts_once_per_generation(tmp_path, settings, indexer,
                                                                                   monkeypatch):
    import ingest.store as store_module
    from ingest.rowcache import SentenceRows
    from ingest.store import Store

    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    assert indexer.ingest([str(folder)]).ok
    st = Store(settings, fresh=True)
    st.rows = SentenceRows()  # attached, its fill not finished: a bot just started or re-indexed
    assert st.rows.text_index() is None
    reads: list[str] = []
    for name in ("from_mirror", "from_chroma"):
        real = getattr(store_module, name)
        monkeypatch.setattr(store_module, name, lambda s, _r=real, _n=name: (reads.append(_n), _r(s))[1])
    rows = _rows(st)
    needles = _needles(rows)
    for needle in needles:  # what one question's lexical needles, and the next questions', ask
        assert [r.id for r in st.containing(needle, 7)] == _brute(rows, needle, 7), needle
    assert len(reads) == 1, reads  # one copy of the texts for the generation, not one per search


def test_over_a_chroma_server_searches_by_text_read_no_whole_index(chroma_server, tmp_path, embedder, monkeypatch):
    from ingest.pipeline import Indexer
    from ingest.store import Store
    from tests.test_server_mode import server_settings

    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    s = server_settings(chroma_server, tmp_path)
    assert Indexer(s, embedder=embedder).ingest([str(folder)]).ok
    rows = _rows(Store(s))
    assert len(rows) > 10
    full = _count_full_reads(monkeypatch, Store)
    one_shot = Store(s, fresh=True)  # `factdesk ask` over a server: one process, one question
    for needle in _needles(rows):
        got = one_shot.containing(needle, 7)
        assert [r.id for r in got] == _brute(rows, needle, 7), needle
        assert all(needle in r.text and r.vector is not None for r in got)
    assert sum(full) == 0, f"a search by text read {sum(full)} rows"
    # An edit relinks by the names it holds: the server finds them, nothing reads every row.
    edited = next(p for p in sorted(folder.iterdir()) if p.suffix in (".md", ".txt"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nLater, Megvii said the report was withdrawn.\n",
                      encoding="utf-8")
    # A row written with its text as metadata (main between 1113542 and this fix): the rewrite must
    # not leave that key behind, or it would shadow the document (`stored_text` prefers it).
    st = Store(s)
    first = st.sentences.get(where={"source": edited.stem.split("-", 1)[1]}, limit=1, include=[])["ids"] or \
        st.sentences.get(limit=1, include=[])["ids"]
    st.sentences.update(ids=first, metadatas=[{TEXT_KEY: "A stale text."}])
    rep = Indexer(s, embedder=embedder).ingest([str(folder)])
    assert rep.ok and "updated" in rep.counts(), rep.counts()
    assert sum(full) == 0, f"an edit read {sum(full)} rows"
    after = _rows(Store(s, fresh=True))
    assert "A stale text." not in dict(after).values()
    for needle in ["Megvii", "withdrawn", "the"]:
        assert [r.id for r in Store(s, fresh=True).containing(needle, 50)] == _brute(after, needle, 50)


def test_the_ingest_snapshot_sees_a_changed_sentence_text(settings, indexer):
    from ingest.store import Store
    from tests.test_ingest import _snapshot

    from tests.conftest import SOURCES

    assert indexer.ingest([str(SOURCES)]).ok
    st = Store(settings, fresh=True)
    before = _snapshot(st)
    sid = st.sentences.get(limit=1, include=[])["ids"][0]
    st.sentences.update(ids=[sid], metadatas=[{TEXT_KEY: "A text nobody wrote."}])
    assert stored_text(None, st.sentences.get(ids=[sid], include=["metadatas"])["metadatas"][0]) == "A text nobody wrote."
    assert _snapshot(Store(settings, fresh=True)) != before


def test_a_row_rewritten_since_its_text_was_read_is_not_returned_for_words_it_lost(tmp_path, settings, indexer):
    """A reader keeps the texts for a generation; another process's run rewrites rows before it
    publishes the next one. Chroma's `$contains` never returned a row whose text lacks the needle."""
    from ingest.store import Store

    folder = tmp_path / "src"
    shutil.copytree(MULTI, folder)
    assert indexer.ingest([str(folder)]).ok
    reader = Store(settings, fresh=True)
    rows = _rows(reader)
    needle = next(n for n in _needles(rows) if len(_brute(rows, n, 50)) >= 2)
    sid = _brute(rows, needle, 50)[0]
    assert sid in [r.id for r in reader.containing(needle, 50)]  # the reader now holds the texts
    writer = Store(settings, fresh=True)  # mid-run: the generation is published at the end
    writer.sentences.update(ids=[sid], metadatas=[{TEXT_KEY: "A sentence rewritten by an edit."}])
    got = reader.containing(needle, 50)
    assert got and all(needle in r.text for r in got), [(r.id, r.text) for r in got if needle not in r.text]


def test_the_edit_benchmarks_dump_is_the_same_for_either_shape_of_a_row(settings, indexer):
    """`python -m benchmarks.edit --dump` compares what two trees' indexes hold: a tree that writes
    texts as documents (3cbe65d) and one that writes them as metadata hold the same sentences."""
    from benchmarks.edit import dump
    from ingest.store import Store
    from tests.conftest import SOURCES

    assert indexer.ingest([str(SOURCES)]).ok
    new = dump(settings.data_dir)
    st = Store(settings, fresh=True)
    rec = st.sentences.get(include=["metadatas", "embeddings"])
    st.sentences.update(ids=rec["ids"], documents=[m[TEXT_KEY] for m in rec["metadatas"]], embeddings=rec["embeddings"],
                        metadatas=[{TEXT_KEY: None} for _ in rec["ids"]])  # the rows as the code before wrote them
    rec = st.sentences.get(include=["metadatas", "documents"])
    assert all(TEXT_KEY not in m and d for d, m in zip(rec["documents"], rec["metadatas"]))
    assert dump(settings.data_dir)["sentences_digest"] == new["sentences_digest"]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([__file__, "-q"]))
