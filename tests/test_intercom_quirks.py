"""Intercom's quirks, as the generated client and MCP server handle them.

The tools are driven in process through ``mcp.Client`` against an
``AsyncIntercomClient`` whose upstream is an httpx ``MockTransport`` that records
requests, so every test also knows whether anything was sent. Covered: the
conversation timeline (tool result and library function), the search query
rules checked before sending, the manage shapes, the company scroll (next
``scroll_param`` in the result, restart advice on errors), the descriptions an
assistant relies on, and the normalised rate limit of a 429; then the generator
side of the hook extensions (``x-tool.checks`` / ``result`` / ``errors``) and two
runs against the mock (``helpdesk_mock``) on an injected clock.
"""

from __future__ import annotations

import json
import re
import textwrap
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from mcp import Client

from generated.intercom import (
    ArgumentError,
    AsyncIntercomClient,
    IntercomClient,
    RateLimitError,
    TimelineEntry,
    conversation_timeline,
    models,
)
from generated.intercom._runtime.ratelimit import parse_ratelimit
from generated.intercom._runtime.results import compact
from generated.intercom._runtime.search import search_query_problems
from generated.intercom._runtime.timeline import html_to_text
from generated.intercom.client import API
from generated.intercom.server import create_server
from generated.intercom.tools import TOOLS
from generator.errors import GenerationError
from generator.load import load_document
from generator.pipeline import build as build_ir

TOKEN = "tok-test-Rb7Qw2Lp9Xs4"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
TOOL_SPECS = {t.name: t for t in TOOLS}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- the recording upstream -------------------------------------------------------------


@dataclass
class Upstream:
    """Records requests and answers with ``respond`` (default: 200 ``{}``)."""

    respond: Callable[[httpx.Request], httpx.Response] = lambda r: httpx.Response(200, json={})
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)


@asynccontextmanager
async def connect(upstream: Upstream, mode: str = "auto") -> AsyncIterator[Client]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    client = AsyncIntercomClient(access_token=TOKEN, http_client=http)
    try:
        async with Client(create_server(client), mode=mode) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


def sync_client(upstream: Upstream) -> IntercomClient:
    return IntercomClient(access_token=TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(upstream)))


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


def error_list(code: str, message: str) -> dict[str, Any]:
    return {"type": "error.list", "request_id": "req-1", "errors": [{"code": code, "message": message}]}


# -- the conversation timeline ------------------------------------------------------------

CUSTOMER = {"type": "user", "id": "c1", "name": "Dana Customer", "email": "dana@example.com"}
AGENT = {"type": "admin", "id": "7", "name": "Sam Agent", "email": "sam@acme.io"}
BOT = {"type": "bot", "id": "99", "name": "Fin", "email": None}
TEAM = {"type": "team", "id": "5", "name": "Billing"}

# (id, part_type, seconds after T0 or None, author, body): the raw payload order, with
# 100 and 103/102 and 108/107 out of order, and 105/104 at the same second.
PARTS: list[tuple[Any, str, int | None, dict[str, Any], str | None]] = [
    ("101", "assignment", 10, BOT, None),
    ("103", "comment", 120, AGENT, "<p>Sorry about that! Checking now.</p>"),
    ("102", "note", 90, AGENT, "<p>Looks like a <b>duplicate</b> charge &mdash; see Stripe.</p>"),
    ("105", "quick_reply", 200, BOT, "<p>Was this helpful?</p>"),
    ("104", "comment", 200, CUSTOMER, "<p>Thanks,<br>it was invoice #4521.</p>"),
    ("106", "snoozed", 300, AGENT, None),
    ("108", "comment", 500, CUSTOMER, "<p>Any news?</p>"),
    ("107", "unsnoozed", 450, BOT, None),
    ("109", "open", 510, AGENT, None),
    ("110", "note", 600, AGENT, "<p>Refund steps:</p><ul><li>check invoice</li><li>refund &amp; notify</li></ul>"),
    ("111", "assignment", 650, AGENT, "<p>Over to you</p>"),
    (112, "comment", 700, AGENT, '<p>See our <a href="https://example.com/refunds">refund policy</a>.</p>'),
    ("113", "conversation_attribute_updated_by_admin", 710, AGENT, None),
    ("114", "comment", 800, CUSTOMER, "<p>Got it &lt;3</p>"),
    ("115", "close", 900, AGENT, "<p>Closing: refund issued.</p><p></p>"),
    ("116", "comment", 950, CUSTOMER, "<div>One more thing</div><div>the receipt?</div>"),
    ("118", "note", 960, AGENT, "<p>Customer asks for receipt</p>"),
    ("119", "close", 1000, AGENT, None),
    ("120", "custom_action_started", None, BOT, None),
    ("100", "comment", 30, BOT, "<p>Hi Dana, a teammate will reply soon.</p>"),
]
EXPECTED_ORDER = ["src-1", "101", "100", "102", "103", "105", "104", "106", "107", "108", "109", "110", "111",
                  "112", "113", "114", "115", "116", "118", "119", "120"]  # fmt: skip


