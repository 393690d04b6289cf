"""A permission overtaken by a ban, and halts imposed without the word "suspended" (detector 56).
Invented stories, several phrasings each; pairs scored with the real model.

"Americans can still visit Kestovia legally" is a state, the reverse of a ban as "open" is of
"closed": a later ban imposed on the same thing ("approved a ban on travel by Americans to
Kestovia") ends it. A halt imposed by an event ("stopped all trains and flights out of the city",
"will halt all exports of wheat", "ordered a fresh halt to deepwater drilling") is a suspension that
a later permission ("people were allowed to leave the city by train") or the same activity possible
again ("may be drilled again") lifts. A claim kept out of something ("women will still be kept out of
infantry units") is a restriction a later end of the rule lifts; a country "under an emergency law"
is under a declared state. What does not end a permission: a ban on something else, a ban lifted,
a sanction unrelated to what the claim allows.
"""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections import signals as sg
from ingest.corrections.families import evidence

OVERTAKEN = [
    ("Americans can still visit Kestovia legally, though the department strongly warns against it.",
     "Secretary of State Ana Ruiz has approved a ban on travel by Americans to Kestovia, which takes effect next month."),
    ("Fishing boats are still allowed to work the Dogger Reach, the ministry said.",
     "Fishing boats were banned from the Dogger Reach on Monday after cod stocks collapsed."),
    ("Selling raw milk is legal in Varnia, and farm shops do a brisk trade in it.",
     "Varnia's parliament passed a ban on the sale of raw milk on Thursday."),
    ("Tolmar Air stopped all flights out of Ostend from 10 am on Thursday.",
     "Passengers were allowed to fly out of Ostend with Tolmar Air again on Wednesday, after 40 days."),
    ("Interior Secretary Dana Hale ordered a fresh halt to deepwater drilling in the Gulf of Arden until May.",
     "Deepwater wells in the Gulf of Arden may be drilled again."),
    ("Women will still be kept out of infantry units in the Norland army.",
     "Norland's defence minister ended the rule that kept women out of infantry units in the Norland army."),
]

NOT_OVERTAKEN = [
    # a ban on something else
    ("Americans can still visit Kestovia legally, though the department strongly warns against it.",
     "Kestovia has banned imports of American poultry."),
    # a ban lifted is no ban imposed
    ("Fishing boats are still allowed to work the Dogger Reach, the ministry said.",
     "The ban on trawling in the Solent was lifted on Monday."),
    # a person banned from one thing keeps another right
    ("Marta Lind can still appeal against the ruling, her lawyer said.",
     "Marta Lind was banned from competing for two years on Friday."),
    # staff allowed to do something else after a suspension of people
    ("Two Kessel Bank employees have been suspended.",
     "Last year Kessel Bank customers were allowed to open accounts online for the first time."),
    # a halt called for is not imposed
    ("Trains are running normally between Ostend and Ghent, the operator said.",
     "The unions called for a halt to the fighting in Ostend."),
]

HALTS = ["Wuhan stopped all trains and flights out of the city from 10 am on Thursday.",
         "Russia will halt all exports of wheat and barley from August 15.",
         "Interior Secretary Dana Hale ordered a fresh halt to deepwater drilling until November 30."]
NO_HALT = ["The bus stopped all the way along the coast road.", "Rebels called for a halt to the shelling.",
           "The storm stopped all day long over the bay."]


def _ev(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), a_published="2015-01-05", b_published="2016-03-01")


@pytest.mark.parametrize("claim,later", OVERTAKEN)
def test_a_later_ban_or_permission_overtakes_the_state(embedder, claim, later):
    ev = _ev(embedder, claim, later)
    assert ev is not None and ev.family == "status" and ev.status == "superseded", ev


@pytest.mark.parametrize("claim,later", NOT_OVERTAKEN)
def test_a_ban_on_another_thing_or_lifted_overtakes_nothing(embedder, claim, later):
    ev = _ev(embedder, claim, later)
    assert ev is None or ev.family != "status", ev


@pytest.mark.parametrize("text", HALTS)
def test_a_halt_imposed_is_a_suspension(text):
    assert "suspended" in sg.signals(text).states


@pytest.mark.parametrize("text", NO_HALT)
def test_ordinary_words_impose_no_halt(text):
    assert "suspended" not in sg.signals(text).states


def test_permission_read_only_when_affirmed():
    assert "allowed" in sg.signals("Tourists can still visit the island.").states
    assert "allowed" not in sg.signals("Tourists can still not visit the island.").states
    assert "declared" in sg.signals("Syria has been governed under an emergency law since 1963.").states
    assert "declared" in sg.signals("Parliament voted on Monday to impose martial law for 30 days.").states
