"""Detected links: claims in earlier sources (or earlier in the same source) that a later statement
withdrew, contradicted or overtook, each with the family that says so and a note saying what
changed. Pairs the detector is unsure of come back as candidates (status "candidate") for an editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..dates import human, is_later
from ..records import CorrectionLink, SourceRecord, StoredSentence
from ..split import is_headline
from . import signals as sg
from ..tuning import CorrectionsTuning
from .families import DEFAULT, SURE, Evidence, evidence
from .lexicon import ACTOR as _ACTOR
from .scope import placed_elsewhere
from .story import Stories
from .timeline import later_label

MAX_BY = DEFAULT.max_by  # declared links keep as many correcting sentences as detected ones

Row = StoredSentence  # the detector reads sentences in the shape the store returns (and ingest builds)


_is_headline = lru_cache(maxsize=100_000)(is_headline)  # asked of each candidate, for every statement it meets


def headline(r: Row) -> bool:
    return _is_headline(r.text)


@lru_cache(maxsize=65_536)
def later_than(later: str, earlier: str) -> bool:
    """`dates.is_later`, read once per two dates: relinking asks it of every pair it forms."""
    return is_later(later, earlier)


Window = dict[str, list[tuple[int, str]]]  # later sentence id → (index, text) of its neighbours


def windows(rows: Sequence[Row]) -> Window:
    """Each sentence's neighbours in its own source (one before, one after)."""
    by_pos = {(r.source, r.index): r for r in rows}
    out: Window = {}
    for r in rows:
        out[r.id] = [(j, by_pos[(r.source, j)].text) for j in (r.index - 1, r.index + 1)
                     if (r.source, j) in by_pos and not headline(by_pos[(r.source, j)])]
    return out


_LABEL = {sg.RETRACTION: "Withdrawn", sg.NEGATION: "Corrected", sg.FIGURE: "Corrected", sg.PLAN: "Plan dropped",
          sg.STATUS: "Overtaken by later events"}


def note(ev: Evidence, by: Sequence[Row], sources: dict[str, SourceRecord]) -> str:
    """"Withdrawn by X; reported by Bloomberg, 10 June 2019", "Overtaken by later events: reopened
    on 3 May 2021; reported by …", "Corrected: figure corrected to about 180,000; reported by …"."""
    label = ev.label or _LABEL[ev.family]
    if ev.family == sg.RETRACTION:
        for r in by:
            m = _ACTOR.search(r.text)
            if m and m.group(1).split()[0] not in {"The", "A", "An", "But", "It", "This", "That"}:
                label += f" by {m.group(1).strip()}"
                break
    elif ev.phrase:
        label += f": {ev.phrase}"
    src = sources.get(by[0].source) if by else None
    who = (src.publisher or src.title if src else "") or (by[0].source if by else "")
    return f"{label}; reported by {who}, {human(src.published if src else '')}"


def _link(claim: Row, ranked: list[tuple[Evidence, Row]], sources: dict[str, SourceRecord],
          extra: dict[str, Row], max_by: int) -> CorrectionLink:
    ranked.sort(key=lambda x: -x[0].score)
    ev = ranked[0][0]
    by: list[Row] = []
    for e, b in ranked:
        for r in [b] + [extra[f"{b.source}#{i}"] for i in e.window if f"{b.source}#{i}" in extra]:
            if r.id not in {x.id for x in by} and r.id != claim.id:
                by.append(r)
    by = sorted(by[:max_by], key=lambda r: (r.source, r.index))
    status = "candidate" if ev.verdict != SURE else ev.status
    text = note(ev, by, sources)
    if status == "candidate":
        why = f"; not flagged: {ev.demoted}" if ev.demoted else ""
        text = f"{ev.family}: {ev.reason} (unsure{why}) — {text}"
    return CorrectionLink(claim=claim.id, by=[r.id for r in by], status=status, origin="detected", note=text,
                          score=ev.score, family=ev.family)


def _ordered_within(a: Row, b: Row) -> str:
    """Inside one source, how `b` is later than `a`: "timeline" (the paragraphs' timestamp labels,
    timeline.py), "clock" (times of day), "weekday" (days of the week),
    "prior" (the claim is worded as earlier: "initially reported"), "later" (only `b` is worded as
    later, and follows), or "" when the text does not order them."""
    sa, sb = sg.signals(a.text), sg.signals(b.text)
    if b.index > a.index and later_label(a.text, b.text):
        return "timeline"  # "Thursday, 10 pm: …" … "Friday, afternoon: …": the story's own timestamp labels
    if sa.clock is not None and sb.clock is not None:
        # A timeline runs on past midnight ("11:50 p.m." … "2:45 a.m." further down).
        if b.index > a.index:
            return "clock" if sb.clock > sa.clock or (sa.clock >= 18 * 60 and sb.clock < 6 * 60) else ""
        return "clock" if sb.clock > sa.clock and not (sa.clock < 6 * 60 and sb.clock >= 18 * 60) else ""
    if sa.weekday is not None and sb.weekday is not None and sb.weekday > sa.weekday and b.index > a.index:
        return "weekday"  # "On Monday, X said …" / "On Tuesday, Y gave a revised account …"
    if sa.prior and not sb.prior:
        return "prior"
    if b.index > a.index and sb.later_wording and not sa.later_wording:
        return "later"
    return ""


