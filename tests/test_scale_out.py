"""Several server processes, one truth (issue 17's done-when; issue 11 item 5 over HTTP).

Real processes over real HTTP with the SDK client: ``python -m generated.desk365
--transport http --endpoints`` started twice (A and B) on one real PostgreSQL (the
session's server, a database of their own), and the same tests on SQLite with one
process (A and B are then the same process). Upstream is the Desk365 mock served in
this process. Endpoints are made through the management API of either process and
through the ``endpoints`` command.

Time is injected, not waited for: both processes read their registry clock from one
file (``DESK365_MCP_TEST_CLOCK_FILE``, a test-only setting), so writing an instant
there moves time for every process at once. The outage test stops PostgreSQL (or moves
the SQLite file away) and brings it back; the only waiting is for the pool to reconnect,
bounded by a deadline, never asserted as a duration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from generated.desk365._runtime.stores import open_store
from generated.desk365.tools import TOOLS
from tests.bench.load import free_port, running, server_env
from tests.endpoints_helpers import fingerprint, listed, mcp, raw_post, refused
from tests.pgserver import PostgresServer
from tests.upstream import TICKET_NUMBER, Desk365Upstream, desk365_upstream

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-scale-out-test-7Qw2"
ADMIN = "admin-" + "S" * 40
START = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
READ_TOOLS = sorted(t.name for t in TOOLS if t.category == "read")
UNAVAILABLE_ERROR = {"code": -32600, "message": "The endpoint store is unavailable; try again shortly"}
UNAVAILABLE = {"jsonrpc": "2.0", "id": None, "error": UNAVAILABLE_ERROR}


@dataclass
class Cluster:
    """The processes under test (``urls``: A then B; one URL on SQLite) and their store."""

    kind: str
    urls: list[str]
    location: str
    clock_file: Path
    postgres: PostgresServer | None
    stub: Desk365Upstream

    @property
    def a(self) -> str:
        return self.urls[0]

    @property
    def b(self) -> str:
        return self.urls[-1]

    def set_clock(self, moment: datetime) -> None:
        self.clock_file.write_text(moment.isoformat())

    def admin(self, base: str) -> httpx.Client:
        return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30)

    def create(self, base: str, **body: Any) -> tuple[str, dict[str, Any]]:
        """An endpoint made through ``base``'s management API: its MCP URL and the answer."""
        with self.admin(base) as api:
            made = api.post("/endpoints", json={"name": "scale-out", **body})
        assert made.status_code == 201, made.text
        return made.json()["url"], made.json()

    def rows(self) -> int:
        """How many records the store holds (expired ones included), read directly."""
        store = open_store(self.location, "desk365")
        try:
            return len(store.all())
        finally:
            store.close()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generated.desk365", "endpoints", *args, "--endpoints-db", self.location],
            env=server_env(DESK365_MCP_TEST_CLOCK_FILE=str(self.clock_file)), cwd=ROOT, capture_output=True,
            text=True, timeout=60, stdin=subprocess.DEVNULL,
        )  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp(f"scale-{request.param}")
    postgres: PostgresServer | None = None
    if request.param == "postgres":
        postgres = request.getfixturevalue("postgres")
        location, processes = postgres.create_database("scale"), 2
    else:
        location, processes = str(tmp / "endpoints.sqlite3"), 1
    admin = tmp / "admin-token"
    admin.write_text(ADMIN)
    clock_file = tmp / "clock"
    clock_file.write_text(START.isoformat())
    with desk365_upstream() as stub, ExitStack() as stack:
        env = server_env(DESK365_API_KEY=API_KEY, DESK365_MCP_TEST_CLOCK_FILE=str(clock_file))
        urls = []
        for name in "AB"[:processes]:
            port = free_port()
            argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--endpoints", "--port",
                    str(port), "--endpoints-db", location, "--base-url", stub.url, "--admin-token-file", str(admin),
                    "--log-level", "warning"]  # fmt: skip
            stack.enter_context(running(argv, port=port, log=tmp / f"server-{name}.log", env=env))
            urls.append(f"http://127.0.0.1:{port}")
        yield Cluster(request.param, urls, location, clock_file, postgres, stub)
    for log in sorted(tmp.glob("server-*.log")):  # no token, no key, no traceback in any process's log
        text = log.read_text()
        assert API_KEY not in text and ADMIN not in text and "Traceback" not in text, text


