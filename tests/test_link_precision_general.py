"""Detector 8: a link needs the claim's own proposition, not only its subject (`ingest/corrections/
scope.py`). Each rule has invented phrasings that must not flag, beside the close phrasings that
still must (so a rule that silenced a family would fail here), and the status rules their superseded
and corrected sides. Real model; the upgrade of a detector-7 index is tested on spent real data."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.detect import Row, detect_across
from ingest.corrections.families import SURE, evidence
from ingest.corrections.scope import event_verb, modal_mismatch, narrower_denial, now_figure, places
from ingest.corrections.story import Stories
from ingest.records import SourceRecord


def _rows(embedder, source: str, texts: list[str], published: str) -> list[Row]:
    vecs = embedder.embed(texts)
    return [Row(id=f"{source}#{i}", source=source, index=i, start=0, end=len(t), text=t, vector=v, published=published)
            for i, (t, v) in enumerate(zip(texts, vecs))]


def _links(embedder, claim: str, later: list[str], headline: str = "Later") -> list:
    """Links (not candidates) from one earlier sentence to a later source, with the one-story gate
    and the later source's headline, as relinking runs them."""
    a = _rows(embedder, "old", [claim], "2019-03-01")
    b = _rows(embedder, "new", later, "2019-09-01")
    recs = {"old": SourceRecord("old", publisher="Test", published="2019-03-01", title="Earlier"),
            "new": SourceRecord("new", publisher="Test", published="2019-09-01", title=headline)}
    by_src = {"old": a, "new": b}
    gate = Stories(by_src.__getitem__, lambda sid: recs[sid].title)
    return [lk for lk in detect_across(a, b, recs, story=gate) if lk.status != "candidate"]


def _sure(embedder, a: str, b: str):
    v = embedder.embed([a, b])
    ev = evidence(a, b, float(np.dot(v[0], v[1])), None, 5, a_published="2019-03-01", b_published="2019-09-01")
    return ev if ev is not None and ev.verdict == SURE else None


# --- a denial of something narrower than the claim ----------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("The inspector, Dana Holt, was overseeing a review of absentee ballot signatures in Marlow County.",
     "The Marlow County signature review, finished in May, turned up no fraudulent ballots."),
    ("Engineers from Ardent Rail were inspecting the bridge bearings on the Kessel viaduct.",
     "The Kessel viaduct inspection found no cracked bearings."),
    ("Auditors at Pellham Bank were checking the loan files of its Oslo branch.",
     "The audit of Pellham Bank's Oslo branch found no forged loan files."),
])
def test_a_denial_qualified_beyond_the_claim_links_nothing(embedder, a, b):
    assert _sure(embedder, a, b) is None


@pytest.mark.parametrize("a,b", [
    ("Voters in Marlow County cast fraudulent ballots, the Hale campaign said.",
     "The Marlow County review turned up no fraudulent ballots, the state's election board said."),
    ("Ardent Rail found cracked bearings on the Kessel viaduct, its engineers said.",
     "There were no cracked bearings on the Kessel viaduct, the national rail inspectorate said."),
])
def test_a_denial_of_what_the_claim_says_still_links(embedder, a, b):
    ev = _sure(embedder, a, b)
    assert ev is not None and ev.family == "negation", ev


def test_narrower_denial_reads_grammar():
    point = {"ballot"}
    assert narrower_denial("a review of ballot signatures", "no fraudulent ballots", 0, point)
    assert not narrower_denial("fraudulent ballots were cast", "no fraudulent ballots", 0, point)
    assert not narrower_denial("a review of ballots", "no evidence of ballots", 0, point)  # a head noun, not a qualifier
    assert not narrower_denial("a review of ballots", "not ballots", 0, point)


# --- a count of another act, or beyond someone named --------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Bombs tore through three trains in Castora on Thursday, killing nearly 200 people.",
     "A Castora court convicted 21 people on Wednesday over the train bombings."),
    ("The Harlow factory fire injured about 60 workers, officials said.",
     "Harlow prosecutors charged 4 workers over the factory fire."),
    ("Floods in the Veldt valley displaced around 5,000 families last week.",
     "The Veldt valley council rehoused 300 families after the floods."),
])
def test_counts_of_two_acts_are_two_quantities(embedder, a, b):
    assert _sure(embedder, a, b) is None


