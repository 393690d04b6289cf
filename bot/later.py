"""Later coverage: what later-dated sources say on the point of a cited sentence, with or
without a confirmed correction link.

An answer that quotes a claim from May must show what a September source says about the same
subject and point, newest first, even when nothing says "corrected". It costs the warm query
nothing extra: the statements come from the candidates retrieval already scored for this
question (they carry their source date), and what surrounds them (their source's headline, the
sentences beside them) from what the select stage already read. Four rules:
- later: the statement's source is certainly later-dated than the cited sentence's (undated
  sources never count as later; `ingest.dates.is_later`); a sentence that dates what it reports to
  a year before its own source ("was taken off the list in 2008", in a 2017 story) is background,
  not later news;
- same subject: the statement shares a name with the cited sentence — or, as a reader takes it,
  the statement read with its headline and the sentences beside it shares one with the cited
  sentence ("The magazine struck the study from its pages." after a sentence naming the journal)
  and carries every name the question asks about (for a question about a current state, that
  alone) — or it refers back ("took them off it", "the phone maker") to the sentence before it,
  which names the cited subject. The cited sentence's own names make its subject, its surroundings only when it names
  nothing itself. A year or a figure alone is no subject, nor a word capitalised only because it
  opens a sentence ("Countries whose debt …" / "two countries"); and when the question names
  something, a statement that names none of it, even with its surroundings, is about something else
  ("the British chip designer Arm" beside "a British company" for a question about Pfizer) — nor
  does it name it by a country the question names only as where or whose ("the US list"), when the
  question names something else ("Boko Haram"): that country alone is another story's too;
- same point: it shares a content word with the cited sentence beyond names, or with the
  question, or is close to the cited sentence in meaning — and it is relevant to the question (key
  words or meaning). For a question about a current state ("is X still …"), a statement that
  itself names what the cited sentence names and carries every name of the question (with its
  surroundings) is on the point, and so is one naming it or referring back to it that says how
  things stand now ("would start again", "no longer"); a statement that names the subject only
  through its surroundings must show the point in its own words, so a later article that merely
  mentions a famous name stays out. For a question asking how many or how much, a later figure of
  that kind where the cited sentence gives one is on the point;
- one statement per later source, newest source first: its news (a body sentence the detector's
  stored cue marks as stating a change about what the question names, not told in the past
  perfect; then one telling the story's own news — a state that holds now or again, an event of
  the story's own days — before reactions and background; then the best by the selection score),
  with the sentence beside it when that one names the subject the statement leaves implicit (a
  list window). A later statement dated to an earlier year is background unless it is the year
  the cited sentence reports on (a revision of that period's figure).
For a question about a current state, the newest cited story's own statement of the change joins
them (`_stated_change`): a sentence the detector's cue marks, one saying how things stand now, or
the story's lead, which tells its news in plain words ("The charity … is winding up the project").
Read at the level of the story (bot/later_story.py): a statement whose subject rests on a shared name
alone counts only when its story meets the cited story somewhere; a later story whose headline names
the cited subject and is close to the cited story admits its statements close to the question
("… put the number of dead at 316,000" under "Haiti Marks a Year Since the Quake"), after those on
the point in their own words; a statement taking up the cited point in other words needs no shared
name (`restates`). What the cited sentence's own story tells after it, opening on a later time
("Later on Saturday …", "Update: …"), is later coverage too (bot/later_within.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from ingest.corrections.demonyms import country_forms, country_of, is_adjective
from ingest.corrections.lexicon import GENERIC_NAMES, NOT_NAMES, PAST_PERFECT
from ingest.corrections.story import DOC_SIM, TITLES
from ingest.corrections.subject import shared_names
from ingest.dates import interval, is_later
from ingest.records import StoredSentence
from ingest.split import is_headline
from ingest.terms import CALENDAR_WORDS, name_tokens, unaccent
from ingest.tuning import LaterTuning

from .later_story import Stories, names_any, restates
from .later_subject import (Surroundings, continues, own_names, point_overlap, refers_back, same_subject,
                            what_was_said)
from .later_order import newest_first
from .names import initials_in
from .later_within import CHANGE_CUES as _CHANGE_CUES, asks_how_many, counts_what_is_asked, same_measure, told_after, updates_within
from .story import background, news_level, period_years, states_now


class Scored(Protocol):
    """A candidate as the select stage scored it (`bot.select.Scored` is one); no import of select."""

    sentence: StoredSentence
    dense: float
    lex: float
    names: float
    score: float


@dataclass(frozen=True)
class StoryFacts:
    """What later coverage's one-story test reads of a whole source: its mean sentence vector (unit
    length) and its text."""

    centroid: np.ndarray
    text: str


class ReadLog:
    """The neighbour reader handed to the select stage, keeping what it read: later coverage looks
    at the same neighbours without a second read of the index."""

    def __init__(self, read: Callable[[Sequence[str]], dict[str, StoredSentence]]) -> None:
        self._read = read
        self.seen: dict[str, StoredSentence] = {}

    def __call__(self, ids: Sequence[str]) -> dict[str, StoredSentence]:
        out = self._read(ids)
        self.seen.update(out)
        return out


# "Is X still …", "Did X go ahead with …", "Is X on the list?", "Does X still …", "… any more?"
_CURRENT = re.compile(
    r"^\s*(?:(?:is|are|was|were|does|do|has|have|can|will)\b.*\b(?:still|currently|now|yet|any ?more|any longer|"
    r"today)\b|did\b.*\b(?:go ahead|happen|proceed|go through|end up|actually|finally|complete)|"
    r"(?:is|are)\s+\S+(?:\s+\S+){0,5}\s+(?:on|in|under|off|banned|closed|open|suspended|listed|grounded)\b"
    r"|what is the (?:latest|current|status)|what happened (?:to|with)|where does .* stand)", re.I)
# A yes/no question: it asks whether something holds or happened — what a later story may overturn —
# where a wh-question asks for a detail of the story ("Where is Northwind based?").
_WHETHER = re.compile(r"^\W*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|"
                      r"isn['’]t|aren['’]t|wasn['’]t|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t)\b", re.I)


def asks_whether(question: str) -> bool:
    """A yes/no question (`_WHETHER`)."""
    return bool(_WHETHER.match(question))


def is_current_state(question: str) -> bool:
    """A question about how things stand now, which the newest statement answers."""
    return bool(_CURRENT.search(question))


def _start(published: str):
    iv = interval(published)
    return iv[0] if iv else None


def verdict(c: Scored, s: Scored, question: str, question_names: Sequence[str], tuning: LaterTuning,
            around: Surroundings, asked: frozenset[int] = frozenset(),
            stories: Surroundings | None = None, whole: Stories | None = None) -> tuple[str, bool]:
    """Whether `s` is later coverage of the cited `c` (rules above): ("", names the subject itself)
    when it is, else (why not, False) — "not later", "not relevant", "background", "not named",
    "subject", "point". `stories`: what is read of each later story, for its subject (default
    `around`). The later-coverage benchmark (benchmarks/later_coverage.py) counts the reasons."""
    cs, ss = c.sentence, s.sentence
    if ss.source == cs.source or not is_later(ss.published, cs.published):
        return "not later", False
    if s.lex <= 0 and s.dense < tuning.question_dense:
        return "not relevant", False  # not about what was asked
    if background(ss, cs, asked):
        return "background", False
    # A statement that takes up the cited sentence's own point in other words, in a story that meets
    # the cited one, is on its subject without a shared name (bot/later_story.py `restates`) — and
    # without the question's names when the cited sentence itself does not name them either. With
    # no name to hold it, it must answer the question as closely as it follows the cited sentence.
    kin = (s.dense >= tuning.same_point_dense and (whole is None or whole.meet(cs, ss))
           and restates(cs, ss, tuning))
    # (A country the question names only as where — "What was net migration to Britain in 2022?" — is no
    # name the restatement must carry: `_places`.)
    if question_names and not _asked_name_in(s, question_names, stories or around, question) and not (
            kin and not names_any(cs.text, _what_asked(question_names, question))):
        return "not named", False  # names none of what the question names, even with its surroundings
    # The cited sentence's own names make the subject; its surroundings only when it has none
    # ("The company said it would resume …").
    c_subject = cs.text if own_names(cs.text) else f"{cs.text} {around.of(cs)}"
    current = is_current_state(question)
    # A shared name is weak evidence alone ("Britain" in a Brexit story and in a Rwanda scheme's):
    # the two stories must also meet somewhere (`_stories_meet`).
    met = whole is None or whole.meet(cs, ss)
    own = met and same_subject(c_subject, ss.text)
    # Through its surroundings, the statement must also carry every name the question asks about
    # ("Sam Altman" in a headline is not "Sam Bankman-Fried"'s story). Or it refers back (a
    # pronoun, "the phone maker") to the sentence before it, which names the cited subject.
    back = not own and refers_back(ss, cs.text, c_subject, around)
    # Or its story is about the cited subject at that point (bot/later_subject.py `continues`) — for
    # a question that names something the story carries: a statement naming nothing, asked by a
    # question naming nothing, has nothing but its story to tie it to the question.
    story = not own and not back and bool(question_names) and continues(ss, c_subject, stories or around)
    # Or its story's headline names the cited subject: a reader reads every sentence of a story
    # under its headline ("Walgreens Takes GE's Seat in the Dow" / "… will take its place").
    # (Admitted by its story alone, it must be close to the question in meaning itself: sharing a
    # name with the question is not enough — "plans to keep SkyHop's 900 employees" under a
    # headline naming the airline is no answer to where the airline is based.)
    headed = (not own and not back and s.names > 0 and s.dense >= tuning.question_dense
              and whole is not None and whole.headed(cs, ss, c_subject, around))
    # Or it is its story's lead and the headline names the cited subject: news copy tells its news
    # lead first, the lead under its headline ("Sri Lanka Lowers Bombing Count" / "The Health Ministry
    # said … about 253 people had died").
    led = (not own and not back and met and around.lead(ss)
           and same_subject(c_subject, around.titles.get(ss.source, "")))
    story = story or headed or led
    # Or both carry, with their surroundings, every name the question asks about: for a question
    # about a current state, or when the cited sentence names them only through its story ("a
    # protein … can edit genes" beside "The protein, NgAgo, …" / "… take down its paper on … NgAgo").
    asked_of = bool(question_names) and (current or c.names >= 1.0)
    if not (own or back or story or kin) and not (met and s.names >= 1.0 and (same_subject(c_subject, f"{ss.text} {around.of(ss)}")
                                                                         or asked_of)):
        return "subject", False
    close = (cs.vector is not None and ss.vector is not None
             and float(np.dot(cs.vector, ss.vector)) >= tuning.same_point_dense)
    # The same point: of the cited sentence (a shared content word, or close in meaning), or of the
    # question itself ("sell components to ZTE" / "lifted its export ban on ZTE": the cited
    # sentence may be background the question's point is not in).
    point = point_overlap(what_was_said(cs.text), what_was_said(ss.text)) or point_overlap(question, ss.text)
    # A question asking for a figure: a later figure where the cited sentence gives one is its point.
    point = point or same_measure(question, cs.text, ss.text)
    # For a question about a current state, a statement naming the cited subject itself (or referring
    # back to it) that says how things stand now after a change ("the search for a venue would start
    # again", "can no longer be discharged") answers "still" whatever its words.
    now = (own or back) and current and states_now(ss.text)
    # A country shared alone is weak evidence of one subject ("Iceland" in a grey list's story and in
    # a whaling one's; "Libya" on a terrorism list and in a video's ban): an answer on how things
    # stand now that shares no point with the cited sentence must rest on another name, in it or in
    # its story's headline ("Qantas A380s Return" / "The Australian airline's superjumbos …").
    # (Only for `own`: a statement referring back or admitted by its headline has no shared name to weigh.)
    if own and current and (now or s.names >= 1.0) and not (point or close) \
            and _country_only(c_subject, f"{ss.text} {around.titles.get(ss.source, '')}"):
        return "point", False
    if point or close or ((own or back) and current and s.names >= 1.0) or now or headed:
        return "", own
    return "point", False


def _country_only(a: str, b: str) -> bool:
    """Every name the two sentences share names a country (its name, adjective or abbreviation)."""
    shared = shared_names(a, b)
    return bool(shared) and all(country_forms(n) for n in shared)


@lru_cache(maxsize=4096)
def _places(names: tuple[str, ...], question: str = "") -> frozenset[str]:
    """The question's name words that name a country as where or whose, not what it asks about
    (`_as_place`): "the US list", "in the United States", "Australian barley" — not "Is Russia still
    part of …". A later statement that names only such a country is not tied to the question's
    subject by it (`_asked_name_in`): it names where more than what, and lets in other stories."""
    out: set[str] = set()
    for i, n in enumerate(names):
        span = (n,) if country_forms(n) else ((n, names[i + 1]) if i + 1 < len(names)
                                               and country_forms(f"{n} {names[i + 1]}") else ())
        if span and _as_place(" ".join(span), question):
            out |= set(span)
    return frozenset(out)


def _what_asked(question_names: Sequence[str], question: str) -> list[str]:
    """The question's names but the countries it names only as where or whose (`_places`)."""
    places = _places(tuple(question_names), question)
    return [n for n in question_names if n not in places]


