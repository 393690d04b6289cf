"""What a later statement says changed, in the words of the note ("reopened on 3 May 2021",
"figure corrected to about 180,000"), and whether it affirms that an event happened: the phrase
helpers of `families`, kept apart so the family rules read on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..terms import _IRREGULAR, _norm, words
from ..terms import stem as stem_of
from . import signals as sg
from .lexicon import NO_LONGER, NOT_A_DENIAL as _NOT_A_DENIAL, NOT_REVERSED
from .scope import narrower_denial


def span_of(rx: re.Pattern[str], text: str, extra_words: int = 5, follow: int = 0) -> str:
    """The matched words plus a short tail when it says when ("reopened on 3 May 2021"), or the
    `follow` words after it ("resume the hydroxychloroquine arm of its trial")."""
    m = rx.search(text)
    if not m:
        return ""
    if follow:
        after = re.split(r"[,;]| after | because | as ", text[m.end():])[0].split()[:follow]
        return " ".join([m.group(0), *after]).strip(" ,.;")
    tail = re.match(r"(?:\s+(?:on|in|at|from|to|after|last|this|early|late)\s+[\w,]+(?:\s+\d{1,2},?)?(?:\s+\d{4})?)?",
                    text[m.end():])
    phrase = (m.group(0) + (tail.group(0) if tail else "")).strip(" ,.;")
    return " ".join(phrase.split()[: 8 + extra_words])


_MORE_THAN = frozenset({"just", "only", "merely", "simply", "solely", "purely"})


@lru_cache(maxsize=100_000)
def no_longer_scope(b: str) -> frozenset[str]:
    """The stems of "X no longer P" in `b`: empty without it, or for "no longer just X" (now more than X)."""
    nl = NO_LONGER.search(b)
    if not nl or nl.group(0).split()[2].lower() in _MORE_THAN:
        return frozenset()
    return frozenset(stem_of(_norm(w)) for w in words(nl.group(0)))


_PAST_AUX = re.compile(r"\b(?:has|have|had|was|were|been|is now|are now)\s+(?:\w+\s+)?$", re.I)
_AUX = re.compile(r"\b(?:has|have|had|was|were|been|is now|are now)", re.I)  # where `_PAST_AUX` can start


_WITHHELD = re.compile(r"\b(?:declined|declines|refused|refuses|failed|fails|decided not|voted not|chose not) to$", re.I)


@lru_cache(maxsize=100_000)
def affirmed(stem: str, text: str) -> bool:
    """`text` says that what `stem` names happened: a verb with that stem in a completed form
    ("recalled", "has opened", "was charged"), not negated — or, for a list, an addition to one."""
    if stem in ("list", "blacklist", "regist", "index", "design") and (event := sg.LIST_EVENT.search(text)):
        at = event.start()
        # "again declined to add X to its list" withholds the listing it names
        return not sg.negated_near(text, at) and not _WITHHELD.search(" ".join(text[:at].split()[-3:]))
    return stem in _done(text)


@lru_cache(maxsize=50_000)
def _done(text: str) -> frozenset[str]:
    """What `affirmed` finds in `text` for any stem, read once per text: the stems an event governs
    ("opened a federal investigation", "agreed to sell its subsidiary"), and those of verbs in a
    completed form, not negated."""
    out: set[str] = set()
    for m in sg.STATUS_EVENT.finditer(text):
        span = " ".join([m.group(0)] + text[m.end():].split()[:6])
        if not sg.negated_near(text, m.start()):
            out |= {stem_of(_norm(w)) for w in words(span)}
    # `_PAST_AUX` can end at a word only when one of its auxiliaries starts at most three words before it.
    aux = [m.start() for m in _AUX.finditer(text)]
    pos = 0
    for w in words(text):
        pos = text.find(w, pos)
        low = _norm(w)
        completed = low.endswith("ed") or low in _IRREGULAR or (
            any(i < pos and len(text[i:pos].split()) <= 3 for i in aux) and bool(_PAST_AUX.search(text[:pos])))
        if completed and not sg.negated_near(text, pos):
            out.add(stem_of(low))
        pos += len(w)
    return frozenset(out)


def event_phrase(b: str, stems: list[str]) -> str:
    for m in sg.STATUS_EVENT.finditer(b):
        span = [m.group(0)] + b[m.end():].split()[:6]
        if set(stems) & {stem_of(_norm(w)) for w in words(" ".join(span))}:
            return " ".join(" ".join(span).split()[:8]).rstrip(",.;")
    m = sg.LIST_EVENT.search(b)
    if m and set(stems) & {"list", "blacklist", "regist"}:
        ws = m.group(0).split()
        tail = re.search(r"\b(?:to|on|in|among)\b (?:the |its |a |their )?(?:[\w.-]+ ){0,3}(?:list|blacklist|register|"
                         r"registry)$", m.group(0))
        return f"{ws[0]} {tail.group(0)}" if tail and len(ws) > 6 else " ".join(ws)
    ws = words(b)
    for i, w in enumerate(ws):
        if stem_of(_norm(w)) in stems:
            return " ".join(ws[max(0, i - 2): i + 5])
    return ""


def figure_phrase(b: str, new: list[str], now: bool = False) -> str:
    """What the note says changed: "figure corrected to about 180,000", or for a figure overtaken
    by events rather than wrong when given (`now`), "figure now 112"."""
    fig = new[0].rstrip(",.;:")
    m = re.search(r"(?:about|around|roughly|some|nearly|almost|more than|over|above|below|at least|just over|just under)\s+"
                  + re.escape(fig), b)
    return f"figure {'now' if now else 'corrected to'} {m.group(0) if m else fig}"


@lru_cache(maxsize=100_000)
def negated(text: str) -> frozenset[str]:
    """Stems a sentence negates: the words within six after each negator ("not a drill" → drill)."""
    return frozenset(stem_of(_norm(w)) for m in sg.NEG_WORD.finditer(text) for w in words(text[m.end():])[:6])


@lru_cache(maxsize=100_000)
def _denials(text: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each negator that denies something (not "not only", "did not disclose", "not $300 million"):
    where it starts and the stems of the six words after it. Per text, not per pair."""
    return tuple((m.start(), frozenset(stem_of(_norm(w)) for w in words(text[m.end():])[:6]))
                 for m in sg.NEG_WORD.finditer(text)
                 if not (_NOT_A_DENIAL.match(text[m.end():]) or NOT_REVERSED.match(text[m.end():])))


