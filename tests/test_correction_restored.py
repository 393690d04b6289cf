"""A restriction lifted without a lifting verb (`ingest/corrections/polarity.py`, "restored";
detector 6): a claim that something was blocked, suspended, banned or closed is
overtaken when a later statement says it can be done, or holds, again — read from the words around
"again", which must name what the claim restricted. An act repeated ("scored again"), the
restriction repeated ("blocked again"), a negated "again" and another subject link nothing. All
examples are invented."""

from __future__ import annotations

import pytest

from tests.test_correction_precision import _across

RESTORED = [
    ("Valdoria blocked access to the Tessel encyclopedia on Saturday.",
     "Readers in Valdoria could open the Tessel encyclopedia again on Thursday evening."),
    ("The Continental Games Council suspended Norland's national committee on Tuesday.",
     "Norland is a full member of the Continental Games Council again."),
    ("The Fen Union banned Kessel Rovers from European matches for two seasons.",
     "Kessel Rovers are allowed to play in European matches again, the Fen Union said."),
    ("The Harl Bridge is closed to lorries after inspectors found cracks in its deck.",
     "Lorries can once again cross the Harl Bridge, the county said on Friday."),
]

NOT_RESTORED = [
    # the restriction repeated
    ("Valdoria blocked access to the Tessel encyclopedia on Saturday.",
     "Valdoria blocked access to the Tessel encyclopedia again on Monday."),
    # an act repeated, not a state restored
    ("The Fen Union suspended Kessel Rovers' striker Ivo Marn for three matches.",
     "Ivo Marn scored again for Kessel Rovers on Saturday."),
    # "again" negated
    ("The Continental Games Council suspended Norland's national committee on Tuesday.",
     "Norland cannot be a member of the Continental Games Council again until it pays its fines."),
    # another subject: what the claim restricted is not named around "again"
    ("Valdoria blocked access to the Tessel encyclopedia on Saturday.",
     "Valdoria's parliament is open to visitors again after repairs."),
]


@pytest.mark.parametrize("claim,later", RESTORED)
def test_what_a_restriction_stopped_possible_again_supersedes_it(embedder, claim, later):
    links = _across(embedder, claim, later)
    assert [(lk.status, lk.family) for lk in links] == [("superseded", "status")], (claim, later)
    assert "again" in later and links[0].note.startswith("Overtaken by later events")


@pytest.mark.parametrize("claim,later", NOT_RESTORED)
def test_again_without_the_restriction_lifted_links_nothing(embedder, claim, later):
    assert _across(embedder, claim, later) == [], (claim, later)
