"""A plan overtaken when the planned thing itself is said not to come, and a ranking that is no
denial (detector 53). Invented stories, several phrasings each; pairs scored with the real model.

"The pipeline that was to carry gas … will not be built", "There will be no merger of A and B",
"the festival will not take place this year", "said the bid was over": each abandons an announced
plan without a verb of abandoning (scrapped, called off). A conditional ("without the loan the
bridge would not be built") abandons nothing. A sentence opening "No storm in the state's history
has caused more damage" ranks its subject first: it agrees with "the worst storm on record", it
does not deny it.
"""

from __future__ import annotations

import pytest

from ingest.corrections import signals as sg
from ingest.corrections.families import SURE

ABANDONED = [
    ("The Norvik pipeline will carry Baltic gas under the sea to Gdansk, with first deliveries due in 2016.",
     "The Norvik pipeline that was to carry Baltic gas to Gdansk will not be built, its owners said."),
    ("Harbor City plans to build a floating stadium on the waterfront by 2020.",
     "The floating stadium on Harbor City's waterfront will never be built, the council said on Monday."),
    ("Kestrel Foods agreed on Monday to buy Tamsin Dairies in a deal worth $2 billion.",
     "There will be no combined Kestrel Foods and Tamsin Dairies, the companies said."),
    ("The Lakeside Jazz Festival will return to Corran Park in July.",
     "The Lakeside Jazz Festival will not take place in Corran Park this year."),
    ("Velmar is weighing a bid for the Ostrava steelworks, people familiar with the matter said.",
     "Velmar's chief executive said the bid for the Ostrava steelworks was over."),
    # the offer pulled, the merger forbidden by those who must approve it, the agreement ended; a plan for a thing ("plans a jet") scrapped (detector 56)
    ("Kestrel Foods offered on Monday to combine with Tamsin Dairies in a 50-50 merger.",
     "Kestrel Foods pulled its offer for Tamsin Dairies late on Wednesday."),
    ("Velmar agreed on Tuesday to combine its rail business with Ostrava Works in a group Velmar will control.",
     "The competition authority forbade the merger of Velmar's rail business and Ostrava Works on Wednesday."),
    ("Harlow Insurance agreed on Friday to buy Cardew Health for $48 billion.",
     "Harlow Insurance told Cardew Health on Friday that it was ending their merger agreement."),
    ("Orbital Dynamics plans a jet called the Swift that would cross the Atlantic in four hours.",
     "Orbital Dynamics has scrapped the Swift, the fast jet it unveiled last year."),
]

NOT_ABANDONED = [
    # a conditional: nothing was decided
    ("Harbor City plans to build a floating stadium on the waterfront by 2020.",
     "Without a federal loan the floating stadium on Harbor City's waterfront would not be built, the mayor warned."),
    # "there will be no" about something other than the plan
    ("Kestrel Foods agreed on Monday to buy Tamsin Dairies in a deal worth $2 billion.",
     "There will be no job cuts at Tamsin Dairies, Kestrel Foods said."),
    ("Acme will merge with Tamsin Dairies and cut 500 jobs in the process.",
     "There will be no merger-related job cuts at Acme or Tamsin Dairies, the chief executive said."),
    # "over" a sum or a budget, not a bid ended
    ("Kestrel Foods offered $2 billion for Tamsin Dairies on Monday.",
     "Kestrel Foods' offer for Tamsin Dairies was over twice the dairy's market value, analysts said."),
    ("Harbor City plans to build a floating stadium on the waterfront by 2020.",
     "The Harbor City floating stadium project was over budget by $40 million before work began."),
    # what will not be made or come is no plan's end ("made redundant", "made public", "come cheap")
    ("Acme plans to close its Denver plant next year.",
     "Workers at Acme's Denver plant will not be made redundant, the company said, as they move to its Boulder site."),
    ("Acme agreed to buy Tamsin Dairies for an undisclosed sum.",
     "Terms of Acme's purchase of Tamsin Dairies will not be made public."),
    ("The government plans to build a high-speed rail line from London to Leeds.",
     "The high-speed rail line from London to Leeds will not come cheap, ministers conceded."),
    # a delay is not an abandonment
    ("Orbital Dynamics plans to launch its Vega rocket in January.",
     "The Vega rocket will not be launched before March because of a faulty valve, Orbital Dynamics said."),
]

