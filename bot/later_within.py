"""Later within one story: what a story told further down, placed after a cited sentence by its own
wording, on the same point — a same-source update.

A story written as events unfold tells a first account and, further down, what overtook it: "The US
Geological Survey put its magnitude at 7.9." … "Later on Saturday the survey settled on a magnitude
of 7.8."; "2:30 a.m. — Gore telephones Bush to concede." … "3:45 a.m. — Gore calls Bush again and
takes back his concession."; "was thrown out of the Games on Monday" … "officials let him back into
the Games". Both sentences carry one date, so later coverage across sources (bot/later.py: a
later-dated source) cannot see the order; the story's own wording does. A reader takes a sentence
as told after another of its story when, further down, it

- names a time of day after the other's ("2:30 a.m." / "3:45 a.m."), or a later weekday;
- is worded as later where the other is not: the detector's later wording ("later", "hours later",
  "by the afternoon", "has since", "in an update": `ingest.corrections.signals`), or how things
  stand now or again ("again", "no longer", "back into": bot/story.py `states_now`) — before any
  past perfect, which tells what came before ("… put the finish back where it had been" yes, "had
  later agreed" no);
- or the other is worded as earlier ("initially reported").

It must also speak to the question: close to it in meaning (`LaterTuning.question_dense`, the
closeness any statement needs to answer a question), or close to the cited sentence in meaning
(`same_point_dense`), or sharing the question's key words and a content word with the cited sentence
or the question. The story itself makes the subject: no name needs to be shared. Nothing here reads the index: the sentences are the
question's scored candidates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ingest.corrections.lexicon import PAST_PERFECT
from ingest.corrections.patterns import _LATER
from ingest.corrections.signals import signals
from ingest.corrections.subject import topic_overlap
from ingest.records import StoredSentence
from ingest.split import is_headline
from ingest.tuning import LaterTuning

from .story import background


class Scored(Protocol):
    """A candidate as the select stage scored it (bot/later.py `Scored`)."""

    sentence: StoredSentence
    dense: float
    lex: float
    score: float


_NOW = re.compile(r"\b(?:again|now|no longer|any ?more|once more|back (?:on|in|into|to|under|onto))\b", re.I)


def _marked_later(text: str) -> bool:
    """Worded as later or as how things stand now, the marker told before any past perfect."""
    marks = [m.start() for rx in (_LATER, _NOW) for m in [rx.search(text)] if m]
    if not marks:
        return False
    perfect = PAST_PERFECT.search(text)
    return perfect is None or min(marks) < perfect.start()


def told_after(a: StoredSentence, b: StoredSentence) -> bool:
    """`b`, a sentence of the same story as `a` further down it, is told as coming after `a` (rules
    in the module docstring)."""
    if b.source != a.source or b.index <= a.index or is_headline(b.text):
        return False
    sa, sb = signals(a.text), signals(b.text)
    if sa.clock is not None and sb.clock is not None:
        # A timeline runs on past midnight ("11:50 p.m." … "2:45 a.m." further down).
        return sb.clock > sa.clock or (sa.clock >= 18 * 60 and sb.clock < 6 * 60)
    if sa.weekday is not None and sb.weekday is not None and sb.weekday != sa.weekday:
        return sb.weekday > sa.weekday
    if sa.prior and not sb.prior:
        return True
    return _marked_later(b.text) and not _marked_later(a.text)


def _on_point(c: Scored, s: Scored, question: str, tuning: LaterTuning) -> bool:
    """Within its own story the subject is given; the statement must speak to the question: in
    meaning (the closeness any statement needs to answer a question), or close to the cited
    sentence in meaning, or in the key words of the question sharing a content word with the cited
    sentence or the question."""
    cs, ss = c.sentence, s.sentence
    if s.dense >= tuning.question_dense:
        return True
    if cs.vector is not None and ss.vector is not None and float(np.dot(cs.vector, ss.vector)) >= tuning.same_point_dense:
        return True
    return s.lex > 0 and bool(topic_overlap(cs.text, ss.text) or topic_overlap(question, ss.text))


def updates_within(cited: Sequence[Scored], pool: Sequence[Scored], question: str,
                   tuning: LaterTuning = LaterTuning(), have: set[str] | frozenset[str] = frozenset()) -> list[Scored]:
    """The sentences of the cited sentences' own stories told after one of them on its point, not
    already cited (`have`) and not the story's background (bot/story.py `background`). Which of a
    story's updates carries its news is later coverage's choice, as for any later story (one a
    story: bot/later.py `_one_per_source`)."""
    ids = {c.sentence.id for c in cited} | set(have)
    return [s for s in pool if s.sentence.id not in ids and not background(s.sentence)
            and any(told_after(c.sentence, s.sentence) and _on_point(c, s, question, tuning) for c in cited)]


__all__ = ["told_after", "updates_within"]
