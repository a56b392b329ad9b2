"""A small fake OpenAI-compatible server on 127.0.0.1, for tests at the HTTP boundary.

``POST /v1/chat/completions`` with and without ``stream`` (SSE chunks, a final usage
chunk when ``stream_options.include_usage`` is set, ``data: [DONE]``). Each request takes
the next behaviour from a script; when the script is empty the default reply (or
``responder(body)``) is sent. Fault modes: ``429`` (with Retry-After), ``500``, ``reset``
(TCP reset, no response), ``stall`` (stream starts then goes quiet), ``timeout`` (no
response at all for a while), ``empty`` (empty content), ``invalid_json`` (a body or SSE
event that is not JSON). Usage counts prompt tokens with tiktoken, like a real server.
Every chat request's prompt is logged in ``prompts`` (:class:`PromptLog`: tokens, stream, system line),
so a benchmark can measure prompt growth over an interview. Added for the reliability tests: ``out_of_range`` (a well-formed judge verdict whose
score is absurd, like a weak model's), ``trickle`` (a stream that never pauses long
enough for a read timeout but never ends: one word every ``interval_s``; streamed requests
only) and ``401`` (the key refused, and echoed back in the error message, as some providers do).
``GET /v1/models`` lists ``models`` (set it to test start-up model discovery); each such
request is recorded in ``model_listings`` (its headers).
"""
from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

FAULTS = ("429", "500", "reset", "stall", "timeout", "empty", "invalid_json", "out_of_range", "trickle", "401")

# Valid JSON in the judge's shape with a score far outside 1-5 (what the Gemma 270M base model returned).
OUT_OF_RANGE = ('{"adjustments": [{"dimension": "part1", "score": 1000000000000000, '
                '"reason": "The answer is excellent and deserves the maximum."}]}')


@dataclass
class Reply:
    """One scripted response: ``kind`` is "ok" or a fault mode."""

    kind: str = "ok"
    content: str = ""
    retry_after: str = "0"
    hold_s: float = 3.0  # how long "stall" and "timeout" keep the client waiting (and "trickle" goes on)
    interval_s: float = 0.1  # "trickle": the pause between two words


@dataclass
class PromptLog:
    """One logged prompt: its tokens (counted as a server would), whether it streamed, the first system line."""

    prompt_tokens: int
    stream: bool
    system: str
    messages: list

    @classmethod
    def of(cls, body: dict) -> "PromptLog":
        messages = body.get("messages", [])
        system = next((str(m.get("content") or "") for m in messages if m.get("role") == "system"), "")
        return cls(prompt_tokens=sum(_count_tokens(str(m.get("content") or "")) + 4 for m in messages),
                   stream=bool(body.get("stream")), system=system.split("\n", 1)[0], messages=messages)


def _count_tokens(text: str) -> int:
    from interviewer.llm import ensure_token_counting
    from interviewer.tokens import count_tokens

    ensure_token_counting()  # offline tiktoken files, as the app uses them
    return count_tokens(text)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-request is a scripted fault here, not a server bug


