"""Whether a later statement is about the subject of a cited sentence, read as a reader reads it:
the names the two share, the sentences around the statement (its story's headline, the sentences
beside it), and what it refers back to ("took them off it", "the phone maker"). Later coverage
(bot/later.py) asks these questions; nothing here knows about questions or answers."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.corrections.lexicon import GENERIC_NAMES
from ingest.corrections.story import TITLES
from ingest.corrections.subject import shared_names, topic_overlap
from ingest.records import StoredSentence, sentence_id
from ingest.terms import CALENDAR_WORDS, content_terms

from .names import ORDINARY, lexicon
from .story import is_lead


@dataclass(frozen=True)
class Surroundings:
    """What a reader sees around a sentence: its source's headline (`titles`, source id → title)
    and the sentences beside it that are already in memory (`read`, sentence id → sentence)."""

    titles: Mapping[str, str] = field(default_factory=dict)
    read: Mapping[str, StoredSentence] = field(default_factory=dict)

    def lead(self, s: StoredSentence) -> bool:
        """`s` is its story's lead (bot/story.py `is_lead`)."""
        before = self.read.get(sentence_id(s.source, s.index - 1)) if s.index > 0 else None
        return is_lead(s.text, s.index, before.text if before else None, bool(self.titles.get(s.source)))

    def of(self, s: StoredSentence) -> str:
        parts = [self.titles.get(s.source, "")]
        parts += [n.text for j in (s.index - 1, s.index + 1) if j >= 0
                  for n in [self.read.get(sentence_id(s.source, j))] if n is not None]
        return " ".join(p for p in parts if p and p != s.text)


_NUMBER = re.compile(r"[\d.,%$£€-]+")


_PLAIN = re.compile(r"(?<![\w'’.-])[a-z][\w'’-]*")


def same_subject(a: str, b: str) -> bool:
    """`a` and `b` share a name that is neither a kind of body alone ("University"), nor a title or
    rank alone ("President": "Vice President Al Gore" / "President Obama"), nor a bare
    number (a year or a figure is no subject), nor a word one of them writes as an ordinary word —
    capitalised only because it opens the other sentence ("Countries whose debt …" / "two
    countries", "Waterfront Toronto said …" / "Liverpool's waterfront")."""
    plain = _plain_words(a) | _plain_words(b)
    names = {n for n in shared_names(a, b) if not _NUMBER.fullmatch(n) and n not in plain}
    if names and _cap_runs(a) and _cap_runs(b):  # (most pairs have no run of capitals on one side: nothing to weigh)
        names = {n for n in names if not _other_names(a, b, n)}
    return bool(names - GENERIC_NAMES - (TITLES - _in_shared_phrase(a, b)))


def _other_names(a: str, b: str, word: str) -> bool:
    """`word`, an ordinary English word ("world", "national", "united"), is shared only as a word of two
    different multi-word names: each sentence writes it only inside a run of capitalised words, and the
    runs' other words (titles, honorifics, days, company suffixes and "of"/"the" aside) have nothing in
    common, nor a form ("Korea"/"Korean": the first four letters) — "World" in "UNESCO's List of World
    Heritage in Danger" and in "the World Health Organization": two bodies, no shared subject. A name that
    is no ordinary word ("Trump", "Merkel") ties two sentences whatever is written beside it."""
    if not _ordinary(word):
        return False
    others_a, inside_a = _beside_in_runs(a, word)
    if not inside_a:
        return False
    others_b, inside_b = _beside_in_runs(b, word)
    if not inside_b:
        return False
    return bool(others_a) and bool(others_b) and not any(x[:4] == y[:4] for x in others_a for y in others_b)


@lru_cache(maxsize=100_000)
def _beside_in_runs(text: str, word: str) -> tuple[frozenset[str], bool]:
    """The other words of the runs of capitals holding `word` (what stands beside a name aside), and
    whether the text writes `word` only inside such runs (read once per text and word: later coverage
    asks it of every pair of a question's candidates)."""
    runs = [r.split() for r in _cap_runs(text) if word in r.split()]
    if not runs:
        return frozenset(), False
    alone = len(re.findall(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text, re.I))
    return frozenset(w for r in runs for w in r if w != word) - _BESIDE, alone <= len(runs)


