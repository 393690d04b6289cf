"""Earlier turns of one conversation, so follow-ups ("How much revenue does it have?") resolve.

Held in memory by the CLI; rebuilt from a Slack thread's replies by the Slack adapter, so no
process needs to remember anything between messages.

A follow-up inherits the previous subject only when it has none of its own: "Who backs it?" after
"Who owns Megvii?" becomes "Who backs Megvii?"; "Who developed the police app?" after three Megvii
questions starts fresh, because it names its own subject. A "he" or "she" after a question that
asked for a person ("Who is Hawaii's governor?") means the person the answer named (`person_answered`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.corrections.demonyms import country_forms
from ingest.terms import CALENDAR_WORDS as _CALENDAR, name_tokens
from ingest.tuning import FollowUpTuning

from .answer import Answer
from .names import lexicon

_PRONOUNS = r"it|its|it's|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|there|then"
_POSSESSIVE = {"its", "their", "theirs", "his", "her", "hers"}
# "How many died there?" after "What did the quake do on Everest?": "there" and "then" point to a
# place or a time the previous question gave ("on Everest"), which its subject alone does not say.
_PLACE_TIME = {"there", "then"}
# "And when?", "What about Europe?": a continuation. A bare question word is not one ("Who developed
# the police app?" after Megvii questions asks something new).
_CONTINUATION = re.compile(r"^\s*(and|what about|how about|so|also)\b", re.I)
_NAME_RUN = re.compile(r"(?:[A-Z][\w&'’.+-]*\s+(?:of\s+|the\s+|for\s+|and\s+)?)*[A-Z][\w&'’.+-]*")
_LEADING = re.compile(r"^(?:What|Who|Whom|Whose|Which|When|Where|Why|How|Did|Does|Do|Is|Are|Was|Were|Has|Have|"
                      r"Can|Could|Will|Would|And|So)\s+")


# Text → the same text with names typed in lowercase written as the sources write them (bot.names.recase).
Casing = Callable[[str], str]


@dataclass
class Turn:
    question: str
    standalone: str
    answer: Answer | None = None


# A day or a month is when something happened, not what a later "it" or "he" refers to
# ("What was missing from Monday's draft?" → "Who was upset by it?": the draft, not Monday):
# ingest.terms CALENDAR_WORDS.
_PERSON_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
# "Who is Caroline Ellison?" names its person; "Who is Hawaii's governor?", "Who leads Republic?",
# "Who was the bridge named for?" ask for one.
_WHO_NAMED = re.compile(r"^\s*(?i:who\s+(?:is|was))\s+(?:[A-Z][\w.'’-]*\s*)+\??\s*$")
_WHO = re.compile(r"^\s*who\b", re.I)
# A subject of its own, then its verb, then "its" ("How did the writers' guild describe its deal?");
# not "What is the size of its database?", where "its" still points back.
_THE_NOUN_DOES = re.compile(r"\b(?:did|does|do|has|have|will|would|can|could)\s+the\s+(?:[\w'’-]+\s+){1,3}?its\b", re.I)


def subject_of(question: str) -> str | None:
    """The question's own subject: its first run of names ("Human Rights Watch", "Megvii"), or
    None when it names nothing (a follow-up such as "Who backs it?")."""
    names = {n for n in name_tokens(question) if n.lower() not in _CALENDAR}
    if not names:
        return None
    for m in _NAME_RUN.finditer(question):
        run = m.group(0).rstrip("?.!,;:'’").removesuffix("'s").removesuffix("’s")
        if any(n in run for n in names):
            return _LEADING.sub("", run)
    return sorted(names, key=question.find)[0]


def person_answered(turn: Turn, asked_who: bool = True, casing: Casing | None = None) -> str | None:
    """The person a "who" question was answered with: after "Who is Hawaii's governor?" answered
    by "Hawaii's governor, Josh Green, said …", a "he" means Josh Green, not Hawaii — the first run
    of two or more capitalised words in the answer's first quoted sentence that is not wholly a
    name the question gave and reads as a person's name (`is_person`: "Who was running the diving
    operation?" answered by "divers, working from the ship Seaway Eagle" names no person). None when
    the question named its person ("Who is Caroline Ellison?"), was not a "who" question (unless
    `asked_who` is false: any question whose answer a "he" may point into), or was not answered.
    A question typed in lowercase gives its names through `casing` ("who did dana whitcombe hire"
    answered "Dana Whitcombe hired Priya Sandhu": the person answered is Priya Sandhu)."""
    a = turn.answer
    if a is None or not a.answered or _WHO_NAMED.match(turn.standalone):
        return None
    if asked_who and not _WHO.match(turn.standalone):
        return None
    text = a.first_quote
    asked = {n.lower() for n in name_tokens(turn.standalone)
             or (name_tokens(casing(turn.standalone)) if casing else ())}
    for m in _NAME_RUN.finditer(text):
        run = _FUNCTION_START.sub("", m.group(0).rstrip("?.!,;:'’").removesuffix("'s").removesuffix("’s"))
        words = [w for w in run.split() if w[:1].isupper()]
        if len(words) >= 2 and not all(w.lower() in asked for w in words) \
                and not any(w.lower() in _CALENDAR for w in words) and is_person(run) \
                and not _AT_PLACE.match(m.group(0)) and not _PLACE_BEFORE.search(text, 0, m.start()):
            return run
    return None


# "In Port Elsmere, Harrow Foods said …", "talks at Lake Orvel": a name after "in" or "at" is a place.
_AT_PLACE = re.compile(r"(?:In|At|Near|Outside|Across|Throughout)\s")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|across|throughout)\s+(?:the\s+)?$", re.I)


def _given_and_surname(name: str) -> bool:
    """Whether a name `is_person` turned down may still be a person: two capitalised words (an
    initial aside), the first not a word the dictionary knows only in lowercase — "Kamala Harris",
    "Liz Truss", "Steve Jobs", whose surnames are also words, have the shape of "Roslin Institute".
    In that doubt a "he" is neither the name nor another person the answer named ("Kamala Harris
    told a rally that Joe Biden …": not Joe Biden); the whole previous question is kept. "Whole
    Foods", "Event Horizon Telescope" and "East Germany" are no such doubt."""
    words = [w for w in _name_words(name) if len(w.rstrip(".")) > 1]
    if len(words) != 2 or any(w.isupper() or country_forms(w.rstrip(".'’")) for w in words):
        return False
    return not lexicon().ordinary_only(words[0])


# A regnal or generational numeral after a name ("Elizabeth II", "Charles III", "Benedict XVI").
_REGNAL = re.compile(r"^(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})$")
# "A NASA spacecraft …": a run of capitalised words that starts a sentence may start with an article.
_FUNCTION_START = re.compile(r"^(?:(?:A|An|The|In|On|At|Of|For|By|To|And|But)\s+)+")


def _name_words(name: str) -> list[str]:
    """A name's capitalised words, without the article or preposition a sentence may open it with."""
    return [w for w in _FUNCTION_START.sub("", name).split() if w[:1].isupper()]


def is_person(name: str) -> bool:
    """Whether a run of names can be what "he" or "she" points to. People are called by given names
    and surnames; organisations, places and things mostly end in a word of the language ("Whole
    Foods", "Roslin Institute", "European Cup", "Event Horizon Telescope"), are written in capitals
    ("NASA"), or are countries and their peoples ("East Germany", "Israeli"). So a name is no person
    when its last word is an acronym or a country, or is known to the dictionary only as a lowercase
    word (`Lexicon.ordinary_only`: "Institute", "Foods"; a surname that is also a word, "Smith",
    "Green", "Baker", has an entry of its own and stays a person). A misread name ("Elon Musk")
    costs little: the follow-up then keeps the whole previous question, as when no subject is found.
    Without the dictionary every name may be one."""
    words = [w.rstrip(",;:").removesuffix("'s").removesuffix("’s") for w in _name_words(name)]
    while len(words) > 1 and _REGNAL.match(words[-1].rstrip(".")):
        words = words[:-1]  # "Charles III", "Malcolm X": the name is the words before the numeral
    if not words:
        return False
    last = words[-1].rstrip(".'’")
    # An acronym is two or more capitals; an initial with its full stop ("George W. Bush") is not one.
    if any(len(w.replace(".", "")) > 1 and w.isupper() for w in words) or country_forms(last):
        return False
    return not lexicon().ordinary_only(last[:1].upper() + last[1:])


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    def add(self, question: str, answer: Answer | None, standalone: str | None = None) -> None:
        self.turns.append(Turn(question, standalone or question, answer))
        del self.turns[:-self.max_turns]

    def reset(self) -> None:
        self.turns.clear()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def context_for(self, question: str, tuning: FollowUpTuning | None = None,
                    casing: Casing | None = None) -> str | None:
        """The earlier question this one follows up on, or None when it stands alone: it names its
        own subject, or it neither refers back ("it", "the company"), nor is very short, nor
        continues ("and when?"). `casing` writes names typed in lowercase as the sources write
        them ("what did microsoft pay" names Microsoft), so that a subject is found however typed."""
        if not self.turns or _subject(question, casing):
            return None
        t = tuning or FollowUpTuning()
        words = re.findall(r"\w+", question)
        m = _anaphora(t.referring_nouns).search(question)
        if m and m.group(0).lower() == "its" and _THE_NOUN_DOES.search(question):
            return None  # "How did the writers' guild describe its deal?": "its" is the guild's
        if (m or len(words) <= t.short_words
                or _CONTINUATION.match(question) and len(words) <= t.continuation_words):
            return self.turns[-1].standalone
        return None

    def resolve(self, question: str, tuning: FollowUpTuning | None = None, casing: Casing | None = None) -> str:
        """The question as it stands alone: the previous subject put in place of the word that
        points back to it ("Who backs it?" → "Who backs Megvii?"), or, when the previous question
        named nothing, both questions together. With `casing` (see `context_for`) "who started
        linkedin" names LinkedIn, and "when did it go public" after it becomes "when did LinkedIn go
        public", not both questions run together; the question's own words stay as typed."""
        prev = self.context_for(question, tuning, casing)
        if prev is None:
            return question
        named = _PERSON_PRONOUN.search(question)
        person = person_answered(self.turns[-1], casing=casing) if named else None
        subject = person or _subject(prev, casing)
        if named and subject is not None and subject != person and not is_person(subject):
            # "Is he keeping his job?" after a question about Whole Foods: "he" is a person the
            # answer named (its chief executive), not the company; failing one, keep the question.
            person = None if _given_and_surname(subject) else person_answered(self.turns[-1], asked_who=False,
                                                                             casing=casing)
            subject = person
        if subject is None:
            return f"{prev} {question}"
        m = _PERSON_PRONOUN.search(question) if person else None
        m = m or _anaphora((tuning or FollowUpTuning()).referring_nouns).search(question)
        if m is not None and m.group(0).lower() in _PLACE_TIME:
            return f"{prev} {question}"  # the place or time the previous question gave, not its subject
        if m is None:
            return f"{question.rstrip('?. ')} ({subject})?"
        repl = f"{subject}'s" if m.group(0).lower() in _POSSESSIVE else subject
        return question[:m.start()] + repl + question[m.end():]


def _subject(text: str, casing: Casing | None) -> str | None:
    """`subject_of` the text as typed; only when that names nothing, of the text recased. A name the
    reader wrote with capitals is the subject they meant: "How did the zentrix outbreak hit
    Orvanta's sales?" is about Orvanta, even where the sources write "Zentrix" with a capital, as
    it was before recasing existed; recasing serves a question typed wholly in lowercase."""
    return subject_of(text) or (subject_of(casing(text)) if casing else None)


@lru_cache(maxsize=4)
def _anaphora(nouns: tuple[str, ...]) -> re.Pattern[str]:
    """Words that refer back: pronouns, and "the <noun>" for the tuning section's nouns."""
    the = "|".join(re.escape(n) for n in nouns)
    return re.compile(rf"\b({_PRONOUNS}" + (rf"|the (?:{the})" if the else "") + r")\b", re.I)