def conversation_payload() -> dict[str, Any]:
    parts = []
    for part_id, part_type, offset, author, body in PARTS:
        part: dict[str, Any] = {
            "type": "conversation_part",
            "id": part_id,
            "part_type": part_type,
            "body": body,
            "created_at": None if offset is None else T0 + offset,
            "updated_at": None if offset is None else T0 + offset,
            "author": author,
            "attachments": [],
            "redacted": False,
        }
        if part_id == "101":
            part["assigned_to"] = {"type": "team", "id": "5"}
        if part_id == "111":
            part["assigned_to"] = {"type": "admin", "id": "8"}
        if part_id == 112:
            part["attachments"] = [{"type": "upload", "name": "refund.pdf", "url": "https://files/refund.pdf"}]
        parts.append(part)
    return {
        "type": "conversation",
        "id": "4242",
        "title": None,
        "created_at": T0,
        "updated_at": T0 + 1000,
        "state": "closed",
        "open": False,
        "source": {
            "type": "conversation",
            "id": "src-1",
            "delivered_as": "customer_initiated",
            "subject": "",
            "body": "<p>I was charged twice for my <b>March</b> invoice &amp; need a refund.</p>",
            "author": CUSTOMER,
            "attachments": [],
        },
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c1"}]},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts, "total_count": 20},
        "statistics": None,
        "ai_agent": None,
    }