_PLACE_BEFORE = re.compile(r"\b(?:in|to|from|at|on|into|across|within|inside|outside|by|for)\s+(?:the\s+)?$", re.I)


def _as_place(name: str, question: str) -> bool:
    """`name` (a country) stands in the question as where or whose, not as what it asks about: after a
    preposition, with or without an article ("in the United States", "to Britain", "on the US list"),
    as an owner ("Britain's tank contract"), or as an adjective in the singular ("Australian barley").
    Not as the subject ("Did the US leave …", "Is Russia still …") nor as people ("Do Australians …")."""
    if is_adjective(name.lower()):
        return True
    for m in re.finditer(r"(?<![\w.])" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)", question, re.I):
        if _PLACE_BEFORE.search(question[:m.start()]) or re.match(r"['’]s\b", question[m.end():]):
            return True
    return False


def _asked_name_in(s: Scored, question_names: Sequence[str], around: Surroundings, question: str = "") -> bool:
    """The statement, with its surroundings, names something the question names — a day or a month
    aside ("What was the jobless rate in Tarvia in March?": "The jobless rate in Osk for March …" names
    Tarvia's month, not Tarvia); an abbreviation of three letters or more spelled out counts ("PNAS":
    "The Proceedings of the National Academy of Sciences has struck …"). (A country's other spelling
    does not: "US" and "UK" name where more than what, and let in other stories.) When the question
    names something besides a country it names as where or whose ("Is Boko Haram on the US list …",
    `_places`), the statement must name that something: sharing "the US" alone let another group's
    listing in as later coverage."""
    asked = [n for n in question_names if n not in CALENDAR_WORDS]
    what = [n for n in _what_asked(question_names, question) if n not in CALENDAR_WORDS]
    if what and len(what) < len(asked):  # a country alone names where, not what the question asks about
        text = f"{s.sentence.text} {around.of(s.sentence)}"
        initials = any(len(n) >= 3 and initials_in(n.upper(), [text]) for n in what)
        # written as a name (a word of its own, capitalised), and by the statement itself when the
        # selection's coverage found none of the question's names in it: then only spelled-out initials
        return initials or (s.names > 0 and any(_says(text, n) for n in what))
    if s.names > 0 and len(asked) == len(question_names):
        return True  # the selection's coverage (`s.names`) counted no date
    text = f"{s.sentence.text} {around.of(s.sentence)}"
    if s.names <= 0:
        return any(len(n) >= 3 and initials_in(n.upper(), [text]) for n in asked)
    low = unaccent(text.lower())
    return any(n in low for n in asked)


