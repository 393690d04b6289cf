"""Precision first (detector 5, `ingest/corrections/precision.py`): a ⚠ on a true sentence is
misinformation, so only evidence precise by construction flags on its own; the rest is kept as a
candidate for the editor (`factdesk corrections --candidates`) and, when later-dated, still shown as
later coverage. Each demoted kind is found but comes back a candidate; each kept kind still links,
on three or more invented phrasings; a question about how things stand now leads with the newest
statement even when selection cited another sentence of the newest source. Real model, real Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.corrections.detect import Row, detect_across, detect_within
from ingest.corrections.families import SURE, UNSURE, evidence
from ingest.corrections.precision import demotion
from ingest.records import SourceRecord
from tests.sources import write_source


def _ev(embedder, a: str, b: str, **kw):
    v = embedder.embed([a, b])
    return evidence(a, b, float(np.dot(v[0], v[1])), None, 5, **kw)


def _rows(embedder, source: str, texts: list[str], published: str = "2022-05-01") -> list[Row]:
    vecs = embedder.embed(texts)
    return [Row(id=f"{source}#{i}", source=source, index=i, start=0, end=len(t), text=t, vector=v, published=published)
            for i, (t, v) in enumerate(zip(texts, vecs))]


def _within(embedder, texts: list[str]):
    return detect_within(_rows(embedder, "s", texts), {"s": SourceRecord("s", publisher="Test", published="2022-05-01")})


def _across(embedder, claim: str, later: str):
    a = _rows(embedder, "old", [claim], "2021-03-01")
    b = _rows(embedder, "new", [later], "2021-09-01")
    recs = {"old": SourceRecord("old", publisher="Test", published="2021-03-01"),
            "new": SourceRecord("new", publisher="Test", published="2021-09-01")}
    return detect_across(a, b, recs)


# --- demoted: found, but a candidate -------------------------------------------------------------

NOUN_SUBJECT = [  # no name both give: the subject is only a common noun in a definite phrase
    ("The harbour ferry service remains suspended after the storm.",
     "The harbour ferry service is no longer suspended and sailings resumed at dawn."),
    ("The old footbridge over the river remains closed to walkers.",
     "The old footbridge over the river reopened to walkers on Saturday."),
    ("The humpback whale is listed as endangered.",
     "The humpback whale is no longer listed as endangered, wildlife officials said on Monday."),
]


@pytest.mark.parametrize("a,b", NOUN_SUBJECT)
def test_a_subject_shown_only_by_a_common_noun_is_a_candidate(embedder, a, b):
    links = _across(embedder, a, b)
    assert [lk.status for lk in links] == ["candidate"], links
    assert "not a name" in links[0].note


WEEKDAY = [  # one story, ordered only by days of the week
    ["On Monday, police said the Carvell suspect had fired at officers before he was arrested.",
     "On Wednesday, police said the Carvell suspect was unarmed and had not fired at officers."],
    ["On Tuesday, the Marlow council said the Elm Street library would stay open.",
     "On Thursday, the Marlow council said the Elm Street library would not stay open after all."],
    ["Halden Air said on Monday that its Oslo flights were running on schedule.",
     "Halden Air said on Friday that its Oslo flights were not running on schedule."],
]


@pytest.mark.parametrize("texts", WEEKDAY)
def test_a_same_story_pair_ordered_by_weekdays_is_a_candidate(embedder, texts):
    links = _within(embedder, texts)
    assert [(lk.claim, lk.status) for lk in links] == [("s#0", "candidate")], links
    assert "days of the week" in links[0].note


def test_demotion_policy_reads_as_documented():
    # inside one story: restatements, acts taken back, bare contradictions outside a clock timeline
    assert demotion("restated:ended", "name", "clock")
    assert demotion("retraction:act", "name", "clock")
    assert demotion("negation:negated", "name", "prior")
    assert demotion("negation:negated", "name", "weekday")
    assert not demotion("negation:negated", "name", "weekday", framed=True)  # "gave a revised account: …"
    assert not demotion("negation:negated", "name", "clock")
    assert not demotion("negation:negated", "name", "prior", framed=True)  # "initially reported" / "later said"
    assert not demotion("retraction:assertion", "story", "prior")
    assert not demotion("negation:untrue", "name", "weekday")  # an outright statement of falsity
    # across sources: the subject must be a name, and a restatement not only through a pronoun
    assert demotion("status:lifted", "noun") and demotion("negation:untrue", "topic")
    assert demotion("restated:ended", "anaphor") and not demotion("status:lifted", "anaphor")
    assert not demotion("restated:ended", "name") and not demotion("plan:abandoned", "name")


@pytest.mark.parametrize("texts", [
    ["9:00 a.m. — The old cathedral in Marlow remains a museum, a status it has held since 1931.",
     "4:00 p.m. — Marlow's council annulled the 1931 decree that made the old cathedral a museum and a public space."],
    ["10:00 a.m. — Castor Foods made a $90 billion offer for Lindqvist Brands.",
     "6:00 p.m. — Castor Foods withdrew its $90 billion offer for Lindqvist Brands."],
    ["7:00 a.m. — The Arden owl is classed as critically endangered by the Wildlife Trust.",
     "5:00 p.m. — The Wildlife Trust moved the Arden owl from critically endangered to near threatened."],
])
def test_a_restatement_within_one_story_without_an_update_is_a_candidate(embedder, texts):
    links = _within(embedder, texts)
    assert [(lk.claim, lk.status) for lk in links] == [("s#0", "candidate")], links
    assert "inside one story" in links[0].note


@pytest.mark.parametrize("a,b", [
    # one shared word under a verb of ending is not yet the claim's point
    ("Vantor deleted a post by Governor Amina Bello on Wednesday that broke its rules.",
     "The suspension followed Vantor's removal of a post by Bello in June."),
    # one company, two plans: the frame word "plan" is not the point
    ("Kestrel Motors plans to move production of its vans from Leeds to Porto.",
     "Kestrel Motors has abandoned its plan to build a $2 billion battery plant in Valencia."),
    # a state in the past perfect is background history
    ("Norland had been on the sanctions list since 1991.",
     "Norland was taken off the sanctions list in 2009 under a new treaty."),
    # a sentence describing a document's method is not a finding it reported
    ("The study, published in the Halden Journal of Medicine, combines laboratory tests with a survey of nurses.",
     "The Halden Journal of Medicine has retracted the study at the request of its authors."),
])
def test_thin_evidence_never_flags(embedder, a, b):
    ev = _ev(embedder, a, b, a_published="2012-03-01", b_published="2017-06-01")
    assert ev is None or ev.verdict == UNSURE, ev


# --- kept: still links ----------------------------------------------------------------------------

KEPT = [
    # the claim's own source takes it back
    ("Guards at the Kellen camp burned prisoners' letters, the Daily Meridian reported, citing one official.",
     "The Daily Meridian said on Monday that it was retracting the item about the Kellen camp after its source recanted.",
     "corrected"),
    ("The senator took the bribe in 2019, the Hartley Post reported, citing two aides.",
     "The Hartley Post retracted the story on Friday, saying the aides could not be located.", "corrected"),
    ("Eating walnuts daily improves memory in older adults, according to a study by the Arden Institute.",
     "The Arden Institute retracted the walnut study after finding errors in its data.", "corrected"),
    # an explicit figure correction
    ("Brell Systems has 169,000 employees worldwide, the company's filing shows.",
     "An earlier story incorrectly stated that Brell Systems has 169,000 employees; it has about 180,000.",
     "corrected"),
    ("The Tarn dam holds 40 million cubic metres of water, the Halden water board said.",
     "Correction: the Tarn dam holds 14 million cubic metres of water, not 40 million as the Halden water board said.",
     "corrected"),
    ("The Osgood fire destroyed 300 homes in Marlow County, officials said.",
     "Marlow County officials revised the count on Friday: the Osgood fire destroyed 130 homes, not 300.", "corrected"),
    # a clear negation of the same proposition, same named subject
    ("Corporal Dane Whitby was killed by enemy fire when his convoy was ambushed, the army said.",
     "Corporal Dane Whitby was shot by his own unit, not by the enemy, the army said on Friday.", "corrected"),
    ("The Kessler Road bridge collapsed into the river overnight, residents told the Dale Courier.",
     "Reports that the Kessler Road bridge collapsed turned out to be untrue; the bridge is intact.", "corrected"),
    ("Mayor Olsen said the water from the Tarn reservoir is safe to drink.",
     "The water from the Tarn reservoir is not safe to drink, Mayor Olsen's own inspectors found.", "corrected"),
    # a named state lifted, a named plan dropped
    ("The Kessler Road bridge remains closed to traffic after the flood, the county said.",
     "The Kessler Road bridge reopened to traffic on Tuesday after repairs.", "superseded"),
    ("Castor Foods has agreed to buy Lindqvist Brands for $9 billion.",
     "Castor Foods called off its deal to buy Lindqvist Brands on Monday.", "superseded"),
    ("Halvorsen Energy plans to build a wind farm off the Tarn coast.",
     "Halvorsen Energy has scrapped its plan to build a wind farm off the Tarn coast.", "superseded"),
]


@pytest.mark.parametrize("a,b,status", KEPT)
def test_precise_evidence_still_links(embedder, a, b, status):
    links = _across(embedder, a, b)
    assert [lk.status for lk in links] == [status], links


@pytest.mark.parametrize("texts", [
    ["1:45 p.m. — Several news organisations report that the Dalby suspect has been arrested.",
     "2:45 p.m. — Police say no arrest has been made in the Dalby shooting."],
    ["8:07 a.m. — Phones across Tarn receive an alert saying a missile is headed for the island.",
     "8:45 a.m. — A second alert tells Tarn residents that the first was a false alarm and untrue."],
    ["Police initially reported that the Dalby suspect had been arrested at the scene.",
     "Police later said no arrest had been made and the Dalby suspect was still at large."],
])
def test_a_timeline_or_framed_correction_in_one_story_still_links(embedder, texts):
    links = _within(embedder, texts)
    assert [(lk.claim, lk.status) for lk in links] == [("s#0", "corrected")], links


# --- candidates in the index, and current-state questions -----------------------------------------

_src = write_source


def test_demoted_pairs_are_listed_for_the_editor_not_flagged(tmp_path, settings, embedder, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    _src(folder, "ferry-1", "2021-01-05", "The harbour ferry service remains suspended after the storm.")
    _src(folder, "ferry-2", "2021-02-09", "The harbour ferry service is no longer suspended and sailings resumed at dawn.")
    assert indexer.ingest([str(folder)]).ok
    st = indexer.store()
    assert st.all_links() == []
    cands = st.candidate_links()
    assert [lk.claim for lk in cands] == ["ferry-1#0"] and cands[0].by == ["ferry-2#0"]
    # quoted, the claim carries no flag, and the later-dated statement is shown beside it as later coverage
    from types import SimpleNamespace

    from bot.cite import cite

    claim = st.get_sentences(["ferry-1#0"])["ferry-1#0"]
    cits = cite(st, [SimpleNamespace(sentence=claim, score=1.0)])
    assert [(c.source, c.role, c.correction) for c in cits] == [("ferry-2", "later", None), ("ferry-1", "answer", None)]


def test_current_state_brings_the_newest_sources_stated_change(embedder):
    """Selection cited the newest source's aside ("Pryor said she saw no reason to return"); nothing
    is later than that source, so only its own sentence that states the change (stored update cue)
    can answer "is X still …" — and it does so only for such questions, only from that source."""
    from bot.later import later_statements, newest_first
    from bot.select import Scored
    from ingest.corrections.signals import cue
    from ingest.records import StoredSentence

    texts = ["Chirp permanently suspended Governor Dana Pryor's account, citing the risk of further incitement.",
             "Chirp reinstated Governor Dana Pryor's account on Saturday after a poll of its users.",
             "Pryor said she saw no reason to return to Chirp and would stay on her own platform.",
             "Halden Air lifted its ban on pets in cabins on Friday."]
    vecs = embedder.embed(texts)
    where = [("ban-1", 0, "2021-01-09"), ("ban-2", 0, "2022-11-20"), ("ban-2", 1, "2022-11-20"), ("other", 0, "2022-12-01")]

    def sc(i: int) -> Scored:
        src, idx, pub = where[i]
        s = StoredSentence(id=f"{src}#{idx}", source=src, index=idx, start=0, end=len(texts[i]), text=texts[i],
                           published=pub, vector=vecs[i], cue=cue(texts[i]))
        return Scored(sentence=s, dense=0.6, lex=0.5, names=1.0 if "Pryor" in texts[i] else 0.0, score=1.0 - i / 10)

    assert cue(texts[1]) in ("strong", "update") and cue(texts[2]) not in ("strong", "update")
    pool = [sc(i) for i in range(4)]
    q = "Is Dana Pryor still banned from Chirp?"
    got = later_statements([pool[2]], pool, q, frozenset({"pryor", "chirp"}))
    assert [s.sentence.id for s in got] == ["ban-2#0"]
    order = newest_first(["ban-2#0", "ban-2#1"], {"ban-2#0": "2022-11-20", "ban-2#1": "2022-11-20"})
    assert order[0] == "ban-2#0"  # the same date: the stated change, earlier in the story, leads
    # not for a question about something else than the current state
    assert later_statements([pool[2]], pool, "What did Dana Pryor say about Chirp?", frozenset({"pryor", "chirp"})) == []


def test_is_x_still_leads_with_the_newest_sources_stated_change(tmp_path, settings, embedder, indexer):
    from bot.engine import Engine

    folder = tmp_path / "src"
    folder.mkdir()
    _src(folder, "ban-1", "2021-01-09", "Chirp permanently suspended Governor Dana Pryor's account, citing the risk of "
                                        "further incitement.")
    _src(folder, "ban-2", "2022-11-20", "Chirp reinstated Governor Dana Pryor's account on Saturday after a poll of "
                                        "its users.", "Pryor said she saw no reason to return to Chirp and would stay "
                                        "on her own platform.")
    assert indexer.ingest([str(folder)]).ok
    eng = Engine(settings, embedder=embedder)
    for q in ("Is Dana Pryor still banned from Chirp?", "Is Governor Pryor still suspended from Chirp?"):
        ans = eng.ask(q)
        assert ans.answered and "reinstated" in ans.citations[0].text, [c.text for c in ans.citations]