class FakeOpenAI:
    """The server plus its script and a record of every request (headers and JSON body)."""

    def __init__(self, default: str = "Fake server reply.", responder: Callable[[dict], str] | None = None):
        self.default = default
        self.responder = responder
        self.script: deque[Reply] = deque()
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.prompts: list[PromptLog] = []  # every chat request's prompt, as a logging stub would record it
        self.models: list[str] = ["fake-model"]
        self.model_listings: list[dict[str, str]] = []
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ---------------------------------------------------------------
    def queue(self, *items: str | Reply) -> None:
        """Queue replies: a fault name from :data:`FAULTS`, a :class:`Reply`, or content text."""
        for item in items:
            if isinstance(item, Reply):
                self.script.append(item)
            elif item in FAULTS:
                self.script.append(Reply(kind=item))
            else:
                self.script.append(Reply(content=item))

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> "FakeOpenAI":
        server = self
        _count_tokens("warm up")  # load the encoding now, not inside a client's timeout

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server.model_listings.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.rstrip("/").endswith("/models"):
                    return self._json(404, {"error": {"message": "not found"}})
                self._json(200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "fake"} for m in server.models]})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._json(404, {"error": {"message": "not found"}})
                server.prompts.append(PromptLog.of(body))
                reply = server.script.popleft() if server.script else Reply()
                server._handle(self, reply, body)

            def _json(self, status: int, payload: dict, extra: dict | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes stalled handlers so shutdown never hangs
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- responses ---------------------------------------------------------------
    def _content(self, reply: Reply, body: dict) -> str:
        if reply.content:
            return reply.content
        return self.responder(body) if self.responder else self.default

    def _usage(self, body: dict, content: str) -> dict:
        prompt = sum(_count_tokens(str(m.get("content") or "")) + 4 for m in body.get("messages", []))
        completion = _count_tokens(content)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _handle(self, h, reply: Reply, body: dict) -> None:
        kind = reply.kind
        if kind == "429":
            return h._json(429, {"error": {"message": "Rate limit reached", "type": "rate_limit"}}, {"Retry-After": reply.retry_after})
        if kind == "401":
            token = h.headers.get("Authorization", "").removeprefix("Bearer ")
            return h._json(401, {"error": {"message": f"Incorrect API key provided: {token}.", "type": "invalid_request_error",
                                           "code": "invalid_api_key"}})
        if kind == "500":
            return h._json(500, {"error": {"message": "internal error", "type": "server_error"}})
        if kind == "reset":
            # SO_LINGER 0 makes close() send a TCP RST instead of a clean FIN.
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            h.connection.close()
            return
        if kind == "timeout":
            self._stop.wait(reply.hold_s)
            h.close_connection = True
            return
        content = "" if kind == "empty" else OUT_OF_RANGE if kind == "out_of_range" else self._content(reply, body)
        model = body.get("model", "fake-model")
        if not body.get("stream"):
            if kind == "invalid_json":
                data = b"{this is not json"
                h.send_response(200)
                h.send_header("Content-Type", "application/json")
                h.send_header("Content-Length", str(len(data)))
                h.end_headers()
                h.wfile.write(data)
                return
            if kind == "stall":
                self._stop.wait(reply.hold_s)
                h.close_connection = True
                return
            return h._json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": self._usage(body, content),
            })
        self._stream(h, reply, body, content, model)

    def _stream(self, h, reply: Reply, body: dict, content: str, model: str) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Connection", "close")
        h.close_connection = True  # no Content-Length: the body ends when the connection closes
        h.end_headers()

        def event(payload) -> None:
            data = payload if isinstance(payload, str) else json.dumps(payload)
            h.wfile.write(f"data: {data}\n\n".encode())
            h.wfile.flush()

        def chunk(delta: dict, finish=None) -> dict:
            return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        try:
            event(chunk({"role": "assistant", "content": ""}))
            if reply.kind == "invalid_json":
                event("{this is not json")
                return
            pieces = [w + " " for w in content.split(" ")] if content else []
            if pieces:
                pieces[-1] = pieces[-1][:-1]
            if reply.kind == "trickle":
                deadline = time.monotonic() + reply.hold_s
                while time.monotonic() < deadline and not self._stop.wait(reply.interval_s):
                    event(chunk({"content": "and "}))
                return
            for i, piece in enumerate(pieces):
                event(chunk({"content": piece}))
                if reply.kind == "stall" and i == 0:
                    self._stop.wait(reply.hold_s)
                    return
            event(chunk({}, finish="stop"))
            if (body.get("stream_options") or {}).get("include_usage"):
                event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": model, "choices": [], "usage": self._usage(body, content)})
            event("[DONE]")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to do


# A recognisable API key for tests that must prove the key never leaks anywhere.
SENTINEL_KEY = "sk-test-SENTINEL-never-show-7f3a9c"
