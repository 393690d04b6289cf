"""What a question asks for, read without any model: the kind of answer it wants (money, a number, a
time, a place, an organisation or person, a speaker's words) and what in a sentence satisfies that.
These are features and rules of the select stage; the weights are fitted (bot/scorer.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.dates import MONTH_NAMES
from ingest.split import is_headline  # noqa: F401 (re-exported for the engine)
from ingest.terms import CALENDAR_WORDS as _CALENDAR, STOPWORDS, name_tokens

from .names import ORDINARY, fold, lexicon

_NUMBER_Q = re.compile(r"\b(how (?:many|much|large|big|old|long|far|fast|tall|high|heavy|deep|wide|often)|what (?:percentage|share|proportion|number|amount))\b", re.I)
# A measured quantity is a number with its unit: "how cold" is answered by degrees, "what percentage" by a
# percentage — not by any number in the sentence (a year, a count of something else). Each pair is a fact of
# English measurement, not of a story; a question matching none keeps the plain number test. (Ages, sizes,
# durations and speeds were tried and dropped: news gives them too many ways — "Mandela, who is 71", "until
# 1997", "29 times as massive as the sun" — docs/MEASUREMENTS.md.)
_MEASURES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bhow (?:hot|cold|warm)\b|\bwhat (?:was |is |were )?(?:the )?temperature\b", re.I),
     re.compile(r"\bdegrees?\b|°|\bfreezing\b", re.I)),
    (re.compile(r"\bwhat (?:percentage|percent|share|proportion)\b", re.I),
     re.compile(r"\bper ?cent\b|%|\b(?:half|a third|two[- ]thirds|a quarter|three[- ]quarters|a fifth|"
                r"majority|minority)\b", re.I)),
)
# Numbers in words, as an answer to "how many" may give them (also read by bot/later_within.py `gives_count`).
NUMBER_WORD = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                         r"fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|several|few|"
                         r"scores|tens)\b", re.I)
_NUMBER_A = re.compile(r"\d|" + NUMBER_WORD.pattern, re.I)
_WHEN_Q = re.compile(r"^\s*when\b|\bwhat (?:year|month|day|date|time)\b", re.I)
# A time an answer to "when" may give: a year, a month (also abbreviated before a day: "Oct. 2"), a
# weekday, a time of day ("1:30 a.m.", "6pm", "8:15 in the morning", "shortly before midnight"), a
# quarter, a span counted from now ("in 16 months"), or a word placing it relative to now.
_MONTHS = "|".join(m.lower() for m in MONTH_NAMES[1:])
_MONTHS_SHORT = "|".join(m[:3].lower() for m in MONTH_NAMES[1:] if len(m) > 3) + "|sept"
_WHEN_A = re.compile(rf"\b(\d{{4}}|{_MONTHS}|(?:{_MONTHS_SHORT})(?=\.?\s\d)|"
                     r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                     r"tomorrow|ago|last (?:week|month|year)|this (?:week|month|year)|next (?:week|month|year)|"
                     r"\d{1,2}(?::\d\d)?\s?[ap]\.?m|\d{1,2}:\d\d|morning|afternoon|evening|night|overnight|"
                     r"noon|midday|midnight|dawn|dusk|quarter|\d+ (?:hours|days|weeks|months|years)|"
                     r"since|until|earlier|later|recently)\b", re.I)


_MONEY_Q = re.compile(r"\bhow much\b.*\b(cost|costs|price|priced|pay|paid|spend|spent|worth|invest|invested|"
                      r"revenue|revenues|sales|owe|owes|owed|charge|charged|fund|funding|raise|raised|earn|earned|"
                      r"profit|loss|budget|fine|fined|sell|sold|value|valued|go for|went for|fetch|fetched)\b|\bhow much (?:[a-z]+\s+)?(?:money|cash)\b", re.I)
_MONEY_A = re.compile(r"[$€£¥₹]|\b(dollars?|euros?|pounds?|yuan|renminbi|yen|rupees?|francs?|usd|eur|gbp|cents?)\b", re.I)


_WHO_Q = re.compile(r"^\s*(?:and\s+)?(?:who|whom|whose)\b", re.I)
_WHICH_ORG_Q = re.compile(r"\bwhich (?!of\b|one\b|way\b|part\b|kind\b|type\b|sort\b)[a-z]+\b|\bwhat (?:company|companies|firm|firms|"
                    r"organi[sz]ations?|agency|agencies|group|person|people|official|officials|country|countries|"
                    r"city|cities|state|bank|brand|investor|investors)\b", re.I)
_WHERE_Q = re.compile(r"^\s*(?:and\s+)?where\b", re.I)


# Asking for someone's words (rules 2 and 9). "How did X react/respond", "X's reaction/response" are
# not: a reaction may be a deed ("Higgs was seen wiping away tears"; "Whole Foods shares jumped").
_SAY_Q = re.compile(r"\b(?:did|does|do|has|have|had|would|will)\s+(.{2,60}?)\s+(?:say|said|tell|"
                    r"comment|reply|claim|argue|state|announce|add)\b|\bwhat was (.{2,60}?)(?:'s|’s) "
                    r"(?:statement|comment|position)\b", re.I)
# Reporting verbs and nouns: how news copy attributes words to a speaker (rules 2 and 9).
_SAID = re.compile(r"\b(?:sa(?:id|ys|ying)|told|tells?|stat(?:ed|es|ement)|respon(?:ded|ds|se)|comment(?:ed|s)?|"
                   r"repl(?:ied|ies|y)|added|argu(?:ed|es|ing)|announc(?:ed|es)|spokes(?:man|woman|person)|"
                   r"wr(?:ote|ites|iting)|call(?:ed|s|ing)|urg(?:ed|es|ing)|warn(?:ed|s|ing)|caution(?:ed|s)|"
                   r"prais(?:ed|es)|congratulat(?:ed|es)|critici[sz](?:ed|es)|accus(?:ed|es|ing)|insist(?:ed|s)|"
                   r"den(?:ied|ies)|acknowledg(?:ed|es)|not(?:ed|es)|describ(?:ed|es|ing)|welcom(?:ed|es)|"
                   r"condemn(?:ed|s)|vow(?:ed|s)|promis(?:ed|es)|pledg(?:ed|es)|declar(?:ed|es)|explain(?:ed|s)|"
                   r"complain(?:ed|s)|conced(?:ed|es)|admit(?:ted|s)|confirm(?:ed|s)|tweet(?:ed|s)|post(?:ed|s)|"
                   r"letter|interview|quoted)\b", re.I)


def speaker_of(question: str) -> str | None:
    """"What did Megvii say about …" → "megvii": answers are what that speaker said."""
    m = _SAY_Q.search(question)
    if not m:
        return None
    who = (m.group(1) or m.group(2) or "").strip().lower()
    who = re.sub(r"^(?:the|a|an)\s+", "", who)
    return who if who and who not in {"it", "they", "he", "she", "you", "we", "i"} else None


_WH_SAY = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|how)\b", re.I)


def asks_words_of(question: str) -> str | None:
    """Rule 9: the speaker of a question asking what someone said ("What did X say", "How did X
    react"), not of a yes/no question about a statement ("Did X tell Y to lie?")."""
    return speaker_of(question) if _WH_SAY.search(question) else None


def attributed_to(speaker: str, text: str, loose: bool = False) -> bool:
    """The sentence reports something the speaker said: the speaker's name and a speech verb
    close together ("Megvii said in a statement", "said Megvii's spokesman"). `loose`: any longer
    word of the speaker's phrase names it (rule 9's test of whether the sources quote the speaker
    at all; rule 2 prefers the sentences naming the speaker strictly)."""
    low, speaker = fold(text), fold(speaker)  # "urzua": "Urzúa said"
    # A speaker described at length ("the head of the competition authority") is matched by the
    # head of the phrase, its last word ("authority": "the authority's chief executive said").
    # So is one named by any of its longer words ("the tottenham boss": "Tottenham's manager said").
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’-]+", speaker)]
    # Loosely, any longer word before an "of" ("the mayor of X": "mayor"; not "X", who may speak).
    lead = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’-]+", speaker.split(" of ")[0])]
    # After an "of", the last word is a head only if it is an ordinary word ("authority"), not a
    # name ("the mayor of tallisford" is not matched by "Tallisford's union leader said").
    last = {words[-1]} if words and len(words[-1]) > 2 and (
        " of " not in speaker or lexicon().kind(words[-1]) == ORDINARY) else set()
    keys = {speaker} | last | ({
        w for w in lead if len(w) > 3 and w not in STOPWORDS} if loose else set())
    for m in _SAID.finditer(low):
        window = low[max(0, m.start() - 60): m.end() + 40]
        if any(k in window for k in keys):
            return True
    return False


