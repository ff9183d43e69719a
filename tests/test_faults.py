"""The fault suite (issue 6, part 3).

Everything in the fault suite is real: the stateful Desk365 mock
(``helpdesk_mock``) is served by uvicorn on 127.0.0.1 (random port) in a thread
of this process, behind :class:`Upstream`, a thin ASGI front that can divert the
requests for one ticket number to a misbehaving test app (a stall, a chunked
flood, an echo of the request, odd JSON) while the mock answers the rest, and
that can go down and come back on the same port. The generated server runs as
a real process, streamable HTTP with ``--timeout 2 --max-response-bytes
1000000 --log-level debug`` (one stdio process joins for the echo case), with
the recognisable credential :data:`SECRET`; the mock accepts no other
credential, so every successful call proves the server sent it. The SDK's
client drives the server.

Each scenario (:data:`SCENARIOS`) makes the upstream misbehave, calls a tool
and checks that the answer is a tool error (``isError``; a protocol error
fails the test) that names the problem and arrives within the timeout (plus
slack for a busy machine), and that a normal call succeeds right after. Every
result is kept in a transcript; the last test runs any scenario not yet run,
then scans the transcript and the servers' stderr for the credential.

Timing: the timeouts are real (the server's own deadline is under test), so
the bounds asserted are generous; nothing sleeps to wait for a state, the
tests wait on events.

The upstream and its misbehaving apps: ``tests/faults_helpers.py``. After the suite, in
process: ``test_faults_in_process.py`` (the 429 done-when line for both APIs, a load smoke
run, body decoding).
"""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult

from helpdesk_mock import MockApp, MockSettings
from tests.bench.load import free_port, memory, running, server_env
from tests.faults_helpers import (
    CAP,
    GOOD,
    HUGE,
    TICKET,
    Upstream,
    answer,
    cut,
    echo,
    flood,
    stall,
    text_of,
    tool_error,
)
from tests.mocks import create_app

SECRET = "sk-desk365-FAULTSUITE-7c41e9b05d2a"
TIMEOUT = 2.0
SLACK = 4.0  # a busy 2-core machine: the answer must come within TIMEOUT + SLACK, well before the 10 s faults
STALL, FLOOD, BOMB, ECHO, ODD = 17, 18, 19, 20, 21


# -- the server and the transcript -------------------------------------------------------------


@dataclass
class Suite:
    """The running set-up, and everything the servers returned and printed."""

    upstream: Upstream
    url: str
    pid: int
    logs: list[Path]
    tmp: Path
    transcript: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)

    @property
    def mock(self) -> MockApp:
        return self.upstream.mock

    def calm(self) -> None:
        """No fault, no rate limit, nothing diverted."""
        settings = self.mock.settings
        settings.fault, settings.fault_status, settings.fault_delay, settings.fault_size = None, None, 0.0, 0
        settings.ratelimit = None
        self.upstream.divert.clear()

    async def call(self, client: Client, tool: str, args: dict[str, Any]) -> tuple[CallToolResult, float]:
        started = time.monotonic()
        result = await client.call_tool(tool, args)
        elapsed = time.monotonic() - started
        self.transcript.append(result.model_dump_json(by_alias=True))
        return result, elapsed

    async def healthy(self, client: Client) -> None:
        """Calm the upstream; a normal call then succeeds."""
        self.calm()
        result, _ = await self.call(client, TICKET, {"ticket_number": GOOD})
        assert result.is_error is False, text_of(result)
        assert isinstance(result.structured_content, dict) and result.structured_content["ticket_number"] == GOOD


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    tmp = tmp_path_factory.mktemp("faults")
    upstream = Upstream(create_app("desk365", settings=MockSettings(credential=SECRET)))
    upstream.start()
    port = free_port()
    log = tmp / "http-server.log"
    argv = [
        sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port),
        "--base-url", upstream.url, "--timeout", str(TIMEOUT), "--max-response-bytes", str(CAP),
        "--log-level", "debug",
    ]  # fmt: skip
    try:
        with running(argv, port=port, log=log, env=server_env(DESK365_API_KEY=SECRET)) as proc:
            yield Suite(upstream, f"http://127.0.0.1:{port}/mcp", proc.pid, [log], tmp)
    finally:
        upstream.stop()


