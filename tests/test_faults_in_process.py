"""Faults in process, next to the fault suite (``test_faults.py``): the 429 done-when line for
both APIs (over the mock's own transport: the rate limit reaches the caller once), a tiny run
of the load benchmark (``tests/bench/load.py``) so it cannot rot, and two unit checks of the
runtime's body decoding (compressed bodies within the cap, the depth scan of JSON bytes).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from helpdesk_mock import MockSettings
from tests.bench.load import LoadSettings, percentile, run_load
from tests.faults_helpers import (
    CAP,
    GOOD,
    HUGE,
    TICKET,
    tool_error,
)
from tests.mocks import create_app

# -- 429: done-when, for both APIs ---------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("api", "tool", "args"),
    [("desk365", TICKET, {"ticket_number": GOOD}), ("intercom", "intercom_admins_me", {})],
)
async def test_a_429_reaches_the_caller_once_with_its_rate_limit(api: str, tool: str, args: dict[str, Any]) -> None:
    import importlib

    package = importlib.import_module(f"generated.{api}")
    mock = create_app(api, settings=MockSettings(ratelimit=0))
    credential = {"desk365": "api_key", "intercom": "access_token"}[api]
    client_class = getattr(package, "AsyncDesk365Client" if api == "desk365" else "AsyncIntercomClient")
    client = client_class(**{credential: "k-1234"}, base_url="http://mock",
                          http_client=httpx.AsyncClient(transport=mock.transport()))  # fmt: skip
    server = importlib.import_module(f"generated.{api}.server").create_server(client)
    async with Client(server) as mcp_client:
        result = await mcp_client.call_tool(tool, args)
    text = tool_error(result, "answered HTTP 429", "ratelimit-remaining: 0", "ratelimit-reset: ")
    assert result.meta is not None and result.meta["ratelimit-remaining"] == 0
    assert 0 < result.meta["ratelimit-reset"] <= 60 and f"ratelimit-reset: {result.meta['ratelimit-reset']}" in text
    assert len(mock.requests) == 1 and mock.requests[0].status == 429


# -- the load benchmark, small -----------------------------------------------------------------


def test_load_benchmark_smoke(tmp_path: Path) -> None:
    """``make bench``'s load part, tiny: three clients, 24 calls (every call of the mix), no errors."""
    result = run_load(LoadSettings(clients=3, calls=24), tmp_path)
    assert result.errors == []
    assert len(result.latencies) == 24 and result.seconds > 0 and result.calls_per_second > 0
    text = result.render()
    assert "3 MCP clients, 24 tool calls" in text and "errors                 0" in text
    assert percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.0 and percentile([3.0, 1.0, 2.0, 4.0], 99) == 4.0
    with pytest.raises(SystemExit, match="LOAD_CLIENTS must be a positive integer, got '0'"):
        LoadSettings.from_env({"LOAD_CLIENTS": "0"})
    assert LoadSettings.from_env({"LOAD_CALLS": "7"}) == LoadSettings(clients=50, calls=7)


# -- the sync client reads compressed bodies within the cap too --------------------------------


class Chunks(httpx.SyncByteStream):
    """A streamed body (an in-memory ``content=`` would be read, and decoded, by httpx up front)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks


def test_the_sync_client_decodes_within_the_cap() -> None:
    from generated.desk365 import Desk365Client
    from generated.desk365._runtime.errors import ResponseError, ResponseTooLargeError

    ticket = json.dumps({"ticket_number": GOOD, "subject": "Compressed"}).encode()
    bodies = {
        "gzip": gzip.compress(ticket),
        "bomb": gzip.compress(b'{"subject": "' + b"x" * HUGE + b'"}'),
        "corrupt": b"\x1f\x8b not gzip at all",
    }
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = bodies[request.headers["x-case"]]
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=Chunks(body[:100], body[100:]))

    def client(case: str) -> Desk365Client:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        return Desk365Client(api_key="k-1234", base_url="http://mock", max_response_bytes=CAP, http_client=http,
                             headers={"x-case": case})  # fmt: skip

    assert client("gzip").tickets.get(ticket_number=GOOD).subject == "Compressed"
    assert sent[0].headers["accept-encoding"] == "gzip, deflate"
    with pytest.raises(ResponseTooLargeError, match=f"at least {CAP + 1} bytes, above the {CAP}-byte limit"):
        client("bomb").tickets.get(ticket_number=GOOD)
    with pytest.raises(ResponseError, match="Desk365's compressed answer is corrupt"):
        client("corrupt").tickets.get(ticket_number=GOOD)


def test_the_depth_scan_of_json_bytes_matches_the_data() -> None:
    """``decode_json``'s depth check reads bytes (no walk over the data); strings full of brackets,
    quotes and backslashes must not fool it. Seeded, so every run checks the same 3,000 documents."""
    import random

    from generated.desk365._runtime.body import _depth

    rng = random.Random(6)
    texts = ["[", "]}", '{"', '\\"]', "\\\\", "a]b", "", "\ud83d\ude00"]

    def value(level: int) -> Any:
        roll = rng.random()
        if level > 8 or roll < 0.3:
            return rng.choice([1, None, True, *texts])
        if roll < 0.65:
            return [value(level + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(texts) + str(i): value(level + 1) for i in range(rng.randint(0, 3))}

    def depth(v: Any) -> int:
        inner = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        return 0 if inner is None else 1 + max((depth(x) for x in inner), default=0)

    for _ in range(3000):
        data = value(0)
        assert _depth(json.dumps(data).encode()) == depth(data), data
