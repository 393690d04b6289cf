"""Correction links: which sentences a later statement withdrew, corrected or superseded.

A link needs the same subject, a later time and evidence from one *pattern family* (a general
linguistic pattern a reader would defend on any text): retraction of the claim or of the
document it is attributed to, explicit negation, an abandoned plan, a lifted or overtaken state
or listing (also spread over two consecutive sentences), a corrected figure, and corrections
inside one source ordered by wording or clock times. Embedding similarity ranks; it never
decides alone. Pairs the detector is unsure of are kept as candidates for an editor, whose
decisions (`corrections.yml`) every re-index replays.

Modules: `signals` (what one sentence's wording says), `subject` (same subject and point),
`families` (one pair, one family), `detect` (links within and across sources, notes),
`declared` (front-matter `corrects:`, merging origins), `review` (editor decisions),
`relink` (the entry point ingest calls).

Interface used by `ingest.pipeline` (keep stable): `Row`, `sentence_meta(text)`, `row(...)`,
`declared_links`, `DeclaredError`, `relink(store, affected, removed, warnings)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dates import is_later
from ..records import Sentence
from .declared import DeclaredError, declared_links, merge
from .detect import Row, detect_across, detect_within
from .relink import Judge, apply_decisions, relink
from .signals import CORRECTOR_CUES, FAMILIES, cue, signals


def sentence_meta(text: str) -> dict[str, Any]:
    """Per-sentence metadata stored at ingest: the cue relinking searches other sources by."""
    return {"cue": cue(text)}


feature_meta = sentence_meta  # the name ingest used before the package


def row(s: Sentence, vec: np.ndarray, published: str) -> Row:
    """A sentence being ingested, as the detector sees it."""
    return Row(id=s.id, source=s.source, index=s.index, text=s.text, vector=vec, published=published, cue=cue(s.text))


__all__ = ["CORRECTOR_CUES", "FAMILIES", "DeclaredError", "Judge", "Row", "apply_decisions", "declared_links", "detect_across",
           "detect_within", "feature_meta", "is_later", "merge", "relink", "row", "sentence_meta", "signals"]
