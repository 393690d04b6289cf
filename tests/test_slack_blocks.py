"""Block Kit rendering at Slack's limits: 50 blocks, 3,000 characters per section, escaping
that survives cutting, and flags that never get separated from their sentences."""

from __future__ import annotations

import json
import re

from bot.answer import Answer, Citation, Correction, QuotedSentence
from bot.slack_blocks import (BUTTON_VALUE_LIMIT, MAX_BLOCKS, SECTION_LIMIT, escape, render_answer, vote_value)


def _cit(n: int, text: str, *, flagged: bool = False) -> Citation:
    corr = None
    if flagged:
        corr = Correction(status="superseded", note="overtaken <by> events", origin="detected",
                          by=(QuotedSentence(source="later", title="Later & Co", sentence=1, start=0, end=9,
                                             text=f"Correction {n} <!here>", published="2020-01-05"),))
    return Citation(n=n, source=f"s{n}", title=f"Title {n} <&>", published="2019-06", url="https://x.example/a",
                    sentence=n, start=0, end=len(text), text=text, score=1.0, correction=corr, publisher="Pub")


def _sections(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_long_sentences_are_split_not_cut_and_entities_stay_whole():
    text = ("A & B <c> " * 700).strip()  # 7,000 characters, 14,000 once escaped
    ans = Answer(question="q", answered=True, answer="lead", citations=[_cit(1, text, flagged=True)])
    _, blocks = render_answer(ans)
    secs = _sections(blocks)
    assert all(len(s) <= SECTION_LIMIT for s in secs)
    # a piece that continues a quoted line starts with the quote marker again
    lead, first, *rest = secs
    assert first.startswith("*[1]* ⚠\n> ") and rest and all(s.startswith("> ") for s in rest[:-1])
    joined = first.split("\n> ", 1)[1] + "".join(s[2:] if s.startswith("> ") else s for s in rest)
    assert escape(text) in joined.replace("\n", "")  # the whole exact sentence, in order
    for s in secs:
        assert not re.search(r"&[a-z]{0,3}$", s) and not re.match(r"^[a-z]{1,3};", s)
    assert "SUPERSEDED" in joined and "Correction 1 &lt;!here&gt;" in joined


def test_many_citations_stay_within_50_blocks_and_keep_their_flags():
    cits = [_cit(n, f"Sentence {n} " + "word " * 700, flagged=n % 2 == 0) for n in range(1, 41)]
    ans = Answer(question="q", answered=True, answer="lead", citations=cits)
    text, blocks = render_answer(ans, share=True)
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert "did not fit" in json.dumps(blocks)
    secs = "\n".join(_sections(blocks))
    shown = [n for n in range(1, 41) if f"*[{n}]*" in secs]
    assert shown and shown == list(range(1, len(shown) + 1))
    for n in shown:
        if n % 2 == 0:
            assert f"Correction {n} &lt;!here&gt;" in secs  # a shown flagged sentence has its correction
    assert len(text) <= 3000 and "<!here>" not in text


def test_vote_value_fits_a_button_however_long_the_answer():
    ans = Answer(question="q" * 5000, answered=True, answer="x" * 50_000, citations=[_cit(1, "s")])
    value = vote_value(ans)
    assert len(value) <= BUTTON_VALUE_LIMIT
    v = json.loads(value)
    assert v["s"] == ["s1"] and v["a"] and len(v["q"]) == 300
