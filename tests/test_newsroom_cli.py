"""issue 14 in the terminal: `factdesk check`, help that explains itself, answers that name a
source once, sources/status, remove by path, the missing-file warning, --prune's exit code and
Ctrl-C in the chat."""

from __future__ import annotations

import json

from tests.test_cli import run  # noqa: F401  (the in-process CLI fixture)

DRAFT = ("Hi all, a quick check before we publish. Human Rights Watch found that a police app in Xinjiang "
         "used Megvii's technology to match faces with photo identification. Is that still right? "
         "The company opened a new office on Mars last week. Thanks.")


def test_check_json_flags_the_withdrawn_claim_and_says_not_found_for_the_unknown(run):  # noqa: F811
    code, out, _ = run("check", "--json", DRAFT)
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    # the greeting, the question and the sign-off state nothing: two statements are checked
    assert [r["text"] for r in rows] == [
        "Human Rights Watch found that a police app in Xinjiang used Megvii's technology to match faces with "
        "photo identification.", "The company opened a new office on Mars last week."]
    for r in rows:
        assert DRAFT[r["start"]:r["end"]] == r["text"]
    claim, mars = rows
    assert claim["verdict"] == "corrected"
    flagged = [c for c in claim["citations"] if c["correction"]]
    assert flagged and "match faces" in flagged[0]["text"]
    quoted = " ".join(c["text"] for c in claim["citations"])
    assert "Human Rights Watch has withdrawn an assertion" in quoted
    assert {"n", "source", "title", "published", "sentence", "start", "end", "text", "correction"} <= set(
        claim["citations"][0])
    assert mars["verdict"] == "not_found" and mars["citations"] == []


def test_check_reads_standard_input_and_renders_for_people(run):  # noqa: F811
    code, out, _ = run("check", "-", stdin=DRAFT)
    assert code == 0
    assert "⚠ The sources on this point include a claim later corrected" in out
    assert "Not in the sources" in out and "CORRECTED" in out
    code, _, err = run("check", stdin="   ")
    assert code == 2 and "check what?" in err
