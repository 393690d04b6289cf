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
- or is worded as later where the other is not: the detector's later wording ("later", "hours later",
  "by the afternoon", "has since", "in an update": `ingest.corrections.signals`) or a state that
  holds again ("again", "no longer", "back into") — before any past perfect, which tells what came
  before ("… put the finish back where it had been" yes). A bare "now" describes what simply holds
  ("700 bears now live in the region") and "later this year" a time still to come: neither orders;
- or is a paragraph labelled as an update or a correction ("Update: Giffords is alive …"), the way
  a newsroom adds to a published story.

It must be relevant to the question as any later statement must be (its key words, or meaning:
`LaterTuning.question_dense`) and on the point: sharing a content word with the cited sentence or
the question, close to the cited sentence in meaning (`same_point_dense`), or stating a change (the
detector's stored cue, a state that holds again, an update's label: "officials let him back into the
Games" after "was thrown out"). The story itself makes the subject: no name needs to be shared. Nothing here reads the
index: the sentences are the question's scored candidates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ingest.corrections.lexicon import PAST_PERFECT
from ingest.corrections.patterns import _LATER
from ingest.corrections.signals import signals
from ingest.records import StoredSentence
from ingest.split import is_headline
from ingest.tuning import LaterTuning

from .later_subject import point_overlap
from .story import background


class Scored(Protocol):
    """A candidate as the select stage scored it (bot/later.py `Scored`)."""

    sentence: StoredSentence
    dense: float
    lex: float
    score: float


# A state that holds again ("raised their flags again", "let him back into the Games", "no longer"):
# bot/story.py's words for a state that holds now or again, without a bare "now", which also
# describes what simply holds ("700 bears now live in the region").
_AGAIN = re.compile(r"\b(?:again|no longer|any ?more|once more|back (?:on|in|into|to|under|onto))\b", re.I)
# "later this year", "later next month": a time still to come, not a sequence in what is told.
_FUTURE = re.compile(r"\s+(?:this|next|in the)\s+(?:year|month|week|season|decade|spring|summer|autumn|fall|winter)", re.I)
# A paragraph labelled as an update or a correction ("Update: …", "Update, 5 p.m.: …", "Correction: …"),
# the way a newsroom adds to a published story.
_LABEL = re.compile(r"^\W*(?:update[ds]?|correction|clarification|editor['’]s note)\b[^:]{0,40}:", re.I)
CHANGE_CUES = ("strong", "update")  # the detector's stored cue: the sentence withdraws, ends, lifts or revises


def _sequence(text: str) -> int | None:
    """Where the sentence words itself as later (the detector's later wording, a bare "now" and a
    "later" of the future left out) or as a state that holds again; None when it does not."""
    marks = [m.start() for m in _LATER.finditer(text)
             if m.group(1).lower() != "now" and not (m.group(1).lower() == "later" and _FUTURE.match(text, m.end()))]
    if _LABEL.match(text):
        return 0
    m = _AGAIN.search(text)
    if m:
        marks.append(m.start())
    return min(marks) if marks else None


def _marked_later(text: str) -> bool:
    """Worded as later, the marker told before any past perfect (which tells what came before)."""
    at = _sequence(text)
    perfect = PAST_PERFECT.search(text)
    return at is not None and (perfect is None or at < perfect.start())


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
    return _marked_later(b.text) and not _marked_later(a.text)


def overtakes(a: StoredSentence, b: StoredSentence) -> bool:
    """`b` is told after `a` in their story and `a` states no change itself (the detector's stored
    change cue, or a state that holds again): what the story tells after a first account overtakes
    it ("Later on Saturday the survey settled on 7.8" after "A powerful earthquake shook Nepal"),
    while what it tells after its news is that news's consequence ("Hours later, … ordered the
    building opened" after "annulled the 1934 decree")."""
    return told_after(a, b) and a.cue not in CHANGE_CUES and not _AGAIN.search(a.text)


def _on_point(c: Scored, s: Scored, question: str, tuning: LaterTuning) -> bool:
    """Within its own story the subject is given. The statement must be relevant to the question as
    any later statement must be (its key words, or meaning: `question_dense`), and on the point:
    sharing a content word with the cited sentence or the question, close to the cited sentence in
    meaning (`same_point_dense`), or stating a change (the stored cue, a state that holds again)."""
    cs, ss = c.sentence, s.sentence
    if s.lex <= 0 and s.dense < tuning.question_dense:
        return False
    if ss.cue in CHANGE_CUES or _AGAIN.search(ss.text) or _LABEL.match(ss.text):
        return True
    if cs.vector is not None and ss.vector is not None and float(np.dot(cs.vector, ss.vector)) >= tuning.same_point_dense:
        return True
    return bool(point_overlap(cs.text, ss.text) or point_overlap(question, ss.text))


def updates_within(cited: Sequence[Scored], pool: Sequence[Scored], question: str,
                   tuning: LaterTuning = LaterTuning(), have: set[str] | frozenset[str] = frozenset()) -> list[Scored]:
    """The sentences of the cited sentences' own stories told after one of them on its point, not
    already cited (`have`) and not the story's background (bot/story.py `background`). Which of a
    story's updates carries its news is later coverage's choice, as for any later story (one a
    story: bot/later.py `_one_per_source`)."""
    ids = {c.sentence.id for c in cited} | set(have)
    return [s for s in pool if s.sentence.id not in ids and not background(s.sentence)
            and any(told_after(c.sentence, s.sentence) and _on_point(c, s, question, tuning) for c in cited)]


__all__ = ["CHANGE_CUES", "overtakes", "told_after", "updates_within"]
