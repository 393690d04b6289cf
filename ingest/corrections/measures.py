"""A figure revised without a revision cue: the same subject, the same measured quantity, a
different value, later.

"Leaking about 5,000 barrels of oil a day" ← "spewing between 35,000 and 60,000 barrels of oil a
day"; "up to 500 million guests" ← "fewer than 383 million guest records". The quantity is what
the figure counts or measures: the words right after it ("barrels of oil", "guests", "metres").
Guards keep what is not a revision out:
- money (an offer, a price, a budget) is set by events, and a figure for a period ("last year",
  "in the third quarter") belongs to that period: a later one is another quantity;
- a *move* ("shares fell 21 percent", "rose 13 percent") is a change over a period, not a standing
  quantity: two moves at two times revise nothing;
- a *running count* (a tally of deaths, cases, victims, arrests) grows as events go on: a larger
  later tally is an update, not a correction, unless the text says it gives the count anew (the
  families' revision cues: "revised", "raised the toll to", "than first reported", "the toll has
  risen to", "now say"); deaths are revised only by deaths, and a count of an event placed on
  another day is another event's (`other_day`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..terms import content_terms
from .signals import figure_value, figures
from .lexicon import HYPOTHETICAL, MAGNITUDE, MOVE_BEFORE, PERIOD, TALLY, WEEKDAYS
from .restate import FROM_FIGURE
from .scope import event_verb, other_count


class Quantity(NamedTuple):
    figure: str
    value: float | None
    unit: frozenset[str]  # content stems of what it counts or measures
    move: bool  # a change over a period ("rose 13 percent")
    tally: bool  # a running count of events (deaths, cases)
    settled: bool = True  # a count or measure that stays one quantity over time (not money, not a period's)
    words: tuple[str, ...] = ()  # the unit words as written ("gross", "domestic", "product"; "GDP")
    period: str = ""  # the period it belongs to ("this year"), when it is a period's figure and not money
    verb: str = ""  # the stem of the verb that counts it ("convicted 21 people"), "" for none (scope.event_verb)



    @property
    def usable(self) -> bool:
        """Can a different later value of it be a revision (a standing count or measure)?"""
        return self.settled and not self.move and bool(self.unit)


_RANGE_TAIL = re.compile(r"^\s*(?:(?:and|to|or|-|–)\s+[$€£]?\d[\d,.]*\s*)?")
_WORD_OR_PCT = re.compile(r"[A-Za-z][\w'’-]*|%")
_PERCENT = re.compile(r"%|percent|per cent", re.I)
_KILLING = re.compile(r"\b(?:killing|killed|kills)\s+(?:\w+\s+)?$", re.I)
_MONEY = re.compile(r"[$€£¥]|dollar|euro|pound|yuan|yen", re.I)
# Deaths are one quantity however a text counts them: people killed or who died ("killed at least 87
# people", "195 people had been killed", "87 people died", "50 dead") and the toll given as a value
# ("the death toll … has risen to 112", "bringing the number of dead to 50", "lowered the toll … to 174").
_DEATH_UNIT = frozenset({"death", "dead", "die", "fatal", "fatality", "fatalities"})
_DIED_AFTER = re.compile(r"^(?:\s*(?!(?:and|but|or|while|as)\b)[A-Za-z-]+){0,4}?\s+(?:and\s+(?=(?:presumed|feared|believed)\b))?"
                         r"(?:(?:have|has|had|were|was|are|is)\s+(?:now\s+)?(?:been\s+)?)?"
                         r"(?:(?:believed|feared|thought|reported|known|confirmed|presumed)\s+(?:to\s+have\s+(?:been\s+)?)?)?"
                         r"(?:died|killed|dead|perished|lost their lives)\b", re.I)
_TOLL_BEFORE = re.compile(r"\b(?:(?:death|casualty) toll|toll of (?:dead|deaths)|the toll|number of (?:the )?(?:dead|deaths|"
                          r"fatalities|people (?:killed|who died|confirmed dead))|(?:count|tally|total) of (?:the )?(?:dead|deaths))"
                          r"\b[^;]{0,80}?\b(?:to|at|of|is|was|reached|hit|passed|topped)\s+"
                          r"(?:about |around |nearly |almost |more than |at least |over |some )?$", re.I)


@lru_cache(maxsize=50_000)
def quantities(text: str) -> tuple[Quantity, ...]:
    out = []
    pos = 0
    figs = figures(text)
    spans = []  # where each figure sits, to give a period only to the figure it is next to
    p = 0
    for f in figs:
        a = text.find(f, p)
        spans.append((a, a + len(f)) if a >= 0 else (-1, -1))
        p = a + len(f) if a >= 0 else p
    per: bool | None = None
    for k, f in enumerate(figs):
        at = text.find(f, pos)
        if at < 0:
            continue
        pos = at + len(f)
        rest = _RANGE_TAIL.sub(" ", text[pos:])
        ws = [w for w in _WORD_OR_PCT.findall(rest)[:5]]
        unit_words = [w for w in ws if not MAGNITUDE.fullmatch(w)][:3]
        unit = frozenset(content_terms(" ".join(unit_words))) | (frozenset({"percent"}) if _PERCENT.search(f + " " + " ".join(ws[:1])) else frozenset())
        before = text[max(0, at - 40):at]
        move = bool(MOVE_BEFORE.search(before))
        tally = bool(unit & TALLY) or bool(_KILLING.search(before))
        verb = event_verb(text, at)
        own_words = []  # the unit's words up to another clause ("87 people and 12 died": not 87's)
        for w in ws:
            if w.lower() in ("and", "but", "or", "while") or w[:1].isdigit():
                break
            own_words.append(w)
        if (_KILLING.search(before) or verb == "kill" or frozenset(content_terms(" ".join(own_words))) & _DEATH_UNIT or _TOLL_BEFORE.search(text[max(0, at - 120):at])
                or _DIED_AFTER.match(rest)):
            unit, tally = unit | {"death"}, True  # a count of deaths, however it is written
        # A sum of money is set by events (an offer, a price, a period's results) and a figure for
        # "last year" or "the third quarter" belongs to its period: a later one is another quantity.
        money = bool(_MONEY.search(f + " " + " ".join(ws[:1])))
        if per is None:
            per = bool(PERIOD.search(text))  # of the whole text: once, not per figure
        # "two other leaders" is no total; "killed 12, more than feared" is (another clause begins)
        beyond = other_count(tuple(ws)) and not (f[-1:] in ",.;:" or re.match(r"\s*[,;:.!?]", text[pos:]))
        settled = not (money or per or beyond)
        out.append(Quantity(f, figure_value(f), unit, move, tally, settled, tuple(unit_words),
                            "" if money else _own_period(text, spans, k), verb))
    return tuple(out)


_DAY_NAME = "(" + "|".join(d.capitalize() for d in WEEKDAYS) + ")"
_DAY = re.compile(rf"\b(?:[Oo]n|[Ll]ast) {_DAY_NAME}\b")  # not a live label ("Thursday, 10 pm: …")
_DAYS_EVENT = re.compile(rf"\b{_DAY_NAME}['’]s\b")


def other_day(a: str, b: str, cue: bool) -> bool:
    """A count of another event: the later text places its event on another day of the week than the
    claim's ("killed 87 people on Monday" / "killed 30 people at a market on Friday"; "Thursday's
    attack"). With words giving the count anew, only a day naming the event counts ("Thursday's attack"):
    "police found another body on Sunday, bringing the number of dead to 50" is the same toll."""
    if not (counts_deaths(a) and counts_deaths(b)):
        return False  # only a count of events has another event's count ("leaking 5,000 barrels" is one quantity)
    days_a, days_b = _event_days(a), (set(_DAYS_EVENT.findall(b)) if cue else _event_days(b))
    return bool(days_a and days_b) and not days_a & days_b


_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|reported|added|confirmed|stated|disclosed)\s*$", re.I)


def _event_days(text: str) -> set[str]:
    """Days the text places something on, not the day a statement was made ("said on Thursday")."""
    return {m.group(1) for m in _DAY.finditer(text) if not _SAID_BEFORE.search(text[:m.start()])}


def count_grew(a: str, new: list[str]) -> bool:
    """Every new figure is larger than a running count the claim gives (a toll that went on growing)."""
    old = [q.value for q in quantities(a) if q.tally and q.value is not None]
    vals = [figure_value(f) for f in new]
    return bool(old and vals) and all(v is not None and v > max(old) for v in vals)


def counts_deaths(text: str) -> bool:
    """The text gives a count of deaths (people killed, who died, a death toll)."""
    return any("death" in q.unit for q in quantities(text))


def _own_period(text: str, spans: list[tuple[int, int]], k: int) -> str:
    """The period named right beside figure `k` with no other figure between ("3.7 percent of GDP
    this year", "this year's deficit will reach 12.5 percent"), or ""."""
    lo = spans[k - 1][1] if k > 0 else 0
    hi = spans[k + 1][0] if k + 1 < len(spans) else len(text)
    for m in PERIOD.finditer(text):
        if lo <= m.start() and m.end() <= hi and abs(m.start() - spans[k][0]) <= 80:
            return m.group(0).lower()
    return ""


def _initialism(qa: Quantity, qb: Quantity) -> bool:
    """One unit written out and as its initials ("percent of gross domestic product" / "of GDP")."""
    for x, y in ((qa, qb), (qb, qa)):
        words = [w for w in x.words if w[:1].isalpha()]
        if len(words) >= 2 and any("".join(w[0] for w in words[i:i + n]).lower() in {u.lower() for u in y.words}
                                   for n in (2, 3, 4) for i in range(len(words) - n + 1)):
            return True
    return False


def _same_period(qa: Quantity, qb: Quantity, same_year: bool) -> bool:
    """Two figures of one period: the same words, and for a period named relative to the story's date
    ("this year", "last year") two stories of the same year ("in 2009" needs no date)."""
    if not qa.period or qa.period != qb.period or qa.move or qb.move:
        return False
    return same_year or bool(re.search(r"\d", qa.period))


def revised(a: str, b: str, cue: bool, same_year: bool = False) -> list[str]:
    """Figures of `b` that give a different value for a quantity `a` states (same unit words);
    `cue`: the text says it revises (then a larger running count is a revision too); `same_year`: both
    stories are of one year (a relative period, "this year", is then one period)."""
    new = []
    for qa in quantities(a):
        for qb in quantities(b):
            # A period's figure is revised by a figure for the same period ("this year" / "this year's").
            same_period = _same_period(qa, qb, same_year)
            # A death toll the text says it gives anew is the same count, though the claim dates its event
            # relative to its own day ("the strike last month killed at least 30" / "now says 42 people
            # died … in October"); not a later count that names a period of its own ("last month's bombing").
            toll_anew = cue and "death" in qa.unit and "death" in qb.unit and not qb.period
            if qa.value is None or qb.value is None or qa.value == qb.value or not (
                    (qa.usable and qb.usable) or (same_period and qa.unit and qb.unit) or toll_anew):
                continue
            if not (qa.unit & qb.unit - {"percent"}) and not (qa.unit == qb.unit == frozenset({"percent"})) \
                    and not _initialism(qa, qb):
                continue
            if qa.verb and qb.verb and qa.verb != qb.verb:
                continue  # counts of two acts ("killing 200 people" / "convicted 21 people")
            if ("death" in qa.unit) != ("death" in qb.unit):
                continue  # deaths and another count of the same people (injured, displaced, survived, missing)
            if (qa.tally or qb.tally) and qb.value > qa.value and not cue:
                continue  # a running count that went on growing
            new.append(qb.figure)
    return list(dict.fromkeys(new))


def figure_kind(figure: str) -> str:
    """What a figure is, to match a new value with the claim's: a share, a sum of money, a year or a count."""
    if _PERCENT.search(figure):
        return "percent"
    if re.search(r"[$€£¥]", figure):
        return "money"
    return "year" if re.fullmatch(r"(?:1[89]|20)\d\d[,.;]?", figure) else "count"


def figure_left(a_values: set[float | None], b: str) -> str:
    """The later statement restates one of the claim's figures as the value a change started from
    ("values it at nothing, down from the $4.5 billion it estimated"): the words that say so."""
    for value, words in from_figures(b):
        if value in a_values:
            return words
    return ""


@lru_cache(maxsize=50_000)
def from_figures(b: str) -> tuple[tuple[float | None, str], ...]:
    """Each figure `b` says a change started from, with the words that say so (none when `b` is hypothetical).
    A year after a bare "from" is when something began, not a value that moved ("The old rule dated from
    1983", "from 2001 to 2005"); after "down from", "revised from" … it is a value."""
    if HYPOTHETICAL.search(b):
        return ()
    return tuple((figure_value(m.group(1)), " ".join(b[max(0, m.start() - 40):m.end()].split()[-9:]))
                 for m in FROM_FIGURE.finditer(b)
                 if not (m.group(0).lstrip().lower().startswith("from") and figure_kind(m.group(1)) == "year"))
