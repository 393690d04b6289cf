"""A cold `factdesk ask`: the answer path imports nothing it does not use (the correction
detector's compiled patterns), and a one-shot question skips the interpreter's teardown with its
output complete and its exit code kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SOURCES

QUESTION = "Did the police app use Megvii's face matching?"


def _env(data_dir) -> dict[str, str]:
    return {**os.environ, "FACTDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def test_one_shot_ask_output_is_complete_when_piped_to_a_file(tmp_path, indexer):
    assert indexer.ingest([str(SOURCES)]).ok
    out = tmp_path / "answer.json"
    with out.open("w") as f:  # a file, not a pipe: block-buffered, so only a flush writes it
        p = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", QUESTION, QUESTION], cwd=tmp_path,
                           env=_env(indexer.settings.data_dir), stdout=f, stderr=subprocess.PIPE, text=True,
                           timeout=120)
    assert p.returncode == 0, p.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["answered"] is True


def test_one_shot_ask_keeps_its_error_exit_code(tmp_path):
    p = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", QUESTION], cwd=tmp_path,
                       env={**_env(tmp_path / "nothing"), "FACTDESK_SOURCES_DIR": str(tmp_path / "none")},
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and "ingest" in p.stderr


def test_the_answer_path_does_not_import_the_detector(tmp_path, indexer):
    assert indexer.ingest([str(SOURCES)]).ok
    probe = ("import os, sys, runpy\ndef _exit(rc):\n    raise SystemExit(rc)\nos._exit = _exit\n"
             f"sys.argv = ['factdesk', 'ask', '--json', {QUESTION!r}]\n"
             "try:\n    runpy.run_module('bot.cli', run_name='__main__')\nexcept SystemExit as e:\n    rc = e.code\n"
             "print(sorted(m for m in sys.modules if m.startswith('ingest.corrections.')), file=sys.stderr)\n"
             "sys.exit(rc)\n")
    p = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=_env(indexer.settings.data_dir),
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert '"answered": true' in p.stdout
    loaded = p.stderr.strip().splitlines()[-1]
    for detector in ("detect", "families", "patterns", "signals", "relink", "declared", "review"):
        assert f"'ingest.corrections.{detector}'" not in loaded, loaded


def test_in_process_main_returns(tmp_path, indexer, capsys):
    """Called with arguments (tests, the benchmark's probe), `main` returns instead of exiting."""
    from bot.cli import main

    assert indexer.ingest([str(SOURCES)]).ok
    os.environ["FACTDESK_DATA_DIR"] = str(indexer.settings.data_dir)
    try:
        assert main(["ask", "--json", QUESTION]) == 0
    finally:
        os.environ.pop("FACTDESK_DATA_DIR")
    assert '"answered": true' in capsys.readouterr().out
