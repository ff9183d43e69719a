"""Bounded sessions, files and connections (issue 11, items 3, 4 and 10), as real processes.

Item 3: one client could hold all 10,000 sessions of a manager for 30 minutes,
and in ``--endpoints`` mode the bound was per endpoint. Now ``--max-sessions``
bounds the process, ``--max-sessions-per-endpoint`` each endpoint, and
``--session-idle-timeout`` frees abandoned ones; the client over the limit gets
a 503 that says why (with ``Retry-After``) while open sessions keep working.

Item 4: a local file sent via ``path`` was read whole (200 MB of file, 686 MB of
peak RSS). Now ``--max-file-bytes`` is checked before anything is read, and a
file within the cap is streamed from disk: sending a 64 MiB file must not raise
the server's peak RSS by anything like 64 MiB.

Item 10: idle connections, headers sent a byte at a time and bodies that never
finish were held forever. Now each has a deadline (``--keep-alive-timeout``,
``--header-timeout``, ``--body-timeout``); the sockets below must be closed by
the server well within the 5 s the test waits.
"""

from __future__ import annotations

import base64
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import EndpointRegistry
from generated.desk365._runtime.httpapp import endpoints_app, single_endpoint_app
from generated.desk365._runtime.limits import Limits
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.server import main as desk365_main
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread
from tests.bench.load import free_port, memory, running, server_env
from tests.endpoints_helpers import mcp

NOTE = "desk_365_ticket_notes_create_with_attachment"
CLIENT = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": CLIENT}
ACCEPT = {"Accept": "application/json, text/event-stream"}


@contextmanager
def server(tmp_path: Path, *options: str, upstream: str = "http://127.0.0.1:9") -> Iterator[tuple[str, Any]]:
    """``python -m generated.desk365 --transport http`` with ``options``; yields its URL and process."""
    port = free_port()
    argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port),
            "--base-url", upstream, *options]  # fmt: skip
    with running(argv, port=port, log=tmp_path / "server.log", env=server_env(DESK365_API_KEY="k")) as proc:
        yield f"http://127.0.0.1:{port}", proc


def initialize(http: httpx.Client, url: str) -> httpx.Response:
    return http.post(url, json=INIT, headers=ACCEPT)


def listing(http: httpx.Client, url: str, session: str) -> httpx.Response:
    headers = {**ACCEPT, "Mcp-Session-Id": session, "Mcp-Protocol-Version": "2025-11-25"}
    return http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=headers)


# -- item 3: sessions ----------------------------------------------------------------------------


def test_sessions_are_bounded_and_the_client_over_the_limit_is_told(tmp_path: Path) -> None:
    options = ("--max-sessions", "3", "--session-idle-timeout", "600")
    with server(tmp_path, *options) as (base, _), httpx.Client(timeout=10) as http:
        url = f"{base}/mcp"
        sessions = [initialize(http, url).headers["mcp-session-id"] for _ in range(3)]
        refused = initialize(http, url)
        assert refused.status_code == 503 and refused.headers["retry-after"] == "60"
        message = refused.json()["error"]["message"]
        assert "already holds its limit of 3 open MCP sessions" in message and "DELETE" in message
        assert all(listing(http, url, s).status_code == 200 for s in sessions)  # the others keep working
        session = {"Mcp-Session-Id": sessions[0], "Mcp-Protocol-Version": "2025-11-25"}
        closed = http.delete(url, headers={**ACCEPT, **session})
        assert closed.status_code == 200
        assert initialize(http, url).status_code == 200  # its room is free again


def test_idle_sessions_are_closed(tmp_path: Path) -> None:
    with server(tmp_path, "--max-sessions", "2", "--session-idle-timeout", "0.5") as (base, _):
        with httpx.Client(timeout=10) as http:
            url = f"{base}/mcp"
            first = [initialize(http, url).headers["mcp-session-id"] for _ in range(2)]
            assert initialize(http, url).status_code == 503
            deadline = time.monotonic() + 10
            while initialize(http, url).status_code == 503:  # opening attempts do not touch the idle sessions
                assert time.monotonic() < deadline, "idle sessions were not closed"
                time.sleep(0.05)
            assert listing(http, url, first[0]).status_code == 404  # the idle one is gone


