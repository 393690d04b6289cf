"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for offline tests.

The real `langchain-openai` client talks to it over HTTP exactly as it would to a local vLLM or
llama.cpp server, so the tests cover the provider path users run (request shape, JSON replies,
server-sent-event streaming, timeouts, broken bodies) without a network or a key.

    with MockOpenAI() as srv:
        srv.script(Reply("Megvii ... [1]."))
        settings = Settings(..., llm="openai:test-model", llm_base_url=srv.base_url)

Each request takes the next scripted Reply (the last one repeats); every request body is kept in
`srv.requests` so tests can check what the model was shown. `stop()` (or leaving the `with`)
shuts the server and wakes any reply that is deliberately stalling.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


@dataclass
class Reply:
    content: str = ""
    delay: float = 0.0  # seconds to stall before answering (the timeout case)
    status: int = 200
    raw: bytes | None = None  # sent as the body verbatim (the malformed-protocol case)
    chunk: int = 6  # characters per streamed chunk


class MockOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------
    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script = list(replies)

    def _next(self) -> Reply:
        with self._lock:
            if not self._script:
                return Reply(status=500, raw=b'{"error": {"message": "no scripted reply"}}')
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://{HOST}:{self._server.server_address[1]}/v1"

    def start(self) -> MockOpenAI:
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}")
                with mock._lock:
                    mock.requests.append(body)
                reply = mock._next()
                if reply.delay and mock._stopping.wait(reply.delay):
                    return
                if reply.raw is not None or reply.status != 200:
                    self._send(reply.status, reply.raw or b"{}", "application/json")
                elif body.get("stream"):
                    self._stream(body, reply)
                else:
                    self._send(200, json.dumps(_completion(body, reply.content)).encode(), "application/json")

            def _send(self, status: int, data: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [reply.content[i:i + reply.chunk] for i in range(0, len(reply.content), reply.chunk)]
                events = [_chunk(body, {"role": "assistant", "content": ""}, None)]
                events += [_chunk(body, {"content": p}, None) for p in pieces]
                events.append(_chunk(body, {}, "stop"))
                for ev in events:
                    self.wfile.write(f"data: {json.dumps(ev)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> MockOpenAI:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
    return {"id": "chatcmpl-mock", "object": "chat.completion", "created": 0, "model": body.get("model", "mock"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 0, "model": body.get("model", "mock"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