def later_statements(cited: Sequence[Scored], pool: Sequence[Scored], question: str,
                     question_names: Sequence[str] = (), tuning: LaterTuning = LaterTuning(),
                     around: Surroundings = Surroundings(),
                     story_of: Callable[[str], StoryFacts | None] | None = None, doc_sim: float = DOC_SIM) -> list[Scored]:
    """Statements from `pool` (the question's scored candidates) later than a cited sentence and on
    its subject and point (rules above), newest source first, one per source, at most
    `tuning.max_later` (thresholds: settings.tuning.later)."""
    have = {c.sentence.id for c in cited}
    # What a reader has of each later story, for its subject: the neighbours selection read and
    # every candidate sentence (its neighbours for the other rules stay those selection read).
    stories = Surroundings(around.titles, {**{p.sentence.id: p.sentence for p in pool}, **around.read})
    current = is_current_state(question)
    asked = frozenset(period_years(question, ""))  # years the question names
    found: dict[str, tuple[Scored, bool]] = {}  # id → (statement, names the subject itself)
    whole = Stories((p.sentence for p in pool), tuning)  # each story as retrieved for the question
    direct: set[str] = set()
    for c in cited:
        for s in pool:
            if s.sentence.id in have:
                continue
            why, own = verdict(c, s, question, question_names, tuning, around, asked, stories, whole)
            if not why:
                found[s.sentence.id] = (s, own or (s.sentence.id in found and found[s.sentence.id][1]))
                if s.sentence.source not in whole.heads or not verdict(c, s, question, question_names, tuning, around,
                                                                  asked, stories)[0]:
                    direct.add(s.sentence.id)  # on the subject and point in its own right, not only by its story
    # What the cited sentence's own story told after it on its point (bot/later_within.py).
    for s in updates_within(cited, pool, question, tuning, have | set(found), stories.read):
        found[s.sentence.id] = (s, True)
        direct.add(s.sentence.id)
    if current:
        later_found = [s.sentence for s, _ in found.values()]
        for s in _stated_change(cited, pool, have | set(found), question_names, tuning, later_found, asked, around):
            found[s.sentence.id] = (s, True)
            direct.add(s.sentence.id)
    # A count asked of a story told as the day goes on ("How many people were killed …"): the last count it
    # tells of what the question counts is its newest ("about 20 people have been killed" … "Fifty people died").
    recount = {c.sentence.source for c in cited} if asks_how_many(question) else set()
    picks = _one_per_source(found, tuning.max_later, bool(question_names), direct, tuning.question_dense, stories.lead,
                            recount, question)
    if story_of is not None and len(picks) < tuning.max_later and question_names and asks_whether(question):
        # For a question whether something holds or happened, a later story that is the cited one's
        # as a whole is later coverage whatever its sentences' wording, in the places the rules above
        # left free (it never displaces what they found).
        # A country the question names only as where or whose ties no story to it (`_places`).
        what = _what_asked(question_names, question)
        more = _same_story(cited, pool, have | set(found), {s.sentence.source for s in picks} | {
            f[0].sentence.source for f in found.values()}, tuning, story_of, what, asked, doc_sim, stories.lead)
        more.sort(key=lambda s: (_start(s.sentence.published), s.score), reverse=True)
        picks += more[:tuning.max_later - len(picks)]
    return picks


