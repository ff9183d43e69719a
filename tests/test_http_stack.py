"""The typed clients' HTTP library (``_runtime/httpstack.py``): httpx2 by default, httpx when given.

The same calls run on an ``httpx2`` and on an ``httpx`` client (each with its own
``MockTransport``), so both keep sending identical requests and raising identical
errors. Real sockets check the failure wording a person reads: host and port,
and the failure as it was (refused, closed before or during the answer); the
causes a test cannot provoke here (DNS, TLS, resets) are checked on the
exception chains the libraries raise. A subprocess checks that a generated server
loads one HTTP stack, and that the default client is made by the first request.
"""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import httpx2
import pytest

from generated.desk365 import (
    ApiError,
    AsyncDesk365Client,
    Desk365Client,
    ResponseError,
    TimeoutError_,
    TransportError,
)
from generated.desk365._runtime.httpstack import address, failure, library_of
from tests.bench.load import free_port

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = [pytest.param(httpx2, id="httpx2"), pytest.param(httpx, id="httpx")]


def sync_client(library: ModuleType, handler: Callable[[Any], Any]) -> Desk365Client:
    http = library.Client(transport=library.MockTransport(handler))
    return Desk365Client(api_key="k-123456", subdomain="acme", http_client=http)


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_same_request_on_either_library(library: ModuleType) -> None:
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        body = gzip.compress(json.dumps({"tickets": [{"ticket_number": 7, "subject": "R&D / Ops #1"}]}).encode())
        return library.Response(200, content=body, headers={"Content-Encoding": "gzip", "X-Rate-Limit-Remaining": "9"})

    client = sync_client(library, handler)
    page = client.tickets.list(ticket_count="30", offset="0", filters={"subject": "R&D / Ops #1"})
    assert isinstance(seen[0], library.Request)
    assert str(seen[0].url).startswith("https://acme.desk365.io/apis/v3/tickets?ticket_count=30&offset=0&filters=")
    assert seen[0].headers["Authorization"] == "k-123456"
    assert page.tickets is not None and page.tickets[0].subject == "R&D / Ops #1"


@pytest.mark.parametrize("library", LIBRARIES)
def test_multipart_upload_on_either_library(library: ModuleType) -> None:
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        return library.Response(200, json={"ticket_number": 8992})

    sync_client(library, handler).ticket_notes.create_with_attachment(
        ticket_number=8992, note_object={"body": "logs"}, files=[("crash.log", b"line\r\n", "text/plain")]
    )
    body = seen[0].read()
    assert seen[0].headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'filename="crash.log"' in body and b"line\r\n" in body


@pytest.mark.parametrize("library", LIBRARIES)
def test_errors_are_the_same_on_either_library(library: ModuleType) -> None:
    def status(request: Any) -> Any:
        return library.Response(404, json={"message": "Ticket 1 does not exist"})

    with pytest.raises(ApiError, match="Desk365 answered HTTP 404: Ticket 1 does not exist"):
        sync_client(library, status).tickets.get(ticket_number=1)

    def slow(request: Any) -> Any:
        raise library.ReadTimeout("slow", request=request)

    with pytest.raises(TimeoutError_, match="did not answer within 30 s"):
        sync_client(library, slow).tickets.get(ticket_number=1)

    def refused(request: Any) -> Any:
        raise library.ConnectError("Connection refused", request=request)

    with pytest.raises(TransportError) as info:
        sync_client(library, refused).tickets.get(ticket_number=1)
    assert str(info.value) == "Desk365 at acme.desk365.io:443: could not connect (Connection refused)"


@pytest.mark.anyio
@pytest.mark.parametrize("library", LIBRARIES)
async def test_async_client_on_either_library(library: ModuleType) -> None:
    def handler(request: Any) -> Any:
        return library.Response(200, json={"ticket_number": 3, "subject": "async"})

    http = library.AsyncClient(transport=library.MockTransport(handler))
    async with AsyncDesk365Client(api_key="k-123456", subdomain="acme", http_client=http) as client:
        ticket = await client.tickets.get(ticket_number=3)
    assert ticket.subject == "async"


def test_the_library_is_found_from_the_client_class() -> None:
    class Mine(httpx.Client):
        pass

    assert library_of(None) is httpx2
    assert library_of(httpx2.Client()) is httpx2
    assert library_of(Mine()) is httpx
    assert library_of(object()) is httpx2


