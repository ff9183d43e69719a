"""No secret in any result, no token in any log line (issue 11, items 2 and 8).

Item 2: an upstream that echoes the credential in a 2xx JSON body used to have
it redacted from the text content only; ``structuredContent`` carried it in
clear. The upstream here is the mock behind :class:`Echo`, which copies the
request's ``Authorization`` header and query string into every JSON object it
answers (2xx and errors alike). Real processes (stdio for both APIs, streamable
HTTP for one) must show the credential nowhere: not in the text, not in
``structuredContent``, not in ``_meta``. In ``--endpoints`` mode the same holds
for the admin token, the endpoint's own URL token, and the tokens of other
endpoints the server has never seen in clear (recognised by their hash).

Item 8: the access log printed ``/MCP/<token>``, ``/mcp//<token>``,
``/mcp?token=<token>`` and ``?api_token=<token>`` in clear. A real
``--endpoints`` process at ``--log-level trace`` (which also logs every ASGI
scope, headers included) gets those shapes, percent-encoded ones and a Bearer
API token; no token may appear in its log.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore
from mcp import Client, StdioServerParameters

from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.endpoints import EndpointRegistry
from generated.desk365._runtime.httpapp import endpoints_app
from generated.desk365._runtime.redact import Redactor, redact_line
from generated.desk365._runtime.server import ToolHost
from generated.desk365.client import API
from generated.desk365.tools import TOOLS
from helpdesk_mock import serve_in_thread
from tests.bench.load import free_port, running, server_env
from tests.endpoints_helpers import mcp
from tests.mocks import create_app

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"desk365": "d365-Echoed-Key-93kq", "intercom": "ic-Echoed-Token-57xz"}
ADMIN = "admin-token-for-redaction-tests-0123456789"


class Echo:
    """ASGI wrapper: add ``echo`` (the request's Authorization header and decoded query) to
    every JSON object the wrapped app answers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        echo = {
            "authorization": headers.get(b"authorization", b"").decode("latin-1"),
            "query": unquote(scope["query_string"].decode("latin-1")),
        }
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict):
                body = json.dumps({**data, "echo": echo}).encode()
            out = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*out, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


@pytest.fixture(scope="module")
def echoes() -> Iterator[dict[str, str]]:
    with serve_in_thread(Echo(create_app("desk365"))) as desk, serve_in_thread(Echo(create_app("intercom"))) as ic:
        yield {"desk365": desk, "intercom": ic}


CALLS = {  # a 2xx read with an output schema, per API
    "desk365": ("get_single_desk_365_ticket_by_id", {"ticket_number": 91}),
    "intercom": ("list_all_intercom_admins", {}),
}


def leaks(result: Any, *secrets: str) -> list[str]:
    """Where any of ``secrets`` shows in ``result`` (text, structuredContent, _meta)."""
    parts = {
        "text": "\n".join(c.text for c in result.content if c.type == "text"),
        "structuredContent": json.dumps(result.structured_content),
        "_meta": json.dumps(result.meta),
    }
    return [f"{secret!r} in {where}" for where, shown in parts.items() for secret in secrets if secret in shown]


def environment(api: str) -> dict[str, str]:
    variable = "DESK365_API_KEY" if api == "desk365" else "INTERCOM_ACCESS_TOKEN"
    return server_env(**{variable: KEYS[api]})


@pytest.mark.anyio
@pytest.mark.parametrize("api", ["desk365", "intercom"])
async def test_the_credential_reaches_no_result_over_stdio(echoes: dict[str, str], api: str) -> None:
    params = StdioServerParameters(command=sys.executable, args=["-m", f"generated.{api}", "--base-url", echoes[api]],
                                   env=environment(api), cwd=str(ROOT))  # fmt: skip
    async with Client(params, mode="legacy") as client:
        tool, args = CALLS[api]
        result = await client.call_tool(tool, args)
        assert result.is_error is False, result.content[0].text
        assert isinstance(result.structured_content, dict)
        assert "[redacted]" in result.structured_content["echo"]["authorization"]  # the echo arrived, redacted
        assert not leaks(result, KEYS[api])


@pytest.mark.anyio
async def test_the_credential_reaches_no_result_over_http(echoes: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "generated.intercom", "--transport", "http", "--port", str(port),
            "--base-url", echoes["intercom"]]  # fmt: skip
    with running(argv, port=port, log=tmp_path / "server.log", env=environment("intercom")):
        async with mcp(f"http://127.0.0.1:{port}/mcp", mode="legacy") as client:
            result = await client.call_tool(*CALLS["intercom"])
            assert result.is_error is False and not leaks(result, KEYS["intercom"])
            assert "[redacted]" in result.structured_content["echo"]["authorization"]
            # an error result: the echo is in the upstream error body the text quotes
            missing = await client.call_tool("get_single_intercom_contact_by_id", {"contact_id": "nobody"})
            assert missing.is_error is True and "[redacted]" in missing.content[0].text
            assert not leaks(missing, KEYS["intercom"])
    assert KEYS["intercom"] not in (tmp_path / "server.log").read_text()


