"""Review of the tenth session's landings (scope.py, later coverage, relink CPU): each test is a
bug found in review, with invented text, failing before its fix."""

from __future__ import annotations

import ingest.corrections.signals  # noqa: F401  (loads the detector in its order: measures after signals)
from bot.later_within import same_measure
from ingest.corrections.measures import quantities
from ingest.corrections.phrases import polarity_flip
from ingest.corrections.scope import future_claim, modal_mismatch, narrower_denial


def test_modal_mismatch_finds_the_word_itself_not_a_word_containing_it():
    """The fined of "redefined" is not where "can no longer be fined" stands."""
    record = "Some 2,000 drivers were fined under the Kessel speed law last year."
    assert modal_mismatch(record, "Under the new law, drivers can no longer be fined.", frozenset({"fine", "driver"}))
    assert modal_mismatch(record, "Under the redefined law, drivers can no longer be fined.",
                          frozenset({"fine", "driver"}))
    assert not modal_mismatch(record, "Under the redefined law, drivers were not fined.", frozenset({"fine", "driver"}))


def test_no_such_is_the_claims_own_thing_not_a_narrower_one():
    """"no such ballots" refers back to the ballots the claim names: a denial of them."""
    a = "Investigators found fraudulent ballots in Marlow County."
    b = "Investigators found no such ballots in Marlow County."
    assert not narrower_denial(a, b, b.index("no such"), {"ballot"})
    assert polarity_flip(a, b, {"ballot", "fraudul", "investig"})[0]


def test_a_qualifier_the_claim_gives_too_is_not_narrower_even_a_stop_word():
    a = "Officials found other ballots in the county."
    b = "Officials found no other ballots in the county."
    assert not narrower_denial(a, b, b.index("no other"), {"ballot"})
    # still narrower when the claim does not give it
    assert narrower_denial("Officials found ballots in the county.", b, b.index("no other"), {"ballot"})


def test_will_as_a_name_or_a_noun_is_no_future_claim():
    assert future_claim("The Vox console will have to connect to the internet once a day.")
    assert future_claim("The bridge won't reopen before June.")
    assert not future_claim("Will Ferrell was arrested in Paris, police said.")
    assert not future_claim("The council acted against the will of the voters.")
    assert not future_claim("Her will left the house to the Harlow museum.")


def test_a_day_of_the_month_is_no_count_for_how_many():
    many = "How many people died in the Castora bombings?"
    cited = "The bombings killed 290 people, police said."
    assert not same_measure(many, cited, "The president addressed the nation on April 23.")
    assert not same_measure(many, cited, "On 23 April the president spoke at a memorial.")
    assert not same_measure(many, cited, "The memorial was held on Sept. 3rd in the capital.")
    assert same_measure(many, cited, "On April 25 officials said 253 people had died.")


def test_more_after_a_comma_is_no_count_beyond():
    """"killed 12, more than officials feared": 12 is the total; "more" begins another clause."""
    (q,) = quantities("The storm killed 12, more than officials had feared.")
    assert q.settled
    (q,) = quantities("Rescuers found three more bodies in the Arlen mine.")
    assert not q.settled


def test_a_pattern_armed_after_a_text_was_scanned_still_finds_it():
    """signals.py arms twice (its tables, then subject.py's attribution patterns): a text whose
    literals were read before the second arming must not keep the first reading."""
    import re

    from ingest.corrections import literals

    first = literals.Guarded(re.compile(r"\bzorblax\b"))
    literals.arm()
    text = "The Quorvent board announced zorblax on Monday."
    assert first.search(text)
    second = literals.Guarded(re.compile(r"\bQuorvent\b"))
    literals.arm()
    assert second.search(text) and [m.span() for m in second.finditer(text)] == [(4, 12)]


def test_an_attribution_after_an_opening_phrase_keeps_what_was_said():
    """"In a statement on Monday, the ministry said the ban … would be lifted": the comma closes an
    opening phrase, not the sentence; only a closing attribution ("…, the company said on Thursday.")
    is who said it."""
    from bot.later_subject import what_was_said

    assert "ban on Tessel ferries" in what_was_said(
        "In a statement on Monday, the ministry said the ban on Tessel ferries would be lifted in June.")
    assert "290 people" in what_was_said("On Sunday evening, police said 290 people had been killed.")
    assert "ban" in what_was_said("On Friday, the council said on its website that the ban ended.")
    for closing in ("Twitter had 328 million users, the company said on Thursday.",
                    "Twitter had 328 million users, the company said.",
                    "Twitter had 328 million users, Acme Corp. told reporters Friday.",
                    "Twitter had 328 million users, the company said in a statement late on Thursday."):
        assert what_was_said(closing) == "Twitter had 328 million users", closing


def test_a_name_made_of_a_title_word_is_still_a_shared_subject():
    """A title alone is no subject ("Vice President Al Gore" / "President Obama"), but a name written
    the same in both that holds one is ("the Justice Department", "King County")."""
    from bot.later_subject import same_subject

    assert same_subject("The Justice Department opened an inquiry into Acme.",
                        "On Friday the Justice Department closed the inquiry.")
    assert same_subject("King County banned the drug in 2019.", "King County lifted its ban.")
    assert same_subject("The Secretary of State resigned on Monday.", "A new Secretary of State was named.")
    assert not same_subject("Vice President Al Gore conceded the election.", "President Obama called the ruling a victory.")
    assert not same_subject("Prime Minister Theresa May resigned.", "Prime Minister Boris Johnson said he would stay.")


def test_each_verb_of_ending_reads_its_own_object_not_the_first_same_words():
    """Two "removed" in one sentence: the second ("removed Vantor from its blacklist") is read where it
    stands, not at the first ("removed Kessel from a list")."""
    from ingest.corrections.scope import ends_others
    from ingest.corrections.subject import names

    claim = names("Vantor is on the ministry's blacklist.")
    assert not ends_others("The ministry, which removed Kessel from a list in May, removed Vantor from its "
                           "blacklist on Friday.", claim)
    assert ends_others("The ministry removed Kessel from its blacklist on Friday.", claim)


def test_a_capitalised_name_in_s_before_a_figure_is_no_verb():
    from ingest.corrections.scope import event_verb

    assert event_verb("In Lagos 40 people were killed.", len("In Lagos ")) == ""
    assert event_verb("Floods in Kansas 12 people drowned.", len("Floods in Kansas ")) == ""
    assert event_verb("The firm employs 5,000 people.", len("The firm employs ")) == "employ"