def iso(offset: int) -> str:
    return datetime.fromtimestamp(T0 + offset, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_timeline(timeline: list[dict[str, Any]], compacted: bool = False) -> None:
    """The assertions shared by the tool and the library function; the tool's result is
    ``compacted`` (null and empty members dropped), so a missing member reads as None."""
    if compacted:
        assert not any(v is None or v == [] for e in timeline for v in e.values())
        timeline = [{"assigned_to": None, "attachments": [], "body": None, "time": None, "created_at": None, **e,
                     "author": {"email": None, **e.get("author", {})}} for e in timeline]  # fmt: skip
    assert len(PARTS) == 20
    assert [e["id"] for e in timeline] == EXPECTED_ORDER
    assert [e["position"] for e in timeline] == list(range(21))
    by_id = {e["id"]: e for e in timeline}
    types = {str(p[0]): p[1] for p in PARTS}
    assert all(by_id[i]["part_type"] == t for i, t in types.items())
    first = timeline[0]
    assert first == {
        "position": 0, "part_type": "source", "id": "src-1", "created_at": T0, "time": "2023-11-14T22:13:20Z",
        "author": CUSTOMER, "body": "I was charged twice for my March invoice & need a refund.",
        "assigned_to": None, "attachments": [],
    }  # fmt: skip
    for part_id, _, offset, author, _ in PARTS:
        entry = by_id[str(part_id)]
        assert entry["author"] == {"email": None, **author}
        assert entry["created_at"] == (None if offset is None else T0 + offset)
        assert entry["time"] == (None if offset is None else iso(offset))
    assert by_id["102"]["body"] == "Looks like a duplicate charge \u2014 see Stripe."
    assert by_id["104"]["body"] == "Thanks,\nit was invoice #4521."
    assert by_id["110"]["body"] == "Refund steps:\n- check invoice\n- refund & notify"
    assert by_id["112"]["body"] == "See our refund policy (https://example.com/refunds)."
    assert by_id["112"]["attachments"] == ["refund.pdf"]
    assert by_id["114"]["body"] == "Got it <3"
    assert by_id["115"]["body"] == "Closing: refund issued."
    assert by_id["116"]["body"] == "One more thing\nthe receipt?"
    assert by_id["106"]["body"] is None and by_id["113"]["body"] is None
    assert by_id["101"]["assigned_to"] == {"type": "team", "id": "5"}
    assert by_id["111"]["assigned_to"] == {"type": "admin", "id": "8"}
    assert by_id["120"]["time"] is None and timeline[-1]["id"] == "120"


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_conversation_tool_returns_the_raw_conversation_and_a_timeline(mode: str) -> None:
    payload = conversation_payload()
    upstream = Upstream(lambda r: httpx.Response(200, json=payload))
    async with connect(upstream, mode) as c:
        result = await c.call_tool("get_single_intercom_conversation_by_id", {"conversation_id": 4242})
    assert result.is_error is False, text_of(result)
    assert upstream.requests[0].url.path == "/conversations/4242"
    data = result.structured_content
    assert list(data)[0] == "timeline"  # read first in the JSON text too
    assert json.loads(text_of(result)) == data
    check_timeline(data["timeline"], compacted=True)
    raw = {k: v for k, v in data.items() if k != "timeline"}
    # the conversation itself, compacted; its raw parts only on request (the timeline has them in order)
    assert raw == {k: v for k, v in compact(payload).items() if k != "conversation_parts"}
    async with connect(upstream, mode) as c:
        everything = await c.call_tool(
            "get_single_intercom_conversation_by_id", {"conversation_id": 4242, "fields": "*"}
        )
    assert everything.structured_content["conversation_parts"] == compact(payload)["conversation_parts"]
    spec = TOOL_SPECS["get_single_intercom_conversation_by_id"]
    assert spec.transform == "conversation_timeline"
    assert spec.output_schema is not None and "timeline" in spec.output_schema["properties"]
    assert not list(Draft202012Validator(spec.output_schema).iter_errors(data))


@pytest.mark.anyio
async def test_conversation_tool_with_plaintext_bodies_keeps_them_as_text() -> None:
    payload = conversation_payload()
    payload["source"]["body"] = "Is 3 < 4 and <b> literal?\nSecond line"
    upstream = Upstream(lambda r: httpx.Response(200, json=payload))
    async with connect(upstream) as c:
        result = await c.call_tool(
            "get_single_intercom_conversation_by_id", {"conversation_id": 4242, "display_as": "plaintext"}
        )
    assert result.is_error is False, text_of(result)
    assert upstream.requests[0].url.params["display_as"] == "plaintext"
    assert result.structured_content["timeline"][0]["body"] == "Is 3 < 4 and <b> literal?\nSecond line"


def test_conversation_timeline_function_takes_a_dict_or_the_model() -> None:
    payload = conversation_payload()
    from_dict = conversation_timeline(payload)
    assert all(isinstance(e, TimelineEntry) for e in from_dict)
    check_timeline([e.to_dict() for e in from_dict])
    model = models.Conversation.model_validate(payload)
    assert conversation_timeline(model) == from_dict
    assert payload == conversation_payload()  # the input is not changed
    assert from_dict[2].author.name == "Fin" and from_dict[2].time == iso(30)


def test_typed_client_keeps_the_raw_model() -> None:
    upstream = Upstream(lambda r: httpx.Response(200, json=conversation_payload()))
    with sync_client(upstream) as client:
        conversation = client.conversations.get(conversation_id=4242)
    assert isinstance(conversation, models.Conversation)
    assert "timeline" not in conversation.model_dump()
    parts = conversation.conversation_parts
    assert parts is not None and [str(p.id) for p in parts.conversation_parts or []] == [str(p[0]) for p in PARTS]
    assert [e.id for e in conversation_timeline(conversation)] == EXPECTED_ORDER


@pytest.mark.parametrize(
    ("conversation", "ids"),
    [
        ({}, []),
        ({"source": None, "conversation_parts": None}, []),
        ({"created_at": "1700000000", "source": {"id": "s", "body": None}}, ["s"]),
        ({"conversation_parts": [{"id": 1, "part_type": "note", "created_at": 5}, {"id": 2, "created_at": 1}]},
         ["2", "1"]),
        ({"conversation_parts": {"conversation_parts": ["junk", {"id": "x", "created_at": True}]}}, ["x"]),
    ],
)  # fmt: skip
def test_conversation_timeline_tolerates_odd_payloads(conversation: dict[str, Any], ids: list[str]) -> None:
    entries = conversation_timeline(conversation)
    assert [e.id for e in entries] == ids
    for entry in entries:
        assert isinstance(entry.to_dict()["author"], dict)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hi <b>there</b>,</p><p>Thanks &amp; bye&nbsp;&lt;3</p>", "Hi there,\nThanks & bye <3"),
        ("<p>one<br>two</p><p></p><p>three</p>", "one\ntwo\nthree"),
        ("<p>a<br><br>b</p>", "a\n\nb"),
        ('<a href="https://x.io/a">docs</a> and <a href="https://y.io">https://y.io</a>', "docs (https://x.io/a) and https://y.io"),
        ('<a href="mailto:a@b.io">a@b.io</a>', "a@b.io"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ("<pre>code\n  indented</pre>", "code\n  indented"),
        ('<img src="https://img/x.png" alt="screenshot">', "[image: screenshot]"),
        ("<style>p {color: red}</style><p>shown</p>", "shown"),
        ("  spaced \n  out  ", "spaced out"),
        ("a &lt; b &#8212; c", "a < b \u2014 c"),
    ],
)  # fmt: skip
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


