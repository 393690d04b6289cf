"""issue 14 in the terminal: `factdesk check`, help that explains itself, answers that name a
source once, sources/status, remove by path, the missing-file warning, --prune's exit code and
Ctrl-C in the chat."""

from __future__ import annotations

import io
import json

import pytest

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


def _folder(tmp_path):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Alpha opens\npublisher: Ohio Daily\npublished: 2024-03-01\n---\n"
                                 "Alpha Corp opened a plant in Ohio on Monday.\n", encoding="utf-8")
    (folder / "b.md").write_text("# Beta closes\n\nBeta Corp closed a plant in Texas on Friday.\n", encoding="utf-8")
    return folder


def test_remove_takes_ids_paths_and_folders_and_says_when_nothing_matches(run, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    assert run("ingest", str(folder))[0] == 0
    code, out, _ = run("remove", str(folder / "a.md"))
    assert code == 0 and "removed: a" in out
    code, out, _ = run("remove", str(tmp_path / "stories" / "nothing.md"), "--json")
    rep = json.loads(out)
    assert code == 1 and rep["results"][0]["status"] == "failed" and "file path or URL" in rep["results"][0]["reason"]
    code, out, _ = run("remove", str(folder))  # a folder: every source indexed from it
    assert code == 0 and "removed: b" in out
    code, out, _ = run("sources", "--json")
    assert json.loads(out) == []


def test_ingest_warns_about_sources_whose_files_are_gone_and_prune_exits_0(run, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    run("ingest", str(folder))
    (folder / "a.md").unlink()
    code, out, _ = run("ingest", str(folder))
    assert code == 0
    assert "warning: 1 indexed source(s) whose file is gone: a (" in out and "--prune" in out
    code, out, _ = run("sources", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["a"]["missing"] is True and rows["b"]["missing"] is False
    code, out, _ = run("sources")
    assert "missing" in out
    code, out, _ = run("ingest", "--prune", str(folder))
    assert code == 0 and "removed: a" in out and "whose file is gone" not in out
    # a deleted file named to --prune is pruned, not a failure
    (folder / "b.md").unlink()
    code, out, _ = run("ingest", "--prune", str(folder / "b.md"))
    assert code == 0 and "removed: b" in out


def test_sources_json_has_every_field_and_status_sums_it_up(run, tmp_path):  # noqa: F811
    from conftest import SOURCES

    run("ingest", str(SOURCES), str(_folder(tmp_path)))
    code, out, _ = run("sources", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    m = rows["megvii-hrw-correction-2019"]
    assert {"id", "title", "publisher", "published", "url", "path", "sentences", "flagged", "corrects", "indexed_at",
            "missing"} <= set(m)
    assert (m["publisher"], m["published"], m["sentences"], m["flagged"], m["corrects"], m["missing"]) == (
        "Bloomberg", "2019-06", 20, 1, 1, False)
    assert m["indexed_at"].endswith("Z") and rows["a"]["publisher"] == "Ohio Daily"
    code, out, _ = run("sources")
    assert all(len(line) <= 80 for line in out.splitlines())  # readable at 80 columns
    code, out, _ = run("status", "--json")
    st = json.loads(out)
    assert (st["sources"], st["sentences"], st["flagged"], st["corrections"]) == (3, 23, 1, 1)
    assert st["last_indexed"] and "MiniLM" in st["model"] and st["recent_corrections"][0]["status"] == "corrected"
    code, out, _ = run("status")
    assert code == 0 and "flagged        1" in out and "latest corrections" in out


@pytest.fixture
def slack_api(monkeypatch):
    from tests.mock_slack import BOT_TOKEN, MockSlackAPI

    api = MockSlackAPI().start()
    monkeypatch.setenv("SLACK_API_URL", api.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("FACTDESK_ALERT_CHANNEL", "C0ALERTS")
    yield api
    api.stop()


def test_an_ingest_that_links_a_correction_alerts_the_channel_once(run, slack_api, tmp_path):  # noqa: F811
    from conftest import SOURCES

    code, out, _ = run("ingest", str(SOURCES))
    assert code == 0 and "1 sentence(s) newly flagged" in out
    (post,) = [c.params for c in slack_api.of("chat.postMessage")]
    assert post["channel"] == "C0ALERTS"
    shown = "\n".join(_all_text(post["blocks"]))
    assert "⚠ *CORRECTED*" in shown and "Withdrawn by Human Rights Watch" in shown
    assert "match faces with photo identification" in shown  # the claim
    assert "Human Rights Watch has withdrawn an assertion" in shown  # what corrected it
    assert "Rights Group Corrects Report Tying Megvii to Xinjiang Police" in shown and "June 2019" in shown
    from tests.test_slack_answers_read_well import assert_no_stray_quote_marker

    assert_no_stray_quote_marker(post["blocks"])
    # an ingest that links nothing new posts nothing
    code, out, _ = run("ingest", str(SOURCES), str(_folder(tmp_path)))
    assert code == 0 and len(slack_api.of("chat.postMessage")) == 1


def test_a_later_source_correcting_an_indexed_claim_alerts_on_that_ingest(run, slack_api, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    assert run("ingest", str(folder))[0] == 0
    assert slack_api.of("chat.postMessage") == []  # nothing linked yet
    (folder / "c.md").write_text(
        "---\ntitle: Alpha plant plan dropped\npublisher: Ohio Daily\npublished: 2024-05-02\ncorrects:\n"
        "  - source: a\n    quote: Alpha Corp opened a plant in Ohio on Monday.\n    status: corrected\n"
        "    note: The plant never opened; corrected on 2 May 2024\n"
        "    by: An earlier story wrongly said Alpha Corp had opened its Ohio plant.\n---\n"
        "An earlier story wrongly said Alpha Corp had opened its Ohio plant.\n", encoding="utf-8")
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "1 sentence(s) newly flagged" in out
    (post,) = [c.params for c in slack_api.of("chat.postMessage")]
    shown = "\n".join(_all_text(post["blocks"]))
    assert "Alpha Corp opened a plant in Ohio on Monday." in shown and "wrongly said" in shown
    assert "The plant never opened" in shown and "Ohio Daily" in shown and "2 May 2024" in shown


def test_a_failed_alert_is_logged_and_never_fails_the_ingest(run, slack_api, caplog):  # noqa: F811
    from conftest import SOURCES

    slack_api.errors["chat.postMessage"] = "channel_not_found"
    code, out, _ = run("ingest", str(SOURCES))
    assert code == 0 and "added: megvii-hrw-correction-2019" in out
    assert "could not post correction alerts to C0ALERTS (channel_not_found)" in caplog.text


def _all_text(blocks):
    from tests.mock_slack import all_text

    return all_text(blocks).split("\n")


def test_alerts_stop_at_twenty_per_run_with_a_summary_line(slack_api):
    from bot.alerts import MAX_ALERTS, post_alerts
    from ingest.settings import Settings

    s = Settings(_env_file=None)
    from bot.answer import Correction, CorrectionEntry, QuotedSentence

    rows = [CorrectionEntry(QuotedSentence("s", "T", i, 0, 9, f"Claim {i}.", "2020-01"),
                            Correction("superseded", "overtaken", "detected",
                                       (QuotedSentence("l", "L", i, 0, 9, f"Later {i}.", "2021-01"),)))
            for i in range(25)]
    assert post_alerts(s, rows, {}) == MAX_ALERTS + 1
    posts = [c.params for c in slack_api.of("chat.postMessage")]
    assert len(posts) == 21 and "5 more newly linked correction(s)" in posts[-1]["text"]
    assert "Claim 0." in "\n".join(_all_text(posts[0]["blocks"]))


COMMANDS = ["ingest", "remove", "ask", "chat", "check", "sources", "status", "corrections", "eval", "slack", "feedback"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_examples(command, capsys):
    from bot.cli import main

    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0
    assert "examples:" in out and f"factdesk {command}" in out.split("examples:", 1)[1]
    if "--json" in out and command not in ("slack",):
        assert "--json prints" in out or "--json (or piped input)" in out  # what --json prints


def test_top_help_names_the_data_dir_and_env_file_and_chat_help_its_commands(capsys):
    from bot.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "FACTDESK_DATA_DIR" in out and ".env" in out
    with pytest.raises(SystemExit):
        main(["chat", "--help"])
    out = capsys.readouterr().out
    for cmd in ("/sources", "/corrections", "/reset", "/quit", "Ctrl-C", "Ctrl-D"):
        assert cmd in out


CHAT_DRIVER = """
import io, json, sys
from prompt_toolkit import PromptSession
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console
from bot.cli.asking import chat_loop
from bot.cli.common import App
from bot.conversation import Conversation
from ingest.settings import Settings

app = App(Settings(_env_file=None, data_dir=sys.argv[1]))
out = Console(record=True, width=100, file=io.StringIO())
with create_pipe_input() as pipe:
    pipe.send_text(json.loads(sys.argv[2]))
    code = chat_loop(app, Conversation(), PromptSession(input=pipe, output=DummyOutput()), out)
print(json.dumps({"code": code, "text": out.export_text()}))
"""


def _chat(seed_engine, keys: str):
    """Drive the interactive chat through prompt_toolkit's own pipe input (real key parsing) over
    the seed index. In a process of its own: prompt_toolkit polls its input with select(), which
    fails on descriptors above 1024, and a long test session can hold that many."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", CHAT_DRIVER, str(seed_engine.settings.data_dir), json.dumps(keys)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return got["code"], got["text"]


def test_ctrl_c_clears_the_line_and_ctrl_d_quits(seed_engine):
    # typed half a question, Ctrl-C, then a real one, then Ctrl-D on the empty line
    code, text = _chat(seed_engine, "What is the capital of Fr\x03Who developed the police app?\r\x04")
    assert code == 0
    assert "state-owned China" in text  # the second question was answered ...
    assert "capital" not in text and "don't say" not in text  # ... and the cleared one never asked


def test_quit_command_ends_the_chat(seed_engine):
    code, text = _chat(seed_engine, "/sources\r/quit\rWho developed the police app?\r")
    assert code == 0 and "megvii-hrw-correction-2019" in text and "China Electronics" not in text


def test_a_terminal_answer_names_its_source_once_and_offsets_only_when_verbose(run):  # noqa: F811
    from tests.test_slack_http import FACE_Q

    code, out, _ = run("ask", FACE_Q)
    assert code == 0
    assert out.count("Rights Group Corrects Report") == 1 and "same source as [1]" in out
    assert "chars" not in out and "(detected)" not in out
    assert "corrected by [1]–[3] above" in out
    code, out, _ = run("-v", "ask", FACE_Q)
    assert "sentence 3 (chars 354–654)" in out and "(detected)" in out


def test_feedback_prints_a_slack_users_question_as_one_safe_line(run, tmp_path):  # noqa: F811
    """Votes carry what a Slack user typed; `factdesk feedback` printed it raw, so an escape sequence
    in a question (or a source id) reached the editor's terminal and a newline broke the listing."""
    import os

    from bot.feedback import FeedbackLog, Vote

    log = FeedbackLog(os.environ["FACTDESK_DATA_DIR"])
    log.record(Vote(user="U1", question="\x1b]0;owned\x07What is\x1b[2J Megvii?\nsecond line", answer="a",
                    sources=["src\x1b[31m"], vote=-1))
    code, out, _ = run("feedback")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "👎   1  What is Megvii? second line\n" in out and "👎   1  src\n" in out
    code, out, _ = run("feedback", "--json")
    assert json.loads(out)["questions"][0]["question"].startswith("\x1b]0;owned")  # JSON keeps the record as it is


def test_ingest_help_names_only_file_types_it_reads(capsys):
    """`ingest --help` promised ".pdf …", which ingest refuses ("unsupported file type .pdf")."""
    import re

    from bot.cli import main
    from ingest.listing import SUFFIXES

    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    named = set(re.findall(r"\(([^)]*\.txt[^)]*)\)", capsys.readouterr().out)[0].replace(",", " ").split()) - {"…"}
    assert named and named <= SUFFIXES, named - SUFFIXES


def test_a_file_moved_with_its_id_is_found_at_its_new_path(run, tmp_path):  # noqa: F811
    """A file renamed with its text (and front-matter id) unchanged was "unchanged" but kept its old
    path: every ingest warned that its file was gone, `sources` said missing, and following the advice
    (`factdesk remove OLD-PATH`) removed the live source. Now the record follows the file."""
    folder = _folder(tmp_path)
    (folder / "c.md").write_text("---\nid: gamma-plant\ntitle: Gamma opens\npublished: 2024-03-02\n---\n"
                                 "Gamma Corp opened a plant in Utah on Monday.\n", encoding="utf-8")
    run("ingest", str(folder))
    (folder / "c.md").rename(folder / "c-renamed.md")
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "whose file is gone" not in out
    assert "0 embedded" in next(x for x in out.splitlines() if "gamma-plant" in x)  # moved, not re-embedded
    rows = {r["id"]: r for r in json.loads(run("sources", "--json")[1])}
    assert rows["gamma-plant"]["path"].endswith("c-renamed.md") and rows["gamma-plant"]["missing"] is False
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "unchanged: gamma-plant" in out and "whose file is gone" not in out


def test_a_data_folder_that_is_a_file_is_one_line(run, tmp_path, monkeypatch):  # noqa: F811
    """FACTDESK_DATA_DIR naming a file (a typo, a mount gone wrong): `ingest` ended in a
    FileExistsError traceback from the ingest lock and `ask` said the index was empty."""
    data = tmp_path / "notes.txt"
    data.write_text("not a folder\n")
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(data))
    for argv in (("ingest", str(_folder(tmp_path))), ("ask", "Who opened a plant?")):
        code, out, err = run(*argv)
        assert code == 2 and out == "" and "FACTDESK_DATA_DIR" in err and "not a folder" in err
        assert len(err.strip().splitlines()) == 1
    assert data.read_text() == "not a folder\n"


def test_verbose_may_follow_the_command(run):  # noqa: F811
    """`factdesk ask "…" -v` failed with "unrecognized arguments: -v": only `factdesk -v ask` worked."""
    from tests.test_slack_http import FACE_Q

    code, out, _ = run("ask", FACE_Q, "-v")
    assert code == 0 and "sentence 3 (chars 354–654)" in out
    code, out, _ = run("ask", FACE_Q)
    assert code == 0 and "chars" not in out


def test_a_file_whose_id_changed_leaves_no_stale_copy(run, tmp_path):  # noqa: F811
    """Editing a file's `id:` indexed it under the new id and kept the old one too, both pointing at
    the same file (never missing, never pruned): every sentence twice in the index, for good."""
    folder = tmp_path / "stories"
    folder.mkdir()
    story = folder / "f.md"
    story.write_text("---\nid: old-id\npublished: 2024-01-01\n---\nThe ferry to Ash Island was suspended on Monday.\n")
    run("ingest", str(folder))
    story.write_text(story.read_text().replace("old-id", "new-id"))
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "added: new-id" in out and "removed: old-id" in out
    assert [r["id"] for r in json.loads(run("sources", "--json")[1])] == ["new-id"]


def test_an_id_change_refused_by_its_declared_corrects_keeps_the_old_source(run, tmp_path):  # noqa: F811
    """The old id goes only when the file is indexed under its new one: a failing declared quote
    leaves the index as it was."""
    folder = tmp_path / "stories"
    folder.mkdir()
    story = folder / "f.md"
    story.write_text("---\nid: old-id\npublished: 2024-01-01\n---\nThe ferry to Ash Island was suspended on Monday.\n")
    run("ingest", str(folder))
    story.write_text("---\nid: new-id\npublished: 2024-01-01\ncorrects:\n  - source: nowhere\n    quote: no such words\n"
                     "---\nThe ferry to Ash Island was suspended on Monday.\n")
    code, out, _ = run("ingest", str(folder))
    assert code == 1 and "removed" not in out
    assert [r["id"] for r in json.loads(run("sources", "--json")[1])] == ["old-id"]


def test_check_help_and_readme_state_the_statement_cap(capsys):
    """`check` quietly capped a text at its first MAX_SENTENCES statements; neither its help nor
    the README said so."""
    from bot.check import MAX_SENTENCES
    from bot.cli import main
    from conftest import ROOT

    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert f"first {MAX_SENTENCES}" in capsys.readouterr().out
    assert f"the first {MAX_SENTENCES} statements are checked" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_file_named_twice_is_indexed_once(run, tmp_path, monkeypatch):  # noqa: F811
    """A folder and a file in it (or one folder twice, however spelled) reached the same file twice;
    the second failed with "id 'a' is also used by <the same file>" and the run exited 1."""
    folder = _folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("ingest", str(folder), str(folder / "a.md"), "stories/", "./stories/b.md")
    assert code == 0 and "failed" not in out, out
    assert out.count("added: a ") == 1 and out.count("added: b ") == 1


def test_two_files_that_swap_names_keep_their_ids(run, tmp_path):  # noqa: F811
    """a.md (id aa) and b.md (id bb) swapping names failed both: "id 'bb' already belongs to b.md" —
    which now holds aa. An id may move to another file when its old file now holds another id."""
    folder = tmp_path / "swap"
    folder.mkdir()
    (folder / "a.md").write_text("---\nid: aa\n---\nThe museum received forty paintings from a collector.\n")
    (folder / "b.md").write_text("---\nid: bb\n---\nThe zoo welcomed a baby giraffe named Pebble.\n")
    run("ingest", str(folder))
    (folder / "a.md").rename(folder / "t")
    (folder / "b.md").rename(folder / "a.md")
    (folder / "t").rename(folder / "b.md")
    code, out, _ = run("ingest", str(folder))
    assert code == 0 and "failed" not in out and "removed" not in out, out
    rows = {r["id"]: r for r in json.loads(run("sources", "--json")[1])}
    assert rows["aa"]["path"].endswith("b.md") and rows["bb"]["path"].endswith("a.md")
    # a real clash still fails: a third file taking aa while b.md still declares it
    (folder / "c.md").write_text("---\nid: aa\n---\nThe library extended its opening hours.\n")
    code, out, _ = run("ingest", str(folder))
    assert code == 1 and ("already belongs to" in out or "is also used by" in out)
