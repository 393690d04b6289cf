"""A later statement that restates the claim's own predicate under an operator that reverses it.

The pattern families of `families.py` recognise a later statement by its own cue words ("reopened",
"called off"), which are closed lists. Here the vocabulary comes from the claim: the words the two
sentences share ("listed as endangered", "house arrest", "offer") are read in each sentence with
their *polarity* — whether an operator governs them — and a link needs the same words asserted in
the claim and reversed in the later statement:

- a negator governs the first content word after it, through auxiliaries, determiners and
  prepositions ("is *no longer* listed as endangered", "shot by fellow soldiers, *not* by the
  enemy"), and the word right after that one ("listed as endangered");
- a verb that ends, withdraws or takes away governs its object phrase up to the end of the clause
  ("*withdrew* its $143 billion offer", "*annulled* the decree that made it a museum", passive
  "the ban *was lifted*"); "released"/"freed" govern only what follows "from";
- "from X to Y" moves away from X ("downgraded the panda *from* endangered *to* vulnerable").

Operators compose: a negated ending ("has *not* been *released* from house arrest") asserts the
state again, so nothing is reversed. The opposite direction — a claim that denies ("he never used
…") and a later statement that affirms the same words in a completed form ("he had used …") —
counts only when the later statement is an event or the claim's own party speaking (an admission),
never a third party's accusation. The operators are a small closed set (`lexicon.py`); what they
apply to is always the claim's own words, so nothing here names a story.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile
from typing import NamedTuple

from ..terms import STOPWORDS, _IRREGULAR, _norm, stem as stem_of
from .lexicon import (CHANGE_VERB, CLAUSE_END, RELATIVE, FRAME_WORDS, DOC_WORD, END_PHRASE, END_VERB, FROM_ONLY, GOVERN_GAP, HYPOTHETICAL,
                      NEGATOR_WORDS)
from .patterns import _PLAN_CLAIM, _PLAN_NOUN
from .subject import names

_TOK = re.compile(r"[A-Za-z0-9$€£][\w$€£%'’&.-]*[\w%]|[A-Za-z0-9]|[,;:()!?—–\"“”]")
_PUNCT = frozenset(",;:()!?—–\"“”")
_PLAN_WORD = re.compile(r"\b" + _PLAN_NOUN + r"\b", re.I)
_AUX = frozenset({"was", "were", "been", "is", "are", "be", "being"})
_PERFECT = frozenset({"has", "have", "had"})
_ADJUNCT = frozenset("on in at after during for with by over within before since until amid despite following".split())
_DETERMINER = frozenset({"a", "an", "the", "its", "their", "this", "that"})
_VERBS = frozenset({"use", "used", "using", "make", "made", "get", "got"})  # stop words for retrieval, verbs here


class Tok(NamedTuple):
    low: str
    stem: str  # "" for function words, punctuation and figures
    name: bool  # capitalised inside the sentence (or an acronym)


class Reversal(NamedTuple):
    kind: str  # "negated", "no longer", "ended", "moved from", "affirmed", "withdrawn by name"
    words: frozenset[str]  # the claim's stems the later statement reverses
    phrase: str  # the later statement's words that say so (for the note)


@lru_cache(maxsize=50_000)
def tokens(text: str) -> tuple[Tok, ...]:
    return tuple(_word(w)[i > 0] for i, w in enumerate(_TOK.findall(text)))


@lru_cache(maxsize=100_000)
def _word(w: str) -> tuple[Tok, Tok]:
    """One word's token first in its sentence and elsewhere (only `name` differs): read once per
    word, since a vocabulary is far smaller than the sentences that repeat it."""
    low = _norm(w)
    content = ((low not in STOPWORDS or low in _VERBS) and low not in NEGATOR_WORDS and low != "longer"
               and len(low) > 1) and not any(c.isdigit() for c in low) and w not in _PUNCT
    stem = stem_of(low) if content else ""
    return Tok(low, stem, False), Tok(low, stem, w[:1].isupper() or (len(w) > 1 and w.isupper()))


def _gap(t: Tok) -> bool:
    return t.low in GOVERN_GAP or (t.low.endswith("ly") and len(t.low) > 4)


def _clause(toks: tuple[Tok, ...], start: int, limit: int) -> range:
    """Positions from `start` up to the end of the clause (punctuation or a subordinator)."""
    end = start
    while end < len(toks) and end - start < limit and toks[end].low not in _PUNCT and toks[end].low not in CLAUSE_END:
        end += 1
    return range(start, end)


@lru_cache(maxsize=50_000)
def _operators(text: str) -> tuple[tuple[int, str], ...]:
    """(position, kind) of every reversing operator: "neg", "no longer", "end", "from" (release-like)."""
    toks = tokens(text)
    ops: list[tuple[int, str]] = []
    for i, t in enumerate(toks):
        if t.low in NEGATOR_WORDS or t.low.endswith(("n't", "n’t")):  # a negator
            ops.append((i, "no longer" if t.low == "no" and i + 1 < len(toks) and toks[i + 1].low == "longer" else "neg"))
        elif t.stem in END_VERB and not (i > 0 and toks[i - 1].low in _DETERMINER):  # not "a drop in", "the end of"
            ops.append((i, "from" if t.stem in FROM_ONLY else "end"))
    for m in END_PHRASE.finditer(text):  # a phrasal verb acts from its last word
        n = len(_TOK.findall(text[:m.end()])) - 1
        if 0 <= n < len(toks) and all(p != n for p, _ in ops):
            ops.append((n, "end"))
    return tuple(sorted(ops))


def _targets(toks: tuple[Tok, ...], i: int, kind: str) -> list[int]:
    """Positions of the content words operator `kind` at `i` governs."""
    if kind in ("neg", "no longer"):
        j = i + 1 + (kind == "no longer")
        while j < len(toks) and j - i <= 6 and _gap(toks[j]):
            j += 1
        if j >= len(toks) or not toks[j].stem:
            return []
        out = [j]
        k = j + 1
        while k < len(toks) and k - j <= 3 and _gap(toks[k]):
            k += 1
        if k > j + 1 and k < len(toks) and toks[k].stem and toks[j].stem not in END_VERB:
            out.append(k)  # "listed as endangered", "kept on the list"
        return out
    span = _clause(toks, i + 1, 10)
    if kind == "from":
        at = next((j for j in span if toks[j].low == "from"), None)
        return [j for j in _clause(toks, at + 1, 5) if toks[j].stem] if at is not None else []
    if span and any(c.isdigit() for c in toks[span[0]].low):
        return []  # "dropped 5 percent": a move, not an object
    out = []
    for j in span:  # the object phrase: up to a preposition that opens an adjunct ("… on his first day")
        if out and toks[j].low in _ADJUNCT:
            break
        if toks[j].stem:
            out.append(j)
    if any(DOC_WORD.fullmatch(toks[j].low) for j in out):
        return []  # a document withdrawn: the retraction family decides what it takes with it
    if i > 0 and toks[i - 1].low in _AUX:  # passive: "the ban was lifted", "the offer has been withdrawn"
        j = i - 1
        while j > 0 and i - j <= 7 and toks[j - 1].low not in _PUNCT and toks[j - 1].low not in CLAUSE_END:
            j -= 1
        out += [k for k in range(j, i) if toks[k].stem]
    return out


@lru_cache(maxsize=50_000)
def polarity(text: str) -> tuple[tuple[str, int, str, int], ...]:
    """Every content word with its polarity: (stem, parity of the operators governing it, the kind of
    the last one, its position). Operators compose: a negated ending asserts again."""
    toks = tokens(text)
    ops = _operators(text)
    flips = [0] * len(toks)
    kinds = [""] * len(toks)
    negated_op = {p: 0 for p, _ in ops}
    for p, kind in ops:  # negators first, so an ending they govern is known to be negated
        if kind in ("neg", "no longer"):
            for j in _targets(toks, p, kind):
                if j in negated_op:
                    negated_op[j] ^= 1
    for p, kind in ops:
        for j in _targets(toks, p, kind):
            if j in negated_op and kind in ("neg", "no longer"):
                continue  # the negated operator carries the negation on to what it governs
            flips[j] += 1 + negated_op[p]
            kinds[j] = kind if not negated_op[p] else "neg"
    for i, t in enumerate(toks):  # "from X to Y" after a verb of change: moved away from X
        if t.low == "from" and not flips[i + 1 if i + 1 < len(toks) else i] and any(
                toks[j].stem in CHANGE_VERB for j in range(max(0, i - 5), i)):
            nxt = [j for j in range(i + 1, min(i + 4, len(toks))) if toks[j].low == "to"]
            if nxt:
                for j in range(i + 1, nxt[0]):
                    if toks[j].stem and not toks[j].name:
                        flips[j] += 1
                        kinds[j] = "moved"
    return tuple((t.stem, flips[i] % 2, kinds[i], i) for i, t in enumerate(toks) if t.stem)


_DEFINITE = frozenset({"the", "this", "that", "its", "their", "his", "her"})


@lru_cache(maxsize=50_000)
def definite_nouns(text: str) -> frozenset[str]:
    """Stems of the words in definite noun phrases ("the giant panda", "its grey list"): one
    identifiable thing. A counted or indefinite phrase ("47 countries", "a bridge") is not."""
    toks = tokens(text)
    out: set[str] = set()
    for i, t in enumerate(toks):
        if t.low in _DEFINITE:
            for j in range(i + 1, min(i + 4, len(toks))):
                if toks[j].low in _PUNCT or toks[j].low in GOVERN_GAP or any(c.isdigit() for c in toks[j].low):
                    break
                if toks[j].stem:
                    out.add(toks[j].stem)
    return frozenset(out)


def _completed(toks: tuple[Tok, ...], i: int) -> bool:
    w = toks[i].low
    return w.endswith("ed") or w in _IRREGULAR or (i > 0 and toks[i - 1].low in _PERFECT)


_KIND = {"neg": "negated", "no longer": "no longer", "end": "ended", "from": "ended", "moved": "moved from"}


_BREAK = frozenset(";:()!?—–\"“”")  # tokens that end a clause: a note's phrase stays inside the one it quotes
_DANGLING = frozenset({"the", "a", "an", "and", "or", "but", "of", "to", "in", "into", "on", "onto", "at", "by", "for",
                       "with", "from", "over", "under", "about", "after", "before", "than", "its", "their", "his",
                       "her", "our", "your", "this", "that", "these", "those", "which", "who", "as"})


def _phrase(text: str, at: int) -> str:
    """The words around the change a note names ("does not incorporate arsenic into its DNA"): up to
    three before and five after, within the clause it stands in, not ending on a word that needs
    another after it (a reader saw "not incorporate arsenic into its DNA; the")."""
    toks = _TOK.findall(text)
    lo, hi = max(0, at - 3), min(len(toks), at + 5)
    hi = next((j for j in range(at + 1, hi) if toks[j] in _BREAK), hi)
    lo = next((j + 1 for j in range(at - 1, lo - 1, -1) if toks[j] in _BREAK), lo)
    out = toks[lo:hi]
    while len(out) > 1 and (out[-1] == "," or out[-1].lower() in _DANGLING):
        out.pop()
    while len(out) > 1 and out[0] == ",":
        out.pop(0)
    return " ".join(out).replace(" ,", ",")


@lru_cache(maxsize=50_000)
def _light(text: str) -> frozenset[str]:
    return frozenset(t.stem for t in tokens(text) if t.low in _VERBS)


@lru_cache(maxsize=50_000)
def _claim_side(text: str) -> tuple[dict[str, frozenset[int]], frozenset[str]]:
    """What `reversal` reads of a claim: each stem's polarities, and the stems it negates."""
    pa: dict[str, set[int]] = {}
    for st, par, kind, _ in polarity(text):
        pa.setdefault(st, set()).add(par)
    neg = frozenset(st for st, par, kind, _ in polarity(text) if par == 1 and kind == "neg")
    return {k: frozenset(v) for k, v in pa.items()}, neg


