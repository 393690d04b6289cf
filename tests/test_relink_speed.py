"""Relinking's speed-ups change no result (issue 15, ingest at the model's speed).

Why: relinking reads every (claim, later statement) pair it forms — ~180,000 when the 10k
benchmark's archive is relinked whole — and two short cuts now skip most of the work: the evidence
gate (`ingest/corrections/gate.py`: a pair no family rule can apply to gets None before its subject
is read) and the learned hook's bound (`PairHook.see`: a pair whose logit cannot reach the
threshold, whatever its names, is not scored in full; the others are summed from per-text terms).
Both must give exactly what the full computation gives. Checked here on every pair of sentences of
the labelled real-world parts' sources (spent: development data) about one story, and of some
unrelated ones, whose later source is dated later — at the similarity tiers the rules decide by,
with each later statement's neighbours as its window.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from ingest.corrections import families, signals as sg
from ingest.corrections.detect import headline
from ingest.corrections.gate import YES
from ingest.corrections.learned import FITTED, PairHook, days_between, features, load
from ingest.dates import is_later
from ingest.loaders import split_front_matter
from ingest.records import StoredSentence
from ingest.split import split_sentences
from ingest.tuning import CorrectionsTuning

REALWORLD = Path(__file__).resolve().parent.parent / "data" / "eval" / "realworld"
PARTS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")  # spent: development data
TUNING = CorrectionsTuning()
SIMS = sorted({0.0, TUNING.sim_loose, TUNING.sim_candidate, TUNING.sim_fair, TUNING.sim_close, TUNING.sim_near,
               TUNING.sim_very, TUNING.noun_subject_sim, 0.97})


def _rows() -> list[StoredSentence]:
    rng = np.random.default_rng(7)
    out = []
    for part in PARTS:
        for path in sorted((REALWORLD / part).glob("*.md")):
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            for s in split_sentences(path.stem, body):  # `sha` holds the part here
                v = rng.normal(size=384)
                out.append(StoredSentence(id=s.id, source=s.source, index=s.index, start=s.start, end=s.end, text=s.text,
                                          published=str(meta.get("published", "")), sha=part, vector=v / np.linalg.norm(v)))
    return out


ROWS = _rows()
BY_SOURCE: dict[str, list[StoredSentence]] = {}
for _r in ROWS:
    BY_SOURCE.setdefault(_r.source, []).append(_r)


def _pairs() -> list[tuple[StoredSentence, StoredSentence, list[tuple[int, str]], str, tuple[float, ...]]]:
    """(claim, later statement, its window, the sentence before the claim, similarities to try) for
    every two sources of one part: of one story (file names share their topic word) at every tier,
    of two stories at one tier each, in turn."""
    out = []
    for x in sorted(BY_SOURCE):
        for y in sorted(BY_SOURCE):
            same_part = BY_SOURCE[x][0].sha == BY_SOURCE[y][0].sha
            if x == y or not same_part or not is_later(BY_SOURCE[y][0].published, BY_SOURCE[x][0].published):
                continue
            story = x.split("-")[1] == y.split("-")[1]
            later = BY_SOURCE[y]
            for b in later:
                if headline(b) or not sg.signals(b.text).overturns:
                    continue
                window = [(r.index, r.text) for r in later if abs(r.index - b.index) == 1 and not headline(r)]
                for a in BY_SOURCE[x]:
                    if not headline(a):
                        before = BY_SOURCE[x][a.index - 1].text if a.index else ""
                        out.append((a, b, window, before, tuple(SIMS) if story else (SIMS[len(out) % len(SIMS)],)))
    return out


PAIRS = _pairs()


def _evidence_all(gated: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple | None]:
    if not gated:
        monkeypatch.setattr(families, "admits", lambda *a: YES)
    out = []
    for a, b, window, before, sims in PAIRS:
        for sim in sims:
            ev = families.evidence(a.text, b.text, sim, window, b.index, a_before=before, a_published=a.published,
                                   b_published=b.published, tuning=TUNING)
            out.append(None if ev is None else dataclasses.astuple(ev))
    for rows in BY_SOURCE.values():  # inside one source, as detect_within asks: told one story, ordered by the text
        for b in rows:
            for a in rows[:b.index]:
                for story, order in ((True, "prior"), (False, "clock"), (False, "later")):
                    ev = families.evidence(a.text, b.text, TUNING.sim_fair, None, b.index, story=story,
                                           a_published=a.published, b_published=b.published, tuning=TUNING, order=order)
                    out.append(None if ev is None else dataclasses.astuple(ev))
    monkeypatch.undo()
    return out


def test_the_evidence_gate_changes_no_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(PAIRS) > 20_000
    gated, full = _evidence_all(True, monkeypatch), _evidence_all(False, monkeypatch)
    assert sum(e is not None for e in full) > 50, "the pairs exercise the families"
    assert gated == full


def _reference_best(hook: PairHook, pairs: list, evs: list) -> dict:
    """The hook's choice as it was computed before the speed-up: every feature of every pair, summed."""
    best: dict = {}
    for (a, b, window, before, _), ev in zip(pairs, evs):
        cos = float(np.dot(a.vector, b.vector))
        x = features(a.text, b.text, cos, " ".join(t for _, t in window), False, days_between(b.published, a.published),
                     False, ev)
        later = float(np.asarray(b.vector, dtype=np.float64) @ hook._wv) if hook._wv is not None else 0.0
        logit = hook._const + later + sum(w * v for w, v in zip(hook._w, x) if v)
        cur = best.get(a.id)
        if logit >= hook._logit and (cur is None or logit > cur[0]) and hook(a, b, before):
            best[a.id] = (logit, b.id, x)
    return best


@pytest.mark.parametrize("threshold", [None, 0.05])
def test_the_learned_hook_keeps_the_same_pairs(threshold: float | None) -> None:
    model = load(FITTED)
    if threshold is not None:  # more pairs near the threshold than the fitted one leaves
        model = dataclasses.replace(model, threshold=threshold)
    rows = lambda sid: BY_SOURCE[sid]  # noqa: E731
    pairs = PAIRS[::3]
    evs = [families.evidence(a.text, b.text, float(np.dot(a.vector, b.vector)), w, b.index, a_before=before,
                             a_published=a.published, b_published=b.published, tuning=TUNING) for a, b, w, before, _ in pairs]
    hook = PairHook(rows, lambda sid: "", model)
    for (a, b, window, before, _), ev in zip(pairs, evs):
        hook.see(a, b, ev, float(np.dot(a.vector, b.vector)), window, before)
    want = _reference_best(PairHook(rows, lambda sid: "", model), pairs, evs)
    got = {k: (v[0], v[2].id, v[3]) for k, v in hook.best.items()}
    assert len(want) > 5
    assert got == want
    assert all(math.isfinite(v[0]) for v in got.values())
