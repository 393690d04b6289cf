"""Names a reader typed in lowercase: "what did sonia gandhi say", "how many staff work in tokyo".

Rule 1 of the select stage (a question naming something no source mentions is not answered)
needs the question's names, and `ingest.terms.name_tokens` finds them by their capitals — which
readers typing into a chat box often leave out. A lowercase word of the question is read as a name
here by a general resource, not by anything in our eval sets: the en_US Hunspell dictionary that the
`chunspell` package ships with the Hunspell library (a SCOWL word list, Kevin Atkinson et al.,
about 62,000 entries with their affix rules; read from the installed package, not vendored). It
writes proper nouns with their capital ("Tokyo", "Gandhi", "Sonia") and ordinary words without
one ("owe", "collapse", "china" beside "China"), and Hunspell checks case the same way: "tokyo" is
misspelled, "Tokyo" is not.

A word is
  - *ordinary* when the dictionary accepts it in lowercase, as an entry or as a form its affix
    rules give an entry ("employees": employee + S; "happier": happy + R) — except that
  - a *name* wins over a derived lowercase form when the capitalised word is itself an entry
    ("wales": the entry "Wales" beside "wale" + S); a lowercase entry always wins ("china", "may");
  - a *name* also when only its capitalised or all-capitals form is accepted ("tokyo", "sonia", "ceo");
  - *unknown* when none is accepted ("bernanke", "ftse", "kagame", but also newer ordinary words
    such as "lockdown" or "smartphone"), nor an ordinary word it is a common variant of: a
    contraction typed without its apostrophe ("didnt"), a British spelling ("travelling",
    "epicentre": the list is American).
The select stage treats a name or an unknown word as a name only when, besides, no indexed
sentence holds it (document frequency 0 in the stored term counts): a word the sources use is
never absent, and an ordinary paraphrase word the sources do not use ("how much did it owe") is
never a name. Unknown words count as names: a word that is in neither the sources nor an English
dictionary of ~62,000 entries is, in a news question, far more often a name than a paraphrase; the
choice was checked on the answerable questions of the spent development sets (README, issue 11).

The dictionary is loaded only when a question has a lowercase word no source holds, once per process
(0.1 s, 10 MB); without `chunspell` rule 1 sees capitalised names only (a warning says so).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from ingest.corrections.demonyms import country_forms
from ingest.terms import CALENDAR_WORDS, QUESTION_WORDS, STOPWORDS, name_tokens, unaccent, words

log = logging.getLogger(__name__)

ORDINARY, NAME, UNKNOWN = "ordinary", "name", "unknown"

# British spellings the en_US list lacks, by the regular correspondences (travelling, epicentre, labour,
# organise, analyse, defence, catalogue, programme, paediatric, oestrogen, mould, ageing, judgement, tyre,
# sceptical, enrolment, cheque, learnt, spelt, storey); tried only on a word the dictionary does not
# accept, and only ever making a word ordinary.
_BRITISH = [(re.compile(a), b) for a, b in (
    (r"ll(?=(?:ing|ed|er|ers)$)", "l"), (r"tre(?=s?$)", "ter"), (r"our", "or"), (r"yse", "yze"),
    (r"is(?=(?:e|es|ed|ing|ation|ations)$)", "iz"), (r"ence(?=s?$)", "ense"), (r"ogue(?=s?$)", "og"),
    (r"amme(?=s?$)", "am"), (r"ae", "e"), (r"oe", "e"), (r"ould", "old"), (r"eing$", "ing"),
    (r"gement", "gment"), (r"yre", "ire"), (r"^scep", "skep"), (r"lment", "llment"), (r"que$", "ck"),
    (r"(?<=[rl])nt$", "ned"), (r"(?<=[aeiou])lt$", "lled"), (r"ey$", "y"))]


def variants(word: str) -> list[str]:
    """Other spellings of a word a reader may type: a contraction without its apostrophe
    ("didnt" → "didn't"), a British spelling in its American form ("travelling" → "traveling")."""
    out = [word[:i] + "'" + word[i:] for i in range(1, len(word))]
    out += [pat.sub(rep, word) for pat, rep in _BRITISH if pat.search(word)]
    return out


class Lexicon:
    """Case-aware look-ups in the Hunspell dictionary (one lock: the library is not thread-safe)."""

    def __init__(self, hunspell: Any | None) -> None:
        self._h = hunspell
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._h is not None

    def _entry(self, word: str) -> bool:
        """The word is a dictionary entry itself, not only a form derived from one."""
        return word in self._h.stem(word)

    @lru_cache(maxsize=4096)  # noqa: B019 — one Lexicon per process
    def spelled(self, word: str) -> tuple[str, str]:
        """(ORDINARY, NAME or UNKNOWN, the spelling the dictionary gives a name) for one lowercase word."""
        if self._h is None or not word.isascii():
            return ORDINARY, word  # no verdict: the word is not read as a name
        caps = [w for w in (word.capitalize(), word.upper()) if w != word]
        try:
            with self._lock:
                return self._look_up(word, caps)
        except Exception as e:  # noqa: BLE001 — a library error never fails the question
            log.warning("dictionary look-up of %r failed: %s", word, e)
            return ORDINARY, word

    def _look_up(self, word: str, caps: list[str]) -> tuple[str, str]:
        if self._h.spell(word) and self._entry(word):
            return ORDINARY, word
        named = next((c for c in caps if self._h.spell(c)), None)
        if named and self._entry(named):
            return NAME, named
        if self._h.spell(word):
            return ORDINARY, word
        if named:
            return NAME, named
        if any(self._h.spell(v) for v in variants(word)):
            return ORDINARY, word
        return UNKNOWN, word

    @lru_cache(maxsize=4096)  # noqa: B019 — one Lexicon per process
    def ordinary_only(self, word: str) -> bool:
        """A capitalised word ("Members", "Officials") is an ordinary word written with a capital:
        the dictionary knows it only in lowercase, not as a name of its own ("China", "May") nor not
        at all ("Nvidia"). False without a dictionary (no verdict)."""
        if self._h is None or not word.isascii():
            return False
        try:
            with self._lock:
                stems = self._h.stem(word) if self._h.spell(word) else []
        except Exception as e:  # noqa: BLE001 — a library error never fails the question
            log.warning("dictionary look-up of %r failed: %s", word, e)
            return False
        return bool(stems) and word not in stems

    def kind(self, word: str) -> str:
        """ORDINARY, NAME or UNKNOWN for one lowercase word (see the module docstring)."""
        return self.spelled(word)[0]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    try:
        import hunspell

        return Lexicon(hunspell.Hunspell("en_US"))
    except Exception as e:  # noqa: BLE001 — missing package, or its library failing to load
        log.warning("the en_US dictionary (chunspell package) could not be loaded (%s): names typed in "
                    "lowercase are not recognised (rule 1 sees capitalised names only)", e)
        return Lexicon(None)


_LINK_WORDS = frozenset({"of", "the", "and", "for", "&"})
_TEXT_WORD = re.compile(r"[A-Za-z][A-Za-z.]*|&")
_TEXT_WORD_OR_NUMBER = re.compile(_TEXT_WORD.pattern + r"|\d+(?:[.,]\d+)*")  # "PlayStation 4", not "4.5"
# a camel-case word whose capitals are initials: "PlayStation", "MacBook" (each part three letters or more), not a
# surname's prefix ("McDonald", "DiCaprio", "LaGuardia") nor a plural or degree ("MPs", "PhD")
_CAMEL = re.compile(r"(?:[A-Z][a-z]{2,}){2,}")


def initials_in(abbreviation: str, texts: Sequence[str]) -> bool:
    """An abbreviation is spelled out by capitalised words whose initials it is, where a word in
    capitals gives all its letters ("UKIP": "UK Independence Party"; "NSF": "National Science
    Foundation") and a word with capitals inside gives each of them ("PS": "PlayStation", "MBP":
    "MacBook Pro"); "of", "the", "and", "for" may come between them. A number after the letters is
    the word after them ("PS4", typed "ps4" too: "PlayStation 4"). Only for 2–6 capital letters."""
    m = re.fullmatch(r"([A-Za-z]+)(\d{1,3})?", abbreviation)
    letters, number = (m.group(1).upper(), m.group(2) or "") if m else ("", "")
    if not (2 <= len(letters) <= 6 and (abbreviation.isupper() or number)):
        return False
    word = _TEXT_WORD_OR_NUMBER if number else _TEXT_WORD

    def ends(toks: list[str], start: int, rest: str, i: int, camel: bool):
        """Where the initials `rest` may end from token i, and whether a camel-case word gave some:
        each word may give its first letter or, inside a camel-case word, every capital (both are
        tried: "McDonnell Douglas Corporation" is "MDC" by first letters)."""
        if not rest:
            yield i, camel
            return
        if i >= len(toks):
            return
        w = toks[i].replace(".", "")
        if w.isupper() and len(w) > 1 and rest.startswith(w):
            yield from ends(toks, start, rest[len(w):], i + 1, camel)
            return
        caps = "".join(c for c in w if c.isupper())
        if len(caps) > 1 and rest.startswith(caps) and _CAMEL.fullmatch(w):
            yield from ends(toks, start, rest[len(caps):], i + 1, True)
        if w[:1].isupper() and w[0] == rest[0]:
            yield from ends(toks, start, rest[1:], i + 1, camel)
        elif w.lower() in _LINK_WORDS and i > start:
            yield from ends(toks, start, rest, i + 1, camel)

    for text in texts:
        toks = word.findall(text)
        for start in range(len(toks)):
            for i, camel in ends(toks, start, letters, start, False):
                if (i - start > 1 or camel) and (not number or (i < len(toks) and toks[i] == number)):
                    return True
    return False


def lowercase_names(question: str, absent: Callable[[str], bool]) -> list[str]:
    """The question's absent names that `name_tokens` misses for want of a capital: words that
    `absent` says no source holds and that the dictionary does not call ordinary, in the spelling it
    gives a name ("tokyo" → "Tokyo"), an unknown word of up to five letters in capitals (so that
    "ftc" may be found spelled out, "Federal Trade Commission"), a longer one as typed. The
    dictionary is read only when some word is absent: on an index that holds every word of the
    question, nothing is loaded."""
    seen = {t.lower() for t in name_tokens(question)}
    out: list[str] = []
    for raw in words(question):
        w = raw.rstrip(".'’")
        if w.lower().endswith(("'s", "’s")):
            w = w[:-2]
        low = w.lower()
        if len(low) < 2 or low in seen or low in STOPWORDS or low in QUESTION_WORDS or not low.isalpha():
            continue  # too short, a name already, a function word, a number or a hyphenated word
        if not absent(low):
            continue  # some source holds the word: present, whatever it is
        k, spelled = lexicon().spelled(low)
        form = spelled if k == NAME else low.upper() if len(low) <= 5 else low
        if k != ORDINARY and absent(form):  # absent(form): spelled out ("FTC"), or a nationality's country
            out.append(form)
    return list(dict.fromkeys(out))


_SPAN_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_FUNCTION = STOPWORDS | QUESTION_WORDS


def _bare(raw: str) -> str:
    w = raw.rstrip(".'’")
    return (w[:-2] if w.lower().endswith(("'s", "’s")) else w).lower()


def name_spans(question: str, ordinary_here: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Runs of two or more adjacent words of the question (only spaces between them) that the
    dictionary does not call ordinary, whatever their capitals: ("sonia", "gandhi"), ("jerome",
    "powell"); "Prime Minister Narendra Modi" gives ("narendra", "modi"), "Human Rights Watch" none,
    "lehman's european business" none (a possessive ends a name). Words in `ordinary_here` (the
    sources write them in lowercase: "its grey list") are ordinary too."""
    spans: list[tuple[str, ...]] = []
    run: list[str] = []
    end = 0
    lex = lexicon()
    for m in _SPAN_WORD.finditer(question):
        low = _bare(m.group())
        name = (lex.loaded and len(low) > 1 and low.isalpha() and low not in _FUNCTION
                and low not in ordinary_here and lex.spelled(low)[0] != ORDINARY)
        if not name or (run and question[end:m.start()].strip()):
            if len(run) > 1:
                spans.append(tuple(run))
            run = []
        if name:
            run.append(low)
        end = m.end()
        if m.group().lower().endswith(("'s", "’s")):  # "lehman's european business": a name ends at its 's
            if len(run) > 1:
                spans.append(tuple(run))
            run = []
    if len(run) > 1:
        spans.append(tuple(run))
    return spans