@lru_cache(maxsize=65_536)
def _ordinary(word: str) -> bool:
    """The dictionary calls the word ordinary (read once per word: the look-up takes the lexicon's lock)."""
    return lexicon().kind(word) == ORDINARY


# What stands beside a name without being part of it: "of", "the", titles and honorifics, days and months,
# company suffixes, and the words a run may open with ("On Friday Mr Trump …").
_BESIDE = (frozenset({"of", "the", "on", "in", "at", "by", "mr", "mrs", "ms", "dr", "inc", "inc.", "co", "co.", "corp",
                      "ltd", "plc", "llc", "group"}) | frozenset(t.lower() for t in TITLES) | CALENDAR_WORDS)


# Read once per text: later coverage asks `same_subject` of every (cited, candidate) pair of every
# question, and the same sentences come back question after question in a warm bot.
@lru_cache(maxsize=100_000)
def _plain_words(text: str) -> frozenset[str]:
    """The words a sentence writes in lower case."""
    return frozenset(_PLAIN.findall(text))


# A run of capitalised words ("Justice Department", "Secretary of State"), without an opening article.
_CAP_RUN = re.compile(r"(?<![\w'’.-])(?!(?:The|A|An)\s)[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)+")


def _in_shared_phrase(a: str, b: str) -> set[str]:
    """Words of a multi-word name both write the same ("the Justice Department" in both): a title
    word there is part of a name, not a title alone."""
    return {w for p in _cap_runs(a) & _cap_runs(b) for w in p.split()}


@lru_cache(maxsize=100_000)
def _cap_runs(text: str) -> frozenset[str]:
    """The sentence's runs of capitalised words, lower-cased (read once per text, as `_plain_words`)."""
    return frozenset(" ".join(m.group(0).lower().split()) for m in _CAP_RUN.finditer(text))


def own_names(text: str) -> bool:
    """The sentence names something itself (beyond kinds of body and numbers)."""
    return same_subject(text, text)


_OPENER = re.compile(r"\W*([A-Z][a-z]+)\b")


def names_something(text: str) -> bool:
    """`own_names`, but a first word counts only when it is a name, not an ordinary word capitalised
    to open the sentence ("Officials said …", "Members struck …"; the dictionary says which:
    bot/names.py) — whether a sentence of a story takes its subject over."""
    if not own_names(text):
        return False
    m = _OPENER.match(text)
    if m and lexicon().ordinary_only(m.group(1)):
        rest = text[m.end():]
        return own_names(rest)
    return True


def without_opening(text: str) -> str:
    """The sentence without its first word when that word may be an ordinary word capitalised only to
    open it ("Meeting in The Hague, …", "Twitter had …": the dictionary says which, bot/names.py).
    Read as a name, such a word hides the same word from the sentence's content words wherever it
    occurs ("… and meet in Brussels"); read as a content word, a name would count as one ("twitter").
    Left out, it counts as neither."""
    m = _OPENER.match(text)
    if m and lexicon().ordinary_only(m.group(1)):
        return text[m.end(1):]
    return text


def point_overlap(a: str, b: str) -> set[str]:
    """The content words two sentences (or a question and a sentence) share, an opening word that may
    be an ordinary word left out (`without_opening`)."""
    return topic_overlap(without_opening(a), without_opening(b))


# Who said it, set off from what was said: a closing "…, the company said on Thursday." or an opening
# "The government said on Friday that …" (up to six words for the speaker).
_SAID = r"(?:said|says|told reporters|reported|announced|added|confirmed)"
# Closing, it is followed by nothing or by when or where it was said ("on Thursday", "in a statement"),
# never by what was said ("In a statement on Monday, the ministry said the ban would end").
_WHEN_SAID = r"(?:on|in|at|late|early|last|this|earlier|later|yesterday|today|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
_CLOSING_SAID = re.compile(rf",\s*(?:[\w'’.-]+\s+){{0,5}}[\w'’.-]+\s+{_SAID}\b"
                           rf"(?:\s+{_WHEN_SAID}\b(?![^,;]*\bthat\b)[^,;]*)?[\s.!?\"”’']*$", re.I)