def _same_story(cited: Sequence[Scored], pool: Sequence[Scored], have: set[str], covered: set[str],
                tuning: LaterTuning, story_of: Callable[[str], StoryFacts | None],
                question_names: Sequence[str], asked: frozenset[int], doc_sim: float = DOC_SIM,
                lead: Callable[[StoredSentence], bool] | None = None) -> list[Scored]:
    """Each later-dated source of the pool that no rule above admitted, that tells the cited sentence's
    story as a whole — the one-story test's document route (ingest/corrections/story.py): the cosine of
    the two documents' mean sentence vectors reaches `settings.tuning.corrections.story_doc_sim`, the
    level a correction link across sources may rest on — and that names something the question asks
    about which the cited story names too: its most newsworthy statement relevant to the question
    (`_news_first`), not background. A reader told "China imposes duties on Australian barley" must
    see the later story "Beijing lifts barley duties" whether or not one of its sentences repeats the
    first one's words."""
    out: list[Scored] = []
    seen: set[str] = set(covered)
    asked_of = [n.lower() for n in question_names]
    for c in cited:
        cs = c.sentence
        own = story_of(cs.source) if _start(cs.published) is not None else None
        if own is None:
            continue
        told = [n for n in asked_of if _says(own.text, n)]  # what the question asks that the cited story names
        by_source: dict[str, list[Scored]] = {}
        for s in pool:
            ss = s.sentence
            if (ss.id in have or ss.source in seen or ss.source == cs.source or not is_later(ss.published, cs.published)
                    or (s.lex <= 0 and s.dense < tuning.question_dense) or background(ss, cs, asked)):
                continue
            by_source.setdefault(ss.source, []).append(s)
        for src, items in by_source.items():
            facts = story_of(src)
            # The documents close as wholes — a name alone recurs across stories (a country, a
            # president) — and the later one naming something the question asks about that the cited
            # story names too: two stories on one topic are close as wholes ("Nature withdraws the
            # STAP papers" is not the Hwang story, though both are stem-cell retractions), and a later
            # story often names its subject otherwise ("Beijing" for China, "the senator"). The cited
            # story as a whole, not its one sentence: "barley from Australia" is told in a story of
            # "Australian barley", which the later one names.
            # Or, when the question's names are not in it, the two stories share a name of their own —
            # a person, a body, a place that is not a country ("Howard's coalition won the election"
            # after "Prime Minister John Howard called a general election"): a later story calls the
            # question's subject otherwise ("MPs" for Parliament, "nobody on the boat" for the asylum
            # seekers), and the documents' closeness with a name in common is the one-story test
            # correction links rest on, with the name besides.
            if (facts is None or float(own.centroid @ facts.centroid) < doc_sim
                    or not (any(_says(facts.text, n) for n in told) or _share_a_name(own.text, facts.text))):
                continue
            items.sort(key=lambda x: _news_first(x, True, tuning.question_dense, lead))
            out.append(items[0])
            seen.add(src)
    return out