def at(url: str, base: str) -> str:
    """``url`` (an endpoint's MCP URL) served by the process at ``base``."""
    return base + url[url.index("/mcp/") :]


# -- create on A, use on B, revoke on B: A refuses from its next request --------------------


@pytest.mark.anyio
async def test_create_on_a_use_on_b_revoke_on_b_and_a_refuses_its_next_request(cluster: Cluster) -> None:
    url, made = cluster.create(cluster.a, config={"methods": ["read"]})
    unknown = fingerprint(raw_post(at(cluster.a + "/mcp/" + "u" * 43, cluster.a)))
    async with mcp(at(url, cluster.b)) as on_b:  # the 2026-07-28 era: no session
        assert sorted(t.name for t in (await on_b.list_tools()).tools) == READ_TOOLS
        ok = await on_b.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
        assert ok.is_error is False and ok.structured_content == cluster.stub.ticket
    async with mcp(at(url, cluster.a), mode="legacy") as on_a:  # a session held open on A
        assert len((await on_a.list_tools()).tools) == len(READ_TOOLS)
        with cluster.admin(cluster.b) as api:
            assert api.delete(f"/endpoints/{made['id']}").status_code == 204
        with pytest.raises(MCPError, match="Not found"):  # A's next request, in its open session
            await on_a.list_tools()
    for base in cluster.urls:
        assert fingerprint(raw_post(at(url, base))) == unknown
    assert await refused(at(url, cluster.a)) == "Not found"


# -- secondary auth and scope, on every process ---------------------------------------------


@pytest.mark.anyio
async def test_secondary_auth_and_scope_are_enforced_on_every_process(cluster: Cluster) -> None:
    done = cluster.cli("create", "--name", "guarded", "--methods", "read", "--require-api-token-auth", "--json")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    for base in cluster.urls:
        url = at(made["url"], base)
        for headers in ({}, {"Authorization": "Bearer " + "w" * 43}, {"Authorization": made["api_token"]}):
            answer = raw_post(url, headers)
            assert answer.status_code == 401 and "requires its API token" in answer.text
        assert await listed(url, api_token=made["api_token"], mode="legacy") == READ_TOOLS
        async with mcp(url, api_token=made["api_token"]) as client:
            refusal = await client.call_tool("create_a_desk_365_ticket", {"email": "a@b.c", "subject": "x"})
            assert refusal.is_error is True and "not available" in refusal.content[0].text


# -- expiry across processes, by one injected clock -------------------------------------------


@pytest.mark.anyio
async def test_expiry_counts_in_every_process_and_the_record_is_purged_off_the_request_path(
    cluster: Cluster,
) -> None:
    expires = START + timedelta(hours=1)
    url, made = cluster.create(cluster.a, expires_at=expires.isoformat())
    unknown = fingerprint(raw_post(cluster.b + "/mcp/" + "u" * 43))
    rows = cluster.rows()
    try:
        cluster.set_clock(expires - timedelta(seconds=1))
        for base in cluster.urls:
            assert await listed(at(url, base)) == sorted(t.name for t in TOOLS)
        cluster.set_clock(expires)  # from this second on, in every process
        for base in cluster.urls:
            assert fingerprint(raw_post(at(url, base))) == unknown
        assert cluster.rows() == rows  # refusing only read: the record is still there
        with cluster.admin(cluster.b) as api:
            assert made["id"] not in api.get("/endpoints").text  # listing purges first
        assert cluster.rows() == rows - 1
    finally:
        cluster.set_clock(START)


# -- sessions: the 2026-07-28 era from any process, 2025-11-25 sessions need sticky routing ----


