"""A tiny stand-in for the Desk365 API: a real HTTP server on 127.0.0.1 (random port)
in a background thread, recording every request it receives.

Used by the process-level MCP tests (stdio, streamable HTTP, MCP Inspector). Run as
``python -m tests.stub_upstream`` to keep one up by hand (prints its URL).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["Recorded", "StubUpstream", "TICKET"]

TICKET = {"ticket_number": 5, "subject": "Printer on fire", "status": "Open", "priority": 10}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


def _answer(method: str, path: str) -> tuple[int, str, bytes]:
    """Status, content type and body for a request (a plausible Desk365 answer)."""
    if path == "/v3/ping":
        return 200, "text/plain", b"pong"
    if path == "/v3/tickets/details":
        return 200, "application/json", json.dumps(TICKET).encode()
    if path == "/v3/tickets":
        body = {"count": 1, "tickets": [TICKET], "next_page": None}
        return 200, "application/json", json.dumps(body).encode()
    return 200, "application/json", b"{}"


class StubUpstream:
    """``with StubUpstream() as stub:`` → ``stub.url``, ``stub.requests``."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with stub._lock:
                    stub.requests.append(Recorded(
                        self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                        {k.lower(): v for k, v in self.headers.items()}, body))  # fmt: skip
                status, ctype, payload = _answer(self.command, parts.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("X-Rate-Limit-Remaining", "99")
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> StubUpstream:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()


if __name__ == "__main__":  # pragma: no cover - manual use
    import time

    with StubUpstream() as s:
        print(s.url, flush=True)
        while True:
            time.sleep(3600)
