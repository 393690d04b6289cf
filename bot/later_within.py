"""Later within one story: what a story told further down, placed after a cited sentence by its own
wording, on the same point — a same-source update.

A story written as events unfold tells a first account and, further down, what overtook it: "The US
Geological Survey put its magnitude at 7.9." … "Later on Saturday the survey settled on a magnitude
of 7.8."; "2:30 a.m. — Gore telephones Bush to concede." … "3:45 a.m. — Gore calls Bush again and
takes back his concession."; "was thrown out of the Games on Monday" … "officials let him back into
the Games". Both sentences carry one date, so later coverage across sources (bot/later.py: a
later-dated source) cannot see the order; the story's own wording does. A reader takes a sentence
as told after another of its story when, further down, it opens on a time after it, the way a
story told as events unfold moves on:

- a time frame ("Later on Saturday …", "Minutes later …", "By the afternoon …", "Late in the
  evening, …", "Within hours …", "The next day …"), a time of day ("3:45 a.m. — …"), a day of the
  week ("On Thursday …"), or an update's label ("Update: …", the way a newsroom adds to a published
  story);
- unless the two name times of day or days of the week that say otherwise (a timeline runs on past
  midnight; a weekday is the one just gone before the story's date: "on Sunday", in a Wednesday
  story, is before "on Wednesday"; two live-blog entries labelled with different days go by their
  days before their clocks: "Friday, 1 pm" after "Thursday, 11:45 pm").

A "later" inside a sentence ("The police later said …", "crowned queen later in the ceremony") or
a bare "since" tells an aside, not the story moving on: on the spent news sets such sentences,
taken as updates, were nearly all beside the question.

What it must show of the point depends on how it opens. An update's label places a paragraph after
what came before, not on the point: a live blog labels every paragraph ("Update, 3pm: Volunteers
handed out blankets" is no update of the storm surge's height) — but a note appended once, its label
bare ("Update: …", "Correction: …"), that names what the cited sentence names is the story changed on
that subject, however far its words are from the question's. Every other update must
be close to the question in meaning (`LaterTuning.question_dense`, the closeness any statement needs
to answer a question) and on the point: the question's own content words, or a state that holds
again ("officials let him back into the Games" after "was thrown out"); for a paragraph opening on a
time frame, a time of day or a label also a content word or a name of the cited sentence, a figure where the
cited sentence gives one (a count revised as the day goes on), closeness to it in meaning
(`same_point_dense`), or the detector's stored cue that it withdraws, ends or revises something ("Within
the hour his family said the reports were untrue"). A paragraph opening on a day of the week needs the question's words: a story
recapping its days ("On Friday he said Twitter would form a council …") moves on to its next
development as often as it overtakes its first account — on the spent news sets such paragraphs,
taken as updates, were all beside the question. The story itself makes the subject: no name
needs to be shared. Nothing here reads the index: the sentences are the question's scored
candidates."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from ingest.dates import clock_minutes, interval
from ingest.corrections.lexicon import weekday as _weekday
from ingest.records import StoredSentence
from ingest.split import is_headline
from ingest.terms import content_terms
from ingest.tuning import LaterTuning

from .later_subject import beyond_subject, point_overlap, same_subject, subject_terms
from .question import NUMBER_WORD
from .story import background


class Scored(Protocol):
    """A candidate as the select stage scored it (bot/later.py `Scored`)."""

    sentence: StoredSentence
    dense: float
    lex: float
    score: float


# A state that holds again ("let him back into the Games", "no longer"): a change, on the point of
# what it changes (bot/story.py's words for a state that holds now or again, without a bare "now").
_AGAIN = re.compile(r"\b(?:again|no longer|any ?more|once more|back (?:on|in|into|to|under|onto))\b", re.I)
# A paragraph labelled as an update or a correction ("Update: …", "Update, 5 p.m.: …", "Correction: …"),
# the way a newsroom adds to a published story.
_LABEL_WORD = r"(?:update[ds]?|correction|clarification|editor['’]s note)"
_LABEL = re.compile(rf"^\W*{_LABEL_WORD}\b[^:]{{0,40}}:", re.I)
# The same label with nothing between it and its colon (nor a time after it): a note appended once, not a
# timed entry.
_NOTE = re.compile(rf"^\W*{_LABEL_WORD}\s*:(?!\s*\d{{1,2}}(?:[:.]\d\d)?\s?[ap]\.?m\b)", re.I)
# A paragraph opening on a time after what came before, the way a story told as events unfold moves
# on: "Later on Saturday …", "Minutes later …", "By the afternoon …", "Late in the evening, …",
# "Within hours …", "That night …", "The next day …", "Early on Monday …" — a part of the day with its
# usual modifiers too ("By late morning …", "By mid-afternoon …"; dawn and dusk also end an entry's label,
# "Monday, before dawn: …"), and an hour ("Within the hour …"). Not a span counted out ("Four weeks
# later …", "Two minutes later …"): on the spent news sets those open a recap's next episode, not an
# update of the cited account.
_SPAN = r"(?:moments|minutes|hours|days|weeks|months|years|a (?:few|little) \w+|soon|shortly|much)"
_PART = (r"(?:(?:(?:late|early)\s+|mid-?)?(?:morning|afternoon|evening)|(?:(?:late|early)\s+)?night|nightfall|"
         r"dawn|dusk|daybreak|midday|noon|day|end of the day|next day|following day|weekend|week|"
         r"minutes|hours|hour|days)")
_OPENING = re.compile(rf"^\W*(?:(?:{_SPAN}\s+)?later\b|afterwards\b|subsequently\b|eventually\b|"
                      rf"(?:by|late in|later in|early in|within|that|the next|the following)\s+"
                      rf"(?:the\s+|an?\s+|a few\s+)?{_PART}\b|"
                      r"(?:late|later|early)\s+(?:on|that)\s+\w+\b)", re.I)
_OPENING_DAY = re.compile(r"^\W*(?:(?:late|early|later)\s+)?on\s+(monday|tuesday|wednesday|thursday|friday|saturday|"
                          r"sunday)\b", re.I)
# A time of day ("3:45 a.m.", "at 11 p.m.", "by noon"), read here rather than through the detector's
# signals, which the answer path does not load (tests/test_coldstart.py).
_CLOCK = re.compile(r"(?:^\W*|\b(?:at|by|around|about|until|after|before) )(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?m\b\.?"
                    r"|\b(?:at|by|around|about|until|after|before) (noon|midday|midnight)\b", re.I)
# A figure: a number that is not a year nor a time of day.
_FIGURE = re.compile(r"(?<![\d:.])(?!(?:19|20)\d\d\b)\d[\d,.]*(?!\s?[ap]\.?m\b|[:.]\d\d\s?[ap]\.?m\b|[:\d])")


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?")
# A day of the month ("April 23", "Sept. 3rd", "23 April"): a date, not a count.
_DAY = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w)")


def gives_figure(text: str) -> bool:
    """The sentence gives a figure (a number that is not a year, a day of the month nor a time of day)."""
    return bool(_FIGURE.search(_DAY.sub(" ", text)))


# A question asking for a count ("How many people died …") or an amount ("How much did it raise …").
_HOW = re.compile(r"\bhow (many|much)\b", re.I)
# An amount: money or a share ("$12 million", "£3bn", "0.2 percent", "14%").
_AMOUNT = re.compile(r"[$£€¥]\s?\d|\d[\d,.]*\s?(?:%|(?:per ?cent|dollars|euros|pounds|yen)\b)", re.I)


def gives_count(text: str) -> bool:
    """The sentence gives a figure (`gives_figure`) or a number in words ("Fifty people died"; not "one",
    "few" or "several", which count nothing in "No one was hurt" or "one officer said")."""
    return gives_figure(text) or any(m.group(0).lower() not in _NOT_COUNTS for m in NUMBER_WORD.finditer(text))


_NOT_COUNTS = frozenset({"one", "few", "several", "half"})
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.I)


def asks_how_many(question: str) -> bool:
    """The question asks how many (a count; "how much" asks for an amount)."""
    return bool(_HOW_MANY.search(question))


def counts_what_is_asked(question: str, text: str) -> bool:
    """The sentence gives a count (`gives_count`) with a word of what the question counts — the words after
    its "how many" ("how many people were killed": "Fifty people died"; not "Two officers were praised")."""
    m = _HOW_MANY.search(question)
    return bool(m) and gives_count(text) and bool(set(content_terms(m.group(1))) & set(content_terms(text)))


def same_measure(question: str, cited: str, later: str) -> bool:
    """The question asks for a figure and both sentences give one of the kind it asks for — a count for
    "how many" (a number that is no amount of money nor a share), an amount for "how much": the later
    figure is on the cited one's point whatever words count it ("290 people had been killed" / "the
    number of dead had risen to 359"), while "owes them $12 million" is no answer to how many workers
    a plant will employ."""
    m = _HOW.search(question)
    if not m:
        return False
    amount = m.group(1).lower() == "much"
    return all(gives_figure(t) and bool(_AMOUNT.search(t)) == amount for t in (cited, later))


# A live blog's entry label: a day of the week and when in it, then a colon ("Tuesday, 1:07 pm: …",
# "Monday, night: …", "Wednesday, moments later: …", "Sunday, March 3: …") — each entry told after
# the one above it. The label ends on a time (a clock, a part of the day, "later", a day of the
# month): "Monday, the company said: …" is a sentence opening on its day, not an entry.
_ENTRY_CLOCK = r"\d{1,2}(?:[:.]\d\d)?\s?[ap]\.?m\.?"
_ENTRY = re.compile(rf"^\W*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+((?:{_ENTRY_CLOCK}|[^:.]){{0,30}}?"
                    rf"(?:{_ENTRY_CLOCK}|\b(?:later|after|afterwards|soon|noon|midday|midnight|{_PART})"
                    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?)):\s")


@lru_cache(maxsize=65_536)
def _clock(text: str) -> int | None:
    """Minutes after midnight of the first time of day the sentence names (its entry label's, in a
    live blog). Read once per text: every pair of a question's candidates asks it."""
    entry = _ENTRY.match(text)
    m = _CLOCK.search(entry.group(1) if entry else text)
    return clock_minutes(m) if m else None