def absent_spans(question: str, texts: Sequence[str]) -> list[str]:
    """Multi-word names whose words the index holds one by one but no candidate sentence holds
    together: "sonia gandhi" asked of an archive where one story names a Sonia and another Rahul
    Gandhi. News copy gives a person's or a company's full name at first mention, and retrieval
    brings that sentence among the candidates (its rare words weigh most in BM25), so a full name no
    candidate holds is a name no source mentions. A word the candidates use in lowercase is not part
    of a name ("fatf grey list": the sources' "grey list"); an abbreviation is held where it is
    spelled out. Without candidate texts nothing is decided."""
    if not texts or not name_spans(question := fold(question, lower=False)):
        return []
    toks = [_SPAN_WORD.findall(fold(t, lower=False)) for t in texts]  # both unaccented: "tomas ibanez", "Tomás Ibáñez"
    lows = [" " + " ".join(_bare(w) for w in ws) + " " for ws in toks]
    here = frozenset(_bare(w) for ws in toks for w in ws if w.islower())

    def holds(w: str, text: str, low: str) -> bool:
        return f" {w} " in low or (len(w) <= 6 and initials_in(w.upper(), [text]))  # "fatf": "Financial Action Task Force"

    return [" ".join(span) for span in name_spans(question, here)
            if not any(all(holds(w, t, low) for w in span) for t, low in zip(texts, lows))]


