"""Is a later statement about the claim's own proposition, not only its subject? (detectors 8–12)

The families of `families.py` find a later statement on the claim's subject that reverses, ends or
re-counts something. On text nobody tuned on, a quarter to a half of the links that passed were
about the same subject but another proposition (tenth session, docs/MEASUREMENTS.md). The rules here
are readings of grammar a reader applies to any text, each a reason a pair says nothing about the
claim:

- `narrower_denial`: "no X Y" denies only Y *qualified by X* ("turned up no *fraudulent* ballots"
  does not deny a claim about reviewing ballots); the claim must give the qualifier too;
- `event_verb` / `other_count`: a count is of what its verb counts ("killing 200 people" is not
  "convicted 21 people"), and "two *other* leaders", "three *more* bodies" count beyond something
  named beside them — neither is the same quantity given another value;
- `modal_mismatch`: "can no longer be discharged" ends a possibility or a rule; it does not make a
  record of what happened ("13,000 have been discharged") untrue;
- `places`, `placed_elsewhere`: a state placed somewhere ("restricted access in Egypt, Libya, India
  and Indonesia") is not ended by a later source that never names any of those places;
- `ends_other`: a verb of lifting ends its object ("dismissed its editor, Piers Morgan" ends no
  investigation the claim reports);
- `future_claim`: a statement of what will happen, said later not to happen, is a plan or forecast
  overtaken (superseded), not a false report (corrected);
- `now_figure`: a figure the measurer *now* gives ("now says", "now counts", "now puts") replaces the
  estimate of its time, and a value a later decision sets anew ("cut her ban to 15 months") replaced
  the one decided before: superseded, unless the text says the first figure was wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..dates import MONTH_NAMES
from ..terms import _IRREGULAR, _norm, stem
from .lexicon import WEEKDAYS
from .patterns import _FALSE_ADJ
from .restate import _TOK, _operators, tokens
from .subject import GENERIC_NAMES, names

_NO = frozenset({"no", "none"})
_FUNCTION = frozenset("of in on at for to from by with as and or the a an its their his her this that".split())


def narrower_denial(a: str, b: str, start: int, point: set[str]) -> bool:
    """The negator at `start` of `b` is a determiner ("no", "none") whose noun phrase qualifies the
    shared word with words the claim does not give: it denies something narrower than the claim."""
    after = b[start:].split()
    if not after or after[0].lower().strip(",.;") not in _NO:
        return False
    a_stems = {stem(t.low) for t in tokens(a)}  # every word of the claim, stop words too ("other ballots")
    mods: list[str] = []
    for w in after[1:5]:
        low = _norm(w.strip(",.;:"))
        if not low or low in _FUNCTION:
            return False  # "no evidence of fraud": a head noun and its complement, not a qualifier
        if low == "such":
            continue  # "no such ballots": the kind the claim names, referred back to
        st = stem(low)
        if st in point:
            return any(m not in a_stems for m in mods)
        mods.append(st)
        if w[-1:] in ",.;:":
            return False
    return False


_QUALIFIER = re.compile(r"(?:\b(?:about|around|roughly|some|nearly|almost|more than|over|at least|up to|only|just|"
                        r"fewer than|less than|an estimated|as many as)\s+)$", re.I)
# Verbs that state or revise a figure rather than name what it counts, and "left" of a result ("left
# 141 people dead": the count of the deaths, not of an act of leaving).
_MEASURING = frozenset(stem(w) for w in """count counted put estimated estimate recorded reported confirmed registered
totalled totaled numbered listed revised raised lowered cut reduced increased reached rose risen fell fallen stood
said says gave given found leave left leaving has have had is was are were""".split())
_NOT_VERB = frozenset("is was has as its this his hers ours yours theirs plus minus less thus us".split())


@lru_cache(maxsize=50_000)
def event_verb(text: str, at: int) -> str:
    """The stem of the verb right before the figure starting at `at` ("convicted 21 people",
    "killing nearly 200 people"), "" when none or a verb of counting ("now counts 2,749")."""
    head = _QUALIFIER.sub("", text[:at].rstrip() + " ").rstrip()
    m = re.search(r"([A-Za-z]+)(?:\s+(?:away|off|out|up|down|back))?$", head)  # a phrasal verb: "turned away 120"
    if not m:
        return ""
    w = m.group(1).lower()
    before = head[:m.start()].split()
    if before and before[-1].lower() in ("a", "an", "the"):
        return ""  # "an estimated 3,000": an adjective
    in_s = w.endswith("s") and w not in _NOT_VERB and m.group(1)[:1].islower()  # not a name ("In Lagos 40 people")
    if not (w.endswith("ed") or w.endswith("ing") or w in _IRREGULAR or in_s):
        return ""  # ("employs 5,000 people": a word in -s right before a figure is a verb)
    st = stem(_IRREGULAR.get(w, w))
    return "" if st in _MEASURING else st


OTHER = frozenset({"other", "others", "more", "additional", "further", "extra"})


def other_count(unit_words: tuple[str, ...]) -> bool:
    """"two other leaders", "three more bodies": a count beyond something named or counted beside it."""
    return bool(unit_words) and unit_words[0].lower() in OTHER


_POSSIBILITY = re.compile(r"\b(?:can|cannot|can't|could|may|must)\b\s+(?:\w+\s+){0,2}?(?:no longer|not|never)?\s*"
                          r"(?:\w+\s+){0,2}?$", re.I)
_MODAL = re.compile(r"\b(?:can|cannot|can't|could|may|might|must|should|will|would)\b", re.I)
_DONE = re.compile(r"\b(?:have|has|had|were|was)\s+(?:been\s+)?(\w+)", re.I)


def modal_mismatch(a: str, b: str, words: frozenset[str]) -> bool:
    """`b` ends a possibility or rule ("can no longer be discharged") over a word the claim reports
    as done ("have been discharged"), with no modal of its own: a record of events stays true."""
    if _MODAL.search(a):
        return False
    done = {stem(_norm(m.group(1))) for m in _DONE.finditer(a)} & words
    for m, t in zip(_TOK.finditer(b), tokens(b)):  # `tokens` reads the same words: their places in `b`
        if t.stem in done:
            return bool(_POSSIBILITY.search(b[:m.start()]))
    return False


# Months and weekdays, from the lists the date readers hold (`ingest.dates`, `lexicon.weekday`).
_MONTHS = frozenset(m.lower() for m in MONTH_NAMES if m) | frozenset(WEEKDAYS)
_PLACE = re.compile(r"\b(?:in|across|throughout)\s+((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
                    r"(?:\s*(?:,|and|or|,\s*and)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*)")


@lru_cache(maxsize=50_000)
def places(text: str) -> frozenset[tuple[str, ...]]:
    """The names a sentence places something in, each as its stemmed words ("in Egypt, Libya, India
    and Indonesia", "across the United States"); months and weekdays are times, not places."""
    out: set[tuple[str, ...]] = set()
    for m in _PLACE.finditer(text):
        for part in re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", m.group(1)):
            ws = [w for w in part.split() if w.lower() != "the"]
            if ws and ws[0].lower() not in _MONTHS and len(ws[0]) > 1:
                out.add(tuple(stem(_norm(w)) for w in ws))
    return frozenset(out)


def placed_elsewhere(claim: str, later: list[str], later_words: frozenset[str], later_caps: frozenset[str]) -> bool:
    """The claim places its state in named places; the later statement or its headline (`later`)
    places what it says in others; and the later document names none of
    the claim's (`later_words`: its capitalised words stemmed, `later_caps`: its words in capitals —
    `story.DocFacts`), not even by initials ("the US" for "the United States")."""
    ps = places(claim)
    if not ps:
        return False
    elsewhere = {p for t in later for p in places(t)}
    if not elsewhere or elsewhere & ps:
        return False
    return not any(p[-1] in later_words or "".join(w[0] for w in p) in later_caps for p in ps)


_ADJUNCT = re.compile(r"[.;]|\s(?:after|because|as|when|while|but|on|in|at|during|by|over|within|before|since|"
                      r"until|amid|despite|following)\s")


def _object_names(b: str, at: int) -> frozenset[str]:
    """The names in the object of the verb starting at `at` in `b`: up to the clause's end or an
    adjunct ("at its plenary in Paris"), at most eight words."""
    rest = b[at:].split(None, 1)[1] if len(b[at:].split(None, 1)) > 1 else ""
    obj = _ADJUNCT.split(" " + rest)[0]
    # A restriction's own "on" or "against" is part of it, not an adjunct: "lifted its ban on Vell timber",
    # "removed the sanctions against Orsk Mining" end something on Vell, against Orsk.
    m = _ON_WHAT.match(rest[len(obj.strip()):]) if _RESTRICTION_END.search(obj) else None
    if m:
        obj += " " + _ADJUNCT.split(" " + m.group(1))[0]
    return names(" " + " ".join(obj.split()[:8])) - GENERIC_NAMES - _MONTHS


_RESTRICTION_END = re.compile(r"\b(?:ban|bans|sanctions|tariffs|duties|levies|embargo|restrictions|curbs|moratorium|"
                              r"suspension|freeze|controls|limits|quotas)\s*$", re.I)
_ON_WHAT = re.compile(r"\s+(?:on|against|of|for)\s+(.*)", re.S)


def ends_other(b: str, at: int, claim_names: frozenset[str]) -> bool:
    """The verb of lifting starting at `at` in `b` has an object that names someone or something (a
    name, an apposition: "dismissed its editor, Piers Morgan"; "removed Vantor from its list") none
    of the claim's names: it ended something else than the claim's state."""
    own = _object_names(b, at)
    return bool(own) and not own & claim_names


@lru_cache(maxsize=100_000)
def _ended_objects(b: str) -> tuple[frozenset[str], ...]:
    """The names in the object of each verb of ending in `b` (restate's operators), read once per
    text: relinking asks `ends_others` of one later statement against every claim it meets."""
    ends = [p for p, kind in _operators(b) if kind in ("end", "from")]
    if not ends:
        return ()
    starts = [m.start() for m in _TOK.finditer(b)]  # where each of `tokens(b)` stands (one word each, in order)
    return tuple(_object_names(b, starts[p]) for p in ends)


def ends_others(b: str, claim_names: frozenset[str]) -> bool:
    """Every verb of ending in `b` (restate's operators) ends an object naming none of the claim's names."""
    objects = _ended_objects(b)
    return bool(objects) and all(bool(own) and not own & claim_names for own in objects)


_FUTURE = re.compile(r"(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bour )(?<!\bmy )"
                     r"\b(?:(?-i:will|won't|won’t)|is going to|are going to)\b(?!\s+have\s+been)", re.I)


# Reported speech puts "will" back to "would": "Apple said on Monday that it would build a data centre"
# reports "Apple will build …". The "would" must follow a verb of saying within its clause (a conditional
# "would" — "a ban would hurt trade" — reports no plan), and not open a past perfect ("would have been").
_REPORTED_FUTURE = re.compile(r"\b(?:said|says|announced|announces|confirmed|confirms|promised|pledged|told\s+[\w’'-]+"
                              r"(?:\s+[\w’'-]+)?)\b(?:\s+on\s+\w+)?(?:\s+that)?\s+(?:[\w’'-]+\s+){1,4}?would\s+(?!have\b)",
                              re.I)


# A later statement that something will not happen ("There will be no third runway", "Germany will have
# no nuclear power by 2022", "the minister said there would be no second terminal") speaks of what is to
# come: after a decision it overtakes that decision; it cannot say an earlier account of what happened
# was false.
_FUTURE_DENIAL = re.compile(r"\b(?:will|shall)\s+(?:not|never|no\s+longer|(?:be|have)\s+no)\b|\bwon['’]t\b|"
                            r"\b(?:is|are)\s+(?:not|no\s+longer)\s+going\s+to\b|"
                            r"\b(?:said|says|announced|confirmed)\b[^.;:]{0,60}?\bwould\s+(?:not|never|no\s+longer|"
                            r"(?:be|have)\s+no)\b", re.I)
# A decision the claim reports ("gave the go-ahead for", "voted to keep", "approved", "agreed to"): what a
# later statement of what will not come overtakes. A past event ("was sold", "fired its chief") is not one.
_DECISION = re.compile(r"\b(?:voted|approved|gave\s+(?:the\s+|its\s+|final\s+)*(?:go-ahead|green\s+light|approval)|"
                       r"agreed|decided|chose|cleared\s+the\s+way|authori[sz]ed|endorsed)\b", re.I)


def future_denial(b: str, words: str = "") -> bool:
    """The later statement says what will not happen (`_FUTURE_DENIAL`) — with `words` (the part of `b`
    that reverses the claim), of those words: the denial opens them or stands just before them in
    their clause ("There will be no | third runway"; not "The bridge is intact and will not need …").
    Spaces are compared as one (a no-break space or two spaces in the source)."""
    b = " ".join(b.split())
    if not words:
        return bool(_FUTURE_DENIAL.search(b))
    at = b.find(" ".join(words.split()))
    return at >= 0 and any(m.start() <= at and at - m.end() <= 12 and not re.search(r"[,;:]", b[m.end():at])
                           for m in _FUTURE_DENIAL.finditer(b))


def decision_overtaken(a: str, b: str, words: str = "") -> bool:
    """A decision the claim reports (`_DECISION`), said later not to come (`future_denial` of the words that
    reverse it), without the later statement calling the account wrong: superseded, not corrected."""
    return bool(_DECISION.search(a)) and future_denial(b, words) and not _WRONG.search(b) and not _UNTRUE.search(b)


# The account called false in the detector's own words for it (patterns.py `_FALSE_ADJ`), or said not to have happened.
_UNTRUE = re.compile(r"\b(?:" + _FALSE_ADJ + r"|never happened|did not happen)(?!\w)", re.I)


def future_claim(a: str) -> bool:
    """The claim says what will happen ("The Xbox One will have to connect …", "Apple said it would
    build …"), not what happened."""
    return bool(_FUTURE.search(a) or _REPORTED_FUTURE.search(a))


_NOW = re.compile(r"\bnow\s+(?:says?|counts?|puts?|values?|estimates?|gives?|reports?|lists?|numbers?)\b", re.I)
_WRONG = re.compile(r"\b(?:incorrect(?:ly)?|wrong(?:ly)?|in error|mistaken(?:ly)?|overstated|understated|"
                    r"(?:counted|reported) (?:twice|more than once)|than (?:first |initially )?(?:announced|reported))\b", re.I)


_SET_ANEW = re.compile(r"\b(?:cut|cuts|reduced|reduces|raised|raises|extended|extends|shortened|lengthened|lowered|"
                       r"increased|doubled|halved)\s+((?:[\w'’-]+\s+){0,5}?)to\s+(?:about\s+)?[$€£]?\d", re.I)
# What a measurement is called: changing one of these re-counts; changing anything else decides anew.
_MEASUREMENT = re.compile(r"\b(?:count|counts|estimate|estimates|toll|tally|figure|figures|number|total|reckoning|"
                          r"forecast|projection)\b", re.I)


def now_figure(b: str) -> bool:
    """The later figure supersedes rather than corrects: the measurer now gives it ("now says the
    economy contracted at 6.2 percent"), or a decision sets the value anew ("cut her doping ban to 15
    months": the ban was two years until then; "cut its count to 326 million" re-counts) — and the
    text does not say the first figure was wrong."""
    if _WRONG.search(b):
        return False
    m = _SET_ANEW.search(b)
    return bool(_NOW.search(b)) or bool(m and not _MEASUREMENT.search(m.group(1)))


__all__ = ["OTHER", "ends_other", "ends_others", "event_verb", "decision_overtaken", "future_claim", "future_denial", "modal_mismatch", "narrower_denial", "now_figure", "other_count",
           "placed_elsewhere", "places"]
