"""Bring correction links (and the editor's candidates) up to date after sources changed.

This is the one entry point ingest calls (`relink(store, affected, removed, warnings)`); it
re-derives what depends on the changed sources, keeps the rest, applies declared `corrects:`
front matter, optionally the LLM judge, and finally replays the editor's decisions from
`corrections.yml` — on every run, so decisions survive `--rebuild` and edits to the sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .. import heap
from ..records import CorrectionLink, SourceRecord, StoredSentence, sentence_id, split_sentence_id
from ..searches import RunSearches
from ..terms import name_tokens
from . import review
from .declared import DeclaredError, declared_links, merge
from .detect import Row, detect_across, detect_within, headline, later_than, windows
from .signals import CORRECTOR_CUES, signals
from .learned import pair_hook
from .subject import GENERIC_NAMES
from ..dates import is_later
# Search depths and every threshold of the detector: settings.tuning.corrections (ingest/tuning.py).


class _NameSearch:
    """Sentences containing a name, cached for one relink (a name recurs in many sentences)."""

    def __init__(self, store: Any, per_name: int, max_names: int) -> None:
        self.store = store
        self.per_name, self.max_names = per_name, max_names
        self.cache: dict[tuple[str, bool], list[StoredSentence]] = {}

    def rows(self, text: str, where: dict[str, Any] | None = None) -> list[StoredSentence]:
        out: list[StoredSentence] = []
        # A sentence that opens with a possessive name ("Greece's deficit …") names it: the shared
        # tokenizer skips a capitalised first word, which is most often not a name.
        lead = re.match(r"([A-Z][\w-]+)['’]s\b", text)
        toks = [t for t in dict.fromkeys([*([lead.group(1)] if lead else []), *name_tokens(text)])
                if (len(t) > 2 or t.isupper()) and not t.isdigit() and t.lower() not in GENERIC_NAMES][:self.max_names]
        for tok in toks:
            key = (tok, where is not None)
            if key not in self.cache:
                self.cache[key] = self.store.containing(tok, self.per_name, where=where)
            out += self.cache[key]
        return out


class _Finder:
    """Sentence ids by exact text (decisions name sentences by text), and texts by id."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        want = review._norm(text)
        if not want:
            return []
        # Every sentence containing the text, not the first 50 in storage order: past 50 (a short
        # sentence inside longer ones, a repeated line) the exact ones found, or none, followed the
        # order sources were written in, and an accepted decision could be reported unmatched.
        limit = 50
        while len(rows := self.store.containing(want[:200], limit)) >= limit:
            limit *= 4
        hits = [r for r in rows if review._norm(r.text) == want]
        for r in hits:
            self.cache[r.id] = r.text
        return sorted(r.id for r in hits)

    def text(self, sid: str) -> str:
        if sid not in self.cache:
            got = self.store.get_sentences([sid])
            self.cache[sid] = got[sid].text if sid in got else ""
        return self.cache[sid]


# The optional correction judge (an LLM in `bot.judge`), passed in by the adapter so `ingest/`
# imports nothing from `bot/`: (store, detected links, source records, warnings) -> links kept.
Judge = Callable[[Any, list[CorrectionLink], dict[str, SourceRecord], list[str]], list[CorrectionLink]]


