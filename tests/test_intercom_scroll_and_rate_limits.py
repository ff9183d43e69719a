"""Intercom's company scroll and its rate limit, as the generated client and MCP server handle them.

The scroll result puts the next ``scroll_param`` first with a note, its errors say how to
restart (and unrelated errors do not), and against the mock (``helpdesk_mock``, on an
injected clock) a scroll expires after a minute and restarts; a 429 reports its normalised
rate limit, the reset in seconds (Intercom sends a Unix time), in the tool result and in
the typed client's ``RateLimitError``.
Helpers (the recording upstream, ``connect``, ``mock_session``): ``tests/intercom_quirks_helpers.py``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generated.intercom import (
    RateLimitError,
)
from generated.intercom._runtime.ratelimit import parse_ratelimit
from generated.intercom.client import API
from tests.intercom_quirks_helpers import (
    T0,
    Upstream,
    connect,
    error_list,
    mock_session,
    sync_client,
    text_of,
)

# -- company scroll -----------------------------------------------------------------------

COMPANY = {"type": "company", "id": "6762f0971bb69f9f2193bb2b", "name": "Acme", "company_id": "acme"}


@pytest.mark.anyio
async def test_scroll_result_puts_the_next_scroll_param_first() -> None:
    pages = iter([
        {"type": "list", "data": [COMPANY], "pages": None, "total_count": None, "scroll_param": "sp-1"},
        {"type": "list", "data": [], "pages": None, "total_count": None, "scroll_param": "sp-2"},
    ])  # fmt: skip
    upstream = Upstream(lambda r: httpx.Response(200, json=next(pages)))
    async with connect(upstream) as c:
        first = await c.call_tool("intercom_companies_scroll", {})
        last = await c.call_tool("intercom_companies_scroll", {"scroll_param": "sp-1"})
    assert first.is_error is False and last.is_error is False
    data = first.structured_content
    assert list(data)[:2] == ["next_scroll_param", "scroll_note"]
    assert data["next_scroll_param"] == "sp-1" and data["data"] == [COMPANY] and data["scroll_param"] == "sp-1"
    assert "intercom_companies_scroll" in data["scroll_note"] and "60 seconds" in data["scroll_note"]
    assert text_of(first).startswith('{"next_scroll_param":"sp-1"')
    done = last.structured_content
    assert "next_scroll_param" not in done and "finished" in done["scroll_note"]  # a null member is dropped
    assert "scroll_param" not in upstream.requests[0].url.params
    assert upstream.requests[1].url.params["scroll_param"] == "sp-1"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("arguments", "status", "needles"),
    [
        ({"scroll_param": "sp-old"}, 404, ["cannot be continued", "without scroll_param", "60 seconds"]),
        ({"scroll_param": "sp-old"}, 400, ["cannot be continued", "without scroll_param"]),
        ({"scroll_param": "sp-old"}, 500, ["cannot be continued", "without scroll_param"]),
        ({}, 400, ["one open scroll per workspace", "without scroll_param"]),
    ],
    ids=["expired-404", "expired-400", "network-500", "second-scroll"],
)
async def test_scroll_errors_say_how_to_restart(arguments: dict[str, Any], status: int, needles: list[str]) -> None:
    body = error_list("parameter_invalid", "scroll parameter not found")
    upstream = Upstream(lambda r: httpx.Response(status, json=body))
    async with connect(upstream) as c:
        result = await c.call_tool("intercom_companies_scroll", arguments)
    text = text_of(result)
    assert result.is_error is True
    for needle in needles:
        assert needle in text
    assert text.index(needles[0]) < text.index(f"Intercom answered HTTP {status}")  # the advice comes first
    assert "scroll parameter not found" in text  # the vendor's own message is kept


@pytest.mark.anyio
async def test_scroll_unrelated_errors_get_no_advice() -> None:
    upstream = Upstream(lambda r: httpx.Response(401, json=error_list("unauthorized", "Access Token Invalid")))
    async with connect(upstream) as c:
        result = await c.call_tool("intercom_companies_scroll", {"scroll_param": "sp-1"})
    text = text_of(result)
    assert result.is_error is True and text.startswith("Intercom answered HTTP 401: Access Token Invalid")


# -- rate limits ------------------------------------------------------------------------------


def rate_limited(reset_at: int) -> Callable[[httpx.Request], httpx.Response]:
    headers = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset_at)}
    body = error_list("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
    return lambda r: httpx.Response(429, json=body, headers=headers)


@pytest.mark.anyio
async def test_rate_limited_tool_call_reports_the_reset_in_seconds() -> None:
    upstream = Upstream(rate_limited(int(time.time()) + 30))
    async with connect(upstream) as c:
        result = await c.call_tool("list_all_intercom_admins", {})
    text = text_of(result)
    assert result.is_error is True and len(upstream.requests) == 1  # passed through, not retried
    assert "Intercom answered HTTP 429: Exceeded rate limit of 167 in 10_seconds" in text
    assert result.meta is not None
    assert result.meta["ratelimit-limit"] == 1000 and result.meta["ratelimit-remaining"] == 0
    assert 25 <= result.meta["ratelimit-reset"] <= 30
    found = re.search(r"ratelimit-reset: (\d+)", text)
    assert found is not None and int(found.group(1)) == result.meta["ratelimit-reset"]
    assert f"Wait {result.meta['ratelimit-reset']} s" in text


def test_rate_limited_client_call_raises_with_the_normalised_fields() -> None:
    upstream = Upstream(rate_limited(int(time.time()) + 30))
    with sync_client(upstream) as client, pytest.raises(RateLimitError) as caught:
        client.admins.list()
    limit = caught.value.ratelimit
    assert (limit.limit, limit.remaining) == (1000, 0)
    assert limit.reset is not None and 25 <= limit.reset <= 30
    assert caught.value.status == 429 and len(upstream.requests) == 1


def test_intercom_reset_header_is_a_unix_time() -> None:
    headers = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "12", "X-RateLimit-Reset": str(T0 + 7)}
    limit = parse_ratelimit(headers, API.ratelimit, now=T0)
    assert limit.as_fields() == {"ratelimit-limit": 1000, "ratelimit-remaining": 12, "ratelimit-reset": 7}
    assert parse_ratelimit(headers, API.ratelimit, now=T0 + 60).reset == 0  # already past: no negative waits


# -- against the mock (helpdesk_mock), on an injected clock ----------------------------------


@pytest.mark.anyio
async def test_scroll_against_the_mock_expires_and_restarts() -> None:
    now = [float(T0)]
    async with mock_session(now) as c:
        first = await c.call_tool("intercom_companies_scroll", {})
        assert first.is_error is False, text_of(first)
        param = first.structured_content["next_scroll_param"]
        second_scroll = await c.call_tool("intercom_companies_scroll", {})
        now[0] += 61  # unused for more than a minute
        expired = await c.call_tool("intercom_companies_scroll", {"scroll_param": param})
        restarted = await c.call_tool("intercom_companies_scroll", {})
        seen = list(restarted.structured_content["data"])
        result = restarted
        while result.structured_content.get("next_scroll_param"):
            now[0] += 5
            result = await c.call_tool(
                "intercom_companies_scroll", {"scroll_param": result.structured_content["next_scroll_param"]}
            )
            assert result.is_error is False, text_of(result)
            seen += result.structured_content.get("data", [])  # empty (so left out) once finished
        companies = await c.call_tool("list_all_intercom_companies", {"per_page": 50})
    assert param and first.structured_content["data"]
    assert second_scroll.is_error is True and "one open scroll per workspace" in text_of(second_scroll)
    assert expired.is_error is True and "Restart from the beginning" in text_of(expired)
    assert restarted.is_error is False and restarted.structured_content["next_scroll_param"]
    assert "finished" in result.structured_content["scroll_note"]
    assert sorted(c["id"] for c in seen) == sorted(c["id"] for c in companies.structured_content["data"])
