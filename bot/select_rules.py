"""Helpers of the select stage's documented rules (bot/select.py says what each rule is): which
names of a question no source holds (rule 1), whose words a sentence reports (rules 2 and 9), and
the text beside a candidate that names its subject (rule 4). Kept apart so that bot/select.py reads
as the decision it makes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ingest.records import StoredSentence, sentence_id
from ingest.corrections.demonyms import country_forms
from ingest.dates import MONTH_NAMES
from ingest.terms import content_terms, name_tokens

from .features import QuestionView, name_coverage
from .names import (ORDINARY, absent_spans, fold, initials_in, lexicon, lowercase_names, number_of, spelled_out,
                    misspelt_in, unaccented_in)
from .termstats import TermStats

# Reads stored sentences by id (the store's `get_sentences`, typed): how a selector looks at the
# sentences around a candidate without holding the store.
Neighbours = Callable[[Sequence[str]], dict[str, StoredSentence]]


def around_of(qv: QuestionView, candidates: Sequence[StoredSentence], neighbours: Neighbours,
            titles: dict[str, str]) -> dict[str, str]:
    """Rule 4: for candidates missing some of the question's names, the text of the sentences
    beside them and their article's headline, in one read."""
    if not qv.names:
        return {}
    want: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for s in candidates:
        if name_coverage(qv, s.text) < 1.0:
            out[s.id] = titles.get(s.source, "")
            for j in (s.index - 1, s.index + 1):
                if j >= 0:
                    want.setdefault(sentence_id(s.source, j), []).append(s.id)
    for sid, s in (neighbours(list(want)) if want else {}).items():
        for cid in want[sid]:
            out[cid] = out[cid] + " " + s.text
    return out


def with_quote_ends(pool: Sequence[StoredSentence], neighbours: Neighbours, speaker: str) -> dict[str, str]:
    """Rules 2 and 9: each candidate's text, and for one that opens a quotation it does not close
    ("“We appreciate the corrections."), the next sentence too, where news copy names the speaker
    ("… Megvii said in a statement."). The first "he"/"she" of a sentence right after one naming the
    speaker is the speaker ("Luis Urzúa … stepped out." "He … told him …"; "“I may have lost,” he said.")."""
    out = {c.id: c.text for c in pool}
    open_ = {sentence_id(c.source, c.index + 1): c.id for c in pool
             if c.text.count("“") > c.text.count("”") or c.text.count('"') % 2}
    prev = {sentence_id(c.source, c.index - 1): c.id for c in pool
            if _PRONOUN.search(c.text) and c.index > 0}
    # The speaker's names ("urzua", "mccarthy"), not its ordinary words ("the president", "south").
    keys = [w for w in re.findall(r"\w+", fold(speaker)) if len(w) > 3 and lexicon().kind(w) != ORDINARY]
    for sid, s in (neighbours(list(open_) + list(prev)) if open_ or prev else {}).items():
        if sid in open_:
            out[open_[sid]] += " " + s.text
        if sid in prev and any(k in fold(s.text) for k in keys):
            cid = prev[sid]
            out[cid] = _PRONOUN.sub(speaker, out[cid], count=1)
    return out


_PRONOUN = re.compile(r"\b(?:He|She|he|she)\b")  # the sentence's first "he"/"she": "…," he said.


_MONTH_WORD = "(?:" + "|".join(MONTH_NAMES[1:]) + ")"  # the date readers' list (ingest/dates.py)
_MONTH_NUMBER = {m.lower(): n for n, m in enumerate(MONTH_NAMES) if m}
# A date as a question writes it: "April 23, 2013", "23 April 2013", "September 11", "August 2017",
# "in July". "May" counts as a month only beside a day or a year ("Theresa May", "may I ask").
_DATE = re.compile(rf"(?:\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?\b(?P<m>{_MONTH_WORD})\b"
                   rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?", re.IGNORECASE)


def _dates(question: str, months: frozenset[str]) -> tuple[set[str], set[str]]:
    """The question's date words that name a time, not a thing: (months the sources' dates cover,
    day numbers written beside a month). A month is covered when a source is dated in it or in the
    month after (a story reports the last days of the month before); with a year beside it, in
    that year, and the year is then covered with it ("December 31, 2015" in a story of 2 January
    2016, where no source is dated 2015). A day is never looked up: news copy dates events by
    weekday ("on Tuesday")."""
    covered: set[str] = set()
    days: set[str] = set()
    for m in _DATE.finditer(question):
        word, day, year = m.group("m"), m.group("d1") or m.group("d2"), m.group("y")
        if word.lower() == "may" and not (day or year) or not word[0].isupper():
            continue
        if day:
            days.add(day)
        n = _MONTH_NUMBER[word.lower()]
        after = n % 12 + 1
        for ym in months:
            y, mo = int(ym[:4]), int(ym[5:7])
            if (mo == n and (year is None or y == int(year))) or \
                    (mo == after and (year is None or y == int(year) + (n == 12))):
                covered.update([word, year] if year else [word])
                break
    return covered, days


def absent_names(question: str, stats: TermStats, texts: Sequence[str] = ()) -> list[str]:
    """Rule 1: names in the question that no indexed sentence holds (abbreviations and nationality
    adjectives may be spelled out in `texts`, the candidate sentences) — capitalised ones, and those
    a reader typed in lowercase that an English dictionary does not call ordinary words; failing
    those, a full name ("sonia gandhi") whose words no candidate holds together (bot/names.py). A
    year is held by a source dated to it (`TermStats.years`), a month likewise (`_dates`), and the
    day of a written date is a time, not a name. Of a hyphenated word only its names count: "US-bound"
    names the United States, not "bound". A country is held however a source spells it ("Russian":
    "Russia", "US": "the United States")."""
    held = stats.holds

    def country_held(tok: str) -> bool:
        """A country is held however the index spells it ("Russian": a source writes "Russia")."""
        return any(content_terms(f) and held(f) for f in country_forms(tok))

    dated, days = _dates(question, stats.months())

    def absent(tok: str) -> bool:
        parts = tok.split("-")
        named = [w for w in parts if not (w.islower() and lexicon().kind(w) == ORDINARY)]
        if len(parts) > 1 and named and len(named) < len(parts):  # "US-bound", "Paris-based": the name only
            return any(absent(w) for w in named)
        num = number_of(tok)  # "100m": "100 metres"
        return (not held(tok) and not (num and held(num)) and not spelled_out(tok, texts)
                and not initials_in(tok, texts) and not unaccented_in(tok, texts) and not misspelt_in(tok, texts)
                and tok not in stats.years()
                and tok not in dated and tok not in days and not country_held(tok))

    out = [tok for tok in dict.fromkeys(name_tokens(question)) if absent(tok)] + lowercase_names(question, absent)
    return out or absent_spans(question, texts)
