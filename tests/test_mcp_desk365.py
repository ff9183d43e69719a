"""The generated Desk365 MCP server, in process.

Every test drives ``generated.desk365.server.create_server`` through ``mcp.Client`` in
both protocol eras (``auto`` = 2026-07-28 without a handshake, ``legacy`` = the
2025-11-25 ``initialize``), against an ``AsyncDesk365Client`` whose httpx transport is a
recording stub: the assertions are on the exact upstream requests.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import yaml
from mcp import Client

from generated.desk365 import AsyncDesk365Client
from generated.desk365.server import create_server
from generated.desk365.tools import TOOLS
from tests.views import expected_result

ROOT = Path(__file__).resolve().parents[1]
INVENTORY = ROOT / "tests" / "fixtures" / "TOOL-INVENTORY.md"  # a copy of ../shared/TOOL-INVENTORY.md
API_KEY = "sk-test-Zq8vK2mN4pX7"
BASE = "/apis"  # https://acme.desk365.io/apis
MODES = ["auto", "legacy"]
BODY = {"stub": True, "count": 1}


pytestmark = pytest.mark.anyio


# -- the recording upstream -------------------------------------------------------------


@dataclass
class Upstream:
    """An httpx ``MockTransport`` handler that records requests; ``respond`` overrides
    the default 200 answer (it may also raise an httpx error)."""

    requests: list[httpx.Request] = field(default_factory=list)
    respond: Callable[[httpx.Request], httpx.Response] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.respond is not None:
            return self.respond(request)
        headers = {"X-Rate-Limit-Remaining": "42"}
        if request.url.path.endswith("/v3/ping"):
            return httpx.Response(200, text="pong", headers=headers)
        return httpx.Response(200, json=BODY, headers=headers)

    @property
    def last(self) -> httpx.Request:
        assert len(self.requests) == 1, f"expected one upstream request, got {len(self.requests)}"
        return self.requests[0]


@pytest.fixture
def upstream() -> Upstream:
    return Upstream()


@asynccontextmanager
async def connect(upstream: Upstream, mode: str, **options: Any) -> AsyncIterator[Client]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    client = AsyncDesk365Client(api_key=API_KEY, subdomain="acme", http_client=http)
    try:
        async with Client(create_server(client, **options), mode=mode) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


def query_of(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query.decode(), keep_blank_values=True)


def multipart_of(request: httpx.Request) -> list[tuple[str, str | None, str, bytes]]:
    """(name, filename, content type, bytes) of every part of a multipart body."""
    ctype = request.headers["content-type"]
    assert ctype.startswith("multipart/form-data"), ctype
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + request.content)
    parts = []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts.append((name, part.get_filename(), part.get_content_type(), part.get_payload(decode=True)))
    return parts


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- tools/list ---------------------------------------------------------------------------


def inventory_names() -> list[str]:
    text = INVENTORY.read_text()
    section = text.split("## Desk365", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (\w+) \| (?:GET|POST|PUT|DELETE|PATCH) ", section, re.M)


def curated_ids() -> dict[tuple[str, str], list[str]]:
    """(METHOD, path) -> the curated ID arguments (``x-tool.ids``)."""
    doc = yaml.safe_load((ROOT / "openapi" / "desk365.yaml").read_text())
    out = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "x-tool" in op:
                out[(method.upper(), path)] = [i["argument"] for i in op["x-tool"].get("ids") or []]
    return out


@pytest.mark.parametrize("mode", MODES)
async def test_list_tools_exact_names_and_metadata(upstream: Upstream, mode: str) -> None:
    async with connect(upstream, mode) as c:
        tools = (await c.list_tools()).tools
    names = [t.name for t in tools]
    assert len(names) == 44
    assert names == [t.name for t in TOOLS]
    assert sorted(names) == sorted(inventory_names())
    by_name = {t.name: t for t in tools}
    ids = curated_ids()
    assert len(ids) == 44
    for spec in TOOLS:
        tool = by_name[spec.name]
        assert tool.title and tool.description, spec.name
        assert tool.input_schema["type"] == "object"
        assert tool.input_schema.get("additionalProperties") is False, spec.name
        assert tool.input_schema == spec.input_schema
        assert tool.output_schema == spec.output_schema
        ann = tool.annotations
        assert ann is not None
        for hint in ("read_only_hint", "destructive_hint", "idempotent_hint", "open_world_hint"):
            assert isinstance(getattr(ann, hint), bool), (spec.name, hint)
        assert ann.read_only_hint is (spec.category == "read"), spec.name
        for arg in ids[(spec.operation.method, spec.operation.path)]:
            assert f"`{arg}`" in tool.description or arg in tool.description, (spec.name, arg)
    assert not upstream.requests


# -- every tool, called once --------------------------------------------------------------


@dataclass
class Case:
    tool: str
    args: dict[str, Any]
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None  # expected JSON body (None: no body)
    parts: list[tuple[str, str | None, str, bytes]] | None = None  # expected multipart


FILE = {"filename": "crash.log", "content_type": "text/plain", "content_base64": b64(b"boom\n")}
PART = ("file", "crash.log", "text/plain", b"boom\n")

CASES = [
    Case("list_all_desk_365_ping", {}, "GET", "/v3/ping"),
    Case("list_all_desk_365_tickets",
         {"ticket_count": "50", "offset": "50", "filters": {"status": ["Open"], "priority": ["10"]}},
         "GET", "/v3/tickets",
         {"ticket_count": "50", "offset": "50", "filters": '{"status":["Open"],"priority":["10"]}'}),
    Case("get_single_desk_365_ticket_by_id", {"ticket_number": 8992}, "GET", "/v3/tickets/details",
         {"ticket_number": "8992"}),
    Case("create_a_desk_365_ticket",
         {"email": "ann@example.com", "subject": "Printer", "description": "<p>On fire</p>", "priority": 20,
          "watchers": ["bob@example.com"], "custom_fields": {"cf_Asset": "PR-7"}},
         "POST", "/v3/tickets/create", {},
         {"email": "ann@example.com", "subject": "Printer", "description": "<p>On fire</p>", "priority": 20,
          "watchers": ["bob@example.com"], "custom_fields": {"cf_Asset": "PR-7"}}),
    Case("update_a_desk_365_ticket_by_id",
         {"ticket_number": 12, "status": "Resolved", "watchers": {"add": ["c@example.com"]}},
         "PUT", "/v3/tickets/update", {"ticket_number": "12"},
         {"status": "Resolved", "watchers": {"add": ["c@example.com"]}}),
    Case("desk_365_tickets_create_with_attachment",
         {"ticket_object": {"email": "ann@example.com", "subject": "Logs"}, "file": FILE},
         "POST", "/v3/tickets/create_with_attachment",
         {"ticket_object": '{"email":"ann@example.com","subject":"Logs"}'}, parts=[PART]),
    Case("list_all_desk_365_ticket_conversations", {"ticket_number": 7, "sort_by": "latest_on_top"},
         "GET", "/v3/tickets/conversations", {"ticket_number": "7", "sort_by": "latest_on_top"}),
    Case("create_a_desk_365_ticket_reply", {"ticket_number": 7, "body": "<p>Fixed</p>", "include_prev_ccs": 1},
         "POST", "/v3/tickets/add_reply", {"ticket_number": "7"}, {"body": "<p>Fixed</p>", "include_prev_ccs": 1}),
    Case("desk_365_ticket_replies_create_with_attachment",
         {"ticket_number": 7, "reply_object": {"body": "<p>See attached</p>"}, "file": FILE},
         "POST", "/v3/tickets/add_reply_with_attachment",
         {"ticket_number": "7", "reply_object": '{"body":"<p>See attached</p>"}'}, parts=[PART]),
    Case("create_a_desk_365_ticket_note", {"ticket_number": 7, "body": "internal", "private_note": 1},
         "POST", "/v3/tickets/add_note", {"ticket_number": "7"}, {"body": "internal", "private_note": 1}),
    Case("desk_365_ticket_notes_create_with_attachment",
         {"ticket_number": 8992, "note_object": {"body": "Logs attached", "private_note": 1}, "file": FILE},
         "POST", "/v3/tickets/add_note_with_attachment",
         {"ticket_number": "8992", "note_object": '{"body":"Logs attached","private_note":1}'}, parts=[PART]),
    Case("list_all_desk_365_contacts", {"company": "Acme Ltd", "order_type": "desc"}, "GET", "/v3/contacts",
         {"company": "Acme Ltd", "order_type": "desc"}),
    Case("get_single_desk_365_contact_by_id", {"primary_email": "a+b@example.com"}, "GET",
         "/v3/contacts/details", {"primary_email": "a+b@example.com"}),
    Case("create_a_desk_365_contact", {"name": "Ann", "primary_email": "ann@example.com"}, "POST",
         "/v3/contacts/create", {}, {"name": "Ann", "primary_email": "ann@example.com"}),
    Case("desk_365_contacts_create_with_attachment",
         {"contact_object": {"name": "Ann", "primary_email": "ann@example.com"}, "file": FILE},
         "POST", "/v3/contacts/create_with_attachment",
         {"contact_object": '{"name":"Ann","primary_email":"ann@example.com"}'}, parts=[PART]),
    Case("update_a_desk_365_contact_by_id", {"primary_email": "ann@example.com", "phone": "+1 555"}, "PUT",
         "/v3/contacts/update", {"primary_email": "ann@example.com"}, {"phone": "+1 555"}),
    Case("list_all_desk_365_companies", {"offset": "30"}, "GET", "/v3/companies", {"offset": "30"}),
    Case("get_single_desk_365_company_by_id", {"name": "Acme"}, "GET", "/v3/companies/details",
         {"name": "Acme"}),
    Case("create_a_desk_365_company", {"name": "Acme", "domains": "acme.com"}, "POST", "/v3/companies/create",
         {}, {"name": "Acme", "domains": "acme.com"}),
    Case("desk_365_companies_create_with_attachment", {"company_object": {"name": "Acme"}, "file": FILE},
         "POST", "/v3/companies/create_with_attachment", {"company_object": '{"name":"Acme"}'}, parts=[PART]),
    Case("update_a_desk_365_company_by_id", {"company_name": "Acme", "city": "Oslo"}, "PUT",
         "/v3/companies/update", {"company_name": "Acme"}, {"city": "Oslo"}),
    Case("list_all_desk_365_time_entries", {"ticket_number": 7, "time_entries_count": "100", "billable": 1},
         "GET", "/v3/time_entries", {"ticket_number": "7", "time_entries_count": "100", "billable": "1"}),
    Case("get_single_desk_365_time_entry_by_id", {"id": 123456789012}, "GET", "/v3/time_entries/details",
         {"id": "123456789012"}),
    Case("create_a_desk_365_time_entry", {"ticket_number": 7, "time_spent_in_minutes": 15, "billable": 0},
         "POST", "/v3/time_entries/create", {}, {"ticket_number": 7, "time_spent_in_minutes": 15, "billable": 0}),
    Case("list_all_desk_365_surveys", {}, "GET", "/v3/surveys"),
    Case("get_single_desk_365_survey_by_id", {"survey_name": "CSAT"}, "GET", "/v3/surveys/details",
         {"survey_name": "CSAT"}),
    Case("list_all_desk_365_survey_ratings", {"offset": "0"}, "GET", "/v3/surveys/ratings", {"offset": "0"}),
    Case("list_all_desk_365_contracts", {"company": "Acme", "include_expired_contracts": "0"}, "GET",
         "/v3/contracts", {"company": "Acme", "include_expired_contracts": "0"}),
    Case("get_single_desk_365_contract_by_id", {"reference_number": "C-1"}, "GET", "/v3/contracts/details",
         {"reference_number": "C-1"}),
    Case("create_a_desk_365_contract",
         {"name": "Gold", "company": "Acme", "is_active": True, "contract_type": 2,
          "block_hours": {"contract_hours": 10}},
         "POST", "/v3/contracts/create", {},
         {"name": "Gold", "company": "Acme", "is_active": True, "contract_type": 2,
          "block_hours": {"contract_hours": 10}}),
    Case("update_a_desk_365_contract_by_id", {"reference_number_query": "C-1", "reference_number": "C-2"},
         "PUT", "/v3/contracts/update", {"reference_number": "C-1"}, {"reference_number": "C-2"}),
    Case("get_single_desk_365_kb_category_by_id", {"category_name": "FAQ"}, "GET", "/v3/kb/category/details",
         {"category_name": "FAQ"}),
    Case("create_a_desk_365_kb_category", {"category_name": "FAQ", "company_list": ["Acme"]}, "POST",
         "/v3/kb/category/create", {}, {"category_name": "FAQ", "company_list": ["Acme"]}),
    Case("update_a_desk_365_kb_category_by_id", {"category_name_query": "FAQ", "category_name": "Help"},
         "PUT", "/v3/kb/category/update", {"category_name": "FAQ"}, {"category_name": "Help"}),
    Case("delete_a_desk_365_kb_category_by_id", {"category_name": "Old"}, "DELETE", "/v3/kb/category/delete",
         {"category_name": "Old"}),
    Case("get_single_desk_365_kb_folder_by_id", {"category_name": "FAQ", "folder_name": "Setup"}, "GET",
         "/v3/kb/folder/details", {"category_name": "FAQ", "folder_name": "Setup"}),
    Case("create_a_desk_365_kb_folder", {"category_name": "FAQ", "folder_name": "Setup"}, "POST",
         "/v3/kb/folder/create", {}, {"category_name": "FAQ", "folder_name": "Setup"}),
    Case("update_a_desk_365_kb_folder_by_id",
         {"category_name_query": "FAQ", "folder_name_query": "Setup", "folder_name": "Install"},
         "PUT", "/v3/kb/folder/update", {"category_name": "FAQ", "folder_name": "Setup"}, {"folder_name": "Install"}),
    Case("delete_a_desk_365_kb_folder_by_id", {"category_name": "FAQ", "folder_name": "Old"}, "DELETE",
         "/v3/kb/folder/delete", {"category_name": "FAQ", "folder_name": "Old"}),
    Case("list_all_desk_365_kb_articles", {}, "GET", "/v3/kb/article/"),
    Case("get_single_desk_365_kb_article_by_id", {"article_name": "Reset a password"}, "GET",
         "/v3/kb/article/details", {"article_name": "Reset a password"}),
    Case("create_a_desk_365_kb_article",
         {"article_title": "Reset", "article_content": "<p>Steps</p>", "category_name": "FAQ",
          "folder_name": "Setup", "status": 1},
         "POST", "/v3/kb/article/create", {},
         {"article_title": "Reset", "article_content": "<p>Steps</p>", "category_name": "FAQ",
          "folder_name": "Setup", "status": 1}),
    Case("update_a_desk_365_kb_article_by_id", {"article_name": "Reset", "status": 2}, "PUT",
         "/v3/kb/article/update", {"article_name": "Reset"}, {"status": 2}),
    Case("delete_a_desk_365_kb_article_by_id", {"article_name": "Reset"}, "DELETE", "/v3/kb/article/delete",
         {"article_name": "Reset"}),
]  # fmt: skip


def test_cases_cover_every_tool() -> None:
    assert sorted(c.tool for c in CASES) == sorted(t.name for t in TOOLS)


def test_descriptions_say_what_the_v3_api_cannot_do() -> None:
    """No list of KB categories or folders, no text search of tickets: the model is told how
    to get by instead of guessing a name or a filter."""
    by_name = {t.name: t.description for t in TOOLS}
    article = by_name["create_a_desk_365_kb_article"]
    assert "The v3 API has no list of KB categories or folders" in article
    assert "never guess a name" in article
    for tool in ("list_all_desk_365_kb_articles", "get_single_desk_365_kb_article_by_id",
                 "create_a_desk_365_kb_category", "create_a_desk_365_kb_folder"):  # fmt: skip
        assert f"`{tool}`" in article, tool
    tickets = by_name["list_all_desk_365_tickets"]
    assert "There is no text search" in tickets
    assert "page through it" in tickets and "read each ticket's `subject`" in tickets


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[c.tool for c in CASES])
async def test_every_tool_sends_the_exact_request(
    upstream: Upstream, mode: str, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    spec = next(t for t in TOOLS if t.name == case.tool)
    async with connect(upstream, mode) as c:
        result = await c.call_tool(case.tool, case.args)
    text = text_of(result)
    assert result.is_error is False, text
    request = upstream.last
    assert request.method == case.method
    assert request.url.host == "acme.desk365.io"
    assert request.url.path == BASE + case.path
    assert request.headers["authorization"] == API_KEY
    assert query_of(request) == {k: [v] for k, v in case.query.items()}
    if case.parts is not None:
        assert multipart_of(request) == case.parts
    elif case.json is not None:
        assert request.headers["content-type"].startswith("application/json")
        assert json.loads(request.content) == case.json
    else:
        assert request.content == b""
    if case.tool == "list_all_desk_365_ping":
        assert text == "pong"
    else:
        assert json.loads(text) == expected_result(spec, BODY, case.args)
    if spec.output_schema is not None:
        assert result.structured_content == expected_result(spec, BODY, case.args)
    assert result.meta is not None and result.meta["ratelimit-remaining"] == 42
    assert API_KEY not in text and API_KEY not in caplog.text


# -- argument validation: nothing is sent -------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_ticket_count_outside_enum_is_refused(upstream: Upstream, mode: str) -> None:
    async with connect(upstream, mode) as c:
        result = await c.call_tool("list_all_desk_365_tickets", {"ticket_count": "10"})
    text = text_of(result)
    assert result.is_error is True
    assert "ticket_count" in text
    for allowed in ('"30"', '"50"', '"100"'):
        assert allowed in text
    assert upstream.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ({}, "ticket_number is required"),
        ({"ticket_number": 5, "ticket_id": 5}, "ticket_id"),
        ({"ticket_number": "five"}, "ticket_number must be an integer"),
        ({"ticket_number": 0}, "ticket_number must be >= 1"),
    ],
    ids=["missing", "unknown", "wrong-type", "below-minimum"],
)
async def test_invalid_arguments_name_the_argument(upstream: Upstream, mode: str, args: dict[str, Any],
                                                   needle: str) -> None:  # fmt: skip
    async with connect(upstream, mode) as c:
        result = await c.call_tool("get_single_desk_365_ticket_by_id", args)
    assert result.is_error is True
    assert needle in text_of(result)
    assert "Nothing was sent" in text_of(result)
    assert upstream.requests == []


# -- start-up filters ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_methods_filter(upstream: Upstream, mode: str) -> None:
    async with connect(upstream, mode, methods=["read"]) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        refused = await c.call_tool("create_a_desk_365_ticket", {"email": "a@example.com"})
        ok = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 1})
    assert names == {t.name for t in TOOLS if t.category == "read"}
    assert "create_a_desk_365_ticket" not in names
    assert refused.is_error is True and "not available" in text_of(refused)
    assert ok.is_error is False
    assert [r.url.path for r in upstream.requests] == [BASE + "/v3/tickets/details"]


@pytest.mark.parametrize("mode", MODES)
async def test_tags_filter(upstream: Upstream, mode: str) -> None:
    async with connect(upstream, mode, tags=["knowledge_base"]) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        refused = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 1})
    assert names == {t.name for t in TOOLS if "knowledge_base" in t.tags}
    assert names and all("_kb_" in n for n in names)
    assert refused.is_error is True and "not available" in text_of(refused)
    assert upstream.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_tools_filter_and_combination(upstream: Upstream, mode: str) -> None:
    wanted = ["get_single_desk_365_ticket_by_id", "create_a_desk_365_ticket"]
    async with connect(upstream, mode, tools=wanted) as c:
        names = sorted(t.name for t in (await c.list_tools()).tools)
        refused = await c.call_tool("list_all_desk_365_ping", {})
    assert names == sorted(wanted)
    assert refused.is_error is True and "not available" in text_of(refused)
    async with connect(upstream, mode, tools=wanted, methods=["write"]) as c:  # AND
        names = [t.name for t in (await c.list_tools()).tools]
        refused = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 1})
    assert names == ["create_a_desk_365_ticket"]
    assert refused.is_error is True
    assert upstream.requests == []


def test_unknown_filter_values_are_errors() -> None:
    with pytest.raises(ValueError, match="bogus"):
        create_server(AsyncDesk365Client(api_key=API_KEY, subdomain="acme"), methods=["bogus"])
    with pytest.raises(ValueError, match="no_such_tool"):
        create_server(AsyncDesk365Client(api_key=API_KEY, subdomain="acme"), tools=["no_such_tool"])


# -- attachments ---------------------------------------------------------------------------

NOTE = "desk_365_ticket_notes_create_with_attachment"


@pytest.mark.parametrize("mode", MODES)
async def test_attachment_two_files(upstream: Upstream, mode: str) -> None:
    png = bytes(range(256))
    files = [
        {"filename": "a.txt", "content_type": "text/plain", "content_base64": b64(b"first")},
        {"filename": "shot.png", "content_type": "image/png", "content_base64": b64(png)},
    ]
    async with connect(upstream, mode) as c:
        result = await c.call_tool(NOTE, {"ticket_number": 3, "note_object": {"body": "x"}, "files": files})
    assert result.is_error is False, text_of(result)
    request = upstream.last
    assert query_of(request) == {"ticket_number": ["3"], "note_object": ['{"body":"x"}']}
    assert multipart_of(request) == [
        ("files", "a.txt", "text/plain", b"first"),
        ("files", "shot.png", "image/png", png),
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"file": {"filename": "x.bin", "content_base64": "not base64!!"}}, "file.content_base64 is not valid base64"),
        ({"file": FILE, "files": [FILE]}, "give exactly one of file, files"),
        ({}, "give exactly one of file, files"),
        ({"file": {"path": "x.txt"}}, "path"),
    ],
    ids=["bad-base64", "file-and-files", "no-file", "path-without-allowed-dir"],
)  # fmt: skip
async def test_attachment_refusals(upstream: Upstream, mode: str, extra: dict[str, Any], needle: str) -> None:
    async with connect(upstream, mode) as c:
        result = await c.call_tool(NOTE, {"ticket_number": 3, "note_object": {"body": "x"}, **extra})
    assert result.is_error is True
    assert needle in text_of(result)
    assert upstream.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_attachment_local_paths(upstream: Upstream, mode: str, tmp_path: Path) -> None:
    allowed = tmp_path / "allowed"
    (allowed / "sub").mkdir(parents=True)
    (allowed / "sub" / "report.txt").write_bytes(b"report body")
    (tmp_path / "outside.txt").write_bytes(b"secret")
    args = {"ticket_number": 3, "note_object": {"body": "x"}}
    async with connect(upstream, mode, allowed_dir=allowed) as c:
        schema = next(t for t in (await c.list_tools()).tools if t.name == NOTE).input_schema
        assert "path" in schema["properties"]["file"]["properties"]
        ok = await c.call_tool(NOTE, {**args, "file": {"path": "sub/report.txt"}})
        outside = await c.call_tool(NOTE, {**args, "file": {"path": "../outside.txt"}})
        absolute = await c.call_tool(NOTE, {**args, "file": {"path": str(tmp_path / "outside.txt")}})
        missing = await c.call_tool(NOTE, {**args, "file": {"path": "nope.txt"}})
        still_b64 = await c.call_tool(NOTE, {**args, "file": FILE})
    assert ok.is_error is False, text_of(ok)
    assert outside.is_error is True and "outside the allowed directory" in text_of(outside)
    assert absolute.is_error is True and "outside the allowed directory" in text_of(absolute)
    assert missing.is_error is True
    assert still_b64.is_error is False, text_of(still_b64)
    assert len(upstream.requests) == 2
    assert multipart_of(upstream.requests[0]) == [("file", "report.txt", "text/plain", b"report body")]
    assert multipart_of(upstream.requests[1]) == [PART]
    assert all(b"secret" not in r.content for r in upstream.requests)


# -- query encoding ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_company_name_reaches_upstream_unchanged(upstream: Upstream, mode: str) -> None:
    name = "R&D / Ops #1"
    async with connect(upstream, mode) as c:
        result = await c.call_tool("get_single_desk_365_company_by_id", {"name": name})
    assert result.is_error is False
    request = upstream.last
    assert request.url.params["name"] == name
    assert query_of(request) == {"name": [name]}
    assert request.url.path == BASE + "/v3/companies/details"


# -- upstream failures ------------------------------------------------------------------


def _raise(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def respond(request: httpx.Request) -> httpx.Response:
        raise exc

    return respond


FAILURES = [
    ("404", lambda r: httpx.Response(404, json={"message": "Ticket 999 does not exist"}),
     ["404", "Ticket 999 does not exist"]),
    ("500", lambda r: httpx.Response(500, json={"error": "Internal Server Error"}), ["500", "Internal Server Error"]),
    ("401-echoing-key", lambda r: httpx.Response(401, json={"message": f"bad key {API_KEY}"}), ["401", "[redacted]"]),
    ("non-json-200", lambda r: httpx.Response(200, text="<html>maintenance</html>"), ["not valid JSON", "200"]),
    ("connect-error", _raise(httpx.ConnectError("connection refused")),
     ["Desk365 at acme.desk365.io:443: could not connect (connection refused)"]),
    ("read-timeout", _raise(httpx.ReadTimeout("slow")), ["did not answer"]),
    ("unexpected", _raise(RuntimeError(f"boom {API_KEY}")), ["internal error", "RuntimeError"]),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("respond", "needles"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
async def test_upstream_failures_are_tool_errors_and_the_server_keeps_serving(
    upstream: Upstream, mode: str, respond: Any, needles: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with connect(upstream, mode) as c:
        upstream.respond = respond
        failed = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 999})
        upstream.respond = None
        ok = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 1})
    text = text_of(failed)
    assert failed.is_error is True
    for needle in needles:
        assert needle in text
    assert API_KEY not in text and API_KEY not in caplog.text
    assert ok.is_error is False and ok.structured_content == BODY
    assert len(upstream.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_rate_limited_is_not_retried(upstream: Upstream, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.respond = lambda r: httpx.Response(
        429, json={"message": "Too many requests"}, headers={"X-Rate-Limit-Remaining": "0"}
    )
    async with connect(upstream, mode) as c:
        result = await c.call_tool("list_all_desk_365_tickets", {})
        assert len(upstream.requests) == 1
        upstream.respond = None
        ok = await c.call_tool("list_all_desk_365_ping", {})
    text = text_of(result)
    assert result.is_error is True
    assert "429" in text and "Too many requests" in text
    assert "ratelimit-remaining" in text
    assert result.meta is not None and result.meta["ratelimit-remaining"] == 0
    assert ok.is_error is False and ok.meta is not None and ok.meta["ratelimit-remaining"] == 42
    assert len(upstream.requests) == 2
    assert API_KEY not in text and API_KEY not in caplog.text


@pytest.mark.parametrize("mode", MODES)
async def test_response_breaking_the_output_schema_is_a_tool_error(upstream: Upstream, mode: str) -> None:
    # The SDK client rejects structuredContent that breaks the advertised outputSchema (the
    # whole call would raise), so the server reports the mismatch as a tool error instead.
    upstream.respond = lambda r: httpx.Response(200, json={"ticket_number": "5", "subject": "x"})
    async with connect(upstream, mode) as c:
        result = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 5})
        upstream.respond = None
        ok = await c.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 5})
    text = text_of(result)
    assert result.is_error is True
    assert "ticket_number" in text and "does not match" in text and '"subject":"x"' in text
    assert ok.is_error is False
