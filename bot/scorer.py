"""The fitted answer scorer: loads bot/fitted/scorer.json (written by `python -m bot.train`) and
turns a feature row into a calibrated probability that the sentence answers the question.

Two stages, both in the file. Stage 1 (`proba`) is a logistic regression over bot/features.py's
FEATURES, fitted on external labels (TrecQA train). Stage 2 (`final`) is a logistic regression over
stage 1's log-odds and whether the sentence is its article's headline (NEWS_FEATURES) — what the
external sets cannot teach — fitted on our own news dev questions as the
engine retrieves them. The final probability is the citation's `score`; the file's `threshold`
decides whether to answer at all and `cite_ratio` which further sentences join the first (a
further sentence is quoted when its probability is at least `cite_ratio` × the best's and reaches
the threshold), `max_citations` how many at most. Nothing else here decides selection. One of
stage 1's features, `adapted`, reads the question adapter W (bot/adapter.py) from the file the
scorer file names and checksums.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .adapter import adapt
from .adapter import load as load_adapter
from .features import FEATURES

# Stage 2's inputs: stage 1's log-odds and whether the sentence is its article's headline. The lead,
# the position in the article, and four of stage 1's features re-weighed on news were tried and
# dropped (bot/news_stage.py says why).
NEWS_FEATURES = ("logit", "headline")


def news_rows(p1: np.ndarray, headline: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Stage 2's feature rows from stage 1's probabilities, the sentences' headline flags and their
    FEATURES rows `x` (computed the same way in training, bot/news_stage.py, and in the engine)."""
    p = np.clip(np.asarray(p1, dtype=np.float64), 1e-6, 1 - 1e-6)
    cols = [np.log(p / (1 - p)), np.asarray(headline, dtype=np.float64)]
    x = np.atleast_2d(x)
    cols += [x[:, FEATURES.index(name)] for name in NEWS_FEATURES[2:]]
    return np.column_stack(cols)


def standard_logistic(x: np.ndarray, mean, scale, coef, intercept: float) -> np.ndarray:
    """A standardised logistic regression's probabilities for the rows of x: both stages, and
    stage 2's out-of-fold scoring while it is fitted (bot/news_stage.py), compute it this one way."""
    z = ((np.atleast_2d(x) - np.asarray(mean)) / np.asarray(scale)) @ np.asarray(coef) + intercept
    return 1.0 / (1.0 + np.exp(-z))


log = logging.getLogger(__name__)

FITTED = Path(__file__).resolve().parent / "fitted" / "scorer.json"


class ScorerError(RuntimeError):
    """The fitted file is missing or does not match the features this code computes."""


@dataclass(frozen=True)
class Scorer:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    cite_ratio: float
    embed_model: str
    path: str
    stage2: tuple[np.ndarray, np.ndarray, np.ndarray, float] | None = None  # mean, scale, coef, intercept
    max_citations: int = 1  # most sentences an answer quotes (fitted: bot/news_stage.py citation_cap)
    adapter: np.ndarray | None = None  # the question adapter W (bot/adapter.py), for the `adapted` feature

    def adapt(self, q: np.ndarray) -> np.ndarray:
        """W q, re-normalised (q itself without an adapter): cos(W q, s) is then a dot product."""
        return adapt(self.adapter, q)

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Stage 1: P(answers) for each row of x (FEATURES columns), from the sentence alone."""
        return standard_logistic(x, self.mean, self.scale, self.coef, self.intercept)

    def final(self, x: np.ndarray, headline: np.ndarray) -> np.ndarray:
        """The calibrated probability the engine uses: stage 2 over stage 1, the sentences'
        headline flags (stage 1 alone when the file has no stage 2)."""
        p1 = self.proba(x)
        if self.stage2 is None:
            return p1
        return standard_logistic(news_rows(p1, headline, x), *self.stage2)

    def model_notice(self, identity: str) -> str | None:
        """A one-line warning when the engine embeds with another model than the scorer was
        fitted with: its dense feature then means something else until `make train` refits."""
        if identity == self.embed_model:
            return None
        return (f"the answer scorer ({self.path}) was fitted with embedding model {self.embed_model!r}, "
                f"but this index uses {identity!r}; run `make train` to refit it for this model")


def load(path: Path | str = FITTED) -> Scorer:
    p = Path(path)
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ScorerError(f"cannot read the fitted scorer {p}: {e}; run `make train`") from None
    if tuple(d.get("features", ())) != FEATURES:
        raise ScorerError(f"{p} was fitted on other features than this code computes; run `make train`")
    s2 = d.get("stage2")
    if s2 is not None and tuple(s2.get("features", ())) != NEWS_FEATURES:
        raise ScorerError(f"{p}: its second stage reads other features than this code computes; run `make train`")
    # The question adapter (bot/adapter.py) beside the file, checked against the checksum it was fitted with.
    ap = p.parent / (d.get("adapter") or {}).get("file", "adapter.npz")
    if not ap.exists() or hashlib.sha256(ap.read_bytes()).hexdigest() != (d.get("adapter") or {}).get("sha256"):
        raise ScorerError(f"{p}: its question adapter {ap} is missing or not the one it was fitted with; run `make train`")
    adapter = load_adapter(ap).w
    stage2 = None if s2 is None else (np.asarray(s2["mean"], float), np.asarray(s2["scale"], float),
                                      np.asarray(s2["coef"], float), float(s2["intercept"]))
    return Scorer(np.asarray(d["mean"], float), np.asarray(d["scale"], float), np.asarray(d["coef"], float),
                  float(d["intercept"]), float(d["threshold"]), float(d["cite_ratio"]),
                  str(d.get("embed_model", "")), str(p), stage2, int(d.get("max_citations", 1)), adapter)


@lru_cache(maxsize=4)
def cached(path: str = str(FITTED)) -> Scorer:
    return load(path)
