"""Halts imposed without the word "suspended", and the states a declaration or a ban leaves (detector 56).
Invented stories; pairs scored with the real model.

A halt imposed by an event ("stopped all trains and flights out of the city", "will halt all exports of
wheat", "ordered a fresh halt to deepwater drilling") is a suspension: people later allowed to do what was
stopped ("were allowed to leave the city by train") or the activity possible again ("may be drilled
again") lift it. Someone suspended is not reinstated by others being allowed to do something else, and a
goalkeeper stopping all three penalties halts nothing. A country "under an emergency law" is under a
declared state, and so is one whose parliament "voted to impose martial law"; a threat or a refusal to
impose it declares nothing.
"""

from __future__ import annotations

import pytest

from ingest.corrections import signals as sg

LIFTED = [
    ("Tolmar stopped all trains and flights out of the city from 10 am on Thursday.",
     "After 40 days, people in Tolmar were allowed to leave the city by train, plane and road on Wednesday."),
    ("Interior Secretary Dana Hale ordered a fresh halt to deepwater drilling in the Gulf of Arden until May.",
     "Deepwater wells in the Gulf of Arden may be drilled again."),
]

NOT_LIFTED = [
    # a person suspended; others allowed to do something else
    ("Two Kessel Bank employees have been suspended.",
     "Last year Kessel Bank customers were allowed to open accounts online for the first time."),
    # what people may do is not what was stopped
    ("Tolmar stopped all flights to Ostend on Thursday.",
     "Tolmar residents were allowed to vote by post in the city election."),
]

HALTS = ["Wuhan stopped all trains and flights out of the city from 10 am on Thursday.",
         "Russia will halt all exports of wheat and barley from August 15.",
         "Interior Secretary Dana Hale ordered a fresh halt to deepwater drilling until November 30."]
NO_HALT = ["The bus stopped all the way along the coast road.", "Rebels called for a halt to the shelling.",
           "The goalkeeper stopped all three penalties in the shoot-out.", "The storm stopped all day long over the bay."]


@pytest.mark.parametrize("claim,later,lifted", [(*p, True) for p in LIFTED] + [(*p, False) for p in NOT_LIFTED])
def test_only_what_was_halted_possible_again_lifts_the_halt(pair_evidence, claim, later, lifted):
    ev = pair_evidence(claim, later)
    if lifted:
        assert ev is not None and ev.family == "status" and ev.status == "superseded", ev
    else:
        assert ev is None or ev.family != "status", ev


@pytest.mark.parametrize("text,halt", [(t, True) for t in HALTS] + [(t, False) for t in NO_HALT])
def test_a_halt_imposed_is_a_suspension_and_ordinary_words_none(text, halt):
    assert ("suspended" in sg.signals(text).states) == halt


def test_declared_states():
    assert "declared" in sg.signals("Syria has been governed under an emergency law since 1963.").states
    assert "declared" in sg.signals("Parliament voted on Monday to impose martial law for 30 days.").states
    for text in ("The president threatened to impose martial law in Calder province.",
                 "The mayor said the city will not impose a curfew."):
        assert "declared" not in sg.signals(text).states, text
