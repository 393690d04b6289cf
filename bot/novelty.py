"""What a sentence adds to its question: candidate features for the fitted scorer (bot/features.py), tried and left out.

Why: word overlap and cosine reward the sentence that restates the question. A story's lead
repeats the question's words ("What was Tiger's winning score?" → "Tiger Woods won the Masters …")
while the answer supplies what the question lacks ("… finished at 13 under par, 275"). These
features say what the sentence holds that the question does not — words, numbers, names, and
above all the kind of thing the question asks for — so the fitted weights (TrecQA train) can tell
an answer from a restatement. They read only the two texts: general by construction, no word list
beyond the question's own words and the answer-kind patterns bot/question.py already uses.

Measured and left out of the engine (README "Answer selection (issue 11, ninth session)",
`python -m benchmarks.selection_trials`): fitted on TrecQA they lower ranking on TrecQA dev, WikiQA
dev and our news sets; fitted on our news sets by article they get negative weights and do not
raise top-1. Kept so the trial can be re-run.
"""

from __future__ import annotations

import re

from ingest.terms import QUESTION_WORDS, content_terms

from .question import _WHEN_A, _asks, new_name

# A number as news writes it: digits (with separators) or a spelled-out count.
_NUMBER = re.compile(r"\d[\d,.:/-]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|trillions?|"
                     r"dozens?|half)\b", re.I)

NOVELTY = (
    "new_terms",  # share of the sentence's distinct content words the question does not use
    "new_number",  # the sentence holds a number the question does not
    "new_name",  # the sentence names something the question does not
    "new_kind",  # the question asks for a kind of answer and the sentence holds one the question lacks
)


def question_terms(question: str) -> frozenset[str]:
    """The question's content terms, as bot/features.py's QuestionView reads them."""
    return frozenset(t for t in content_terms(question) if t not in QUESTION_WORDS)


def _numbers(text: str) -> set[str]:
    return {m.group(0).lower().rstrip(".,") for m in _NUMBER.finditer(text)}


def new_kind(question: str, text: str) -> bool:
    """The sentence holds the kind of answer asked for (bot/question.py's kinds) in words the
    question does not already hold: a date "2019" does not answer "what happened in 2019" again."""
    who, money, number, when, where, which = _asks(question)
    if who or where or which:
        if new_name(question, text):
            return True
    qlow = question.lower()
    if money or number:
        if _numbers(text) - _numbers(question):
            return True
    if when:
        for m in _WHEN_A.finditer(text):
            if m.group(0).lower() not in qlow:
                return True
    return False


def novelty(question: str, qterms: frozenset[str], text: str) -> tuple[float, float, float, float]:
    """The NOVELTY row of one (question, sentence) pair; `qterms` are the question's content terms."""
    sterms = set(content_terms(text))
    new_terms = len(sterms - qterms) / len(sterms) if sterms else 0.0
    new_number = 1.0 if _numbers(text) - _numbers(question) else 0.0
    named = new_name(question, text)
    return new_terms, new_number, 1.0 if named else 0.0, 1.0 if new_kind(question, text) else 0.0
