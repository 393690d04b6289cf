"""Detection by pattern families (issue 10, item 2): each family on at least three phrasings of
unrelated invented stories, the window case (the entity and the list action in consecutive
sentences), corrections inside one source, and what must link nothing (a denial by the accused,
a consistent later detail, another subject). Pairs are scored with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.detect import Row, detect_within
from ingest.corrections.families import SURE, evidence
from ingest.records import SourceRecord


def _sim(embedder, a: str, b: str) -> float:
    v = embedder.embed([a, b])
    return float(np.dot(v[0], v[1]))


def _ev(embedder, a: str, b: str, window=None, b_index: int = 5):
    return evidence(a, b, _sim(embedder, a, b), window, b_index)


def _assert_link(ev, family: str, status: str) -> None:
    """The evidence flags on its own (not a candidate), in this family, with this status."""
    assert ev is not None and ev.verdict == SURE and ev.family == family and ev.status == status, ev


RETRACTION = [
    ("Four in ten renters skipped a meal to pay rent last year, according to a survey by the Tenant Action Network.",
     "The Tenant Action Network pulled the survey on Monday and apologised for its methodology."),
    ("Drinking two cups of green tea a day halves the risk of stroke, according to a study published in the Journal "
     "of Dietetics.",
     "The Journal of Dietetics has retracted the green tea study after its authors could not reproduce the results."),
    ("The Harlow Institute's report found that the new bypass cut commuting times by a third.",
     "The Harlow Institute withdrew the report on Friday, saying its traffic data had been mislabelled."),
]
NEGATION = [
    ("The Ferris Street bridge collapsed during the storm on Sunday night, officials said.",
     "The Ferris Street bridge is intact, the city's engineers said on Monday after inspecting it."),
    ("A fire destroyed the Marlow town hall on Tuesday, local radio reported.",
     "Reports of a fire at the Marlow town hall turned out to be untrue; the building was never on fire."),
    ("Senator Jane Ortiz met the lobbyist at a Washington hotel in March, the newspaper reported.",
     "The meeting between Senator Jane Ortiz and the lobbyist did not happen, hotel records and her calendar show."),
]
PLAN = [
    ("Brightwater Foods plans to open a bottling plant in Carrick next year.",
     "Brightwater Foods has shelved its plan for a bottling plant in Carrick, citing weak demand."),
    ("Orion Telecom is weighing a bid for the rival carrier Skylink.",
     "Orion Telecom dropped its bid for Skylink on Thursday after regulators raised objections."),
    ("Dunmore council intends to build a light-rail line to the airport by 2030, the mayor said.",
     "Dunmore council has called off the airport light-rail line after its costs doubled."),
]
STATUS = [
    ("The Kessler Road bridge remains closed to traffic after last week's flood.",
     "The Kessler Road bridge reopened on 3 May 2021 after repairs."),
    ("Halden Airlines' licence is suspended while the aviation authority investigates.",
     "The aviation authority reinstated Halden Airlines' licence on Friday."),
    ("Imports of Verano beef are banned in Norland over safety concerns.",
     "Norland lifted its ban on Verano beef imports on Tuesday."),
    # the opposite direction: a negative status overtaken by the event
    ("Corvex has no plans to recall the X5 scooter, a spokeswoman said.",
     "Corvex recalled 40,000 X5 scooters on Wednesday after reports of battery fires."),
    ("Pellam Bank is not on any sanctions list, the bank said.",
     "The Treasury added Pellam Bank to its sanctions list on Monday."),
    ("Officials said the Graff chemical plant is not under investigation.",
     "State regulators opened an investigation into the Graff chemical plant on Thursday."),
]
FIGURE = [
    ("Norvik Steel has 12,000 employees, the company said.",
     "An earlier story incorrectly stated that Norvik Steel has 12,000 employees; it has about 21,000.",
     "about 21,000"),
    ("The flood killed 40 people in Ostrava province, officials said.",
     "Officials in Ostrava province raised the flood's death toll to 73 on Friday.", "73"),
    ("The Lindell stadium will cost $300 million to build, the council said.",
     "The Lindell stadium will cost $420 million, not $300 million as first reported, the council said.",
     "$420 million"),
]

# Detector 35: a figure given anew ("now puts … at", "above its first estimate") revises the earlier one.
GIVEN_ANEW = [
    ("The statistics office said Tarvia's exports rose 2.1 percent last year.",
     "The statistics office now puts the rise in Tarvia's exports last year at 1.4 percent.", "1.4 percent"),
    ("Harlow Council said 1,200 homes were flooded in the storm.",
     "The flooded homes in Harlow numbered 2,050, well above the council's first estimate.", "2,050"),
    ("Osk University enrolled 8,300 students this autumn, it said.",
     "Osk University now counts its autumn enrolment at 7,900 students.", "7,900"),
    ("The Dalby fire destroyed about 120 homes, officials said.",
     "Officials now estimate that the Dalby fire destroyed 200 homes, well above their first estimate of 125.", "200"),
]


@pytest.mark.parametrize("a,b,new", GIVEN_ANEW)
def test_a_figure_given_anew_revises_the_earlier_one(embedder, a, b, new):
    ev = _ev(embedder, a, b)
    assert ev is not None and ev.verdict == SURE and ev.family == "figure", ev
    assert new in ev.phrase


@pytest.mark.parametrize("family,pairs", [("retraction", RETRACTION), ("negation", NEGATION), ("plan", PLAN),
                                          ("status", STATUS)])
def test_each_family_links_several_phrasings(embedder, family, pairs):
    for a, b in pairs:
        ev = _ev(embedder, a, b)
        assert ev is not None and ev.verdict == SURE and ev.family == family, (a, b, ev)
        assert ev.status == ("corrected" if family in ("retraction", "negation") else "superseded")


def test_status_note_says_what_changed(embedder):
    a, b = STATUS[0]
    assert "reopened on 3 May 2021" in _ev(embedder, a, b).phrase


@pytest.mark.parametrize("a,b,new", FIGURE)
def test_figure_corrections_name_the_new_figure(embedder, a, b, new):
    ev = _ev(embedder, a, b)
    _assert_link(ev, "figure", "corrected")
    assert new in ev.phrase


WINDOW = [
    ("Tarvo Systems said it is not on the export blacklist.",
     "The Commerce Ministry added 14 companies to its export blacklist on Friday.",
     "The newly added companies include Tarvo Systems and two of its suppliers."),
    ("Mirren Shipping remains on the port authority's watch list.",
     "The port authority removed five shipping firms from its watch list on Monday.",
     "Among them was Mirren Shipping, which had been on the list since 2019."),
    ("Quell Labs is not on the trade ministry's list of restricted suppliers.",
     "The trade ministry put nine suppliers on its restricted list on Tuesday.",
     "They include Quell Labs, a chip designer based in Osk."),
]


@pytest.mark.parametrize("a,event,names", WINDOW)
def test_window_name_and_list_action_in_consecutive_sentences(embedder, a, event, names):
    # The event alone does not name the entity: it links nothing without the sentence beside it.
    assert _ev(embedder, a, event) is None
    ev = _ev(embedder, a, event, window=[(6, names)], b_index=5)
    _assert_link(ev, "status", "superseded")
    assert ev.window == [6]  # the link quotes the neighbour that names the entity too


def test_window_case_through_ingest(tmp_path, indexer):
    (tmp_path / "a.md").write_text("---\nid: tarvo-1\ntitle: Tarvo\npublished: 2021-03-01\n---\n"
                                   "Tarvo Systems said it is not on the export blacklist.\n\n"
                                   "The company makes industrial sensors.\n")
    (tmp_path / "b.md").write_text("---\nid: blacklist-2\ntitle: Blacklist grows\npublished: 2021-06-01\n---\n"
                                   "The Commerce Ministry added 14 companies to its export blacklist on Friday.\n\n"
                                   "The newly added companies include Tarvo Systems and two of its suppliers.\n\n"
                                   "The ministry did not give reasons.\n")
    indexer.ingest([str(tmp_path)])
    st = indexer.store()
    links = st.all_links()
    assert len(links) == 1 and links[0].status == "superseded"
    rows = st.get_sentences([links[0].claim, *links[0].by])
    assert rows[links[0].claim].text.startswith("Tarvo Systems said it is not on")
    by = {rows[b].text[:30] for b in links[0].by}
    assert by == {"The Commerce Ministry added 14", "The newly added companies incl"}


def _rows(embedder, texts: list[str]) -> list[Row]:
    vecs = embedder.embed(texts)
    return [Row(id=f"s#{i}", source="s", index=i, start=0, end=len(t), text=t, vector=vecs[i], published="2022-05-01")
            for i, t in enumerate(texts)]


SAME_SOURCE = [
    # ordered by times of day
    ["At 9 a.m. police said three people were injured in the Dalby crash.",
     "Traffic was diverted around the junction for most of the day.",
     "By 3 p.m. police said only one person had been injured in the Dalby crash."],
    # ordered by wording
    ["Police initially reported that the Dalby suspect had been arrested at the scene.",
     "The shooting happened shortly before noon.",
     "Police later said no arrest had been made and the Dalby suspect was still at large."],
    ["Organisers first said 50,000 people attended the Kell march.",
     "Marchers walked from the station to the parliament building.",
     "Organisers later revised the attendance figure for the Kell march to 20,000."],
]


@pytest.mark.parametrize("texts", SAME_SOURCE)
def test_same_source_corrections_ordered_by_clock_or_wording(embedder, texts):
    links = detect_within(_rows(embedder, texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")})
    assert [(lk.claim, lk.by) for lk in links] == [("s#0", ["s#2"])], links
    assert links[0].status == "corrected"


def test_clock_times_order_statements_whatever_their_position(embedder):
    texts = ["At 3 p.m. police said only one person had been injured in the Dalby crash.",
             "At 9 a.m. police said three people were injured in the Dalby crash."]
    links = detect_within(_rows(embedder, texts), {})
    assert [(lk.claim, lk.by) for lk in links] == [("s#1", ["s#0"])]


NOTHING = [
    # a denial by the accused is that party's position, not a correction
    ("Dorran Oil polluted the Sable river for a decade, a watchdog report said.",
     "Dorran Oil denied polluting the Sable river and called the report false."),
    ("Kestrel Bank overcharged 20,000 customers, the regulator said.",
     "Kestrel Bank said the regulator's finding was wrong and that it would appeal."),
    # a consistent later detail
    ("Brightwater Foods plans to open a bottling plant in Carrick next year.",
     "Brightwater Foods said the Carrick bottling plant will employ 200 people."),
    ("The Kessler Road bridge remains closed to traffic after last week's flood.",
     "Engineers inspected the Kessler Road bridge again on Tuesday."),
    # the same kind of event about another subject
    ("Halden Airlines' licence is suspended while the aviation authority investigates.",
     "The aviation authority reinstated Corra Air's licence on Friday."),
    ("Corvex has no plans to recall the X5 scooter, a spokeswoman said.",
     "Velo Motors recalled 40,000 scooters on Wednesday after reports of battery fires."),
    # a figure given anew of another quantity (detector 42): what it puts shares no word with the claim, or
    # the earlier figure it names is not the claim's
    ("Officials in Dalby initially said 30 people had died in the fire.",
     "The Dalby fire destroyed 200 homes, officials now estimate, well above their first estimate of 120."),
    ("The statistics office said net migration to Tarvia in 2022 was 606,000.",
     "The statistics office now puts the number of asylum claims in Tarvia in 2022 at 89,000."),
    # a breakdown is no halt imposed (detector 43): "stop working" has no object
    ("Flight controllers saw temperature sensors in the Tarvia jet's left wing stop working at 8:50 am.",
     "Minutes later, all contact with the Tarvia jet's crew ended."),
    ("The Osk plant's cooling pumps stopped working on Monday, the operator said.",
     "The Osk plant's operator said on Friday that the inquiry into the pumps had ended."),
    # a restriction lifted on something else: its "on" names what it ends
    ("Tarvia banned imports of Osk steel on Monday.", "Tarvia lifted its ban on Vell timber on Friday."),
    ("Tarvia imposed sanctions on Osk steelmakers on Monday.", "Tarvia lifted the sanctions on Vell on Friday."),
    ("Tarvia imposed tariffs of 25 percent on Osk steel on Monday.", "Tarvia removed its tariffs on Vell timber on Friday."),
    # a figure for part of a year and one for the whole year are two quantities, revised or not
    ("Orsk Mining sold 40,000 tonnes of copper in the first quarter.",
     "Orsk Mining raised its output forecast for the year to 170,000 tonnes."),
    ("Orsk Mining sold 40,000 tonnes of copper in the first quarter.",
     "Orsk Mining now puts its output for the year at 170,000 tonnes."),
    # what is possible again names something other than what the claim stopped
    ("Corra Air halted flights to Vell on Monday.", "Corra Air began flights to Osk again on Friday."),
    ("Acme suspended sales of the X2 phone in Britain on Monday.", "Acme can sell its X3 phone in France again from Friday."),
    # someone else admits having lied: a pilot of the airline, not the airline that spoke
    ("Tarvia Airlines said none of its pilots had failed a drug test.", "A Tarvia Airlines pilot admitted that he had lied to his union."),
    ("Ria Osk called the accusation a lie and said she has never taken a banned drug.",
     "Her former coach admitted on Monday that he had lied to the tribunal about his own clinic."),
    # the broadcaster took down another of its clips
    ("Harbour TV broadcast footage on Monday that it said showed the mayor at a casino in Macau.",
     "Harbour TV has taken down a clip about a bear in a supermarket after viewers showed it was staged."),
    # the venue, named after a time phrase, withdrew another of its papers
    ("A paper published on Monday in the journal Zoetica concludes that a common antacid prevents kidney stones.",
     "Zoetica has taken down a paper on how bees find their way home, saying its images were duplicated."),
]


@pytest.mark.parametrize("a,b", NOTHING)
def test_what_must_link_nothing(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev is None or ev.verdict != SURE, ev


# Both refer back: the claim names its entity only in the sentence before it ("The group …"), the later
# statement only in the sentence beside it ("… the exile group …"); the two antecedents share the name.
ANAPHOR_OBJECT = [
    # (claim about the entity named after the act, claim about its antecedent, the sentence before,
    #  the later act on an anaphor, the sentence after it)
    ("Tavira was added to the council's monitoring list at the same session.",
     "Korsland is on the council's monitoring list.",
     "Korsland spent two years under the council's monitoring.",
     "On Tuesday the council took the country off the list, saying its reforms were complete.",
     "Tavira, listed at the same session, stays on it."),
    ("Brannock Holdings is on the sanctions list.",
     "Vell Aluminium is on the sanctions list.",
     "Vell Aluminium lost most of its buyers while it was sanctioned.",
     "The Treasury removed the company from its sanctions list on Friday.",
     "Its owner, Brannock Holdings, remains on the list."),
    ("The Osk river dolphin is on the endangered list.",
     "The Tarn grey seal is on the endangered list.",
     "The Tarn grey seal has grown in number to about 9,000.",
     "Regulators struck the species off the endangered list on Monday.",
     "The Osk river dolphin stays on it."),
]


@pytest.mark.parametrize("other,named,before,b,after", ANAPHOR_OBJECT)
def test_an_act_on_an_anaphor_is_about_the_sentence_before_not_after(embedder, other, named, before, b, after):
    window = [(4, before), (6, after)]
    # "the country" / "the company" / "the species" refers back: the entity named after it is another one.
    ev = _ev(embedder, other, b, window=window, b_index=5)
    assert ev is None or ev.verdict != SURE
    # The antecedent, named in the sentence before, is what the act is about.
    ev = _ev(embedder, named, b, window=window, b_index=5)
    _assert_link(ev, "status", "superseded")
    assert ev.window == [4]


BOTH_REFER_BACK = [
    ("Its members belong to the Sarvan Liberation Front, an armed movement in the hills.",
     "The group has been on the interior ministry's list of banned organisations since 2009.",
     "The Sarvan Liberation Front has spent years lobbying for recognition.",
     "The ministry took the rebel movement off its list of banned organisations on Thursday."),
    ("The shipments were made by Korvel Metals, a smelter based in Tansk.",
     "The company has been on the customs agency's watch list since March.",
     "Korvel Metals hired auditors after the shipments were seized.",
     "On Monday the agency removed the smelter from its watch list."),
    ("The residents belong to the Order of the Silver Lamp, a religious community.",
     "The community remains on the state register of unrecognised sects.",
     "The Order of the Silver Lamp had petitioned the court for years.",
     "The justice minister decided on Friday to remove the sect from the register of unrecognised sects."),
]


# A claim whose opening noun phrase names its own subject ("The smaller Osk Front militia") does not refer
# back to the sentence before: a later change to the group named there is not about it.
OWN_SUBJECT = [
    ("The Sarvan Liberation Front has been on the interior ministry's list of banned organisations since 2009.",
     "The smaller Tarn Hills militia is also on the list.",
     "The ministry took the Sarvan Liberation Front off its list of banned organisations on Thursday."),
    ("Korvel Metals has been on the customs agency's watch list since March.",
     "The rival Tansk Smelting works is also on the watch list.",
     "On Monday the agency removed Korvel Metals from its watch list."),
    ("The Order of the Silver Lamp remains on the state register of unrecognised sects.",
     "The breakaway Brethren of Vell community remains on the register too.",
     "The justice minister decided on Friday to remove the Order of the Silver Lamp from the register."),
]


@pytest.mark.parametrize("before,a,b", OWN_SUBJECT)
def test_a_claim_naming_its_own_subject_does_not_take_the_sentence_befores(embedder, before, a, b):
    ev = evidence(a, b, _sim(embedder, a, b), [], 5, a_before=before)
    assert ev is None or ev.verdict != SURE, ev


@pytest.mark.parametrize("before,a,beside,b", BOTH_REFER_BACK)
def test_claim_and_later_statement_both_refer_back_to_one_name(embedder, before, a, beside, b):
    sim = _sim(embedder, a, b)
    # Without the later statement's neighbour nothing names the subject on both sides.
    ev0 = evidence(a, b, sim, [], 5, a_before=before)
    assert ev0 is None or ev0.verdict != SURE
    ev = evidence(a, b, sim, [(4, beside)], 5, a_before=before)
    _assert_link(ev, "status", "superseded")
    assert ev.window == [4]  # the neighbour that names the entity is quoted with the link


@pytest.mark.parametrize("b,lifted", [
    ("The ministry decided on Friday to remove Korvel Metals from its watch list.", True),
    ("The board voted on Monday to strike Korvel Metals off the list of approved smelters.", True),
    ("The ministry refused on Friday to remove Korvel Metals from its watch list.", False),
    ("The ministry plans to remove Korvel Metals from its watch list next year.", False),
])
def test_a_decision_to_take_off_a_list_takes_it_off_and_a_plan_or_refusal_does_not(b, lifted):
    from ingest.corrections import signals as sg
    assert ("listed" in sg.signals(b).lifts) is lifted


# Where a finding was published withdraws it: the journal, magazine or paper named as its venue.
VENUE_RETRACTION = [
    ("A study published in the Harlow Medical Review on Tuesday found that daily aspirin halves the risk of "
     "migraine in adults.",
     "The Harlow Medical Review retracted the aspirin paper after its authors found a coding error in the data."),
    ("Researchers at Vell University reported in the journal Cell Frontiers that a gut bacterium can reverse "
     "memory loss in mice.",
     "Cell Frontiers withdrew the gut bacterium study on Monday, citing problems with its images."),
    ("According to findings that appeared in Oceanic Letters, coral reefs recover twice as fast as thought "
     "after a heatwave.",
     "Oceanic Letters has withdrawn the coral recovery paper at the request of its authors."),
    # detector 33: a time phrase between the verb and the venue; "has taken down" names who withdrew it
    ("Marine biologists at Dunmore College reported on Wednesday in Tidal Science that young eels can sense "
     "magnetic fields from birth.",
     "Tidal Science has retracted the eel navigation paper after its authors found their tanks were miswired."),
    ("Writing in The Kelvin Journal this week, two physicists say a new alloy conducts heat twice as well as copper.",
     "The Kelvin Journal has taken down the alloy paper, saying its measurements could not be repeated."),
    ("A paper published on Monday in the journal Zoetica concludes that a common antacid prevents kidney stones.",
     "Zoetica has taken down the paper on indigestion pills, saying its authors misread their own data."),
    # what a broadcaster put out, taken down by it: the medium is its venue
    ("Harbour TV broadcast footage on Monday that it said showed the mayor at a casino in Macau.",
     "Harbour TV has taken the casino footage down, saying the man in it was not the mayor."),
    ("Channel 9 aired a video on Monday that it said showed the mayor at a casino in Macau.",
     "Channel 9 pulled the video on Tuesday, saying the man in it was not the mayor."),
    ("The Daily Ledger reported on Friday that the Osk dam had cracked, publishing photographs it said showed the damage.",
     "The Daily Ledger took the dam photographs down on Saturday after readers showed they were taken in 2012."),
]




def test_a_venue_withdrawing_another_paper_links_nothing(tmp_path, indexer):
    (tmp_path / "a.md").write_text("---\nid: aspirin-1\ntitle: Aspirin and migraine\npublished: 2021-03-01\n---\n"
                                   "A study published in the Harlow Medical Review on Tuesday found that daily aspirin "
                                   "halves the risk of migraine in adults.\n\n"
                                   "The trial followed 4,000 patients for two years.\n")
    (tmp_path / "b.md").write_text("---\nid: sleep-2\ntitle: Sleep paper pulled\npublished: 2021-09-01\n---\n"
                                   "The Harlow Medical Review retracted a paper on sleep and teenage exam results "
                                   "after its authors found duplicated survey answers.\n\n"
                                   "The sleep study had drawn wide coverage in school magazines.\n")
    indexer.ingest([str(tmp_path)])
    assert indexer.store().all_links() == []


# A story told as a labelled timeline (a live blog): its timestamp labels order its paragraphs, and a
# later paragraph giving the same quantity anew updates the earlier one.
TIMELINE = [
    ["Election night: live",
     "Thursday, 10 pm: The exit poll put the Green Union on 212 seats, eight short of a majority.",
     "Friday, 2 am: Turnout in the capital was the highest in 30 years.",
     "Friday, afternoon: With every seat declared, the Green Union had 231 seats."],
    ["Flood watch: live",
     "Monday, 6 pm: Officials said the Arden river had risen to 4.2 metres at the Mill Street gauge.",
     "Monday, 9 pm: Schools in the valley will stay closed on Tuesday.",
     "Tuesday, morning: The Arden river peaked overnight at 5.1 metres at the Mill Street gauge, officials said."],
    ["Drought watch: live",
     "Saturday, midday: Officials said the Tolvik reservoir stood at 62 percent of its capacity.",
     "Saturday, 4 pm: Volunteers handed out bottled water in the old town hall.",
     "Sunday, morning: Officials said the Tolvik reservoir stood at 48 percent of its capacity."],
    # detector 36: the later paragraph names nothing the claim names (the story ties them to a claim worded as an
    # early account)
    ["Ferry sinks: live",
     "Sunday, 8 am: Early reports say 210 people were on board.",
     "Sunday, 9:30 am: Rescue boats from three nearby islands have reached the area.",
     "Sunday, 1 pm: The coastguard says 164 people were aboard, most of them day trippers."],
    ["Mine collapse: live",
     "Tuesday, 6 am: Initial reports say 40 workers are trapped underground.",
     "Tuesday, 8 am: Families have gathered at the gates of the site.",
     "Tuesday, noon: The company says 27 miners are trapped below the surface."],
]


@pytest.mark.parametrize("texts", TIMELINE)
def test_a_labelled_timeline_orders_its_paragraphs_and_a_new_figure_updates(embedder, texts):
    links = detect_within(_rows(embedder, texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")})
    assert [(lk.claim, lk.by, lk.status) for lk in links] == [("s#1", ["s#3"], "corrected")], links


def test_a_count_of_something_else_in_a_later_paragraph_updates_nothing(embedder):
    # "Five hostages have escaped" is not the count of "two hostages are dead": without a name in common, only a
    # claim the story words as an early account is given anew by a later paragraph's figure
    texts = ["Siege: live", "Monday, 5 pm: Five hostages have escaped from the cafe.",
             "Monday, 9 pm: Negotiators are talking to the gunman by phone.",
             "Tuesday, 2:15 am: Police stormed the cafe after hearing shots; two hostages are dead."]
    links = detect_within(_rows(embedder, texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")})
    assert links == [], links


def test_days_named_inside_sentences_do_not_make_a_timeline(embedder):
    texts = ["Election night", "On Thursday the exit poll put the Green Union on 212 seats, eight short of a majority.",
             "Turnout in the capital was the highest in 30 years.",
             "On Friday, with every seat declared, the Green Union had 231 seats."]
    links = detect_within(_rows(embedder, texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")})
    assert links == [] or all(lk.status == "candidate" for lk in links), links


def test_timeline_labels():
    from ingest.corrections.timeline import label, later_label
    assert label("Thursday, 10 pm: The exit poll …") == (3, 22 * 60)
    assert label("Friday, afternoon: With every seat …") == (4, 15 * 60)
    assert label("Wednesday 12:40 a.m. — Fox called Ohio.") == (2, 40)
    assert label("On Thursday the police said …") is None and label("10 pm: polls closed.") is None
    assert later_label("Thursday, 10 pm: a", "Friday, midday: b") and later_label("Friday, midday: a", "Friday, afternoon: b")
    assert not later_label("Friday, midday: a", "Friday, midday: b") and not later_label("Friday: a", "Friday, noon: b")


# Under sanctions is on a sanctions list: taken off it, or the sanctions lifted, ends the state.
SANCTIONS = [
    ("Tarrow Steel, the country's largest steelmaker, was among the firms placed under American sanctions on Friday.",
     "On Sunday the Treasury took the company off its sanctions list after its owner sold his stake.",
     [(0, "Tarrow Steel has spent nine months cut off from its banks.")]),
    ("Velm Bank was put under European sanctions in March over its loans to the junta.",
     "The European Union lifted sanctions on Velm Bank on Tuesday.", []),
    ("The regulator placed Orsk Mining under sanctions last year for smuggling ore.",
     "Orsk Mining was removed from the regulator's sanctions list on Monday.", []),
]




# A deal agreed ("agreed on Thursday to buy", "offered on Monday to buy") is a plan until done; given up,
# left to lapse, or refused by those who must approve it, it is dropped.
DEALS = [
    ("Harlan Foods agreed on Thursday to buy the Danish dairy Nordmel for $4 billion in cash.",
     "Harlan Foods has given up on Nordmel."),
    ("Orbis Chips offered on Monday to buy Tavel Semiconductor for $70 a share.",
     "Orbis Chips said it would let its offer for Tavel Semiconductor expire at midnight on Friday."),
    ("Corren Steel agreed last week to acquire Balt Metals for about $9 billion.",
     "The competition authority refused on Tuesday to let Corren Steel take over Balt Metals."),
]






# A state imposed by an event ("closed … airspace", "blocked Chattr", "imposed capital controls",
# "extended the state of emergency", "bans came into force"), not only stated ("remains closed"), is
# ended by its lifting.
IMPOSED = [
    ("The aviation authority closed Varnish airspace to all but military flights on Monday.",
     "The aviation authority reopened Varnish airspace on Friday."),
    ("Teluria's media regulator blocked Chattr on Thursday after it refused to remove posts.",
     "Teluria's media regulator restored access to Chattr on Tuesday."),
    ("Teluria's government cut the country off from the internet shortly after midnight.",
     "Teluria restored internet access across the country on Wednesday."),
    ("Dravia imposed capital controls on Sunday, limiting cash withdrawals to 60 euros a day.",
     "Dravia lifted the last of its capital controls on Friday."),
    ("Morvia's parliament extended the state of emergency for another two years.",
     "Morvia's state of emergency expired on Thursday and will not be renewed."),
    ("Hosepipe bans came into force in Wessex on Thursday after two dry winters.",
     "The hosepipe bans in Wessex were lifted on Monday after weeks of rain."),
]








# What a medium reported, withdrawn by the medium: the article gone from its website, a story that should never
# have been published, a report it can no longer stand behind.
MEDIUM = [
    ("Kestrel News reported on Tuesday, citing an unnamed official, that Mayor Dunn had taken bribes from a builder.",
     "A week after it ran, the article about Mayor Dunn is gone from the Kestrel News website."),
    ("The Harbour Ledger wrote on Monday that the Tolvik harbourmaster took money from a shipping firm.",
     "The Harbour Ledger said its story about the Tolvik harbourmaster should never have been published."),
    ("Channel 9 aired a report on Sunday claiming that Velm Bank had hidden losses of $2 billion.",
     "Channel 9 said it could no longer stand behind its report on Velm Bank's hidden losses."),
]




# A later statement that the quantity was more or less than first reported corrects the earlier figure, and the
# sentence after it that gives the new value is quoted with the link.
COMPARATIVE = [
    ("A magnitude 6.1 earthquake struck Varnish county on Monday, the Varnish seismology bureau said.",
     "The Varnish quake was stronger than the seismology bureau first reported.",
     "On Sunday the bureau raised its measure of it to 6.6."),
    ("Orsk Mining said on Tuesday that it had improperly booked $1.2 billion of expenses as investment.",
     "The accounting problems at Orsk Mining run about twice as deep as first disclosed.",
     "An internal review found a further $1.3 billion of improper entries."),
    ("Dravia registered nearly 900,000 asylum seekers last year, the Dravian interior ministry said.",
     "Far fewer people sought asylum in Dravia last year than the interior ministry first announced.",
     "About 610,000 asylum seekers came to Dravia, the ministry said on Friday."),
]


@pytest.mark.parametrize("a,b,value", COMPARATIVE)
def test_more_or_less_than_first_reported_corrects_the_figure(embedder, a, b, value):
    ev = _ev(embedder, a, b, window=[(6, value)], b_index=5)
    _assert_link(ev, "figure", "corrected")
    assert ev.window == [6]  # the new value is quoted with the link


@pytest.mark.parametrize("a,b,value,note", [
    (*COMPARATIVE[0], "figure corrected to 6.6"),
    (*COMPARATIVE[2], "figure corrected to 610,000"),
    ("Varnish's economy grew by 5.5 percent last year, official figures showed on Friday.",
     "Growth in Varnish was stronger than first reported.",
     "The statistics office now puts it at 6.9 percent, after fuller data from firms in 2022.",
     "figure corrected to 6.9 percent"),
    # an amount added to the earlier one is no new value: the note names none
    (*COMPARATIVE[1], ""),
])
def test_the_comparative_note_names_the_new_figure(embedder, a, b, value, note):
    ev = _ev(embedder, a, b, window=[(6, value)], b_index=5)
    _assert_link(ev, "figure", "corrected")
    assert (note in ev.phrase) if note else ("figure corrected" not in ev.phrase), ev.phrase


# "The journal" is the journal the claim names beside that noun ("the journal Velm Review"), and a paper
# that "argues" something states its finding.
APPOSITIVE = [
    ("A paper published this week in the journal Velm Review argues that city parks in Osk raise house prices by a third.",
     "The journal has retracted the city parks study after its authors said the house prices were invented."),
    ("A study in the journal Tarn Medicine argues that two cups of coffee a day halve the risk of gout.",
     "The journal has withdrawn the coffee and gout study, saying its patient records could not be found."),
    ("A report by the charity Osk Watch argues that most of the region's rivers are unsafe for swimming.",
     "The charity has withdrawn its report on river swimming after finding errors in its water samples."),
]


@pytest.mark.parametrize("a,b", APPOSITIVE)
def test_the_noun_beside_a_name_names_it_later(embedder, a, b):
    _assert_link(_ev(embedder, a, b), "retraction", "corrected")


# The value may be told in the sentence before the comparative; of two neighbours giving figures, the one
# more on the claim's point is quoted ("Consumer prices rose 6.8 percent" is another quantity).
VALUE_BEFORE = [
    ("Varnish's economy grew by 5.5 percent last year, official figures showed on Friday.",
     "The statistics office said on Friday that the Varnish economy expanded by 6.9 percent last year.",
     "The revision means Varnish's recovery was stronger than first reported.",
     "Consumer prices rose 6.8 percent in July."),
    ("Orsk Mining said on Tuesday that it had improperly booked $1.2 billion of expenses as investment.",
     "An internal review found $2.5 billion of improper expense entries at Orsk Mining in all.",
     "The accounting problems at Orsk Mining run about twice as deep as first disclosed.",
     "Its shares fell 12 percent on the news."),
    ("Dravia registered nearly 900,000 asylum seekers last year, the Dravian interior ministry said.",
     "About 610,000 asylum seekers came to Dravia last year, the ministry said on Friday.",
     "Far fewer people sought asylum in Dravia last year than the interior ministry first announced.",
     "The ministry employs 4,000 caseworkers."),
]


@pytest.mark.parametrize("a,value,b,other", VALUE_BEFORE)
def test_the_new_value_told_before_the_comparative_is_quoted(embedder, a, value, b, other):
    ev = _ev(embedder, a, b, window=[(4, value), (6, other)], b_index=5)
    _assert_link(ev, "figure", "corrected")
    assert ev.window == [4]


# A sentence measuring its own figure against the earlier account is the revision, not the earlier
# account: inside one story it is never "corrected" by the sentence explaining the revision.
REVISION_WITH_ITS_COMPARISON = [
    ["The statistics office said on Friday that the economy expanded by 8.7 percent in 2021, well above its earlier estimates.",
     "The revision means the recovery was stronger than thought, with output about 1.8 percent above its level in 2019."],
    ["The Kell survey found that rivers carry 40 percent more plastic each year than scientists had estimated.",
     "The authors said the result suggests the sea is more polluted than thought, with more than 90 percent of it unmonitored."],
    ["Officials said 1,100 people were held in the Varn school, far more than initially reported.",
     "The siege ended on Friday, and more than 330 hostages died, officials said."],
]


@pytest.mark.parametrize("texts", REVISION_WITH_ITS_COMPARISON)
def test_a_figure_compared_with_the_earlier_account_is_not_that_account(embedder, texts):
    from ingest.corrections import signals as sg
    assert not sg.signals(texts[0]).prior
    assert detect_within(_rows(embedder, texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")}) == []


def test_the_earlier_account_is_still_read_as_earlier():
    from ingest.corrections import signals as sg
    for t in ("Police initially reported that 30 people had died in the Dalby fire.",
              "Organisers first said 50,000 people attended the Kell march.",
              "Early reports said 132 people were on board, officials said."):
        assert sg.signals(t).prior, t


LET_BACK = [
    # a place closed, then people let back in
    ("Varnish air traffic control closed Varnish airspace to all but emergency flights on Thursday.",
     "Varnish air traffic control allowed planes back into Varnish airspace from 10 pm on Tuesday."),
    # a block lifted ends a service's unavailability
    ("Chattr has been inaccessible in Teluria since March 20, when the government ordered it blocked.",
     "A Teluria court ordered the block on Chattr lifted in April."),
    # a halt to trade, then the trade restored
    ("The move follows Morvia's halt in March to all imports of Dravian cheese.",
     "Dravian cheese can be sold in Morvia again."),
]

# A listing withheld, then made (detector 24): "does not include X on its list", "did not add X to the list",
# "stays off the list", "were not named a …" — overtaken by the addition or a designation ("designated X as …").
WITHHELD = [
    ("The Varnish government does not include the Kessler Front on its list of banned groups.",
     "The Varnish government added the Kessler Front to its list of banned groups on Monday."),
    ("The Teluria trade ministry did not add Orsk Mining to its export blacklist on Friday.",
     "The Teluria trade ministry put Orsk Mining on its export blacklist on Wednesday, citing new evidence."),
    ("Dorian Vell, the militia's founder, stays off the Morvia sanctions list after a veto.",
     "The Morvia committee placed Dorian Vell on its sanctions list after the veto was lifted."),
    ("The Harlan Brigade was not designated a terrorist organisation by the Varnish interior ministry.",
     "The Varnish interior ministry designated the Harlan Brigade as a terrorist organisation on Tuesday."),
]

# A listing made by an event ("placed X on its list of …"), ended by a removal (detector 25).
LISTING = [
    ("The Heritage Board placed Marrow Abbey on its list of monuments at risk on Monday.",
     "The Heritage Board removed Marrow Abbey from its list of monuments at risk after the roof was repaired."),
    ("The Tarn regulator put Orsk Bank on its watch list in March.",
     "The Tarn regulator took Orsk Bank off its watch list on Friday."),
]

# Detector 34: a halt imposed ("halts", "stopped giving", "will stop exporting") is a suspension; going back
# to it, readmitting, or doing it again ends it.
RESUMED = [
    ("Northport suspended its ferry service to Skellig on Monday after a crack was found in the hull.",
     "Northport ferries went back to the Skellig route on Thursday."),
    ("The Harlow clinic stopped giving the flu vaccine to children on Tuesday.",
     "The Harlow clinic began giving the vaccine to children again on Friday."),
    ("Marovia will stop exporting wheat from next week, its trade minister said.",
     "Marovia's traders may sell wheat abroad again from Monday, the trade minister said."),
    ("The Tarvia league halts all matches until further notice.", "The Tarvia league resumed matches on Saturday."),
    ("The Coastal Union suspended Orland from all its activities on Friday.", "The Coastal Union readmitted Orland on Tuesday."),
]

# Detector 41: duties or tariffs imposed are a restriction a later statement may lift.
DUTIES = [
    ("Tarvia imposed tariffs of 25 percent on Osk steel on Monday.", "Tarvia removed the tariffs on Osk steel on Friday."),
    ("Marovia will impose duties of 60 percent on wine from Vell from Tuesday, its trade ministry said.",
     "Marovia said on Friday that the duties on wine from Vell would be lifted from Saturday."),
    ("The government imposed new levies on Orland Mining's copper exports in May.",
     "The government scrapped the levies on Orland Mining's copper exports on Thursday."),
]

# Detector 39: a wish or an offer of money is a plan ("wants to buy", "has offered $2 billion for", "set out plans").
WANTED = [
    ("Orland Mining said on Tuesday that it wanted to buy the rest of Pellham Copper.",
     "Orland Mining is no longer pursuing Pellham Copper, it said on Friday."),
    ("Harlan Foods has offered about $4 billion in cash and stock for the Danish dairy Nordmel.",
     "Harlan Foods told investors on Monday that it had abandoned its approach for Nordmel."),
    ("The Tarvia government set out plans on Thursday to sell most of the state's forests.",
     "The Tarvia government dropped its plan to sell the state's forests on Wednesday."),
]

# Detector 38: who denied something later admits having lied.
ADMITTED_LIE = [
    ("Senator Harlan Voss said on Monday that he had never met the lobbyist.",
     "Voss later admitted that he had lied about meeting the lobbyist twice in Geneva."),
    ("Mayor Dana Pell said she had never taken money from the developer.",
     "Pell, who resigned on Friday, admitted in court that she had lied to investigators."),
    ("Ria Osk called the accusation a lie and said she has never taken a banned drug.",
     "Ria Osk stood before the athletics tribunal on Monday and admitted that she had lied."),
]

# Detector 44: a designation or a place among a counted list is a listing; leaving an index ends it, and so
# does a move to another category or list of the same kind when the claim held the first.
RECATEGORISED = [
    ("Galena Park is classified as a nature reserve by the county council.",
     "The county council reclassified Galena Park from a nature reserve to a country park on Tuesday."),
    ("Portavia is on the government's green list, so travellers returning from there need not quarantine.",
     "From Tuesday Portavia moves to the amber list, and travellers returning from it must isolate."),
    ("The Veldra Group is still designated a terrorist organisation by the Foreign Office.",
     "On Monday the Foreign Office took the Veldra Group off its list of terrorist organisations."),
    ("Osk Steel is among the 40 companies in the Marlow Composite index.",
     "Osk Steel will leave the Marlow Composite index on June 3, replaced by a software maker."),
    ("The annual report still counts Tarvia among the five state sponsors of terrorism.",
     "On Wednesday the foreign minister took Tarvia off the list of state sponsors of terrorism."),
]
# ... the moved listing named beside it: (claim, later statement, its neighbour)
RECATEGORISED_WINDOW = [
    ("The Harwick toad is listed as endangered on the national register of threatened species.",
     "On Friday the wildlife service moved the toad from endangered to vulnerable on its register.",
     "The Harwick toad's numbers have doubled since the ponds were restored."),
]

# The twelfth session's phrasings of each family (detectors 14-22), each flagging on its own: (family, status,
# claim, later statement, the later statement's neighbours).
FLAGS = ([("retraction", "corrected", a, b, None) for a, b in VENUE_RETRACTION + MEDIUM]
         + [("status", "superseded", a, b, w or None) for a, b, w in SANCTIONS]
         + [("plan", "superseded", a, b, None) for a, b in DEALS]
         + [("status", "superseded", a, b, None) for a, b in IMPOSED + LET_BACK]
         + [("status", "superseded", a, b, None) for a, b in WITHHELD + LISTING + RESUMED]
         + [("negation", "corrected", a, b, None) for a, b in ADMITTED_LIE]
         + [("plan", "superseded", a, b, None) for a, b in WANTED]
         + [("status", "superseded", a, b, None) for a, b in DUTIES + RECATEGORISED]
         + [("status", "superseded", a, b, [(0, w)]) for a, b, w in RECATEGORISED_WINDOW])


@pytest.mark.parametrize("family,status,a,b,window", FLAGS)
def test_each_phrasing_flags_in_its_family(embedder, family, status, a, b, window):
    _assert_link(_ev(embedder, a, b, window=window, b_index=1 if window else 5), family, status)


# ... and what looks like them but changes nothing: (family that must not flag, claim, later statement).
NOT_FLAGS = [
    ("plan", "Harlan Foods agreed on Thursday to buy the Danish dairy Nordmel for $4 billion in cash.",
     "Regulators refused on Friday to let Harlan Foods delay its annual filing."),
    ("plan", "Harlan Foods agreed on Thursday to buy the Danish dairy Nordmel for $4 billion in cash.",
     "Harlan Foods completed its purchase of Nordmel on Friday."),
    ("status", "Regulators blocked Acme's merger with Bolt on Monday.", "Acme resumed talks with Bolt on Friday."),
    ("status", "The council closed the meeting at 9 pm.", "The council reopened the debate on parking on Tuesday."),
    ("figure", "Orsk Mining said on Tuesday that it had improperly booked $1.2 billion of expenses as investment.",
     "Orsk Mining's quarterly profit was higher than analysts expected."),
    ("figure", "Orsk Mining said on Tuesday that it had improperly booked $1.2 billion of expenses as investment.",
     "Orsk Mining turned down the offer on Friday as too low."),
    # a listing still withheld, or another one made, changes nothing
    ("status", "The Varnish government does not include the Kessler Front on its list of banned groups.",
     "The Varnish government again declined to add the Kessler Front to its list of banned groups."),
    ("status", "The Teluria trade ministry did not add Orsk Mining to its export blacklist on Friday.",
     "The Teluria trade ministry designated Vell Shipping as a sanctioned entity on Wednesday."),
]


# Review of detectors 33-39: what their new words must not read into ordinary news text. Each links nothing
# in the family named (the first four linked as retractions, the rest as a lifted state, a dropped plan or an
# admitted lie before detector 40).
ORDINARY = [
    # troops leaving a town, seen on satellite images, withdraw no document
    ("retraction", "Russian troops have massed near Kreva, according to a report by the Kessler Institute.",
     "Russian troops withdrew from Kreva, satellite images show."),
    # what footage shows removed is not the footage
    ("retraction", "The statue of General Harrow still stands in Dorn's main square, a council report found.",
     "Footage showed the statue of General Harrow was removed from Dorn's main square on Sunday."),
    # a ruling taken back to a court is appealed, not withdrawn
    ("retraction", "The Ostrava court's ruling found that the Vell dam was built legally, the judges said.",
     "Opponents of the Vell dam took the Ostrava court's ruling back to the supreme court on Monday."),
    # a product pulled from shelves
    ("retraction", "The Corvex X5 scooter is the best-selling item in Brightwater stores, a company report found.",
     "Brightwater pulled the Corvex X5 item from its stores after reports of battery fires."),
    # "non-stop" shelling is no halt; a man stopped at a border is no halt of anything
    ("status", "Kreva has endured non-stop shelling since Monday, officials in Kreva said.",
     "Shelling of Kreva resumed on Friday after a two-day lull, officials in Kreva said."),
    ("status", "Police stopped King at the Vell border crossing on Tuesday.",
     "King's lawyers said his licence was restored on Friday after the Vell border incident."),
    # a trip back to a place, a date a suspension goes back to
    ("status", "Tarvia Airlines suspended its flights to Osk in August.",
     "A Tarvia Airlines pilot went back to Osk in October to collect his family."),
    ("status", "Tarvia Airlines has suspended flights to Osk, the airline said.",
     "Tarvia Airlines' suspension of flights to Osk goes back to August, the airline said."),
    # someone else lied, or the speaker was misled
    ("negation", "Senator Jane Ortiz said she had never met the lobbyist.",
     "Ortiz admitted that her assistant had lied to investigators about the lobbyist."),
    ("negation", "Senator Jane Ortiz said she had never met the lobbyist.",
     "Ortiz later acknowledged that she had been misled by her staff about the lobbyist."),
    ("negation", "Senator Jane Ortiz denied that her campaign ran misleading adverts.",
     "Ortiz conceded that voters were misled by the adverts, but said her campaign did not make them."),
    # detector 44: the category or list a listing moved to, a set that is no list, a move of something else
    ("status", "The Harwick toad is listed as vulnerable on the national register.",
     "On Friday the wildlife service moved the Harwick toad from endangered to vulnerable on its register."),
    ("status", "Portavia is on the government's amber list.",
     "From Tuesday Portavia moves to the amber list, and travellers returning from it must isolate."),
    ("status", "Osk Steel is among the largest steelmakers in Europe.",
     "Osk Steel will leave the Marlow Composite index on June 3, replaced by a software maker."),
    ("status", "Harrow Bank is listed on the Ruvia stock exchange and based in Tarvo.",
     "Harrow Bank moved its headquarters from Tarvo to Lisk on Monday."),
    ("status", "The Veldra Group is designated a terrorist organisation by the Foreign Office.",
     "The Veldra Group left the governing coalition on Monday."),
    ("status", "Kella Bank is among the 30 members of the Ruvia banking association.",
     "Kella Bank's chief executive left the board on Monday."),
    ("status", "Tarvia is on the Harlow task force's grey list of jurisdictions under increased monitoring.",
     "Tarvia's treasury said it was disappointed and would work to exit the grey list quickly."),
    ("status", "Gap is listed on the New York Stock Exchange.",
     "Gap said the change marks a move from classic American style to something modern."),
    # condolences, an explanation, a wish to speak: no plan
    ("plan", "Orland Mining offered condolences for the miners killed at Pellham.",
     "Orland Mining called off the search for the miners at Pellham on Friday."),
    ("plan", "Orland Mining offered no explanation for the closure of the Pellham mine.",
     "Orland Mining has abandoned the Pellham mine, the company said."),
    ("plan", "Police want to speak to anyone who saw the crash on the Harlow road.",
     "Police called off the search for the driver of the car that crashed on the Harlow road."),
]


@pytest.mark.parametrize("family,a,b", NOT_FLAGS + ORDINARY)
def test_what_looks_like_a_family_but_changes_nothing(embedder, family, a, b):
    ev = _ev(embedder, a, b)
    assert ev is None or ev.family != family or ev.verdict != SURE, ev


# A figure revised stays revised when the claim dates its report to a week or a month and the later statement
# says "in a year" or gives the annual rate (not a figure for a whole year beside one for part of it).
STILL_REVISED = [
    ("The storm killed 40 people in Ostrava province last week, officials said.",
     "Officials in Ostrava province raised the storm's death toll to 73 on Friday, the highest toll in a year."),
    ("Inflation in Norland rose to 3.1 percent last month, the statistics agency said.",
     "The Norland statistics agency revised the annual inflation rate to 3.4 percent, not 3.1 percent as first reported."),
]


@pytest.mark.parametrize("a,b", STILL_REVISED)
def test_a_week_or_a_month_beside_in_a_year_is_still_a_revision(embedder, a, b):
    _assert_link(_ev(embedder, a, b), "figure", "corrected")


def test_leaving_is_no_withdrawal_but_pulling_back_from_a_claim_is():
    from ingest.corrections import signals as sg
    assert sg.RETRACTION in sg.signals("The minister pulled back from her claim that the Harlow bridge was safe.").later
    for t in ("Volunteers withdrew from the study after side effects.", "Russian troops withdrew from Kreva, satellite images show."):
        assert sg.RETRACTION not in sg.signals(t).later, t


# Detector 47: a revision verb revises a figure only when one follows its "to" or "from"; a vote's tally is no
# revision of a count the claim gave ("challenges are raised to their credentials" revises nothing).
def test_a_revision_needs_a_figure_after_its_to_or_from(embedder):
    from ingest.corrections import signals as sg
    for t in ("The ministry revised its count of the dead to 5,100 on Friday.",
              "The agency cut its count of the dead from 49 to 47 after two victims were counted twice.",
              "Unemployment fell to a record low of 3.5 percent, the agency now says.",
              "Officials raised their estimate of the crowd to about 180,000.",
              "Officials raised their estimate of the crowd to two million.",
              "The agency lowered its estimate to half a million.",
              "The bank cut its forecast to HK$5 billion.",
              "Officials raised the toll to a revised total of about 5,100."):
        assert sg.FIGURE in sg.signals(t).later, t
    for t in ("He was raised to the peerage in 2010, a year after 12 others were.",
              "The company cut jobs from 2019 onwards; 400 remain."):
        assert sg.FIGURE not in sg.signals(t).later, t
    vote = ("Early on Tuesday the Varn assembly voted 118 to 62 for a rule change that lets delegations vote whatever "
            "challenges are raised to their credentials.")
    assert sg.FIGURE not in sg.signals(vote).later
    ev = _ev(embedder, "Orsk's 18 members of the Varn assembly can no longer vote or sit on its leading bodies.", vote)
    assert ev is None or ev.family != sg.FIGURE, ev


# Detector 49: a listing told in the active voice by a named body ("that the World Health Organization lists as
# polio-endemic") is a listed state, which a later striking from the list ends (a noun "lists as" is none).
def test_a_body_that_lists_a_country_states_a_listing(embedder):
    from ingest.corrections import signals as sg
    for t in ("Orsk is still one of four countries that the World Health Organization lists as polio-endemic.",
              "The IUCN lists the Varn tortoise as endangered.",
              "Tarsk is among the places the Board of Trade lists as high-risk."):
        assert "listed" in sg.signals(t).states, t
    for t in ("Hospital waiting lists as long as a year are common in Orsk.", "The menu lists as many as 40 dishes."):
        assert "listed" not in sg.signals(t).states, t
    before = "Once the country with more polio cases than anywhere else, Orsk has now gone a year without one."
    ev = _ev(embedder, "Orsk is still one of four countries that the World Health Organization lists as polio-endemic.",
             "The World Health Organization has struck it from its list of countries where the disease is endemic.",
             window=[(0, before)], b_index=1)
    _assert_link(ev, "status", "superseded")


# Detector 45: reported speech puts "will" back to "would" ("said it would build"): a claim about what will
# happen, said later not to happen, is superseded; the same words about what happened are corrected.
REPORTED_FUTURE = [
    ("Orlan said on Monday that it would build a data centre on a forested site near Carrow, in County Meath.",
     "There will be no Orlan data centre at Carrow."),
    ("The ministry announced that the Vell bridge would reopen to traffic in March.",
     "The Vell bridge will not reopen to traffic this year, the ministry said on Friday."),
    ("Tarsk Mining told investors it would close the Brenna pit by the end of the year.",
     "Tarsk Mining will not close the Brenna pit after all."),
]


# Detector 46: a later statement of what will not happen ("There will be no …", "will have no …", "won't") speaks
# of what is to come: after a decision it overtakes it (superseded), it does not show an account false.
FUTURE_DENIAL = [
    ("The Varn council gave the go-ahead on Thursday for a second terminal at Dellow airport.",
     "There will be no second terminal at Dellow airport."),
    ("The Orsk parliament voted on Thursday to keep the country's coal plants running for another 20 years.",
     "Orsk will have no coal plants by the end of 2030."),
    ("The city council gave final approval on Wednesday to a tram line through Cadby.",
     "Cadby will have no tram line, the council said on Friday."),
    ("Lawmakers voted on Tuesday to extend the Tarn curfew by a month.",
     "There will be no extension of the Tarn curfew."),
]


@pytest.mark.parametrize("a,b", REPORTED_FUTURE + FUTURE_DENIAL)
def test_a_future_or_a_decision_said_later_not_to_come_is_superseded(embedder, a, b):
    ev = _ev(embedder, a, b)
    assert ev is not None and ev.status == "superseded", ev


def test_what_happened_said_later_not_to_be_so_is_corrected_whatever_the_tense():
    from ingest.corrections.scope import decision_overtaken

    # a past event, not a decision: "will not" in the later statement says the account was wrong
    assert not decision_overtaken("The Orsk mine was sold to Kell Ltd last year.", "The Orsk mine will not be sold, its owner said.",
                                  "will not be sold")
    assert not decision_overtaken("The Vell plant was closed on Monday.", "The Vell plant will not close, the minister said.",
                                  "will not close")
    # a decision, but the later statement calls the report false
    assert not decision_overtaken("The board voted on Monday to fire Tom Rell.",
                                  "Tom Rell will not be fired, the board said, calling the report false.", "will not be fired")
    # a decision overtaken, in reported speech and across a no-break space
    assert decision_overtaken("The council approved a second terminal at Dellow.",
                              "The minister said on Friday there would be no second terminal at Dellow.", "no second terminal")
    assert decision_overtaken("Lawmakers voted to keep the Orsk plants open.", "Orsk will have no coal\u00a0plants by 2030.",
                              "will have no coal plants")


def test_a_denial_of_the_past_with_a_future_aside_still_corrects(embedder):
    past = _ev(embedder, "Orlan built a data centre near Carrow last year.", "There is no Orlan data centre at Carrow.")
    assert past is not None and past.status == "corrected", past
    past = _ev(embedder, "The Vell bridge collapsed on Monday.", "The Vell bridge is intact and will not need repairs.")
    assert past is not None and past.status == "corrected", past
    shot = _ev(embedder, "Police said the Tarn gunman was killed by officers.",
               "The Tarn gunman was not killed and will not be named, police said.")
    assert shot is None or shot.status == "corrected", shot


def test_a_future_denial_reads_only_the_words_that_reverse_the_claim():
    from ingest.corrections.scope import future_denial

    assert future_denial("There will be no third runway at Heathrow.", "no third runway")
    assert future_denial("Germany will have no nuclear power by 2022.", "will have no nuclear power")
    assert not future_denial("The bridge is intact and will not need repairs.", "intact")  # "intact" is no future
    assert not future_denial("The bridge is intact and will not need repairs.", "intact and will not need repairs")
    assert future_denial("There will be no third runway at Heathrow.")  # without words: anywhere in it


@pytest.mark.parametrize("text,future", [
    ("Officials said on Tuesday that the plant would close in June.", True),
    ("The minister told reporters the talks would have been easier without the strike.", False),
    ("A ban would hurt trade, he said.", False),  # a conditional, not a reported plan
])
def test_reported_future_is_read_from_a_verb_of_saying(text, future):
    from ingest.corrections.scope import future_claim

    assert future_claim(text) is future
