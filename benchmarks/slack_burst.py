"""`python -m benchmarks.slack_burst [-n 100]`: a burst of signed mentions against `factdesk slack --port`.

Starts the mock Slack Web API (tests/mock_slack.py) and the real `factdesk slack --port P` in a
subprocess over a fresh index of data/sources, sends N signed `app_mention` deliveries at the same
instant (one thread each, released by a barrier), and reports how each was acknowledged (HTTP
status, or the connection error) and when each mention's answer was posted in its thread. The
load test in tests/attacks/test_slack_limits.py runs the same burst and checks statuses and
exactly-once answers; timings are only reported, here, for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.mock_slack import BOT_TOKEN, SIGNING_SECRET, MockSlackAPI, event_body, mention, signed_post

ROOT = Path(__file__).resolve().parent.parent
FACTDESK = str(Path(sys.executable).parent / "factdesk")


@dataclass
class Burst:
    acks: list[tuple[int | str, float]]  # per delivery: HTTP status (or the error's name), seconds to it
    answered: Counter[str]  # thread_ts -> chat.postMessage calls in that thread
    sent: list[str]  # the mentions' ts, one per delivery
    last_answer: float  # seconds from the burst's start to the last answer posted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_slack(api: MockSlackAPI, data_dir: Path, port: int) -> subprocess.Popen[str]:
    """`factdesk slack --port` as a user runs it, pointed at the mock Web API; returns once it accepts."""
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": api.url, "FACTDESK_DATA_DIR": str(data_dir),
           "FACTDESK_SOURCES_DIR": str(ROOT / "data" / "sources"), "PYTHONPATH": str(ROOT)}
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen([FACTDESK, "slack", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=data_dir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"factdesk slack exited {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("factdesk slack did not start listening")


def burst(url: str, n: int, question: str) -> tuple[list[tuple[int | str, float]], list[str], float]:
    """N signed mentions released at once; (status or error, seconds) per delivery."""
    barrier = threading.Barrier(n + 1)
    acks: list[tuple[int | str, float]] = [("not sent", 0.0)] * n
    sent = [f"1700{i:06d}.000100" for i in range(n)]
    bodies = [json.dumps(event_body(mention(question, ts=ts, channel=f"C{i:08d}"))) for i, ts in enumerate(sent)]

    def one(i: int) -> None:
        barrier.wait()
        t0 = time.monotonic()
        try:
            status, _ = signed_post(url, bodies[i], "application/json")
            acks[i] = (status, time.monotonic() - t0)
        except Exception as e:  # noqa: BLE001 — a reset or refused connection is what is measured
            acks[i] = (type(e).__name__, time.monotonic() - t0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.monotonic()
    for t in threads:
        t.join()
    return acks, sent, start


def run_burst(n: int, work: Path, question: str = "Did the police app use Megvii's face matching?") -> Burst:
    api = MockSlackAPI().start()
    port = free_port()
    proc = start_slack(api, work, port)
    try:
        acks, sent, start = burst(f"http://127.0.0.1:{port}/slack/events", n, question)
        ok = sum(1 for s, _ in acks if s == 200)
        posts = api.wait_for("chat.postMessage", ok, timeout=600)
        last = time.monotonic() - start
        api.wait_for("reactions.remove", ok, timeout=60)  # each answer's last call: nothing is still running
        answered = Counter(str(c.params.get("thread_ts")) for c in api.of("chat.postMessage"))
        assert len(posts) >= ok
        return Burst(acks, answered, sent, last)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        api.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="factdesk-burst-") as tmp:
        b = run_burst(args.n, Path(tmp))
    statuses = Counter(s for s, _ in b.acks)
    times = sorted(t for s, t in b.acks if s == 200)
    print(json.dumps({"deliveries": args.n, "acks": {str(k): v for k, v in statuses.items()},
                      "ack_max_s": round(times[-1], 3) if times else None,
                      "ack_p50_s": round(times[len(times) // 2], 3) if times else None,
                      "answered_once": sum(1 for ts in b.sent if b.answered[ts] == 1),
                      "last_answer_s": round(b.last_answer, 2)}))


if __name__ == "__main__":
    main()
