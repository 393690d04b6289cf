"""Stage 3, cite: the selected sentences as verified, ordered citations with their correction flags.

Three rules live here. What corrected (or superseded) a quoted claim is always quoted with it, and
before it. Every quoted sentence — including a correcting one — is checked against its source's
stored text at its offsets before it is returned, which also hides sentences caught mid-way
through a concurrent re-index. And a correction is a typed `Correction`, built once here for the
answer and for `factdesk corrections` alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from ingest.dates import is_later
from ingest.records import CorrectionLink, SourceRecord, StoredSentence, split_sentence_id
from ingest.store import Store

from .answer import Citation, Correction, CorrectionEntry, QuotedSentence
from .later_order import newest_first
from .later_within import overtakes
from .story import background
from .retrieve import read_sentences


class Pick(Protocol):
    """A sentence to cite and the score that picked it (the select stage's `Scored` is one)."""

    @property
    def sentence(self) -> StoredSentence: ...

    @property
    def score(self) -> float: ...


def cite(store: Store, picks: Sequence[Pick], later: Sequence[Pick] = ()) -> list[Citation]:
    """Numbered citations for `picks`, the `later` coverage found for them (bot/later.py) and what
    corrected any of them, verified and ordered by the one rule every answer follows: the newest
    relevant statement first (when it is certainly newer), then each flagged claim after its
    correcting sentences (strongest claim first), then the rest by source date and position.
    Each citation says its `role`: answer, correction (it corrects another cited sentence) or
    later (later coverage with no confirmed link)."""
    answers = {p.sentence.id for p in picks}
    picks = [*picks, *(p for p in later if p.sentence.id not in answers)]
    later_ids = {p.sentence.id for p in later}
    scores = {p.sentence.id: p.score for p in picks}
    links, unsure = _links_and_candidates(store, list(scores))
    # A later source whose correcting sentence is quoted already speaks on the point: later coverage
    # adds nothing more of it (one statement per later source, as in bot/later.py) — unless that
    # sentence is the source's background (it dates what it tells to an earlier year: "X was taken
    # off the list in 2008", in a 2017 story), which does not stand for the source's own news.
    shown_by = by_claim(links)
    told = read_sentences(store, sorted(shown_by)) if later else {}
    speaking = {split_sentence_id(b)[0] for b in shown_by if b not in told or not background(told[b])}
    dropped = {p.sentence.id for p in later if p.sentence.source in speaking and p.sentence.id not in shown_by}
    picks = [p for p in picks if p.sentence.id not in dropped]
    later_ids -= dropped
    scores = {i: v for i, v in scores.items() if i not in dropped}
    links = {c: lk for c, lk in links.items() if c not in dropped}
    # What corrected a quoted claim is always quoted with it, before it.
    by_ids = [b for lk in links.values() for b in lk.by if b not in scores]
    # An editor's candidate (a link the detector would not make on its own) asserts nothing, but a
    # later-dated statement in it is shown as later coverage beside the claim.
    cand_ids = [b for lk in unsure for b in lk.by if b not in scores and b not in by_ids]
    extra = read_sentences(store, by_ids + cand_ids)
    found = {p.sentence.id: p.sentence for p in picks}
    for lk in unsure:
        for b in lk.by:
            if b in extra and lk.claim in found and is_later(extra[b].published, found[lk.claim].published):
                later_ids.add(b)
                scores.setdefault(b, scores[lk.claim])
    extra = {i: s for i, s in extra.items() if i in by_ids or i in later_ids}
    found |= extra
    if extra:
        links |= store.links_for_claims(list(extra))
    records = _records(store, sorted({s.source for s in found.values()}))
    valid = {sid: s for sid, s in found.items() if verified(s, records)}
    order = _order(list(valid), links, scores, valid)
    # What an answer's own story tells after it, overtaking it (bot/later_within.py `overtakes`).
    after = {p.sentence.id for p in picks for a in picks
             if a.sentence.id in answers and overtakes(a.sentence, p.sentence)}
    order = newest_first(order, {i: valid[i].published for i in order}, flagged=set(links),
                         prefer=[p.sentence.id for p in later], answers=answers, after=after)
    correcting = {b for claim, lk in links.items() if claim in valid for b in lk.by}
    # The correcting sentences shown inside a flag are quoted too, so they are verified like any citation.
    flag_ids = {b for lk in links.values() for b in lk.by} | set(valid)
    quoted = read_sentences(store, [i for i in flag_ids if i not in valid]) | valid
    missing = sorted({s.source for s in quoted.values()} - set(records))
    records |= _records(store, missing)
    quoted = {i: s for i, s in quoted.items() if verified(s, records)}
    cits = []
    for n, sid in enumerate(order, 1):
        s = valid[sid]
        rec = records[s.source]
        lk = links.get(sid)
        cits.append(Citation(
            n=n, source=s.source, title=rec.title, published=rec.published, url=rec.url, sentence=s.index,
            start=s.start, end=s.end, text=s.text, score=round(float(scores.get(sid, 0.0)), 4),
            publisher=rec.publisher, correction=correction_of(lk, quoted, records) if lk else None,
            role="correction" if sid in correcting else "later" if sid in later_ids else "answer"))
    return cits


def by_claim(links: Mapping[str, CorrectionLink]) -> set[str]:
    """Every correcting sentence of these links."""
    return {b for lk in links.values() for b in lk.by}


def _links_and_candidates(store: Store, claims: list[str]) -> tuple[dict[str, CorrectionLink], list[CorrectionLink]]:
    """The links of these claims and their editor's candidates, in one read by id (a candidate's id
    is "candidate:<claim>")."""
    got = store.links_by_ids([*claims, *(f"candidate:{c}" for c in claims)])
    links = {lk.claim: lk for lk in got if lk.status != "candidate"}
    return links, [lk for lk in got if lk.status == "candidate" and lk.claim not in links]


def verified(s: StoredSentence, records: Mapping[str, SourceRecord]) -> bool:
    """A sentence is quoted only if its text is exactly its source's text at its offsets, from the
    version of the source it was written with."""
    rec = records.get(s.source)
    if rec is None or (s.sha is not None and rec.sha256 != s.sha):
        return False
    return rec.text[s.start:s.end] == s.text


def quoted_sentence(s: StoredSentence, records: Mapping[str, SourceRecord]) -> QuotedSentence:
    rec = records.get(s.source)
    return QuotedSentence(source=s.source, title=rec.title if rec else "", sentence=s.index, start=s.start,
                          end=s.end, text=s.text, published=rec.published if rec else s.published)


def correction_of(lk: CorrectionLink, quoted: Mapping[str, StoredSentence],
                  records: Mapping[str, SourceRecord]) -> Correction:
    """The link as shown to readers: only the correcting sentences that could be read (and verified)."""
    return Correction(status=lk.status, note=lk.note, origin=lk.origin,
                      by=tuple(quoted_sentence(quoted[b], records) for b in lk.by if b in quoted))


def correction_listing(store: Store) -> list[CorrectionEntry]:
    """Every correction link in the index, as `factdesk corrections --json` prints it: the claim,
    then the correction's fields."""
    links = store.all_links()
    ids = {lk.claim for lk in links} | {b for lk in links for b in lk.by}
    found = read_sentences(store, sorted(ids))
    records = store.source_records()
    out = []
    for lk in sorted(links, key=lambda x: x.claim):
        claim = found.get(lk.claim)
        if claim is None:
            continue
        out.append(CorrectionEntry(quoted_sentence(claim, records), correction_of(lk, found, records), lk.family))
    return out


def _records(store: Store, ids: Sequence[str]) -> dict[str, SourceRecord]:
    return store.get_sources(ids) if ids else {}


def _order(ids: list[str], links: Mapping[str, CorrectionLink], scores: Mapping[str, float],
           found: Mapping[str, StoredSentence]) -> list[str]:
    flagged = [i for i in ids if i in links]
    if not flagged:
        return sorted(ids, key=lambda i: (found[i].published, found[i].source, found[i].index))
    out: list[str] = []
    for claim in sorted(flagged, key=lambda i: -scores.get(i, 0.0)):
        new = [b for b in links[claim].by if b in found and b not in out]
        if claim in out:
            # Already placed as what corrected another claim (a chain: 290 ← 359 ← 253): it is shown once,
            # with what corrected it in turn just before it.
            at = out.index(claim)
            out[at:at] = new
        else:
            out += new + [claim]
    rest = sorted((i for i in ids if i not in out), key=lambda i: (found[i].source, found[i].index))
    return out + rest


__all__ = ["Pick", "cite", "correction_listing", "correction_of", "quoted_sentence", "verified"]
