"""Detector 31: two figures dated to different years are two quantities (`ingest/corrections/families.py`
`_other_years`): a company's revenue "last year" told in a 2018 story and "last year" in a 2019 one, or
a company's sales told alike a year apart, link nothing; the same year's figure given anew, a revision and a
correction notice still do. Invented
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
    ("Pellham Copper had sales of about $3.1 billion last year, the company said.",
     "Pellham Copper's sales rose to about $3.6 billion last year, the company said.", "2017-11-02", "2018-10-30"),
])
def test_figures_of_different_years_link_nothing(embedder, a, b, a_pub, b_pub):
    ev = _ev(embedder, a, b, a_pub, b_pub)
    assert ev is None or ev.family != "figure", ev


@pytest.mark.parametrize("a,b,a_pub,b_pub", [
    # another year beside the figure ("opened in 1987") is not the figure's year
    ("The Corvel plant, which opened in 1987, employs 4,000 workers, Orland Mining said.",
     "Orland Mining revised the number of workers at the Corvel plant to 3,200 this year.", "2010-05-01", "2011-05-01"),
    # a correction notice names the claim's figure as wrong, whatever year it reads "last year" as
    ("Orland Mining had revenue of about $9.2 billion last year, the company said.",
     "Correction: An article last week misstated Orland Mining's revenue last year. It was $8.1 billion, not "
     "$9.2 billion.", "2018-12-28", "2019-01-03"),
])
def test_a_revision_or_a_notice_still_links_whatever_years_stand_beside(embedder, a, b, a_pub, b_pub):
    ev = _ev(embedder, a, b, a_pub, b_pub)
    assert ev is not None and ev.family == "figure", ev


def test_the_same_years_figure_given_anew_still_links(embedder):
    ev = _ev(embedder, "Tarvia's exports grew by 4.1 percent in 2016, the trade ministry said.",
             "The trade ministry revised Tarvia's export growth for 2016 to 3.2 percent.", "2017-01-20", "2017-06-02")
    assert ev is not None and ev.family == "figure", ev
