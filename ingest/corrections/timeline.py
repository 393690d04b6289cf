"""A story told as a labelled timeline: paragraphs that open on a timestamp label, the way a live
blog or an election-night story is written ("Thursday, 10 pm: …", "Friday, afternoon: …",
"Wednesday, 12:40 am: …"). The labels are the story's own clock: a paragraph whose label is later
was written later, as surely as one placed by clock times alone (detect.py `_ordered_within`), and
unlike days of the week named inside a sentence ("On Thursday … On Friday …"), which a story uses to
recap events in any order."""

from __future__ import annotations

import re
from functools import lru_cache

from ..dates import clock_minutes
from .lexicon import WEEKDAYS

_PART_OF_DAY = {"early morning": 6 * 60, "morning": 9 * 60, "midday": 12 * 60, "noon": 12 * 60,
                "afternoon": 15 * 60, "early evening": 18 * 60, "evening": 19 * 60, "late evening": 22 * 60,
                "night": 22 * 60, "late night": 23 * 60 + 30}
_DAY = "|".join(WEEKDAYS)
_PART = "|".join(sorted(_PART_OF_DAY, key=len, reverse=True))
# A time of day, its groups as `dates.clock_minutes` reads them (hour, minutes, a/p, "midnight").
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?m\.?|(midnight)"
# "Thursday, 10 pm:", "Friday, afternoon:", "Wednesday 12:40 a.m. —", "Tuesday:" — a label, then ":" or a dash.
_LABEL = re.compile(rf"^\W*(?:({_DAY}),?\s*)?(?:(?P<time>{_TIME})|(?P<part>{_PART}))?\s*(?::|\s[—–-])\s", re.I)
_CLOCK_TIME = re.compile(_TIME, re.I)


@lru_cache(maxsize=100_000)
def label(text: str) -> tuple[int, int | None] | None:
    """(day of the week, minutes after midnight or None) of the timestamp label a paragraph opens
    on; None when it opens on none (a weekday is needed: a time of day alone is `_CLOCK`'s)."""
    m = _LABEL.match(text)
    if m is None or not m.group(1):
        return None
    day = WEEKDAYS.index(m.group(1).lower())
    if m.group("time"):
        return day, clock_minutes(_CLOCK_TIME.fullmatch(m.group("time")))
    return day, _PART_OF_DAY[m.group("part").lower()] if m.group("part") else None


def later_label(a: str, b: str) -> bool:
    """Both open on a timestamp label and `b`'s comes after `a`'s: a later day of the week (within the
    story's week: a timeline runs forward), or the same day at a later time."""
    la, lb = label(a), label(b)
    if la is None or lb is None:
        return False
    if lb[0] != la[0]:
        return lb[0] > la[0]
    return la[1] is not None and lb[1] is not None and lb[1] > la[1]


__all__ = ["label", "later_label"]
