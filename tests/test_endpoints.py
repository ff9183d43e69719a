"""Token-scoped MCP endpoints over real HTTP (issue 6, parts 1, 2 and 5).

The endpoints app (``generated.desk365._runtime.httpapp.endpoints_app``, the one
``--transport http --endpoints`` serves) runs under uvicorn on 127.0.0.1 (random
port) in a thread, in front of the Desk365 mock served over real HTTP (``tests.upstream``);
the SDK's streamable-HTTP client talks to it, and raw httpx requests check the
exact HTTP answers (404 / 401 bodies and headers). The registry's clock is a
:class:`FakeClock`, so expiry is tested to the second without sleeping. The
done-when scenario (CLI create, list only read tools, refuse
``create_a_desk_365_ticket``, 404 once revoked) runs the real ``python -m
generated.desk365`` processes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import (
    EndpointError,
    EndpointRegistry,
    SqliteEndpointStore,
    parse_expiry,
    token_digest,
)
from generated.desk365._runtime.httpapp import endpoints_app, single_endpoint_app
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.server import main as desk365_main
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread as serving
from tests.upstream import TICKET_NUMBER, Desk365Upstream, desk365_upstream

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-endpoints-test-4Yq9"
ADMIN = "admin-" + "A" * 40
READ_TOOLS = sorted(t.name for t in TOOLS if t.category == "read")
MODES = ["auto", "legacy"]
START = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeClock:
    """The registry's clock: set ``now`` to move time."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def stub() -> Iterator[Desk365Upstream]:
    with desk365_upstream() as s:
        yield s


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


@pytest.fixture
def desk(stub: Desk365Upstream, tmp_path: Path) -> Iterator[Deployment]:
    with deploy(stub.url, tmp_path / "endpoints.sqlite3", admin_token=ADMIN) as d:
        yield d


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


# -- the done-when scenario, as real processes -------------------------------------------


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


# -- the management API ----------------------------------------------------------------


def test_management_api(desk: Deployment) -> None:
    with httpx.Client(base_url=desk.url, timeout=10) as api:
        check_management_api(api, desk)


def check_management_api(api: httpx.Client, desk: Deployment) -> None:
    auth = {"Authorization": f"Bearer {ADMIN}"}
    for headers in ({}, {"Authorization": "Bearer " + "B" * 46}, {"Authorization": ADMIN}):
        refused_ = api.get("/endpoints", headers=headers)
        assert refused_.status_code == 401 and "admin token" in refused_.json()["error"]
        assert api.post("/endpoints", json={"name": "x"}, headers=headers).status_code == 401
        assert api.delete("/endpoints/ep_x", headers=headers).status_code == 401
    assert desk.store.all() == []
    for body, message in [
        ({"name": "x", "config": {"methods": ["nope"]}}, "methods: unknown category 'nope'"),
        ({"name": "x", "config": {"method": ["read"]}}, "config.method: unknown field"),
        ({"name": "x", "expires": None}, "expires: unknown field"),
        ({"name": "x", "config": {"tags": "tickets"}}, "config.tags: expected a list of strings"),
        ({"name": "x", "expires_at": 1234}, "expires_at: expected an ISO 8601 string"),
        (["x"], "body: expected a JSON object"),
    ]:
        answer = api.post("/endpoints", json=body, headers=auth)
        assert answer.status_code == 400 and message in answer.json()["error"], (body, answer.text)
    assert api.post("/endpoints", content=b"{", headers=auth).json() == {"error": "body: not valid JSON"}
    assert desk.store.all() == []
    created = api.post("/endpoints", headers=auth, json={
        "name": "ChatGPT Desk365 Assistant", "config": {"methods": ["read"], "require_api_token_auth": True},
        "expires_at": (START + timedelta(days=7)).isoformat()})  # fmt: skip
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    made = created.json()
    assert made["url"].startswith(f"{desk.url}/mcp/") and made["id"].startswith("ep_")
    assert made["expires_at"] == "2026-11-28T12:00:00Z" and made["config"]["require_api_token_auth"] is True
    token, api_token = made["url"].rsplit("/", 1)[1], made["api_token"]
    listing = api.get("/endpoints", headers=auth)
    assert listing.status_code == 200
    assert [e["id"] for e in listing.json()["endpoints"]] == [made["id"]]
    assert token not in listing.text and api_token not in listing.text and token_digest(token) not in listing.text
    assert raw_post(made["url"], {"Authorization": f"Bearer {api_token}"}).status_code == 200
    assert api.delete(f"/endpoints/{made['id']}", headers=auth).status_code == 204
    assert raw_post(made["url"], {"Authorization": f"Bearer {api_token}"}).status_code == 404
    again = api.delete(f"/endpoints/{made['id']}", headers=auth)
    assert again.status_code == 404 and made["id"] in again.json()["error"]
    assert api.get("/endpoints", headers=auth).json() == {"endpoints": []}
    assert api.put("/endpoints", headers=auth).status_code == 405