@lru_cache(maxsize=50_000)
def _later_side(text: str) -> tuple[tuple[str, int, str, int, tuple[str, ...]], ...]:
    """`polarity` of a later statement, each word with the names it gives in its own clause (the
    words `reversal` checks the claim for): per text, not per pair."""
    tb, b_names = tokens(text), names(text)
    return tuple((st, par, kind, at, tuple(tb[j].low for j in _clause(tb, max(0, at - 1), 5)
                                            if tb[j].name and tb[j].low in b_names))
                 for st, par, kind, at in polarity(text))


_QUALIFYING = frozenset({"in", "on", "at", "of", "for", "from"})


def _qualifier(toks: tuple[Tok, ...], i: int, later: bool = True) -> frozenset[str]:
    """The content stems of the prepositional phrase right after the noun at `i` ("sites *in danger*",
    "site *on the World Heritage List*"), up to five words and not past the clause or another preposition:
    which one of that noun is meant. A phrase that is only a definite description ("captain *of the
    club*", "a member *of the alliance*") in the later statement (`later`) refers back to what the claim
    names: it says nothing new of which one, so it gives nothing."""
    if i + 1 >= len(toks) or toks[i + 1].low not in _QUALIFYING:
        return frozenset()
    phrase = []
    for t in toks[i + 2:i + 7]:
        if t.low in _PUNCT or t.low in CLAUSE_END or t.low in _QUALIFYING:
            break
        phrase.append(t)
    if later and phrase and phrase[0].low in _DEFINITE and not any(t.name for t in phrase):
        return frozenset()
    return frozenset(t.stem for t in phrase if t.stem)


