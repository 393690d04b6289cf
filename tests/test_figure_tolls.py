"""A death toll given anew overtakes the count a claim gave (detector 52, figure family).

Deaths are one quantity however a text counts them — people killed ("killed at least 87 people"),
people who died ("195 people had been killed"), or the toll given as a value ("the death toll … has
risen to 112", "bringing the number of dead to 50") — where the figure's unit was only the words
after it ("people on Monday" / "the provincial health office"), so the two never met. A later text
that gives the count anew ("has risen to", "officials now say") overtakes even a count the claim's
"at least" allowed: the claim was true when written, and a reader asking "how many died" must see
the newer toll (superseded, "figure now 112"); a toll lowered is a corrected figure. A count growing
in another story, with nothing saying it is the claim's count given anew, is still no revision, and
injuries are not deaths. Invented stories, scored with the real embedding model.
"""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.families import SURE, evidence
from ingest.corrections.measures import quantities


def _ev(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), None, 5, a_published="2020-03-02", b_published="2020-03-09")


TOLLS = [
    ("A car bomb in the centre of Kirkuk killed at least 87 people on Monday, police said.",
     "The death toll from Monday's car bombing in Kirkuk has risen to 112, the provincial health office said on Wednesday.",
     "superseded", "figure now 112"),
    ("The February freeze killed at least 57 people in Texas, state officials said.",
     "Texas health officials now say the February winter storm killed 111 people across the state.",
     "superseded", "figure now 111"),
    ("Officials said 195 people had been killed in the bombings in Colombo.",
     "Sri Lanka's health ministry lowered the death toll from the Colombo bombings to 174 on Sunday, saying some "
     "bodies had been counted twice.",
     "corrected", "figure corrected to 174"),
    ("The gunman killed 49 people at two mosques in Marrick on Friday.",
     "One of the wounded died in hospital on Saturday, bringing the number of dead in the Marrick attacks to 50.",
     "superseded", "figure now 50"),
]


@pytest.mark.parametrize("claim,later,status,phrase", TOLLS)
def test_a_toll_given_anew_overtakes_the_count(embedder, claim, later, status, phrase):
    ev = _ev(embedder, claim, later)
    assert ev is not None and ev.verdict == SURE and ev.family == "figure" and ev.status == status, ev
    assert ev.phrase == phrase


def test_deaths_are_one_quantity_however_counted():
    for text in ("A car bomb killed at least 87 people.", "87 people had been killed in the blast.",
                 "At least 87 people died.", "The death toll has risen to 87.", "bringing the number of dead to 87"):
        (q,) = quantities(text)
        assert "death" in q.unit and q.tally, text
    for text in ("More than 6,000 people were missing and presumed dead.", "Around 80 people are believed to have died."):
        assert "death" in quantities(text)[0].unit, text
    for text in ("The blast injured 87 people.", "The blast injured 87 people and 12 died.",
                 "The storm destroyed 300 homes and killed four people.", "12 hurt but none died"):
        assert "death" not in quantities(text)[0].unit, text


NOT_REVISED = [
    # Another attack in the same city, its own count: nothing says the claim's count was given anew.
    ("A car bomb in the centre of Kirkuk killed at least 87 people on Monday, police said.",
     "A suicide bomber killed 30 people at a market in Kirkuk on Friday, police said."),
    # Injuries are not deaths.
    ("A car bomb in the centre of Kirkuk killed at least 87 people on Monday, police said.",
     "The number of people injured in Monday's car bombing in Kirkuk has risen to 240, the health office said."),
    # The same count restated.
    ("The February freeze killed at least 57 people in Texas, state officials said.",
     "The February storm, which killed at least 57 people in Texas, left millions without power."),
]


@pytest.mark.parametrize("claim,later", NOT_REVISED)
def test_what_does_not_give_the_count_anew_links_nothing(embedder, claim, later):
    ev = _ev(embedder, claim, later)
    assert ev is None or ev.family != "figure", ev


def test_the_words_giving_the_count_anew_may_open_the_next_sentence(embedder):
    """"The Harlow mill fire killed 71 people …" then "The number is lower than the earlier estimate.":
    the second sentence says the count was given anew, so the claim's "around 75" is corrected; without
    it, 71 is within what "around 75" allowed."""
    a = ("Police said on Wednesday that around 75 people are believed to have died in the Harlow mill fire, though "
         "the final number may not be known for months.")
    b = "The Harlow mill fire killed 71 people, police said on Thursday, after all the victims were identified."
    v = embedder.embed([a, b])
    sim = float(np.dot(v[0], v[1]))
    ev = evidence(a, b, sim, [(3, "The number is lower than the earlier estimate.")], 2,
                  a_published="2017-06-29", b_published="2017-11-17")
    assert ev is not None and ev.verdict == SURE and ev.status == "corrected" and ev.phrase == "figure corrected to 71", ev
    assert evidence(a, b, sim, [(3, "Families gathered outside the mill on Friday.")], 2,
                    a_published="2017-06-29", b_published="2017-11-17") is None