@pytest.mark.parametrize("a,b", [
    ("He said three of its leaders, among them Omar Vance, would also be placed under sanctions.",
     "The sanctions on Omar Vance and two other leaders remain in place."),
    ("Police said four of the suspects, including Lena Ruud, were arrested in Tromsø.",
     "Lena Ruud and three other suspects were arrested in Tromsø, police said."),
    ("Rescuers found 12 bodies in the Arlen mine on Monday.",
     "Rescuers found three more bodies in the Arlen mine on Tuesday."),
])
def test_a_count_beyond_someone_named_is_no_total(embedder, a, b):
    assert _sure(embedder, a, b) is None


def test_the_same_count_revised_still_links(embedder):
    ev = _sure(embedder, "Bombs tore through three trains in Castora, killing nearly 200 people.",
               "The Castora bombings killed 141 people, the interior ministry said in its final count.")
    assert ev is not None and ev.family == "figure", ev
    assert event_verb("A court convicted 21 people", len("A court convicted ")) == "convict"
    assert event_verb("The examiner now counts 2,749 people", len("The examiner now counts ")) == ""
    assert event_verb("an estimated 3,000 people", len("an estimated ")) == ""
    assert event_verb("The storm left 141 people dead", len("The storm left ")) == ""  # a result, not an act
    ev = _sure(embedder, "The Kessel storm killed nearly 300 people, officials said.",
               "The Kessel storm left 141 people dead, the final count showed.")
    assert ev is not None and ev.family == "figure", ev


# --- a possibility ended is not a record undone ---------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("More than 13,000 service members have been discharged under the policy since 1993.",
     "Service members can no longer be discharged for saying they are gay."),
    ("About 400 tenants have been evicted under the Harlow rule since 2015.",
     "Tenants can no longer be evicted under the Harlow rule."),
    ("Some 2,000 drivers were fined under the Kessel speed law last year.",
     "Drivers can no longer be fined under the Kessel speed law, the court ruled."),
])
def test_a_rule_ended_leaves_the_record_of_what_happened(embedder, a, b):
    assert _sure(embedder, a, b) is None


def test_a_possibility_ended_still_overtakes_the_possibility(embedder):
    ev = _sure(embedder, "Until then, tenants can still be evicted under the Harlow rule.",
               "Tenants can no longer be evicted under the Harlow rule.")
    assert ev is not None and ev.status == "superseded", ev
    assert modal_mismatch("13,000 have been discharged", "can no longer be discharged", frozenset({"discharg"}))
    assert not modal_mismatch("can still be discharged", "can no longer be discharged", frozenset({"discharg"}))


# --- a state ended somewhere else ----------------------------------------------------------------

@pytest.mark.parametrize("claim,later,headline", [
    ("Vidstream has restricted access to the film in Egypt, Libya and India.",
     ["People in Pakistan can watch Vidstream again after three years."], "Vidstream Back in Pakistan"),
    ("Ardent Air has suspended its flights in Norway and Sweden.",
     ["Ardent Air resumed its flights in Finland on Monday."], "Ardent Air Flies Again in Finland"),
    ("The Kessel bank froze the accounts of its customers in Latvia and Estonia.",
     ["The Kessel bank unfroze the accounts of its customers in Lithuania."], "Kessel Bank Unfreezes Lithuanian Accounts"),
])
def test_a_state_ended_in_other_places_is_another_state(embedder, claim, later, headline):
    assert _links(embedder, claim, later, headline) == []


def test_a_state_ended_in_the_same_place_still_links(embedder):
    links = _links(embedder, "Ardent Air has suspended its flights in Norway and Sweden.",
                   ["Ardent Air resumed its flights in Norway on Monday."], "Ardent Air Flies Again in Norway")
    assert [lk.status for lk in links] == ["superseded"], links
    assert places("restricted in Egypt, Libya and India on Monday") == {("egypt",), ("libya",), ("india",)}


