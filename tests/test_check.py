"""bot/check.py on its own: which sentences are statements, and the verdict an answer earns."""

from __future__ import annotations

import pytest

from bot.answer import Answer, Citation
from bot.check import is_statement, statements, verdict_of


@pytest.mark.parametrize("sentence,expected", [
    ("The bridge collapsed on Tuesday morning.", True),
    ("Is that still right?", False),
    ("Did the company really say “never”?”", False),
    ("Hi all, quick check before we publish.", False),
    ("Thanks, see below.", False),
    ("Good morning everyone.", False),
    ("See below.", False),
    ("Megvii denied it.", False),  # three words: a fragment
    ("Megvii denied the report.", True),
])
def test_statements_are_sentences_that_assert_something(sentence, expected):
    assert is_statement(sentence) is expected


def test_statement_spans_are_exact_offsets_into_the_text():
    text = "Hello team.\n\nThe plant reopened on 3 May 2021. Was it closed before?  The mayor resigned in June."
    spans, skipped = statements(text)
    assert [text[a:b] for a, b in spans] == ["The plant reopened on 3 May 2021.", "The mayor resigned in June."]
    assert skipped == 2


def _cit(n: int, **kw) -> Citation:
    return Citation(n=n, source="s", title="T", published="2021-01", url="", sentence=n, start=0, end=1, text="x",
                    score=1.0, **kw)


def test_verdicts():
    assert verdict_of(Answer("q", False, "The sources don't say.", [_cit(1)])) == "not_found"
    assert verdict_of(Answer("q", True, "a", [_cit(1)])) == "found"
    later = _cit(2)
    later.role = "later"
    assert verdict_of(Answer("q", True, "a", [_cit(1), later])) == "later"
    corrected = _cit(3, correction={"status": "corrected", "note": "n", "origin": "detected", "by": []})
    assert verdict_of(Answer("q", True, "a", [later, corrected])) == "corrected"  # a correction outranks later news
