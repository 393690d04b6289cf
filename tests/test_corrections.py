"""Correction links: the product's reason to exist. Exact flags on the bundled article, on a
multi-source corpus, across re-indexing, and for declared corrections."""

from __future__ import annotations

import shutil

import pytest

from bot.engine import Engine
from conftest import ROOT, SEED_ID, SOURCES
from ingest.dates import is_later
from ingest.records import split_sentence_id

MULTI = ROOT / "data" / "eval" / "multisource"


def _flags(store) -> dict[str, tuple[str, list[str]]]:
    rows = {}
    for lk in store.all_links():
        claim = store.get_sentences([lk.claim])[lk.claim].text
        by = [r.text for r in store.get_sentences(lk.by).values()]
        rows[claim] = (lk.status, by)
    return rows


def test_seed_article_flags_exactly_the_reported_claim(indexer):
    indexer.ingest([str(SOURCES)])
    links = indexer.store().all_links()
    assert len(links) == 1
    lk = links[0]
    claim = indexer.store().get_sentences([lk.claim])[lk.claim].text
    assert claim.startswith("The influential watchdog said in last month’s report")
    assert lk.status == "corrected" and lk.origin == "detected"
    by = " ".join(r.text for r in indexer.store().get_sentences(lk.by).values())
    assert "proved “inoperable.”" in by and "never actively used" in by
    assert "Human Rights Watch" in lk.note and "Bloomberg" in lk.note and "June 2019" in lk.note


def test_police_app_question_is_answered_with_the_correction_leading(seed_engine):
    ans = seed_engine.ask("Did the police app use Megvii's face matching?")
    assert ans.answered
    assert ans.answer.startswith("Note:")
    first = ans.citations[0]
    assert first.correction is None and ("inoperable" in first.text or "withdrawn" in first.text)
    flagged = [c for c in ans.citations if c.correction]
    assert flagged and all(c.correction.status == "corrected" for c in flagged)
    for c in flagged:
        # Whatever corrected a quoted claim is quoted before it.
        by_texts = {b.text for b in c.correction.by}
        assert by_texts and all(any(x.text == t and x.n < c.n for x in ans.citations) for t in by_texts)


@pytest.mark.parametrize("question", [
    "What is IJOP?", "Did CETC comment on the report?", "What did Megvii say about the corrections?",
    "Who developed the police app?",
])
def test_unrelated_answers_carry_no_flag(seed_engine, question):
    ans = seed_engine.ask(question)
    assert all(c.correction is None for c in ans.citations), [c.text for c in ans.citations if c.correction]


def test_multi_source_corpus_recall_and_no_false_flags(tmp_path, indexer):
    report = indexer.ingest([str(MULTI)])
    assert report.ok and report.flagged == 2
    flags = _flags(indexer.store())
    assert set(flags) == {
        "The plant will employ 5,000 workers when it reaches full production in 2024, the company said.",
        "Voltaic said it is not aware of any federal investigation into the safety of its vehicles.",
    }
    status, by = flags["The plant will employ 5,000 workers when it reaches full production in 2024, the company said."]
    assert status == "corrected" and any("incorrectly stated" in b for b in by)
    status, by = flags["Voltaic said it is not aware of any federal investigation into the safety of its vehicles."]
    assert status == "superseded" and any("opened a federal investigation" in b for b in by)


