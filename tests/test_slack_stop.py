"""Stopping the HTTP Events server never raises, even over a loop that already ended (its trigger
is then closed; writing to it fails with EBADF, which once failed a full test run's teardown)."""

from __future__ import annotations

import socket
from pathlib import Path

from bot.engine import Engine
from tests.test_slack_http import slack_env


def test_stop_twice_and_after_the_loop_ended(seed_engine: Engine, tmp_path: Path):
    with slack_env(seed_engine, tmp_path) as env:
        server = env.server
        port = server.port
        server.stop()  # the loop closes every socket, its trigger included, and ends
        assert server._thread is not None and not server._thread.is_alive()
        server.stop()  # the trigger is closed now: the second stop closes what is left instead
        with socket.socket() as s:  # nothing listens any more
            assert s.connect_ex(("127.0.0.1", port)) != 0