@lru_cache(maxsize=65_536)
def _label_day(text: str) -> int | None:
    """The day of the week (Monday 0) the sentence's live-blog entry label names ("Thursday, 11:45 pm:": 3),
    or None when it opens on no such label (read once per text, as `_clock`)."""
    entry = _ENTRY.match(text)
    return _weekday(entry.group(0)) if entry else None


CHANGE_CUES = ("strong", "update")  # the detector's stored cue: the sentence withdraws, ends, lifts or revises
_WITHDRAWS = "strong"  # of those, the cue of a statement that withdraws, denies or says untrue


def _days_back(weekday: int | None, published: str) -> int | None:
    """How many days before its source's date a weekday the story names falls: news copy names the
    days of the week just gone ("on Sunday", in a Wednesday story, is three days back). A date that
    names no day (a month, a year) places no weekday."""
    start = interval(published)
    if weekday is None or start is None or start[0] != start[1]:
        return None
    return (start[0].weekday() - weekday) % 7


def opening(text: str) -> str:
    """What the paragraph opens on that places it after what came before it: "label" (an update's
    label, "Update: …"), "time" (a time frame, "Later on Saturday", "By the afternoon", or a time of
    day, "3:45 a.m. — …"), "day" (a day of the week, "On Thursday …"); "" when none."""
    if _LABEL.match(text):
        return "label"
    if _OPENING.match(text) or _ENTRY.match(text) or (_clock(text) is not None and re.match(r"^\W*\d", text)):
        return "time"
    return "day" if _OPENING_DAY.match(text) else ""