# -- the scenarios ---------------------------------------------------------------------------


async def latency(suite: Suite) -> None:
    suite.mock.settings.fault, suite.mock.settings.fault_delay = "latency", 10.0
    async with Client(suite.url) as client:
        result, elapsed = await suite.call(client, TICKET, {"ticket_number": GOOD})
        tool_error(result, f"{TICKET} failed: Desk365 did not answer within {TIMEOUT:g} s")
        assert elapsed < TIMEOUT + SLACK
        await suite.healthy(client)


async def trickle(suite: Suite) -> None:
    suite.mock.settings.fault, suite.mock.settings.fault_delay = "trickle", 0.25  # 39 bytes: about 10 s
    async with Client(suite.url) as client:
        result, elapsed = await suite.call(client, "list_all_desk_365_ping", {})
        tool_error(result, f"did not answer within {TIMEOUT:g} s")
        assert elapsed < TIMEOUT + SLACK
        await suite.healthy(client)


def upstream_status(status: int) -> Callable[[Suite], Awaitable[None]]:
    async def scenario(suite: Suite) -> None:
        suite.mock.settings.fault_status = status
        before = len(suite.mock.requests)
        async with Client(suite.url) as client:
            result, elapsed = await suite.call(client, TICKET, {"ticket_number": GOOD})
            tool_error(result, f"Desk365 answered HTTP {status}", f"every request answers {status}")
            assert len(suite.mock.requests) == before + 1  # passed through, not retried
            assert elapsed < TIMEOUT + SLACK
            await suite.healthy(client)

    return scenario


async def truncated(suite: Suite) -> None:
    """The mock's cut body (a matching Content-Length, so only the JSON is broken), then a connection
    that closes before the declared length."""
    suite.mock.settings.fault = "truncated"
    suite.upstream.divert[ODD] = cut(b'{"ticket_number": 21, "subject": "Printer', declared=4000)
    async with Client(suite.url) as client:
        result, _ = await suite.call(client, TICKET, {"ticket_number": GOOD})
        tool_error(result, "Desk365 answered HTTP 200 with a body that is not valid JSON", "starting '{")
        result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
        tool_error(
            result,
            f"Desk365 at 127.0.0.1:{suite.upstream.port}: the connection was closed in the middle of the answer "
            "(peer closed connection without sending complete message body",
        )
        await suite.healthy(client)


async def non_json(suite: Suite) -> None:
    suite.mock.settings.fault = "non_json"
    async with Client(suite.url) as client:
        result, _ = await suite.call(client, TICKET, {"ticket_number": GOOD})
        tool_error(result, "body that is not valid JSON", "starting '<html>")
        await suite.healthy(client)


async def huge(suite: Suite) -> None:
    """Tens of MB: declared (Content-Length, the mock's ``huge``), streamed (chunked) and gzipped (a 40 KB
    bomb, a regression: httpx inflated it whole before the size check). Memory stays flat."""
    suite.mock.settings.fault, suite.mock.settings.fault_size = "huge", HUGE
    suite.upstream.divert[FLOOD] = flood(HUGE)
    bomb = gzip.compress(b'{"subject": "' + b"x" * HUGE + b'"}')  # about 40 KB on the wire
    suite.upstream.divert[BOMB] = answer(200, bomb, [(b"content-encoding", b"gzip")])
    before = memory(suite.pid)
    async with Client(suite.url) as client:
        for number in (GOOD, FLOOD, BOMB, GOOD, FLOOD, BOMB):
            result, elapsed = await suite.call(client, TICKET, {"ticket_number": number})
            text = tool_error(result, f"above the {CAP}-byte limit; ask for a smaller page or narrower filters")
            assert f"Desk365 sent a response of at least {HUGE if number == GOOD else ''}" in text
            assert elapsed < TIMEOUT + SLACK
        after = memory(suite.pid)
        await suite.healthy(client)
    if before is not None and after is not None:  # Linux: the peak RSS grew by far less than one body
        assert after.peak - before.rss < 16 * 2**20, (before, after)


