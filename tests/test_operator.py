"""What a person sees when they run things (issue 16): real processes, their exit codes and lines.

Each test runs a command as a user would (``helpdesk-mcp``, ``python -m generated.desk365``,
the mock) and checks what reaches the terminal: the exit status, the one line that
explains a refusal (never a traceback), the line an HTTP server prints once it
listens, the versions, where the endpoint store goes (a per-user folder, nothing in
the current directory, nothing at all for a refused command), and that the mock's
hint runs as printed from another directory.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore

import generator
from generated.desk365._runtime.endpoints import EndpointError, EndpointRegistry
from generated.desk365._runtime.management import creation_fields
from generated.desk365.tools import TOOLS
from tests.bench.load import free_port

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("helpdesk-mcp")
VERSION = generator.__version__
INIT = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment with its own HOME and XDG_DATA_HOME, no vendor settings, the project importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DESK365_", "INTERCOM_", "XDG_"))}
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)
    (tmp_path / "work").mkdir()
    return env


def run(argv: Sequence[str], env: dict[str, str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)


def server(*args: str) -> list[str]:
    return [sys.executable, "-m", "generated.desk365", *args]


def one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The refusal: exit ``code``, exactly one line on stderr, no traceback; returns the line."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# -- versions (rough edge 5) ------------------------------------------------------------------


def test_versions(home: dict[str, str], tmp_path: Path) -> None:
    done = run([str(CLI), "--version"], home, tmp_path / "work")
    assert (done.returncode, done.stdout) == (0, f"helpdesk-mcp {VERSION}\n")
    done = run(server("--version"), home, tmp_path / "work")
    assert (done.returncode, done.stdout) == (
        0,
        f"desk365 (helpdesk-mcp {VERSION}), generated from desk365.yaml, document version 3.0\n",
    )
    done = run([sys.executable, "-m", "generated.intercom", "--version"], home, tmp_path / "work")
    assert done.returncode == 0 and "generated from intercom.yaml, document version 2.16" in done.stdout


# -- start-up problems: a sentence, not a traceback (rough edge 2) ---------------------------


def test_unknown_region_is_one_line(home: dict[str, str], tmp_path: Path) -> None:
    env = {**home, "INTERCOM_ACCESS_TOKEN": "tok", "INTERCOM_REGION": "xx"}
    done = run([sys.executable, "-m", "generated.intercom"], env, tmp_path / "work")
    assert one_line(done, 2) == (
        "python -m generated.intercom: Intercom: unknown server INTERCOM_REGION=xx; choose one of us, eu, au"
    )


def test_a_document_without_a_server_url_needs_base_url(home: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "gen"
    doc = ROOT / "tests" / "fixtures" / "openapi" / "servers_without_url.yaml"
    done = run([str(CLI), "generate", str(doc), "--out", str(out), "--package", "nourl"], home, tmp_path)
    assert done.returncode == 0, done.stderr
    env = {**home, "PYTHONPATH": str(out), "NOURL_API_KEY": "k"}
    done = run([sys.executable, "-m", "nourl"], env, tmp_path / "work")
    assert one_line(done, 2) == (
        "python -m nourl: the No server URL document names no absolute server URL: pass --base-url URL "
        "(or set NOURL_BASE_URL)"
    )
    done = run([sys.executable, "-m", "nourl", "--base-url", "http://127.0.0.1:9"], env, tmp_path / "work")
    assert (done.returncode, done.stderr) == (0, "")  # stdin closed: served nothing, said nothing


def test_a_bad_port_is_a_usage_error(home: dict[str, str], tmp_path: Path) -> None:
    done = run(server("--transport", "http", "--port", "99999"), {**home, "DESK365_API_KEY": "k"}, tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].endswith("argument --port: '99999' is not a port number (0-65535)")


def test_a_missing_credential_with_base_url_is_said_once(home: dict[str, str], tmp_path: Path) -> None:
    tools, code, err = list_tools(server("--base-url", "http://127.0.0.1:9"), home, tmp_path / "work")
    assert (len(tools), code) == (44, 0)  # it serves
    assert err == (
        "python -m generated.desk365: warning: DESK365_API_KEY is not set, so requests to http://127.0.0.1:9 "
        "go without a credential (a mock takes them; the real API refuses them)\n"
    )
    tools, code, err = list_tools(
        server("--base-url", "http://127.0.0.1:9"), {**home, "DESK365_API_KEY": "k"}, tmp_path
    )
    assert (len(tools), code, err) == (44, 0, "")


def list_tools(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[list[object], int, str]:
    """Start a stdio server, list its tools, close its stdin: (tools, exit status, stderr)."""
    with subprocess.Popen(list(argv), env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:  # fmt: skip
        try:
            assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
            proc.stdin.write("".join(json.dumps(m) + "\n" for m in INIT))
            proc.stdin.flush()
            answer: dict[str, object] = {}
            while answer.get("id") != 2:  # the answer comes before end-of-file: the server cancels on EOF
                line = proc.stdout.readline()
                assert line, f"no tools/list answer; stderr: {proc.stderr.read()}"
                answer = json.loads(line)
            proc.stdin.close()
            code = proc.wait(timeout=30)
            result = answer["result"]
            assert isinstance(result, dict)
            return list(result["tools"]), code, proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()


# -- the HTTP start line (rough edge 1) ---------------------------------------------------------


def _first_line_then_stop(
    argv: list[str], env: dict[str, str], cwd: Path, while_up: Callable[[str], None] = lambda line: None
) -> tuple[str, int, str]:
    """Start ``argv``, read its first stderr line (``while_up`` sees it while the server runs), stop
    it with Ctrl-C; (line, exit status, the rest)."""
    with subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True) as proc:  # fmt: skip
        try:
            assert proc.stderr is not None
            line = proc.stderr.readline().strip()
            while_up(line)
            proc.send_signal(signal.SIGINT)
            rest = proc.stderr.read()
            return line, proc.wait(timeout=30), rest
        finally:
            if proc.poll() is None:
                proc.kill()


def test_http_mode_says_where_it_serves(home: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    env = {**home, "DESK365_API_KEY": "k"}
    argv = server("--transport", "http", "--port", str(port), "--base-url", "http://127.0.0.1:9")
    line, code, rest = _first_line_then_stop(argv, env, tmp_path / "work")
    assert line == (
        f"python -m generated.desk365: serving 44 tools at http://127.0.0.1:{port}/mcp over streamable HTTP; "
        "Ctrl-C stops"
    )
    assert code == 0 and "Traceback" not in rest


def test_the_start_line_names_the_port_the_system_chose(home: dict[str, str], tmp_path: Path) -> None:
    def reachable(line: str) -> None:
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/mcp ", line)
        assert found and found.group(1) != "0", line
        socket.create_connection(("127.0.0.1", int(found.group(1))), timeout=10).close()

    argv = server("--transport", "http", "--port", "0", "--base-url", "http://127.0.0.1:9")
    _first_line_then_stop(argv, {**home, "DESK365_API_KEY": "k"}, tmp_path / "work", reachable)


def test_endpoints_mode_says_how_many_are_active(home: dict[str, str], tmp_path: Path) -> None:
    env = {**home, "DESK365_API_KEY": "k"}
    for name in ("a", "b"):
        done = run(server("endpoints", "create", "--name", name, "--expires-in", "7d"), env, tmp_path / "work")
        assert done.returncode == 0, done.stderr
    port = free_port()
    store = tmp_path / "data" / "helpdesk-mcp" / "desk365-endpoints.sqlite3"
    argv = server("--transport", "http", "--endpoints", "--port", str(port), "--base-url", "http://127.0.0.1:9")
    line, code, rest = _first_line_then_stop(argv, env, tmp_path / "work")
    assert line == (
        f"python -m generated.desk365: serving 2 active endpoints at http://127.0.0.1:{port}/mcp/<token> over "
        f"streamable HTTP (store: {store}); Ctrl-C stops"
    )
    assert code == 0 and "Traceback" not in rest
    assert sorted(p.name for p in store.parent.iterdir()) == [store.name]  # no -wal / -shm left behind


# -- the endpoint store's place (rough edge 4) and relative expiry (rough edge 3) --------------


def test_the_store_is_per_user_and_named_in_help(home: dict[str, str], tmp_path: Path) -> None:
    work = tmp_path / "work"
    done = run(server("endpoints", "create", "--name", "kb", "--expires-in", "7d", "--json"), home, work)
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    expires = datetime.fromisoformat(made["expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=5)
    assert list(work.iterdir()) == []  # nothing in the current directory
    assert (tmp_path / "data" / "helpdesk-mcp" / "desk365-endpoints.sqlite3").is_file()
    help_text = "".join(run(server("--help"), home, work).stdout.split())  # argparse wraps at spaces and "-"
    assert f"else{tmp_path}/data/helpdesk-mcp/desk365-endpoints.sqlite3" in help_text
    without_xdg = {k: v for k, v in home.items() if k != "XDG_DATA_HOME"}
    help_text = "".join(run(server("endpoints", "create", "--help"), without_xdg, work).stdout.split())
    assert f"else{tmp_path}/home/.local/share/helpdesk-mcp/desk365-endpoints.sqlite3" in help_text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tags", "billing"), "tags: unknown tag 'billing'"),
        (("--expires-in", "0d"), "expires_in: '0d' is not a positive duration"),
        (("--expires-in", "soon"), "expires_in: 'soon' is not a duration (e.g. 7d, 12h, 1d12h or 90m)"),
    ],
)
def test_a_refused_create_creates_nothing(home: dict[str, str], tmp_path: Path, args: tuple[str, ...],
                                          message: str) -> None:  # fmt: skip
    done = run(server("endpoints", "create", "--name", "x", *args), home, tmp_path / "work")
    assert one_line(done, 2).startswith(f"python -m generated.desk365 endpoints create: {message}")
    assert list((tmp_path / "work").iterdir()) == [] and not (tmp_path / "data").exists()
    done = run(server("endpoints", "list"), home, tmp_path / "work")
    assert done.returncode == 1 and "does not exist" in done.stderr and not (tmp_path / "data").exists()


def test_expires_in_and_expires_at_exclude_each_other(home: dict[str, str], tmp_path: Path) -> None:
    argv = server("endpoints", "create", "--name", "x", "--expires-in", "7d", "--expires-at", "2099-01-01T00:00:00Z")
    done = run(argv, home, tmp_path / "work")
    assert done.returncode == 2 and "not allowed with argument" in done.stderr
    assert not (tmp_path / "data").exists()


def test_expires_in_in_the_registry_and_the_management_api() -> None:
    now = datetime(2030, 5, 1, 12, 0, 0, 500, tzinfo=UTC)
    registry = EndpointRegistry(SqliteEndpointStore(":memory:", "desk365"), TOOLS, clock=lambda: now)
    made = registry.create(**creation_fields({"name": "x", "expires_in": "1d12h"})).endpoint
    assert made.expires_at == datetime(2030, 5, 3, 0, 0, 0, tzinfo=UTC)
    assert registry.create(name="s", expires_in=90).endpoint.expires_at == datetime(2030, 5, 1, 12, 1, 30, tzinfo=UTC)
    with pytest.raises(EndpointError, match="give one of them, not both"):
        registry.create(name="y", expires_in="7d", expires_at="2031-01-01T00:00:00Z")
    with pytest.raises(EndpointError, match="expires_in: expected a duration"):
        registry.create(**creation_fields({"name": "z", "expires_in": ["7d"]}))


def test_readme_examples_cannot_go_stale() -> None:
    """No example in the README expires on a fixed date (one in the past fails when copied)."""
    readme = (ROOT / "README.md").read_text()
    assert not re.findall(r"expires[-_]at\W+\d{4}-\d\d-\d\d", readme)
    assert "--expires-in 7d" in readme and '"expires_in": "30d"' in readme


# -- the mock's hint runs as printed (rough edge 6) --------------------------------------------


@pytest.fixture
def mock(home: dict[str, str]) -> Iterator[str]:
    """``helpdesk-mcp mock desk365`` started from the project root; yields its "try:" line."""
    port = free_port()
    argv = [str(CLI), "mock", "desk365", "--port", str(port), "--log-level", "warning"]
    with subprocess.Popen(argv, env=home, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True) as proc:  # fmt: skip
        try:
            assert proc.stderr is not None
            hint = ""
            deadline = time.monotonic() + 60
            while not hint.startswith("try: ") and time.monotonic() < deadline:
                hint = proc.stderr.readline()
                assert hint or proc.poll() is None, "the mock exited"
            yield hint.removeprefix("try: ").strip()
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_the_mock_hint_runs_as_printed(mock: str, home: dict[str, str], tmp_path: Path) -> None:
    assert mock.startswith(f"DESK365_API_KEY=mock-key {sys.executable} -m generated.desk365 --base-url http://")
    env = {k: v for k, v in home.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}  # no activated venv
    tools, code, err = list_tools(["sh", "-c", mock], env, tmp_path / "work")
    assert (len(tools), code, err) == (44, 0, "")


# -- the MCP Inspector download (rough edge 7) -------------------------------------------------


def test_skip_inspector_skips_its_tests(home: dict[str, str]) -> None:
    argv = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/test_inspector.py"]
    done = run(argv, {**home, "SKIP_INSPECTOR": "1"}, ROOT)
    assert done.returncode == 0, done.stdout
    assert "SKIP_INSPECTOR=1: the MCP Inspector is neither installed nor run" in done.stdout
