"""The editor's review loop (issue 10, item 3): candidates with reason and score, accept/reject by
ids derived from the sentences' texts, decisions kept in corrections.yml beside the sources and
replayed after --rebuild and after the sources change; a decision that no longer matches any
sentence is reported, never silently dropped; declared `corrects:` keeps working beside them."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import cli_runner
from ingest.corrections.review import pair_id

PORT = """---
id: port-1
title: Storm closes Lorne Harbour
publisher: Coast Daily (fictional)
published: 2022-01-10
---
Lorne Harbour remains closed to shipping, the port said.

Brenna Ferries said it has no plans to recall its older vessels.
"""
LATER = """---
id: port-2
title: Harbour back in business
publisher: Coast Daily (fictional)
published: 2022-02-03
---
Lorne Harbour reopened on Monday.

Brenna Ferries recalled three of its older vessels for inspection on Tuesday.
"""
CLAIM = "Brenna Ferries said it has no plans to recall its older vessels."
BY = "Brenna Ferries recalled three of its older vessels for inspection on Tuesday."


@pytest.fixture
def run(monkeypatch, embedder, capsys, tmp_path):
    src = tmp_path / "sources"
    src.mkdir()
    (src / "port-1.md").write_text(PORT)
    (src / "port-2.md").write_text(LATER)
    _run = cli_runner(monkeypatch, embedder, capsys, src, tmp_path / "data")
    _run.src = src
    return _run


def _links(run) -> dict[str, dict]:
    code, out, _ = run("corrections", "--json")
    assert code == 0
    return {r["claim"]["text"]: r for r in json.loads(out)}


def _candidates(run) -> list[dict]:
    code, out, _ = run("corrections", "--candidates", "--json")
    assert code == 0
    return json.loads(out)["candidates"]


def test_unsure_pairs_are_kept_as_candidates_and_accepting_one_links_it(run):
    assert run("ingest")[0] == 0
    assert CLAIM in _links(run)  # the clear-cut pair is a link
    cands = _candidates(run)
    assert [c["claim"]["text"] for c in cands] == ["Lorne Harbour remains closed to shipping, the port said."]
    c = cands[0]
    assert c["by"]["text"] == "Lorne Harbour reopened on Monday."
    assert c["family"] == "status" and c["status"] == "superseded" and 0 < c["score"] and "closed" in c["note"]
    assert c["id"] == pair_id(c["claim"]["text"], c["by"]["text"])
    code, out, _ = run("corrections", "--candidates")
    assert code == 0 and c["id"] in out and "why:" in out

    code, out, err = run("corrections", "accept", c["id"])
    assert code == 0, err
    link = _links(run)["Lorne Harbour remains closed to shipping, the port said."]
    assert link["origin"] == "editor" and link["status"] == "superseded"
    assert _candidates(run) == []
    saved = yaml.safe_load((run.src / "corrections.yml").read_text())
    assert saved[0]["id"] == c["id"] and saved[0]["decision"] == "accept"
    assert saved[0]["claim"] == "Lorne Harbour remains closed to shipping, the port said."


def test_reject_works_on_detected_links_and_survives_rebuild_and_edits(run):
    run("ingest")
    lid = _links(run)[CLAIM]["id"]
    assert lid == pair_id(CLAIM, BY)
    code, _, err = run("corrections", "reject", lid)
    assert code == 0, err
    assert CLAIM not in _links(run)
    # --rebuild re-detects everything; the decision is replayed
    assert run("ingest", "--rebuild")[0] == 0
    assert CLAIM not in _links(run)
    # an edit elsewhere in the sources moves sentence positions; the id (from texts) still holds
    (run.src / "port-1.md").write_text(PORT.replace("---\nLorne", "---\nA storm hit the coast on Sunday.\n\nLorne"))
    assert run("ingest")[0] == 0
    assert CLAIM not in _links(run)
    assert "Lorne Harbour remains closed to shipping, the port said." in {
        c["claim"]["text"] for c in _candidates(run)}


def test_a_decision_that_matches_no_sentence_is_reported(run):
    run("ingest")
    lid = _links(run)[CLAIM]["id"]
    run("corrections", "reject", lid)
    (run.src / "port-1.md").write_text(PORT.replace("older vessels", "old vessels"))
    code, out, err = run("ingest")
    assert code == 0
    assert f"decision {lid} (reject) no longer matches any sentence" in out + err
    code, out, err = run("corrections")
    assert f"decision {lid} (reject) no longer matches any sentence" in err
    # ... and it stays in the file for the editor to fix
    assert yaml.safe_load((run.src / "corrections.yml").read_text())[0]["id"] == lid


def test_unknown_ids_and_missing_ids_are_one_line_errors(run):
    run("ingest")
    code, _, err = run("corrections", "accept", "c00000000")
    assert code == 2 and "no link or candidate has id 'c00000000'" in err
    code, _, err = run("corrections", "reject")
    assert code == 2 and "needs the ID" in err


def test_declared_corrects_keep_working_beside_decisions(run):
    (run.src / "port-3.md").write_text("---\nid: port-3\ntitle: Note\npublished: 2022-03-01\ncorrects:\n"
                                       "  - source: port-1\n    quote: remains closed to shipping\n"
                                       "    status: corrected\n---\nThe harbour was never closed; only one berth "
                                       "was.\n")
    assert run("ingest")[0] == 0
    link = _links(run)["Lorne Harbour remains closed to shipping, the port said."]
    assert link["origin"] == "declared" and link["status"] == "corrected"


def test_a_decision_is_refused_when_the_sources_folder_is_not_there(run, monkeypatch, tmp_path):
    """The default corrections.yml is `FACTDESK_SOURCES_DIR/corrections.yml`, and that folder is
    relative (data/sources): an editor running `corrections reject` from another directory got a
    fresh data/sources/ made there, the decision written into it, and lost on the next re-index run
    from the sources' own folder. Now: one line naming the folder, nothing written or applied."""
    run("ingest")
    lid = _links(run)[CLAIM]["id"]
    elsewhere = tmp_path / "elsewhere" / "data" / "sources"
    monkeypatch.setenv("FACTDESK_SOURCES_DIR", str(elsewhere))
    code, out, err = run("corrections", "reject", lid)
    assert code == 2 and "does not exist" in err and str(elsewhere) in err and "FACTDESK_SOURCES_DIR" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "elsewhere").exists()
    assert CLAIM in _links(run)  # not applied either



