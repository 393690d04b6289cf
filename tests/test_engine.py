"""The answer engine: verbatim citations, calibrated abstention, follow-ups, and the eval bar."""

from __future__ import annotations

import json

import pytest

from bot.conversation import Conversation
from bot.engine import QuestionError
from bot.evaluate import run_eval
from conftest import ARTICLE, ROOT


def test_citations_are_exact_and_verbatim(seed_engine):
    raw = ARTICLE.read_text(encoding="utf-8")
    st = seed_engine.store()
    for q in ("Who developed the police app?", "What is IJOP?", "Did the police app use Megvii's face matching?"):
        ans = seed_engine.ask(q)
        assert ans.answered and ans.citations
        for c in ans.citations:
            text = st.get_sources([c.source])[c.source].text
            assert text[c.start:c.end] == c.text
            assert c.text in raw
            assert f"[{c.n}]" in ans.answer
        assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))


def test_answer_json_contract(seed_engine):
    d = seed_engine.ask("Who developed the police app?").to_json()
    assert set(d) >= {"question", "answered", "answer", "citations"}
    c = d["citations"][0]
    assert set(c) >= {"n", "source", "title", "published", "url", "sentence", "start", "end", "text", "score",
                      "correction"}
    assert c["published"] == "2019-06" and c["title"].startswith("Rights Group Corrects")


@pytest.mark.parametrize("q", ["What is the capital of France?", "Who is the CEO of Megvii?",
                               "How many Uighurs live in Xinjiang?"])
def test_abstains_plainly(seed_engine, q):
    ans = seed_engine.ask(q)
    assert not ans.answered
    assert "don't say" in ans.answer


def test_follow_up_uses_the_conversation(seed_engine):
    conv = Conversation()
    first = seed_engine.ask("Who developed the police app?", conv)
    conv.add("Who developed the police app?", first, first.standalone)
    ans = seed_engine.ask("How much revenue does it have?", conv)
    assert ans.answered and any("$30 billion in revenue" in c.text for c in ans.citations)


def test_byline_question_answered_from_metadata(seed_engine):
    ans = seed_engine.ask("Who wrote this article?")
    assert ans.answered and ans.citations[0].field == "byline"
    assert "Blake Schmidt" in ans.citations[0].text and "Blake Schmidt" in ans.answer


@pytest.mark.parametrize("q,msg", [("", "empty"), ("   ", "empty"), ("?!", "no words"), ("x" * 10_000, "too long")])
def test_bad_questions_get_clear_errors(seed_engine, q, msg):
    with pytest.raises(QuestionError, match=msg):
        seed_engine.ask(q)


def test_eval_set_meets_the_bar(settings, embedder):
    """The article set under the fitted scorer. The hand-set rules it replaced scored hit 0.971 and
    abstention 1.0 here (they were tuned on this set); the fitted scorer measures hit 0.771,
    precision 0.771, abstention 0.5, false abstention 0.0 (first and second round alike) — README "Answer selection" says which
    questions got worse and why. These floors hold today's fitted figures."""
    r = run_eval(settings, embedder, ROOT / "data" / "eval" / "questions.jsonl")
    assert r["questions"] >= 30
    assert r["verbatim_rate"] == 1.0
    assert r["sentence_precision"] >= 0.75
    assert r["abstention"] >= 0.5
    assert r["false_abstention"] <= 0.05
    assert r["hit_rate"] >= HIT_FLOOR
    assert r["flag_recall"] == 1.0 and r["false_flags"] == 0 and r["correction_leads"] == 1.0
    assert r["index_flag_recall"] == 1.0 and r["index_false_flags"] == 0


@pytest.mark.parametrize("name", ["multisource", "later", "heldout", "fresh"])
def test_multi_source_evals_flag_exactly_the_expected_claims(settings, embedder, name):
    r = run_eval(settings, embedder, ROOT / "data" / "eval" / f"{name}.jsonl")
    assert r["index_flag_recall"] == 1.0 and r["index_false_flags"] == 0, r["index_false_flag_claims"]
    # flag_recall is None when no answer happened to cite a flagged claim (fresh); every cited one is flagged.
    assert r["flag_recall"] in (1.0, None) and r["false_flags"] == 0 and r["correction_leads"] in (1.0, None)
    assert r["verbatim_rate"] == 1.0 and r["hit_rate"] >= 0.85


HIT_FLOOR = 0.77


@pytest.mark.parametrize("q,field,want", [
    ("Who is Blake Schmidt?", "byline", "Blake Schmidt in Hong Kong"),
    ("Who edited the story?", "editors", "Daniel Ten Kate"),
    ("When was this article published?", "published", "2019-06"),
    ("Which outlet published the story?", "publisher", "Bloomberg"),
])
def test_questions_about_the_source_are_answered_from_its_metadata(seed_engine, q, field, want):
    ans = seed_engine.ask(q)
    assert ans.answered and ans.citations[0].field == field and want in ans.citations[0].text
    assert ans.citations[0].text in ARTICLE.read_text(encoding="utf-8")


def test_a_question_about_the_report_is_not_a_metadata_question(seed_engine):
    ans = seed_engine.ask("When was the Human Rights Watch report published?")
    assert all(c.field is None for c in ans.citations)


CLOSED = """---
id: bridge-closed
title: City closes Elm Street bridge
publisher: Gazette (fictional)
published: 2024-03-02
---
Inspectors found cracks in two support beams of the Elm Street bridge on Friday.
The bridge will remain closed until repairs are finished, the transport department said.
"""
REOPENED = """---
id: bridge-reopened
title: Elm Street bridge reopens
publisher: Gazette (fictional)
published: 2024-05-10
---
The Elm Street bridge reopened on Thursday after two months of repairs.
"""


def test_eval_counts_a_cited_flag_the_header_expects_as_no_false_flag(settings, embedder, tmp_path):
    """The set's header lists the claims that must be flagged; an answer citing one of them with
    its flag was counted a "false flag" (only questions' own `flag` phrases were accepted), so a
    set whose flags were all right reported false flags and failures."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "closed.md").write_text(CLOSED)
    (src / "reopened.md").write_text(REOPENED)
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"sources": str(src), "flags": {"superseded": ["will remain closed until repairs"]}},
        {"question": "Is the Elm Street bridge still closed?", "answerable": True, "expect": ["reopened on Thursday"]},
    ]) + "\n")
    r = run_eval(settings, embedder, path)
    assert r["index_flag_recall"] == 1.0 and r["index_false_flags"] == 0
    assert r["false_flags"] == 0, r["failures"]