async def refused(suite: Suite) -> None:
    """The upstream goes down (connections refused), then comes back on the same port."""
    async with Client(suite.url) as client:
        suite.upstream.stop()
        try:
            result, elapsed = await suite.call(client, TICKET, {"ticket_number": GOOD})
            tool_error(
                result,
                f"{TICKET} failed: Desk365 at 127.0.0.1:{suite.upstream.port}: connection refused "
                "(nothing is listening on that port)",
            )
            assert elapsed < TIMEOUT + SLACK
        finally:
            suite.upstream.start()
        await suite.healthy(client)


async def concurrent(suite: Suite) -> None:
    """While one call waits on a stalled upstream, calls on the same session (2025-11-25) and on another
    client (2026-07-28) succeed."""
    arrived, release = threading.Event(), threading.Event()
    suite.upstream.divert[STALL] = stall(arrived, release)
    finished: list[str] = []
    async with Client(suite.url, mode="legacy") as first, Client(suite.url) as second:  # both protocol eras

        async def slow() -> None:
            result, elapsed = await suite.call(first, TICKET, {"ticket_number": STALL})
            tool_error(result, f"did not answer within {TIMEOUT:g} s")
            assert elapsed < TIMEOUT + SLACK
            finished.append("slow")

        async def good(client: Client, number: int) -> None:
            result, _ = await suite.call(client, TICKET, {"ticket_number": number})
            assert result.is_error is False, text_of(result)
            finished.append(f"good {number}")

        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(slow)
                assert await anyio.to_thread.run_sync(arrived.wait, 10), "the slow call never reached the upstream"
                async with anyio.create_task_group() as goods:
                    for client, number in ((first, 90), (second, 89), (first, 88), (second, 87)):
                        goods.start_soon(good, client, number)
                assert "slow" not in finished, "the good calls waited for the slow one"
        finally:
            release.set()
        assert finished[-1] == "slow" and len(finished) == 5
        await suite.healthy(first)


async def echoed(suite: Suite) -> None:
    """An upstream that echoes the credential (body, URL, a header) in its error, over HTTP and stdio."""
    suite.upstream.divert[ECHO] = echo()
    before = len(suite.transcript)
    async with Client(suite.url) as client:
        result, _ = await suite.call(client, TICKET, {"ticket_number": ECHO})
        tool_error(result, "Desk365 answered HTTP 401", "API key [redacted] is not valid")
    log = suite.tmp / "stdio-server.log"
    suite.logs.append(log)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "generated.desk365", "--base-url", suite.upstream.url, "--timeout", str(TIMEOUT), "--log-level",
              "debug"],
        env=server_env(DESK365_API_KEY=SECRET),
        cwd=str(suite.tmp),
    )  # fmt: skip
    with log.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            result, _ = await suite.call(client, TICKET, {"ticket_number": ECHO})
            tool_error(result, "Desk365 answered HTTP 401", "API key [redacted] is not valid")
            await suite.healthy(client)
    assert any("[redacted]" in t for t in suite.transcript[before:])
    assert "x-echo-authorization" in log.read_text()  # the debug log did print the echoed header (redacted)


async def odd_json(suite: Suite) -> None:
    """Valid JSON that broke the answer further on (regressions): a lone surrogate, deep nesting."""
    async with Client(suite.url) as client:
        broken = b'{"ticket_number": 21, "subject": "Printer on fire \\ud83d"}'  # half an emoji
        suite.upstream.divert[ODD] = answer(200, broken)
        result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
        assert result.is_error is False, text_of(result)
        assert result.structured_content == {"ticket_number": 21, "subject": "Printer on fire \ufffd"}
        deep = b'{"ticket_number": 21, "custom_fields": ' + b'{"a": ' * 300 + b"1" + b"}" * 300 + b"}"
        suite.upstream.divert[ODD] = answer(200, deep)
        result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
        tool_error(result, "Desk365 answered HTTP 200 with a body nested more than 100 levels deep")
        await suite.healthy(client)


