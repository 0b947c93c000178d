"""A local HTTP server for provider fakes: JSON in, JSON out, faults on request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int
    body: dict[str, Any]


@dataclass
class Faults:
    """What the next requests suffer: ``fail`` answers with ``fail_status`` that many
    times; ``delay_s`` sleeps before answering (to trip the client's timeout). ``slow``
    requests (a count) are acted on at once and answered after ``slow_s`` (the answer
    lost to the client's timeout), or with ``lose`` never acted on at all."""

    fail: int = 0
    fail_status: int = 503
    delay_s: float = 0.0
    slow: int = 0
    slow_s: float = 0.0
    lose: bool = False


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: dict[str, Any] | None


class JsonFake:
    """Subclasses implement ``handle(seen) -> Answer``; the server records every request."""

    def __init__(self) -> None:
        self.faults = Faults()
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def handle(self, seen: Seen) -> Answer:
        raise NotImplementedError

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _answer(self, seen: Seen) -> Answer:
        with self.lock:
            self.requests.append(seen)
            delay = self.faults.delay_s
            if self.faults.fail > 0:
                self.faults.fail -= 1
                return Answer(self.faults.fail_status, {"error": "injected"})
            slow, lose = self.faults.slow > 0, self.faults.lose
            if slow:
                self.faults.slow -= 1
                answer = Answer(504, {"error": "lost"}) if lose else self.handle(seen)
        if slow:
            time.sleep(self.faults.slow_s)
            return answer
        if delay:
            time.sleep(delay)
        with self.lock:
            return self.handle(seen)

    @contextmanager
    def serving(self) -> Iterator[JsonFake]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = None
                seen = Seen(self.command, self.path, dict(self.headers.items()), raw, body)
                answer = fake._answer(seen)
                data = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # a slow answer the client gave up on: lost, as intended

            do_GET = do_POST = _serve  # noqa: N815 - the names http.server calls

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep test output clean

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)


@dataclass
class Txn:
    """One charge as the fake acquirer sees it."""

    order_id: str
    reference: str
    amount: int
    status: str
    refunds: dict[str, int] = field(default_factory=dict)
    # Refunds taken but not listed yet by status queries (still in process at the
    # acquirer): what the till must not read as "no such refund".
    unlisted: set[str] = field(default_factory=set)