_NO_OPPOSITES = (-1,) * (2 * len(sg.ANTONYM_RX))


@lru_cache(maxsize=100_000)
def _opposite_starts(text: str) -> tuple[int, ...]:
    """Where each word of each pair of opposites (`sg.ANTONYM_RX`, flattened: x0, y0, x1, y1, …)
    first occurs in `text`, -1 where it does not. Per text, not per pair. A text where their union
    (`_OPPOSITE_WORD`: the same words, flags and boundaries) finds none has none of them."""
    if not sg._OPPOSITE_WORD.search(text):
        return _NO_OPPOSITES
    return tuple(m.start() if (m := rx.search(text)) else -1 for pair in sg.ANTONYM_RX for rx in pair)


def polarity_flip(a: str, b: str, point: set[str]) -> tuple[str, bool]:
    """`b` says the opposite of `a` on the same point: a word of the point negated in `b` but not in
    `a` ("can use arsenic" / "does not incorporate arsenic"; `a` may negate something else: "this
    is not a drill"), or a pair of opposites ("struck down" / "upheld"). Returns the words of `b`
    that say so ("" if none) and whether it was a pair of opposites (then the pair is the point)."""
    negated_a = negated(a)
    for start, stems in _denials(b):  # skips "not only", "did not disclose", "did not overturn", "not $300 million"
        if stems & point and not (stems & point & negated_a) and not narrower_denial(a, b, start, point):
            return " ".join(b[start:].split()[:7]).rstrip(",.;"), False
    in_a, in_b = _opposite_starts(a), _opposite_starts(b)
    for x in range(0, len(in_b), 2):
        for p, q in ((x, x + 1), (x + 1, x)):
            if in_b[q] >= 0 and in_a[p] >= 0 and in_a[q] < 0:
                return " ".join(b[in_b[q]:].split()[:6]).rstrip(",.;"), True
    return "", False
