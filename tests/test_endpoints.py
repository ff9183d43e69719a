"""Token-scoped MCP endpoints over real HTTP (issue 6, parts 1, 2 and 5): who gets in.

The endpoints app (``generated.desk365._runtime.httpapp.endpoints_app``, the one
``--transport http --endpoints`` serves) runs under uvicorn on 127.0.0.1 (random
port) in a thread, in front of the Desk365 mock served over real HTTP (``tests.upstream``);
the SDK's streamable-HTTP client talks to it, and raw httpx requests check the
exact HTTP answers (404 / 401 bodies and headers). The registry's clock is a
:class:`FakeClock`, so expiry is tested to the second without sleeping. The
done-when scenario (CLI create, list only read tools, refuse
``create_a_desk_365_ticket``, 404 once revoked) runs the real ``python -m
generated.desk365`` processes. Then: one 404 for every unknown, revoked, expired or
foreign token, sessions bound to their endpoint, the secondary API-token auth, scopes
enforced at list and at call, and the endpoint definitions validated.

The management API, the store and the command line: ``test_endpoints_management.py``;
the rate-limit headers: ``test_endpoints_ratelimits.py``; helpers in
``tests/endpoints_helpers.py``, the ``stub`` and ``desk`` fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import httpx
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore
from mcp import MCPError

from generated.desk365._runtime.endpoints import (
    EndpointError,
    EndpointRegistry,
    parse_expiry,
)
from generated.desk365.tools import TOOLS
from tests.endpoints_helpers import (
    API_KEY,
    MODES,
    NOT_FOUND_BODY,
    READ_TOOLS,
    START,
    Deployment,
    FakeClock,
    cli,
    fingerprint,
    listed,
    mcp,
    raw_post,
    refused,
    server_process,
)
from tests.upstream import TICKET_NUMBER, Desk365Upstream

# -- the done-when scenario, as real processes -------------------------------------------


@pytest.mark.anyio
async def test_cli_read_only_endpoint_lists_read_tools_refuses_writes_and_dies_on_revoke(
    stub: Desk365Upstream, tmp_path: Path
) -> None:
    db = tmp_path / "store.sqlite3"
    created = cli("endpoints", "create", "--name", "assistant (read only)", "--methods", "read",
                  "--expires-at", "2099-01-01T00:00:00Z", "--endpoints-db", str(db), "--json")  # fmt: skip
    assert created.returncode == 0, created.stderr
    made = json.loads(created.stdout)
    assert made["config"]["methods"] == ["read"] and made["expires_at"] == "2099-01-01T00:00:00Z"
    token = made["url"].rsplit("/", 1)[1]
    log = tmp_path / "server.log"
    with server_process("--endpoints", "--endpoints-db", str(db), "--base-url", stub.url, "--log-level", "info",
                        log=log) as base:  # fmt: skip
        url = f"{base}/mcp/{token}"
        for mode in MODES:
            async with mcp(url, mode=mode) as client:
                assert sorted(t.name for t in (await client.list_tools()).tools) == READ_TOOLS
                stub.clear()
                refusal = await client.call_tool("create_a_desk_365_ticket", {"email": "a@b.c", "subject": "x"})
                assert refusal.is_error is True
                assert "not available" in refusal.content[0].text
                assert stub.requests == []  # refused before anything was sent
                ok = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
                assert ok.is_error is False and ok.structured_content == stub.ticket
                assert len(stub.requests) == 1
        listing = cli("endpoints", "list", "--endpoints-db", str(db), "--json")
        assert [e["id"] for e in json.loads(listing.stdout)] == [made["id"]]
        assert token not in listing.stdout
        revoked = cli("endpoints", "revoke", made["id"], "--endpoints-db", str(db))
        assert revoked.returncode == 0 and made["id"] in revoked.stdout
        gone = raw_post(url)
        assert gone.status_code == 404 and gone.json() == NOT_FOUND_BODY
        assert await refused(url) == "Not found"
        assert fingerprint(raw_post(f"{base}/mcp/{'x' * 43}")) == fingerprint(gone)
    text = log.read_text()
    assert "/mcp/[token]" in text, "the access log should show the scrubbed path"
    assert token not in text and API_KEY not in text


# -- unknown, revoked, expired, foreign: one 404 ------------------------------------------


@pytest.mark.anyio
async def test_expiry_to_the_second_with_an_injected_clock(desk: Deployment) -> None:
    expires = START + timedelta(hours=1)
    issued = desk.registry.create(name="contractor", methods=["read"], expires_at=expires.isoformat())
    url = desk.mcp_url(issued.token)
    unknown = fingerprint(raw_post(desk.mcp_url("u" * 43)))
    desk.clock.now = expires - timedelta(seconds=1)
    assert await listed(url) == READ_TOOLS
    desk.clock.now = expires  # refused from the second it expires
    assert fingerprint(raw_post(url)) == unknown
    assert await refused(url) == "Not found"
    assert len(desk.store.all()) == 1 and desk.registry.purge() == 1 and desk.store.all() == []  # purged off the path
    desk.clock.now = START  # turning the clock back does not revive it
    assert fingerprint(raw_post(url)) == unknown


class RunningClock(FakeClock):
    """A clock that runs with real time from a chosen instant."""

    def __init__(self, now: datetime) -> None:
        super().__init__(now)
        self.started = time.monotonic()

    def __call__(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self.started)


@pytest.mark.anyio
async def test_an_endpoint_in_use_is_purged_when_it_expires(desk: Deployment) -> None:
    """The one real-time rule: a running endpoint's record goes at its expiry, with no request needed."""
    expires = START + timedelta(hours=1)
    issued = desk.registry.create(name="short-lived", expires_at=expires)
    desk.registry.clock = RunningClock(expires - timedelta(seconds=1))
    async with mcp(desk.mcp_url(issued.token), mode="legacy") as client:  # initialize: the endpoint runs
        deadline = time.monotonic() + 10
        while desk.store.all():  # purged by the endpoint's timer, within a second
            assert time.monotonic() < deadline, "the expired endpoint's record was not purged"
            await anyio.sleep(0.02)
        with pytest.raises(MCPError, match="Not found"):  # the endpoint is gone, its session with it
            await client.list_tools()