def detect_within(rows: Sequence[Row], sources: dict[str, SourceRecord],
                  tuning: CorrectionsTuning = DEFAULT) -> list[CorrectionLink]:
    """Claims that the same text says were later withdrawn, corrected or overtaken."""
    win = windows(rows)
    by_pos = {(r.source, r.index): r.text for r in rows}
    extra = {r.id: r for r in rows}
    found: dict[str, list[tuple[Evidence, Row]]] = {}
    for b in rows:
        if headline(b) or not sg.signals(b.text).overturns:
            continue
        for a in rows:
            order = "" if a.id == b.id or headline(a) else _ordered_within(a, b)
            if not order:
                continue
            sim = float(np.dot(a.vector, b.vector))
            near = abs(b.index - a.index) <= tuning.near_sentences
            # A story that places the claim as earlier and corrects it within a few sentences is
            # talking about the same point, however the two are worded.
            story = near and order != "later"
            before = by_pos.get((a.source, a.index - 1), "")
            ev = evidence(a.text, b.text, max(sim, tuning.story_sim) if story else sim, win.get(b.id), b.index, story=story,
                          a_before=before, a_published=a.published, b_published=b.published, tuning=tuning, order=order)
            # "Later" wording alone orders a change of state or plan ("by evening it had reopened"),
            # not a claim of fact the same story made in its own voice — unless a correction notice
            # says so ("Correction, Friday evening: …").
            if ev and order == "later" and ev.status == "corrected" and not sg.signals(b.text).notice:
                continue
            # Inside one story, only what the text makes plain links; what the precision policy
            # demoted is kept for the editor (nothing else unsure is worth their time here).
            if ev and (ev.verdict == SURE or ev.demoted):
                found.setdefault(a.id, []).append((ev, b))
    return [_link(next(r for r in rows if r.id == cid), [x for x in ranked if x[0].verdict == SURE] or ranked,
                  sources, extra, tuning.max_by) for cid, ranked in found.items()]


def detect_across(claims: Sequence[Row], correctors: Sequence[Row], sources: dict[str, SourceRecord],
                  context: Window | None = None, extra: dict[str, Row] | None = None,
                  tuning: CorrectionsTuning = DEFAULT, story: Stories | None = None) -> list[CorrectionLink]:
    """Claims in earlier sources withdrawn, contradicted or overtaken by statements in later ones.
    `context` gives each corrector's neighbours (the window case); `extra` their rows; `story(claim,
    later, sentence before the claim)` refuses pairs from two different stories (story.py), and
    `story.see` is shown every pair formed (the learned model's candidates, learned.py)."""
    context = context or {}
    extra = extra or {}
    found: dict[str, list[tuple[Evidence, Row]]] = {}
    claim_rows = {a.id: a for a in claims}
    pos = {(a.source, a.index): a.text for a in claims} | {(r.source, r.index): r.text for r in extra.values()}
    claim_before = {a.id: pos.get((a.source, a.index - 1), "") for a in claims}
    for b in correctors:
        if headline(b) or not sg.signals(b.text).overturns:
            continue
        # A correction fixes one statement per earlier source; every claim a later event
        # overtakes is overtaken.
        best: dict[str, tuple[Evidence, Row]] = {}
        window = context.get(b.id)
        for a in claims:
            if a.source == b.source or headline(a) or not later_than(b.published, a.published):
                continue
            before = claim_before.get(a.id, "")
            sim = float(np.dot(a.vector, b.vector))
            ev = evidence(a.text, b.text, sim, window, b.index, a_before=before,
                          a_published=a.published, b_published=b.published, tuning=tuning)
            if story is not None:
                story.see(a, b, ev, sim, window, before)
            if ev is None or (story is not None and not story(a, b, before)):
                continue
            if ev.family in (sg.STATUS, sg.PLAN) and story is not None and placed_elsewhere(
                    a.text, [b.text, story.headline(b.source)],
                    story.facts(b.source).words, story.facts(b.source).caps):
                continue  # a state placed in named places ended somewhere else (scope.py)
            # Unsure pairs: only the best per earlier source is worth an editor's time.
            key = a.id if ev.verdict == SURE else a.source
            cur = best.get(key)
            if cur is None or (ev.verdict == SURE, ev.score) > (cur[0].verdict == SURE, cur[0].score):
                best[key] = (ev, a)
        for ev, a in best.values():
            found.setdefault(a.id, []).append((ev, b))
    out = []
    for cid, ranked in found.items():
        sure = [x for x in ranked if x[0].verdict == SURE]
        out.append(_link(claim_rows[cid], sure or ranked, sources, extra, tuning.max_by))
    return out


__all__ = ["Row", "detect_across", "detect_within", "is_later", "later_than", "note", "windows"]
