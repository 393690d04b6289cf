"""A country's adjective names the country (ingest/corrections/demonyms.py): the detector and later
coverage compare names, and news writes one country both ways ("Australian barley" / "barley from
Australia"). Pairs are scored with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from bot.later_subject import same_subject
from ingest.corrections.demonyms import country_of
from ingest.corrections.families import SURE, evidence
from ingest.corrections.subject import names, shared_names


def test_adjective_and_plural_name_the_country():
    assert country_of("australian") == "australia" and country_of("australians") == "australia"
    assert country_of("filipinos") == "philippines" and country_of("swiss") == "switzerland"
    assert country_of("korean") == "" and country_of("harness") == ""  # shared by two countries; not an adjective
    assert "australia" in names("Australian barley growers can sell to China again.")
    # inside a proper name the adjective names that body, not the country
    assert "ethiopia" not in names("Ethiopian Airlines Flight 302 crashed after take-off.")
    assert "britain" not in names("He flew British Airways to Lagos.")


def test_subject_tests_meet_across_the_two_spellings():
    a = "China will impose duties of 80.5 percent on barley from Australia from Tuesday."
    b = "Australian barley growers can sell to their biggest former market without penalty."
    assert shared_names(a, b) == {"australia"}
    assert same_subject(a, b)
    # another country's adjective is another subject
    assert not same_subject("Flights to Peru remain suspended.", "Chilean flights resumed on Monday.")


def _ev(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), [], 5)


@pytest.mark.parametrize("claim,later,family", [
    ("Flights to Peru remain suspended after the eruption, the airline said.",
     "The airline resumed Peruvian flights on Monday.", "status"),
    ("The Kenyan government plans to build a railway to the border by 2025.",
     "Kenya has shelved the railway to the border, citing its cost.", "plan"),
    ("Fishing boats from Norway are barred from the bay while stocks recover.",
     "The ban on Norwegian fishing boats in the bay was lifted on Friday.", "status"),
])
def test_a_link_whose_only_shared_name_is_the_country(embedder, claim, later, family):
    ev = _ev(embedder, claim, later)
    assert ev is not None and ev.verdict == SURE and ev.family == family, ev


def test_another_countrys_adjective_links_nothing(embedder):
    assert _ev(embedder, "Flights to Peru remain suspended after the eruption, the airline said.",
               "The airline resumed Chilean flights on Monday.") is None
