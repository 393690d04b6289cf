"""The LLM composer's checks, driven by LangChain's own fake chat models over the seed index.

Why these tests: the LLM is untrusted. Every rule the extractive answer keeps (exact quotes, no
invented citation, no correction dropped, abstain when the sources don't say) must survive
whatever the model writes, and a failure must leave the user with the extractive answer.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from bot.answer import Citation
from bot.compose import ExtractiveComposer
from bot.composer import LLMComposer
from bot.support import split_statements, verify
from bot.conversation import Conversation
from bot.engine import Engine
from bot.llm import LLMError, make_chat_model, parse_spec
from ingest.settings import Settings

Q = "Did Megvii's technology power the Xinjiang police app?"


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def llm_engine(seed_engine: Engine, embedder, model) -> Engine:
    """An engine over the shared seed index with its own composer (the seed engine stays extractive)."""
    return Engine(seed_engine.settings, embedder=embedder, store=seed_engine.store(),
                  composer=LLMComposer(seed_engine.settings, model=model))


def offered(seed_engine: Engine, embedder) -> dict[int, Citation]:
    """The numbered sentences the composer would offer for Q (what a scripted model would see)."""
    seen: dict[str, str] = {}

    class Spy(GenericFakeChatModel):
        def _generate(self, messages, *a, **k):  # type: ignore[override]
            seen["human"] = messages[-1].content
            return super()._generate(messages, *a, **k)

    eng = llm_engine(seed_engine, embedder, Spy(messages=iter([AIMessage(content="x")])))
    base = seed_engine.ask(Q)
    eng.ask(Q)
    import re

    nums = {int(n): t for n, t in re.findall(r'<data-\w+ n="(\d+)"[^>]*>(.*?)</data-', seen["human"])}
    by_text = {c.text: c for c in base.citations}
    return {n: by_text.get(t) or Citation(n, "", "", "", "", None, None, None, t, 0.0) for n, t in nums.items()}


def numbers(seed_engine, embedder) -> tuple[dict[int, Citation], int, list[int]]:
    """(offered sentences, number of the flagged claim, numbers of what corrected it)."""
    given = offered(seed_engine, embedder)
    base = seed_engine.ask(Q)
    claim = next(c for c in base.citations if c.correction)
    fix_texts = {b.text for b in claim.correction.by}
    claim_n = next(n for n, c in given.items() if c.text == claim.text)
    fix_ns = [n for n, c in given.items() if c.text in fix_texts]
    assert fix_ns, "the correcting sentences must be offered with the claim"
    return given, claim_n, fix_ns


def exact(eng: Engine, ans) -> None:
    """Every citation quotes its source exactly at its offsets, and every marker has a citation."""
    import re

    st = eng.store()
    for c in ans.citations:
        rec = st.get_sources([c.source])[c.source]
        assert rec.text[c.start:c.end] == c.text
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)}
    assert marks == {c.n for c in ans.citations}


# -- pure checks ---------------------------------------------------------------------------------
def _cit(n: int, text: str, correction=None) -> Citation:
    return Citation(n=n, source="s", title="T", published="2019-06", url="", sentence=n, start=0, end=len(text),
                    text=text, score=0.5, correction=correction)


def test_split_keeps_markers_with_their_sentence_and_abbreviations_whole() -> None:
    parts = split_statements("Megvii is backed by Alibaba Group Holding Ltd. and others [1]. It makes Face++. [2]\n- CETC built it [3].")
    assert parts == ["Megvii is backed by Alibaba Group Holding Ltd. and others [1].", "It makes Face++. [2]",
                     "CETC built it [3]."]


def test_verify_removes_and_counts_invented_numbers_and_drops_uncited_and_misquoted() -> None:
    given = {1: _cit(1, "The app was developed by a unit of CETC."), 2: _cit(2, "Megvii makes Face++.")}
    kept, v = verify('CETC developed the app [1][9]. Megvii said “we never sold to police” [2]. '
                     'Sure, here is your answer. Only [7] backs this.', given)
    assert kept == ["CETC developed the app [1]."]
    assert (v.invented, v.uncited, v.misquoted) == (2, 2, 1)


def test_verify_accepts_exact_quotes_and_grouped_markers() -> None:
    given = {1: _cit(1, "Code in the app’s log-in function was never actively used, the group said."),
             2: _cit(2, "It was inoperable.")}
    kept, v = verify('The group said the code was "never actively used" [1, 2].', given)
    assert kept == ['The group said the code was "never actively used" [1][2].'] and v.invented == 0


# -- through the engine (fake chat models) -------------------------------------------------------
def test_good_answer_is_llm_composed_with_exact_renumbered_citations(seed_engine, embedder) -> None:
    given, claim_n, fix_ns = numbers(seed_engine, embedder)
    # "May" is in the correcting sentence, not the claim: the second statement must cite both.
    reply = (f"Human Rights Watch withdrew the assertion [{fix_ns[0]}]. Its May report had said the police app used "
             f"Megvii's technology [{claim_n}][{fix_ns[0]}].")
    eng = llm_engine(seed_engine, embedder, fake(reply))
    ans = eng.ask(Q)
    assert ans.composer == "llm" and ans.answered
    assert ans.answer.startswith("Human Rights Watch withdrew the assertion [1].")
    assert eng.composer.last.notices == 0 and eng.composer.last.invented == 0
    assert [c.n for c in ans.citations] == [1, 2]
    assert ans.citations[1].correction and ans.citations[1].correction.status == "corrected"
    exact(eng, ans)
    js = ans.to_json()
    assert set(js) == {"question", "answered", "answer", "citations", "composer", "checks"} and js["composer"] == "llm"
    assert js["checks"]["kept"] == 2 and js["checks"]["unsupported"] == 0
    assert set(js["citations"][0]) == set(seed_engine.ask(Q).to_json()["citations"][0])


def test_citing_a_number_not_given_is_removed_and_counted(seed_engine, embedder) -> None:
    given, claim_n, fix_ns = numbers(seed_engine, embedder)
    eng = llm_engine(seed_engine, embedder, fake(f"Human Rights Watch withdrew the assertion [{fix_ns[0]}][9]. Megvii denied it all [9]."))
    ans = eng.ask(Q)
    assert ans.composer == "llm"
    assert eng.composer.last.invented == 2 and eng.composer.last.uncited == 1
    assert "[9]" not in ans.answer and "denied it all" not in ans.answer
    exact(eng, ans)


def test_flagged_claim_cited_without_its_correction_gets_the_notice(seed_engine, embedder) -> None:
    given, claim_n, fix_ns = numbers(seed_engine, embedder)
    eng = llm_engine(seed_engine, embedder, fake(f"Yes: the police app used Megvii's technology to match faces [{claim_n}]."))
    ans = eng.ask(Q)
    assert ans.composer == "llm" and eng.composer.last.notices == 1
    lead = ans.answer.split("\n")[0]
    assert lead.startswith("Note: the claim in [") and "was later withdrawn" in lead
    flagged = next(c for c in ans.citations if c.correction)
    fixes = [c for c in ans.citations if c.text in {b.text for b in flagged.correction.by}]
    assert fixes and all(f"“{c.text}” [{c.n}]" in lead for c in fixes)
    exact(eng, ans)


def test_malformed_output_falls_back_to_extractive_and_says_why(seed_engine, embedder, caplog) -> None:
    eng = llm_engine(seed_engine, embedder, fake('{"answer": "yes", "sources": ['))
    with caplog.at_level(logging.WARNING, logger="bot.composer"):
        ans = eng.ask(Q)
    assert ans.composer == "extractive"
    js = ans.to_json()
    assert js.pop("checks")["reason"] == "no statement in the LLM's reply cites a given sentence"
    assert js == seed_engine.ask(Q).to_json()
    assert "falling back to the extractive answer" in caplog.text and "cites a given sentence" in caplog.text


def test_empty_and_failing_model_fall_back(seed_engine, embedder, caplog) -> None:
    eng = llm_engine(seed_engine, embedder, fake(""))
    assert eng.ask(Q).composer == "extractive"
    eng = llm_engine(seed_engine, embedder, FakeListChatModel(responses=["x"], error_on_chunk_number=0))
    with caplog.at_level(logging.WARNING, logger="bot.composer"):
        ans = eng.ask(Q, on_token=lambda t: None)
    assert ans.composer == "extractive" and "LLM answer failed" in caplog.text


def test_stalled_model_times_out_and_falls_back(seed_engine, embedder, caplog) -> None:
    s = seed_engine.settings.model_copy(update={"llm_timeout": 0.3})
    eng = Engine(s, embedder=embedder, store=seed_engine.store(),
                 composer=LLMComposer(s, model=FakeListChatModel(responses=["Megvii [1]."], sleep=5)))
    with caplog.at_level(logging.WARNING, logger="bot.composer"):
        ans = eng.ask(Q, on_token=lambda t: None)
    assert ans.composer == "extractive" and "did not finish" in caplog.text


def test_llm_saying_not_in_sources_is_an_unanswered_llm_answer(seed_engine, embedder) -> None:
    eng = llm_engine(seed_engine, embedder, fake("NOT_IN_SOURCES"))
    ans = eng.ask(Q)
    assert ans.composer == "llm" and not ans.answered and "don't say" in ans.answer
    exact(eng, ans) if "[" in ans.answer else None


def test_extractive_abstention_is_not_handed_to_the_llm(seed_engine, embedder) -> None:
    model = fake("Mars has two moons [1].")
    eng = llm_engine(seed_engine, embedder, model)
    ans = eng.ask("What is the boiling point of tungsten on Mars?")
    assert not ans.answered and ans.composer == "extractive"
    assert next(model.messages, None) is not None  # the model was never called


def test_follow_up_is_condensed_by_the_llm(seed_engine, embedder) -> None:
    first = seed_engine.ask("Who developed the police app?")
    conv = Conversation()
    conv.add("Who developed the police app?", first, first.standalone)
    condensed = "How much revenue does China Electronics Technology Group Corp have?"
    eng = llm_engine(seed_engine, embedder, fake(condensed, "It has $30 billion in revenue [1]."))
    ans = eng.ask("How much revenue does it have?", conv)
    assert ans.standalone == condensed and ans.question == "How much revenue does it have?"
    assert ans.composer == "llm" and "$30 billion" in ans.citations[0].text


def test_without_an_llm_nothing_changes(seed_engine, monkeypatch) -> None:
    ans = seed_engine.ask(Q)
    assert ans.composer == "extractive" and isinstance(seed_engine.composer, ExtractiveComposer)


# -- model choice ----------------------------------------------------------------------------------
def test_model_spec_and_setup_errors(tmp_path: Path) -> None:
    assert parse_spec("openai:gpt-4o-mini") == ("openai", "gpt-4o-mini")
    assert parse_spec("llama3.1", "http://127.0.0.1:1/v1") == ("openai", "llama3.1")
    with pytest.raises(LLMError, match="provider:model"):
        parse_spec("gpt-4o-mini")
    s = Settings(_env_file=None, data_dir=tmp_path, llm="openai:local-model", llm_base_url="http://127.0.0.1:9/v1",
                 llm_timeout=7)
    m = make_chat_model(s)
    assert type(m).__name__ == "ChatOpenAI" and m.model_name == "local-model"
    assert str(m.openai_api_base) == "http://127.0.0.1:9/v1" and m.request_timeout == 7 and m.max_retries == 0
    try:
        import langchain_anthropic  # noqa: F401
    except ImportError:
        with pytest.raises(LLMError, match=r"factdesk\[anthropic\]"):
            make_chat_model(Settings(_env_file=None, data_dir=tmp_path, llm="anthropic:claude-x"))


def test_bad_llm_setting_leaves_the_engine_extractive(seed_engine, embedder, caplog) -> None:
    s = seed_engine.settings.model_copy(update={"llm": "nosuchprovider:model"})
    with caplog.at_level(logging.WARNING, logger="bot.compose"):
        eng = Engine(s, embedder=embedder, store=seed_engine.store())
        ans = eng.ask(Q)
    assert ans.composer == "extractive" and "answers stay extractive" in caplog.text


# -- prompts ---------------------------------------------------------------------------------------
def test_prompts_document_exactly_their_inputs(tmp_path, monkeypatch) -> None:
    import prompts

    for name, inputs in {"answer": {"question", "sources", "nonce"}, "condense": {"history", "question"},
                         "judge": {"claim", "claim_published", "later", "later_published", "status", "nonce"}}.items():
        assert set(prompts.load_prompt(name).input_variables) == inputs
    (tmp_path / "bad.txt").write_text("# bad\n#\n# Inputs:\n#   question — q\n=== human ===\n{question} {extra}\n")
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path)
    with pytest.raises(prompts.PromptError, match="extra"):
        prompts.load_prompt.__wrapped__("bad")
