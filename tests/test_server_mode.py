"""Server mode against a real `chroma run` (tests/chroma_server.py): ingest and ask over HTTP,
several bot processes sharing one server while an ingest writes, and batches no larger than the
server's limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from ingest.settings import Settings
from tests.chroma_server import ChromaServer, chroma_server  # noqa: F401  (fixture)
from tests.conftest import ROOT, SEED_ID, SOURCES

QUESTION = "Did the police app use Megvii's face matching?"


def server_settings(server: ChromaServer, tmp_path: Path, prefix: str | None = None) -> Settings:
    """Settings pointing at the server, with a collection prefix of the test's own."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", sources_dir=SOURCES, chroma_host=server.host,
                    chroma_port=server.port, collection_prefix=prefix or f"t{uuid.uuid4().hex[:10]}")


def test_ingest_and_ask_over_the_server(chroma_server, tmp_path, embedder):
    from bot.engine import Engine
    from ingest.pipeline import Indexer

    s = server_settings(chroma_server, tmp_path)
    rep = Indexer(s, embedder=embedder).ingest([str(SOURCES)])
    assert rep.ok and rep.counts() == {"added": 1}
    # Nothing was written locally: the index lives on the server.
    assert not (tmp_path / "data" / "chroma").exists()
    ans = Engine(s, embedder=embedder).ask(QUESTION)
    assert ans.answered
    text = (SOURCES / f"{SEED_ID}.txt").read_text()
    assert any(c.correction and c.correction.status == "corrected" for c in ans.citations)
    assert all(c.text in text for c in ans.citations)
    # A second client process-equivalent (fresh objects) sees the same index and re-ingest is free.
    rep2 = Indexer(s, embedder=embedder).ingest([str(SOURCES)])
    assert rep2.counts() == {"unchanged": 1} and rep2.embedded == 0


def test_a_wrong_port_is_a_clear_store_error(tmp_path, embedder):
    from bot.engine import Engine
    from ingest.store import StoreError
    from tests.chroma_server import free_port

    s = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreError, match="127.0.0.1"):
        Engine(s, embedder=embedder).ask(QUESTION)