def relink(store: Any, affected: set[str], removed: set[str], warnings: list[str] | None = None,
           judge: Judge | None = None, changed: Mapping[str, set[int]] | None = None,
           known: Mapping[str, list[Row]] | None = None) -> tuple[int, int]:
    """Bring correction links up to date after `affected` sources were written and `removed` ones
    deleted. Returns (sentences newly flagged, sentences no longer flagged).

    `changed`: for an edited source, the positions of its sentences that are new or changed (and
    any beyond its new end). Only what they can affect is re-derived — those sentences and their
    neighbours as evidence, and the source's claims against later statements found by their
    queries; links between its other sentences and other sources stand, since neither side
    changed. A source absent from `changed` is re-derived whole. `known`: sentences (with vectors)
    the caller just wrote, by source, so they are not read back."""
    warnings = warnings if warnings is not None else []
    touched = affected | removed
    part = _touching(store, touched)
    if part is None:
        before = {lk.claim: lk for lk in sorted(store.all_links(), key=lambda lk: lk.id)}
        before_cands = sorted(store.candidate_links(), key=lambda lk: lk.id) if hasattr(store, "candidate_links") else []
    else:  # only what the change can affect; every other link stands and is neither read nor written
        part = sorted(part, key=lambda lk: lk.id)  # the store's order follows the order links were written in
        before = {lk.claim: lk for lk in part if lk.status != "candidate"}
        before_cands = [lk for lk in part if lk.status == "candidate"]
    written = {lk.id: _key(lk) for lk in [*before.values(), *before_cands]}
    zone = _zones(changed or {}, affected)
    keep = [lk for lk in before.values() if lk.origin != "editor" and _stands(lk, touched, zone)]
    keep_cands = [lk for lk in before_cands if _stands(lk, touched, zone)]
    records = store.source_records()
    live = set(records)
    cache: dict[str, list[Row]] = dict(known or {})

    def rows(sid: str) -> list[Row]:
        if sid not in cache:
            cache[sid] = store.source_sentences(sid, with_vectors=True)
        return cache[sid]

    # Reads cost per call more than per row (~ms each, embedded or server): the affected sources'
    # sentences come in a few large reads, not one per source; a name's matches are read once.
    _prefetch(store, sorted(affected & live), cache)
    tuning = store.settings.tuning.corrections
    cue_where = {"cue": {"$in": list(CORRECTOR_CUES)}}
    search = RunSearches(store, cue_where)  # the same rows, fewer scans (ingest/searches.py)
    search.hold(r for rs in cache.values() for r in rs)  # rows in hand are not read back
    named = _NameSearch(search, tuning.named_per_corrector, tuning.max_names)
    story = pair_hook(store, rows, records, warnings if affected else [])  # one story per link; the model's candidates
    new: list[CorrectionLink] = []
    # This source as the later one: its evidence sentences against earlier sentences anywhere,
    # found by meaning and by the names they (or their neighbours) share. A sentence that only
    # negates something contradicts claims about the same names: those are found by name; the
    # nearest by meaning are searched for the other families' evidence and for what a sentence ends
    # or withdraws (its subject may be a noun: "the bridge") — for every source in one batched search.
    evidence = {sid: [b for b in rows(sid) if signals(b.text).overturns and not headline(b)
                      and not (sid in zone and b.index not in zone[sid])] for sid in sorted(affected & live)}

    def as_later(evidence: dict[str, list[Row]], whole: set[str]) -> list[CorrectionLink]:
        """Each evidence sentence against earlier sentences anywhere: its nearest by meaning (one
        batched search for all) and the sentences sharing its (or its neighbours') names; the
        `whole` sources' links within themselves first."""
        nearest = search.nearest([b for bs in evidence.values() for b in bs if (sb := signals(b.text)).later
                                  or sb.reverses or sb.takes_back], tuning.candidates_per_corrector)
        out: list[CorrectionLink] = []
        for done, sid in enumerate(sorted(evidence.keys() | whole), start=1):
            if done % _SETTLE_EVERY == 0:
                heap.settle()  # what the sources so far left in the detector's caches: out of later full collections' walks
            own = rows(sid)
            if sid in whole:
                out += detect_within(own, records, tuning)
            ctx = windows(own)
            extra = {r.id: r for r in own}
            for b in evidence.get(sid, []):
                found = {r.id: r for r in nearest.get(b.id, [])}
                for r in named.rows(" ".join([b.text] + [t for _, t in ctx.get(b.id, [])])):
                    found.setdefault(r.id, r)
                cands = [r for r in found.values() if r.source != sid and later_than(b.published, r.published)]
                out += detect_across(cands, [b], records, ctx, extra, tuning, story)
        return out

    new += as_later(evidence, affected & live)
    # A stored link merges the evidence of several sentences, often of several sources; one of them
    # changed, the link is re-derived — and the searches above start only from what changed. Its
    # other evidence, unchanged, is searched again here as a rebuild searches it, for the claims
    # whose own sentence did not change: else editing (or removing) one of two sources correcting a
    # claim dropped the other's evidence, and with it the claim's flag (tests/test_relink_evidence.py).
    claims, again, within = _unchanged_evidence([*before.values(), *before_cands], keep + keep_cands, affected,
                                                changed or {}, zone, live)
    if claims:
        homes = {split_sentence_id(b)[0] for b in again}
        _prefetch(store, sorted(homes | within), cache)
        search.hold(r for src in homes | within for r in rows(src))
        again_rows = {src: [b for b in rows(src) if b.id in again and signals(b.text).overturns and not headline(b)]
                      for src in sorted(homes)}
        new += [lk for lk in as_later(again_rows, within - affected) if lk.claim in claims]
    # This source as the earlier one: evidence sentences of later sources, found per claim by
    # meaning and by shared names among sentences that can overturn (their stored `cue`).
    others = [records[x].published for x in live - affected]
    for sid in sorted(affected & live):
        published = records[sid].published
        if not published or not any(is_later(d, published) for d in others):
            continue  # no source outside this run is later: pass 1 already paired everything
        found: dict[str, StoredSentence] = {}
        for a in rows(sid):
            if sid in zone and a.index not in zone[sid]:
                continue  # its later statements were searched when it was written; its links stand
            for r in search.query(a.vector, tuning.candidates_per_claim, where=cue_where):
                found.setdefault(r.id, r)
            for r in named.rows(a.text, where=cue_where):
                found.setdefault(r.id, r)
        later = [r for r in found.values() if r.source not in affected and is_later(r.published, published)]
        if not later:
            continue
        # The later statements' neighbours (the window case), in a few reads by id — not one read
        # of a whole source per statement, which grew with the archive.
        near = _neighbours(store, [b for b in later if b.source not in cache])
        ctx: dict[str, list[tuple[int, str]]] = {}
        extra: dict[str, Row] = {}
        for b in later:
            src_rows = cache[b.source] if b.source in cache else near.get(b.source, [])
            around = [r for r in src_rows if abs(r.index - b.index) == 1 and not headline(r)]
            ctx[b.id] = [(r.index, r.text) for r in around]
            extra |= {r.id: r for r in around}
        new += detect_across(rows(sid), later, records, ctx, extra, tuning, story)
    # Declared links of every source involved.
    for sid, rec in sorted(records.items()):
        entries = rec.corrects
        if not entries:
            continue
        if sid not in affected and not ({e["source"] for e in entries} & touched):
            continue
        targets = {e["source"]: rows(e["source"]) for e in entries if e["source"] in live}
        try:
            new += declared_links(sid, entries, rows(sid), targets)
        except DeclaredError as e:
            warnings.append(f"{sid}: {e}")
            keep = [lk for lk in keep if not (lk.origin == "declared" and sid in lk.sources())]
    if judge is not None:
        # Opt-in (FACTDESK_LLM_JUDGE): an LLM confirms or rejects detected candidates, cached per pair.
        new = judge(store, new, records, warnings)
    if part is not None:
        # A new link may land on a claim whose stored link (or candidate) touches no changed source:
        # read those by id, so they merge with it exactly as a full read would have.
        other = store.links_by_ids([i for c in {*(lk.claim for lk in new), *story.best} for i in (c, f"candidate:{c}")
                                    if i not in written])
        written |= {lk.id: _key(lk) for lk in other}
        before |= {lk.claim: lk for lk in other if lk.status != "candidate"}
        before_cands += [lk for lk in other if lk.status == "candidate"]
        keep += [lk for lk in other if lk.status != "candidate"]
        keep_cands += [lk for lk in other if lk.status == "candidate"]
    merged = merge(keep + [lk for lk in new if lk.status != "candidate"])
    cands = story.candidates(keep_cands + [lk for lk in new if lk.status == "candidate"], merged, records)
    merged, cands = _replay(store, merged, cands, warnings)
    # A candidate on a claim that is linked anyway is no longer a question for the editor.
    linked = {lk.claim for lk in merged}
    cands = list({lk.claim: lk for lk in cands if lk.claim not in linked}.values())
    merged_ids = {lk.id for lk in merged} | {lk.id for lk in cands}
    stale = [lk.id for lk in [*before.values(), *before_cands] if lk.id not in merged_ids]
    store.delete_links(stale)
    store.put_links([lk for lk in merged + cands if written.get(lk.id) != _key(lk)])  # only what changed
    after = {lk.claim for lk in merged}
    return len(after - set(before)), len(set(before) - after)


