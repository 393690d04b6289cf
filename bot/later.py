"""Later coverage: what later-dated sources say on the point of a cited sentence, with or
without a confirmed correction link.

An answer that quotes a claim from May must show what a September source says about the same
subject and point, newest first, even when nothing says "corrected". It costs the warm query
nothing extra: the statements come from the candidates retrieval already scored for this
question (they carry their source date), filtered by three rules:
- later: the statement's source is certainly later-dated than the cited sentence's (undated
  sources never count as later; `ingest.dates.is_later`);
- same subject: it shares a name with the cited sentence (or, for a question about a current
  state, with the question);
- same point: it shares a content word with the cited sentence beyond names, or is close to it in
  meaning, or shares a content word with the question — and it is relevant to the question (key
  words or meaning).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ingest.corrections.subject import shared_names, topic_overlap
from ingest.dates import interval, is_later
from ingest.records import StoredSentence
from ingest.tuning import LaterTuning


class Scored(Protocol):
    """A candidate as the select stage scored it (`bot.select.Scored` is one); no import of select."""

    sentence: StoredSentence
    dense: float
    lex: float
    names: float
    score: float


# "Is X still …", "Did X go ahead with …", "Is X on the list?", "Does X still …", "… any more?"
_CURRENT = re.compile(
    r"^\s*(?:(?:is|are|was|were|does|do|has|have|can|will)\b.*\b(?:still|currently|now|yet|any ?more|any longer|"
    r"today)\b|did\b.*\b(?:go ahead|happen|proceed|go through|end up|actually|finally|complete)|"
    r"(?:is|are)\s+\S+(?:\s+\S+){0,5}\s+(?:on|in|under|off|banned|closed|open|suspended|listed|grounded)\b"
    r"|what is the (?:latest|current|status)|what happened (?:to|with)|where does .* stand)", re.I)


def is_current_state(question: str) -> bool:
    """A question about how things stand now, which the newest statement answers."""
    return bool(_CURRENT.search(question))


def _start(published: str):
    iv = interval(published)
    return iv[0] if iv else None


def later_statements(cited: Sequence[Scored], pool: Sequence[Scored], question: str,
                     question_names: frozenset[str] = frozenset(), tuning: LaterTuning = LaterTuning()) -> list[Scored]:
    """Statements from `pool` (the question's scored candidates) later than a cited sentence and on
    its subject and point, newest first, at most `tuning.max_later` (thresholds: settings.tuning.later)."""
    have = {c.sentence.id for c in cited}
    current = is_current_state(question)
    found: dict[str, Scored] = {}
    for c in cited:
        cs = c.sentence
        for s in pool:
            ss = s.sentence
            if ss.id in have or ss.id in found or ss.source == cs.source or not is_later(ss.published, cs.published):
                continue
            if s.lex <= 0 and s.dense < tuning.question_dense:
                continue  # not about what was asked
            subject = shared_names(cs.text, ss.text) or (current and bool(question_names) and s.names >= 1.0)
            if not subject:
                continue
            close = (cs.vector is not None and ss.vector is not None
                     and float(np.dot(cs.vector, ss.vector)) >= tuning.same_point_dense)
            # The same point: of the cited sentence (a shared content word, or close in meaning), or
            # of the question itself ("sell components to ZTE" / "lifted its export ban on ZTE":
            # the cited sentence may be background the question's point is not in).
            if topic_overlap(cs.text, ss.text) or close or current or topic_overlap(question, ss.text):
                found[ss.id] = s
    ranked = sorted(found.values(), key=lambda s: (_start(s.sentence.published), s.score), reverse=True)
    return ranked[:tuning.max_later]


def newest_first(order: list[str], published: dict[str, str], flagged: set[str] = frozenset()) -> list[str]:
    """The one ordering rule's first step: the newest statement leads when it is certainly later
    than the one that would lead otherwise; the rest keep their order. A flagged claim never leads
    (what corrected it comes first)."""
    cands = [i for i in order if i not in flagged]
    if len(order) < 2 or not cands:
        return order
    newest = max(cands, key=lambda i: (_start(published[i]) or interval("0001")[0], -order.index(i)))
    first_undated = interval(published[order[0]]) is None
    if newest != order[0] and (is_later(published[newest], published[order[0]])
                               or (first_undated and interval(published[newest]) is not None)):
        return [newest] + [i for i in order if i != newest]
    return order


__all__ = ["is_current_state", "later_statements", "newest_first"]