def test_the_default_client_is_made_by_the_first_request() -> None:
    client = Desk365Client(api_key="k", base_url="http://127.0.0.1:9")
    assert client._lazy.made is None  # building an SSL context is left to the first request
    client.close()  # closing an unused client makes nothing
    assert client._lazy.made is None
    with pytest.raises(TransportError):
        client.ping.list()
    assert isinstance(client._lazy.made, httpx2.Client)
    client.close()


def test_a_server_loads_one_http_stack() -> None:
    """What a stdio server imports before it answers tools/list: the SDK's httpx2, never httpx."""
    code = (
        "import sys; import generated.desk365.server as s; "
        "c = s.AsyncDesk365Client(api_key='k', subdomain='acme'); s.create_server(c); "
        "print(sorted(m for m in ('httpx', 'httpcore', 'rich', 'pygments') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- real sockets: the wording a person reads ------------------------------------------------


def _listener(answer: Callable[[socket.socket], None]) -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                answer(conn)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@pytest.fixture
def cut_mid_answer() -> Iterator[int]:
    yield from _listener(lambda conn: conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"tick'))


@pytest.fixture
def closed_without_answer() -> Iterator[int]:
    yield from _listener(lambda conn: None)


def test_connection_refused_names_host_and_port() -> None:
    port = free_port()
    with pytest.raises(TransportError) as info:
        Desk365Client(api_key="k", base_url=f"http://127.0.0.1:{port}").ping.list()
    assert str(info.value) == f"Desk365 at 127.0.0.1:{port}: connection refused (nothing is listening on that port)"


@pytest.mark.anyio
async def test_connection_refused_async() -> None:
    port = free_port()
    async with AsyncDesk365Client(api_key="k", base_url=f"http://127.0.0.1:{port}") as client:
        with pytest.raises(TransportError, match=f"at 127.0.0.1:{port}: connection refused"):
            await client.ping.list()


def test_a_connection_closed_mid_answer(cut_mid_answer: int) -> None:
    with pytest.raises(ResponseError) as info:
        Desk365Client(api_key="k", base_url=f"http://127.0.0.1:{cut_mid_answer}").ping.list()
    assert str(info.value).startswith(
        f"Desk365 at 127.0.0.1:{cut_mid_answer}: the connection was closed in the middle of the answer "
        "(peer closed connection without sending complete message body (received 6 bytes, expected 100)"
    )


def test_a_connection_closed_without_an_answer(closed_without_answer: int) -> None:
    with pytest.raises(TransportError) as info:
        Desk365Client(api_key="k", base_url=f"http://127.0.0.1:{closed_without_answer}").ping.list()
    assert str(info.value).startswith(
        f"Desk365 at 127.0.0.1:{closed_without_answer}: the connection was closed before any answer"
    )


def _chain(*exceptions: BaseException) -> BaseException:
    """``exceptions[0]`` raised from the next one, and so on (as the libraries chain them)."""
    for outer, inner in zip(exceptions, exceptions[1:], strict=False):
        outer.__cause__ = inner
    return exceptions[0]


@pytest.mark.parametrize(
    ("exc", "answering", "text"),
    [
        (_chain(httpx2.ConnectError("x"), socket.gaierror(-2, "Name or service not known")), False,
         "the host name does not resolve ([Errno -2] Name or service not known)"),
        (_chain(httpx.ConnectError("x"), ssl.SSLCertVerificationError(1, "certificate verify failed")), False,
         "its TLS certificate was not accepted (certificate verify failed)"),
        (_chain(httpx2.ConnectError("x"), ssl.SSLError(1, "wrong version number")), False,
         "the TLS handshake failed (wrong version number)"),
        (_chain(httpx2.ReadError("x"), ConnectionResetError(104, "reset")), True,
         "the connection was reset in the middle of the answer"),
        (_chain(httpx2.ReadError("x"), ConnectionResetError(104, "reset")), False,
         "the connection was reset before any answer"),
        (_chain(httpx2.ConnectError("x"), OSError(101, "Network is unreachable")), False,
         "unreachable from here ([Errno 101] Network is unreachable)"),
        (httpx2.ReadError(""), True, "the connection failed in the middle of the answer (ReadError)"),
    ],
)  # fmt: skip
def test_failures_are_worded_after_their_cause(exc: BaseException, answering: bool, text: str) -> None:
    assert failure(exc, answering=answering) == text


def test_address_fills_in_the_port() -> None:
    assert address(httpx2.URL("https://acme.desk365.io/apis")) == "acme.desk365.io:443"
    assert address(httpx2.URL("http://[::1]:8080/")) == "[::1]:8080"
    assert address(httpx.URL("http://127.0.0.1/")) == "127.0.0.1:80"
