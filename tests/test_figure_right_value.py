"""A correction notice corrects the statement that gave the wrong figure, not one whose figure the
notice gives as the right value (detector 55; after a clause saying what was wrongly stated, detector 56). "The old mark of 9.77 was set by Asafa Powell" agrees
with "Gatlin's time … should have been rounded up to 9.77"; "Acme has 169,000 employees" is corrected
by "incorrectly stated that Acme has 169,000 employees; it has about 180,000". Invented stories but
the first, scored with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.families import _given_as_right, evidence


def _ev(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), None, 5, a_published="2006-05-13", b_published="2006-05-18")


@pytest.mark.parametrize("claim,later", [
    ("The old mark of 9.77 was set by Asafa Powell of Jamaica in Athens last June.",
     "Justin Gatlin's time in Qatar last week was 9.766 seconds, which under the rules should have been rounded up "
     "to 9.77, the timekeeper Tissot said on Wednesday."),
    ("Norland's harvest was 4.1 million tonnes in 2019, the ministry said.",
     "The ministry incorrectly gave Norland's 2019 harvest as 3.2 million tonnes; the correct figure is 4.1 million."),
    # the right value after the clause saying what was wrongly stated, in any words (detector 56)
    ("The Dunmore plant employs 5,000 people, the company said.",
     "An earlier version of this story incorrectly stated that the Dunmore plant employs 500 workers; it employs 5,000."),
    ("The Tarn Bridge cost $41 million to build, the county said.",
     "A story on Monday wrongly reported that the Tarn Bridge cost $14 million: it cost $41 million."),
])
def test_a_notice_giving_the_claims_figure_as_right_does_not_correct_it(embedder, claim, later):
    ev = _ev(embedder, claim, later)
    assert ev is None or ev.family != "figure", ev


def test_a_notice_quoting_the_claims_figure_as_wrong_still_corrects_it(embedder):
    ev = _ev(embedder, "Acme has 169,000 employees, the company said.",
             "An earlier story incorrectly stated that Acme has 169,000 employees; it has about 180,000.")
    assert ev is not None and ev.family == "figure" and ev.status == "corrected", ev


def test_where_a_figure_stands_as_the_right_value():
    b = "The time should have been rounded up to 9.77, and the correct figure is 4.1 million; it was revised to $20."
    assert _given_as_right(b, ["9.77"]) and _given_as_right(b, ["4.1 million"]) and _given_as_right(b, ["$20"])
    assert not _given_as_right("An earlier story incorrectly stated 169,000; it has about 180,000.", ["169,000"])
    assert not _given_as_right(b, [])
    # after the wrongly-stated clause, the right value; inside it, the wrong one
    notice = "An earlier version incorrectly stated that the plant employs 500 workers; it employs 5,000."
    assert _given_as_right(notice, ["5,000"]) and not _given_as_right(notice, ["500"])
