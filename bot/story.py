"""How a reader places one sentence of a news story in time: does it tell the story's own news
(a state that holds now or again, an event of the story's own days) or its background (what it
dates to an earlier year, what it tells in the past perfect)? Later coverage (bot/later.py) picks
each later source's news by these rules and leaves its background out; nothing here knows about
questions or answers."""

from __future__ import annotations

import re

from ingest.corrections.lexicon import PAST_PERFECT, YEAR, dated_before
from ingest.dates import period_years
from ingest.records import StoredSentence
from ingest.split import is_headline


# A story tells its own news as a state that holds now or again ("is now in the post-pandemic
# period", "could open Wikipedia again", "no longer gives it that label", "let him back into the
# Games") or as an event of its own days ("on Thursday", "yesterday"); its background is dated
# further back ("in January", "three years ago") or told in the past perfect ("had ruled").
_STATE_NOW = re.compile(r"\b(?:again|now|no longer|any ?more|once more|back (?:on|in|into|to|under|onto))\b", re.I)
_OWN_DAYS = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
                       r"this (?:week|morning|afternoon|evening))\b", re.I)


def news_level(text: str) -> int:
    """How plainly the sentence tells its story's own news (rule above): 2 for a state that holds
    now or again, 1 for an event of the story's own days told before any past perfect ("said on
    Thursday …, saying it had made progress" yes; "had ruled on Tuesday" no), 0 otherwise."""
    if states_now(text):
        return 2
    day, perfect = _OWN_DAYS.search(text), PAST_PERFECT.search(text)
    return int(bool(day and (perfect is None or day.start() < perfect.start())))


def is_lead(text: str, index: int, before: str | None, titled: bool) -> bool:
    """The sentence opens its story's body: the first sentence, or the second after a headline
    (`before`: the text of the sentence before it, None when it was not read — then the source's
    having a headline, `titled`, says so). News copy is written lead first (the inverted pyramid):
    the lead tells the story's news, the rest adds to it."""
    if is_headline(text):
        return False
    return index == 0 or (index == 1 and (is_headline(before) if before is not None else titled))


def reports_news(text: str) -> bool:
    """The sentence tells its story's own news, not background or reaction."""
    return news_level(text) > 0


# "again next year", "later this month": a time still to come — a hope or a plan, not how things stand.
FUTURE = re.compile(r"\s+(?:this|next|in the)\s+(?:year|month|week|season|decade|spring|summer|autumn|fall|winter)",
                    re.I)


def states_now(text: str) -> bool:
    """The sentence says how things stand now, after a change ("now belongs to", "again", "no
    longer"), not in the past perfect, nor of a time still to come ("hopes to fly again next year")."""
    return (any(not FUTURE.match(text, m.end()) for m in _STATE_NOW.finditer(text))
            and not PAST_PERFECT.search(text))


def background(s: StoredSentence, about: StoredSentence | None = None, asked: frozenset[int] = frozenset()) -> bool:
    """The sentence dates what it reports to a year before its own source: history, not news —
    unless that is the year the cited sentence (`about`) reports on (a later statement of the same
    period's figure or event revises it: "grew by 7.8 percent last year", March 2016 / "Output in
    2015 rose by 26.3 percent", July 2016) or the year the question asks about (`asked`: "What
    happened to the city's water in 2021?")."""
    main = main_clause(s.text)
    if not dated_before(main, s.published) or news_level(s.text) > 0:
        return False  # a story's own news may name an earlier year ("banned since 2008, it can fly again")
    m = YEAR.search(main)
    year = int(m.group(1)) if m else None
    if year is not None and year in asked:
        return False
    return about is None or year is None or year not in period_years(about.text, about.published)


# The sentence's subject — a determiner and up to four words, or a name of up to four capitalised
# words — followed by an aside set off by commas ("The coin, first announced in 2019, …").
_SUBJECT_ASIDE = re.compile(r"^((?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Tt]his)\s+[\w'’-]+(?:\s+[\w'’-]+){0,3}"
                            r"|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),[^,]*,")


def main_clause(text: str) -> str:
    """The sentence without an aside on its subject: a year there describes the subject ("The coin,
    first announced in 2019 and renamed in 2020, never reached the public"; "Exxon, a member since
    1928, …"), it does not date what the sentence reports. An introductory phrase ("Under the
    scheme, first announced in 2022, …") is not the subject, and its aside stays."""
    return _SUBJECT_ASIDE.sub(r"\1,", text, count=1)


__all__ = ["FUTURE", "background", "is_lead", "news_level", "period_years", "reports_news", "states_now"]
