"""The learned link judgement, as an editor's review queue: never a link, only a candidate.

The families (families.py) link only what is precise by construction; on wording they were not
built on they miss most links (realworld heldout4–7). A logistic regression fitted on the labelled
real-world parts — over the detector's own signals for the pair and the later sentence's vector —
ranks the pairs relinking already forms (`detect_across`: every claim against every later statement
it searched), and a pair it finds likely enough becomes a *candidate* with reason "model" and its
probability as score, on claims the detector neither links nor proposes. `factdesk corrections
--candidates` lists it; the editor's accept/reject (corrections.yml) decide, as for any candidate.

Cheap by construction: features read what the detector already computed per pair (cached signals,
the pair's cosine, its evidence), and scoring is one dot product. The fitted file
(`ingest/fitted/links.json`, `python -m benchmarks.learned_links --fit`, `make train`) names the
embedding model its vector weights belong to; an index built with another model skips the model
and says so once per run. Every candidate passes the same one-story test as the detector's (story.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..dates import interval
from ..records import CorrectionLink, SourceRecord
from . import signals as sg
from .detect import later_than
from .precision import SURE
from .story import Stories
from .subject import shared_names

FITTED = Path(__file__).resolve().parent.parent / "fitted" / "links.json"
REASON = "model"

FEATURES = ("cos", "names", "window_names", "same_source", "log_days", "b_headline",
            "cue_strong", "cue_update", "cue_weak",
            "b_retraction", "b_negation", "b_plan", "b_status", "b_figure",
            "b_takes_back", "b_reverses", "b_admits", "b_notice", "b_denial", "b_listing", "b_revised",
            "b_measures", "b_contrary", "b_later_wording",
            "a_plan", "a_status", "a_figure", "a_neg_status", "a_deliberation", "a_denial", "a_prior",
            "fig_mismatch", "ev_sure", "ev_unsure")


@lru_cache(maxsize=100_000)
def _figs(text: str) -> frozenset[float]:
    return frozenset(v for v in (sg.figure_value(f) for f in sg.signals(text).figures) if v is not None)


def days_between(later: str, earlier: str) -> float:
    ia, ib = interval(earlier), interval(later)
    return float((ib[0] - ia[1]).days) if ia and ib else 0.0


@lru_cache(maxsize=100_000)
def _later_flags(b: str) -> tuple[float, ...]:
    """What the later sentence's own wording says (cue strength, family evidence, shapes): read once per text."""
    s, cue = sg.signals(b), sg.cue(b)
    return (float(cue == "strong"), float(cue == "update"), float(cue == "weak"),
            *(float(f in s.later) for f in (sg.RETRACTION, sg.NEGATION, sg.PLAN, sg.STATUS, sg.FIGURE)),
            float(s.takes_back), float(s.reverses), float(s.admits), float(s.notice), float(s.denial),
            float(s.listing), float(s.revised), float(s.measures), float(s.contrary), float(s.later_wording))


@lru_cache(maxsize=100_000)
def _claim_flags(a: str) -> tuple[float, ...]:
    t = sg.signals(a)
    return (float(sg.PLAN in t.claim), float(sg.STATUS in t.claim), float(sg.FIGURE in t.claim),
            float(bool(t.neg_status)), float(bool(t.deliberation)), float(t.denial), float(t.prior))


def features(a: str, b: str, cos: float, window: str, same: bool, days: float, b_head: bool, ev: Any) -> list[float]:
    """FEATURES for one (claim, later sentence) pair: what the detector's signals say of each side,
    shared names (in the sentence, beside it), time apart, and the detector's own verdict."""
    fa, fb = _figs(a), _figs(b)
    return [cos, min(len(shared_names(a, b)), 3), min(len(shared_names(a, window)), 3) if window else 0.0,
            float(same), math.log1p(max(days, 0.0)), float(b_head), *_later_flags(b), *_claim_flags(a),
            float(bool(fa and fb and not fa & fb)), float(ev is not None and ev.verdict == SURE),
            float(ev is not None and ev.verdict != SURE)]


# Where the per-text features start in FEATURES (the later sentence's flags, the claim's), and the
# pair's last three (figures that differ, the detector's sure and unsure verdicts).
_LATER_AT, _CLAIM_AT, _PAIR_AT = FEATURES.index("cue_strong"), FEATURES.index("a_plan"), FEATURES.index("fig_mismatch")