# -- search query rules -------------------------------------------------------------------

FILTER = {"field": "state", "operator": "=", "value": "open"}
THREE_LEVELS = {"operator": "AND", "value": [{"operator": "OR", "value": [{"operator": "AND", "value": [FILTER]}]}]}
SIXTEEN = {"operator": "AND", "value": [FILTER] * 16}
SIXTEEN_NESTED = {"operator": "AND", "value": [FILTER, {"operator": "OR", "value": [FILTER] * 16}]}
SEARCH_TOOLS = ["list_all_intercom_search_conversations", "list_all_intercom_search_tickets",
                "list_all_intercom_search_contacts"]  # fmt: skip
DEPTH_RULE = "at most 2 levels of AND/OR groups"
COUNT_RULE = "at most 15 filters per AND/OR group"


@pytest.mark.anyio
@pytest.mark.parametrize("tool", SEARCH_TOOLS)
@pytest.mark.parametrize(
    ("query", "needles"),
    [
        (THREE_LEVELS, ["query.value[0].value[0]", "nested 3 levels deep", DEPTH_RULE]),
        (SIXTEEN, ["query.value holds 16 filters", COUNT_RULE]),
        (SIXTEEN_NESTED, ["query.value[1].value holds 16 filters", COUNT_RULE]),
        ({"field": "id", "operator": "IN", "value": "1"}, ["query.value must be an array for operator IN"]),
    ],
    ids=["three-levels", "sixteen-filters", "sixteen-nested", "in-needs-array"],
)
async def test_search_rules_are_refused_before_sending(tool: str, query: dict[str, Any], needles: list[str]) -> None:
    upstream = Upstream()
    async with connect(upstream) as c:
        result = await c.call_tool(tool, {"query": query})
    text = text_of(result)
    assert result.is_error is True
    assert text.startswith(f"invalid arguments for {tool}: ") and "Nothing was sent" in text
    for needle in needles:
        assert needle in text
    assert "allowed shapes" not in text  # the rule, not the schema's generic oneOf message
    assert not upstream.requests


@pytest.mark.anyio
async def test_search_at_the_limits_is_sent_exactly() -> None:
    query = {"operator": "AND", "value": [*[FILTER] * 14, {"operator": "OR", "value": [FILTER] * 15}]}
    body = {"type": "conversation.list", "conversations": [], "total_count": 0, "pages": None}
    upstream = Upstream(lambda r: httpx.Response(200, json=body))
    async with connect(upstream) as c:
        result = await c.call_tool(
            "list_all_intercom_search_conversations",
            {"query": query, "pagination": {"per_page": 5, "starting_after": "abc"}},
        )
    assert result.is_error is False, text_of(result)
    sent = upstream.requests[0]
    assert (sent.method, sent.url.path) == ("POST", "/conversations/search")
    assert json.loads(sent.content) == {"query": query, "pagination": {"per_page": 5, "starting_after": "abc"}}


@pytest.mark.parametrize("query", [THREE_LEVELS, SIXTEEN], ids=["three-levels", "sixteen-filters"])
def test_typed_client_refuses_broken_search_queries(query: dict[str, Any]) -> None:
    upstream = Upstream()
    with sync_client(upstream) as client:
        with pytest.raises(ArgumentError) as caught:
            client.conversations.search(query=query)
        with pytest.raises(ArgumentError):
            client.tickets.search(query=query)
        with pytest.raises(ArgumentError):
            client.contacts.search(query=query)
    assert DEPTH_RULE in str(caught.value) or COUNT_RULE in str(caught.value)
    assert "Nothing was sent" in str(caught.value)
    assert not upstream.requests