@lru_cache(maxsize=1024)
def _story_names(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A story's own names, lower case — (written mid-sentence, written anywhere, a sentence's first
    word too) — without numbers, days and months, titles, the generic words of bodies ("Court",
    "Committee") and countries or their adjectives: those name where, and recur across stories."""
    def own(words: list[str]) -> frozenset[str]:
        out = set()
        for w in words:
            low = w.lower().strip(".'’")
            for tail in ("'s", "’s"):
                low = low.removesuffix(tail)
            if (len(low) > 2 and low.isalpha() and low not in CALENDAR_WORDS and low not in TITLES
                    and low not in GENERIC_NAMES and low not in NOT_NAMES and not country_of(low)
                    and not country_forms(low) and not is_adjective(low)):
                out.add(low)
        return frozenset(out)
    return own(name_tokens(text)), own(name_tokens(text, initial=True))


def _share_a_name(a: str, b: str) -> bool:
    """Two stories' texts share a name of their own (`_story_names`), written mid-sentence in at least
    one of them: a sentence's first word is capitalised whatever it is ("Nobody on the boat …") — or
    one writes as initials what the other spells out ("The FAA reopened …" / "The Federal Aviation
    Administration on Tuesday ordered …"; three letters or more, never a country's)."""
    pa, wa = _story_names(a)
    pb, wb = _story_names(b)
    if any(not (_only_where(a, n) and _only_where(b, n)) for n in (pa & wb) | (pb & wa)):
        return True
    # spelled out inside one sentence: "… said Nina Soto. Experts …" does not spell "NSE"
    return any(initials_in(t, _SENTENCE_END.split(other)) for text, other in ((a, b), (b, a)) for t in _initials(text))


_SENTENCE_END = re.compile(r"(?<=[a-z][.!?])\s+(?=[A-Z\"“])")
# Where a story happened or who reported it, not whom it is about: a name after a preposition ("in London",
# "on Wall Street") or a reporting medium ("told Reuters", "according to Reuters", "Reuters reported").
_WHERE_BEFORE = re.compile(r"\b(?i:in|to|from|at|on|into|across|within|inside|outside|near|told|according to)\s+"
                           r"(?:the\s+)?(?:[A-Z][\w&'’.-]*\s+)*$")
_REPORTER_AFTER = re.compile(r"^(?:\s+[A-Z][\w&'’.-]*)*\s+(?:reported|reports|news agency)\b")


def _only_where(text: str, name: str) -> bool:
    """Each time `text` writes the (lower-case) name, it says where or who reported (`_WHERE_BEFORE`,
    `_REPORTER_AFTER`): a city or a news agency recurs across stories of one kind as a country does."""
    hits = list(re.finditer(r"(?<![\w.])" + re.escape(name) + r"(?:['’]s)?(?![\w])", text, re.I))
    return bool(hits) and all(_WHERE_BEFORE.search(text[:m.start()]) or _REPORTER_AFTER.match(text[m.end():])
                              for m in hits)


@lru_cache(maxsize=1024)
def _initials(text: str) -> frozenset[str]:
    """Words in capitals of three to six letters a text writes, countries aside ("FAA", not "USA")."""
    return frozenset(t for t in re.findall(r"\b[A-Z]{3,6}\b", text) if not country_forms(t.lower()))


def _says(text: str, name: str) -> bool:
    """`text` writes the (lower-case) `name` as a name: a word of its own, capitalised ("EU" is not in
    "Europe"; "a mining company" does not name Orland Mining)."""
    text = unaccent(text)  # the question's names are read without accents ("Ibáñez" is "ibanez")
    return any(m.group(0)[0].isupper()
               for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text, re.I))


