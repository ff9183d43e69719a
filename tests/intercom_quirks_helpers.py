"""Helpers of the Intercom quirk tests (``tests/test_intercom_*.py``).

The tools are driven in process through ``mcp.Client`` (:func:`connect`) against an
``AsyncIntercomClient`` whose upstream is an httpx ``MockTransport`` that records requests
(:class:`Upstream`), so every test also knows whether anything was sent;
:func:`sync_client` is the typed client on the same upstream. :func:`mock_session` runs
the tools against the Intercom mock (``helpdesk_mock``) on an injected clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from mcp import Client

from generated.intercom import (
    AsyncIntercomClient,
    IntercomClient,
)
from generated.intercom.server import create_server
from generated.intercom.tools import TOOLS

TOKEN = "tok-test-Rb7Qw2Lp9Xs4"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
TOOL_SPECS = {t.name: t for t in TOOLS}


# -- the recording upstream -------------------------------------------------------------


@dataclass
class Upstream:
    """Records requests and answers with ``respond`` (default: 200 ``{}``)."""

    respond: Callable[[httpx.Request], httpx.Response] = lambda r: httpx.Response(200, json={})
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)


@asynccontextmanager
async def connect(upstream: Upstream, mode: str = "auto") -> AsyncIterator[Client]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    client = AsyncIntercomClient(access_token=TOKEN, http_client=http)
    try:
        async with Client(create_server(client), mode=mode) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


def sync_client(upstream: Upstream) -> IntercomClient:
    return IntercomClient(access_token=TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(upstream)))


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


def error_list(code: str, message: str) -> dict[str, Any]:
    return {"type": "error.list", "request_id": "req-1", "errors": [{"code": code, "message": message}]}


@asynccontextmanager
async def mock_session(now: list[float]) -> AsyncIterator[Client]:
    from tests.mocks import create_app  # here: the mock is only needed by the tests that run it

    app = create_app("intercom", clock=lambda: now[0])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    client = AsyncIntercomClient(access_token=TOKEN, base_url="http://mock", http_client=http)
    try:
        async with Client(create_server(client)) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()
