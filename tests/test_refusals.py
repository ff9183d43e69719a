"""Injection refused, and no unhandled error (issue 11, items 7 and 9).

Item 7: a file's ``content_type`` was written raw into its multipart part
(``text/plain\\r\\nX-Injected-Part-Header: 1``). Media types are now checked
against their grammar, and control characters are refused in every value that
reaches a header or a part header: header and cookie parameters, file names,
form field names (escaped, as httpx escapes the names it writes).

Item 9: an ``expires_at`` whose instant falls outside the years 1 to 9999 in
UTC raised ``OverflowError`` (a management API 500 with a traceback; the
``endpoints create`` command crashed); a 30,000-deep JSON body raised
``RecursionError`` (500); a NUL byte in an attachment ``path`` escaped
``ToolHost.call`` as a JSON-RPC error; ``--log-level trace`` crashed at start
(it is exercised in ``tests/test_redaction.py``). Each is now a clear 400, tool
error or usage message with exit status 2.
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import EndpointError, EndpointRegistry, parse_expiry
from generated.desk365._runtime.errors import ArgumentError
from generated.desk365._runtime.http import SyncClient
from generated.desk365._runtime.httpapp import endpoints_app
from generated.desk365._runtime.server import ToolHost
from generated.desk365._runtime.spec import OperationSpec, Param
from generated.desk365.client import API
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread
from tests.endpoints_helpers import ADMIN, run_main
from tests.upstream import Desk365Upstream

NOTE = "desk_365_ticket_notes_create_with_attachment"
INJECTED = "text/plain\r\nX-Injected-Part-Header: 1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def host(stub: Desk365Upstream, **options: Any) -> ToolHost:
    return ToolHost(API, TOOLS, AsyncDesk365Client(api_key="k", base_url=stub.url), **options)


@asynccontextmanager
async def hosting(stub: Desk365Upstream, **options: Any) -> AsyncIterator[ToolHost]:
    tools = host(stub, **options)
    try:
        yield tools
    finally:
        await tools.client.aclose()


# -- item 7: nothing rides along in a header or a part header -------------------------------


@pytest.mark.anyio
async def test_part_headers_cannot_be_injected_through_a_file(stub: Desk365Upstream, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_bytes(b"ok")
    async with hosting(stub, allowed_dir=tmp_path) as tools:
        await check_part_headers(tools, stub)


async def check_part_headers(tools: ToolHost, stub: Desk365Upstream) -> None:
    args = {"ticket_number": 91, "note_object": {"body": "x"}}
    stub.clear()
    for file, needle in [
        ({"filename": "a.txt", "content_type": INJECTED, "content_base64": b64(b"x")}, "file.content_type"),
        ({"filename": "a.txt\r\nX-Injected: 1", "content_base64": b64(b"x")}, "file.filename: the control character"),
        ({"path": "ok.txt", "content_type": "text/plain\nX: 1"}, "is not a media type"),
        ({"path": "ok.txt", "filename": "ok\x00.txt"}, "U+0000"),
        ({"filename": "a.txt", "content_type": "text", "content_base64": b64(b"x")}, "is not a media type"),
    ]:
        result = await tools.call(NOTE, {**args, "file": file})
        text = result.content[0].text
        assert result.is_error and needle in text and "Nothing was sent" in text, (file, text)
    assert stub.requests == []
    fine = await tools.call(NOTE, {**args, "file": {"path": "ok.txt", "content_type": 'text/plain; charset="utf-8"'}})
    assert fine.is_error is False, fine.content[0].text
    [sent] = stub.requests
    assert b'Content-Type: text/plain; charset="utf-8"\r\n\r\nok\r\n' in sent.body
    assert b"X-Injected" not in sent.body


def _client() -> SyncClient:
    return SyncClient(
        API, credential="k", base_url="https://api.example.test", variables={}, server=None, timeout=None,
        max_response_bytes=None, max_retries=0, retry_deadline=None, headers=None,
    )  # fmt: skip


def test_header_cookie_and_form_values_cannot_inject() -> None:
    op = OperationSpec("op", "POST", "/x", media_type="multipart/form-data", params=(
        Param("trace", "X-Trace", "header"), Param("session", "session", "cookie"), Param("note", 'a"b\r\nc', "form"),
    ))  # fmt: skip
    client = _client()
    for args, message in [
        ({"trace": "1\r\nX-Injected: 1"}, "trace: the control character U+000D cannot be sent in an HTTP header"),
        ({"trace": "caf\u00e9"}, "trace: the character 'é' cannot be sent in an HTTP header"),
        ({"session": "a; admin=1"}, "session: the character ';' cannot be sent in a cookie"),
        ({"session": "a b"}, "session: a space cannot be sent in a cookie"),
    ]:
        with pytest.raises(ArgumentError, match=re.escape(message)):
            client._build(op, args, checked=True)
    request = client._build(op, {"trace": "t-1\tok", "session": "s-1", "note": "v"}, checked=True)
    assert request.headers["x-trace"] == "t-1\tok" and request.headers["cookie"] == "session=s-1"
    assert b'name="a%22b%0D%0Ac"\r\n\r\nv\r\n' in request.read()  # the field name cannot end its header
    part = OperationSpec("op", "POST", "/x", media_type="multipart/form-data", params=(Param("f", "f", "file"),))
    with pytest.raises(ArgumentError, match=re.escape("f content type: 'text/plain\\r\\nX: 1' is not a media type")):
        client._build(part, {"f": ("a.txt", b"x", "text/plain\r\nX: 1")}, checked=True)


# -- item 9: clear errors instead of crashes ----------------------------------------------------

EDGES = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]


def test_expiry_out_of_range_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    for edge in EDGES:
        with pytest.raises(EndpointError, match="outside the years 1 to 9999 in UTC"):
            parse_expiry(edge, now)
        code, out, err = run_main(capsys, "endpoints", "create", "--name", "x", "--expires-at", edge,
                                  "--endpoints-db", str(tmp_path / "e.sqlite3"))  # fmt: skip
        assert code == 2 and out == "" and "expires_at:" in err and "outside the years" in err, err
        assert "Traceback" not in err


def test_the_management_api_answers_400_to_bad_expiries_and_deep_bodies(stub: Desk365Upstream, tmp_path: Path) -> None:
    store = SqliteEndpointStore(tmp_path / "e.sqlite3", "desk365")
    app = endpoints_app(host(stub), EndpointRegistry(store, TOOLS), name="d", version="t", admin_token=ADMIN)
    auth = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}
    try:
        with serve_in_thread(app) as base, httpx.Client(base_url=base, headers=auth, timeout=10) as http:
            for edge in EDGES:
                answer = http.post("/endpoints", json={"name": "x", "expires_at": edge})
                assert answer.status_code == 400 and "outside the years 1 to 9999" in answer.json()["error"]
            deep = b'{"name": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
            assert len(deep) < 64 * 1024
            answer = http.post("/endpoints", content=deep)
            assert answer.status_code == 400 and answer.json() == {
                "error": "body: nested too deeply to be an endpoint definition"
            }
            assert http.get("/endpoints").json() == {"endpoints": []}  # and the server is fine
        assert store.all() == []
    finally:
        store.close()


@pytest.mark.anyio
async def test_a_nul_byte_in_a_path_is_a_tool_error(stub: Desk365Upstream, tmp_path: Path) -> None:
    stub.clear()
    async with hosting(stub, allowed_dir=tmp_path) as tools:
        for path in ("a\x00b.txt", "\x00", "dir/\x00/x"):
            args = {"ticket_number": 91, "note_object": {"body": "x"}, "file": {"path": path}}
            result = await tools.call(NOTE, args)
            text = result.content[0].text
            assert result.is_error and "file.path: the control character U+0000 is not allowed here" in text, text
    assert stub.requests == []


def test_an_unknown_log_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """(``--log-level trace`` itself starts a real server in ``tests/test_redaction.py``.)"""
    from generated.desk365.server import main

    with pytest.raises(SystemExit) as exit_:
        main(["--log-level", "chatty", "--list-tools"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "unknown level 'chatty'; use one of critical, error, warning, info, debug, trace" in err
    assert "Traceback" not in err
