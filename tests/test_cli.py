"""The CLI, driven in-process (the real argument parsing, output and exit codes) with the
session's model, so it stays quick; subprocess runs live in the fault tests."""

from __future__ import annotations

import io
import json
import sys

import pytest

from bot import cli
from conftest import SOURCES


@pytest.fixture
def run(monkeypatch, embedder, capsys, tmp_path):
    monkeypatch.setattr(cli.App, "embedder", property(lambda self: embedder))
    monkeypatch.setenv("FACTDESK_SOURCES_DIR", str(SOURCES))
    monkeypatch.setenv("FACTDESK_DATA_DIR", str(tmp_path / "data"))

    def _run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        from ingest.settings import get_settings

        get_settings.cache_clear()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_ask_on_an_empty_index_ingests_first_and_says_so(run):
    code, out, err = run("ask", "--json", "Who developed the police app?")
    assert code == 0
    assert "the index is empty: ingesting" in err and "added: megvii-hrw-correction-2019" in err
    ans = json.loads(out)
    assert ans["answered"] and "China Electronics Technology Group" in ans["citations"][0]["text"]
    assert ans["citations"][0]["correction"] is None


def test_ingest_sources_corrections_and_rerun(run):
    code, out, _ = run("ingest", str(SOURCES))
    assert code == 0 and "added: megvii-hrw-correction-2019 (20 sentences, 20 embedded)" in out
    assert "1 sentence(s) newly flagged" in out
    code, out, _ = run("ingest", str(SOURCES))
    assert "unchanged: megvii-hrw-correction-2019" in out
    code, out, _ = run("sources", "--json")
    rows = json.loads(out)
    assert rows[0]["id"] == "megvii-hrw-correction-2019" and rows[0]["sentences"] == 20 and rows[0]["flagged"] == 1
    code, out, _ = run("corrections", "--json")
    links = json.loads(out)
    assert len(links) == 1 and links[0]["status"] == "corrected"
    assert any("inoperable" in b["text"] for b in links[0]["by"])
    code, out, _ = run("sources")
    assert "megvii-hrw-correction-2019" in out and "⚠ 1" in out


def test_ask_renders_flags_unmistakably(run):
    run("ingest", str(SOURCES))
    code, out, _ = run("ask", "Did the police app use Megvii's face matching?")
    assert code == 0
    assert out.lstrip().startswith("Note:")
    assert "⚠ CORRECTED" in out and "Rights Group Corrects Report" in out and "June 2019" in out


def test_ask_batch_from_stdin_is_json_lines_with_per_line_errors(run):
    run("ingest", str(SOURCES))
    code, out, _ = run("ask", "--json", stdin="What is IJOP?\n\nWhat is the capital of France?\n" + "x" * 10_000 + "\n")
    lines = [json.loads(x) for x in out.splitlines()]
    assert [ln.get("answered") for ln in lines[:2]] == [True, False]
    assert "too long" in lines[2]["error"]
    assert code == 2


def test_chat_json_keeps_the_conversation(run):
    run("ingest", str(SOURCES))
    code, out, _ = run("chat", "--json", stdin="Who developed the police app?\nHow much revenue does it have?\n/reset\nHow many employees?\n")
    turns = [json.loads(x) for x in out.splitlines()]
    assert len(turns) == 3
    assert any("$30 billion in revenue" in c["text"] for c in turns[1]["citations"])


def test_usage_errors(run):
    assert run("ask", "   ")[0] == 2
    code, _, err = run("remove", "nope")
    assert code == 1
    code, _, err = run("ingest", "/definitely/missing/path")
    assert code == 1


def test_missing_index_message(run, monkeypatch, tmp_path):
    monkeypatch.setenv("FACTDESK_SOURCES_DIR", str(tmp_path / "nowhere"))
    code, _, err = run("sources")
    assert code == 1 and "run `factdesk ingest`" in err