def test_typed_client_checks_models_too() -> None:
    upstream = Upstream(lambda r: httpx.Response(200, json={"type": "ticket.list", "tickets": []}))
    nested = models.SearchNestedFilterGroup(operator="OR", value=[models.SearchFilter(**FILTER)] * 2)
    query = models.SearchFilterGroup(operator="AND", value=[models.SearchFilter(field="id", operator="IN", value="x"),
                                                            nested])  # fmt: skip
    with sync_client(upstream) as client, pytest.raises(ArgumentError, match="must be an array for operator IN"):
        client.tickets.search(query=query)
    assert not upstream.requests


def test_search_query_problems_unit() -> None:
    assert search_query_problems(FILTER) == []
    assert search_query_problems({"operator": "OR", "value": [FILTER] * 15}) == []
    assert search_query_problems({"field": "x", "operator": "=", "value": [1, 2]}) == [
        "query.value must not be an array for operator '='; use IN or NIN for a list"
    ]
    assert search_query_problems("not a query") == []  # the shape is the schema's business
    assert len(search_query_problems({"operator": "AND", "value": [SIXTEEN, THREE_LEVELS]})) == 2


# -- conversation manage ------------------------------------------------------------------

ADMIN = "814860"


@pytest.mark.anyio
async def test_manage_snooze_is_refused_naming_the_allowed_values() -> None:
    upstream = Upstream()
    async with connect(upstream) as c:
        result = await c.call_tool(
            "intercom_conversations_manage",
            {"conversation_id": "4242", "message_type": "snooze", "admin_id": ADMIN, "snoozed_until": T0},
        )
    text = text_of(result)
    assert result.is_error is True
    assert 'message_type must be one of "close", "snoozed", "open", "assignment"; got "snooze"' in text
    assert not upstream.requests


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"message_type": "snoozed", "admin_id": ADMIN}, "snoozed_until is required"),
        ({"message_type": "assignment", "type": "admin", "admin_id": ADMIN}, "assignee_id is required"),
        ({"message_type": "close", "admin_id": ADMIN}, "type is required"),
        ({"message_type": "open"}, "admin_id is required"),
        ({"message_type": "open", "admin_id": ADMIN, "snoozed_until": T0}, "unknown argument(s) snoozed_until"),
    ],
)
async def test_manage_shapes_are_validated(body: dict[str, Any], needle: str) -> None:
    """The arguments are flat; each shape's own rules are checked before anything is sent."""
    upstream = Upstream()
    async with connect(upstream) as c:
        result = await c.call_tool("intercom_conversations_manage", {"conversation_id": "4242", **body})
    assert result.is_error is True and needle in text_of(result)
    assert not upstream.requests


@pytest.mark.anyio
async def test_manage_four_shapes_are_sent_as_given() -> None:
    bodies = [
        {"message_type": "close", "type": "admin", "admin_id": ADMIN, "body": "Resolved."},
        {"message_type": "snoozed", "admin_id": ADMIN, "snoozed_until": T0 + 86400},
        {"message_type": "open", "admin_id": ADMIN},
        {"message_type": "assignment", "type": "team", "admin_id": ADMIN, "assignee_id": "5"},
    ]
    upstream = Upstream(lambda r: httpx.Response(200, json={"type": "conversation", "id": "4242"}))
    async with connect(upstream) as c:
        for body in bodies:
            result = await c.call_tool("intercom_conversations_manage", {"conversation_id": "4242", **body})
            assert result.is_error is False, text_of(result)
    assert [json.loads(r.content) for r in upstream.requests] == bodies
    assert {r.url.path for r in upstream.requests} == {"/conversations/4242/parts"}


# -- company scroll -----------------------------------------------------------------------

COMPANY = {"type": "company", "id": "6762f0971bb69f9f2193bb2b", "name": "Acme", "company_id": "acme"}