NO_PLAN_CUE = ["Officers will not be held accountable for the raid.", "Such a breach will never happen again.",
               "The rules will not come into force until 2025.", "Talks will not take place until after the election.",
               "The deal is over $5 billion.", "There will be no joint statement after the Geneva talks.",
               "The old law prohibited the sale of alcohol on Sundays.", "Sales rose in the year ending in March.",
               "He pulled ahead of his rival in the final days before the election.",
               "Profit rose in the year ending in March, helped by the sale of its Calder unit.",
               "In the quarter ending June 30, Harlow's expansion slowed."]

RANKINGS = [
    ("At least 31 people have died in the Ridge Fire in Alder County, equalling the worst toll from any wildfire in "
     "the state's history.",
     "No wildfire in the state's history has killed more people."),
    ("Hurricane Delia is the strongest storm to hit Carova in a decade.",
     "No storm in Carova's history has caused more damage than Hurricane Delia."),
    ("Brazil's seven goals were the most scored by a side in a World Cup final.",
     "Never has a side scored more goals in a World Cup final than Brazil did on Sunday."),
]


@pytest.mark.parametrize("claim,later", ABANDONED)
def test_the_planned_thing_said_not_to_come_overtakes_the_plan(pair_evidence, claim, later):
    assert sg.PLAN in sg.signals(later).later
    ev = pair_evidence(claim, later)
    assert ev is not None and ev.family == "plan" and ev.status == "superseded", ev


def test_most_of_them_flag_on_their_own(pair_evidence):
    """Sure, not only candidates for an editor: the plan's own words recur in the later statement."""
    sure = [pair_evidence(a, b) for a, b in ABANDONED]
    assert sum(1 for e in sure if e is not None and e.verdict == SURE) >= 3, sure


@pytest.mark.parametrize("claim,later", NOT_ABANDONED)
def test_a_conditional_or_another_matter_abandons_nothing(pair_evidence, claim, later):
    ev = pair_evidence(claim, later)
    assert ev is None or ev.family != "plan", ev


@pytest.mark.parametrize("text", NO_PLAN_CUE)
def test_these_words_say_no_plan_ended(text):
    assert sg.PLAN not in sg.signals(text).later


def test_a_report_shown_false_stays_a_correction(pair_evidence):
    """The plan rule takes only a flip that is the abandoning itself: a party saying the reported deal
    was never agreed corrects the report, whatever else the sentence says will not come."""
    ev = pair_evidence("Reuters reported that Acme has agreed to buy Tamsin Dairies.",
                       "Acme has not agreed to buy Tamsin Dairies and there will be no deal, the company said.")
    assert ev is not None and ev.family == "negation" and ev.status == "corrected", ev


@pytest.mark.parametrize("claim,later", RANKINGS)
def test_a_ranking_opening_with_no_or_never_is_no_denial(pair_evidence, claim, later):
    assert not sg.signals(later).contrary
    assert pair_evidence(claim, later) is None


def test_a_real_denial_still_negates():
    """The ranking rule reads only "No/Never … has <verb> more": plain denials keep their negation."""
    for text in ("No, the Ferris Street bridge did not collapse.", "No one was killed in the blast, police said.",
                 "No more than 20 people have died, the ministry said.", "The drug has not been shown to cut deaths.",
                 "No charges were filed and he is no longer a suspect.",
                 "No evidence was found that the drug is more effective than a placebo.",
                 "No study has shown that the vaccine is less safe for children.",
                 "No injuries were reported and the fire is no longer a threat to homes."):
        assert sg.signals(text).contrary, text


def test_a_no_longer_after_an_opening_no_still_overtakes(pair_evidence):
    ev = pair_evidence("The Ridge Fire is threatening homes in Alder County.",
                       "No injuries were reported and the Ridge Fire is no longer a threat to homes in Alder County.")
    assert ev is not None and ev.verdict == SURE, ev