@pytest.mark.anyio
async def test_endpoint_tokens_and_the_admin_token_reach_no_result(echoes: dict[str, str], tmp_path: Path) -> None:
    store = SqliteEndpointStore(tmp_path / "e.sqlite3", "desk365")
    registry = EndpointRegistry(store, TOOLS)
    host = ToolHost(API, TOOLS, AsyncDesk365Client(api_key=KEYS["desk365"], base_url=echoes["desk365"]))
    app = endpoints_app(host, registry, name="desk365-mcp", version="test", admin_token=ADMIN)
    try:
        with serve_in_thread(app) as base:
            mine = registry.create(name="mine", require_api_token_auth=True)
            unseen = registry.create(name="unseen", require_api_token_auth=True)  # never presented to the server
            secrets = [ADMIN, mine.token, mine.api_token or "", unseen.token, unseen.api_token or ""]
            async with mcp(f"{base}/mcp/{mine.token}", mode="legacy", api_token=mine.api_token) as client:
                # a 2xx answer whose echoed query carries every secret, and an error answer that does too
                company = " ".join(secrets)
                listing = await client.call_tool("list_all_desk_365_contacts", {"company": company})
                missing = await client.call_tool("get_single_desk_365_company_by_id", {"name": company})
        assert listing.is_error is False, listing.content[0].text
        assert listing.structured_content["echo"]["query"].count("[redacted]") == len(secrets)
        assert missing.is_error is True and missing.content[0].text.count("[redacted]") >= len(secrets)
        for result in (listing, missing):
            assert not leaks(result, KEYS["desk365"], *secrets)
    finally:
        store.close()


def test_every_form_of_a_secret_is_redacted() -> None:
    key = 'k3y/with "quotes" & spaces'
    redactor = Redactor([key])
    import base64

    for form in (key, json.dumps(key)[1:-1], quote(key, safe=""), base64.b64encode(key.encode()).decode()):
        assert redactor.text(f"<{form}>") == "<[redacted]>", form
    scrubbed = redactor.value({key: [key, 1, {"x": f"a{key}b"}]})
    assert scrubbed == {"[redacted]": ["[redacted]", 1, {"x": "a[redacted]b"}]}


# -- item 8: logs ---------------------------------------------------------------------------


def test_tokens_reach_no_log_line_whatever_the_url_shape(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    store = SqliteEndpointStore(db, "desk365")  # the file the server opens, as the endpoints command writes it
    try:
        made = [EndpointRegistry(store, TOOLS).create(name=n, require_api_token_auth=True) for n in ("seen", "not")]
    finally:
        store.close()
    (token, api_token), (other, other_api) = ((m.token, m.api_token or "") for m in made)
    port, log = free_port(), tmp_path / "server.log"
    argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port), "--endpoints",
            "--endpoints-db", str(db), "--base-url", "http://127.0.0.1:9", "--log-level", "trace"]  # fmt: skip
    encoded = "".join(f"%{b:02X}" for b in other.encode())
    with running(argv, port=port, log=log, env=server_env(DESK365_API_KEY="k", DESK365_MCP_ADMIN_TOKEN=ADMIN)):
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            # shapes the old formatter missed, with a token the server never sees in a valid request
            for path in (f"/MCP/{other}", f"/mcp//{other}", f"/mcp?token={other}", f"/mcp/x?api_token={other_api}",
                         f"/mcp/{encoded}", f"/mcp/x?t={quote(other)}%00", f"/endpoints?admin={ADMIN}"):  # fmt: skip
                http.post(path, json=ping, headers={"Authorization": f"Bearer {other_api}"})
            # and a token the server does see (it learns it), in the usual and the odd shapes
            for path in (f"/mcp/{token}", f"/MCP/{token}", f"/mcp?token={token}"):
                http.post(path, json=ping, headers={"Authorization": f"Bearer {api_token}"})
            http.get("/endpoints", headers={"Authorization": f"Bearer {ADMIN}"})
    text = log.read_text()
    assert "TRACE" in text and "HTTP connection made" in text  # --log-level trace runs, and logs the scopes
    for secret in (token, api_token, other, other_api, ADMIN, encoded, encoded.lower()):
        assert secret not in text, f"{secret[:12]}... in the log"
    assert "[token]" in text


def test_redact_line_recognises_tokens_by_shape() -> None:
    token = "Zk3" * 14 + "q"  # 43 URL-safe characters, as secrets.token_urlsafe(32)
    for line in (f"/mcp/{token}", f"?t={token}&x=1", f"Bearer {token}", "/mcp/" + quote(token, safe=""),
                 "/m/" + "".join(f"%{b:02x}" for b in token.encode()), f"/mcp/{token}x"):  # fmt: skip
        assert token not in unquote(redact_line(line)), line
    assert redact_line("a short id abc123 and 2026-12-01T17:00:00Z") == "a short id abc123 and 2026-12-01T17:00:00Z"


@pytest.mark.anyio
async def test_a_store_that_cannot_answer_makes_token_shaped_words_redacted() -> None:
    """Recognition fails closed: every unknown token-shaped word of that result is redacted, none remembered."""
    word = "T" * 43

    def down(words: list[str]) -> list[str]:
        raise OSError("the store is down")

    redactor = Redactor(["key-1234"], recognise=down)
    also = await redactor.learn(f"id {word} and key-1234", {"short": "abc"})
    assert also == {word}
    assert redactor.text(f"id {word} and key-1234", also) == "id [redacted] and [redacted]"
    assert redactor.text(f"id {word}") == f"id {word}"  # not remembered
    redactor.recognise = lambda words: [w for w in words if w == word]
    assert await redactor.learn({"x": [word]}) == frozenset()
    assert redactor.text(f"/{word}/") == "/[redacted]/"  # recognised, and remembered from now on
