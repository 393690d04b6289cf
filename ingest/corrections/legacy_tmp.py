"""Correction links: which sentences a later statement corrected, withdrew or superseded.

Detection is offline and rule-guided, built from four signals that generalise beyond any one
story:

1. cue language in the *correcting* sentence (withdraw, retract, correct, erratum, inoperable,
   "never actively used", "an earlier version of this article" ...) or, for superseded status
   claims, language of a later event ("added to the list", "has since", "placed on");
2. the shape of the *claim*: a reported claim placed earlier in time ("said in last month's
   report", "initially reported"), or a status claim that later events can overtake
   ("not aware of being on any list", "has no plans to");
3. what both are about: shared content words and shared names;
4. semantic similarity of their embeddings.

Time is a hard rule: a correcting statement must be later than the claim — a later
`published` date across sources, or wording inside one source that places the claim first.
A sentence that itself reports a correction is never flagged as corrected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .dates import human, is_later  # noqa: F401 (is_later re-exported)
from .records import CorrectionLink
from .split import is_headline
from .terms import content_terms, name_tokens

# -- cue lexicons ------------------------------------------------------------------------
_CLAIM_NOUN = (r"(?:assertion|claim|allegation|statement|report|story|article|remark|accusation|finding|"
               r"conclusion|reference|quote|quotation|figure|paper|study|line|sentence|paragraph|section|"
               r"account|characteri[sz]ation|description|estimate|suggestion|charge|assessment|passage)s?")
_STRONG = re.compile(
    r"\b(withdr[ae]w\w* (?:\w+ ){0,3}" + _CLAIM_NOUN + r"|" + _CLAIM_NOUN + r" (?:\w+ ){0,6}"
    r"(?:was|were|has been|have been|had been|is being) (?:withdrawn|retracted|rescinded)|"
    r"retract\w*|recant\w*|erratum|errata|inoperable|"
    r"never (?:actually |actively )?(?:used|happened|existed|took place|occurred)|"
    r"(?:was|were|is|are) (?:false|wrong|incorrect|inaccurate|untrue|mistaken|erroneous)|"
    r"incorrectly|mistakenly|erroneously|wrongly|falsely|misstated|misreported|misidentified|misattributed|"
    r"in error|not (?:true|accurate|correct)|no evidence (?:that|of)|"
    r"(?:an )?earlier version of this (?:article|story|report|post)|"
    r"seems? not to have|did not (?:in fact|actually)|walked back|backtrack\w*|took back|"
    r"(?:has|have|had) been (?:removed|deleted) from (?:the|its|their) (?:report|article|story))\b",
    re.I,
)
_WEAK = re.compile(
    r"\b(correct(?:ed|s|ing|ion|ions)\b|clarif\w*|updated version|amended|revised (?:version|report|figure|estimate)|"
    r"apologi[sz]\w*|should have (?:said|read|stated))",
    re.I,
)
_UPDATE = re.compile(
    r"\b((?:was|were|has been|have been|had been|is now|are now) (?:formally |officially |subsequently |later |since )?"
    r"(?:added|placed|put|included|listed|named|blacklisted|sanctioned|banned|designated|approved|acquired|"
    r"appointed|charged|indicted|convicted|fired|dismissed|ousted|suspended|closed|shut|delisted|removed)|"
    r"has since|have since|had since|since then|no longer|now (?:on|part of|owned|listed|banned)|"
    r"added (?:\w+ ){0,6}to (?:the|its|a) (?:\w+ ){0,3}(?:list|blacklist)|entity list|"
    r"reversed|overturned|abandoned|scrapped|cancel+ed|resigned|stepped down)\b",
    re.I,
)
_STATUS_CLAIM = re.compile(
    r"\b(not aware of|unaware of|has no plans?|had no plans?|no plans? to|(?:is|are|was|were) not (?:on|part of|under|being)|"
    r"(?:is|are) (?:said to be )?(?:considering|weighing|mulling|planning|expected|set) to|"
    r"(?:is|are) (?:said to be )?(?:considering|weighing|mulling|planning)|"
    r"(?:has|have) not (?:been|yet)|denie[sd]|(?:does|do) not (?:plan|expect|intend)|"
    r"remains? (?:in|on|the|a)|(?:is|are) (?:still|currently)|still (?:in|on|owns?|holds?|serves?))\b",
    re.I,
)
# A reported claim whose wording places it earlier in time than the text around it.
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PRIOR = re.compile(
    r"\b(last (?:week|month|year)['’]s (?:report|article|story|statement|study|claim|assessment)|"
    r"in (?:a|an|its|their|the) (?:earlier|previous|prior|original|initial|first|" + _MONTH + r") "
    r"(?:report|article|story|statement|study|version|post|assessment)|"
    r"(?:had|initially|originally|previously|first|earlier) (?:said|reported|claimed|alleged|asserted|stated|"
    r"written|wrote|found|concluded|suggested|identified|linked)|"
    r"(?:said|reported|claimed|alleged|asserted|stated|wrote) (?:earlier|previously|initially|originally|"
    r"last (?:week|month|year))|"
    r"(?:the|an?|its) (?:earlier|original|initial|previous) (?:version|report|article|story|claim|assertion)|"
    r"(?:report|article|study|statement|story),? (?:which was |that was )?(?:published|released|issued) "
    r"(?:in|on|last) (?:" + _MONTH + r"|\w+day|week|month|year)|"
    r"(?:originally|initially|first) (?:published|released|reported))\b",
    re.I,
)
_REPORTING = re.compile(r"\b(said|says|reported|claimed|alleged|asserted|stated|wrote|found|according to)\b", re.I)


# Figures a correction can be about ("5,000", "$2.5 billion", "40%"); not days of the month.
_FIGURE = re.compile(r"(?<!\d)(?<!" + r")(?<!".join(
    ["January ", "February ", "March ", "April ", "May ", "June ", "July ", "August ", "September ",
     "October ", "November ", "December ", "Jan. ", "Feb. ", "Aug. ", "Sept. ", "Oct. ", "Nov. ", "Dec. "]
) + r")\d[\d,.]*\d(?!\d)")


@dataclass
class Features:
    cue: str  # "strong" | "weak" | "update" | ""
    prior_claim: bool
    status_claim: bool


def features(text: str) -> Features:
    cue = "strong" if _STRONG.search(text) else "weak" if _WEAK.search(text) else ""
    if not cue and _UPDATE.search(text):
        cue = "update"
    prior = bool(_PRIOR.search(text)) and bool(_REPORTING.search(text)) and cue not in ("strong", "weak")
    return Features(cue=cue, prior_claim=prior, status_claim=bool(_STATUS_CLAIM.search(text)))


def feature_meta(text: str) -> dict[str, Any]:
    f = features(text)
    return {"cue": f.cue, "prior_claim": f.prior_claim, "status_claim": f.status_claim}


# -- relevance ----------------------------------------------------------------------------
# Speech verbs are in nearly every news sentence: sharing one says nothing about the claim.
_SPEECH = frozenset({"say", "tell", "state", "accord"})


def _terms(text: str) -> set[str]:
    return set(content_terms(text)) - _SPEECH


def _overlap(a: str, b: str) -> tuple[int, int, float]:
    """(shared content terms, shared names, share of a's content terms found in b)."""
    ta, tb = _terms(a), _terms(b)
    na = {n.lower() for n in name_tokens(a, initial=True)}
    nb = {n.lower() for n in name_tokens(b, initial=True)}
    shared = ta & tb
    return len(shared), len(na & nb), len(shared) / max(1, len(ta))


def _topic_overlap(a: str, b: str) -> int:
    """Shared content words that are not names."""
    names = set(content_terms(" ".join(name_tokens(a, initial=True) + name_tokens(b, initial=True))))
    return len((_terms(a) & _terms(b)) - names)


@dataclass
class Row:
    id: str
    source: str
    index: int
    text: str
    vector: np.ndarray
    published: str
    cue: str
    prior_claim: bool
    status_claim: bool

    @classmethod
    def of(cls, r: dict[str, Any]) -> Row:
        return cls(id=r["id"], source=r["source"], index=int(r["index"]), text=r["text"], vector=r["vector"],
                   published=str(r.get("published", "")), cue=str(r.get("cue", "")),
                   prior_claim=bool(r.get("prior_claim", False)), status_claim=bool(r.get("status_claim", False)))

    @property
    def headline(self) -> bool:
        return is_headline(self.text)


# Thresholds are on cosine similarity of all-MiniLM-L6-v2-style normalised embeddings and on
# word overlap; each one is a floor that a genuine correction clears comfortably (see
# tests/test_corrections.py for the cases, in several unrelated stories).
WITHIN_MIN_SIM = 0.30
CROSS_MIN_SIM = 0.50
CROSS_MIN_SHARE = 0.2  # of the claim's content words found in the correction
SUPERSEDE_MIN_SIM = 0.35
MAX_BY = 3


_ACTOR = re.compile(
    r"((?:[A-Z][\w.&'-]*\s){0,4}[A-Z][\w.&'-]*)\s+(?:has |have |had )?"
    r"(withdr[ae]w\w*|retract\w*|correct(?:ed|s)|rescind\w*|revok\w*|recant\w*)\b"
)


def _note(status: str, by: Sequence[Row], context: Sequence[Row], sources: dict[str, dict[str, Any]]) -> str:
    if status == "superseded":
        label = "Overtaken by later events"
    else:
        texts = " ".join(r.text for r in [*by, *context])
        label = "Withdrawn" if re.search(r"withdr[ae]w|retract|rescind|recant", texts, re.I) else "Corrected"
        for r in [*by, *context]:
            m = _ACTOR.search(r.text)
            if m and m.group(1).split()[0] not in {"The", "A", "An", "But", "It", "This", "That"}:
                label += f" by {m.group(1).strip()}"
                break
    src = sources.get(by[0].source, {}) if by else {}
    who = src.get("publisher") or src.get("title") or (by[0].source if by else "")
    when = human(src.get("published", ""))
    return f"{label}; reported by {who}, {when}"


NEAR = 4  # sentences: within one story, a correction usually follows the claim closely


def _says_corrected(text: str) -> bool:
    return bool(re.search(r"correct\w* (?:an? |the |its |their )?(?:earlier |previous |original )?"
                          + _CLAIM_NOUN + r"|\bcorrection\b", text, re.I))


def detect_within(rows: Sequence[Row], sources: dict[str, dict[str, Any]]) -> list[CorrectionLink]:
    """Reported claims that the same text says were later withdrawn or corrected.

    The claim must be worded as earlier ("said in last month's report"); the correcting
    sentences carry a strong cue, or say a report/claim was corrected, and are either about
    the same thing (similar, sharing words) or follow it closely in the story."""
    corr = [r for r in rows if r.cue == "strong" or (r.cue == "weak" and _says_corrected(r.text))]
    links = []
    for claim in rows:
        if not claim.prior_claim or claim.cue in ("strong", "weak") or claim.headline:
            continue
        elig = []
        for c in corr:
            if c.id == claim.id:
                continue
            sim = float(np.dot(claim.vector, c.vector))
            shared, shared_names, _ = _overlap(claim.text, c.text)
            near = abs(c.index - claim.index) <= NEAR and not c.headline
            if (near and sim >= 0.1) or (sim >= WITHIN_MIN_SIM and shared >= 2):
                elig.append((c.cue == "strong", not c.headline, sim + 0.02 * shared + 0.05 * shared_names, c))
        if not any(e[0] for e in elig):
            continue
        if any(e[1] for e in elig):  # a headline only when no body sentence says it
            elig = [e for e in elig if e[1]]
        elig.sort(key=lambda e: (not e[0], -e[2]))
        by = sorted((e[3] for e in elig[:MAX_BY]), key=lambda r: r.index)
        links.append(CorrectionLink(claim=claim.id, by=[b.id for b in by], status="corrected", origin="detected",
                                    note=_note("corrected", by, corr, sources), score=round(max(e[2] for e in elig), 4)))
    return links


def detect_across(claims: Sequence[Row], correctors: Sequence[Row],
                  sources: dict[str, dict[str, Any]]) -> list[CorrectionLink]:
    """Claims in earlier sources corrected or superseded by statements in later ones."""
    found: dict[str, tuple[str, list[tuple[float, Row]]]] = {}
    for b in correctors:
        if b.cue not in ("strong", "weak", "update") or b.headline:
            continue
        # A correction is about one statement: per earlier source keep only the claim that
        # matches it best, and when the correction quotes figures, the claim must carry them.
        best: dict[str, tuple[float, str, Row]] = {}
        figures = set(_FIGURE.findall(b.text))
        for a in claims:
            if a.source == b.source or a.cue in ("strong", "weak") or not is_later(b.published, a.published):
                continue
            sim = float(np.dot(a.vector, b.vector))
            shared, shared_names, share = _overlap(a.text, b.text)
            if b.cue in ("strong", "weak"):
                ok = (sim >= CROSS_MIN_SIM and shared >= 3 and shared_names >= 1 and share >= CROSS_MIN_SHARE)
                status = "corrected"
                if ok and b.cue == "weak" and not _says_corrected(b.text):
                    ok = False
            else:
                # The later event must be about what the status claim says, not just the same
                # company: most of the claim's own words (beyond names) must recur.
                ok = (a.status_claim and sim >= SUPERSEDE_MIN_SIM and shared_names >= 1
                      and _topic_overlap(a.text, b.text) >= 2 and share >= 0.3)
                status = "superseded"
            if ok and figures and status == "corrected" and not (figures & set(_FIGURE.findall(a.text))):
                ok = False
            if ok:
                score = sim + 0.02 * shared + 0.05 * shared_names
                # Every status claim an event overtakes is superseded; a correction fixes one.
                key = a.source if status == "corrected" else a.id
                if key not in best or score > best[key][0]:
                    best[key] = (score, status, a)
        for score, status, a in best.values():
            cur = found.get(a.id)
            if cur is None or (cur[0] == "superseded" and status == "corrected"):
                found[a.id] = (status, [(score, b)])
            elif cur[0] == status:
                cur[1].append((score, b))
    links = []
    for cid, (status, ranked) in found.items():
        ranked.sort(key=lambda x: -x[0])
        by = [r for _, r in ranked][:MAX_BY]
        links.append(CorrectionLink(claim=cid, by=[b.id for b in by], status=status, origin="detected",
                                    note=_note(status, by, by, sources), score=round(ranked[0][0], 4)))
    return links


class DeclaredError(Exception):
    pass


def declared_links(declaring: str, entries: Sequence[dict[str, Any]], own_rows: Sequence[Row],
                   target_rows: dict[str, list[Row]]) -> list[CorrectionLink]:
    """Front-matter `corrects:` entries of one source as links; any entry that does not resolve to
    exactly one sentence raises DeclaredError naming it."""
    links = []
    for i, e in enumerate(entries, 1):
        rows = target_rows.get(e["source"])
        if rows is None:
            raise DeclaredError(f"corrects entry {i}: no source with id {e['source']!r} is indexed")
        hits = [r for r in rows if e["quote"] in r.text]
        if len(hits) != 1:
            what = "matches no sentence" if not hits else f"matches {len(hits)} sentences"
            raise DeclaredError(f"corrects entry {i}: quote {e['quote'][:60]!r} {what} of {e['source']!r}")
        claim = hits[0]
        if e.get("by"):
            by = [r for r in own_rows if e["by"] in r.text]
            if len(by) != 1:
                raise DeclaredError(f"corrects entry {i}: 'by' quote {e['by'][:60]!r} must match exactly one sentence here")
        else:
            ranked = sorted(own_rows, key=lambda r: -float(np.dot(r.vector, claim.vector)))
            by = ranked[:1]
        if not by:
            raise DeclaredError(f"corrects entry {i}: this source has no sentence to point to")
        links.append(CorrectionLink(claim=claim.id, by=[b.id for b in by], status=e["status"], origin="declared",
                                    note=e.get("note") or f"Declared {e['status']} by {declaring}", score=1.0))
    return links


def merge(links: Iterable[CorrectionLink]) -> list[CorrectionLink]:
    """One link per claim: declared beats detected, corrected beats superseded."""
    best: dict[str, CorrectionLink] = {}
    rank = {("declared", "corrected"): 4, ("declared", "superseded"): 3, ("detected", "corrected"): 2,
            ("detected", "superseded"): 1}
    for lk in links:
        cur = best.get(lk.claim)
        if cur is None or rank[(lk.origin, lk.status)] > rank[(cur.origin, cur.status)]:
            best[lk.claim] = lk
    return list(best.values())
