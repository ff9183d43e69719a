"""``python -m generated.desk365`` as real processes: stdio and streamable HTTP, both
protocol eras, against the Desk365 mock served over real HTTP (``tests.upstream``), plus the command
line itself (--help, missing configuration, --list-tools).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from generated.desk365.tools import TOOLS
from tests.upstream import TICKET_NUMBER, Desk365Upstream

ROOT = Path(__file__).resolve().parents[1]
MODES = ["auto", "legacy"]
API_KEY = "test-key"


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server did not listen on {port} within {timeout} s")


async def exercise(client: Client, stub: Desk365Upstream) -> None:
    """tools/list (44) and one successful call that reaches the stub with the key."""
    tools = (await client.list_tools()).tools
    assert sorted(t.name for t in tools) == sorted(t.name for t in TOOLS)
    assert len(tools) == 44
    stub.clear()
    result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": TICKET_NUMBER})
    assert result.is_error is False
    assert result.structured_content == stub.ticket
    assert result.meta is not None and result.meta["ratelimit-remaining"] == 99
    assert len(stub.requests) == 1
    seen = stub.requests[0]
    assert (seen.method, seen.path) == ("GET", "/v3/tickets/details")
    assert seen.query == [("ticket_number", str(TICKET_NUMBER))]
    assert seen.headers["authorization"] == API_KEY
    bad = await client.call_tool("list_all_desk_365_tickets", {"ticket_count": "10"})
    assert bad.is_error is True and '"100"' in bad.content[0].text
    assert len(stub.requests) == 1


# -- stdio ------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_stdio(stub: Desk365Upstream, mode: str) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "generated.desk365", "--base-url", stub.url],
        env=server_env(DESK365_API_KEY=API_KEY),
        cwd=str(ROOT),
    )
    async with Client(params, mode=mode) as client:
        expected = "2026-07-28" if mode == "auto" else "2025-11-25"
        assert client.protocol_version == expected
        await exercise(client, stub)


# -- streamable HTTP --------------------------------------------------------------------


@pytest.fixture(scope="module", params=[[], ["--stateless", "--json-response"]], ids=["sessions-sse", "stateless-json"])
def http_server(request: pytest.FixtureRequest, stub: Desk365Upstream, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[str]:  # fmt: skip
    port = free_port()
    log = tmp_path_factory.mktemp("http") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port),
             "--base-url", stub.url, *request.param],
            env=server_env(DESK365_API_KEY=API_KEY), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            try:
                wait_for_port(port, proc)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{log.read_text()}") from None
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_streamable_http(http_server: str, stub: Desk365Upstream, mode: str) -> None:
    async with Client(http_server, mode=mode) as client:
        expected = "2026-07-28" if mode == "auto" else "2025-11-25"
        assert client.protocol_version == expected
        await exercise(client, stub)


# -- the command line ---------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generated.desk365", *args],
        env=env or server_env(), cwd=ROOT, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_help_documents_the_options() -> None:
    done = run_cli("--help")
    assert done.returncode == 0, done.stderr
    for option in ("--methods", "--tags", "--tools", "--base-url", "--transport", "--allow-dir", "DESK365_API_KEY"):
        assert option in done.stdout, option


def test_missing_credential_is_a_clear_startup_error() -> None:
    done = run_cli()
    assert done.returncode != 0
    assert "DESK365_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_list_tools_with_filters() -> None:
    done = run_cli("--methods", "read", "--list-tools")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [t.name for t in TOOLS if t.category == "read"]
    done = run_cli("--tags", "knowledge_base", "--methods", "write", "--list-tools")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [t.name for t in TOOLS if t.category == "write" and "knowledge_base" in t.tags]
    bad = run_cli("--methods", "readonly", "--list-tools")
    assert bad.returncode != 0 and "readonly" in bad.stderr