# Sources relinked between two freezes (`heap.settle`). The detector's per-text caches grow through a
# whole-archive relink (~1.4 M entries at 100k sentences) and every full collection walked all of them
# to free nothing: 10 collections, 2.8 s of a fresh 100k ingest's 46 s of relinking. Frozen every 500
# sources, the full collections walk what was made since (7 took 0.5 s); an edit relinks fewer.
_SETTLE_EVERY = 500
_PARTIAL_SOURCES = 100  # more changed sources than this: one read of every link is cheaper


def _touching(store: Any, touched: set[str]) -> list[CorrectionLink] | None:
    """The stored links and candidates that depend on a touched source, or None when every link
    must be read: a large or empty change (`apply_decisions`), an index whose links predate their
    `srcs` metadata (schema < 5), or editor decisions to replay (they apply to every link)."""
    if not touched or len(touched) > _PARTIAL_SOURCES or not hasattr(store, "links_touching"):
        return None
    if store.manifest.schema_version() < 5 or store.has_editor_links():
        return None
    try:
        if review.load(review.decisions_path(store.settings)):
            return None
    except review.ReviewError:
        return None  # `_replay` reports it
    return store.links_touching(sorted(touched))


def _key(lk: CorrectionLink) -> tuple[Any, ...]:
    """Everything a stored link holds (merging edits `by` in place: keys are taken before it)."""
    return lk.claim, tuple(lk.by), lk.status, lk.origin, lk.note, float(lk.score), lk.family


def _zones(changed: Mapping[str, set[int]], affected: set[str]) -> dict[str, set[int]]:
    """Per edited source, the positions whose links are re-derived: the changed sentences and
    their neighbours (a sentence's neighbours are part of its evidence)."""
    return {sid: {j for i in idx for j in (i - 1, i, i + 1)} for sid, idx in changed.items() if sid in affected}