# --- what changed, by tense and by who set the figure ---------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("The Vox console will have to connect to the internet once a day, Arcturus said on Thursday.",
     "Vox console owners will not need an internet connection to play offline, Arcturus said on Wednesday."),
    ("The Kessel bridge will close to traffic for repairs in June, the council said.",
     "The Kessel bridge will not close to traffic in June after all, the council said."),
    ("Members will have to pay a $5 monthly fee, Halden Bank said.",
     "Halden Bank members will not pay a monthly fee, the bank said on Friday."),
])
def test_a_future_claim_said_later_not_to_happen_is_superseded(embedder, a, b):
    ev = _sure(embedder, a, b)
    assert ev is not None and ev.status == "superseded", ev


@pytest.mark.parametrize("b,superseded", [
    ("The Commerce Office now says the economy contracted at a 6.2 percent annual rate.", True),
    ("The appeals court on Tuesday cut Lena Ruud's doping ban to 15 months.", True),
    ("The board reduced the Harlow fine to $2 million on appeal.", True),
    ("Vantor has cut its count of users to 326 million.", False),
    ("The ministry raised its death toll from the storm to 2,975.", False),
    ("The office now says the figure was incorrectly reported.", False),
])
def test_a_figure_set_anew_supersedes_and_a_recount_corrects(b, superseded):
    assert now_figure(b) is superseded


# --- an index built by detector 7 upgrades without re-embedding -----------------------------------

def test_detector_8_unflags_a_record_an_index_of_detector_7_flagged(tmp_path, embedder):
    """The next ingest of an index detector 7 built (code of 39849f2) re-derives every link from the
    stored sentences and vectors (`ingest.migrations.relink_all`): nothing is re-embedded, the tally of
    discharges detector 7 flagged is no longer flagged, and the rule it ended still is. Sources: the
    Don't Ask, Don't Tell episode of the spent real-world part heldout9."""
    from ingest.corrections import DETECTOR_VERSION
    from ingest.pipeline import Indexer
    from ingest.store import Store
    from tests.conftest import ROOT
    from tests.oldtree import index_with, tree_at, upgrade, vectors

    base = tree_at("39849f2", tmp_path / "previous")
    episode = ROOT / "data" / "eval" / "realworld" / "heldout9"
    s, folder = index_with(base, sorted(episode.glob("rw-dadt-*.md")), tmp_path)
    old = Store(s, fresh=True)
    assert old.manifest.detector_version() == 7

    def flagged(store) -> set[str]:
        links = store.all_links()
        return {t.text for t in store.get_sentences([lk.claim for lk in links]).values()}

    record = "More than 13,000 service members have been discharged under the policy since 1993."
    rule = "Until then, service members who disclose that they are gay can still be discharged."
    assert {record, rule} <= flagged(old)
    _, new = upgrade(s, folder, embedder, vectors(old))
    assert new.manifest.detector_version() == DETECTOR_VERSION >= 8
    assert rule in flagged(new) and record not in flagged(new)
    assert Indexer(s, embedder=embedder).ingest([str(folder)]).flagged == 0  # current: nothing recomputed


# --- a verb of lifting ends its own object -------------------------------------------------------

def _window_ev(embedder, a: str, b: str, neighbour: str):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), [(6, neighbour)], 5, a_published="2019-03-01",
                    b_published="2019-09-01")


@pytest.mark.parametrize("a,b,neighbour", [
    ("The Defence Office said Military Police had opened an investigation.",
     "The paper's owner, Halden Media, dismissed its editor, Tom Vale, the same day.",
     "Military Police are still looking into other complaints of abuse."),
    ("The council said Harlow Police had opened an investigation.",
     "The club's owner, Arden Group, dismissed its manager, Lena Ruud, on Friday.",
     "Harlow Police are still looking into the club's accounts."),
    ("The ministry said the Kessel Inspectorate had opened an investigation.",
     "The airline's parent, Vantor Holdings, dismissed its chief pilot, Omar Diaz, the same week.",
     "The Kessel Inspectorate is still looking into the airline's maintenance records."),
])
def test_a_lifting_verb_whose_object_is_someone_else_ends_nothing_of_the_claim(embedder, a, b, neighbour):
    ev = _window_ev(embedder, a, b, neighbour)
    assert ev is None or ev.kind != "status:lifted" or ev.verdict != SURE, ev


