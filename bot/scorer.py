"""The fitted answer scorer: loads bot/fitted/scorer.json (written by `python -m bot.train`) and
turns a feature row into a calibrated probability that the sentence answers the question.

The probability is the citation's `score`; the file's `threshold` decides whether to answer at all
(chosen on a validation split for a stated precision) and `cite_threshold` which further sentences
join the first. Nothing else here decides selection.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import FEATURES

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
    cite_threshold: float
    embed_model: str
    path: str

    def proba(self, x: np.ndarray) -> np.ndarray:
        """P(answers) for each row of x (FEATURES columns)."""
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

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
    return Scorer(np.asarray(d["mean"], float), np.asarray(d["scale"], float), np.asarray(d["coef"], float),
                  float(d["intercept"]), float(d["threshold"]), float(d["cite_threshold"]),
                  str(d.get("embed_model", "")), str(p))


@lru_cache(maxsize=4)
def cached(path: str = str(FITTED)) -> Scorer:
    return load(path)