def _one_per_source(found: dict[str, tuple[Scored, bool]], limit: int, named: bool,
                    direct: set[str] | None = None, relevant: float = LaterTuning().question_dense,
                    lead: Callable[[StoredSentence], bool] | None = None,
                    recount: set[str] | frozenset[str] = frozenset(), question: str = "") -> list[Scored]:
    """Each later source's best statement, newest source first — one on the subject and point in its
    own words (`direct`; default all) before one its story's headline alone admits; a statement that
    names its subject only through the sentence beside it comes with that sentence when it too
    qualifies ("took a country off its list …" / "Cuba had been on the list for 33 years."). In a
    story of `recount` (a cited story asked how many), the last sentence counting what the `question` counts
    first (bot/later_within.py `counts_what_is_asked`)."""
    by_source: dict[str, list[tuple[Scored, bool]]] = {}
    for s, own in found.values():
        by_source.setdefault(s.sentence.source, []).append((s, own))
    picks = []
    for src, items in by_source.items():
        items.sort(key=lambda x: _source_order(x[0], named, relevant, direct, lead))
        if src in recount:
            counts = [x for x in items if not is_headline(x[0].sentence.text)
                      and counts_what_is_asked(question, x[0].sentence.text)]
            if counts:
                last = max(counts, key=lambda x: x[0].sentence.index)
                items.remove(last)
                items.insert(0, last)
        best, own = items[0]
        group = [best]
        if not own:
            beside = [s for s, o in items[1:] if o and abs(s.sentence.index - best.sentence.index) == 1
                      and not is_headline(s.sentence.text)]  # a headline restates; it never stands beside
            group += beside[:1]
        picks.append(group)
    picks.sort(key=lambda g: (_start(g[0].sentence.published), g[0].score), reverse=True)
    return [s for g in picks for s in g][:limit]