def test_adding_changing_and_removing_sources_updates_flags(tmp_path, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ("01-voltaic-ohio-plant.md", "03-voltaic-dealers.md"):
        shutil.copy(MULTI / name, folder / name)
    assert indexer.ingest([str(folder)]).flagged == 0
    # A later correction arrives: the old claim is flagged.
    shutil.copy(MULTI / "02-voltaic-correction.md", folder)
    report = indexer.ingest([str(folder)])
    assert (report.flagged, report.unflagged) == (1, 0)
    # The correction is edited so it no longer corrects anything: the flag goes.
    corr = folder / "02-voltaic-correction.md"
    head = corr.read_text().split("\n---\n")[0] + "\n---\n"
    corr.write_text(head + "Voltaic's plant opened a visitor centre.\n")
    report = indexer.ingest([str(folder)])
    assert (report.flagged, report.unflagged) == (0, 1)
    assert indexer.store().all_links() == []
    # Restored, then removed: flagged, then unflagged.
    shutil.copy(MULTI / "02-voltaic-correction.md", folder)
    assert indexer.ingest([str(folder)]).flagged == 1
    report = indexer.remove(["voltaic-correction"])
    assert report.unflagged == 1 and indexer.store().all_links() == []


def test_undated_or_earlier_sources_never_correct_by_detection(tmp_path, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(MULTI / "01-voltaic-ohio-plant.md", folder)
    text = (MULTI / "02-voltaic-correction.md").read_text().replace("published: 2021-03-09\n", "")
    (folder / "undated.md").write_text(text)
    assert indexer.ingest([str(folder)]).flagged == 0
    (folder / "undated.md").write_text(text.replace("---\nid:", "---\npublished: 2021-02-01\nid:"))
    indexer.ingest([str(folder)])
    # The earlier-dated notice corrects nothing (the later plant story giving 5,000 workers may
    # overtake its "500 workers": a later figure for the same quantity).
    assert not [lk for lk in indexer.store().all_links() if "voltaic-correction" in {split_sentence_id(b)[0] for b in lk.by}]


def test_partial_dates():
    assert is_later("2019-06", "2019-05") and is_later("2019-07-01", "2019-06")
    assert not is_later("2019-06-10", "2019-06") and not is_later("2019", "2019-06")
    assert not is_later("", "2019-06") and not is_later("2019-06", "")


DECLARING = """---
id: hrw-statement
title: Human Rights Watch statement
publisher: Human Rights Watch (fictional copy)
published: 2019-06-12
corrects:
  - source: voltaic-dealers-lawsuit
    quote: "owes them more than $12 million"
    status: corrected
    note: The dealers revised their figure to $1.2 million
---
The dealers now say Voltaic owes them $1.2 million, not $12 million.
"""


def test_declared_corrections_apply_and_invalid_ones_fail_cleanly(tmp_path, indexer):
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(MULTI / "03-voltaic-dealers.md", folder)
    indexer.ingest([str(folder)])
    (folder / "decl.md").write_text(DECLARING)
    report = indexer.ingest([str(folder)])
    assert report.ok
    flags = _flags(indexer.store())
    assert flags["The dealers said Voltaic owes them more than $12 million."][0] == "corrected"
    link = indexer.store().all_links()[0]
    assert link.origin == "declared" and "1.2 million" in link.note

    before = indexer.store().source_records()
    (folder / "bad.md").write_text(DECLARING.replace("hrw-statement", "bad-one").replace(
        "owes them more than $12 million", "a quote that is nowhere"))
    (folder / "ambiguous.md").write_text(DECLARING.replace("hrw-statement", "ambiguous").replace(
        "owes them more than $12 million", "Voltaic"))
    report = indexer.ingest([str(folder)])
    fails = {r.source_id: r.reason for r in report.results if r.status == "failed"}
    assert "matches no sentence" in fails["bad-one"]
    assert "matches" in fails["ambiguous"] and "sentences" in fails["ambiguous"]
    assert set(indexer.store().source_records()) == set(before)


def test_corrections_listing(tmp_path, settings, embedder, indexer):
    indexer.ingest([str(SOURCES)])
    rows = Engine(settings, embedder=embedder).corrections()
    assert len(rows) == 1 and rows[0].correction.status == "corrected" and rows[0].claim.source == SEED_ID
    assert rows[0].to_json()["status"] == "corrected" and rows[0].to_json()["claim"]["source"] == SEED_ID
    srcs = Engine(settings, embedder=embedder).sources()
    assert srcs[0].flagged == 1 and srcs[0].record.id == SEED_ID


LATER_NEWS = """---
id: entity-list-2019
title: U.S. Blacklists Chinese AI Firms Over Xinjiang
publisher: Example Wire (fictional)
published: 2019-10-08
---
The U.S. Commerce Department on Monday added 28 Chinese entities, including Megvii and SenseTime, to its Entity List, barring them from buying components from U.S. companies without government approval.

Megvii said it strongly objects to the decision.

Separately, a research group alleged that Megvii's software was used by retailers to track shoppers.
"""


def test_a_later_source_supersedes_a_status_claim_in_the_seed(tmp_path, indexer):
    folder = tmp_path / "src"
    shutil.copytree(SOURCES, folder)
    (folder / "later.md").write_text(LATER_NEWS)
    indexer.ingest([str(folder)])
    flags = _flags(indexer.store())
    aware = [t for t in flags if "not aware of being on any U.S. government list" in t]
    assert aware and flags[aware[0]][0] == "superseded"
    assert any("Entity List" in b for b in flags[aware[0]][1])
    # The unrelated allegation about the same company flags nothing; the seed claim stays corrected.
    assert not any("retailers" in b for _, by in flags.values() for b in by)
    assert [s for s, _ in flags.values()].count("corrected") == 1


EARLIER_NEWS = """---
id: may-report-coverage
title: Police App Used in Xinjiang Surveillance, Rights Group Says
publisher: Example Daily (fictional)
published: 2019-05-02
---
Chinese police in Xinjiang are using a mobile app to collect personal data and flag people for investigation, Human Rights Watch said in a report on Wednesday.

The app, which connects to the Integrated Joint Operations Platform, uses facial recognition technology from Beijing-based Megvii to match faces against identity documents, the group said.

Megvii, whose Face++ platform is used by thousands of developers, did not respond to a request for comment.
"""


def test_the_seed_corrects_an_earlier_article_that_stated_the_claim(tmp_path, indexer, seed_engine):
    folder = tmp_path / "src"
    shutil.copytree(SOURCES, folder)
    (folder / "may.md").write_text(EARLIER_NEWS)
    report = indexer.ingest([str(folder)])
    assert report.flagged == 2
    flags = _flags(indexer.store())
    may_claim = [t for t in flags if t.startswith("The app, which connects")]
    assert may_claim and flags[may_claim[0]][0] == "corrected"
    assert any("has withdrawn an assertion" in b for b in flags[may_claim[0]][1])
    # The May story's other sentences, about the same company, stay unflagged.
    assert not any(t.startswith(("Chinese police", "Megvii, whose")) for t in flags)
    from bot.engine import Engine

    ans = Engine(indexer.settings, embedder=indexer.embedder).ask("Did the police app use Megvii's facial recognition?")
    assert ans.answered and ans.citations[0].correction is None
    assert all(c.correction for c in ans.citations if c.text.startswith("The app, which connects"))


OTHER_OUTLET = """---
id: other-outlet
title: Human Rights Watch retracts claim about Megvii software in police app
publisher: Example Post (fictional)
published: 2019-06-10
---
Human Rights Watch retracts claim about Megvii software in police app

Human Rights Watch has retracted part of a report that said Chinese facial recognition company Megvii's software was used in a police surveillance app in Xinjiang.

The report, published in May, said the Integrated Joint Operations Platform app contained code from Megvii's Face++ platform that was used to verify users' identities.

After Megvii contacted the group, Human Rights Watch said further analysis showed the code appeared to be inoperable and was never used by the app.

The rest of the report, which documents mass surveillance of Uighurs, still stands, the group said.

Megvii, which is backed by Alibaba, is preparing for an initial public offering in Hong Kong.
"""


def test_within_source_detection_on_other_wording(tmp_path, indexer):
    (tmp_path / "other.md").write_text(OTHER_OUTLET)
    indexer.ingest([str(tmp_path / "other.md")])
    flags = _flags(indexer.store())
    assert list(flags) == ["The report, published in May, said the Integrated Joint Operations Platform app "
                           "contained code from Megvii's Face++ platform that was used to verify users' identities."]
    status, by = next(iter(flags.values()))
    assert status == "corrected"
    assert any("inoperable" in b for b in by) and not any(b.startswith("Human Rights Watch retracts") for b in by)