@pytest.mark.anyio
async def test_endpoints_share_one_budget_and_each_has_its_own_bound(tmp_path: Path) -> None:
    store = SqliteEndpointStore(tmp_path / "e.sqlite3", "desk365")
    registry = EndpointRegistry(store, TOOLS)
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key="k", base_url="http://127.0.0.1:9"))
    limits = Limits(max_sessions=3, max_sessions_per_endpoint=2)
    app = endpoints_app(host, registry, name="d", version="t", limits=limits)
    try:
        with serve_in_thread(app) as base, httpx.Client(timeout=10) as http:
            a, b = (f"{base}/mcp/{registry.create(name=n).token}" for n in "ab")
            assert [initialize(http, a).status_code for _ in range(2)] == [200, 200]
            third = initialize(http, a)
            assert third.status_code == 503 and "This endpoint already holds its limit of 2" in third.text
            assert initialize(http, b).status_code == 200
            full = initialize(http, b)
            assert full.status_code == 503 and "This server already holds its limit of 3" in full.text
            async with mcp(b, mode="auto") as client:  # the sessionless protocol era is not refused
                assert len((await client.list_tools()).tools) == 44
    finally:
        store.close()


@pytest.mark.anyio
async def test_requests_that_arrive_together_all_get_the_clear_answer() -> None:
    """Requests that pass the guard together meet the limit at admission: their 503s say why too."""
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key="k", base_url="http://127.0.0.1:9"))
    app = single_endpoint_app(host, name="d", version="t", limits=Limits(max_sessions=3))
    with serve_in_thread(app) as base:
        async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=12)) as http:
            answers = await anyio_gather([http.post(f"{base}/mcp", json=INIT, headers=ACCEPT) for _ in range(12)])
    assert sorted(a.status_code for a in answers) == [200] * 3 + [503] * 9
    for refused in (a for a in answers if a.status_code == 503):
        assert "already holds its limit of 3 open MCP sessions" in refused.json()["error"]["message"]
        assert refused.headers["retry-after"] == "60"


async def anyio_gather(calls: list[Any]) -> list[Any]:
    import asyncio

    return list(await asyncio.gather(*calls))


# -- item 4: files -------------------------------------------------------------------------------