def test_a_count_the_next_sentence_calls_far_off_is_corrected_not_overtaken(embedder):
    """A national toll given anew after a review ("… 180,764 people have died …" / "That is almost three
    times the number it had been reporting."): the first count was wrong, not merely overtaken."""
    a = "Norland has recorded about 69,000 deaths from the virus, according to the health ministry."
    b = ("Norland's government said on Monday that 180,764 people have died of the virus since the outbreak began, "
         "after a review of death certificates.")
    v = embedder.embed([a, b])
    ev = evidence(a, b, float(np.dot(v[0], v[1])), [(6, "That is almost three times the number it had been reporting.")], 5,
                  a_published="2021-05-29", b_published="2021-06-01")
    assert ev is not None and ev.verdict == SURE and ev.status == "corrected", ev


BAQUBAH = "A car bomb in the centre of Baqubah killed at least 45 people on Tuesday, police said."


@pytest.mark.parametrize("claim,later", [
    # Another count of the same people is no death toll (a reviewer's cases).
    (BAQUBAH, "Police in Baqubah now say 160 people were injured in Tuesday's car bombing."),
    ("The Ormoc flood killed at least 20 people, officials said.", "Officials in Ormoc now say 5,000 people have been displaced by the flood."),
    ("The Ranna ferry sinking killed at least 40 people, police said.", "Police now say 112 people survived the Ranna ferry sinking."),
    ("The Kerala landslide killed at least 20 people, officials said.", "The number of missing in the Kerala landslide has risen to 45, officials said."),
    # Another attack in the same city, placed on another day.
    (BAQUBAH, "The death toll from Thursday's suicide attack on a funeral in Baqubah has risen to 31, police said."),
    (BAQUBAH, "A suicide bomber killed 30 people at a market in Baqubah on Friday, police said."),
])
def test_a_count_of_something_else_or_another_day_revises_nothing(embedder, claim, later):
    ev = _ev(embedder, claim, later)
    assert ev is None or ev.family != "figure", ev


@pytest.mark.parametrize("claim,later,status", [
    # A lower count of the same event needs no cue word: the first count was wrong.
    ("At least 45 people died in the Baqubah car bombing on Tuesday, police said.",
     "The Baqubah car bombing on Tuesday killed 38 people, police said.", "corrected"),
    ("Officials said 195 people were killed in the Colombo bombings.",
     "The Colombo bombings killed 174 people, officials said.", "corrected"),
    # The commonest update wordings, and a toll phrase with a figure or an abbreviation inside it.
    ("The Ranna ferry sinking killed at least 40 people, police said.",
     "The death toll from the Ranna ferry sinking rose to 61, police said.", "superseded"),
    ("The Ranna ferry sinking killed at least 40 people, police said.",
     "The death toll from the Ranna ferry sinking has climbed to 61, police said.", "superseded"),
    ("Around 80 people are believed to have died in the Ranna ferry sinking, police said.",
     "The death toll from the Ranna ferry sinking has risen to 112, police said.", "superseded"),
    ("The 7.8-magnitude earthquake in Marash killed at least 300 people, officials said.",
     "The death toll from the 7.8-magnitude earthquake in Marash has risen to 1,200, officials said.", "superseded"),
])
def test_the_same_toll_given_again(embedder, claim, later, status):
    ev = _ev(embedder, claim, later)
    assert ev is not None and ev.verdict == SURE and ev.family == "figure" and ev.status == status, ev


@pytest.mark.parametrize("claim,later", [
    ("The air strike on the Norland Aid hospital in Varsk last month killed at least 30 people, the charity said on "
     "Thursday.",
     "Norland Aid now says 42 people died as a result of the attack on its Varsk trauma centre in October."),
    ("The mudslide in Tarrant last week killed at least 12 people, officials said on Monday.",
     "Tarrant officials now say 19 people died in the mudslide on March 3."),
])
def test_a_toll_given_anew_is_the_same_count_whatever_time_words_the_claim_uses(embedder, claim, later):
    """The claim dates its event relative to its own day ("last month", "last week"); the later count,
    given anew ("now says"), names no period of its own: one toll, overtaken (detector 54)."""
    ev = _ev(embedder, claim, later)
    assert ev is not None and ev.verdict == SURE and ev.family == "figure" and ev.status == "superseded", ev


def test_a_later_toll_of_its_own_period_is_another_count(embedder):
    ev = _ev(embedder, BAQUBAH, "The death toll from last month's bombing in Baqubah has risen to 31, police said.")
    assert ev is None or ev.family != "figure", ev