def told_after(a: StoredSentence, b: StoredSentence) -> bool:
    """`b`, a sentence of the same story as `a` further down it, is told as coming after `a` (rules
    in the module docstring)."""
    if b.source != a.source or b.index <= a.index or is_headline(b.text) or not opening(b.text):
        return False
    # Two live-blog entries labelled with different days are ordered by their days before their clocks:
    # "Friday, 1 pm: …" comes after "Thursday, 11:45 pm: …" (a blog runs a few days: one to three days on is
    # after, four to six on is the days before).
    ea, eb = _label_day(a.text), _label_day(b.text)
    if ea is not None and eb is not None and ea != eb:
        return (eb - ea) % 7 <= 3
    ca, cb = _clock(a.text), _clock(b.text)
    if ca is not None and cb is not None:
        # A timeline runs on past midnight ("11:50 p.m." … "2:45 a.m." further down).
        return cb > ca or (ca >= 18 * 60 and cb < 6 * 60)
    da, db = _days_back(_weekday(a.text), a.published), _days_back(_weekday(b.text), b.published)
    return da is None or db is None or db <= da


def overtakes(a: StoredSentence, b: StoredSentence) -> bool:
    """`b` is told after `a` in their story and `a` states no change itself (the detector's stored
    change cue, or a state that holds again): what the story tells after a first account overtakes
    it ("Later on Saturday the survey settled on 7.8" after "A powerful earthquake shook Nepal"),
    while what it tells after its news is that news's consequence ("Hours later, … ordered the
    building opened" after "annulled the 1934 decree")."""
    return told_after(a, b) and a.cue not in CHANGE_CUES and not _AGAIN.search(a.text)