async def compressed(suite: Suite) -> None:
    """The runtime decodes Content-Encoding itself (see ``huge``): gzip and deflate work, the rest is refused."""
    ticket = json.dumps({"ticket_number": ODD, "subject": "Compressed"}).encode()
    deflater = zlib.compressobj(wbits=-zlib.MAX_WBITS)  # raw deflate, as some servers send it
    raw_deflate = deflater.compress(ticket) + deflater.flush()
    cases = [(b"gzip", gzip.compress(ticket)), (b"deflate", zlib.compress(ticket)), (b"deflate", raw_deflate)]
    async with Client(suite.url) as client:
        for coding, body in cases:
            suite.upstream.divert[ODD] = answer(200, body, [(b"content-encoding", coding)])
            result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
            assert result.is_error is False, text_of(result)
            assert result.structured_content == {"ticket_number": ODD, "subject": "Compressed"}
        suite.upstream.divert[ODD] = answer(200, gzip.compress(ticket)[:-12] + b"garbage!" * 3,
                                            [(b"content-encoding", b"gzip")])  # fmt: skip
        result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
        tool_error(result, "Desk365's compressed answer is corrupt")
        suite.upstream.divert[ODD] = answer(200, b"\x1b\x00", [(b"content-encoding", b"br")])
        result, _ = await suite.call(client, TICKET, {"ticket_number": ODD})
        tool_error(result, "Desk365 answered with Content-Encoding br, which this client does not decode")
        await suite.healthy(client)


async def rate_limited(suite: Suite) -> None:
    """Done-when, over the real server process: a 429 reaches the caller once, with its rate limit."""
    suite.mock.settings.ratelimit = 0
    before = len(suite.mock.requests)
    async with Client(suite.url) as client:
        result, _ = await suite.call(client, TICKET, {"ticket_number": GOOD})
        tool_error(result, "Desk365 answered HTTP 429", "ratelimit-remaining: 0", "ratelimit-reset: 60",
                   "the call was not retried")  # fmt: skip
        assert result.meta is not None
        assert result.meta["ratelimit-remaining"] == 0 and result.meta["ratelimit-reset"] == 60
        assert len(suite.mock.requests) == before + 1
        await suite.healthy(client)


SCENARIOS: dict[str, Callable[[Suite], Awaitable[None]]] = {
    "latency": latency,
    "trickle": trickle,
    "status-500": upstream_status(500),
    "status-502": upstream_status(502),
    "status-503": upstream_status(503),
    "truncated": truncated,
    "non-json": non_json,
    "huge": huge,
    "refused": refused,
    "concurrent": concurrent,
    "echo": echoed,
    "odd-json": odd_json,
    "compressed": compressed,
    "rate-limited": rate_limited,
}


@pytest.mark.anyio
@pytest.mark.parametrize("name", SCENARIOS)
async def test_fault(suite: Suite, name: str) -> None:
    try:
        await SCENARIOS[name](suite)
    finally:
        suite.calm()
    suite.done.add(name)


@pytest.mark.anyio
async def test_the_credential_appears_nowhere(suite: Suite) -> None:
    """Last: every scenario has run; the credential is in no result, error or log line."""
    for name, scenario in SCENARIOS.items():
        if name not in suite.done:  # this test run alone, or after a failure
            try:
                await scenario(suite)
            finally:
                suite.calm()
    assert len(suite.transcript) >= 2 * len(SCENARIOS)
    assert any(r.headers.get("authorization") == SECRET for r in suite.mock.requests), "the credential was not used"
    for record in suite.transcript:
        assert SECRET not in record
    for log in suite.logs:
        text = log.read_text(errors="replace")
        assert "HTTP Request: GET" in text, f"{log.name}: the debug log is missing"
        lines = [line for line in text.splitlines() if SECRET in line]
        assert not lines, f"{log.name}: {lines[:3]}"
