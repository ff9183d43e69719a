"""The MCP Inspector CLI (an independent client, legacy 2025-11-25 handshake) against
``python -m generated.desk365`` over stdio, with the Desk365 mock over real HTTP as its upstream, and against
``python -m generated.intercom`` with the Intercom mock served on a random port.

Needs node/npx; the Inspector itself is installed by ``make inspector`` into
.cache/inspector on first use (from the npm registry, about 112 MB; ``make test``
says so before it starts), and ``SKIP_INSPECTOR=1`` skips these tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generated.desk365.tools import TOOLS
from generated.intercom.tools import TOOLS as INTERCOM_TOOLS
from helpdesk_mock import serve_in_thread as serving
from helpdesk_mock.app import MockApp
from tests.mocks import create_app
from tests.upstream import TICKET_NUMBER, Desk365Upstream

ROOT = Path(__file__).resolve().parents[1]
INSPECTOR = ROOT / ".cache" / "inspector" / "node_modules" / ".bin" / "mcp-inspector"
API_KEY = "test-key"


@pytest.fixture(scope="session")
def inspector(pytestconfig: pytest.Config) -> Path:
    import os

    if os.environ.get("SKIP_INSPECTOR") == "1":
        pytest.skip("SKIP_INSPECTOR=1: the MCP Inspector is neither installed nor run")
    missing = [tool for tool in ("node", "npx") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"MCP Inspector needs {' and '.join(missing)}, not found on PATH")
    if not INSPECTOR.exists():
        if shutil.which("make") is None or shutil.which("npm") is None:
            pytest.skip("MCP Inspector is not installed and make/npm are missing to install it")
        terminal = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:  # a download of this size is announced, not done behind the dots
            terminal.write_line(
                "\ninstalling the MCP Inspector from npm (about 112 MB, into .cache/inspector); "
                "SKIP_INSPECTOR=1 skips it"
            )
        done = subprocess.run(["make", "inspector"], cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not INSPECTOR.exists():
            pytest.skip(f"`make inspector` failed (npm registry unreachable?): {done.stderr[-500:]}")
    return INSPECTOR


def run_inspector(inspector: Path, stub: Desk365Upstream, tmp_path: Path, *args: str) -> tuple[int, Any, str]:
    """Run the Inspector CLI; return (exit code, the JSON result on stdout, stderr)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env["MCP_CATALOG_PATH"] = str(tmp_path / "catalog.json")  # never touch ~/.mcp-inspector
    command = [
        str(inspector), "--cli", "-e", f"DESK365_API_KEY={API_KEY}", "--cwd", str(ROOT), *args,
        "--", sys.executable, "-m", "generated.desk365", "--base-url", stub.url,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        result, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())
    except ValueError:
        raise AssertionError(f"no JSON on stdout (exit {done.returncode}):\n{done.stdout}\n{done.stderr}") from None
    return done.returncode, result, done.stderr


def test_tools_list(inspector: Path, stub: Desk365Upstream, tmp_path: Path) -> None:
    code, result, err = run_inspector(inspector, stub, tmp_path, "--method", "tools/list")
    assert code == 0, err
    tools = result["tools"]
    assert [t["name"] for t in tools] == [t.name for t in TOOLS]
    assert len(tools) == 44
    for tool in tools:
        assert tool["description"], tool["name"]
        assert tool["inputSchema"]["type"] == "object"
        assert tool["inputSchema"]["additionalProperties"] is False
        assert set(tool["annotations"]) >= {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}


def test_tools_call_success(inspector: Path, stub: Desk365Upstream, tmp_path: Path) -> None:
    stub.clear()
    code, result, err = run_inspector(
        inspector, stub, tmp_path, "--method", "tools/call",
        "--tool-name", "get_single_desk_365_ticket_by_id", "--tool-arg", f"ticket_number={TICKET_NUMBER}",
    )  # fmt: skip
    assert code == 0, err
    assert result["isError"] is False
    assert result["structuredContent"] == stub.ticket
    assert json.loads(result["content"][0]["text"]) == stub.ticket
    assert result["_meta"]["ratelimit-remaining"] == 99
    assert len(stub.requests) == 1
    seen = stub.requests[0]
    assert (seen.method, seen.path) == ("GET", "/v3/tickets/details")
    assert seen.query == [("ticket_number", str(TICKET_NUMBER))]
    assert seen.headers["authorization"] == API_KEY


def test_tools_call_invalid_argument(inspector: Path, stub: Desk365Upstream, tmp_path: Path) -> None:
    stub.clear()
    code, result, err = run_inspector(
        inspector, stub, tmp_path, "--method", "tools/call",
        "--tool-name", "list_all_desk_365_tickets", "--tool-arg", "ticket_count=10",
    )  # fmt: skip
    assert code in (0, 5), err  # the CLI exits 5 when a tool returns isError
    assert result["isError"] is True
    text = result["content"][0]["text"]
    assert "ticket_count" in text
    for allowed in ('"30"', '"50"', '"100"'):
        assert allowed in text
    assert stub.requests == []


