"""Detector 30: a year after a bare "from" is when something began, not the value a change started
from (`ingest/corrections/measures.py` `from_figures`). "The old rule dated from 1983" restates when a
rule was adopted and overturns no figure; "revised from 1983" and "down from $4.5 billion" still give
the value a change started from. Invented phrasings, real model."""

from __future__ import annotations

import numpy as np
import pytest

import ingest.corrections.signals  # noqa: F401  (the package's import order: signals before measures)
from ingest.corrections.families import evidence
from ingest.corrections.measures import from_figures


def _ev(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), None, 3, a_published="2010-06-12", b_published="2015-12-22")


@pytest.mark.parametrize("a,b", [
    ("The rule was adopted in 1983, early in the AIDS epidemic.",
     "The old rule dated from 1983, when little was known about the virus that causes AIDS."),
])
def test_a_year_something_began_in_is_no_old_value(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev is None or ev.kind != "figure:old_value", ev


def test_a_value_a_change_started_from_still_is_one():
    assert [v for v, _ in from_figures("Revenue fell to $3 billion, down from $4.5 billion.")] == [4.5e9]
    assert [v for v, _ in from_figures("The count was revised from 1983 to 2010.")] == [1983.0]
    assert [v for v, _ in from_figures("It raised its estimate to 8.0 from 7.9.")] == [7.9]
    assert from_figures("The old rule dated from 1983, when little was known.") == ()
    assert from_figures("From 2001 to 2005 the plant was closed.") == ()


def test_the_old_value_evidence_still_links_a_moved_figure(embedder):
    ev = _ev(embedder, "Orland Mining valued the Pellham stake at $4.5 billion.",
             "Orland Mining now values the Pellham stake at nothing, down from the $4.5 billion it estimated.")
    assert ev is not None and ev.kind.startswith("figure"), ev
