"""Host and Origin allow-lists beyond loopback (issue 11, item 6).

Bound to ``0.0.0.0``, the server used to answer ``Host: evil.example`` with
``Origin: http://evil.example`` (200), and the single-endpoint mode has no
authentication. Now both modes check ``Host`` and ``Origin`` against
allow-lists (defaults: the bound address and the loopback names, and their
http(s) origins; ``--allowed-hosts`` / ``--allowed-origins`` or their
environment variables add more), answer 421 / 403 otherwise, in front of
everything the app serves, and the single-endpoint mode warns loudly at start
when it is reachable beyond loopback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import EndpointRegistry
from generated.desk365._runtime.hostguard import exposure_warning, host_policy
from generated.desk365._runtime.httpapp import endpoints_app
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread
from tests.bench.load import free_port, running, server_env
from tests.endpoints_helpers import ADMIN
from tests.test_limits import ACCEPT, INIT


def post(url: str, **headers: str) -> httpx.Response:
    return httpx.post(url, json=INIT, headers={**ACCEPT, **headers}, timeout=10)


def test_a_public_bind_answers_only_allowed_hosts_and_origins_and_warns(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "server.log"
    argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--host", "0.0.0.0", "--port", str(port),
            "--base-url", "http://127.0.0.1:9", "--allowed-origins", "https://app.example.com"]  # fmt: skip
    env = server_env(DESK365_API_KEY="k", DESK365_MCP_ALLOWED_HOSTS="mcp.example.com")
    url = f"http://127.0.0.1:{port}/mcp"
    with running(argv, port=port, log=log, env=env):
        evil = post(url, Host="evil.example", Origin="http://evil.example")
        assert evil.status_code == 421 and "does not answer to that Host" in evil.json()["error"]["message"]
        assert post(url, Host="evil.example").status_code == 421
        assert post(url, Host=f"evil.example:{port}").status_code == 421
        assert httpx.get(f"http://127.0.0.1:{port}/other", headers={"Host": "evil.example"}).status_code == 421
        cross = post(url, Origin="http://evil.example")
        assert cross.status_code == 403 and "Origin" in cross.json()["error"]["message"]
        assert post(url, Origin="null").status_code == 403
        assert post(url, Host="mcp.example.com", Origin="http://mcp.example.com").status_code == 403  # not listed
        for headers in ({}, {"Host": f"localhost:{port}"}, {"Host": "mcp.example.com"},
                        {"Host": "MCP.example.com:443", "Origin": "https://app.example.com"}):  # fmt: skip
            assert post(url, **headers).status_code == 200, headers
    text = log.read_text()
    assert "WARNING: serving MCP on 0.0.0.0 WITHOUT AUTHENTICATION" in text
    assert "Host 127.0.0.1, localhost, ::1, mcp.example.com" in text


def test_the_endpoints_app_guards_the_management_api_too(tmp_path: Path) -> None:
    store = SqliteEndpointStore(tmp_path / "e.sqlite3", "desk365")
    registry = EndpointRegistry(store, TOOLS)
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key="k", base_url="http://127.0.0.1:9"))
    app = endpoints_app(host, registry, name="d", version="t", admin_token=ADMIN, bind_host="0.0.0.0",
                        public_url="https://mcp.example.com")  # fmt: skip
    auth = {"Authorization": f"Bearer {ADMIN}"}
    try:
        with serve_in_thread(app) as base:
            token = registry.create(name="x").token
            assert httpx.get(f"{base}/endpoints", headers={**auth, "Host": "evil.example"}).status_code == 421
            assert httpx.get(f"{base}/endpoints", headers={**auth, "Origin": "http://evil.example"}).status_code == 403
            assert httpx.get(f"{base}/endpoints", headers=auth).status_code == 200
            assert post(f"{base}/mcp/{token}", Host="evil.example").status_code == 421
            public = {"Host": "mcp.example.com", "Origin": "https://mcp.example.com"}  # --public-url's host
            assert post(f"{base}/mcp/{token}", **public).status_code == 200
    finally:
        store.close()


@pytest.mark.parametrize(
    ("header", "ok"),
    [("127.0.0.1", True), ("127.0.0.1:8000", True), ("[::1]:8000", True), ("LOCALHOST:1", True),
     ("10.0.0.5:8000", True), ("10.0.0.5", True), ("10.0.0.6:8000", False), ("", False), ("localhost.evil", False),
     ("mcp.example.com:8443", True), ("mcp.example.com:443", False)],
)  # fmt: skip
def test_host_matching(header: str, ok: bool) -> None:
    policy = host_policy("10.0.0.5", hosts=["mcp.example.com:8443"])
    assert policy.host_ok(header or None) is ok


def test_origin_matching_and_the_warning() -> None:
    policy = host_policy("127.0.0.1")
    assert policy.origin_ok(None) and policy.origin_ok("http://localhost:6274") and policy.origin_ok("https://[::1]")
    assert not policy.origin_ok("http://evil.example") and not policy.origin_ok("null")
    assert not policy.origin_ok("http://localhost.evil.example")
    anywhere = host_policy("0.0.0.0", hosts=["*"])
    assert anywhere.host_ok("whatever.example") and not anywhere.origin_ok("https://whatever.example")
    assert exposure_warning("127.0.0.1", authenticated=False, policy=policy) is None
    assert exposure_warning("::1", authenticated=False, policy=policy) is None
    assert exposure_warning("0.0.0.0", authenticated=True, policy=policy) is None
    assert "WITHOUT AUTHENTICATION" in (exposure_warning("192.168.1.2", authenticated=False, policy=policy) or "")