class Sink:
    """A real HTTP upstream that reads each request body in chunks and counts its bytes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                left, size = int(self.headers.get("Content-Length") or 0), 0
                while left:
                    chunk = self.rfile.read(min(left, 1 << 20))
                    left, size = left - len(chunk), size + len(chunk)
                outer.sizes.append(size)
                body = b'{"message": "stored"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.anyio
async def test_files_are_capped_before_reading_and_streamed(tmp_path: Path) -> None:
    allowed = tmp_path / "files"
    allowed.mkdir()
    cap, big = 80_000_000, 64 * 1024 * 1024
    for name, size in (("small.txt", 1000), ("big.bin", big), ("over.bin", cap + 1)):
        with (allowed / name).open("wb") as f:
            f.truncate(size)  # sparse: no disk used, and reads give zeros
    sink = Sink()
    args = {"ticket_number": 91, "note_object": {"body": "x"}}
    try:
        options = ("--allow-dir", str(allowed), "--max-file-bytes", str(cap), "--max-body-bytes", "1000")
        with server(tmp_path, *options, upstream=sink.url) as (base, proc):
            async with mcp(f"{base}/mcp", mode="legacy") as client:
                await client.call_tool(NOTE, {**args, "file": {"path": "small.txt"}})  # warm up
                before = memory(proc.pid)
                await client.call_tool(NOTE, {**args, "file": {"path": "big.bin"}})
                after = memory(proc.pid)
                over = await client.call_tool(NOTE, {**args, "file": {"path": "over.bin"}})
        refusal = f"the file has {cap + 1} bytes, above this server's limit of {cap}"
        assert over.is_error and refusal in over.content[0].text
        assert len(sink.sizes) == 2 and big < sink.sizes[1] < big + 4096  # nothing sent for over.bin
        if before is not None and after is not None:
            assert after.peak - before.peak < big // 2, f"peak RSS grew by {(after.peak - before.peak) >> 20} MiB"
    finally:
        sink.close()


@pytest.mark.anyio
async def test_base64_files_are_capped_before_decoding() -> None:
    sent: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={})))  # type: ignore[func-returns-value]
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key="k", base_url="https://x.test", http_client=http),
                    max_file_bytes=10)  # fmt: skip
    args = {"ticket_number": 91, "note_object": {"body": "x"}}
    try:
        for data, refused in ((b"x" * 10, False), (b"x" * 11, True), (b"x" * 4000, True)):
            file = {"filename": "a.txt", "content_base64": base64.b64encode(data).decode()}
            result = await host.call(NOTE, {**args, "file": file})
            assert result.is_error is refused, result.content[0].text
            if refused:
                assert "above this server's limit" in result.content[0].text
        assert len(sent) == 1
    finally:
        await http.aclose()


# -- item 10: connections --------------------------------------------------------------------------


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> bool:
    """Whether the server closes ``sock`` within ``seconds`` (sending ``trickle`` a byte at a time meanwhile)."""
    sock.settimeout(0.1)
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            pass
        except OSError:
            return True
        if sent < len(trickle):
            try:
                sock.sendall(trickle[sent : sent + 1])
            except OSError:
                return True
            sent += 1
    return False


def test_idle_slow_header_and_slow_body_connections_are_closed(tmp_path: Path) -> None:
    options = ("--keep-alive-timeout", "0.5", "--header-timeout", "0.5", "--body-timeout", "0.5")
    with server(tmp_path, *options) as (base, _):
        port = int(base.rsplit(":", 1)[1])

        def connect() -> socket.socket:
            return socket.create_connection(("127.0.0.1", port), timeout=5)

        with connect() as idle:
            assert closed_within(idle, 5), "a connection that never sent a request was kept"
        with connect() as slow_head:
            slow_head.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert closed_within(slow_head, 5, trickle=b"X-Slow: " + b"a" * 200), "slow headers were waited for"
        with connect() as slow_body:
            head = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            head += b"Content-Length: 500\r\n\r\n"
            slow_body.sendall(head + b'{"jsonrpc"')
            assert closed_within(slow_body, 5, trickle=b" " * 400), "a body that never finished was waited for"
        with connect() as kept:
            kept.sendall(b"GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            kept.settimeout(5)
            assert kept.recv(65536).startswith(b"HTTP/1.1 404")
            assert closed_within(kept, 5), "an idle keep-alive connection was kept"
        with httpx.Client(timeout=10) as http:  # and the server still serves
            assert initialize(http, f"{base}/mcp").status_code == 200
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_limit_options_and_their_environment_variables(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit):
        desk365_main(["--help"])
    shown = capsys.readouterr().out
    for option in ("--max-sessions", "--max-sessions-per-endpoint", "--session-idle-timeout", "--max-file-bytes",
                   "--max-body-bytes", "--keep-alive-timeout", "--header-timeout", "--body-timeout",
                   "--allowed-hosts", "--allowed-origins", "DESK365_MCP_MAX_SESSIONS",
                   "DESK365_MCP_ALLOWED_HOSTS"):  # fmt: skip
        assert option in shown, option
    assert desk365_main(["--max-sessions", "0", "--list-tools"]) == 2
    assert "--max-sessions '0': must be a positive whole number" in capsys.readouterr().err
    monkeypatch.setenv("DESK365_MCP_SESSION_IDLE_TIMEOUT", "soon")
    assert desk365_main(["--list-tools"]) == 2
    assert "DESK365_MCP_SESSION_IDLE_TIMEOUT 'soon': must be a positive number" in capsys.readouterr().err
    monkeypatch.setenv("DESK365_MCP_SESSION_IDLE_TIMEOUT", "30")
    assert desk365_main(["--list-tools", "--max-sessions", "5"]) == 0