@pytest.mark.anyio
async def test_wrong_missing_revoked_expired_and_foreign_tokens_get_the_same_404(
    desk: Deployment, stub: Desk365Upstream, tmp_path: Path
) -> None:
    revoked = desk.registry.create(name="revoked")
    assert await listed(desk.mcp_url(revoked.token)) == sorted(t.name for t in TOOLS)
    assert desk.registry.revoke(revoked.endpoint.id)
    expired = desk.registry.create(name="expired", expires_at=START + timedelta(minutes=5))
    live = desk.registry.create(name="live")
    # a token issued by another deployment's store (another file), and one of another API in this file
    other = SqliteEndpointStore(tmp_path / "other.sqlite3", "desk365")
    intercom = SqliteEndpointStore(desk.store.path, "intercom")
    try:
        foreign = EndpointRegistry(other, TOOLS, clock=desk.clock).create(name="elsewhere").token
        other_api = EndpointRegistry(intercom, TOOLS, clock=desk.clock).create(name="intercom's").token
    finally:
        other.close()
        intercom.close()
    desk.clock.now = START + timedelta(minutes=5)
    answers = {
        "unknown": raw_post(desk.mcp_url("x" * 43)),
        "short": raw_post(desk.mcp_url("abc")),
        "missing": raw_post(f"{desk.url}/mcp/"),
        "nested": raw_post(f"{desk.url}/mcp/{live.token}/x"),
        "revoked": raw_post(desk.mcp_url(revoked.token)),
        "expired": raw_post(desk.mcp_url(expired.token)),
        "foreign": raw_post(desk.mcp_url(foreign)),
        "other API": raw_post(desk.mcp_url(other_api)),
        "case-changed": raw_post(desk.mcp_url(live.token.swapcase())),
        "no route": raw_post(f"{desk.url}/mcp"),
    }
    reference = fingerprint(answers["unknown"])
    assert reference[0] == 404 and json.loads(reference[1]) == NOT_FOUND_BODY
    for what, response in answers.items():
        assert fingerprint(response) == reference, what
    for token in (revoked.token, expired.token, foreign, other_api):
        assert await refused(desk.mcp_url(token)) == "Not found"
    assert await listed(desk.mcp_url(live.token), mode="legacy")  # the live one still answers


@pytest.mark.anyio
async def test_a_session_belongs_to_its_endpoint(desk: Deployment) -> None:
    a = desk.registry.create(name="a", methods=["read"])
    b = desk.registry.create(name="b", methods=["write"])
    opened = raw_post(desk.mcp_url(a.token))
    session = opened.headers["mcp-session-id"]
    reused = httpx.post(
        desk.mcp_url(b.token),
        json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        headers={
            "Accept": "application/json, text/event-stream",
            "Mcp-Session-Id": session,
            "Mcp-Protocol-Version": "2025-11-25",
        },  # fmt: skip
        timeout=10,
    )
    assert reused.status_code == 404  # endpoint b has no such session
    assert await listed(desk.mcp_url(b.token)) == sorted(t.name for t in TOOLS if t.category == "write")