def test_a_lifting_verb_on_the_claims_state_still_links(embedder):
    ev = _sure(embedder, "Kessel police said they had opened an investigation into Arden Bank.",
               "Prosecutors dismissed the case against Arden Bank on Friday.")
    assert ev is not None and ev.kind == "status:lifted", ev
    ev = _sure(embedder, "Norland remains on the Harlow Task Force's grey list of countries under increased monitoring.",
               "The Harlow Task Force took Norland off its grey list at its plenary in Paris on Friday.")  # "in Paris": an adjunct
    assert ev is not None and ev.status == "superseded", ev


# --- the accused speaking through a lawyer or spokesperson is still the accused ----------------------

@pytest.mark.parametrize("a,b", [
    ("Harlow Bank laundered money for the Vantor cartel, prosecutors said.",
     "Harlow Bank's lawyer said the bank had never laundered money for the Vantor cartel."),
    ("Tom Vale took bribes from the Arden Group, the inquiry found.",
     "Tom Vale's attorney said he did not take bribes from the Arden Group."),
    ("Kessel Air falsified the maintenance logs of its jets, the regulator said.",
     "Kessel Air's chief executive said the airline had not falsified the maintenance logs of its jets."),
])
def test_a_denial_by_the_accuseds_representative_is_no_correction(embedder, a, b):
    assert _sure(embedder, a, b) is None


def test_a_third_partys_representative_still_corrects(embedder):
    ev = _sure(embedder, "Harlow Bank laundered money for the Vantor cartel, the Ledger reported.",
               "The Marlow prosecutors' spokesman said Harlow Bank had not laundered money for the Vantor cartel.")
    assert ev is not None and ev.family == "negation", ev
    from ingest.corrections.subject import attribution
    assert attribution("Acme's critics said the report was wrong.") == frozenset()  # critics do not speak for Acme


# --- a verb of ending ends its own object; a count is of its own act; a party's body speaks as it -------

@pytest.mark.parametrize("a,b", [
    ("Norland remains on the Harlow list of high-risk countries.",
     "Harlow removed Vantor from its list of high-risk countries; Norland stays on it."),
    ("Harlow has suspended flights to Vantor, the ministry said.",
     "Harlow lifted its suspension of flights to Kessel on Monday."),
    ("Marlow University has suspended its exchange programme with Arden College.",
     "Marlow University ended its suspension of the exchange programme with Kessel College."),
])
def test_ending_another_named_thing_ends_nothing_of_the_claim(embedder, a, b):
    assert _sure(embedder, a, b) is None


@pytest.mark.parametrize("a,b", [
    ("The Arden company employs about 5,000 people.", "The Arden company hired 300 people at its new plant."),
    ("Kessel Rail carries about 40,000 passengers on its busiest lines.", "Kessel Rail stranded 2,000 passengers on its busiest lines."),
    ("The Harlow clinic treats about 900 patients from Marlow.", "The Harlow clinic turned away 120 patients from Marlow."),
])
def test_a_present_count_and_another_act_are_two_quantities(embedder, a, b):
    assert _sure(embedder, a, b) is None


@pytest.mark.parametrize("a,b", [
    ("Kessel troops massacred villagers in Arden, witnesses told Human Rights Watch.",
     "The Kessel army said its troops had not harmed any villagers in Arden."),
    ("Vantor forces shelled the hospital in Arden, the United Nations said.",
     "The Vantor government said its forces had not shelled the hospital in Arden."),
    ("Harlow Mining polluted the Kessel river, villagers said.",
     "The Harlow Mining company denied that it had polluted the Kessel river."),
])
def test_a_denial_by_the_accused_partys_own_body_is_no_correction(embedder, a, b):
    assert _sure(embedder, a, b) is None


def test_an_inquiry_still_corrects_and_a_figure_still_revises(embedder):
    ev = _sure(embedder, "Kessel troops massacred villagers in Arden, a witness said.",
               "A United Nations inquiry said Kessel troops had not harmed any villagers in Arden.")
    assert ev is not None and ev.family == "negation", ev
    ev = _sure(embedder, "The Arden company employs about 5,000 people.", "The Arden company employs 3,100 people.")
    assert ev is not None and ev.family == "figure", ev
