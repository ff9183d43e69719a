"""Token-scoped MCP endpoints: rate-limit headers on the tool result's HTTP response, on every
transport and in the single-endpoint mode, and an upstream 429 passed through once.

Helpers in ``tests/endpoints_helpers.py``, the ``stub`` fixture in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.httpapp import single_endpoint_app
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread as serving
from tests.endpoints_helpers import (
    API_KEY,
    MODES,
    deploy,
    mcp,
)
from tests.upstream import TICKET_NUMBER, Desk365Upstream

# -- rate limits: headers, and a 429 passed through ----------------------------------------


class RateLimitedUpstream:
    """A real HTTP upstream that answers every request with 429 and rate-limit headers."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                outer.requests.append(self.path)
                body = b'{"error": "Too many requests"}'
                self.send_response(429)
                for key, value in (("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                   ("X-Rate-Limit-Remaining", "0"), ("Retry-After", "17")):  # fmt: skip
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def tool_responses(seen: list[Any]) -> list[Any]:
    """The HTTP responses that carried a tools/call result."""
    out = []
    for response in seen:
        body = json.loads(response.request.content or b"{}")
        if isinstance(body, dict) and body.get("method") == "tools/call":
            out.append(response)
    return out


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("transport", ["sse", "json", "stateless-sse"])
async def test_ratelimit_headers_on_the_tool_result_response(
    stub: Desk365Upstream, tmp_path: Path, mode: str, transport: str
) -> None:
    json_response, stateless = transport == "json", transport.startswith("stateless")
    stub.clear()
    with deploy(stub.url, tmp_path / "store.sqlite3", json_response=json_response, stateless=stateless) as desk:
        issued = desk.registry.create(name="rl", methods=["read"])
        seen: list[Any] = []
        async with mcp(desk.mcp_url(issued.token), mode=mode, seen=seen) as client:
            result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
            assert result.meta is not None and result.meta["ratelimit-remaining"] == 99
        [response] = tool_responses(seen)
        assert response.headers["ratelimit-remaining"] == "99"
        assert "ratelimit-limit" not in response.headers  # Desk365 sends only the remaining count
        kind = response.headers["content-type"]
        assert kind.startswith("text/event-stream" if (mode == "legacy" and not json_response) else "application/json")
        others = [r for r in seen if r not in tool_responses(seen)]
        assert others and all("ratelimit-remaining" not in r.headers for r in others)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_a_429_is_passed_through_once_with_its_rate_limit(tmp_path: Path, mode: str) -> None:
    limited = RateLimitedUpstream()
    with limited as upstream_url, deploy(upstream_url, tmp_path / "store.sqlite3") as desk:
        issued = desk.registry.create(name="rl", methods=["read"])
        seen: list[Any] = []
        async with mcp(desk.mcp_url(issued.token), mode=mode, seen=seen) as client:
            result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
        assert limited.requests == [f"/v3/tickets/details?ticket_number={TICKET_NUMBER}"]  # not retried
        assert result.is_error is True
        text = result.content[0].text
        assert "HTTP 429" in text and "ratelimit-remaining: 0" in text and "ratelimit-reset: 17" in text
        assert "not retried" in text
        assert result.meta is not None and result.meta["ratelimit-reset"] == 17
        [response] = tool_responses(seen)
        assert (response.headers["ratelimit-remaining"], response.headers["ratelimit-reset"]) == ("0", "17")


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_ratelimit_headers_in_the_single_endpoint_mode(stub: Desk365Upstream, mode: str) -> None:
    stub.clear()
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key=API_KEY, base_url=stub.url))
    app = single_endpoint_app(host, name="desk365-mcp", version="test")
    with serving(app) as base:
        seen: list[Any] = []
        async with mcp(f"{base}/mcp", mode=mode, seen=seen) as client:
            assert len((await client.list_tools()).tools) == 44
            await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
        [response] = tool_responses(seen)
        assert response.headers["ratelimit-remaining"] == "99"
