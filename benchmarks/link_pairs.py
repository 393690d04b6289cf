"""Candidate pairs and their features for the learned link experiment (`benchmarks/learned_links.py`).

Each real-world part is indexed afresh, as `factdesk eval` indexes it (so the detector's own final
links are the ones readers would see), and every (claim, later sentence) pair that could be a link
is listed: a claim (not a headline) in an earlier-dated source and a sentence in a later-dated one,
or a sentence further down the same source, that share a subject — a name (of the sentence or of
the sentence beside it) or cosine at least `FLOOR` (a loose floor: candidate recall is measured).
Labels come from the part's header: the pair is positive when the claim holds an expected link's
claim phrase and the later sentence one of its `by` phrases; every other pair is negative, the
must-not-link pairs among them marked (the hard negatives).

Features can carry across wording: the detector's signals on each side (family cues, polarity,
figures, denial, wording of time), shared names, time gap, the detector's own verdict on the pair,
the cosine and how it ranks among the pair's rivals, and the two frozen sentence vectors (the
model picks which of them it uses). Nothing costs more than what ingest already computed.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 0.3  # cosine that makes two sentences candidates without a shared name (loose: see candidate recall)

from ingest.corrections.learned import FEATURES, days_between as _days, features  # noqa: E402  (one definition)

RANKS = ("cos_gap_claims", "cos_gap_later", "best_claim")  # how the pair's cosine ranks among its rivals
SCALARS = (*FEATURES, *RANKS)


@dataclass
class Part:
    """One part's candidate pairs: features X (SCALARS), the two vectors, labels and what scoring needs."""

    name: str
    header: dict[str, Any]
    texts: dict[str, str]  # sentence id → text
    detected: dict[str, tuple[str, set[str]]]  # the detector's final links: claim → (status, by ids)
    proposed: set[str]  # claims the detector keeps as editor's candidates
    X: np.ndarray
    va: np.ndarray
    vb: np.ndarray
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (claim id, later id)
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    corrected: np.ndarray = field(default_factory=lambda: np.zeros(0))  # positives' status: corrected (1) or superseded
    hard: np.ndarray = field(default_factory=lambda: np.zeros(0))  # must-not-link pairs
    overturns: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the later sentence has a stored cue
    relinked: np.ndarray = field(default_factory=lambda: np.zeros(0))  # a pair relinking forms (detect_across's shape)
    story: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the pair passes the one-story gate (story.py)


def scalars(a: str, b: str, cos: float, window: str, same: bool, days: float, b_head: bool, ev: Any) -> list[float]:
    """SCALARS: the model's features (ingest/corrections/learned.py) and the three rank slots (filled per part)."""
    return [*features(a, b, cos, window, same, days, b_head, ev), 0.0, 0.0, 0.0]


def index_part(name: str, settings: Any, embedder: Any) -> tuple[dict[str, Any], list[Any], list[Any], list[Any]]:
    """Index one part as `factdesk eval` does: its header, its sentences (with vectors), its final
    links and its editor's candidates."""
    from bot.evaluate import load_eval
    from ingest.pipeline import Indexer

    path = ROOT / "data" / "eval" / "realworld" / f"{name}.jsonl"
    header, _ = load_eval(path)
    src = path.parent / header["sources"]
    with tempfile.TemporaryDirectory(prefix="factdesk-learned-") as tmp:
        s = settings.model_copy(update={"data_dir": Path(tmp), "chroma_host": "", "corrections_file": src / "corrections.yml"})
        indexer = Indexer(s, embedder=embedder)
        if not indexer.ingest([str(src)]).ok:
            raise RuntimeError(f"{path}: sources failed to ingest")
        st = indexer.store()
        rows = [r for sid in st.source_records() for r in st.source_sentences(sid, with_vectors=True)]
        return header, rows, st.all_links(), st.candidate_links()