def _unchanged_evidence(stored: list[CorrectionLink], kept: list[CorrectionLink], affected: set[str],
                        changed: Mapping[str, set[int]], zone: dict[str, set[int]],
                        live: set[str]) -> tuple[set[str], set[str], set[str]]:
    """Of the stored detected links and candidates a run re-derives (those not `kept`), the claims
    whose sentence did not change; the sentences of other sources that stood as their evidence,
    did not change either and are not searched by the run anyway (an edited source's evidence in
    its changed zone is); and the sources where a claim had evidence of its own source (re-derived
    whole, `detect_within`). A source affected without a `changed` entry (new, or its date changed)
    counts as changed throughout, a source no longer live as gone."""
    def same(sid: str) -> bool:
        src, idx = split_sentence_id(sid)
        return src in live and (src not in affected or (src in changed and int(idx) not in changed[src]))

    standing = {lk.id for lk in kept}
    claims: set[str] = set()
    again: set[str] = set()
    within: set[str] = set()
    for lk in stored:
        if lk.id in standing or lk.origin != "detected" or not same(lk.claim):
            continue
        claims.add(lk.claim)
        home = split_sentence_id(lk.claim)[0]
        for b in lk.by:
            src, idx = split_sentence_id(b)
            if src == home:
                within.add(src)
            elif same(b) and not (src in zone and int(idx) in zone[src]):
                again.add(b)
    return claims, again, within


def _stands(lk: CorrectionLink, touched: set[str], zone: dict[str, set[int]]) -> bool:
    """A link (or candidate) that no change can affect: none of its sources was touched, or every
    touched one was edited and the link's sentences there lie outside what changed. Links within
    an edited source, and declared links, are always re-derived (whole source, cheap)."""
    hit = lk.sources() & touched
    if not hit:
        return True
    if lk.origin == "declared" or not hit <= set(zone) or len(lk.sources()) < 2:
        return False
    ends = [split_sentence_id(x) for x in (lk.claim, *lk.by)]
    return all(not (src in zone and int(idx) in zone[src]) for src, idx in ends)


_READ_SOURCES = 100  # sources per prefetching read (their sentences: ~1,000 rows)


def _prefetch(store: Any, source_ids: list[str], cache: dict[str, list[Row]]) -> None:
    """Fill `cache` with the sentences (and vectors) of `source_ids`, a hundred sources a read,
    ordered by index as `store.source_sentences` gives them."""
    todo = [s for s in source_ids if s not in cache]
    for a in range(0, len(todo), _READ_SOURCES):
        chunk = todo[a:a + _READ_SOURCES]
        got: dict[str, list[Row]] = {sid: [] for sid in chunk}
        for r in store.where_sentences({"source": {"$in": chunk}}, with_vectors=True):
            got.setdefault(r.source, []).append(r)
        for sid, rs in got.items():
            cache[sid] = sorted(rs, key=lambda r: r.index)


def _neighbours(store: Any, statements: list[Row]) -> dict[str, list[Row]]:
    """The sentences at index ±1 of each statement, by source, read by id in batches."""
    ids = sorted({sentence_id(b.source, b.index + d) for b in statements for d in (-1, 1) if b.index + d >= 0})
    out: dict[str, list[Row]] = {}
    for a in range(0, len(ids), 1000):
        for r in store.get_sentences(ids[a:a + 1000], with_vectors=True).values():
            out.setdefault(r.source, []).append(r)
    return out


def _replay(store: Any, links: list[CorrectionLink], cands: list[CorrectionLink],
            warnings: list[str]) -> tuple[list[CorrectionLink], list[CorrectionLink]]:
    path = review.decisions_path(store.settings)
    try:
        decisions = review.load(path)
    except review.ReviewError as e:
        warnings.append(str(e))
        return links, cands
    if not decisions:
        return links, cands
    find = _Finder(store)
    ids = sorted({i for lk in links + cands for i in (lk.claim, *lk.by)})
    for a in range(0, len(ids), 500):  # the texts every rejection is checked against, in few reads
        find.cache |= {sid: r.text for sid, r in store.get_sentences(ids[a:a + 500]).items()}
    links, cands = review.replay(links, cands, decisions, find, warnings, path)
    return merge(links), cands


def decision_finder(store: Any) -> _Finder:
    """Sentence ids by exact text, as replaying decisions finds them (for counting the ones that
    no longer match: `ingest.migrations`)."""
    return _Finder(store)


def apply_decisions(store: Any, warnings: list[str]) -> None:
    """Re-apply `corrections.yml` without re-detecting (after `accept`/`reject`)."""
    relink(store, set(), set(), warnings)
