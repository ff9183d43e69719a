"""Helpers of the token-scoped endpoint tests (``tests/test_endpoints*.py``), used by other
process-level tests too.

:func:`deploy` serves the endpoints app (``--transport http --endpoints``) over a store
file under uvicorn on 127.0.0.1, its registry on a :class:`FakeClock`; :func:`mcp` is
the SDK's streamable-HTTP client on a URL (:func:`listed` and :func:`refused` use it),
:func:`raw_post` sends the first request any client would and :func:`fingerprint`
compares answers byte for byte. :func:`cli` and :func:`server_process` run the real
``python -m generated.desk365``; :func:`run_main` runs its ``main`` in process. The
``stub`` (the Desk365 mock over real HTTP) and ``desk`` (a deployment in front of it)
fixtures are in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import (
    EndpointRegistry,
)
from generated.desk365._runtime.httpapp import endpoints_app
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.server import main as desk365_main
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread as serving

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-endpoints-test-4Yq9"
ADMIN = "admin-" + "A" * 40
READ_TOOLS = sorted(t.name for t in TOOLS if t.category == "read")
MODES = ["auto", "legacy"]
START = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


class FakeClock:
    """The registry's clock: set ``now`` to move time."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Deployment:
    """An endpoints app over a store file, served; ``client`` is the registry's view."""

    def __init__(self, url: str, registry: EndpointRegistry, clock: FakeClock, store: SqliteEndpointStore) -> None:
        self.url, self.registry, self.clock, self.store = url, registry, clock, store

    def mcp_url(self, token: str) -> str:
        return f"{self.url}/mcp/{token}"


@contextmanager
def deploy(
    stub_url: str, db: Path, *, json_response: bool = False, stateless: bool = False, admin_token: str | None = None
) -> Iterator[Deployment]:
    clock = FakeClock()
    store = SqliteEndpointStore(db, "desk365")
    registry = EndpointRegistry(store, TOOLS, clock=clock)
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key=API_KEY, base_url=stub_url))
    app = endpoints_app(
        host, registry, name="desk365-mcp", version="test", json_response=json_response, stateless=stateless,
        admin_token=admin_token,
    )  # fmt: skip
    try:
        with serving(app) as url:
            yield Deployment(url, registry, clock, store)
    finally:
        store.close()


@asynccontextmanager
async def mcp(url: str, *, mode: str = "auto", api_token: str | None = None, seen: list[Any] | None = None
              ) -> AsyncIterator[Client]:  # fmt: skip
    """The SDK client on ``url``; ``seen`` collects every HTTP response (for headers)."""
    headers = {"Authorization": f"Bearer {api_token}"} if api_token else {}

    async def record(response: httpx2.Response) -> None:
        if seen is not None:
            seen.append(response)

    async with httpx2.AsyncClient(headers=headers, timeout=30, event_hooks={"response": [record]}) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            yield client


async def listed(url: str, **kw: Any) -> list[str]:
    async with mcp(url, **kw) as client:
        return sorted(t.name for t in (await client.list_tools()).tools)


async def refused(url: str, **kw: Any) -> str:
    """The SDK client cannot use ``url``: the message of the error it got."""
    with pytest.raises(Exception) as info:  # noqa: B017 - an ExceptionGroup around an MCPError
        await listed(url, **kw)
    error: BaseException = info.value
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    assert isinstance(error, MCPError), repr(info.value)
    return str(error)


NOT_FOUND_BODY = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Not found"}}


def raw_post(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """One initialize request, as any client would send first."""
    params = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}
    return httpx.post(
        url, json=body, headers={"Accept": "application/json, text/event-stream", **(headers or {})}, timeout=10
    )


def fingerprint(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and headers (without the date), to compare answers byte for byte."""
    headers = sorted((k, v) for k, v in response.headers.items() if k.lower() != "date")
    return response.status_code, response.content, headers


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generated.desk365", *args], env=server_env(**env), cwd=ROOT,
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@contextmanager
def server_process(*args: str, log: Path, **env: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port), *args],
            env=server_env(DESK365_API_KEY=API_KEY, **env), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 15
            while True:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = desk365_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