@pytest.mark.anyio
async def test_scroll_result_puts_the_next_scroll_param_first() -> None:
    pages = iter([
        {"type": "list", "data": [COMPANY], "pages": None, "total_count": None, "scroll_param": "sp-1"},
        {"type": "list", "data": [], "pages": None, "total_count": None, "scroll_param": "sp-2"},
    ])  # fmt: skip
    upstream = Upstream(lambda r: httpx.Response(200, json=next(pages)))
    async with connect(upstream) as c:
        first = await c.call_tool("intercom_companies_scroll", {})
        last = await c.call_tool("intercom_companies_scroll", {"scroll_param": "sp-1"})
    assert first.is_error is False and last.is_error is False
    data = first.structured_content
    assert list(data)[:2] == ["next_scroll_param", "scroll_note"]
    assert data["next_scroll_param"] == "sp-1" and data["data"] == [COMPANY] and data["scroll_param"] == "sp-1"
    assert "intercom_companies_scroll" in data["scroll_note"] and "60 seconds" in data["scroll_note"]
    assert text_of(first).startswith('{"next_scroll_param":"sp-1"')
    done = last.structured_content
    assert "next_scroll_param" not in done and "finished" in done["scroll_note"]  # a null member is dropped
    assert "scroll_param" not in upstream.requests[0].url.params
    assert upstream.requests[1].url.params["scroll_param"] == "sp-1"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("arguments", "status", "needles"),
    [
        ({"scroll_param": "sp-old"}, 404, ["cannot be continued", "without scroll_param", "60 seconds"]),
        ({"scroll_param": "sp-old"}, 400, ["cannot be continued", "without scroll_param"]),
        ({"scroll_param": "sp-old"}, 500, ["cannot be continued", "without scroll_param"]),
        ({}, 400, ["one open scroll per workspace", "without scroll_param"]),
    ],
    ids=["expired-404", "expired-400", "network-500", "second-scroll"],
)
async def test_scroll_errors_say_how_to_restart(arguments: dict[str, Any], status: int, needles: list[str]) -> None:
    body = error_list("parameter_invalid", "scroll parameter not found")
    upstream = Upstream(lambda r: httpx.Response(status, json=body))
    async with connect(upstream) as c:
        result = await c.call_tool("intercom_companies_scroll", arguments)
    text = text_of(result)
    assert result.is_error is True
    for needle in needles:
        assert needle in text
    assert text.index(needles[0]) < text.index(f"Intercom answered HTTP {status}")  # the advice comes first
    assert "scroll parameter not found" in text  # the vendor's own message is kept


@pytest.mark.anyio
async def test_scroll_unrelated_errors_get_no_advice() -> None:
    upstream = Upstream(lambda r: httpx.Response(401, json=error_list("unauthorized", "Access Token Invalid")))
    async with connect(upstream) as c:
        result = await c.call_tool("intercom_companies_scroll", {"scroll_param": "sp-1"})
    text = text_of(result)
    assert result.is_error is True and text.startswith("Intercom answered HTTP 401: Access Token Invalid")


# -- descriptions ---------------------------------------------------------------------------

DESCRIPTION_RULES = {
    "intercom_conversations_reply": ["`admin_id`", "`intercom_admins_me`", "`list_all_intercom_admins`",
                                     "Required for every admin reply"],
    "intercom_conversations_manage": ["`admin_id`", "`intercom_admins_me`", "`list_all_intercom_admins`",
                                      "`close`", "`snoozed`", "not `snooze`", "`snoozed_until`", "`open`",
                                      "`assignment`", "`assignee_id`", "`list_all_intercom_teams`"],
    "intercom_tickets_reply": ["`admin_id`", "`intercom_admins_me`", "`list_all_intercom_admins`",
                               "not the inbox number"],
    "create_a_intercom_ticket": ["`ticket_type_id` comes from `list_all_intercom_ticket_types`",
                                 "exactly one contact", "`_default_title_`", "`_default_description_`",
                                 "`ticket_attributes`", "must not be used in API calls"],
    "get_single_intercom_ticket_by_id": ["internal `id`, not the inbox number"],
    "update_a_intercom_ticket_by_id": ["internal `id`, not the inbox number"],
    "intercom_companies_scroll": ["one scroll", "60 seconds", "promptly", "without scroll_param",
                                  "`next_scroll_param`"],
    "get_single_intercom_conversation_by_id": ["`timeline`", "ISO 8601 UTC", "sorted by time", "plain text"],
}  # fmt: skip
SEARCH_RULES = ["`{field, operator, value}`", "AND|OR", "two deep", "15", "`IN`", "`NIN`", "`~`", "`!~`", "`^`",
                "`$`", "strings", "integers and dates", "array value", "`pagination.per_page`",
                "`next`: the next call's arguments"]  # fmt: skip


@pytest.mark.anyio
async def test_descriptions_state_the_rules() -> None:
    async with connect(Upstream()) as c:
        listed = {t.name: t for t in (await c.list_tools()).tools}
    problems = []
    rules = {**DESCRIPTION_RULES, **{name: SEARCH_RULES for name in SEARCH_TOOLS}}
    for name, needles in rules.items():
        description = listed[name].description or ""
        problems += [f"{name}: {needle!r} missing" for needle in needles if needle not in description]
    assert not problems, "\n".join(problems)
    assert "timeline" in (listed["get_single_intercom_conversation_by_id"].output_schema or {})["properties"]
    scroll_output = listed["intercom_companies_scroll"].output_schema or {}
    assert {"next_scroll_param", "scroll_note", "scroll_param"} <= set(scroll_output["properties"])