def _source_order(s: Scored, named: bool, relevant: float, direct: set[str] | None,
                  lead: Callable[[StoredSentence], bool] | None) -> tuple:
    """The order of one later source's statements: a body sentence before the headline; one on the
    subject and point in its own words (`direct`) before one its headline alone admits — unless that one
    is the story's lead stating the change: headline and lead are read as one ("Broadcom Walks Away From
    Qualcomm" / "The chipmaker has withdrawn its offer for its San Diego rival"); then `_news_first`."""
    key = _news_first(s, named, relevant, lead)
    lead_change = lead is not None and not key[1] and lead(s.sentence)
    return (key[0], direct is not None and s.sentence.id not in direct and not lead_change, *key[1:])


def _stated_change(cited: Sequence[Scored], pool: Sequence[Scored], have: set[str],
                   question_names: Sequence[str], tuning: LaterTuning,
                   later_found: Sequence[StoredSentence] = (), asked: frozenset[int] = frozenset(),
                   around: Surroundings = Surroundings()) -> list[Scored]:
    """For a question about how things stand now: the sentence of the newest cited source that
    states a change ("Twitter reinstated …", "no longer constitutes …"), when selection cited
    another sentence of that source ("Trump said he saw no reason to return"). Nothing is later
    than the newest source, so later coverage alone cannot bring it; the stored cue, or words saying
    how things stand now ("Pluto now belongs to …", "again", "no longer"), say which of its
    sentences changes a state, and it must be relevant and on the question's subject. The words, or
    the story's lead (news copy tells its news first: "The charity set up to build the bridge is
    winding up the project"), count only when later coverage found nothing later than that source
    ("700 bears now live in the region" is no news beside a later ruling)."""
    dated = [c.sentence for c in cited if _start(c.sentence.published) is not None]
    if not dated:
        return []
    newest = max(dated, key=lambda s: _start(s.published))
    # Words alone say how things stand now only where nothing later was found.
    by_words = not any(is_later(f.published, newest.published) for f in later_found)
    # Its headline restates the story (the cited sentence's own news, often): never news after it.
    out = [s for s in pool if s.sentence.source == newest.source and s.sentence.id not in have
           and not is_headline(s.sentence.text) and not background(s.sentence, asked=asked)
           and (s.sentence.cue in _CHANGE_CUES or (by_words and (states_now(s.sentence.text) or around.lead(s.sentence))))
           and (s.lex > 0 or s.dense >= tuning.question_dense)
           and ((bool(question_names) and s.names >= 1.0) or shared_names(newest.text, s.sentence.text))
           # told before an update the answer quotes already ("5:55 a.m. — … found safe"): not the newest word
           and not any(told_after(s.sentence, c.sentence) for c in cited)]
    return sorted(out, key=lambda s: -s.score)[:1]


