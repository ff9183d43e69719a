"""Intercom's rules an assistant must follow, checked before anything is sent, and stated.

Search queries (at most two levels of AND/OR groups, at most 15 filters a group, IN and
NIN with arrays) are refused before sending by the tools and the typed client, and a query
at the limits is sent exactly; the conversation manage shapes are validated; and the tool
descriptions state these rules, with a search schema of bounded depth.
Helpers (the recording upstream, ``connect``, ``mock_session``): ``tests/intercom_quirks_helpers.py``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from generated.intercom import (
    ArgumentError,
    models,
)
from generated.intercom._runtime.search import search_query_problems
from tests.intercom_quirks_helpers import (
    T0,
    TOOL_SPECS,
    Upstream,
    connect,
    sync_client,
    text_of,
)

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