def test_search_schema_is_bounded() -> None:
    """The recursive vendor filter is two explicit levels: no $ref cycle, no unbounded nesting."""
    schema = TOOL_SPECS["list_all_intercom_search_conversations"].input_schema
    text = json.dumps(schema)
    assert "$ref" not in text and len(text) < 8000
    group = next(b for b in schema["properties"]["query"]["oneOf"] if "operator" in b["properties"]
                 and b["properties"]["operator"].get("enum") == ["AND", "OR"])  # fmt: skip
    assert group["properties"]["value"]["maxItems"] == 15
    nested = next(b for b in group["properties"]["value"]["items"]["oneOf"] if b["properties"]["value"].get("maxItems"))
    assert nested["properties"]["value"]["items"]["required"] == ["field", "operator", "value"]


# -- rate limits ------------------------------------------------------------------------------


def rate_limited(reset_at: int) -> Callable[[httpx.Request], httpx.Response]:
    headers = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset_at)}
    body = error_list("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
    return lambda r: httpx.Response(429, json=body, headers=headers)


@pytest.mark.anyio
async def test_rate_limited_tool_call_reports_the_reset_in_seconds() -> None:
    upstream = Upstream(rate_limited(int(time.time()) + 30))
    async with connect(upstream) as c:
        result = await c.call_tool("list_all_intercom_admins", {})
    text = text_of(result)
    assert result.is_error is True and len(upstream.requests) == 1  # passed through, not retried
    assert "Intercom answered HTTP 429: Exceeded rate limit of 167 in 10_seconds" in text
    assert result.meta is not None
    assert result.meta["ratelimit-limit"] == 1000 and result.meta["ratelimit-remaining"] == 0
    assert 25 <= result.meta["ratelimit-reset"] <= 30
    found = re.search(r"ratelimit-reset: (\d+)", text)
    assert found is not None and int(found.group(1)) == result.meta["ratelimit-reset"]
    assert f"Wait {result.meta['ratelimit-reset']} s" in text


def test_rate_limited_client_call_raises_with_the_normalised_fields() -> None:
    upstream = Upstream(rate_limited(int(time.time()) + 30))
    with sync_client(upstream) as client, pytest.raises(RateLimitError) as caught:
        client.admins.list()
    limit = caught.value.ratelimit
    assert (limit.limit, limit.remaining) == (1000, 0)
    assert limit.reset is not None and 25 <= limit.reset <= 30
    assert caught.value.status == 429 and len(upstream.requests) == 1


def test_intercom_reset_header_is_a_unix_time() -> None:
    headers = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "12", "X-RateLimit-Reset": str(T0 + 7)}
    limit = parse_ratelimit(headers, API.ratelimit, now=T0)
    assert limit.as_fields() == {"ratelimit-limit": 1000, "ratelimit-remaining": 12, "ratelimit-reset": 7}
    assert parse_ratelimit(headers, API.ratelimit, now=T0 + 60).reset == 0  # already past: no negative waits


# -- the generator side of the hook extensions ------------------------------------------------