@lru_cache(maxsize=256)
def _asked_names(question: str) -> frozenset[str]:
    return frozenset(n.lower() for n in name_tokens(question, initial=True))


@lru_cache(maxsize=256)
def _asks(question: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """Which kinds of answer the question asks for — who, money, number, when, where, which
    organisation — read once per question, not once per candidate sentence."""
    number = bool(_NUMBER_Q.search(question) or _units_asked(question))  # a measured quantity is a number too
    return (bool(_WHO_Q.search(question)), bool(_MONEY_Q.search(question)), number,
            bool(_WHEN_Q.search(question)), bool(_WHERE_Q.search(question)), bool(_WHICH_ORG_Q.search(question)))


@lru_cache(maxsize=256)
def _units_asked(question: str) -> tuple[re.Pattern[str], ...]:
    """What an answer to the question must hold beside its number (`_MEASURES`), read once per question."""
    return tuple(answer for asked, answer in _MEASURES if asked.search(question))


def asks_checkable_kind(question: str) -> bool:
    """The question asks for an amount, a number, a time, a place or an organisation — kinds a
    sentence visibly holds or lacks (select rule 7). "Who" is not: "a cybersecurity firm" answers it."""
    who, *others = _asks(question)
    return not who and any(others)


def new_name(question: str, text: str) -> bool:
    """The sentence names something the question does not (who/where answers are names)."""
    asked = _asked_names(question)
    return any(n[0].isupper() and n.lower() not in asked and n.lower() not in _CALENDAR for n in name_tokens(text))


def wants_type(question: str) -> bool:
    """The question asks for a kind of answer a sentence can be checked for: a person or
    organisation, a place, an amount of money, a number or a time."""
    return any(_asks(question))


def has_type_evidence(question: str, text: str) -> bool:
    """The sentence holds the kind of thing asked for: supporting evidence, not proof."""
    who, *others = _asks(question)
    if who:
        return new_name(question, text)
    return any(others) and fits_type(question, text)


def fits_type(question: str, text: str) -> bool:
    """Questions that ask for an amount of money, a number, a time, a place or an organisation
    need a sentence that has one. ("Who" is not filtered: "a cybersecurity firm" answers it.)"""
    _, money, number, when, where, which = _asks(question)
    if (where or which) and not new_name(question, text):
        return False
    if money and not _MONEY_A.search(text):
        return False
    if number and not _NUMBER_A.search(text):
        return False
    if number and not all(unit.search(text) for unit in _units_asked(question)):
        return False
    if when and not _WHEN_A.search(text):
        return False
    return True


_OWN_Q = re.compile(r"\bwho\s+(?:now\s+|still\s+)?(owns?|backs?|funds?|controls?|bought|acquired|invests?\s+in|"
                    r"finances?|runs?|operates?)\s+(.{2,80}?)\s*\??$", re.I)
_OWN_VERB = {"own": "own", "back": "back", "fund": "fund", "control": "control", "bought": "b(?:uy|ought)",
             "acquired": "acqui", "invest": "invest", "financ": "financ", "run": "r(?:un|an)", "operat": "operat"}


def relation_of(question: str) -> tuple[str, str] | None:
    """Rule 3: "Who owns X?" → (a pattern for the verb, X)."""
    m = _OWN_Q.search(question.strip())
    if not m:
        return None
    verb = m.group(1).lower()
    pat = next((p for k, p in _OWN_VERB.items() if verb.startswith(k)), None)
    obj = re.sub(r"^(?:the|a|an)\s+", "", m.group(2).strip(), flags=re.I)
    return (pat, obj) if pat and obj else None


def has_object(rel: tuple[str, str], text: str) -> bool:
    """X is the object of the relation: "Y owns X", "Y, which backs X", "X is owned by Y", "X's
    owner" — not "a state-owned group" (an adjective, not the relation to X)."""
    verb, obj = rel
    o = re.escape(obj.lower())
    low = text.lower()
    active = re.search(rf"(?<![\w-]){verb}\w*\s+(?:[\w,'’]+\s+){{0,4}}{o}", low)
    passive = re.search(rf"{o}[^.;]{{0,80}}?(?<![\w-]){verb}\w*\s+by\b", low)
    noun = re.search(rf"{o}(?:'s|’s)\s+(?:\w+\s+)?(?:owner|backer|investor|parent|shareholder)", low)
    return bool(active or passive or noun)


_FUTURE_Q = re.compile(r"^\s*(?:and\s+)?when\s+(?:will|shall)\b|^\s*(?:and\s+)?when\b.*\b(?:next|going to|expected to|due to)\b", re.I)
_FUTURE_A = re.compile(r"\b(?:will|would|shall|won't|wouldn't|going to|is to|are to|was to|were to|set to|set for|"
                       r"scheduled|due|expected|expects|plans?|planned|planning|intends?|intended|next|later|"
                       r"upcoming|coming|tomorrow|soon|pending|deadline)\b|['’]ll\b", re.I)


def asks_future(question: str) -> bool:
    """"When will …?", "When is the next …?": the question asks when something is yet to happen."""
    return bool(_FUTURE_Q.search(question))


def speaks_of_future(text: str) -> bool:
    """The sentence speaks of something yet to come (will, would, is to, scheduled, expected, plans,
    next, …): only such a sentence can say when it will happen (select rule 7)."""
    return bool(_FUTURE_A.search(text))