class RoundRobin(httpx2.AsyncBaseTransport):
    """A load balancer without stickiness: each request goes to the next process."""

    def __init__(self, bases: list[str]) -> None:
        self.ports = [int(b.rsplit(":", 1)[1]) for b in bases]
        self.sent: list[int] = []
        self.inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = self.ports[len(self.sent) % len(self.ports)]
        self.sent.append(port)
        request.url = request.url.copy_with(port=port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("cluster", ["postgres"], indirect=True)  # two processes to route between
async def test_sessionless_requests_are_served_by_any_process_and_sessions_need_sticky_routing(
    cluster: Cluster,
) -> None:
    url, _ = cluster.create(cluster.a, config={"methods": ["read"]})
    balancer = RoundRobin(cluster.urls)
    async with httpx2.AsyncClient(transport=balancer, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:  # 2026-07-28
            for _ in range(3):
                ok = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
                assert ok.is_error is False
    assert set(balancer.sent) == set(balancer.ports)  # both processes answered the one client
    balancer = RoundRobin(cluster.urls)
    async with httpx2.AsyncClient(transport=balancer, timeout=30) as http:
        with pytest.raises(Exception) as info:  # noqa: B017 - an ExceptionGroup around an MCPError
            async with Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
                await client.list_tools()  # the session lives in A; B does not know it
    assert "Session not found" in repr(info.value)


# -- the store goes away and comes back -------------------------------------------------------


def take_store_away(cluster: Cluster) -> None:
    if cluster.postgres is not None:
        cluster.postgres.stop()
    else:
        os.rename(cluster.location, cluster.location + ".away")


def bring_store_back(cluster: Cluster) -> None:
    if cluster.postgres is not None:
        cluster.postgres.start()
    else:
        os.rename(cluster.location + ".away", cluster.location)


@pytest.mark.anyio
async def test_a_store_outage_is_a_503_for_every_token_and_service_resumes_with_nothing_lost(
    cluster: Cluster,
) -> None:
    url, made = cluster.create(cluster.a, config={"methods": ["read"]})
    with cluster.admin(cluster.b) as api:
        before = api.get("/endpoints").json()["endpoints"]
    async with mcp(at(url, cluster.a), mode="legacy") as session:
        assert len((await session.list_tools()).tools) == len(READ_TOOLS)
        take_store_away(cluster)
        try:
            for base in cluster.urls:
                answers = [raw_post(at(url, base)), raw_post(base + "/mcp/" + "u" * 43)]
                assert answers[0].status_code == 503 and answers[0].json() == UNAVAILABLE
                assert answers[0].headers["retry-after"] == "5"
                assert fingerprint(answers[0]) == fingerprint(answers[1])  # known and unknown alike
                with cluster.admin(base) as api:
                    listing = api.get("/endpoints")
                assert listing.status_code == 503 and "endpoint store unavailable" in listing.json()["error"]
            with pytest.raises(MCPError, match="The endpoint store is unavailable"):
                await session.list_tools()
            done = cluster.cli("list")
            assert done.returncode == 1 and "endpoint store" in done.stderr and "Traceback" not in done.stderr
        finally:
            bring_store_back(cluster)
        deadline = time.monotonic() + 60  # each process's pool reconnects by itself; no restart
        for base in cluster.urls:
            while raw_post(at(url, base)).status_code == 503:
                assert time.monotonic() < deadline, f"{base} did not recover from the store's outage"
                time.sleep(0.2)
        assert len((await session.list_tools()).tools) == len(READ_TOOLS)  # the open session goes on
    for base in cluster.urls:
        assert raw_post(at(url, base)).status_code == 200
        with cluster.admin(base) as api:
            assert api.get("/endpoints").json()["endpoints"] == before  # nothing lost


# -- SQLite: deleting the file does not split the brain (issue 11 item 5) ----------------------


@pytest.mark.anyio
@pytest.mark.parametrize("cluster", ["sqlite"], indirect=True)
async def test_deleting_the_sqlite_file_revokes_everything_and_the_server_follows_the_new_one(
    cluster: Cluster,
) -> None:
    old_url, _ = cluster.create(cluster.a)
    assert raw_post(old_url).status_code == 200
    for suffix in ("", "-wal", "-shm"):  # the operator deletes the store
        Path(cluster.location + suffix).unlink(missing_ok=True)
    assert raw_post(old_url).json() == UNAVAILABLE  # fails closed, for every token
    done = cluster.cli("create", "--name", "after the reset", "--json")  # a new store, by the command
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    new_url = at(made["url"], cluster.a)
    assert await listed(new_url) == sorted(t.name for t in TOOLS)  # the server uses the new file
    assert raw_post(old_url).status_code == 404
    revoked = cluster.cli("revoke", made["id"])
    assert revoked.returncode == 0, revoked.stderr
    assert raw_post(new_url).status_code == 404