HOOKED = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      x-tool:
        resource: things
        kind: get
{hooks}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {response}
"""
OBJECT = "{type: object, properties: {id: {type: string}}}"


def build_hooked(tmp_path: Path, hooks: str, response: str = OBJECT) -> Any:
    path = tmp_path / "doc.yaml"
    path.write_text(HOOKED.format(hooks=textwrap.indent(textwrap.dedent(hooks).strip(), " " * 8), response=response))
    api = build_ir(load_document(path), "pkg")
    return api


def test_hook_extensions_reach_the_ir(tmp_path: Path) -> None:
    api = build_hooked(
        tmp_path,
        """
        result: {transform: conversation_timeline}
        checks: {id: search_query}
        errors:
          - {status: [404, 410], given: id, message: "Gone:   look it up again."}
          - {status: 400, absent: id, message: Bad.}
        """,
    )
    (op,) = api.operations
    assert op.checks == (("id", "search_query"),)
    assert op.tool.transform == "conversation_timeline"
    assert list(op.tool.output_schema["properties"]) == ["timeline", "id"]
    assert "`timeline`" in op.tool.description
    assert [(h.status, h.message, h.given, h.absent) for h in op.tool.error_hints] == [
        ((404, 410), "Gone: look it up again.", "id", None),
        ((400,), "Bad.", None, "id"),
    ]
    assert api.exports == (("timeline", "TimelineEntry"), ("timeline", "conversation_timeline"))


@pytest.mark.parametrize(
    ("hooks", "response", "message"),
    [
        ("result: {transform: nope}", OBJECT, "unknown transform 'nope'; known: conversation_timeline, scroll_next"),
        ("result: {transform: scroll_next}", "{type: string}", "a result transform needs a JSON object response"),
        ("checks: {q: search_query}", OBJECT, "'q' is not an argument of this tool"),
        ("checks: {id: spelling}", OBJECT, "unknown check 'spelling'; known: search_query"),
        ("errors: [{status: 200, message: x}]", OBJECT, "status must be an HTTP error status (400-599) or a list"),
        ("errors: [{status: 404}]", OBJECT, "x-tool.errors[0].message: is required"),
        ("errors: [{status: 404, given: nope, message: x}]", OBJECT, "'nope' is not an argument of this tool"),
    ],
)
def test_bad_hook_extensions_fail_generation(tmp_path: Path, hooks: str, response: str, message: str) -> None:
    with pytest.raises(GenerationError) as info:
        build_hooked(tmp_path, hooks, response)
    assert message in str(info.value)
    assert "paths./things/{id}.get.x-tool" in str(info.value)


# -- against the mock (helpdesk_mock), on an injected clock ----------------------------------


@asynccontextmanager
async def mock_session(now: list[float]) -> AsyncIterator[Client]:
    mock_app = pytest.importorskip("tests.mocks")
    app = mock_app.create_app("intercom", clock=lambda: now[0])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    client = AsyncIntercomClient(access_token=TOKEN, base_url="http://mock", http_client=http)
    try:
        async with Client(create_server(client)) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


@pytest.mark.anyio
async def test_scroll_against_the_mock_expires_and_restarts() -> None:
    now = [float(T0)]
    async with mock_session(now) as c:
        first = await c.call_tool("intercom_companies_scroll", {})
        assert first.is_error is False, text_of(first)
        param = first.structured_content["next_scroll_param"]
        second_scroll = await c.call_tool("intercom_companies_scroll", {})
        now[0] += 61  # unused for more than a minute
        expired = await c.call_tool("intercom_companies_scroll", {"scroll_param": param})
        restarted = await c.call_tool("intercom_companies_scroll", {})
        seen = list(restarted.structured_content["data"])
        result = restarted
        while result.structured_content.get("next_scroll_param"):
            now[0] += 5
            result = await c.call_tool(
                "intercom_companies_scroll", {"scroll_param": result.structured_content["next_scroll_param"]}
            )
            assert result.is_error is False, text_of(result)
            seen += result.structured_content.get("data", [])  # empty (so left out) once finished
        companies = await c.call_tool("list_all_intercom_companies", {"per_page": 50})
    assert param and first.structured_content["data"]
    assert second_scroll.is_error is True and "one open scroll per workspace" in text_of(second_scroll)
    assert expired.is_error is True and "Restart from the beginning" in text_of(expired)
    assert restarted.is_error is False and restarted.structured_content["next_scroll_param"]
    assert "finished" in result.structured_content["scroll_note"]
    assert sorted(c["id"] for c in seen) == sorted(c["id"] for c in companies.structured_content["data"])


@pytest.mark.anyio
async def test_every_mock_conversation_has_an_ordered_timeline() -> None:
    async with mock_session([float(T0)]) as c:
        listed = await c.call_tool("list_all_intercom_conversations", {"per_page": 150})
        ids = [item["id"] for item in listed.structured_content["conversations"]]
        results = [
            await c.call_tool("get_single_intercom_conversation_by_id", {"conversation_id": i, "fields": "*"})
            for i in ids
        ]
    assert ids
    for result in results:
        assert result.is_error is False, text_of(result)
        timeline = result.structured_content["timeline"]
        parts = (result.structured_content.get("conversation_parts") or {}).get("conversation_parts") or []
        assert len(timeline) == 1 + len(parts) and timeline[0]["part_type"] == "source"
        times = [e["created_at"] for e in timeline[1:]]
        assert times == sorted(times)
        assert not any(re.search(r"</?[a-zA-Z][^>]*>", e.get("body", "")) for e in timeline)  # no HTML left