def test_batches_respect_the_server_limit(chroma_server, tmp_path, embedder, monkeypatch):
    """A source with more sentences than the batch limit is written in several upserts, none
    larger than the limit, and every sentence arrives."""
    from ingest.pipeline import Indexer
    from ingest.store import Store

    real = Store.__init__
    sizes: list[int] = []

    def small_batches(self, *a, **kw):
        real(self, *a, **kw)
        self.max_batch = 7
        col = self.sentences
        upsert = col.upsert

        def counting(**kw2):
            sizes.append(len(kw2["ids"]))
            assert len(kw2["ids"]) <= 7
            return upsert(**kw2)

        col.upsert = counting

    monkeypatch.setattr(Store, "__init__", small_batches)
    s = server_settings(chroma_server, tmp_path)
    rep = Indexer(s, embedder=embedder).ingest([str(SOURCES)])
    n = rep.results[0].sentences
    assert rep.ok and n > 7
    assert sum(sizes) == n and max(sizes) == 7 and len(sizes) == -(-n // 7)
    assert Store(s).count() == n


def test_the_real_limit_is_read_from_the_server(chroma_server, tmp_path):
    import chromadb

    from ingest.store import Store

    s = server_settings(chroma_server, tmp_path)
    st = Store(s, create=True)
    assert st.max_batch == chromadb.HttpClient(host=chroma_server.host, port=chroma_server.port).get_max_batch_size()


def _bot(server: ChromaServer, prefix: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, **server.env(), "FACTDESK_COLLECTION": prefix, "HOME": str(home),
           "FACTDESK_DATA_DIR": str(home / "data"), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--json"], cwd=home, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1)


def _turn(bot: subprocess.Popen[str], question: str) -> dict:
    assert bot.stdin and bot.stdout
    bot.stdin.write("/reset\n" + question + "\n")
    bot.stdin.flush()
    line = bot.stdout.readline()
    assert line, (bot.stderr.read() if bot.stderr else "")
    return json.loads(line)


@pytest.mark.slow
def test_several_bots_share_one_server_while_ingest_runs(chroma_server, tmp_path, embedder):
    """Two bot processes answer over one server, before, during and after an ingest of ~30 more
    sources by a third party; every answer during the ingest is a verified, complete one."""
    from ingest.pipeline import Indexer

    prefix = f"t{uuid.uuid4().hex[:10]}"
    s = server_settings(chroma_server, tmp_path, prefix)
    assert Indexer(s, embedder=embedder).ingest([str(SOURCES)]).ok
    seed_text = (SOURCES / f"{SEED_ID}.txt").read_text()
    for i in range(2):
        (tmp_path / f"bot{i}").mkdir()
    bots = [_bot(chroma_server, prefix, tmp_path / f"bot{i}") for i in range(2)]
    try:
        for b in bots:  # both are up and warm before the ingest starts
            assert _turn(b, QUESTION)["answered"]
        corpus = generate(tmp_path / "more", 300)
        result: dict = {}

        def ingest() -> None:
            result["report"] = Indexer(s, embedder=embedder).ingest([str(corpus.folder)])

        t = threading.Thread(target=ingest)
        t.start()
        during = [0, 0]
        while t.is_alive():
            for k, b in enumerate(bots):
                a = _turn(b, QUESTION)
                assert a["answered"], a["answer"]
                seed_cits = [c for c in a["citations"] if c["source"] == SEED_ID]
                assert seed_cits and all(seed_text.count(c["text"]) >= 1 for c in seed_cits)
                assert any(c["correction"] for c in seed_cits)  # the flag never drops mid-ingest
                if t.is_alive():
                    during[k] += 1
            time.sleep(0.05)
        t.join()
        assert result["report"].ok
        assert min(during) >= 1, during
        # After the ingest, a bot sees the new sources.
        after = _turn(bots[0], "Who is the chief executive of Dunmore Bank?")
        assert any(c["source"].startswith("syn-") for c in after["citations"])
    finally:
        for b in bots:
            if b.stdin:
                b.stdin.close()
            try:
                b.wait(timeout=20)
            except subprocess.TimeoutExpired:
                b.kill()
    assert all(b.returncode == 0 for b in bots)


class _TokenProxy:
    """A reverse proxy in front of the Chroma server that demands `Authorization: Bearer TOKEN` —
    what a deployment puts in front of `chroma run` — so CHROMA_AUTH_TOKEN is tested end to end."""

    def __init__(self, upstream: str, token: str) -> None:
        import http.server
        import urllib.error
        import urllib.request

        outer = self
        self.seen: list[str | None] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                auth = self.headers.get("Authorization")
                outer.seen.append(auth)
                if auth != f"Bearer {token}":
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                req = urllib.request.Request(upstream + self.path, data=body, method=self.command,
                                             headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "application/json")
                except urllib.error.HTTPError as e:
                    status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "application/json")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

            def log_message(self, *a: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_auth_token_is_sent_and_required(chroma_server, tmp_path, embedder):
    from bot.engine import Engine
    from ingest.pipeline import Indexer
    from ingest.store import StoreError

    proxy = _TokenProxy(chroma_server.url, "s3cret")
    try:
        s = server_settings(chroma_server, tmp_path)
        s = s.model_copy(update={"chroma_port": proxy.port, "chroma_auth_token": "s3cret"})
        assert Indexer(s, embedder=embedder).ingest([str(SOURCES)]).ok
        assert Engine(s, embedder=embedder).ask(QUESTION).answered
        assert proxy.seen and all(a == "Bearer s3cret" for a in proxy.seen)
        wrong = s.model_copy(update={"chroma_auth_token": "nope"})
        with pytest.raises(StoreError):
            Engine(wrong, embedder=embedder).ask(QUESTION)
    finally:
        proxy.close()