def _another_one(a: str, b: str, st: str, at: int) -> bool:
    """The later statement's noun is qualified as another one of it than the claim's: both carry a phrase
    saying which, and nothing of the later one's is in the claim ("no longer belongs among the sites in
    danger" reverses no "site on the World Heritage List"; "the factory in Leeds" is not "the factory in
    York"). Only a noun (a determiner just before it) is qualified so: "not closed at any point" is a
    verb with an adjunct, and stays the claim's own word."""
    tb = tokens(b)
    if not any(tb[j].low in _DETERMINER for j in range(max(0, at - 2), at)):
        return False
    later = _qualifier(tb, at)
    if not later:
        return False
    ta = tokens(a)
    claim = [_qualifier(ta, j, later=False) for j, t in enumerate(ta) if t.stem == st]
    have = {t.stem for t in ta if t.stem}
    return bool(claim) and all(q for q in claim) and not (later & have)


def reversal(a: str, b: str, point: set[str], self_spoken: bool) -> Reversal | None:
    """Does later statement `b` reverse claim `a` on the words they share (`point`: shared content
    stems, names excluded)? `self_spoken`: `b` is an event or the claim's own party speaking (an
    admission may affirm what the claim denied; a third party's accusation may not)."""
    if _hypothetical(b):
        return None
    # Light verbs retrieval ignores ("used") count only for a denial later affirmed ("never used" /
    # "had used"); reversing one alone ("licenses to use" / "did not use") says nothing.
    light = _light(a) & _light(b)
    if not point and not light:
        return None
    pa, neg_a = _claim_side(a)
    hit: set[str] = set()
    how, where = "", 0
    a_low = a.lower()
    for st, par, kind, at, near in _later_side(b):
        if par == 1 and st in point and pa.get(st) == {0} and not DOC_WORD.fullmatch(st):
            if any(n not in a_low for n in near) or _another_one(a, b, st, at):
                continue  # another one of it: "close the Nairobi factory" is not "the Singapore factory"
            hit.add(st)
            how, where = how or _KIND.get(kind, kind), where or at
    if hit and not hit <= FRAME_WORDS:  # "no plans to close the factory" reverses no "plans" of the claim
        return Reversal(how, frozenset(hit), _phrase(b, where))
    if self_spoken:
        # The claim denied it ("never used"); the later statement says it was done ("had used").
        for st, par, kind, at, _ in _later_side(b):
            if par == 0 and st in point | light and st in neg_a and pa.get(st) == {1} and _completed(tokens(b), at):
                return Reversal("affirmed", frozenset({st}), _phrase(b, at))
    return None


