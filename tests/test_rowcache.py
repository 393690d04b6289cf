"""A warm bot's copy of the sentence rows (ingest/rowcache.py, `Engine.keep_warm`): answers and
reads are exactly those of an engine reading Chroma, and a re-index replaces the copy. Real Chroma
and the real model; no timing asserted."""

from __future__ import annotations

import json
import random

from bot.engine import Engine
from ingest.store import Store

from tests.chroma_server import chroma_server  # noqa: F401  (fixture)
from tests.conftest import ROOT, SOURCES

QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "data/eval/questions.jsonl").read_text().splitlines()
             if '"question"' in line][:12]


def _answers(engine: Engine, questions: list[str]) -> list[str]:
    return [json.dumps(engine.ask(q).to_json(), sort_keys=True) for q in questions]


def test_warm_engine_answers_exactly_as_a_cold_one(settings, embedder, indexer):
    assert indexer.ingest([str(SOURCES)]).ok
    cold = Engine(settings, embedder=embedder)
    warm = Engine(settings, embedder=embedder)
    warm.keep_warm(wait=True)
    assert warm.rows is not None and warm.rows.ready and len(warm.rows) == warm.index_size()
    queried: list[list[str]] = []
    real = warm.store().sentences.query

    def spy(*a, **k):  # the warm query asks Chroma for no text or metadata
        queried.append(list(k["include"]))
        return real(*a, **k)

    warm.store().sentences.query = spy  # type: ignore[method-assign]
    assert _answers(warm, QUESTIONS) == _answers(cold, QUESTIONS)
    assert queried and all(inc == ["distances", "embeddings"] for inc in queried)


def test_reads_by_id_come_back_in_chromas_order_with_unknown_ids_left_out(settings, embedder, indexer):
    assert indexer.ingest([str(SOURCES)]).ok
    plain = Store(settings)
    warm = Engine(settings, embedder=embedder)
    warm.keep_warm(wait=True)
    st = warm.store()
    ids = plain.sentences.get(include=[])["ids"]
    rnd = random.Random(3)
    for _ in range(20):
        want = rnd.sample(ids, min(len(ids), rnd.randint(1, 12))) + ["no-such-source#0", ids[0].split("#")[0] + "#9999"]
        rnd.shuffle(want)
        got, ref = st.get_sentences(want), plain.get_sentences(want)
        assert list(got) == list(ref) and got == ref
    links = plain.every_link()
    assert links  # the bundled article's withdrawn claim
    want = [lk.id for lk in links][::-1] + [lk.claim for lk in links] + ["no-such#1"]
    assert st.links_by_ids(want) == plain.links_by_ids(want)
    assert list(st.links_for_claims(want).items()) == list(plain.links_for_claims(want).items())
    # A row the vector search finds that the copy lacks (written after the fill) is read from Chroma.
    vec = embedder.embed_one(QUESTIONS[0])
    before = [(r.id, r.text, r.distance) for r in st.query(vec, 10)]
    held = warm.rows._held[0]  # type: ignore[union-attr,index]
    held.pop(before[0][0])
    assert [(r.id, r.text, r.distance) for r in st.query(vec, 10)] == before
    assert [(r.id, r.text, r.distance) for r in plain.query(vec, 10)] == before


def test_a_reindex_replaces_the_copy(settings, embedder, indexer, tmp_path):
    assert indexer.ingest([str(SOURCES)]).ok
    warm = Engine(settings, embedder=embedder)
    warm.keep_warm(wait=True)
    n_before = len(warm.rows)  # type: ignore[arg-type]
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "harbour.txt").write_text(
        "Title: Harbour dredging halted\nPublished: 2024-03-02\n\n"
        "The port authority of Kestrel Bay halted dredging of the harbour on Friday. "
        "Officials said the dredging had disturbed a protected seagrass meadow.\n")
    assert indexer.ingest([str(extra)]).ok
    question = "Why did the Kestrel Bay port authority halt dredging?"
    warm.ask(question)  # sees the new generation: a new copy is being read
    assert warm.rows.wait()  # type: ignore[union-attr]
    assert len(warm.rows) == Store(settings).count() > n_before  # type: ignore[arg-type]
    cold = Engine(settings, embedder=embedder)
    assert _answers(warm, [question, QUESTIONS[0]]) == _answers(cold, [question, QUESTIONS[0]])
    assert "Kestrel Bay" in json.dumps(warm.ask(question).to_json())  # found without a restart


def test_server_mode_keeps_its_copy_in_step_with_another_writer(chroma_server, tmp_path, embedder):
    """Against a real `chroma run`: the warm engine answers as a cold one, and a write through
    another client (a new generation) replaces the copy without a restart."""
    from ingest.pipeline import Indexer
    from tests.test_server_mode import server_settings

    s = server_settings(chroma_server, tmp_path)
    assert Indexer(s, embedder=embedder).ingest([str(SOURCES)]).ok
    warm = Engine(s, embedder=embedder)
    warm.keep_warm(wait=True)
    assert warm.rows is not None and len(warm.rows) == warm.index_size() > 0
    assert _answers(warm, QUESTIONS[:4]) == _answers(Engine(s, embedder=embedder), QUESTIONS[:4])
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "ferry.txt").write_text("Title: Ferry service cut\nPublished: 2024-05-01\n\n"
                                     "The Orla Sound ferry will stop running its night crossings from June.\n")
    assert Indexer(s, embedder=embedder).ingest([str(extra)]).ok
    question = "When will the Orla Sound ferry stop its night crossings?"
    warm.ask(question)
    assert warm.rows.wait() and len(warm.rows) == warm.index_size()
    got = warm.ask(question)
    assert got.answered and "Orla Sound" in json.dumps(got.to_json())
    assert _answers(warm, [question]) == _answers(Engine(s, embedder=embedder), [question])


def test_warm_rows_can_be_turned_off(settings, embedder, indexer):
    assert indexer.ingest([str(SOURCES)]).ok
    eng = Engine(settings.model_copy(update={"warm_rows": False}), embedder=embedder)
    eng.keep_warm(wait=True)
    assert eng.rows is None and eng.store().rows is None
    assert eng.ask(QUESTIONS[0]).question == QUESTIONS[0]
