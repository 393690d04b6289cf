"""States at two times (ingest/corrections/polarity.py, measures.py): a later statement that puts
the same act, order, membership or figure in another state, worded through another event and
without the families' own cues — each mechanism on three phrasings of invented stories, the
guards that keep what is not a change out, and the story ordered by days of the week. Pairs are
scored with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.detect import Row, detect_within
from ingest.corrections.families import SURE, evidence


def _ev(embedder, a: str, b: str, window=None):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), window, 5)


REVERSED = [  # an act, then a decision reversing it
    ("Border officials cancelled Mara Linde's work permit on Tuesday.",
     "A tribunal quashed the cancellation of Mara Linde's work permit on Friday."),
    ("The Harlan council approved the Quarry Street tower in May.",
     "A judge set aside the approval of the Quarry Street tower, saying the Harlan council ignored its own rules."),
    ("The federation suspended the Ostrava striker Tomas Vell for six matches.",
     "An appeals panel overturned the suspension of Tomas Vell on Monday."),
]
DONE_AGAIN = [  # a reversal, then the act done again
    ("A tribunal quashed the cancellation of Mara Linde's work permit on Friday.",
     "The immigration minister cancelled Mara Linde's work permit again on Monday."),
    ("An appeals court overturned the ban on the Ridgeway protest march.",
     "The high court reinstated the ban on the Ridgeway protest march on Thursday."),
    ("The senate struck down the Tolliver fuel tax last week.",
     "The assembly reimposed the Tolliver fuel tax on Thursday."),
]
CONDITION = [  # a claim that holds unless something happens; then it happens
    ("Castell Bank keeps its licence unless regulators fine the bank for the data breach.",
     "Regulators fined Castell Bank $2 million for the data breach on Tuesday."),
    ("Ana Roca stays chief executive of Pellow unless the board fires her over the audit.",
     "The Pellow board fired Ana Roca over the audit on Friday."),
    ("The striker Jonas Elm stays at Varna United unless the club sells him this summer.",
     "Varna United sold Jonas Elm to a Spanish club this summer."),
]
PREVENTED = [  # a scheduled event, then its prevention
    ("The Darrow curfew will take effect on March 1, the city said.",
     "A judge blocked the Darrow curfew from taking effect, saying it was too broad."),
    ("The Maplewood recall vote will be held on 4 May.",
     "A court postponed the Maplewood recall vote until September."),
    ("Lindqvist Air is set to launch its Oslo route in June.",
     "Regulators stopped Lindqvist Air from launching its Oslo route until safety checks are done."),
]
REPLACED = [  # a membership, then another taking its place
    ("Ferrow Mining remains a member of the Coastal 40 index.",
     "Halden Power will take the place of Ferrow Mining in the Coastal 40 index on Monday."),
    ("Ines Carvo remains a member of the Meridal board.",
     "Meridal named Tom Ruiz to replace Ines Carvo on its board."),
    ("Drayton Rovers remain a member of the Premier Five league.",
     "Calder Town replaced Drayton Rovers in the Premier Five league this season."),
]
JOINED = [  # not a member, then joining
    ("Velcor is not in the Northbridge index, although it is larger than most of its members.",
     "Velcor will join the Northbridge index on Friday."),
    ("Arvo Labs is not among the members of the Clean Energy register.",
     "Arvo Labs was added to the Clean Energy register on Tuesday."),
    ("Dunlin Bank is not on the Treasury's watch list, officials said.",
     "The Treasury added Dunlin Bank to its watch list on Monday."),
]
CLEARED = [  # an allegation, then the accused cleared: the allegation is corrected
    ("Two guards beat a prisoner at Halvard jail, a lawyer for the prisoner alleges.",
     "A judge acquitted the two Halvard jail guards on Thursday."),
    ("Prosecutors accused the Lenmark mayor of taking bribes from a builder.",
     "Prosecutors dropped all charges against the Lenmark mayor on Monday."),
    ("Police allege that the Tessel goalkeeper fixed two matches last season.",
     "A tribunal cleared the Tessel goalkeeper of fixing matches on Friday."),
]
FIGURES = [  # the same quantity given another value, without a revision cue
    ("The Arden well is leaking about 2,000 barrels of oil a day, officials said.",
     "Engineers said the Arden well is leaking 15,000 barrels of oil a day."),
    ("Hackers took the records of up to 40 million Brightline customers.",
     "Brightline said 12 million customer records were taken."),
    ("Mount Arrow is 4,102 metres high, the survey office says.",
     "Mount Arrow is 4,114 metres high, a new satellite survey of the Arrow range found."),
]


@pytest.mark.parametrize("family, status, pairs", [
    ("status", "superseded", REVERSED), ("status", "superseded", DONE_AGAIN), ("status", "superseded", CONDITION),
    ("status", "superseded", PREVENTED), ("status", "superseded", REPLACED), ("status", "superseded", JOINED),
    ("negation", "corrected", CLEARED), ("figure", "corrected", FIGURES),
], ids=["reversed", "done-again", "condition", "prevented", "replaced", "joined", "cleared", "figures"])
def test_a_state_changed_through_another_event_links(embedder, family, status, pairs):
    for a, b in pairs:
        ev = _ev(embedder, a, b)
        assert ev is not None and ev.verdict == SURE, (a, b, ev)
        assert (ev.family, ev.status) == (family, status), (a, b, ev)


NOT_A_CHANGE = [
    # a running count that went on growing is an update
    ("The flu outbreak in Pella has killed 12 people, health officials said.",
     "The Pella flu outbreak has now killed 30 people, health officials said."),
    # two moves of a share price at two times revise nothing
    ("Orrin Motors shares fell 8 percent on Monday.", "Orrin Motors shares rose 5 percent on Tuesday."),
    # the same kind of count in another place (the sentences share only the word they open with)
    ("Inspectors in Leeds counted 4,521 tramlines during the spring survey.",
     "Inspectors in Quito counted 1,234 tramlines during the spring survey."),
    # a count of what a change of state moved is not the list's size
    ("The Halbury league adopted a blacklist of 17 clubs over unpaid wages.",
     "The Halbury league struck eight clubs off the blacklist after they paid."),
    # the act reversed was another one (the bid withdrawn, not the purchase)
    ("Corvan withdrew its bid for Pellis on Saturday after the Pellis board held out for more.",
     "Tamsin Group completed its purchase of Pellis in June."),
    # the accused answering is their position, not an exoneration
    ("Prosecutors accused the Lenmark mayor of taking bribes from a builder.",
     "The Lenmark mayor denied taking bribes and said he would clear his name."),
    # a reversal that was itself not done
    ("Border officials cancelled Mara Linde's work permit on Tuesday.",
     "A tribunal did not overturn the cancellation of Mara Linde's work permit."),
]


@pytest.mark.parametrize("a, b", NOT_A_CHANGE)
def test_what_is_not_a_change_links_nothing(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev is None or ev.verdict != SURE, ev


def _rows(embedder, source: str, texts: list[str]) -> list[Row]:
    vecs = embedder.embed(texts)
    return [Row(id=f"{source}#{i}", source=source, index=i, start=0, end=len(t), text=t, vector=v, published="2011-05-04")
            for i, (t, v) in enumerate(zip(texts, vecs))]


def test_days_of_the_week_order_statements_inside_one_story(embedder):
    texts = ["Account of the Carvell arrest revised",
             "On Monday, police said the Carvell suspect had fired at officers before he was arrested.",
             "On Wednesday, police said the Carvell suspect was unarmed and had not fired at officers."]
    links = detect_within(_rows(embedder, "carvell", texts), {})
    # ordered by days only: two events of one story more often than a report and its correction,
    # so since detector 5 an editor's candidate, not a flag (precision.py)
    assert [(lk.claim, lk.by, lk.status) for lk in links] == [("carvell#1", ["carvell#2"], "candidate")]
    assert "days of the week" in links[0].note
    # the same two sentences with the days swapped: the later-dated one is the first; nothing links
    swapped = [texts[0], texts[1].replace("On Monday", "On Friday"), texts[2]]
    assert detect_within(_rows(embedder, "carvell", swapped), {}) == []


def test_a_claim_negating_something_else_can_still_be_contradicted(embedder):
    texts = ["Alert timeline",
             "8:07 a.m. — An alert says a tsunami is heading for Port Elm and that this is not a drill.",
             "8:20 a.m. — Port Elm officials say there is no tsunami heading for the town.",
             "8:45 a.m. — A second alert tells residents that the first was a false alarm."]
    links = {lk.claim: lk for lk in detect_within(_rows(embedder, "elm", texts), {})}
    assert "elm#1" in links and links["elm#1"].status == "corrected"
    # the 8:20 statement already says there is no tsunami: the false alarm agrees with it
    assert "elm#2" not in links
