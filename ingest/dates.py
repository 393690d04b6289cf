"""Partial dates ("2019", "2019-06", "2019-06-10") as intervals, so "later" is never guessed."""

from __future__ import annotations

import calendar
import re
import datetime as dt
from functools import lru_cache

MONTH_NAMES = ["", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


@lru_cache(maxsize=4096)  # a few thousand distinct dates, compared millions of times when relinking
def interval(value: str) -> tuple[dt.date, dt.date] | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        d = dt.date(y, m, int(parts[2]))
        return d, d
    except (ValueError, IndexError):
        return None


def is_later(later: str, earlier: str) -> bool:
    """True only when `later` is certainly after `earlier`: "2019-06" is later than "2019-05",
    but neither "2019-06-10" nor "2019" is later than "2019-06". Undated is never later."""
    a, b = interval(later), interval(earlier)
    if a is None or b is None:
        return False
    return a[0] > b[0] and a[1] > b[1]


def human(value: str) -> str:
    """"2019-06" → "June 2019"; "2019-06-10" → "10 June 2019"."""
    parts = value.split("-") if value else []
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTH_NAMES[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTH_NAMES[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value or "undated"


def clock_minutes(m: "re.Match[str]") -> int:
    """Minutes after midnight of a time of day matched by a clock pattern whose groups are (hour,
    minutes or None, the a/p of "am"/"pm", "midnight"/"noon" or None). One reading for the detector's
    and the answer path's patterns, which differ in what they accept around the time."""
    if m.group(4):
        return 0 if m.group(4).lower() == "midnight" else 12 * 60
    return (int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)) * 60 + int(m.group(2) or 0)


def utc_now() -> str:
    """Now, in UTC, ISO 8601 to the second ("2026-11-27T16:30:05Z"): how the index stamps its writes
    (`indexed_at`, the last upgrade)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_RELATIVE_YEAR = {"last year": -1, "this year": 0, "a year ago": -1, "the previous year": -1}


def period_years(text: str, published: str) -> set[int]:
    """The years a sentence reports on: the years it names, and "last year" / "this year" read
    against its own source's date (later coverage's background test; the detector's figure rules:
    two figures of different years are two quantities, not one revised)."""
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)}
    if published[:4].isdigit():
        low = text.lower()
        years |= {int(published[:4]) + d for k, d in _RELATIVE_YEAR.items() if k in low}
    return years