FROM_FIGURE = re.compile(r"\b(?:down|up|revised|cut|lowered|raised|reduced|increased|changed)?\s*from "
                          r"(?:the |its |an? |about |some |around )?([$€£]?\d[\d,.]*(?:\s?(?:million|billion|trillion|"
                          r"percent|%))?)", re.I)


@lru_cache(maxsize=100_000)
def _hypothetical(text: str) -> bool:
    return bool(HYPOTHETICAL.search(text))


@lru_cache(maxsize=100_000)
def _plan_shaped(text: str) -> bool:
    return bool(_PLAN_CLAIM.search(text) or _PLAN_WORD.search(text))


def withdrawn_by_name(a: str, b: str, a_names: frozenset[str]) -> Reversal | None:
    """A plan, offer or deal in the claim, and a later statement in which the same actor ends,
    drops or withdraws from something named in the claim ("Kraft Heinz has dropped its pursuit of
    Unilever" ← "made a $143 billion offer for Unilever")."""
    if not _plan_shaped(a) or _hypothetical(b):
        return None
    toks = tokens(b)
    ops = _operators(b)
    negated = {j for p, k in ops if k in ("neg", "no longer") for j in _targets(toks, p, k)}
    for p, kind in ops:
        if kind != "end" or p in negated:
            continue
        actor = {t.low.strip(".'’") for t in toks[:p] if t.name}
        obj = {toks[j].low.strip(".'’") for j in takewhile(lambda j: toks[j].low not in RELATIVE, _clause(toks, p + 1, 8))
               if toks[j].name}  # what was ended, not a name in a clause describing it ("a merger that Washington had cleared")
        if actor & a_names and (obj & a_names) - actor:
            return Reversal("ended", frozenset(), _phrase(b, p))
    return None


__all__ = ["FROM_FIGURE", "Reversal", "definite_nouns", "polarity", "reversal", "tokens", "withdrawn_by_name"]
