"""What an editor sees and decides: every link and every unsure candidate with a stable id, and
`accept` / `reject` recorded in `corrections.yml` and applied to the index at once.

Ids come from the texts of the claim and of the correcting sentence (`review.pair_id`), so the id
an editor copies from `factdesk corrections --candidates` still names the same pair after any
re-index. Interfaces (CLI, Slack) call these functions; nothing here prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..dates import human
from ..lock import IngestLock
from ..records import CorrectionLink
from . import learned, review
from .relink import relink
from .signals import CORRECTING


class DecisionError(ValueError):
    """The id names no link or candidate, or the decision cannot be recorded; says why."""


@dataclass
class Sentence:
    source: str
    sentence: int
    text: str
    published: str
    title: str = ""


@dataclass
class Pair:
    """One (claim, correcting sentence) pair as an editor reviews it."""

    id: str
    kind: str  # link | candidate
    status: str  # corrected | superseded (for a candidate: what accepting it makes)
    origin: str  # detected | declared | editor
    family: str
    score: float
    note: str
    claim: Sentence
    by: Sentence
    more_by: list[str] = field(default_factory=list)  # ids of the other pairs of the same link
    reason: str = "detector"  # who proposed it: "detector" (its families), "model" (the learned judgement), or "declared"/"editor"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _status_if_accepted(lk: CorrectionLink) -> str:
    if lk.status != "candidate":
        return lk.status
    if lk.family == learned.REASON:
        return learned.status_if_accepted(lk)
    return "corrected" if lk.family in CORRECTING else "superseded"


def pairs(store: Any, candidates: bool = False) -> list[Pair]:
    """Links (or, with `candidates`, the unsure candidates), one row per (claim, by) pair."""
    links = store.candidate_links() if candidates else store.all_links()
    ids = sorted({lk.claim for lk in links} | {b for lk in links for b in lk.by})
    rows = store.get_sentences(ids) if ids else {}
    recs = store.get_sources(sorted({r.source for r in rows.values()})) if rows else {}

    def sent(sid: str) -> Sentence:
        r = rows[sid]
        rec = recs.get(r.source)
        return Sentence(source=r.source, sentence=r.index, text=r.text,
                        published=rec.published if rec else "", title=rec.title if rec else "")

    out: list[Pair] = []
    for lk in sorted(links, key=lambda x: (-x.score if candidates else 0, x.claim)):
        if lk.claim not in rows:
            continue
        claim = sent(lk.claim)
        group = [(b, review.pair_id(claim.text, rows[b].text)) for b in lk.by if b in rows]
        for b, pid in group:
            out.append(Pair(id=pid, kind="candidate" if candidates else "link", status=_status_if_accepted(lk),
                            origin=lk.origin, family=lk.family, score=round(float(lk.score), 4), note=lk.note,
                            claim=claim, by=sent(b), more_by=[p for _, p in group if p != pid],
                            reason=learned.REASON if lk.family == learned.REASON else lk.origin if lk.origin != "detected" else "detector"))
    return out


def stale(store: Any, settings: Any) -> list[str]:
    """Decisions in corrections.yml that no longer match any indexed sentence (one line each)."""
    warnings: list[str] = []
    path = review.decisions_path(settings)
    try:
        decisions = review.load(path)
    except review.ReviewError as e:
        return [str(e)]
    from .relink import _Finder

    find = _Finder(store)
    for d in decisions:
        if not find(d.claim) or not find(d.by):
            what = "claim" if not find(d.claim) else "correcting sentence"
            warnings.append(f"{path.name}: decision {d.id} ({d.decision}) no longer matches any sentence: its {what} "
                            f"“{(d.claim if what == 'claim' else d.by)[:70]}” is not in the index")
    return warnings


def decide(settings: Any, store: Any, pair: str, decision: str, status: str = "", note: str = "") -> tuple[review.Decision, list[str]]:
    """Record `accept` or `reject` for the pair with id `pair` (a link or a candidate) and apply it
    to the index now. Returns the decision and any warnings of the replay."""
    if decision not in ("accept", "reject"):
        raise DecisionError("decision must be accept or reject")
    found = next((p for p in pairs(store, candidates=True) + pairs(store) if p.id == pair), None)
    path = review.decisions_path(settings)
    if not settings.corrections_file and not path.parent.is_dir():
        # The default file lives in the sources folder, a relative path: from another directory a
        # decision would go into a new data/sources/ there and never be replayed by a re-index.
        raise DecisionError(f"the sources folder {path.parent.absolute()} does not exist, so corrections.yml cannot be kept "
                            "beside the sources: run from the folder holding them, or set FACTDESK_SOURCES_DIR "
                            "(or FACTDESK_CORRECTIONS_FILE); nothing was recorded")
    if found is None:
        known = {d.id: d for d in review.load(path)}
        if pair in known:  # re-deciding a recorded pair (e.g. un-rejecting): texts come from the file
            d = known[pair]
            claim, by, st = d.claim, d.by, status or d.status
        else:
            raise DecisionError(f"no link or candidate has id {pair!r} (see `factdesk corrections --candidates`)")
    else:
        claim, by, st = found.claim.text, found.by.text, status or found.status
    if st not in ("corrected", "superseded"):
        raise DecisionError("status must be corrected or superseded")
    if decision == "accept" and not note and found is not None:
        note = f"Accepted by an editor: {found.by.title or found.by.source}, {human(found.by.published)}"
    warnings: list[str] = []
    with IngestLock(settings):
        d = review.record(path, decision, claim, by, st, note)
        relink(store, set(), set(), warnings)
        store.bump_generation()
    return d, warnings


__all__ = ["DecisionError", "Pair", "decide", "pairs", "stale"]