def test_management_api_is_absent_without_an_admin_token(stub: Desk365Upstream, tmp_path: Path) -> None:
    with deploy(stub.url, tmp_path / "store.sqlite3") as desk:
        unknown = fingerprint(raw_post(desk.mcp_url("x" * 43)))
        for method, path in (("GET", "/endpoints"), ("POST", "/endpoints"), ("DELETE", "/endpoints/ep_1")):
            answer = httpx.request(method, desk.url + path, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10)
            assert answer.status_code == 404 and answer.json() == NOT_FOUND_BODY
        assert fingerprint(httpx.post(desk.url + "/endpoints", timeout=10)) == unknown


# -- no token in clear text ---------------------------------------------------------------


def test_the_database_holds_no_token_in_clear_text(desk: Deployment, tmp_path: Path) -> None:
    issued: list[str] = []
    for i in range(3):
        made = desk.registry.create(name=f"registry {i}", require_api_token_auth=bool(i % 2))
        issued += [made.token, *([made.api_token] if made.api_token else [])]
    created = httpx.post(f"{desk.url}/endpoints", headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10,
                         json={"name": "api", "config": {"require_api_token_auth": True}}).json()  # fmt: skip
    issued += [created["url"].rsplit("/", 1)[1], created["api_token"]]
    done = cli("endpoints", "create", "--name", "cli", "--require-api-token-auth", "--json",
               "--endpoints-db", str(desk.store.path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    issued += [made["url"].rsplit("/", 1)[1], made["api_token"]]
    assert len(issued) == 8 and len(set(issued)) == 8
    files = sorted(desk.store.path.parent.glob(desk.store.path.name + "*"))  # the file, its -wal and -shm
    content = b"".join(f.read_bytes() for f in files)
    for token in issued:
        assert token.encode() not in content
        assert token_digest(token).encode() in content  # the control: the hash is what is kept


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


# -- the command line ------------------------------------------------------------------


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = desk365_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_endpoints_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite3")
    code, out, err = run_main(capsys, "endpoints", "create", "--name", "kb", "--tags", "knowledge_base",
                              "--endpoints-db", db, "--public-url", "https://mcp.example.com/")  # fmt: skip
    assert code == 0, err
    assert "https://mcp.example.com/mcp/" in out and "API token" not in out and "Shown once" in out
    code, out, err = run_main(capsys, "endpoints", "create", "--name", "guarded", "--require-api-token-auth",
                              "--endpoints-db", db)  # fmt: skip
    assert code == 0 and "http://127.0.0.1:8000/mcp/" in out and "API token:" in out
    code, out, _ = run_main(capsys, "endpoints", "list", "--endpoints-db", db)
    assert code == 0 and "'kb'" in out and "tags=knowledge_base" in out and "api-token" in out
    ident = out.split()[0]
    assert run_main(capsys, "endpoints", "revoke", ident, "--endpoints-db", db)[:2] == (0, f"revoked {ident}\n")
    code, _, err = run_main(capsys, "endpoints", "revoke", ident, "--endpoints-db", db)
    assert code == 1 and f"no endpoint {ident!r}" in err
    for args, message in [
        (("--methods", "reed"), "methods: unknown category 'reed'"),
        (("--tags", "billing"), "tags: unknown tag 'billing'"),
        (("--tools", "nope"), "tools: unknown tool 'nope'"),
        (("--expires-at", "2020-01-01T00:00:00Z"), "expires_at: 2020-01-01T00:00:00Z is not in the future"),
    ]:
        code, out, err = run_main(capsys, "endpoints", "create", "--name", "x", *args, "--endpoints-db", db)
        assert code == 2 and message in err and out == "", (args, err)
    assert len(json.loads(run_main(capsys, "endpoints", "list", "--json", "--endpoints-db", db)[1])) == 1


def test_server_options_that_do_not_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK365_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("DESK365_MCP_ADMIN_TOKEN", raising=False)
    short = tmp_path / "admin"
    short.write_text("too-short\n")
    for argv, message in [
        (["--endpoints"], "--endpoints needs --transport http"),
        (["--transport", "http", "--endpoints", "--path", "/x"], "--path does not apply with --endpoints"),
        (["--transport", "http", "--admin-token-file", str(short)], "need --endpoints"),
        (["--transport", "http", "--endpoints", "--admin-token-file", str(short)], "at least 32 characters"),
    ]:
        code, _, err = run_main(capsys, *argv)
        assert code == 2 and message in err, (argv, err)
    monkeypatch.setenv("DESK365_MCP_ADMIN_TOKEN", "short")
    code, _, err = run_main(capsys, "--transport", "http", "--endpoints")
    assert code == 2 and "DESK365_MCP_ADMIN_TOKEN: the admin token must be at least 32 characters" in err