def build(name: str, header: dict[str, Any], rows: list[Any], links: list[Any], candidates: list[Any] = ()) -> Part:
    """The part's candidate pairs with features and labels."""
    from ingest.corrections.detect import _ordered_within
    from ingest.corrections.families import DEFAULT, evidence
    from ingest.corrections.signals import signals
    from ingest.corrections.subject import shared_names
    from ingest.dates import is_later
    from ingest.split import is_headline

    from ingest.corrections.story import Stories

    exp, nol = header.get("links") or [], header.get("no_link") or []
    pos = {(r.source, r.index): r for r in rows}
    by_source: dict[str, list[Any]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.source, r.index)):
        by_source[r.source].append(r)
    gate = Stories(by_source.__getitem__, lambda sid: by_source[sid][0].text if by_source[sid] else "")
    xs, va, vb, pairs, y, corr, hard, over, rel, gated = [], [], [], [], [], [], [], [], [], []
    for a in rows:
        if is_headline(a.text):
            continue
        before = pos[(a.source, a.index - 1)].text if (a.source, a.index - 1) in pos else ""
        for b in rows:
            same = a.source == b.source
            if (b.index <= a.index) if same else not is_later(b.published, a.published):
                continue
            win = [(j, pos[(b.source, j)].text) for j in (b.index - 1, b.index + 1)
                   if (b.source, j) in pos and not is_headline(pos[(b.source, j)].text)]
            wtext = " ".join(t for _, t in win)
            cos = float(np.dot(a.vector, b.vector))
            if not (same or cos >= FLOOR or shared_names(a.text, b.text) or shared_names(a.text, wtext)):
                continue
            ev = None  # the detector's verdict on the pair, computed as detect_within / detect_across do
            if not is_headline(b.text):
                kw = dict(a_before=before, a_published=a.published, b_published=b.published)
                if not same:
                    ev = evidence(a.text, b.text, cos, win, b.index, **kw)
                elif order := _ordered_within(a, b):
                    story = abs(b.index - a.index) <= DEFAULT.near_sentences and order != "later"
                    ev = evidence(a.text, b.text, max(cos, DEFAULT.story_sim) if story else cos, win, b.index,
                                  story=story, order=order, **kw)
            xs.append(scalars(a.text, b.text, cos, wtext, same, 0.0 if same else _days(b.published, a.published),
                              is_headline(b.text), ev))
            va.append(a.vector)
            vb.append(b.vector)
            pairs.append((a.id, b.id))
            hit = [e for e in exp if e["claim"] in a.text and any(p in b.text for p in e["by"])]
            y.append(1 if hit else 0)
            corr.append(1 if hit and hit[0]["status"] == "corrected" else 0)
            hard.append(any(n["claim"] in a.text and n["later"] in b.text for n in nol))
            over.append(signals(b.text).overturns)
            rel.append(not same and signals(b.text).overturns and not is_headline(b.text))
            gated.append(same or gate(a, b, before))
    X = np.asarray(xs, dtype=np.float64)
    _rank(X, pairs)
    detected = {lk.claim: (lk.status, set(lk.by)) for lk in links}
    return Part(name, header, {r.id: r.text for r in rows}, detected, {c.claim for c in candidates}, X,
                np.asarray(va), np.asarray(vb), pairs,
                np.asarray(y), np.asarray(corr), np.asarray(hard), np.asarray(over), np.asarray(rel), np.asarray(gated))


def _rank(X: np.ndarray, pairs: list[tuple[str, str]]) -> None:
    """How the pair's cosine compares with its rivals': the later sentence's best claim in the same
    earlier source, and the claim's best later sentence (a correction answers one statement)."""
    cos = X[:, 0]
    best_b: dict[tuple[str, str], float] = defaultdict(lambda: -1.0)
    best_a: dict[str, float] = defaultdict(lambda: -1.0)
    for (a, b), c in zip(pairs, cos):
        key = (b, a.rsplit("#", 1)[0])
        best_b[key] = max(best_b[key], c)
        best_a[a] = max(best_a[a], c)
    i = SCALARS.index("cos_gap_claims")
    for n, ((a, b), c) in enumerate(zip(pairs, cos)):
        gap = c - best_b[(b, a.rsplit("#", 1)[0])]
        X[n, i:i + 3] = (gap, c - best_a[a], float(gap == 0.0))


def candidate_recall(part: Part) -> tuple[int, int, int]:
    """(expected links, those with a candidate pair, those whose later sentence can overturn at all —
    the only ones the detector's relink searches reach)."""
    exp = part.header.get("links") or []
    seen, reach = set(), set()
    for (a, b), o in zip(part.pairs, part.overturns):
        for i, e in enumerate(exp):
            if e["claim"] in part.texts[a] and any(p in part.texts[b] for p in e["by"]):
                seen.add(i)
                if o:
                    reach.add(i)
    return len(exp), len(seen), len(reach)