_NUMBER_UNIT = re.compile(r"(\d+)(?:st|nd|rd|th|[a-z]{1,2})", re.I)

def number_of(tok: str) -> str | None:
    """A number with a unit or ordinal suffix glued on ("100m", "23rd", "5km") is the number: the
    sources write "100 metres", "June 23"."""
    m = _NUMBER_UNIT.fullmatch(tok)
    return m.group(1) if m else None


def fold(text: str, lower: bool = True) -> str:  # "Urzúa" → "urzua"; other characters (quotes, ’) kept
    out = unaccent(text)  # the terms' own reading of accents (ingest.terms)
    return out.lower() if lower else out


def unaccented_in(tok: str, texts: Sequence[str]) -> bool:
    """A name typed without its accents ("urzua") is mentioned where a text writes them ("Urzúa")."""
    if not tok.isascii() or not any(not t.isascii() for t in texts):
        return False
    pat = re.compile(rf"\b{re.escape(tok.lower())}\b")
    return any(pat.search(fold(t)) for t in texts if not t.isascii())


_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]{3,}")


def _one_slip(a: str, b: str) -> bool:
    """`a` and `b` differ by one typing slip: a letter left out, added, changed, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def respelt(tok: str, texts: Sequence[str]) -> str | None:
    """The name `tok` was meant to be, as a text writes it (without its accents when `tok` has none), when
    `tok` is one typing slip from it, else None. Only a word the dictionary knows neither as an ordinary
    word nor as a name is a slip ("sadam", "agureo"; never "austin" for "Austen", "karin" for "Karen":
    those are other people); the name must be a text's name, not an ordinary word capitalised (a sentence's
    "Gated"), a month or a day; and it must be the only one within a slip ("perez" beside "Pérez" and "Peres"
    is Pérez typed without accents, not a slip)."""
    t = fold(tok)
    if len(t) < 5 or not t.isalpha() or lexicon().kind(t) != UNKNOWN:
        return None
    found: dict[str, str] = {}
    for text in texts:
        for m in _CAPITALISED.finditer(text):
            w = m.group(0).removesuffix("'s").removesuffix("’s")
            f = fold(w)
            if f == t:
                return None  # the text holds it exactly, accents aside
            if f[:1] != t[:1] or not _one_slip(t, f) or lexicon().ordinary_only(w) or f in CALENDAR_WORDS:
                continue
            found.setdefault(f, fold(w, lower=False) if tok.isascii() else w)  # typed without accents: kept so
    return next(iter(found.values())) if len(found) == 1 else None


def misspelt_in(tok: str, texts: Sequence[str]) -> bool:
    """A name typed with one slip ("sadam": "Saddam", "agureo": "Agüero") is mentioned where a text writes
    it (`respelt`): a word of five letters or more, the same first letter, one letter left out, added,
    changed or two swapped. Readers mistype names they cannot check; a shorter word is one slip from
    another name by chance ("Kim"/"Tim"), so it must match."""
    return respelt(tok, texts) is not None


_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]{5,}(?![\w'’-])")


def respell(question: str, texts: Sequence[str], held: Callable[[str], bool]) -> str:
    """The question with each whole word no source holds (`held`) that is one slip from a name of `texts`
    (the candidate sentences; `respelt`) written as that name: "who announced sadam had been caught" →
    "who announced Saddam had been caught", so that retrieval and selection match the name the reader
    meant. Words the index holds, words the dictionary knows and shorter words stay as typed."""
    out, last = [], 0
    for m in _WORD.finditer(question):
        w = m.group(0)
        if held(w):
            continue
        fixed = respelt(w, texts)
        if fixed is not None:
            out.append(question[last:m.start()] + fixed)
            last = m.end()
    return "".join(out) + question[last:] if out else question


_ABBREVIATION = re.compile(r"[A-Z][A-Z.&]{1,5}s?")
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:ish|ese|ian|ean|an|i)")


def spelled_out(tok: str, texts: Sequence[str]) -> bool:
    """An abbreviation is mentioned when consecutive words of a text start with its letters ("FTC":
    "Federal Trade Commission"; "CEO": "chief executive officer", not "chief executive"); a nationality
    adjective when a capitalised word shares its first four letters ("British": "Britain"); a country
    however it is spelled (`named_country_in`)."""
    if _ABBREVIATION.fullmatch(tok):
        letters = [c.lower() for c in tok if c.isalpha()]
        if tok.endswith("s") and len(letters) > 2:
            letters = letters[:-1]
        pat = re.compile(r"\b" + r"\S*\s+(?:(?:of|the|and|for)\s+)?".join(re.escape(c) for c in letters), re.I)
        if any(pat.search(t) for t in texts):
            return True
    if _NATIONALITY.fullmatch(tok) and any(re.search(rf"\b{re.escape(tok[:4])}", t) for t in texts):
        return True
    return named_country_in(tok, texts)


def named_country_in(tok: str, texts: Sequence[str]) -> bool:
    """A country is mentioned however a text spells it: its name, adjective or abbreviation ("US": "The
    American economy grew …"; "Australia": "Australian barley"; ingest/corrections/demonyms.py)."""
    pat = _country_pattern(tok)
    return pat is not None and any(pat.search(t) for t in texts)


@lru_cache(maxsize=1024)
def _country_pattern(tok: str) -> re.Pattern[str] | None:
    """Every spelling of the country `tok` names, as one pattern: abbreviations in capitals with or
    without dots ("US", "U.S."), names and adjectives capitalised; None when it names no country."""
    forms = country_forms(tok)
    if not forms:
        return None
    pats = [r"\.?".join(re.escape(c) for c in f.upper()) + r"\.?" if len(f) <= 3 else re.escape(f.title())
            for f in sorted(forms)]
    return re.compile(r"(?<![\w.])(?:" + "|".join(pats) + r")(?!\w)")


_TYPED_WORD = re.compile(r"[^\W\d_]+")  # letters, accented ones too


def recase(text: str, written_as: Callable[[str], str | None]) -> str:
    """The text with each word typed in lowercase that is a name written as the sources write it
    ("who started linkedin" → "who started LinkedIn"): a word the sources mostly write capitalised
    (headlines aside; `written_as`, from the stored counts) and that the dictionary does
    not call ordinary — so "us", "apple" or "white" stay as typed wherever the sources capitalise
    them, and "lockdown" stays because the sources write it in lowercase. Without the dictionary
    nothing is recased (the same fallback as rule 1). Used to find a follow-up's subject: a reader
    typing in lowercase names one as much as a reader who types capitals."""
    lex = None

    def one(m: re.Match[str]) -> str:
        nonlocal lex
        w = m.group(0)
        if not w.islower() or len(w) < 2 or w in _FUNCTION or w in CALENDAR_WORDS:
            return w
        form = written_as(w)
        if form is None or form == w:
            return w
        lex = lex or lexicon()
        return form if lex.loaded and lex.kind(w) != ORDINARY else w

    return _TYPED_WORD.sub(one, text)


__all__ = ["Lexicon", "spelled_out", "NAME", "ORDINARY", "UNKNOWN", "absent_spans", "fold", "initials_in", "number_of",
           "unaccented_in", "misspelt_in", "respell", "lexicon", "lowercase_names", "name_spans", "recase", "variants"]
