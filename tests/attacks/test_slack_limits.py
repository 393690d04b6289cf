"""Issue 12 item 7: the Slack transport is bounded, a burst is acked and answered once each,
replays are answered once, oversized source metadata cannot break a message, and source text
cannot drive the terminal. Each test failed on the code before the fix (the stdlib server read
any body, waited for ever on a silent or dribbling client and reset connections under a burst)."""

from __future__ import annotations

import io
import socket
import threading
from collections import Counter
from urllib.parse import urlencode

from bot.answer import Answer, Citation, Correction, QuotedSentence
from bot.slack.transport import THREADS, HttpServer
from bot.slack_blocks import MAX_BLOCKS, SECTION_LIMIT, render_answer
from tests.mock_slack import SIGNING_SECRET, command_form, signed_post
from tests.test_slack_http import FACE_Q, slack_env

FORM = "application/x-www-form-urlencoded"


def _raw(port: int, data: bytes, *, timeout: float = 30.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    return s


def _read_all(s: socket.socket) -> bytes:
    out = b""
    try:
        while chunk := s.recv(65536):
            out += chunk
    except ConnectionResetError:
        pass
    return out


def test_a_body_over_1_mb_is_refused_from_its_length_before_it_is_read(seed_engine, tmp_path):
    with slack_env(seed_engine, tmp_path) as env:
        head = (f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"X-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=0\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n")
        s = _raw(env.server.port, head.encode() + b"{")  # one byte of the promised 2 MB
        reply = _read_all(s)  # the old server waited for the rest (the socket timeout failed the test)
        s.close()
        assert reply.startswith(b"HTTP/1.1 413")
        assert env.api.calls == [] or all(c.method == "auth.test" for c in env.api.calls)


def test_idle_and_dribbling_connections_are_closed(seed_engine, tmp_path):
    with slack_env(seed_engine, tmp_path) as env:
        server = HttpServer(env.bot.app, "127.0.0.1", 0, idle_seconds=1.0, request_seconds=2.0).start()
        try:
            idle = _raw(server.port, b"")
            assert _read_all(idle) == b""  # closed by the server, not by our 30 s socket timeout
            drip = _raw(server.port, b"POST /slack/events HTTP/1.1\r\n")
            closed = threading.Event()

            def dribble():
                try:
                    while not closed.is_set():
                        drip.sendall(b"X")  # a byte at a time: never idle, never finished
                        closed.wait(0.3)
                except OSError:
                    closed.set()

            t = threading.Thread(target=dribble, daemon=True)
            t.start()
            assert _read_all(drip) == b""
            closed.set()
            t.join(5)
        finally:
            server.stop()


def test_the_worker_pool_is_bounded(seed_engine, tmp_path):
    with slack_env(seed_engine, tmp_path) as env:
        assert len(env.server.server.task_dispatcher.threads) == THREADS


def test_a_replayed_slash_command_is_answered_once(seed_engine, tmp_path):
    with slack_env(seed_engine, tmp_path) as env:
        url = env.api.response_url()
        body = urlencode(command_form(FACE_Q, url))
        assert signed_post(env.url, body, FORM)[0] == 200
        assert signed_post(env.url, body, FORM)[0] == 200  # the same request again: same trigger_id
        env.settle()
        path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
        assert len([c for c in env.api.of("response_url") if c.path == "/" + path]) == 1


def test_a_burst_of_100_signed_mentions_is_acked_and_answered_once_each(tmp_path):
    """The README's load test: `factdesk slack --port` in its own process, the mock Web API here.
    Timings are printed by `python -m benchmarks.slack_burst`, never asserted."""
    from benchmarks.slack_burst import run_burst

    b = run_burst(100, tmp_path)
    assert Counter(s for s, _ in b.acks) == Counter({200: 100})  # no resets, no errors
    assert all(b.answered[ts] == 1 for ts in b.sent)  # each answered exactly once, in its thread
    assert sum(b.answered.values()) == 100


def _citation(n: int, **kw) -> Citation:
    base = dict(n=n, source=f"s{n}", title="A title", published="2019-06-01", url="https://example.com/a",
                sentence=0, start=0, end=10, text="Acme Corp opened a plant in Ohio.", score=1.0)
    return Citation(**{**base, **kw})


def test_huge_titles_and_notes_are_cut_before_they_reach_blocks():
    huge = "T" * 190_000
    note = "N" * 50_000
    by = (QuotedSentence(source="fix", title=huge, sentence=1, start=0, end=36,
                         text="Acme Corp said the plant is in Iowa.", published="2019-07-01"),)
    cits = [_citation(1, title=huge, publisher=huge, url="https://example.com/" + "u" * 5000,
                      correction=Correction(status="corrected", note=note, origin="declared", by=by)),
            _citation(2, source="other", title=huge)]
    ans = Answer(question="Where is the plant?", answered=True, answer="Acme Corp opened a plant in Ohio [1][2].",
                 citations=cits)
    text, blocks = render_answer(ans, share=True)
    assert len(blocks) <= MAX_BLOCKS and len(blocks) < 15
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= SECTION_LIMIT
        for el in b.get("elements", []):
            assert len(el.get("text", "") if isinstance(el.get("text"), str) else "") <= 2000
    shown = str(blocks)
    assert "Acme Corp opened a plant in Ohio." in shown and "[2]" in shown  # both citations made it
    assert "T" * 201 not in shown and "N" * 501 not in shown and len(text) <= 3000


def test_a_correction_alert_with_a_huge_note_and_title_still_fits():
    from bot.alerts import alert_message
    from bot.answer import Correction, CorrectionEntry, QuotedSentence
    from ingest.records import SourceRecord

    huge = "T" * 190_000
    by = QuotedSentence(source="b", title=huge, sentence=2, start=0, end=36, text="Acme Corp said the plant is in Iowa.",
                        published="2019-07-01")
    row = CorrectionEntry(QuotedSentence(source="a", title=huge, sentence=0, start=0, end=33,
                                         text="Acme Corp opened a plant in Ohio.", published="2019-06-01"),
                          Correction(status="corrected", note="N" * 50_000, origin="detected", by=(by,)))
    text, blocks = alert_message(row, {"a": SourceRecord("a", publisher=huge, url="https://example.com/a")})
    assert len(blocks) <= MAX_BLOCKS and len(text) <= 3000
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= SECTION_LIMIT
    assert "Acme Corp said the plant is in Iowa." in str(blocks) and "N" * 501 not in str(blocks)


def test_terminal_control_sequences_in_source_text_never_reach_the_terminal():
    from bot.cli.common import console
    from bot.render import render_answer as render_cli

    evil = "Acme opened a plant.\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\r\x9b31mFAKE"
    ans = Answer(question="q", answered=True, answer="Acme opened a plant [1].",
                 citations=[_citation(1, text=evil, title="Title\x1b]0;owned\x07", publisher="P\x1b[8m")])
    buf = io.StringIO()
    out = console(file=buf, force_terminal=True)  # styled output, as on a real terminal
    render_cli(ans, out)
    printed = buf.getvalue()
    assert "Acme opened a plant." in printed and "FAKE" in printed
    for bad in ("\x1b[2J", "\x1b]52", "\x1b]0;", "\x07", "\r", "\x9b", "\x1b[8m"):
        assert bad not in printed
    assert "\x1b[" in printed  # the console's own styling is still there


def test_signing_is_still_required(seed_engine, tmp_path):
    with slack_env(seed_engine, tmp_path) as env:
        status, _ = signed_post(env.url, '{"type": "event_callback"}', "application/json", secret="wrong-" + SIGNING_SECRET)
        assert status == 401
