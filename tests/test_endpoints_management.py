"""Token-scoped MCP endpoints: the management API, the store and the command line.

The management API of a deployment (``/endpoints`` with the admin token: refusals,
validation, create, list, delete) and its absence without an admin token; the store
file that holds no token in clear text (only their hashes); the ``endpoints`` command
(create, list, revoke) and the server options that do not fit together. Helpers in
``tests/endpoints_helpers.py``, the ``stub`` and ``desk`` fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from generated.desk365._runtime.endpoints import (
    token_digest,
)
from tests.endpoints_helpers import (
    ADMIN,
    NOT_FOUND_BODY,
    START,
    Deployment,
    cli,
    deploy,
    fingerprint,
    raw_post,
    run_main,
)
from tests.upstream import Desk365Upstream

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


# -- the command line ------------------------------------------------------------------


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