@dataclass(frozen=True)
class LinkModel:
    """A fitted logistic regression for "this later sentence corrects or overtakes this claim" and
    one for "…corrects it" (else it supersedes), over FEATURES (+ the later sentence's vector)."""

    embed_model: str
    threshold: float
    vector: bool
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    status_coef: np.ndarray
    status_intercept: float

    def _z(self, x: np.ndarray, vb: np.ndarray | None) -> np.ndarray:
        row = np.concatenate([x, vb]) if self.vector and vb is not None else x
        return (row - self.mean) / self.scale

    def prob(self, x: np.ndarray, vb: np.ndarray | None = None) -> tuple[float, float]:
        """(p that it links, p that a link would be "corrected" rather than "superseded")."""
        z = self._z(x, vb)
        p = 1.0 / (1.0 + math.exp(-float(z @ self.coef + self.intercept)))
        c = 1.0 / (1.0 + math.exp(-float(z @ self.status_coef + self.status_intercept)))
        return p, c

    def folded(self) -> tuple[list[float], np.ndarray | None, float]:
        """The link regression with the standardisation folded in — (weights of FEATURES, weights of
        the vector, constant) — so a pair costs one short sum and a later sentence one dot product."""
        w = self.coef / self.scale
        n = len(FEATURES)
        const = float(self.intercept - (self.mean * w).sum())
        return [float(v) for v in w[:n]], (w[n:] if self.vector else None), const


class ModelError(ValueError):
    """A fitted file that cannot be read; says why."""


def read(path: Path = FITTED) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: cannot read the learned link model ({e})") from None


def load(path: Path = FITTED) -> LinkModel:
    d = read(path)
    if tuple(d.get("features", ())) != FEATURES:
        raise ModelError(f"{path}: fitted on other features than this code computes; refit (make train)")
    arr = {k: np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "coef", "status_coef")}
    if not (len(arr["mean"]) == len(arr["scale"]) == len(arr["coef"]) == len(arr["status_coef"])):
        raise ModelError(f"{path}: weights of unequal lengths")
    if not np.all(arr["scale"] > 0) or not all(np.all(np.isfinite(v)) for v in arr.values()):
        raise ModelError(f"{path}: scales must be positive and weights finite")
    return LinkModel(str(d["embed_model"]), float(d["threshold"]), bool(d["vector"]), arr["mean"], arr["scale"],
                     arr["coef"], float(d["intercept"]), arr["status_coef"], float(d["status_intercept"]))


