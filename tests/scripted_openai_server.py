"""A real OpenAI-compatible HTTP server on loopback that replies from a script.

Tests queue replies (text, error status or delay), point a real client at `base_url`, and
read back the requests the server received. It implements POST /v1/chat/completions
(JSON, or server-sent events when the request says "stream": true) and GET /v1/models.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional


@dataclass
class ScriptedReply:
    text: str = ""
    status: int = 200  # anything else is sent as an OpenAI-style error body
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    chunks: Optional[list[str]] = None  # stream deltas; default: `text` split into words
    chunk_delay: float = 0.0  # seconds between stream deltas


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Optional[dict[str, Any]]


@dataclass
class _State:
    model: str
    replies: deque[ScriptedReply] = field(default_factory=deque)
    requests: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    closing: threading.Event = field(default_factory=threading.Event)


def split_words(text: str) -> list[str]:
    """Token-like deltas: each word with the whitespace before it."""
    return re.findall(r"\s*\S+", text) or [text]


class _Handler(BaseHTTPRequestHandler):
    state: _State  # set on the per-server subclass

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._record(None)
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(
                200,
                {"object": "list", "data": [{"id": self.state.model, "object": "model", "owned_by": "scripted"}]},
            )
        else:
            self._send_json(404, _error(f"no route GET {self.path}"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._record(None)
            self._send_json(400, _error("request body is not JSON"))
            return
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, _error(f"no route POST {self.path}"))
            return
        with self.state.lock:
            reply = self.state.replies.popleft() if self.state.replies else None
        if reply is None:
            self._send_json(500, _error("the scripted server has no reply left"))
            return
        if reply.delay and self.state.closing.wait(reply.delay):
            return  # the server is shutting down; the client gave up long ago
        if reply.status != 200:
            self._send_json(reply.status, _error(f"scripted failure {reply.status}"))
            return
        model = body.get("model", self.state.model)
        if body.get("stream"):
            deltas = reply.chunks if reply.chunks is not None else split_words(reply.text)
            self._send_stream(model, deltas, reply.chunk_delay)
        else:
            self._send_json(200, _completion(model, reply.text))

    def _record(self, body: Optional[dict[str, Any]]) -> None:
        with self.state.lock:
            self.state.requests.append(
                ReceivedRequest(self.command, self.path, dict(self.headers.items()), body)
            )

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_stream(self, model: str, deltas: list[str], delay: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        events = [_chunk(model, {"role": "assistant", "content": ""}, None)]
        events += [_chunk(model, {"content": delta}, None) for delta in deltas]
        events.append(_chunk(model, {}, "stop"))
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
            if delay and self.state.closing.wait(delay):
                return
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "server_error", "code": None}}


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict[str, Any], finish: Optional[str]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a delayed reply must not hold up shutdown

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is part of the script, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedOpenAIServer:
    """Use as a context manager: `with ScriptedOpenAIServer() as server: ...`."""

    def __init__(self, model: str = "scripted-model") -> None:
        self._state = _State(model=model)
        handler = type("ScriptedHandler", (_Handler,), {"state": self._state})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def model(self) -> str:
        return self._state.model

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the chat completion requests received, in order."""
        return [
            r.body for r in self.requests
            if r.path.rstrip("/") == "/v1/chat/completions" and r.body is not None
        ]

    def queue(self, *replies: ScriptedReply | str) -> None:
        with self._state.lock:
            for reply in replies:
                self._state.replies.append(ScriptedReply(text=reply) if isinstance(reply, str) else reply)

    def __enter__(self) -> ScriptedOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._state.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
