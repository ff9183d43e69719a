"""Helpers of the fault suite (``tests/test_faults.py``) and the in-process fault tests
(``tests/test_faults_in_process.py``).

:class:`Upstream` serves the stateful Desk365 mock (``helpdesk_mock``) by uvicorn on
127.0.0.1 (random port) in a thread, as a thin ASGI front that can divert the requests for
one ticket number to a misbehaving app (:func:`stall`, :func:`answer`, :func:`flood`,
:func:`cut`, :func:`echo`) while the mock answers the rest, and that can go down and come
back on the same port. :func:`tool_error` checks a tool error's text.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import anyio
import uvicorn
from mcp.types import CallToolResult

from helpdesk_mock import MockApp

CAP = 1_000_000
HUGE = 40_000_000
TICKET = "get_single_desk_365_ticket_by_id"
GOOD = 91  # a fixture ticket; the diverted numbers below are fixtures too, but never reach the mock


ASGI = Callable[[dict[str, Any], Callable[..., Any], Callable[..., Any]], Awaitable[None]]


# -- the upstream: the mock behind a front ---------------------------------------------------


class Upstream:
    """The mock, served by uvicorn on 127.0.0.1 in a thread; ``divert[n]`` answers ticket ``n``."""

    def __init__(self, mock: MockApp) -> None:
        self.mock = mock
        self.divert: dict[int, ASGI] = {}
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] == "http":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            for number in query.get("ticket_number", []):
                app = self.divert.get(int(number)) if number.isdigit() else None
                if app is not None:
                    await app(scope, receive, send)
                    return
        await self.mock(scope, receive, send)

    def start(self) -> None:
        """Listen (again: on the same port after :meth:`stop`)."""
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self, log_config=None, access_log=False, ws="none", lifespan="off", log_level="warning",
            timeout_graceful_shutdown=1,  # the mock keeps sleeping through a latency fault after the client left
        )  # fmt: skip
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop listening: connections to the port are refused until :meth:`start`."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
            assert not self._thread.is_alive(), "uvicorn did not stop"
        self._server = self._thread = None


def stall(arrived: threading.Event, release: threading.Event) -> ASGI:
    """Answers nothing until ``release`` (the server gives up first); ``arrived`` is set on the request."""

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        arrived.set()
        with anyio.move_on_after(30):
            while not release.is_set():
                await anyio.sleep(0.05)

    return app


def answer(status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> ASGI:
    """A fixed answer (JSON unless ``headers`` say otherwise)."""

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": head + (headers or [])})
        await send({"type": "http.response.body", "body": body})

    return app


def flood(size: int) -> ASGI:
    """A JSON body of ``size`` bytes in 64 KiB chunks, without Content-Length (chunked encoding)."""

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"subject": "', "more_body": True})
        chunk = b"x" * 65536
        for _ in range(size // len(chunk)):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b'"}'})

    return app


def cut(body: bytes, declared: int) -> ASGI:
    """Declares ``declared`` bytes, sends ``body`` and drops the connection (uvicorn logs the error)."""

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        head = [(b"content-type", b"application/json"), (b"content-length", str(declared).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": body, "more_body": True})
        raise ConnectionAbortedError("the upstream went away mid-answer (on purpose)")

    return app


def echo() -> ASGI:
    """A 401 that echoes the request: URL and headers in the body, the credential in a header."""

    async def app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        url = f"http://{headers.get('host')}{scope['path']}?{scope['query_string'].decode('latin-1')}"
        key = headers.get("authorization", "")
        body = {"status": 401, "error": "Unauthorized", "message": f"API key {key} is not valid for {url}",
                "request": {"url": url, "headers": headers}}  # fmt: skip
        await answer(401, json.dumps(body).encode(), [(b"x-echo-authorization", key.encode())])(scope, receive, send)

    return app


def text_of(result: CallToolResult) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def tool_error(result: CallToolResult, *fragments: str) -> str:
    """Assert ``result`` is a tool error whose text holds every fragment; return the text."""
    text = text_of(result)
    assert result.is_error is True, text
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    return text