class PairHook(Stories):
    """What relinking hands `detect_across` for one run: the one-story gate (Stories) and, when a
    fitted model for this index's embedding model exists, the model's best pair per claim."""

    def __init__(self, rows: Any, headline: Any, model: LinkModel | None = None, doc_sim: float | None = None) -> None:
        super().__init__(rows, headline, *([] if doc_sim is None else [doc_sim]))
        self.model = model
        self.best: dict[str, tuple[float, Any, Any, list[float]]] = {}  # claim id → (p, claim, later, features)
        self.scored = 0
        if model is not None:
            self._w, self._wv, self._const = model.folded()
            self._logit = math.log(model.threshold / (1.0 - model.threshold)) if 0 < model.threshold < 1 else math.inf
            # the most a pair's shared names (at most 3, in it and beside it) and differing figures add
            self._most = max(0.0, 3 * self._w[1]) + max(0.0, 3 * self._w[2]) + max(0.0, self._w[_PAIR_AT])
        # later sentence id → (its vector's share of the logit, its text's weighted terms, constant + both)
        self._later: dict[str, tuple[float, list[float], float]] = {}
        self._claims: dict[str, tuple[list[float], float]] = {}  # claim text → (its weighted terms, their sum)
        self._days: dict[tuple[str, str], float] = {}  # (later, earlier published) → log1p of the days apart

    def see(self, a: Any, b: Any, ev: Any, cos: float, window: list[tuple[int, str]] | None, before: str) -> None:
        """Score one pair the detector formed; keep it when at or above the threshold and one story."""
        if self.model is None or a.source == b.source or not later_than(b.published, a.published):
            return
        self.scored += 1
        # The logit is the sum `features` and the weights give, term by term in FEATURES order (the
        # same floats added in the same order, so the same bits): what depends on one text only is
        # read per text, and the features themselves are built only for a pair that is kept.
        w = self._w
        days = self._days.get((b.published, a.published))
        if days is None:
            days = self._days[(b.published, a.published)] = math.log1p(max(days_between(b.published, a.published), 0.0))
        if (later := self._later.get(b.id)) is None:
            vec = b.vector
            share = float(np.asarray(vec, dtype=np.float64) @ self._wv) if self._wv is not None and vec is not None else 0.0
            terms = self._text_terms(b.text, _later_flags, _LATER_AT)
            later = self._later[b.id] = (share, terms, self._const + share + sum(terms))
        if (claim := self._claims.get(a.text)) is None:
            terms = self._text_terms(a.text, _claim_flags, _CLAIM_AT)
            claim = self._claims[a.text] = (terms, sum(terms))
        verdict = 0.0 if ev is None else w[_PAIR_AT + (1 if ev.verdict == SURE else 2)]
        # What the pair's names and figures could add at most: below the threshold even so, the pair
        # cannot be kept (the margin is far above the rounding of a sum of a few dozen terms).
        if later[2] + claim[1] + (w[0] * cos if cos else 0.0) + w[4] * days + verdict + self._most < self._logit - 1e-6:
            return
        wtext = " ".join(t for _, t in window or [])
        terms = [w[0] * cos] if cos else []
        if n := min(len(shared_names(a.text, b.text)), 3):
            terms.append(w[1] * n)
        if wtext and (n := min(len(shared_names(a.text, wtext)), 3)):
            terms.append(w[2] * n)
        if days:
            terms.append(w[4] * days)
        terms += later[1]
        terms += claim[0]
        fa, fb = _figs(a.text), _figs(b.text)
        if fa and fb and not fa & fb:
            terms.append(w[_PAIR_AT] * 1.0)
        if ev is not None:
            terms.append(verdict * 1.0)
        logit = self._const + later[0] + sum(terms)
        cur = self.best.get(a.id)
        if logit >= self._logit and (cur is None or logit > cur[0]) and self(a, b, before):
            x = features(a.text, b.text, cos, wtext, False, days_between(b.published, a.published), False, ev)
            self.best[a.id] = (logit, a, b, x)

    def _text_terms(self, text: str, flags: Any, at: int) -> list[float]:
        """The weighted non-zero features one text alone decides (`flags` of it, at FEATURES[at:])."""
        return [w * v for w, v in zip(self._w[at:], flags(text)) if v]

    def candidates(self, proposed: list[CorrectionLink], detected: list[CorrectionLink],
                   sources: dict[str, SourceRecord]) -> list[CorrectionLink]:
        """The model's candidates on claims the detector neither links nor proposes, then `proposed`
        (so a detector's candidate on the same claim wins where both are kept)."""
        taken = {lk.claim for lk in proposed} | {lk.claim for lk in detected}
        out = []
        for cid, (logit, a, b, x) in sorted(self.best.items()):
            if cid in taken or self.model is None:
                continue
            p, c = self.model.prob(np.asarray(x), None if b.vector is None else np.asarray(b.vector, dtype=np.float64))
            status = "corrected" if c >= 0.5 else "superseded"
            src = sources.get(b.source)
            who = (src.publisher or src.title) if src else b.source
            out.append(CorrectionLink(claim=cid, by=[b.id], status="candidate", origin="detected", family=REASON,
                                      score=round(p, 4), note=f"{REASON}: a learned judgement gives p {p:.2f} that the "
                                      f"later statement corrects or overtakes the claim (as {status} if accepted) — {who}, "
                                      f"{b.published or 'undated'}"))
        return out + proposed


def status_if_accepted(lk: CorrectionLink) -> str:
    """A model candidate's status when an editor accepts it (the fitted status model's verdict)."""
    return "corrected" if "(as corrected" in lk.note else "superseded"


def pair_hook(store: Any, rows: Any, records: dict[str, SourceRecord], warnings: list[str],
              path: Path | None = None) -> PairHook:
    """The hook for one relink. The model is used only when its fitted file names the embedding
    model this index was built with; otherwise the run says so and proposes nothing from it."""
    model = None
    path = path or FITTED
    if path.exists():
        try:
            model = load(path)
        except ModelError as e:
            warnings.append(str(e))
        info = store.manifest.model_info() if model is not None else None
        if model is not None and info is not None and info[0] != model.embed_model:
            warnings.append(f"learned link model skipped: it was fitted with {model.embed_model}, this index uses "
                            f"{info[0]} (refit with `make train`)")
            model = None
    return PairHook(rows, lambda sid: records[sid].title if sid in records else "", model,
                    store.settings.tuning.corrections.story_doc_sim)


__all__ = ["FEATURES", "FITTED", "REASON", "LinkModel", "ModelError", "PairHook", "days_between", "features",
           "load", "pair_hook", "read", "status_if_accepted"]
