"""Restated reversals (ingest/corrections/restate.py, reversals.py): the later statement gives the
claim's own words under an operator that reverses them — so the vocabulary comes from the claim,
not from a list fitted to one story. Each family on three or more invented phrasings, subjects
without any proper name (a species, a bridge, "the offer"), the window case, the claim's own
source taking it back whatever it calls it, and what must link nothing: a negated reversal, a
promise carried out, a denial by the accused, a third party's accusation against a denial, a
counted (not definite) subject, a tally that revises nothing. Pairs are scored with the real model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.families import SURE, UNSURE, evidence
from ingest.corrections.restate import polarity, reversal
from ingest.corrections.subject import topic_overlap


def _ev(embedder, a: str, b: str, window=None, b_index: int = 5, **dates):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), window, b_index, **dates)


# A state restated under "no longer", an ending verb, "released from", "from X to Y" — the state's
# words are the claim's own, never in any list ("listed as endangered", "house arrest", "museum").
STATUS = [
    ("The humpback whale is listed as endangered.",
     "The humpback whale is no longer listed as endangered, wildlife officials said on Monday."),
    ("The opposition leader remains under house arrest in the capital.",
     "The junta released the opposition leader from house arrest on Saturday."),
    ("The old cathedral remains a museum, a status it has held since 1931.",
     "The council annulled the 1931 decree that made the old cathedral a museum."),
    ("The Arden owl is classed as critically endangered by the Wildlife Trust.",
     "The Wildlife Trust moved the Arden owl from critically endangered to near threatened on Thursday."),
    ("The harbour ferry service remains suspended after the storm.",
     "The harbour ferry service is no longer suspended and sailings resumed at dawn."),
]
# A plan, offer or deal withdrawn or ended: the object restated ("its offer") or named ("Unilever").
PLAN = [
    ("Castor Foods made a $90 billion offer for Lindqvist Brands on Friday.",
     "Castor Foods withdrew its $90 billion offer for Lindqvist Brands on Sunday."),
    ("Halvorsen Energy said it looks forward to working toward an agreement with Brightline.",
     "Halvorsen Energy has dropped its pursuit of Brightline, two days after the approach became public."),
    ("The ministry's proposal to merge the two regional hospitals is expected to pass next month.",
     "The ministry abandoned the proposal to merge the regional hospitals after protests."),
]
# The same proposition negated, or a denial the party itself later affirms (an admission).
NEGATION = [
    ("Corporal Dane Whitby was killed by enemy fire when his convoy was ambushed, the army said.",
     "Corporal Dane Whitby was shot by his own unit, not by the enemy, the army said on Friday."),
    ("The cyclist Marco Sella said he has always insisted that he never used banned blood boosters.",
     "Marco Sella admitted in a radio interview that he had used banned blood boosters in every race he won."),
    ("Mayor Olsen said the water from the Tarn reservoir is safe to drink.",
     "The water from the Tarn reservoir is not safe to drink, Mayor Olsen's own inspectors found."),
]
# The claim's own source takes it back or revises it, whatever it calls what it published.
SOURCE = [
    ("Guards at the Kellen camp burned prisoners' letters, the Daily Meridian reported, citing one official.",
     "The Daily Meridian said on Monday that it was retracting the item about the Kellen camp after its source recanted."),
    ("Colonel Haas ordered the convoy to turn back, Channel Nine reported on Tuesday.",
     "Channel Nine has changed its account: its source now says Colonel Haas gave no such order."),
    ("The senator took the bribe in 2019, the Hartley Post reported, citing two aides.",
     "The Hartley Post retracted the story on Friday, saying the aides could not be located."),
]


# Subjects shown only by a shared common noun ("the humpback whale", "the harbour ferry service"):
# found, but since detector 5 (precision.py) kept for the editor as candidates, not flagged.
NOUN_SUBJECT = {STATUS[0][0], STATUS[1][0], STATUS[4][0], PLAN[2][0]}


def _verdict(ev, a: str) -> bool:
    if a in NOUN_SUBJECT:
        return ev.verdict == UNSURE and ev.basis == "noun" and "not a name" in ev.demoted
    return ev.verdict == SURE


@pytest.mark.parametrize("a,b", STATUS)
def test_a_state_restated_as_ended_supersedes_it(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev and _verdict(ev, a) and ev.family == "status" and ev.status == "superseded", ev


@pytest.mark.parametrize("a,b", PLAN)
def test_a_plan_or_offer_withdrawn_supersedes_it(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev and _verdict(ev, a) and ev.family == "plan" and ev.status == "superseded", ev


@pytest.mark.parametrize("a,b", NEGATION)
def test_a_proposition_negated_or_a_denial_admitted_is_corrected(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev and ev.verdict == SURE and ev.family == "negation" and ev.status == "corrected", ev


@pytest.mark.parametrize("a,b", SOURCE)
def test_the_claims_own_source_taking_it_back_corrects_it(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev and ev.verdict == SURE and ev.status == "corrected" and ev.family in ("retraction", "negation"), ev


def test_a_figure_restated_as_the_old_value_is_overtaken(embedder):
    ev = _ev(embedder, "The inventor Lena Marsh is worth $3.2 billion, according to Capital Weekly.",
             "Capital Weekly now values the fortune of Lena Marsh at nothing, down from the $3.2 billion it estimated.")
    assert ev and ev.verdict == SURE and ev.family == "figure" and ev.status == "superseded", ev


def test_a_periods_figure_is_revised_by_a_figure_for_the_same_period(embedder):
    a = "Norland's budget deficit will be 2.1 percent of gross domestic product this year, the ministry said."
    b = "Norland's new finance minister said this year's deficit will reach about 9.8 percent of GDP."
    ev = _ev(embedder, a, b, a_published="2009-01-31", b_published="2009-10-20")
    assert ev and ev.verdict == SURE and ev.family == "figure", ev
    # "this year" in stories of two different years is two periods: nothing is revised
    ev = _ev(embedder, a, b, a_published="2009-01-31", b_published="2012-10-20")
    assert ev is None or ev.family != "figure", ev


def test_window_case_entity_and_list_action_in_consecutive_sentences(embedder):
    a = "Varo Systems is not on the Commerce Department's entity list, the company said."
    b = "The newly added entities include Varo Systems and two of its suppliers."
    window = [(4, "The Commerce Department added 31 organizations to its entity list on Monday.")]
    ev = _ev(embedder, a, b, window)
    assert ev and ev.verdict == SURE and ev.family == "status" and ev.status == "superseded", ev


MUST_NOT_LINK = [
    # a negated ending asserts the state again
    ("The opposition leader remains under house arrest in the capital.",
     "The opposition leader has not been released from house arrest, her lawyer said."),
    ("The ban on Verano beef will stay in place.", "The court did not lift the ban on Verano beef on Friday."),
    # a promise carried out
    ("Governor Reyes has promised to revoke the mine's permit.", "Governor Reyes revoked the mine's permit on his first day."),
    ("The minister intends to remove Carvia from the list of high-risk countries.",
     "The minister took Carvia off the list of high-risk countries on Monday."),
    # a denial by the accused, and a third party's accusation against a denial
    ("Senator Hale took money from the Delmont lobby, the Hartley Post reported.",
     "Senator Hale said he never took money from the Delmont lobby."),
    ("The cyclist Marco Sella said he never used banned blood boosters.",
     "The anti-doping agency said Marco Sella used banned blood boosters throughout his career."),
    # counted, not definite: another set of members
    ("A further 40 countries were placed on a grey list after promising to change their rules.",
     "The task force took two countries off its grey list at its meeting on Friday."),
    # another one of the same kind: a different factory, a different company
    ("Kestrel Aerospace will close the Singapore factory; talks between Everline and Meridian Insurance stalled.",
     "Meridian Insurance said it has no plans to close the Nairobi factory."),
    ("Northgate Retail has since announced that it will close the Gdansk factory.",
     "Kestrel Aerospace said it has no plans to close the Gdansk factory."),
    # the same noun qualified as another one of it: a membership of another list, a factory elsewhere
    ("It is the first Carvian site on the World Heritage List.",
     "Meeting in Oslo on Tuesday, the World Heritage Committee judged that it no longer belongs among the sites in danger."),
    # no shared subject at all: another bridge
    ("The Kessler Road bridge remains closed to traffic.", "The Tower Street bridge reopened to traffic on Monday."),
    # a running tally within what the claim said revises nothing
    ("The outbreak has infected more than 5,000 people in Carrick, officials said.",
     "The outbreak has now infected 5,210 people in Carrick, officials said."),
    # a document described, not a finding of it, when the papers are withdrawn
    ("The lead author, Mira Tal, called them ZX cells.", "The journal has withdrawn both ZX cell papers."),
]


@pytest.mark.parametrize("a,b", MUST_NOT_LINK)
def test_must_not_link(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev is None or ev.verdict != SURE, ev


def test_operators_compose_and_take_their_words_from_the_claim():
    """Polarity is read per word: a negated ending asserts again; the words come from the claim."""
    pol = {st: p for st, p, _, _ in polarity("The leader has not been released from house arrest.")}
    assert pol["arrest"] == 0 and pol["hous"] == 0
    pol = {st: p for st, p, _, _ in polarity("The junta released the leader from house arrest.")}
    assert pol["arrest"] == 1
    a, b = "The Arden owl is listed as endangered.", "The Arden owl is no longer listed as endangered."
    rev = reversal(a, b, topic_overlap(a, b), True)
    assert rev and rev.kind == "no longer" and {"list", "endang"} <= rev.words
    # a noun qualified by a phrase the claim shares is the claim's own; by one it lacks, another one of it
    a3 = "Carvia is on the task force's list of high-risk countries."
    b3 = "Carvia is no longer on the list of high-risk countries, the task force said."
    assert reversal(a3, b3, topic_overlap(a3, b3), True)
    a4 = "Carvia is the largest producer on the list of high-risk countries."
    b4 = "Carvia is no longer among the producers in decline, the task force said."
    assert reversal(a4, b4, topic_overlap(a4, b4), True) is None
    # ... but a phrase that only refers back ("of the club") or an adjunct of a verb ("at any point") is the claim's own
    for a5, b5 in (("Tom Reed is the captain of Harlow United.", "Tom Reed is no longer captain of the club, Harlow United said."),
                   ("Carvia is a member of the Kessel Pact.", "Carvia is no longer a member of the alliance, the Kessel Pact said."),
                   ("The Kessel airport was closed on Monday.", "The Kessel airport was not closed at any point, officials said.")):
        assert reversal(a5, b5, topic_overlap(a5, b5), True), (a5, b5)
    # a word the claim does not state is never what is reversed
    a2 = "The Arden owl nests in old oaks."
    assert reversal(a2, b, topic_overlap(a2, b), True) is None
