"""Results that fit a context window (``_runtime/results.py``): compaction, confirmations,
projection, paging as arguments and the budget, on their own and through the tools."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from generated.desk365 import API as DESK365_API
from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.host import ToolHost
from generated.desk365._runtime.results import compact, shape, to_text
from generated.desk365._runtime.spec import Paging, View
from generated.desk365.tools import TOOLS as DESK365_TOOLS
from generated.intercom import API as INTERCOM_API
from generated.intercom import AsyncIntercomClient
from generated.intercom._runtime.host import ToolHost as IntercomHost
from generated.intercom.tools import TOOLS as INTERCOM_TOOLS
from tests.anydoc import Packages, Upstream, call_tool, text
from tests.mocks import create_app

pytestmark = pytest.mark.anyio


# -- the rules ----------------------------------------------------------------------------


def test_compact_drops_null_and_empty_members_at_every_depth_but_keeps_list_items() -> None:
    value = {"a": None, "b": "", "c": [], "d": {}, "e": 0, "f": False, "g": {"h": None, "i": [None, {"j": None}]}}
    assert compact(value) == {"e": 0, "f": False, "g": {"i": [None, {}]}}
    assert to_text({"x": "é", "y": [1, 2]}) == '{"x":"é","y":[1,2]}'


def test_a_write_confirms_with_identifiers_and_the_short_members_it_set() -> None:
    view = View(write=True, keep=("ticket_number", "status"))
    answer = {"ticket_number": 91, "status": "Open", "subject": "Printer", "description": "x" * 500, "sla": "Gold"}
    given = {"ticket_number": 91, "subject": "Printer", "description": "x" * 500}
    assert shape(view, answer, given) == {"ticket_number": 91, "status": "Open", "subject": "Printer"}
    assert shape(view, {"other": 1}, {}) == {"other": 1}  # nothing to confirm with: the answer as it is


def test_bulky_members_are_left_out_unless_asked_and_fields_projects() -> None:
    view = View(omit=("description", "source.body"), items="tickets", fields="fields")
    answer = {
        "count": 2,
        "tickets": [
            {"ticket_number": 1, "subject": "a", "description": "long", "source": {"body": "b", "id": "s1"}},
            {"ticket_number": 2, "subject": "b", "description": "long", "assigned_to": "x@y"},
        ],
    }
    default = shape(view, answer, {})
    assert default["tickets"][0] == {"ticket_number": 1, "subject": "a", "source": {"id": "s1"}}
    assert shape(view, answer, {"fields": "*"}) == answer
    picked = shape(view, answer, {"fields": "subject"})  # a name inside each item; identifiers kept
    assert picked == {"tickets": [{"ticket_number": 1, "subject": "a"}, {"ticket_number": 2, "subject": "b"}]}
    assert shape(view, answer, {"fields": "count,tickets.assigned_to"}) == {
        "count": 2, "tickets": [{}, {"assigned_to": "x@y"}]
    }  # fmt: skip
    assert shape(view, answer, {"fields": "nothing_like_it"}) == default | {"tickets": answer["tickets"]}


def test_offset_paging_gives_the_next_call_from_the_next_page_url() -> None:
    paging = Paging("offset", "offset", "ticket_count", 30, "next_page", text=True, items="tickets")
    view = View(items="tickets", fields="fields")
    page = {"count": 30, "tickets": [{"ticket_number": i} for i in range(30)],
            "next_page": "https://acme.desk365.io/apis/v3/tickets?offset=30&ticket_count=30"}  # fmt: skip
    out = shape(view, page, {"ticket_count": "30"}, paging=paging)
    assert out["has_more"] is True and out["next"] == {"offset": "30"} and "next_page" not in out
    last = shape(
        view, {"count": 3, "tickets": [{"ticket_number": 1}], "next_page": None}, {"offset": "60"}, paging=paging
    )
    assert last["has_more"] is False and "next" not in last


def test_offset_paging_without_a_url_counts_the_page() -> None:
    view = View(items="contacts")
    paging = Paging("offset", "offset", None, 30, None, text=True, items="contacts")
    full = shape(view, {"contacts": [{"id": i} for i in range(30)]}, {"offset": "30"}, paging=paging)
    assert full["next"] == {"offset": "60"}
    short = shape(view, {"contacts": [{"id": 1}]}, {}, paging=paging)
    assert short["has_more"] is False


def test_cursor_paging_rebuilds_a_nested_argument() -> None:
    paging = Paging("cursor", "pagination.starting_after", "pagination.per_page", 20, "pages.next.starting_after")
    view = View(items="conversations")
    page = {"conversations": [{"id": "1"}], "pages": {"next": {"starting_after": "abc"}, "total_pages": 3}}
    out = shape(view, page, {"query": {"field": "state"}, "pagination": {"per_page": 5}}, paging=paging)
    assert out["next"] == {"pagination": {"per_page": 5, "starting_after": "abc"}}
    end = shape(view, {"conversations": [{"id": "1"}], "pages": {"next": None}}, {}, paging=paging)
    assert end["has_more"] is False


def test_the_budget_cuts_whole_items_and_says_how_to_get_the_rest() -> None:
    items = [{"ticket_number": i, "subject": "s" * 200} for i in range(100)]
    offset = Paging("offset", "offset", "ticket_count", 30, None, text=True, items="tickets")
    cut = shape(View(items="tickets"), {"tickets": items}, {"offset": "100"}, budget=4000, paging=offset)
    assert len(to_text(cut).encode()) <= 4000
    kept = len(cut["tickets"])
    assert 0 < kept < 100 and cut["tickets"] == items[:kept]  # whole items, in order
    assert cut["truncated"]["items_left_out"] == 100 - kept and cut["next"] == {"offset": str(100 + kept)}
    cursor = Paging("cursor", "starting_after", "per_page", 20, "pages.next.starting_after", items="data")
    page = {"data": items, "pages": {"next": {"starting_after": "zz"}}}
    cut = shape(View(items="data"), page, {"per_page": 100}, budget=4000, paging=cursor)
    assert "next" not in cut and cut["truncated"]["retry_with"] == {"per_page": len(cut["data"])}
    plain = shape(View(), {"rows": items}, {}, budget=4000)
    assert plain["truncated"]["items_left_out"] > 0 and "fields" in plain["truncated"]["how"]


# -- through the tools, against the mocks --------------------------------------------------


def desk365_host(**options: Any) -> ToolHost:
    http = httpx.AsyncClient(transport=create_app("desk365").transport())
    return ToolHost(DESK365_API, DESK365_TOOLS, AsyncDesk365Client(api_key="k", base_url="http://m", http_client=http),
                    **options)  # fmt: skip


def intercom_host() -> IntercomHost:
    http = httpx.AsyncClient(transport=create_app("intercom").transport())
    client = AsyncIntercomClient(access_token="t", base_url="http://m", http_client=http)
    return IntercomHost(INTERCOM_API, INTERCOM_TOOLS, client)


async def test_a_default_list_page_is_at_most_half_its_raw_body_with_every_identifier() -> None:
    raw_app = create_app("desk365")
    with httpx.Client(transport=raw_app.sync_transport(), base_url="http://m") as http:
        raw = http.get("/v3/tickets", headers={"Authorization": "k"}).json()
    result = await desk365_host().call("list_all_desk_365_tickets", {})
    text = result.content[0].text
    assert len(text.encode()) <= len(to_text(raw).encode()) / 2  # against the raw body, compact JSON
    assert [t["ticket_number"] for t in json.loads(text)["tickets"]] == [t["ticket_number"] for t in raw["tickets"]]
    assert json.loads(text)["next"] == {"offset": "30"}


async def test_no_result_is_over_the_budget_and_the_next_call_continues_the_cut() -> None:
    host = desk365_host(result_tokens=2000)  # 8,000 bytes
    first = await host.call("list_all_desk_365_tickets", {"ticket_count": 100})
    data = json.loads(first.content[0].text)
    assert len(first.content[0].text.encode()) <= 8000 and data["truncated"]["items_left_out"] > 0
    second = await host.call("list_all_desk_365_tickets", {"ticket_count": 100, **data["next"]})
    more = json.loads(second.content[0].text)["tickets"]
    assert more[0]["ticket_number"] == data["tickets"][-1]["ticket_number"] - 1  # newest first, no gap


async def test_intercom_conversation_and_list_views() -> None:
    host = intercom_host()
    listed = json.loads((await host.call("list_all_intercom_conversations", {"per_page": "2"})).content[0].text)
    assert len(listed["conversations"]) == 2 and listed["has_more"] is True
    assert "statistics" not in listed["conversations"][0] and listed["next"]["starting_after"]
    assert listed["conversations"][0]["source"]["body"]  # the customer's first message stays
    conv = (
        await host.call("get_single_intercom_conversation_by_id", {"conversation_id": "10934855"})
    ).structured_content
    assert "conversation_parts" not in conv and conv["timeline"][0]["part_type"] == "source"
    raw = await host.call("get_single_intercom_conversation_by_id", {"conversation_id": 10934855, "fields": ["*"]})
    assert raw.structured_content["conversation_parts"]["conversation_parts"]
    bad = await host.call("get_single_intercom_conversation_by_id", {"conversation_id": 10934855, "fields": 3})
    assert bad.is_error and "fields must be member names" in bad.content[0].text


async def test_intercom_ticket_types_and_tickets_leave_out_definitions_and_bookkeeping() -> None:
    """A ticket carries its whole type (attributes, states); the ticket-type tools have them."""
    host = intercom_host()
    types = (await host.call("list_all_intercom_ticket_types", {})).structured_content["data"]
    attribute = types[0]["ticket_type_attributes"]["ticket_type_attributes"][0]
    assert "workspace_id" not in types[0] and "created_at" not in attribute and "ticket_type_id" not in attribute
    assert attribute["required_to_create"] is True and types[0]["ticket_states"]["data"]  # what a create needs stays
    query = {"query": {"field": "open", "operator": "=", "value": True}}
    found = await host.call("list_all_intercom_search_tickets", query)
    ticket = found.structured_content["tickets"][0]
    assert set(ticket["ticket_type"]) >= {"id", "name"} and "ticket_type_attributes" not in ticket["ticket_type"]
    whole = await host.call("list_all_intercom_search_tickets", {**query, "fields": "*"})
    assert "ticket_type_attributes" in whole.structured_content["tickets"][0]["ticket_type"]
    assert len(found.content[0].text) * 2 < len(whole.content[0].text)
    one = await host.call("get_single_intercom_ticket_by_id", {"ticket_id": ticket["id"]})
    assert not one.is_error and "ticket_states" not in one.structured_content["ticket_type"]


# -- any document ---------------------------------------------------------------------------


async def test_a_search_sent_by_post_reads_and_a_create_confirms(fixtures: Packages) -> None:
    gen = fixtures.fixture("search_by_post")
    search, create = gen.op("search_orders").tool, gen.op("create_order").tool
    assert not search.view.write and search.view.items == "data" and search.view.fields == "fields"
    assert create.view.write and "fields" not in create.input_schema["properties"]
    orders = [{"id": f"o{i}", "status": "open", "note": "n" * 300, "lines": [{"sku": "a", "quantity": 1}]}
              for i in range(60)]  # fmt: skip
    upstream = Upstream(httpx.Response(200, json={"total_count": 60, "data": orders}))
    picked = await call_tool(gen, upstream, "search_orders", {"status": "open", "fields": "status"})
    assert json.loads(text(picked))["data"][:2] == [{"id": "o0", "status": "open"}, {"id": "o1", "status": "open"}]
    whole = json.loads(text(await call_tool(gen, upstream, "search_orders", {"status": "open"})))
    assert whole["data"] == orders  # 60 items of about 400 bytes: within the default budget
    upstream = Upstream(httpx.Response(201, json=orders[0]))
    made = json.loads(text(await call_tool(gen, upstream, "create_order", {"status": "open"})))
    assert made == {"id": "o0", "status": "open"}  # the identifier and what the call set, not the order
