"""A real Chroma server for tests: `chroma run` on 127.0.0.1, a free port and a temporary folder.

Server mode must be tested against the server users run, not a mock, so this starts the `chroma`
CLI that ships with chromadb and stops it (by its own pid) when the test is done. Other test
modules (server mode, fault injection) import `ChromaServer` or the `chroma_server` fixture:

    from tests.chroma_server import chroma_server, ChromaServer  # noqa: F401  (fixture import)

`ChromaServer.stop()` / `.start()` let a test take the server away and bring it back on the same
port and folder, so a client sees an outage and then a recovery with the data intact.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

HOST = "127.0.0.1"


def chroma_binary() -> str | None:
    """The `chroma` CLI next to this interpreter (the venv), else on PATH."""
    here = Path(sys.executable).parent / "chroma"
    if here.exists():
        return str(here)
    return shutil.which("chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """One `chroma run` process. Use as a context manager, or start()/stop() by hand."""

    def __init__(self, path: Path, port: int | None = None, startup_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.port = port or free_port()
        self.host = HOST
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.path.parent / f"chroma-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment variables that point factdesk (settings, subprocesses) at this server."""
        return {"CHROMA_HOST": self.host, "CHROMA_PORT": str(self.port)}

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1.0) as r:
                return r.status == 200
        except Exception:
            return False

    def start(self) -> ChromaServer:
        binary = chroma_binary()
        if binary is None:
            pytest.skip("the `chroma` CLI is not installed (it ships with chromadb)")
        if self.proc is not None and self.proc.poll() is None:
            return self
        self.path.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.proc = subprocess.Popen(
            [binary, "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.alive():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run did not answer on {self.url} within {self.startup_timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop only the process this object started (by pid), politely first."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash would."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    def restart(self) -> ChromaServer:
        self.stop()
        return self.start()

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory) -> Iterator[ChromaServer]:
    """A Chroma server shared by the tests of one module; each test should use its own
    collection prefix (see `server_settings` in test_server_mode.py) to stay independent."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db")
    server.start()
    try:
        yield server
    finally:
        server.stop()
