"""Detector 31: two figures dated to different years are two quantities (`ingest/corrections/families.py`
`_other_years`): a company's revenue "last year" told in a 2018 story and "last year" in a 2019 one, or
a 2016 toll and a 2017 toll, link nothing; the same year's figure given anew still does. Invented
phrasings, real model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.families import evidence
from ingest.dates import period_years


def _ev(embedder, a: str, b: str, a_pub: str, b_pub: str, a_before: str = ""):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), [], 3, a_before=a_before, a_published=a_pub, b_published=b_pub)


def test_period_years_reads_relative_years_against_the_source_date():
    assert period_years("Revenue was $92 billion last year.", "2018-12-06") == {2017}
    assert period_years("Revenue rose to $107 billion last year.", "2019-05-17") == {2018}
    assert period_years("Exports fell 4 percent in 2016.", "") == {2016}
    assert period_years("Exports fell 4 percent.", "2016-03-01") == set()


@pytest.mark.parametrize("a,b,a_pub,b_pub", [
    ("Orland Mining had revenue of about $9.2 billion last year.",
     "Orland Mining's revenue rose to about $10.7 billion last year.", "2018-12-06", "2019-05-17"),
    ("Tarvia's exports grew by 4.1 percent in 2016, the trade ministry said.",
     "Tarvia's exports grew by 6.3 percent in 2017, the trade ministry said.", "2017-01-20", "2018-01-22"),
    ("The Halden festival drew 42,000 visitors this year, its organisers said.",
     "The Halden festival drew 51,000 visitors this year, its organisers said.", "2015-08-30", "2016-08-29"),
])
def test_figures_of_different_years_link_nothing(embedder, a, b, a_pub, b_pub):
    ev = _ev(embedder, a, b, a_pub, b_pub)
    assert ev is None or ev.family != "figure", ev


def test_the_same_years_figure_given_anew_still_links(embedder):
    ev = _ev(embedder, "Tarvia's exports grew by 4.1 percent in 2016, the trade ministry said.",
             "The trade ministry revised Tarvia's export growth for 2016 to 3.2 percent.", "2017-01-20", "2017-06-02")
    assert ev is not None and ev.family == "figure", ev