def _news_first(s: Scored, named: bool, relevant: float = LaterTuning().question_dense,
                lead: Callable[[StoredSentence], bool] | None = None) -> tuple[bool, bool, int, bool, float]:
    """Which sentence of a later source carries its news: a body sentence before the headline (it
    restates the article, as in selection), one the detector's stored cue marks as stating a change
    (withdraws, ends, lifts, revises) about what the question names (every name, with its
    surroundings; a question that names nothing cannot tell), close to the question in meaning
    (`relevant`: a change beside the point — "asks neighbours to keep their windows shut" — is no
    answer to whether the workers are still missing) and not told in the past perfect before the
    rest; then one telling the story's own news (a state that holds now or again, an event of the
    story's own days) before background and reactions; then one not told in the past perfect (the
    story's background: "Former staff had complained …"); then the selection score."""
    ss = s.sentence
    change = (named and ss.cue in _CHANGE_CUES and s.names >= 1.0
              and (s.dense >= relevant or (lead is not None and lead(ss)))
              and not PAST_PERFECT.search(ss.text))
    return (is_headline(ss.text), not change, -news_level(ss.text), bool(PAST_PERFECT.search(ss.text)), -s.score)


__all__ = ["ReadLog", "StoryFacts", "Surroundings", "background", "is_current_state", "own_names", "later_statements", "newest_first",
           "same_subject", "verdict"]