def _on_point(c: Scored, s: Scored, question: str, tuning: LaterTuning, note: bool = False) -> bool:
    """Within its own story the subject is given; what the update must show is in the module
    docstring. `note`: the paragraph is its story's one labelled paragraph, a bare "Update:" or
    "Correction:" (`_NOTE`) — naming what the cited sentence names, it is on the point whatever its
    closeness to the question. Every other update must be close to the question in meaning and on the
    point: a paragraph opening on a day of the week the question's own words (or a state that holds
    again); one opening on a time frame, a time of day or a label also a word, a name or a figure beside
    the cited sentence's, closeness to it, or the detector's cue that it withdraws something."""
    cs, ss = c.sentence, s.sentence
    kind = opening(ss.text)  # an update's label places a paragraph after; it says nothing of its point
    if note and same_subject(cs.text, ss.text):
        # A note the newsroom appended to the story ("Update: Harvey has apologised …, and the title
        # belongs to Miss Philippines"), naming what the cited sentence names, says the story changed on
        # that subject whatever its closeness to the question. A timed label ("Update, 3 p.m.: …") is a
        # live blog's entry, and live blogs label every entry: those must be on the point as below.
        return True
    if s.dense < tuning.question_dense:
        return False
    # The question's words count beyond those naming what it asks about: the story gives the subject
    # ("On Tuesday the crossing's operator met the union" is no answer to whether it is still closed),
    # unless the paragraph states a change of it (the detector's stored cue: lifts, ends, withdraws).
    if (_AGAIN.search(ss.text) or beyond_subject(question, ss.text)
            or (ss.cue in CHANGE_CUES and point_overlap(question, ss.text))):
        return True
    if kind != "day" and ss.cue == _WITHDRAWS:
        # Told after the first account, an update that withdraws or denies something (the detector's
        # strong cue) is the story taking it back ("Within the hour his family said the reports were
        # untrue"): its words are the correction's, not the question's. (Not any change of state, the
        # "update" cue: "By the afternoon police had arrested two men" is no update of a surge's height.)
        return True
    if kind == "day":
        return False  # a story recapping its days ("On Friday he said …") moves on as often as it overtakes
    if point_overlap(cs.text, ss.text) - subject_terms(question) or same_subject(cs.text, ss.text):
        return True
    if _FIGURE.search(cs.text) and _FIGURE.search(ss.text):
        return True  # a figure given again as the day goes on ("more than 20" … "By the afternoon … 58")
    return (cs.vector is not None and ss.vector is not None
            and float(np.dot(cs.vector, ss.vector)) >= tuning.same_point_dense)


def updates_within(cited: Sequence[Scored], pool: Sequence[Scored], question: str,
                   tuning: LaterTuning = LaterTuning(), have: set[str] | frozenset[str] = frozenset(),
                   known: Mapping[str, StoredSentence] | None = None) -> list[Scored]:
    """The sentences of the cited sentences' own stories told after one of them on its point, not
    already cited (`have`), not told before another cited sentence of the story (a newer update is
    quoted already) and not the story's background (bot/story.py `background`). Which of a
    story's updates carries its news is later coverage's choice, as for any later story (one a
    story: bot/later.py `_one_per_source`). `known`: sentences already in memory beside the pool (the
    neighbours selection read), where a live blog's entry label may be found."""
    ids = {c.sentence.id for c in cited} | set(have)
    entries = _entries(pool, known or {})
    notes = _notes(pool, known or {})
    # An update told before one the answer already quotes is not the story's newest word: with the
    # first account and the 5:55 update both quoted, the 3:10 aside between them is no later coverage.
    return [s for s in pool if s.sentence.id not in ids and not background(s.sentence)
            and any(told_after(c.sentence, entries.get(s.sentence.id, s.sentence))
                    and _on_point(c, s, question, tuning, s.sentence.id in notes) for c in cited)
            and not any(told_after(entries.get(s.sentence.id, s.sentence), c.sentence) for c in cited)]


def _notes(pool: Sequence[Scored], known: Mapping[str, StoredSentence]) -> set[str]:
    """The paragraphs that are their story's one labelled paragraph in memory, a bare "Update:" or
    "Correction:" (`_NOTE`): a note the newsroom appended. A story labelling two or more paragraphs is
    a live blog, and its labels place entries in time, nothing more."""
    labelled: dict[str, dict[str, str]] = {}
    for x in [*(c.sentence for c in pool), *known.values()]:
        if _LABEL.match(x.text):
            labelled.setdefault(x.source, {})[x.id] = x.text
    return {i for got in labelled.values() if len(got) == 1 for i, text in got.items() if _NOTE.match(text)}


def _entries(pool: Sequence[Scored], known: Mapping[str, StoredSentence]) -> dict[str, StoredSentence]:
    """A live blog's entry can run on past its labelled first sentence ("Tuesday, shortly after: AP
    staff say the account has been hijacked. Nothing exploded at the White House, …"): a sentence
    that opens on nothing, right after one of its story that opens on an entry label, is told when
    that entry is — read as if the label stood before it. Only sentences in memory are read."""
    labels = {(x.source, x.index): m.group(0)
              for x in [*(c.sentence for c in pool), *known.values()] for m in [_ENTRY.match(x.text)] if m}
    return {c.sentence.id: replace(c.sentence, text=labels[(c.sentence.source, c.sentence.index - 1)] + c.sentence.text)
            for c in pool if (c.sentence.source, c.sentence.index - 1) in labels and not opening(c.sentence.text)}


__all__ = ["CHANGE_CUES", "asks_how_many", "counts_what_is_asked", "gives_count", "gives_figure", "opening", "overtakes", "same_measure", "told_after", "updates_within"]