def test_ingest_watch_reindexes_changes(monkeypatch, embedder, tmp_path, capsys):
    import threading
    import time

    from ingest.settings import Settings

    monkeypatch.setattr(cli.App, "embedder", property(lambda self: embedder))
    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nAlpha Corp opened a plant in Ohio.\n", encoding="utf-8")
    app = cli.App(Settings(_env_file=None, data_dir=tmp_path / "data"))
    app.indexer.ingest([str(folder)])
    stop = threading.Event()
    import argparse

    # --watch --prune: pruning is opt-in (tests/attacks/test_index_safety.py shows the default keeps them)
    t = threading.Thread(target=cli._watch, args=(app, [str(folder)], argparse.Namespace(prune=True), stop),
                         daemon=True)
    t.start()
    time.sleep(1.0)  # let the watcher start before the change
    (folder / "b.md").write_text("# B\n\nBeta Corp closed a plant in Texas.\n", encoding="utf-8")
    (folder / "a.md").unlink()
    for _ in range(200):  # bounded: up to ~20 s on a loaded machine
        if set(app.indexer.store().source_records()) == {"b"}:
            break
        time.sleep(0.1)
    stop.set()
    t.join(timeout=10)
    assert set(app.indexer.store().source_records()) == {"b"}
    out = capsys.readouterr().out
    assert "added: b" in out and "removed: a" in out


def test_eval_command(run):
    from conftest import ROOT

    path = str(ROOT / "data" / "eval" / "multisource.jsonl")
    code, out, _ = run("eval", "--file", path)
    assert code == 0 and "hit rate" in out and "index false flags            0" in out
    code, _, err = run("eval", "--file", path, "--min-hit", "1.01")
    assert code == 1 and "below --min-hit" in err
    assert run("eval", "--file", "/no/such.jsonl")[0] == 2


def test_piped_chat_never_asks_a_command_as_a_question(run):
    """Piped, `/sources` and `/corrections` (the interactive chat's commands) were asked as questions
    and answered with Megvii sentences, and `/q` (which quits the interactive chat) too. Now a
    command line is never a question: /q quits, the listing commands point to their own commands,
    an unknown one names those that work here — each as one {"question", "error"} line."""
    run("ingest", str(SOURCES))
    code, out, _ = run("chat", stdin="/sources\n/corrections\n/bogus\nWho developed the police app?\n/q\nHow many employees?\n")
    turns = [json.loads(x) for x in out.splitlines()]
    assert [t["question"] for t in turns] == ["/sources", "/corrections", "/bogus", "Who developed the police app?"]
    assert "factdesk sources --json" in turns[0]["error"] and "factdesk corrections --json" in turns[1]["error"]
    assert "/reset" in turns[2]["error"] and "/quit" in turns[2]["error"]
    assert turns[3]["answered"] and code == 2


def test_eval_refuses_a_set_with_a_line_that_lost_its_question(run, tmp_path):
    """A question line whose "question" key was mistyped was merged into the header without a word
    and the set scored without it; a file with no question at all printed a report of Nones, exit 0
    (and `--min-hit` said "hit rate None is below"). Both are now one line, exit 2."""
    path = tmp_path / "set.jsonl"
    path.write_text('{"sources": "%s"}\n{"question": "Who developed the police app?", "expect": ["CETC"]}\n'
                    '{"qustion": "How much revenue?", "expect": ["$30 billion"]}\n' % SOURCES)
    code, out, err = run("eval", "--file", str(path))
    assert code == 2 and out == "" and f"{path}:3: no \"question\"" in err and len(err.strip().splitlines()) == 1
    path.write_text('{"sources": "%s"}\n' % SOURCES)
    code, out, err = run("eval", "--file", str(path))
    assert code == 2 and out == "" and "no questions" in err


def test_rebuild_counts_flags_against_the_index_it_replaces(run):
    """`ingest --rebuild` said "1 sentence(s) newly flagged" when every flag was as before: it
    counted against the empty index it built beside the old one."""
    run("ingest", str(SOURCES))
    code, out, _ = run("ingest", "--rebuild")
    assert code == 0 and "added: megvii-hrw-correction-2019" in out
    assert "0 sentence(s) newly flagged, 0 unflagged" in out