_OPENING_SAID = re.compile(rf"^\W*(?:[\w'’.-]+\s+){{0,5}}?{_SAID}\b(?:\s+on\s+\w+)?(?:\s+that)?\s+", re.I)


def what_was_said(text: str) -> str:
    """The sentence without its attribution: who said a thing is not what was said ("Twitter had 328
    million users, the company said" and "The government said Twitter had agreed to open a local
    company" share no point)."""
    return _OPENING_SAID.sub("", _CLOSING_SAID.sub("", text), count=1)


# The subject of a question about a current state, as its form gives it: what stands between the
# opening verb and the word that asks about now ("Is [the Rafah crossing] still closed?", "Are [the
# 737 Max jets] currently grounded?"), or before the state asked about ("Is [the bridge] closed?").
# Not "now", "any more", "today": they may follow the state ("Is the museum shut any more?").
_ASKED_OF = re.compile(r"^\W*(?:is|are|was|were|does|do|did|has|have|can|will)\s+(.+?)\s+(?:still|currently|no longer)\b"
                       r"|^\W*(?:is|are)\s+(\S+(?:\s+\S+){0,5}?)\s+(?:on|in|under|off|banned|closed|open|suspended|"
                       r"listed|grounded)\b", re.I)


def subject_terms(question: str) -> frozenset[str]:
    """The content words with which a question about a current state names what it asks about rather
    than what it asks of it, as its form gives them: the words between its opening verb and "still"
    (or the state it asks about). A statement sharing only these with the question is about the same
    thing, not on its point ("On Tuesday the crossing's operator met the union" is no answer to
    whether the Rafah crossing is still closed). Only this form says where the subject ends; in
    other questions a noun beside a name may as well be the point's ("under the Enrique Rébsamen
    school", of a girl trapped there)."""
    m = _ASKED_OF.search(question)
    return frozenset(content_terms(m.group(1) or m.group(2))) if m else frozenset()


def beyond_subject(question: str, text: str) -> set[str]:
    """The content words a statement shares with the question beyond those naming its subject
    (`subject_terms`): the question's point in the statement's words."""
    return point_overlap(question, text) - subject_terms(question)


_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|he|him|his|she|her)\b", re.I)
_DEFINITE = re.compile(r"\bthe ((?:[a-z-]+ ){0,2}[a-z-]+)")


def refers_back(s: StoredSentence, cited: str, subject: str, around: Surroundings) -> bool:
    """`s` takes its subject from the sentence before it: that sentence names the cited subject,
    and `s` refers back to it by a pronoun ("took them off it") or by a definite description of
    the cited sentence's own words ("the phone maker" after "the Chinese smartphone maker")."""
    before = around.read.get(sentence_id(s.source, s.index - 1))
    if before is None or not same_subject(subject, before.text):
        return False
    return bool(_PRONOUN.search(s.text)) or any(topic_overlap(m.group(1), cited)
                                                 for m in _DEFINITE.finditer(s.text))


def continues(s: StoredSentence, subject: str, around: Surroundings) -> bool:
    """`s` names nothing itself and its story is about the cited subject at that point: the nearest
    earlier sentence of the story that names anything (of those read), or failing any, its headline,
    names the subject. A story keeps its subject until a sentence names another ("The panel struck
    the valley off the list." three sentences after the lead naming the valley), so a sentence
    naming only something else between them ends it ("Khan had refused …")."""
    if names_something(s.text):
        return False  # it names its own subject, which is not the cited one
    earlier = sorted((x for x in around.read.values() if x.source == s.source and x.index < s.index),
                     key=lambda x: -x.index)
    for x in earlier:
        if same_subject(subject, x.text):
            return True
        if names_something(x.text):
            return False  # another subject took over
    return same_subject(subject, around.titles.get(s.source, ""))


__all__ = ["Surroundings", "beyond_subject", "continues", "names_something", "own_names", "point_overlap", "refers_back",
           "same_subject", "subject_terms", "what_was_said", "without_opening"]
