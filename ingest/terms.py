"""Word-level features shared by retrieval and correction detection: content terms, crude
stems and name-like tokens ("IJOP", "Face++", "CETC", "Megvii")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can could did didn't do does doesn't doing don't down during each
few for from further had has have having he her here hers herself him himself his how i if in into
is isn't it it's its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that that's the their theirs them
themselves then there these they this those through to too under until up very was wasn't we were
what when where which while who whom why will with would you your yours yourself yourselves
according mr ms mrs one two also much many does did do know
s t d ll ve re m o y get got make made like use used using via per yet still ever whether
""".split())
QUESTION_WORDS = frozenset("what who whom whose which when where why how is are was were do does did can could should would will".split())

# A word is written in Latin letters, accented ones included ("Ibáñez", "Gdańsk", "Nguyễn"): read
# whole, not cut at each accented letter into fragments that match nothing ("Ib", "ez").
_LATIN = "A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF"
_WORD = re.compile(rf"[{_LATIN}][{_LATIN}\u0300-\u036F+&'’.-]*[{_LATIN}\u0300-\u036F+]|[{_LATIN}]")  # NFD marks too
# CJK and other scripts without spaces: every character is a term.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_DIGIT = re.compile(r"\d")
_SENTENCE_BREAKS = frozenset({".", "?", "!", "\"", "“"})
_OTHER_WORD = re.compile(rf"[^\W\d_{_LATIN}]{{2,}}", re.U)  # Greek, Cyrillic, …: whole words, unstemmed


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae",
                               "œ": "oe", "þ": "th", "ð": "d", "Ø": "O", "Ł": "L", "Đ": "D", "Ħ": "H",
                               "Æ": "AE", "Œ": "OE", "Þ": "TH", "Ð": "D", "ẞ": "SS"})


def unaccent(word: str) -> str:
    """A word (or a text) without its accents ("ibáñez" → "ibanez", "Łódź" → "Lodz"; case kept): a
    term, so that a question typed without them finds the sentence that writes them, and the other
    way round."""
    if word.isascii():
        return word
    w = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSED))
    return "".join(c for c in w if not unicodedata.combining(c))


def _norm(word: str) -> str:
    w = unaccent(word.lower()).replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'.-")


_STEMMER = snowballstemmer.stemmer("english")
_IRREGULAR = {"withdrawn": "withdraw", "withdrew": "withdraw", "wrote": "write", "written": "write",
              "said": "say", "told": "tell", "made": "make", "began": "begin", "begun": "begin",
              "found": "find", "sold": "sell", "bought": "buy", "known": "know", "knew": "know",
              "shown": "show", "grew": "grow", "grown": "grow", "taken": "take", "took": "take",
              "stood": "stand", "understood": "understand", "paid": "pay", "led": "lead", "left": "leave",
              "held": "hold", "brought": "bring", "thought": "think", "sought": "seek", "caught": "catch",
              "fought": "fight", "built": "build", "sent": "send", "spent": "spend", "lost": "lose",
              "met": "meet", "sued": "sue", "suing": "sue", "kept": "keep", "ran": "run", "won": "win", "gave": "give", "given": "give",
              "chose": "choose", "chosen": "choose", "fell": "fall", "fallen": "fall", "rose": "rise",
              "risen": "rise", "drove": "drive", "driven": "drive", "spoke": "speak", "spoken": "speak",
              "broke": "break", "broken": "break", "hid": "hide", "hidden": "hide", "struck": "strike",
              "came": "come", "went": "go", "gone": "go", "saw": "see", "seen": "see"}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """English Snowball stems ("examination"/"re-examine", "contacted"/"contact"), with the
    irregular verbs news copy uses most mapped first; never used for display."""
    return _STEMMER.stemWord(_IRREGULAR.get(word, word))


def words(text: str) -> list[str]:
    return [m.group(0) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65_536)
def content_terms(text: str) -> tuple[str, ...]:
    """Stemmed content words, in order (with repeats). Cached: the engine scores the same
    candidate sentences question after question."""
    return tuple(_content_terms(text))


@lru_cache(maxsize=50_000)
def _word_terms(raw: str) -> tuple[str, ...]:
    """One word's stemmed content terms (none, one, or one per part of a hyphenated word);
    cached, since a vocabulary is far smaller than the sentences that repeat it."""
    w = _norm(raw)
    parts = w.split("-") if "-" in w else [w]  # "Beijing-based" counts as "Beijing" and "based"
    return tuple(stem(p) for p in parts if p and p not in STOPWORDS and len(p) > 1)


def _content_terms(text: str) -> list[str]:
    out: list[str] = []
    for raw in _WORD.findall(text):
        out += _word_terms(raw)
    out += _CJK.findall(text)
    out += [w.lower() for w in _OTHER_WORD.findall(text) if not w.isascii()]
    return out


def name_tokens(text: str, initial: bool = False) -> list[str]:
    """Tokens that look like names: capitalised words not at a sentence start, acronyms, and
    tokens with digits or symbols. These are what dense embeddings blur and exact matching finds.
    With `initial`, a capitalised sentence-initial word that is not a function word counts too
    (in news copy that is usually the subject: "Voltaic said ...")."""
    return list(_name_tokens(text)[1 if initial else 0])


@lru_cache(maxsize=8192)
def _name_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Both readings of `name_tokens` in one pass, cached: answering one question reads the same
    candidate sentences' names both ways (answer-type evidence, later coverage's subjects)."""
    plain: list[str] = []
    with_initial: list[str] = []
    for m in _WORD.finditer(text):
        kind = _name_word(m.group())
        if kind is None:
            continue
        w, always = kind
        at = m.start()
        if always or not (at == 0 or text[max(0, at - 2):at].strip() in _SENTENCE_BREAKS):
            plain.append(w)
        with_initial.append(w)
    return tuple(plain), tuple(with_initial)


@lru_cache(maxsize=100_000)
def _name_word(raw: str) -> tuple[str, bool] | None:
    """What `_name_tokens` reads of one word, once per word: None when it is no name wherever it
    stands; else the token and whether it is one at a sentence's start too (an acronym, a token
    with a digit or "+", a capital after the first letter) — a plain capitalised word there counts
    only with `initial`."""
    if raw.islower() and "+" not in raw and not _DIGIT.search(raw):
        return None  # no capital, digit or "+": none of the tests below can pass (most words)
    w = raw.rstrip(".'’")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if len(w) < 2:
        return None
    low = w.lower()
    if low in STOPWORDS or low in QUESTION_WORDS:
        return None
    inner_capital = w[1:] != low[1:]  # a capital after the first letter
    if w.isupper() or _DIGIT.search(w) or "+" in w or (w[0].isupper() and inner_capital):
        return w, True
    return (w, False) if w[0].isupper() else None


# A day or a month is when something happened, not who or what it happened to: never a name a
# question asks about ("What was the jobless rate in Tarvia in March?" names Tarvia, not March).
CALENDAR_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april "
                           "may june july august september october november december".split())
