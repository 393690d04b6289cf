"""Issue 12 item 8: secrets never reach a log line; bad input fails one question, not the batch;
bad settings and eval files are one line, not a traceback. Each test failed before the fix."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SOURCES
from tests.mock_openai import MockOpenAI, Reply

SECRETS = {
    "FACTDESK_LLM_API_KEY": "sk-live-4f9a8b7c6d5e4f3a2b1c",
    "CHROMA_AUTH_TOKEN": "chroma-tok-93jf02jf0392jf",
    "SLACK_BOT_TOKEN": "xoxb-111-222-SeCrEtBoT",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "SLACK_APP_TOKEN": "xapp-1-A111-222-SeCrEtApP",
    "OPENAI_API_KEY": "sk-proj-env-only-0a1b2c3d4e",  # read by the provider from the environment
}
Q = "Did the police app use Megvii's face matching?"


@pytest.fixture
def cli_app(monkeypatch, seed_engine, embedder):
    """`factdesk` in-process over the shared seed index, with every secret set."""
    from bot import cli
    from bot.engine import Engine
    from ingest.settings import Settings

    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)

    def make(**update):
        s = Settings(_env_file=None, data_dir=seed_engine.settings.data_dir, sources_dir=SOURCES).model_copy(update=update)
        app = cli.App(s)
        app._embedder, app._engine = embedder, Engine(s, embedder=embedder, store=seed_engine.store())
        monkeypatch.setattr(cli, "App", lambda settings: app)
        return app
    return make


def test_secrets_are_scrubbed_from_log_lines_and_tracebacks_in_every_command(cli_app, caplog, capsys, monkeypatch):
    from bot import cli

    # A real leak: the LLM server's error echoes the key (as some providers do), and the
    # composer logs the error.
    with MockOpenAI() as srv:
        srv.script(Reply(status=401, raw=json.dumps({"error": {"message": "Incorrect API key provided: "
                                                               + " ".join(SECRETS.values())}}).encode()))
        cli_app(llm="openai:mock-model", llm_base_url=srv.base_url, llm_timeout=5)
        with caplog.at_level(logging.INFO):
            assert cli.main(["-v", "ask", Q]) == 0
    assert "LLM answer failed" in caplog.text
    # Any logger, any command: a message and a traceback carrying every secret.
    for argv in (["sources"], ["ask", Q], ["eval", "--file", "/nonexistent"]):
        cli_app()
        cli.main(argv)
        try:
            raise RuntimeError("server said: " + " ".join(SECRETS.values()))
        except RuntimeError:
            logging.getLogger("chromadb.api").exception("request failed with %s", SECRETS["CHROMA_AUTH_TOKEN"])
        logging.getLogger("httpx").warning("Authorization: Bearer %s", "abcdefghijklmnop1234")
    text = caplog.text + "".join(logging.Formatter().format(r) for r in caplog.records) + capsys.readouterr().err
    assert "[redacted]" in text
    for secret in [*SECRETS.values(), "abcdefghijklmnop1234"]:
        assert secret not in text


def test_one_bad_line_fails_alone_in_ask_and_chat_over_stdin(cli_app, capsys, monkeypatch):
    from bot import cli

    app = cli_app()
    real_ask = app.engine.ask

    def ask(q, conv=None):
        if "explode" in q:
            raise KeyError("a bug that only this question triggers")
        return real_ask(q, conv)

    monkeypatch.setattr(app.engine, "ask", ask)
    stdin = b"What is IJOP?\nbad \xff\xfe bytes here?\nplease explode now\nlone \xed\xa0\x80 surrogate?\n" + Q.encode() + b"\n"
    for argv in (["ask", "--json"], ["chat", "--json"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = cli.main(argv)
        lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        assert len(lines) == 5, argv
        assert lines[0]["answered"] is True and lines[4]["answered"] is True
        assert "invalid Unicode" in lines[1]["error"]
        assert "could not answer" in lines[2]["error"]
        assert "invalid Unicode" in lines[3]["error"]
        assert code == 2


def test_lone_surrogates_in_a_question_are_a_clear_error(seed_engine):
    from bot.engine import QuestionError

    with pytest.raises(QuestionError, match="invalid Unicode"):
        seed_engine.ask("Did the police app use \ud800 Megvii?")


@pytest.mark.parametrize("var,value,shown", [
    ("FACTDESK_FETCH_TIMEOUT", "soon", "FACTDESK_FETCH_TIMEOUT='soon'"),
    ("CHROMA_PORT", "eighty", "CHROMA_PORT='eighty'"),
    ("FACTDESK_MAX_CITATIONS", "many", "FACTDESK_MAX_CITATIONS"),
])
def test_a_bad_setting_is_one_line_not_a_traceback(var, value, shown, tmp_path):

    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path), var: value,
           "FACTDESK_DATA_DIR": str(tmp_path / "d"), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    p = subprocess.run([sys.executable, "-m", "bot.cli", "sources"], env=env, cwd=tmp_path, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr and shown in p.stderr, p.stderr


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8\n", b"{not json\n", b"[1, 2]\n", b'{"question": 5}\n', None])
def test_a_bad_eval_file_is_one_line(cli_app, capsys, tmp_path, content):
    from bot import cli

    cli_app()
    f = tmp_path / "eval.jsonl"
    if content is None:
        f.mkdir()
    else:
        f.write_bytes(content)
    assert cli.main(["eval", "--file", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("factdesk: eval ")