# -- Intercom, against the mock served on a random port --------------------------------------


@pytest.fixture(scope="module")
def intercom_mock() -> Iterator[tuple[MockApp, str]]:
    """The Intercom mock under uvicorn on 127.0.0.1 (random port), in a thread."""
    app = create_app("intercom")
    with serving(app) as url:
        yield app, url


def run_intercom_inspector(inspector: Path, base_url: str, tmp_path: Path, *args: str) -> tuple[int, Any, str]:
    """The Inspector CLI against ``python -m generated.intercom --base-url <mock>``."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCOM_")}
    env["MCP_CATALOG_PATH"] = str(tmp_path / "catalog.json")
    command = [
        str(inspector), "--cli", "-e", "INTERCOM_ACCESS_TOKEN=tok-inspector", "--cwd", str(ROOT), *args,
        "--", sys.executable, "-m", "generated.intercom", "--base-url", base_url,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        result, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())
    except ValueError:
        raise AssertionError(f"no JSON on stdout (exit {done.returncode}):\n{done.stdout}\n{done.stderr}") from None
    return done.returncode, result, done.stderr


def test_intercom_tools_list(inspector: Path, intercom_mock: tuple[MockApp, str], tmp_path: Path) -> None:
    app, url = intercom_mock
    code, result, err = run_intercom_inspector(inspector, url, tmp_path, "--method", "tools/list")
    assert code == 0, err
    names = [t["name"] for t in result["tools"]]
    assert names == [t.name for t in INTERCOM_TOOLS] and len(names) == 92
    for seed_name in ("list_all_intercom_search_conversations", "get_single_intercom_conversation_by_id",
                      "intercom_conversations_reply", "intercom_conversations_manage", "create_a_intercom_ticket",
                      "get_single_intercom_visitor_by_id", "list_all_intercom_ticket_types"):  # fmt: skip
        assert seed_name in names
    for tool in result["tools"]:
        assert tool["description"] and tool["inputSchema"]["type"] == "object", tool["name"]


def test_intercom_tools_call_against_the_mock(inspector: Path, intercom_mock: tuple[MockApp, str],
                                              tmp_path: Path) -> None:  # fmt: skip
    app, url = intercom_mock
    app.reset()
    code, result, err = run_intercom_inspector(
        inspector, url, tmp_path, "--method", "tools/call",
        "--tool-name", "get_single_intercom_visitor_by_id",
        "--tool-arg", "user_id=3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83",
    )  # fmt: skip
    assert code == 0, err
    assert result["isError"] is False
    visitor = result["structuredContent"]
    assert (visitor["type"], visitor["name"]) == ("visitor", "Jordan Blake")
    assert visitor["companies"]["companies"][0]["plan"]["name"] == "Growth"
    assert [(r.method, r.path, r.query, r.status) for r in app.requests] == [
        ("GET", "/visitors", [("user_id", "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83")], 200)]  # fmt: skip
    assert app.requests[0].headers["authorization"] == "Bearer tok-inspector"
    assert app.requests[0].headers["intercom-version"] == "2.16"


# -- portability (issue 13) -------------------------------------------------------------------


def test_desk365_schemas_pass_the_portability_check(inspector: Path, stub: Desk365Upstream, tmp_path: Path) -> None:
    """``--strict`` reports every tool-schema portability problem and exits 6 on an error: none here."""
    code, result, err = run_inspector(inspector, stub, tmp_path, "--method", "tools/list", "--strict")
    assert code == 0, err
    assert "Error:" not in err and len(result["tools"]) == 44


def test_intercom_schemas_pass_the_portability_check(
    inspector: Path, intercom_mock: tuple[MockApp, str], tmp_path: Path
) -> None:
    app, url = intercom_mock
    code, result, err = run_intercom_inspector(inspector, url, tmp_path, "--method", "tools/list", "--strict")
    assert code == 0, err
    assert "Error:" not in err and len(result["tools"]) == 92
    # the warnings left are type arrays with null in inputs, where the document allows null
    assert all("is an array" in line for line in err.splitlines() if line.lstrip().startswith("Issue:"))


def test_the_inspector_passes_a_number_for_a_string_enum_and_it_is_accepted(
    inspector: Path, stub: Desk365Upstream, tmp_path: Path
) -> None:
    """The Inspector turns ``--tool-arg ticket_count=30`` into the number 30; the tool takes it."""
    stub.clear()
    code, result, err = run_inspector(
        inspector, stub, tmp_path, "--method", "tools/call",
        "--tool-name", "list_all_desk_365_tickets", "--tool-arg", "ticket_count=30",
    )  # fmt: skip
    assert code == 0, err
    assert result["isError"] is False
    assert stub.requests[0].query == [("ticket_count", "30")]
