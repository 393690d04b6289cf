"""The sentence mirror is never trusted when it missed a write, and a broken mirror never fails a
question (ingest/mirror.py, ingest/mirrorfile.py, bot/coldstore.py). Each test failed before its fix."""

import dataclasses
import os
import sqlite3

import pytest

from tests.sources import write_source
from tests.test_coldstore import _ask, _corpus, assert_mirror_is_chroma

Q = ["Did the police app use Megvii's face matching?"]


class Killed(BaseException):
    """A process killed between Chroma's write and the mirror's."""


def test_long_lived_writer_does_not_stamp_a_mirror_another_writer_left_behind(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold
    from ingest.pipeline import Indexer

    folder = _corpus(tmp_path)
    write_source(folder, "dale-extra", "2020-01-02", "The Dale council approved the budget on Monday.",
                 "The budget funds two new schools.")
    assert indexer.ingest([str(folder)]).ok  # A: one Indexer kept across runs (ingest --watch)
    other = Indexer(indexer.settings, embedder=embedder)  # B, killed after Chroma removed a source

    def killed(fn):
        raise Killed()
    other.store().mirror.apply = killed
    (folder / "dale-extra.md").unlink()
    with pytest.raises(Killed):
        other.remove(["dale-extra"])
    assert open_cold(indexer.settings, embedder.identity) is None
    write_source(folder, "dale-new", "2020-02-02", "The Dale mayor opened the library on Friday.")
    assert indexer.ingest([str(folder)]).ok  # A's next run copies the mirror again
    cold = open_cold(indexer.settings, embedder.identity)
    assert cold is not None and cold.source_sentences("dale-extra") == []
    assert_mirror_is_chroma(indexer.settings, embedder)


def test_prefixes_sharing_a_folder_keep_their_vector_files(tmp_path, settings, embedder):
    from bot.coldstore import open_cold
    from ingest.pipeline import Indexer

    b = Indexer(settings.model_copy(update={"collection_prefix": "news-b"}), embedder=embedder)
    a = Indexer(settings.model_copy(update={"collection_prefix": "news"}), embedder=embedder)
    fb = _corpus(tmp_path)
    assert b.ingest([str(fb)]).ok
    fa = tmp_path / "a"
    fa.mkdir()
    write_source(fa, "a-one", "2020-01-01", "The harbour reopened on Tuesday.")
    assert a.ingest([str(fa)]).ok  # a's mirror copied: its sweep must leave news-b's file alone
    assert open_cold(b.settings, embedder.identity) is not None
    write_source(fb, "b-new", "2020-03-03", "The Dale mayor opened the library on Friday.")
    assert b.ingest([str(fb)]).ok
    assert_mirror_is_chroma(b.settings, embedder)
    assert_mirror_is_chroma(a.settings, embedder)


def test_a_missing_vector_file_is_never_recreated_under_old_slots(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold

    folder = _corpus(tmp_path)
    assert indexer.ingest([str(folder)]).ok
    (f,) = list(indexer.settings.data_dir.glob("mirror-*.f32"))
    f.unlink()
    write_source(folder, "b-new", "2020-03-03", "The Dale mayor opened the library on Friday.")
    assert indexer.ingest([str(folder)]).ok  # the append refuses: the mirror is not stamped
    assert open_cold(indexer.settings, embedder.identity) is None
    write_source(folder, "b-newer", "2020-03-04", "The Dale library closed on Sunday.")
    assert indexer.ingest([str(folder)]).ok  # the next writer copies it again
    assert_mirror_is_chroma(indexer.settings, embedder)


def test_an_interrupt_while_the_mirror_repeats_a_write_leaves_it_untrusted(tmp_path, indexer, embedder,
                                                                           monkeypatch):
    from bot.coldstore import open_cold
    from ingest.mirror import Mirror
    from ingest.store import Store

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    links = indexer.store().every_link()
    assert links
    changed = dataclasses.replace(links[0], note="CHANGED BY A WRITE THE MIRROR MISSED")

    def interrupted(db, ids, docs, metas):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(Mirror, "put_links", staticmethod(interrupted))
        with pytest.raises(KeyboardInterrupt):
            with indexer.locked():
                indexer.store().put_links([changed])
    cold = open_cold(indexer.settings, embedder.identity)
    chroma = {lk.id: lk.note for lk in Store(indexer.settings, fresh=True).every_link()}
    assert chroma[changed.id] == changed.note
    assert cold is None or {lk.id: lk.note for lk in cold.every_link()} == chroma
    with indexer.locked():  # the next writer's start copies it again
        pass
    assert_mirror_is_chroma(indexer.settings, embedder)


def test_a_truncated_vector_file_falls_back_to_chroma(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    warm, _ = _ask(indexer.settings.data_dir, Q, FACTDESK_COLD_MIRROR="0")
    (f,) = list(indexer.settings.data_dir.glob("mirror-*.f32"))
    os.truncate(f, f.stat().st_size // 2)
    assert open_cold(indexer.settings, embedder.identity) is None
    ans, imported = _ask(indexer.settings.data_dir, Q)
    assert imported and ans == warm


def test_a_damaged_mirror_page_falls_back_to_chroma(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    warm, _ = _ask(indexer.settings.data_dir, Q, FACTDESK_COLD_MIRROR="0")
    path = indexer.settings.data_dir / f"mirror-{indexer.settings.collection_prefix}.sqlite3"
    indexer._store = None
    import gc
    gc.collect()
    c = sqlite3.connect(path)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for p in range(3, len(data) // page):  # the schema and meta pages kept, the rows' pages smashed
        data[p * page + 8:p * page + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    ans, imported = _ask(indexer.settings.data_dir, Q)  # (open_cold may or may not see the damage)
    assert imported and ans == warm


def test_a_mirror_read_that_fails_mid_question_falls_back_to_chroma(tmp_path, indexer, embedder):
    """Damage open_cold cannot see (it reads meta and one slot): the read's error becomes
    MirrorBroken and the engine answers from Chroma, not from the same mirror again."""
    from bot.coldstore import open_cold

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    warm, _ = _ask(indexer.settings.data_dir, Q, FACTDESK_COLD_MIRROR="0")
    path = indexer.settings.data_dir / f"mirror-{indexer.settings.collection_prefix}.sqlite3"
    c = sqlite3.connect(path)
    c.execute("UPDATE sentences SET meta = '{not json'")
    c.commit()
    c.close()
    assert open_cold(indexer.settings, embedder.identity) is not None
    ans, imported = _ask(indexer.settings.data_dir, Q)
    assert imported and ans == warm


def test_filters_keep_bool_and_number_apart_as_chroma_does():
    from ingest.mirrorfile import where_matches

    assert not where_matches({"x": True}, {"x": 1})
    assert not where_matches({"x": 1}, {"x": {"$in": [True]}})
    assert where_matches({"x": 0}, {"x": {"$ne": False}})
    assert not where_matches({"x": True}, {"x": {"$gte": 1}})
    assert where_matches({"x": True}, {"x": True}) and where_matches({"x": 1}, {"x": {"$in": [1]}})


def test_rows_by_id_come_in_the_stores_order(tmp_path, indexer, embedder):
    from bot.coldstore import open_cold
    from ingest.store import Store

    assert indexer.ingest([str(_corpus(tmp_path))]).ok
    ids = Store(indexer.settings, fresh=True).sentences.get(include=[])["ids"]
    cold = open_cold(indexer.settings, embedder.identity)
    assert list(cold.get_sentences(list(reversed(ids)))) == ids
