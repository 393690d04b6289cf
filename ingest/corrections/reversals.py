"""Pair rules built on restatement: the later statement gives the claim's own words reversed
(`restate.py`), the claim's own source takes it back whatever it calls what it published, and the
family and status such a reversal means. Called by `families.evidence`, which has checked the
time; kept apart so the family rules read on one screen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..terms import content_terms
from ..tuning import CorrectionsTuning
from . import signals as sg
from .lexicon import POSSESSOR, SOURCE_REVISION
from .patterns import _PLAN_NOUN
from .phrases import span_of
from .restate import Reversal, reversal, withdrawn_by_name
from .scope import decision_overtaken, modal_mismatch
from .subject import (GENERIC_NAMES, _name_set, answers_accusation, attribution, document_owner, lead_names, names,
                      speakers)

_PLAN_NOUN_RX = re.compile(r"\b" + _PLAN_NOUN + r"\b", re.I)
# A claim of a standing state ("remains", "is still", "stays"): its negation later is a change.
_STANDING = re.compile(r"\b(?:remains?|remained|stays?|stayed|still|continues? to|will (?:still |continue to )?"
                       r"(?:remain|stay|keep))\b", re.I)


def possessive_first(a: str, b: str) -> set[str]:
    """A name both sentences open with in the possessive ("Greece's budget deficit …") is a name,
    not just a capitalised first word ("Inspectors in Leeds …")."""
    m, n = re.match(r"([A-Z][\w-]*)['’]s\b", a), re.match(r"([A-Z][\w-]*)['’]s\b", b)
    return {m.group(1).lower()} if m and n and m.group(1) == n.group(1) else set()


def _actor(b: str, at: int) -> frozenset[str]:
    """Who does what starts at `at`: the names of its own clause ("ABC News has changed …"), or the
    speaker when the clause says "it" ("Newsweek said … that it was retracting …") — not a name
    of an earlier clause ("X said the report was false, and the newspaper has retracted it")."""
    clause = re.split(r"[,;:]\s+(?:and\s+|but\s+)?|\s(?:and|but)\s", b[:at])[-1]
    own = names(" " + clause)
    if own:
        return own
    return speakers(b) if re.search(r"\b(?:it|they|he|she)\b", clause, re.I) else frozenset()


@lru_cache(maxsize=100_000)
def claim_sources(a: str) -> frozenset[str]:
    """Who a claim is attributed to: its speaker, the author or owner of what it cites."""
    return attribution(a) | document_owner(a)


def by_source(a: str, b: str, sb: sg.Signals, point: set[str], sim: float,
               tuning: CorrectionsTuning) -> tuple[str, str, bool, str, str] | None:
    """The claim's own source (who it is attributed to) later takes it back or revises it, whatever
    it calls what it published ("Newsweek said it was retracting the item", "ABC News has changed
    its account") — or a later statement says that source's account was false ("BuzzFeed's
    description … was not accurate"; unsure unless close in meaning: a party answering may say so)."""
    src = claim_sources(a)
    lied = _admitted_lie(a, b, src)
    if lied and not sb.denial:
        return ("source:admitted_lie", sg.NEGATION, sim >= tuning.sim_loose or len(point) >= 1,
                "the claim's own source admitted it had not told the truth", lied)
    if not src or sb.denial or (sg.RETRACTION in sb.later and not sb.retracts_whole):
        return None  # a part withdrawn ("an assertion from its report"): the retraction family decides which
    m = SOURCE_REVISION.search(b) if sb.takes_back else None
    if m and not sg.negated_near(b, m.start()) and _actor(b, m.start()) & src:
        return ("source:took_back", sg.RETRACTION, sim >= tuning.sim_loose or len(point) >= 1, "the claim's own source took it back or revised it",
                " ".join(b[m.start():].split()[:6]).rstrip(",.;"))
    owners = {n for p in POSSESSOR.finditer(b) for n in _name_set(p.group(1))}
    if sg.NEGATION in sb.later and owners & src:
        return ("source:untrue", sg.NEGATION, sim >= tuning.sim_close, "a later statement says the source's account was untrue",
                span_of(sg._NEGATION, b, 2))
    return None


def _admitted_lie(a: str, b: str, src: frozenset[str]) -> str:
    """Who said something negative ("Jones … said she has never used performance-enhancing drugs") later
    admits having lied ("Marion Jones … admitted that she had lied"): the words of the admission, else "".
    The one who admits is the claim's speaker — named as the admission's own subject, or the subject of the
    clause it is joined to ("… stood in a federal courtroom … and admitted") — not someone the speaker's
    name only qualifies ("A Tarvia Airlines pilot admitted …")."""
    lie = _ADMITTED_LIE.search(b)
    if not lie or not (sg.NEG_WORD.search(a) or sg._DENIAL.search(a)) or sg.negated_near(b, lie.start()):
        return ""
    speaker = src | (lead_names(a) if _SPEECH.search(a) else frozenset())
    return " ".join(b[lie.start():].split()[:6]).rstrip(",.;") if _admitter(b, lie.start()) & speaker else ""


def _admitter(b: str, at: int) -> frozenset[str]:
    """The names of who does what starts at `at` in `b`: its own clause's subject when that clause ends
    on a name or a pronoun (adverbs and auxiliaries aside: "Voss later admitted"); the sentence's lead
    when the verb is joined to the clause before ("stood … and admitted")."""
    head, _, tail = b[:at].rpartition(" and ")
    clause = tail if head else b[:at]
    words = [w for w in clause.split() if w.lower() not in _AUX and not w.lower().endswith("ly")]
    if not words or head and not tail.strip():
        return lead_names(b)
    last = words[-1].strip(",")
    if last.lower() in ("he", "she", "they", "it"):
        return speakers(b) or lead_names(b)
    return names(" " + clause) if last[:1].isupper() else frozenset()


_AUX = frozenset("has had have later then finally eventually now also since subsequently".split())
_SPEECH = re.compile(r"\b(?:said|says|told|insisted|insists|denied|denies|called|maintained|claimed)\b", re.I)


# Who lied is the one admitting: nothing, "having" or a pronoun between the admission (or its "that", "to") and
# the lie — not "admitted that her assistant had lied", "conceded that voters were misled", "had been misled".
_ADMITTED_LIE = re.compile(r"\b(?:admit(?:s|ted|ting)?|acknowledg(?:ed|es|ing)|conced(?:ed|es|ing)|confess(?:ed|es|ing)?)\b"
                           r"(?:[^.;]{0,40}?\b(?:that|to))?\s+(?:(?:he|she|they|it|i|we|having)\s+)?"
                           r"(?:(?:had |has |have )?(?:lied|misled (?!by\b)\w+)|was lying|(?:had |has )?been lying|"
                           r"(?:had |has )?not (?:been truthful|told the truth))\b", re.I)


GENERIC_NOUNS = frozenset(content_terms(" ".join(GENERIC_NAMES) + " thing time way part people year day week"))


def restated(a: str, b: str, sa: sg.Signals, sb: sg.Signals, point: set[str]) -> Reversal | None:
    """The later statement restates the claim's words reversed (`restate.py`), or withdraws from
    what a claimed plan names; None when it is a party answering an accusation."""
    if not (sb.contrary or sb.reverses or (sb.admits and sa.contrary)) or sb.denial or answers_accusation(a, b):
        return None
    la, lb = lead_names(a), lead_names(b)
    if la and lb and not la & names(b) and not lb & names(a):
        return None  # each opens with its own subject, unnamed in the other ("Northgate will close …" / "Kestrel has no plans to close …")
    if sg.RETRACTION in sb.later or sb.takes_back:
        return None  # a statement withdrawn ("withdrawn the claim about X's code"): the retraction rules decide
    spk = attribution(b)
    self_spoken = not spk or bool(spk & names(a))  # an event, or the claim's own party (an admission)
    rev = reversal(a, b, point, self_spoken) or withdrawn_by_name(a, b, names(a))
    return None if rev and modal_mismatch(a, b, rev.words) else rev  # "can no longer be" / "have been": a record stands


def restated_family(a: str, sa: sg.Signals, rev: Reversal, point: set[str], sim: float, noun_only: bool,
                    tuning: CorrectionsTuning) -> tuple[str, str, bool, str, str, str, str]:
    """The family and status a restated reversal means: a plan ended or withdrawn is a plan
    reversal; a state (a standing claim, "no longer", "from X to Y") overtaken is a status change;
    a proposition negated, or a denial the party later affirms, is a correction."""
    plan = bool((sg.PLAN in sa.claim or _PLAN_NOUN_RX.search(a)) and not sa.states) and rev.kind != "affirmed"
    if rev.kind == "affirmed":
        fam, status = (sg.STATUS, "superseded") if sa.neg_status else (sg.NEGATION, "corrected")
    elif (plan and rev.kind in ("ended", "negated", "no longer")) or (
            rev.kind == "negated" and decision_overtaken(a, rev.phrase, rev.phrase)):
        # (what was decided, said later not to come — "will have no nuclear power" after a vote to keep
        # the plants running — is a plan overtaken, not an account shown false: scope.py `decision_overtaken`)
        fam, status = sg.PLAN, "superseded"
    elif rev.kind == "negated" and not (sa.states or _STANDING.search(a)):
        fam, status = sg.NEGATION, "corrected"
    else:
        fam, status = sg.STATUS, "superseded"
    if noun_only:
        sure = sim >= tuning.noun_subject_sim
    else:
        sure = sim >= tuning.sim_loose or len(point) >= 2
    if rev.kind == "ended" and len(rev.words) == 1:
        sure = False  # one shared word under a verb of ending ("removal of a post") is not yet the claim's point
    what = " ".join(sorted(rev.words)) or "object"
    return ("restated:" + rev.kind.replace(" ", "_"), fam, sure, f"the later statement gives the claim's '{what}' {rev.kind}", rev.phrase,
            "Overtaken by later events" if status == "superseded" and fam == sg.STATUS else "", status)


__all__ = ["GENERIC_NOUNS", "by_source", "possessive_first", "restated", "restated_family"]