def test_deciding_prints_no_chroma_warning(run, tmp_path):
    """`corrections reject` in a new process (a write to a collection it only opened) printed
    Chroma's "UserWarning: Could not reconstruct embedding function factdesk-refuse" twice on every
    decision: the collection's stored schema names factdesk's refusing embedding function, which
    Chroma could not look up by name. In-process the collection's schema is still the one it was
    created with, so this needs a process of its own."""
    import os
    import subprocess
    import sys

    run("ingest")
    lid = _links(run)[CLAIM]["id"]
    env = {**os.environ, "FACTDESK_SOURCES_DIR": str(run.src), "FACTDESK_DATA_DIR": str(tmp_path / "data"),
           "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "always"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "corrections", "reject", lid], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "reconstruct embedding function" not in done.stderr


def test_accepting_a_rejected_pair_again_keeps_its_status(run):
    """A superseded pair accepted, rejected, then accepted again came back "corrected": the reject
    entry kept no status, and re-accepting a pair known only from the file took the default."""
    run("ingest")
    (c,) = _candidates(run)
    assert c["status"] == "superseded"
    assert run("corrections", "accept", c["id"])[0] == 0
    assert run("corrections", "reject", c["id"])[0] == 0
    assert c["claim"]["text"] not in _links(run)
    code, _, err = run("corrections", "accept", c["id"])
    assert code == 0, err
    assert _links(run)[c["claim"]["text"]]["status"] == "superseded"


def test_an_unreadable_decisions_file_says_what_and_where(run):
    """A YAML slip in corrections.yml was reported as "(while parsing a flow sequence)": PyYAML's
    first line, with neither the problem nor the line."""
    run("ingest")
    (run.src / "corrections.yml").write_text("- id: c1\n  decision: [reject\n  claim: x\n")
    code, _, err = run("corrections")
    assert "cannot read editor decisions (while parsing a flow sequence: expected ',' or ']'" in err
    assert "(line 3, column 8)" in err


def test_an_unreadable_decisions_file_stops_the_ingest_before_it_drops_them(run):
    """With a YAML slip in corrections.yml, `ingest` relinked without any decision (one warning
    line): a link the editor had rejected was shown as ⚠ again to every reader, and editor links
    vanished, until the file was fixed. Now the ingest stops first, in one line, changing nothing."""
    run("ingest")
    lid = _links(run)[CLAIM]["id"]
    assert run("corrections", "reject", lid)[0] == 0
    good = (run.src / "corrections.yml").read_text()
    (run.src / "corrections.yml").write_text(good + "- id: [broken\n")
    (run.src / "port-3.md").write_text(LATER.replace("port-2", "port-3"))
    code, out, err = run("ingest")
    assert code == 1 and "cannot read editor decisions" in err and "nothing was indexed" in err
    assert CLAIM not in _links(run)  # the rejection still holds
    (run.src / "corrections.yml").write_text(good)
    code, out, err = run("ingest")
    assert code == 0 and "added: port-3" in out and CLAIM not in _links(run)