# -- secondary auth --------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_api_token_auth(desk: Deployment, mode: str) -> None:
    guarded = desk.registry.create(name="guarded", tags=["knowledge_base"], require_api_token_auth=True)
    plain = desk.registry.create(name="plain", tags=["knowledge_base"])
    other = desk.registry.create(name="other", require_api_token_auth=True)
    assert guarded.api_token and other.api_token and plain.api_token is None
    url = desk.mcp_url(guarded.token)
    kb = sorted(t.name for t in TOOLS if "knowledge_base" in t.tags)
    assert await listed(url, mode=mode, api_token=guarded.api_token) == kb
    refusals = [
        raw_post(url),
        raw_post(url, {"Authorization": "Bearer wrong-token"}),
        raw_post(url, {"Authorization": f"Bearer {other.api_token}"}),  # another endpoint's API token
        raw_post(url, {"Authorization": f"Bearer {guarded.token}"}),  # the URL token is not the API token
        raw_post(url, {"Authorization": f"Basic {guarded.api_token}"}),
    ]
    first = fingerprint(refusals[0])
    assert first[0] == 401 and "Authorization: Bearer" in json.loads(first[1])["error"]["message"]
    assert ("www-authenticate", 'Bearer realm="mcp"') in first[2]
    assert all(fingerprint(r) == first for r in refusals)
    assert "requires its API token" in await refused(url, mode=mode)
    assert "requires its API token" in await refused(url, mode=mode, api_token=other.api_token)
    # an unknown token is 404 whatever Authorization says: nothing hints that auth would help
    assert raw_post(desk.mcp_url("z" * 43), {"Authorization": f"Bearer {guarded.api_token}"}).status_code == 404
    assert await listed(desk.mcp_url(plain.token), mode=mode) == kb  # no API token needed there


# -- scope enforcement -----------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_scope_is_enforced_at_list_and_at_call(desk: Deployment, stub: Desk365Upstream, mode: str) -> None:
    scoped = desk.registry.create(name="kb readers", methods=["read"], tags=["knowledge_base", "tickets"],
                                  tools=["get_single_desk_365_ticket_by_id", "list_all_desk_365_kb_articles",
                                         "create_a_desk_365_ticket"])  # fmt: skip
    async with mcp(desk.mcp_url(scoped.token), mode=mode) as client:
        names = sorted(t.name for t in (await client.list_tools()).tools)
        assert names == ["get_single_desk_365_ticket_by_id", "list_all_desk_365_kb_articles"]  # AND of all three
        stub.clear()
        for outside in ("create_a_desk_365_ticket", "list_all_desk_365_tickets", "delete_a_desk_365_kb_article"):
            result = await client.call_tool(outside, {})
            assert result.is_error is True and "not available on this server" in result.content[0].text, outside
        assert stub.requests == []
        ok = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
        assert ok.is_error is False and ok.structured_content == stub.ticket
        assert [r.path for r in stub.requests] == ["/v3/tickets/details"]


def test_endpoint_definitions_are_validated() -> None:
    store = SqliteEndpointStore(":memory:", "desk365")
    registry = EndpointRegistry(store, TOOLS, clock=FakeClock())
    bad = [
        ({"name": ""}, "name:"),
        ({"name": "x", "methods": ["readonly"]}, "methods: unknown category 'readonly'"),
        ({"name": "x", "tags": ["billing"]}, "tags: unknown tag 'billing'"),
        ({"name": "x", "tools": ["no_such_tool"]}, "tools: unknown tool 'no_such_tool'"),
        ({"name": "x", "methods": ["write"], "tags": ["ping"]}, "admit no tool"),
        ({"name": "x", "expires_at": "next week"}, "expires_at: 'next week' is not an ISO 8601"),
        ({"name": "x", "expires_at": "2030-01-01T00:00:00"}, "has no UTC offset"),
        ({"name": "x", "expires_at": START.isoformat()}, "is not in the future"),
        ({"name": "x", "require_api_token_auth": "yes"}, "require_api_token_auth: must be true or false"),
    ]
    try:
        for fields, message in bad:
            with pytest.raises(EndpointError, match=message.replace("(", r"\(")):
                registry.create(**fields)
        assert store.all() == []
        assert parse_expiry("2030-01-01T01:00:00+01:00", START) == datetime(2030, 1, 1, tzinfo=UTC)
        issued = registry.create(name="  spaced  ", methods="read, read,custom")
        assert issued.endpoint.name == "spaced" and issued.endpoint.scope.methods == ("read", "custom")
        assert len(issued.token) == 43 and issued.token not in repr(issued)
    finally:
        store.close()
