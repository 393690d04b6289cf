"""Are two sentences about the same subject and the same point?

Names decide the subject (a later statement about another company overturns nothing); the
claim's attribution ("according to a survey by X", "X said") is part of its subject, so a later
retraction by X reaches it; content words beyond names decide the point. Embedding similarity
only ranks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..terms import content_terms, name_tokens
from .demonyms import with_countries
from .lexicon import GENERIC_NAMES, NOT_NAMES as _NOT_NAMES, SPEECH as _SPEECH

# The speaker, then an aside: a short one ("Acme, the maker of X, said") or a relative clause of any
# length a sentence has ("Wansink, who will leave the university at the end of the year, said").
_SPEAKER = re.compile(r"((?:[A-Z][\w.&'’-]*\s){0,4}[A-Z][\w.&'’-]*)(?:\s*,\s*(?:who|whose|which)\b[^,]{1,150},|\s*,[^,]{1,60},)?\s+"
                      r"(?:said|says|told|stated|added|announced|confirmed|wrote|reported|claimed|alleged|"
                      r"denied|denies|admitted|acknowledged|insisted|maintained|argued|disputed|rejected)\b")
# The verbs by which one speaks for a party (its agents and bodies below): saying, claiming, denying.
_SPEAKS_AS = r"said|says|told|stated|added|announced|claimed|denied|denies|insisted|maintained|argued|disputed|rejected"
# Who speaks for a party speaks as that party ("Harlow Bank's lawyer said", "Vale's spokeswoman, Ann Roe,
# said"): its lawyers, spokespeople, representatives, office and officers — never its critics or rivals.
_AGENT = re.compile(r"((?:[A-Z][\w.&-]*\s){0,3}[A-Z][\w.&-]*)['’]s? (?:\w+ )?(?:lawyers?|attorneys?|counsel|spokes(?:man|"
                    r"woman|person)|representatives?|press secretary|office|agent|aides?|chief executive|chairman|chairwoman)"
                    r"(?:\s*,[^,]{1,60},)?\s+(?:" + _SPEAKS_AS + r"|wrote)\b")
# A party's own body speaks as the party ("The Kessel army said", "the Vantor government denied"): its
# government, forces, ministries, embassy, company or campaign — not a court, a regulator or the police.
_BODY = re.compile(r"\b(?:[Tt]he |[Ii]ts |[Tt]heir )?((?:[A-Z][\w.&-]*\s){1,3})(?:government|army|military|armed forces|"
                   r"(?:\w+ )?ministry|embassy|administration|regime|company|firm|campaign|party)(?:\s*,[^,]{1,60},)?\s+"
                   r"(?:" + _SPEAKS_AS + r")\b")
_ACCORDING = re.compile(r"\b(?:according to|cited by|published by|commissioned by|conducted by|released by|"
                        r"(?:report|study|survey|paper|poll|analysis|research|estimate|data|review|audit)s? "
                        r"(?:by|from|of)) (?:an? |the )?(?:\w+ ){0,3}?((?:[A-Z][\w.&'’-]*\s?){1,5})")
# Where a document appeared: the journal, magazine or paper that published it can withdraw it ("a study
# published in Nature" ← "Nature withdrew the paper"; "reported in the journal Science that …").
# "published in Nature", "reported on Thursday in Science", "report in Nature this week", "writing in
# the Lancet": a time phrase may stand between the verb and the venue.
_WHEN = (r"(?i:(?:on |last |this |early |late |earlier )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
         r"week|month|today|yesterday|january|february|march|april|may|june|july|august|september|october|"
         r"november|december)(?: \d{1,2})?,? )")
VENUE = re.compile(r"\b(?i:published|reported|report|reports|writing|appeared|appearing|appears|printed|written) "
                   r"(?:online )?" + _WHEN + r"?in "
                   r"(?:the (?:journal|magazine|newspaper|review) |the )?((?:[A-Z][\w.&'’-]*\s?){1,5})")
_POSSESSIVE = re.compile(r"((?:[A-Z][\w.&-]*\s){0,3}[A-Z][\w.&-]*)['’]s? (?:\w+ )?(?:report|study|survey|paper|poll|"
                         r"analysis|research|estimate|data|review|audit|findings?)\b")


_CALENDAR = frozenset(content_terms("monday tuesday wednesday thursday friday saturday sunday january february march "
                                    "april may june july august september october november december week month year "
                                    "today yesterday earlier later a.m. p.m."))


_UNICODE_NAME = re.compile(r"(?<=\s)[^\W\d_][\w'’-]*[^\W_]", re.U)


@lru_cache(maxsize=100_000)
def names(text: str) -> frozenset[str]:
    out = {n.lower().strip(".'’") for n in name_tokens(text, initial=True)}
    # Names with letters beyond ASCII ("Séralini", "Gdańsk") that the shared tokenizer splits.
    out |= {m.group(0).lower().strip(".'’") for m in _UNICODE_NAME.finditer(text)
            if m.group(0)[0].isupper() and not m.group(0).isascii()}
    # "Australian barley" names Australia (demonyms.py): a country's adjective meets its name — not inside a
    # proper name ("Ethiopian Airlines").
    return with_countries(text, frozenset(out) - _NOT_NAMES)


def _name_set(phrase: str) -> set[str]:
    return {n.lower().strip(".'’") for n in re.findall(r"[A-Z][\w.&'’+-]*|[A-Z0-9]{2,}", phrase)} - _NOT_NAMES


@lru_cache(maxsize=100_000)
def attribution(text: str) -> frozenset[str]:
    """Names of who a sentence attributes its content to: the speaker, the author of the
    report or survey it cites."""
    out: set[str] = set()
    for rx in (_SPEAKER, _AGENT, _BODY, _ACCORDING, _POSSESSIVE):
        for m in rx.finditer(text):
            out |= _name_set(m.group(1))
    return frozenset(out)


@lru_cache(maxsize=100_000)
def topic_terms(text: str) -> frozenset[str]:
    """Content stems that are not names nor speech verbs."""
    nm = set(content_terms(" ".join(names(text))))
    return frozenset(set(content_terms(text)) - nm - _SPEECH - _CALENDAR)


@lru_cache(maxsize=100_000)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w.lower().strip(".'’") for w in re.findall(r"[\w.&'’+-]+", text))


@lru_cache(maxsize=100_000)
def _caps(text: str) -> frozenset[str]:
    """Words in capitals ("WHO", "FAA"), even those that are also common words."""
    return frozenset(w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", text))


@lru_cache(maxsize=100_000)
def _first(text: str) -> frozenset[str]:
    m = re.match(r"\W*([\w.&'’+-]+)", text)
    return frozenset({m.group(1).lower().strip(".'’")}) if m else frozenset()


@lru_cache(maxsize=100_000)
def acronyms(text: str) -> frozenset[str]:
    """Initials of multi-word names ("World Health Organization" → "who"), so a later "WHO" or
    "FAA" is the same subject."""
    out = set()
    for m in re.finditer(r"(?:[A-Z][a-z]+(?:\s+(?:of|for|and|the)\s+|\s+)){1,5}[A-Z][a-z]+", text):
        caps = [w for w in m.group(0).split() if w[0].isupper()]
        while caps and caps[0] in ("The", "A", "An", "In", "On", "At", "By", "For"):
            caps = caps[1:]
        if len(caps) >= 2:
            out.add("".join(w[0] for w in caps).lower())
    return frozenset(out)


@lru_cache(maxsize=100_000)
def _sides(text: str) -> tuple[frozenset[str], ...]:
    """What `shared_names` reads of one text, read once per text (it is asked of every pair relinking
    forms): its names, its first word if a name, its words in lower case, the initials of its
    multi-word names (and those of three letters or more), its words in capitals."""
    n, ac = names(text), acronyms(text)
    return n, _first(text) & n, _lower_words(text), ac, frozenset(x for x in ac if len(x) >= 3), _caps(text)


def shared_names(a: str, b: str) -> set[str]:
    """Names one sentence gives that the other mentions, in any case ("the university"), or as
    initials ("WHO" for "World Health Organization")."""
    na, fa, la, aa, a3, ca = _sides(a)
    nb, fb, lb, ab, b3, cb = _sides(b)
    # A sentence's first word is capitalised whatever it is ("Neutrinos sent from …"): as a name it
    # may recur in lower case; any other capitalised word must recur capitalised.
    # Initials of one's multi-word names count when the other writes them in capitals ("WHO") or, from
    # three letters, as a name ("Nasa"); two-letter initials of a person's name ("Lance Armstrong") are not "La".
    shared = na & nb
    if fa:
        shared |= fa & lb
    if fb:
        shared |= fb & la
    if aa:
        shared |= (aa & cb) | (a3 & nb)
    if ab:
        shared |= (ab & ca) | (b3 & na)
    return set(shared) if shared and not shared <= GENERIC_NAMES else set()


def topic_overlap(a: str, b: str) -> set[str]:
    return set(topic_terms(a) & topic_terms(b))


def definite(a: str, b: str) -> set[str]:
    """`b` says "the university" / "the company" where `a` names one ("the University of Virginia"),
    or "the journal" where `a` gives the name beside that noun ("the journal Gender, Place & Culture",
    "the airline Flybe"): the same subject, by definite description."""
    out = set()
    for m in re.finditer(r"\b[Tt]he ([a-z]+)\b", b):
        head = m.group(1)
        if head in GENERIC_NAMES and re.search(rf"\b{head.capitalize()}\b(?: of| for)? [A-Z]|[A-Z]\w+ {head.capitalize()}\b", a):
            out.add(head)
        elif re.search(rf"\bthe {head},? [A-Z]\w", a):
            out.add(head)
    return out


@lru_cache(maxsize=100_000)
def document_owner(a: str) -> frozenset[str]:
    """Names of who published the document a claim cites ("a survey by X", "X's study")."""
    out: set[str] = set()
    for rx in (_ACCORDING, _POSSESSIVE):
        for m in rx.finditer(a):
            out |= _name_set(m.group(1))
    return frozenset(out)


# The medium that put it out — like a journal, one that puts out many items: "ABC News broadcast footage that …",
# "Channel 9 aired a video …", "The Daily Ledger published photographs …".
_PUBLISHER = re.compile(r"((?:[A-Z][\w.&'’-]*\s){0,3}[A-Z][\w.&'’-]*)\s+(?:broadcast|aired|published|ran|posted)\s+"
                        r"(?:an? |the |its |some )?(?:\w+ )?(?:footage|video|clip|photos?|photographs?|images?|segment|"
                        r"story|article|report|item|piece|graphic|tweet|post|episode)s?\b")


def document_venue(a: str) -> frozenset[str]:
    """Names of where the document a claim cites appeared ("a study published in Nature", "reported in
    the journal Science"), or of the medium that put it out ("ABC News broadcast footage that …"): a
    venue withdraws many papers, a broadcaster many clips, so its withdrawal must also be of this one."""
    out: set[str] = set()
    for rx in (VENUE, _PUBLISHER):
        for m in rx.finditer(a):
            out |= _name_set(m.group(1))
    return frozenset(out)


def denial_by_accused(a: str, b: str) -> bool:
    """A later statement in which the party the claim is about answers it ("Acme called the report
    false") is that party's position, not a correction — unless it is the claim's own source
    taking it back."""
    spk = attribution(b)
    return bool(spk) and bool(spk & names(a) - attribution(a)) and not (spk & attribution(a))


_LEAD = re.compile(r"\s*((?:(?:[A-Z][\w.&'’-]*|of|the|and|de|von|van|al)[\s,]+){1,8})")


@lru_cache(maxsize=100_000)
def lead_names(text: str) -> frozenset[str]:
    """Names the sentence opens with — its grammatical subject when that is a name ("Pat Tillman,
    who …", "President Trump personally …"); empty when it opens with a common noun ("The bridge …")."""
    m = _LEAD.match(text)
    return frozenset(_name_set(m.group(1))) & names(text) - GENERIC_NAMES if m else frozenset()


def answers_accusation(a: str, b: str) -> bool:
    """`b` is the party the claim is about answering it: a denial verb, or the claim's subject (the
    names it opens with) speaking — unless that party is also the claim's source."""
    spk = attribution(b)
    return bool(spk & lead_names(a)) and not (spk & attribution(a))


@lru_cache(maxsize=100_000)
def speakers(text: str) -> frozenset[str]:
    """Names of who speaks in a sentence ("X said …"), not the authors of what it cites."""
    return frozenset(n for rx in (_SPEAKER, _AGENT, _BODY) for m in rx.finditer(text) for n in _name_set(m.group(1)))


# The attribution searches first ask whether a speech verb or a document's name occurs, once the
# detector is loaded (literals.py); not `_ACCORDING`, whose hundreds of phrasings would slow the one
# scan every sentence gets more than skipping it saves.
from .literals import Guarded  # noqa: E402

_SPEAKER, _POSSESSIVE, _AGENT, _BODY = Guarded(_SPEAKER), Guarded(_POSSESSIVE), Guarded(_AGENT), Guarded(_BODY)  # type: ignore[assignment]
