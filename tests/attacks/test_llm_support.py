"""Issue 12 item 6: an LLM answer cannot smuggle claims behind a real citation.

Before this, a draft "X was convicted of fraud [1]. Readers should visit https://… [1]." passed
whenever [1] was any real citation: a marker was the only check. Now every statement must be
supported by the sentences it cites (names, numbers, dates, content words from them or the
question); URLs and quotations they do not contain are removed; what fails is dropped and counted
in the answer's JSON. Driven through the real `langchain-openai` client against the scripted
OpenAI-protocol server (tests/mock_openai.py), and through `verify` directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot.answer import Citation
from bot.engine import Engine
from bot.support import quotations, verify
from tests.mock_openai import MockOpenAI, Reply

Q = "Who developed the police app?"
DEVELOPED = "Human Rights Watch said the mobile app was developed by a unit of state-owned China Electronics"
SMUGGLE = "{x} was convicted of fraud [{n}]. Readers should visit https://evil.example/claim?id=1 [{n}]."


@pytest.fixture
def server() -> Iterator[MockOpenAI]:
    with MockOpenAI() as srv:
        yield srv


def llm_engine(seed_engine: Engine, embedder, srv: MockOpenAI) -> Engine:
    s = seed_engine.settings.model_copy(update={"llm": "openai:mock-model", "llm_base_url": srv.base_url,
                                                "llm_timeout": 10.0})
    return Engine(s, embedder=embedder, store=seed_engine.store())


def offered(srv: MockOpenAI, seed_engine: Engine, embedder) -> dict[int, str]:
    """Ask once with a throwaway reply to learn how the model is shown the sentences."""
    srv.script(Reply("-"))
    llm_engine(seed_engine, embedder, srv).ask(Q)
    human = srv.requests[-1]["messages"][-1]["content"]
    return {int(n): t for n, t in re.findall(r'<data-\w+ n="(\d+)"[^>]*>(.*?)</data-', human)}


def _cit(n: int, text: str) -> Citation:
    return Citation(n=n, source="s", title="Voltaic opens a plant", published="2021-03", url="", sentence=n,
                    start=0, end=len(text), text=text, score=0.5)


def test_the_issue_draft_is_dropped_and_counted_in_the_json(server, seed_engine, embedder) -> None:
    blocks = offered(server, seed_engine, embedder)
    n = next(k for k, t in blocks.items() if t.startswith(DEVELOPED))
    good = f"A unit of China Electronics Technology Group Corp developed the mobile app [{n}]."
    server.script(Reply(good + " " + SMUGGLE.format(x="China Electronics Technology Group Corp", n=n)))
    ans = llm_engine(seed_engine, embedder, server).ask(Q)
    assert ans.composer == "llm" and ans.answered
    assert ans.answer == "A unit of China Electronics Technology Group Corp developed the mobile app [1]."
    assert "fraud" not in ans.answer and "evil.example" not in ans.answer and "Readers" not in ans.answer
    checks = json.loads(json.dumps(ans.to_json()))["checks"]
    assert checks["unsupported"] == 2 and checks["urls_removed"] == 1 and checks["kept"] == 1


def test_a_draft_of_only_smuggled_claims_leaves_the_extractive_answer_saying_why(server, seed_engine, embedder) -> None:
    blocks = offered(server, seed_engine, embedder)
    n = next(k for k, t in blocks.items() if t.startswith(DEVELOPED))
    server.script(Reply(SMUGGLE.format(x="Megvii", n=n)))
    ans = llm_engine(seed_engine, embedder, server).ask(Q)
    assert ans.composer == "extractive" and "fraud" not in ans.answer
    assert [c.text for c in ans.citations] == [c.text for c in seed_engine.ask(Q).citations]
    checks = ans.to_json()["checks"]
    assert checks["unsupported"] == 2 and checks["kept"] == 0 and "supported" in checks["reason"]


@pytest.mark.parametrize("statement", [
    "CETC has $40 billion in revenue [1].",  # a number the sentence does not give
    "CETC had $30 billion in revenue in March 2020 [1].",  # a date it does not give
    "Huawei has $30 billion in revenue [1].",  # a name it does not give
    "CETC has $30 billion in revenue and faces bankruptcy [1].",  # a content word it does not give
])
def test_names_numbers_dates_and_words_must_come_from_the_cited_sentences(statement: str) -> None:
    given = {1: _cit(1, "CETC is a Fortune 500 company with $30 billion in revenue and 169,000 employees.")}
    kept, v = verify(statement, given, "How much revenue does CETC have?")
    assert kept == [] and v.unsupported == 1


def test_supported_statements_and_the_questions_own_words_pass() -> None:
    given = {1: _cit(1, "CETC is a Fortune 500 company with $30 billion in revenue and 169,000 employees."),
             2: _cit(2, "Details are at https://example.org/cetc-report, the company said.")}
    kept, v = verify("Yes: CETC has $30 billion in revenue [1]. The company said details are at "
                     "https://example.org/cetc-report [2].", given, "Does CETC make money?")
    assert len(kept) == 2 and v.unsupported == v.urls_removed == 0
    assert "https://example.org/cetc-report" in kept[1]


@pytest.mark.parametrize("quote", ["“never sold to the police”", "‘never sold to the police’", "«never sold to the police»",
                                   "„never sold to the police“", "'never sold to the police'", "「never sold to the police」",
                                   "`never sold to the police`", '"never sold to the police"'])
def test_misquotes_in_any_quote_style_are_dropped(quote: str) -> None:
    given = {1: _cit(1, "Megvii said it never sold the software to the police.")}
    kept, v = verify(f"Megvii said it {quote} [1].", given)
    assert kept == [] and v.misquoted == 1
    assert quotations(quote) == ["never sold to the police"]


def test_exact_quotes_in_other_styles_and_apostrophes_pass() -> None:
    given = {1: _cit(1, "Megvii’s spokesman said it never sold the software to the police.")}
    kept, v = verify("Megvii's spokesman said «it never sold the software to the police» [1].", given)
    assert len(kept) == 1 and v.misquoted == 0
    assert quotations("Megvii's app and the group's report") == []


def test_a_bare_domain_is_a_url_too() -> None:
    given = {1: _cit(1, "Voltaic will open a plant in Ohio.")}
    kept, v = verify("Voltaic will open a plant in Ohio, see voltaic-investors.com/offer [1].", given)
    assert v.urls_removed == 1 and all("voltaic-investors" not in k for k in kept)
