"""The Intercom mock's search (single filters and operators, nested AND/OR, errors; tickets
and contacts too), cursor paging to the end, company page numbers, and the company scroll
(all companies, one at a time, expiry after 60 seconds).
Over HTTP in process (``create_app("intercom")`` through httpx and ``app.transport()``, an
injected clock, strict responses); the fixtures are in this folder's ``conftest.py``, the
helpers in ``helpers.py``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from helpdesk_mock.app import MockApp
from helpdesk_mock.intercom_fixtures import T0
from tests.mock_intercom.helpers import (
    BEN,
    CHECKOUT,
    LONG,
    MAYA,
    MERGED,
    REFUND,
    Clock,
    assert_error,
    conversation_ids,
    search,
)

pytestmark = pytest.mark.anyio


# -- search ----------------------------------------------------------------------------------------


def expected_ids(app: MockApp, predicate: Any) -> list[str]:
    convs = sorted(app.state.conversations.values(), key=lambda c: (c["updated_at"], int(c["id"])), reverse=True)
    return [c["id"] for c in convs if predicate(c)]


async def test_search_single_filters_and_operators(http: httpx.AsyncClient, app: MockApp) -> None:
    open_ids = await conversation_ids(http, {"field": "state", "operator": "=", "value": "open"})
    assert open_ids == expected_ids(app, lambda c: c["state"] == "open") and REFUND in open_ids
    assert set(await conversation_ids(http, {"field": "open", "operator": "=", "value": False})) == set(
        expected_ids(app, lambda c: c["state"] == "closed"))  # fmt: skip
    # source.body matches single words
    assert await conversation_ids(http, {"field": "source.body", "operator": "=", "value": "refund"}) == [
        REFUND, "10934712", "10934001"]  # fmt: skip
    assert await conversation_ids(http, {"field": "source.body", "operator": "=", "value": "refun"}) == []
    assert await conversation_ids(http, {"field": "source.body", "operator": "=", "value": "a refund"}) == []
    assert REFUND in await conversation_ids(http, {"field": "source.body", "operator": "~", "value": "refund"})
    # IN / NIN, inclusive > and <, string operators, ids compared as strings
    assert set(await conversation_ids(http, {"field": "id", "operator": "IN", "value": [int(REFUND), CHECKOUT]})) == {
        REFUND, CHECKOUT}  # fmt: skip
    assert len(await conversation_ids(http, {"field": "id", "operator": "NIN", "value": [REFUND]})) == 12
    created = app.state.conversations[CHECKOUT]["created_at"]
    after = await conversation_ids(http, {"field": "created_at", "operator": ">", "value": str(created)})
    assert set(after) == {CHECKOUT, REFUND}
    assert await conversation_ids(http, {"field": "created_at", "operator": "<", "value": T0 - 9 * 86400}) == [LONG]
    by_domain = {"field": "source.author.email", "operator": "$", "value": "@bluepeak.test"}
    assert await conversation_ids(http, by_domain) == [CHECKOUT, "10933100"]
    assert await conversation_ids(http, {"field": "source.author.name", "operator": "^", "value": "jordan"}) == [REFUND]
    assert await conversation_ids(http, {"field": "admin_assignee_id", "operator": "=", "value": int(BEN)}) == [REFUND]
    assert await conversation_ids(http, {"field": "tag_ids", "operator": "=", "value": "8100005"}) == [CHECKOUT]
    assert LONG in await conversation_ids(http, {"field": "statistics.count_reopens", "operator": ">=", "value": 1})
    assert await conversation_ids(http, {"field": "custom_attributes.Order number", "operator": "=",
                                         "value": "INV-20931"}) == [REFUND]  # fmt: skip
    assert await conversation_ids(http, {"field": "snoozed_until", "operator": "!=", "value": None}) == expected_ids(
        app, lambda c: c["snoozed_until"] is not None)  # fmt: skip


async def test_search_nested_and_or(http: httpx.AsyncClient, app: MockApp) -> None:
    query = {"operator": "AND", "value": [
        {"field": "state", "operator": "=", "value": "open"},
        {"operator": "OR", "value": [{"field": "tag_ids", "operator": "=", "value": "8100002"},
                                     {"field": "tag_ids", "operator": "=", "value": "8100003"}]},
    ]}  # fmt: skip
    found = await conversation_ids(http, query)

    def tagged(c: dict[str, Any], tag: str) -> bool:
        return any(t["id"] == tag for t in c["tags"])

    assert found == expected_ids(app, lambda c: c["state"] == "open" and (tagged(c, "8100002") or tagged(c, "8100003")))
    assert found == [REFUND, CHECKOUT, "10934712", LONG]
    either = {"operator": "OR", "value": [
        {"operator": "AND", "value": [{"field": "priority", "operator": "=", "value": "high"},
                                      {"field": "source.body", "operator": "=", "value": "checkout"}]},
        {"field": "read", "operator": "=", "value": "false"},
    ]}  # fmt: skip
    assert await conversation_ids(http, either) == expected_ids(
        app, lambda c: c["id"] == CHECKOUT or not c["read"])  # fmt: skip


async def test_search_errors(http: httpx.AsyncClient, app: MockApp) -> None:
    bad = [
        ({"field": "colour", "operator": "=", "value": "red"}, "invalid_field", "colour"),
        ({"field": "id", "operator": "IN", "value": "123"}, "parameter_invalid", "array"),
        ({"field": "created_at", "operator": "~", "value": "17"}, "parameter_invalid", "~"),
        ({"field": "created_at", "operator": ">", "value": "yesterday"}, "parameter_invalid", "yesterday"),
        ({"field": "open", "operator": "=", "value": "maybe"}, "parameter_invalid", "maybe"),
    ]
    for query, code, text in bad:
        assert_error(await search(http, "/conversations/search", query), 400, code, text)
    three_levels = {"operator": "AND", "value": [{"operator": "OR", "value": [
        {"operator": "AND", "value": [{"field": "state", "operator": "=", "value": "open"}]}]}]}  # fmt: skip
    assert_error(await search(http, "/conversations/search", three_levels), 400, "parameter_invalid")
    sixteen = {"operator": "OR", "value": [{"field": "id", "operator": "=", "value": str(n)} for n in range(16)]}
    assert_error(await search(http, "/conversations/search", sixteen), 400, "parameter_invalid")


async def test_ticket_and_contact_search(http: httpx.AsyncClient) -> None:
    tickets = await search(http, "/tickets/search", {"field": "category", "operator": "=", "value": "task"})
    assert [t["id"] for t in tickets.json()["tickets"]] == ["3847202"]
    display = await search(http, "/tickets/search", {"field": "category", "operator": "=", "value": "Back-office"})
    assert display.json()["tickets"] == []
    by_title = await search(http, "/tickets/search", {"operator": "AND", "value": [
        {"field": "title", "operator": "~", "value": "refund"},
        {"field": "state", "operator": "=", "value": "in_progress"},
        {"field": "ticket_attribute.200103", "operator": "=", "value": "INV-20877"}]})  # fmt: skip
    assert [t["ticket_id"] for t in by_title.json()["tickets"]] == ["41"]

    leads = await search(http, "/contacts/search", {"field": "role", "operator": "=", "value": "lead"},
                         sort={"field": "name", "order": "ascending"})  # fmt: skip
    assert [c["name"] for c in leads.json()["data"]] == ["Jordan Blake", "Noah Williams", None]
    # contact dates are matched by calendar day
    created = (await http.get(f"/contacts/{MAYA}")).json()["created_at"]
    same_day = await search(http, "/contacts/search", {"field": "created_at", "operator": "=", "value": created + 1})
    assert [c["id"] for c in same_day.json()["data"]] == [MAYA]
    assert_error(await search(http, "/contacts/search", {"field": "created_at", "operator": ">=", "value": created}),
                 400, "parameter_invalid")  # fmt: skip
    assert_error(await search(http, "/contacts/search", {"field": "tag_id", "operator": "IN", "value": ["8100004"]}),
                 400, "parameter_invalid")  # fmt: skip
    vip = await search(http, "/contacts/search", {"field": "tag_id", "operator": "=", "value": "8100004"})
    assert {c["name"] for c in vip.json()["data"]} == {"Maya Chen", "Aiko Tanaka"}
    merged = await search(http, "/contacts/search", {"field": "email", "operator": "=", "value": "m.chen@oldmail.test"})
    assert merged.json()["data"] == []


# -- paging ----------------------------------------------------------------------------------------


async def test_cursor_paging_until_the_end(http: httpx.AsyncClient, app: MockApp) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"per_page": 5, **({"starting_after": cursor} if cursor else {})}
        body = (await http.get("/conversations", params=params)).json()
        pages += 1
        assert body["total_count"] == 13 and body["pages"]["page"] == pages and body["pages"]["total_pages"] == 3
        seen += [c["id"] for c in body["conversations"]]
        nxt = body["pages"].get("next")
        if not nxt:
            break
        cursor = nxt["starting_after"]
    assert pages == 3 and seen == expected_ids(app, lambda c: True)

    found: list[str] = []
    body = {"query": {"field": "open", "operator": "=", "value": True}, "pagination": {"per_page": 4}}
    while True:
        page = (await http.post("/conversations/search", json=body)).json()
        found += [c["id"] for c in page["conversations"]]
        if not page["pages"].get("next"):
            break
        body["pagination"] = {"per_page": 4, "starting_after": page["pages"]["next"]["starting_after"]}
    assert found == expected_ids(app, lambda c: c["state"] != "closed")

    contacts = (await http.get("/contacts", params={"per_page": 10})).json()
    assert contacts["total_count"] == 12 and len(contacts["data"]) == 10
    rest = (await http.get("/contacts", params={"starting_after": contacts["pages"]["next"]["starting_after"]})).json()
    assert len(rest["data"]) == 2 and "next" not in rest["pages"]
    assert MERGED not in [c["id"] for c in contacts["data"] + rest["data"]]
    assert_error(await http.get("/conversations", params={"starting_after": "nonsense"}), 400, "parameter_invalid",
                 "starting_after")  # fmt: skip
    foreign = contacts["pages"]["next"]["starting_after"]  # a cursor of another list
    assert_error(await http.get("/conversations", params={"starting_after": foreign}), 400, "parameter_invalid")


async def test_company_page_numbers(http: httpx.AsyncClient) -> None:
    first = (await http.get("/companies", params={"per_page": 3})).json()
    assert (first["total_count"], first["pages"]["total_pages"], first["pages"]["next"]["page"]) == (8, 3, 2)
    last = (await http.get("/companies", params={"per_page": 3, "page": 3})).json()
    assert len(last["data"]) == 2 and "next" not in last["pages"]
    found = (await http.get("/companies", params={"name": "R&D / Ops #1"})).json()
    assert [c["company_id"] for c in found["data"]] == ["rd-007"]
    assert_error(await http.get("/companies", params={"company_id": "nope"}), 404, "company_not_found")
    vip = (await http.get("/companies", params={"tag_id": "8100004"})).json()
    assert {c["name"] for c in vip["data"]} == {"Northwind Traders", "Zephyr Logistics"}


# -- the company scroll ----------------------------------------------------------------------------


async def test_scroll_walks_all_companies_then_expires(http: httpx.AsyncClient, clock: Clock) -> None:
    first = (await http.get("/companies/scroll")).json()
    param = first["scroll_param"]
    batches = [[c["id"] for c in first["data"]]]
    while batches[-1]:
        clock.now += 59  # just inside the 60 seconds
        page = (await http.get("/companies/scroll", params={"scroll_param": param})).json()
        assert page["scroll_param"] == param
        batches.append([c["id"] for c in page["data"]])
    assert [len(b) for b in batches] == [3, 3, 2, 0]
    assert len({c for b in batches for c in b}) == 8
    # the end expired the scroll: its param is dead and a new scroll may start
    assert_error(await http.get("/companies/scroll", params={"scroll_param": param}), 404, "not_found",
                 "Restart the scroll without a scroll_param")  # fmt: skip
    again = (await http.get("/companies/scroll")).json()
    assert again["scroll_param"] != param and len(again["data"]) == 3


async def test_scroll_one_at_a_time_and_expiry_after_60_seconds(http: httpx.AsyncClient, clock: Clock) -> None:
    param = (await http.get("/companies/scroll")).json()["scroll_param"]
    assert_error(await http.get("/companies/scroll"), 400, "scroll_exists", "scroll already exists for this app")
    clock.now += 30
    assert (await http.get("/companies/scroll", params={"scroll_param": param})).status_code == 200
    clock.now += 59.9  # unused for 59.9 s since its last use: still alive
    assert_error(await http.get("/companies/scroll"), 400, "scroll_exists")
    assert (await http.get("/companies/scroll", params={"scroll_param": param})).status_code == 200
    clock.now += 60  # unused for 60 s: expired
    assert_error(await http.get("/companies/scroll", params={"scroll_param": param}), 404, "not_found", "expired")
    assert_error(await http.get("/companies/scroll", params={"scroll_param": "made-up"}), 404, "not_found")
    fresh = await http.get("/companies/scroll")
    assert fresh.status_code == 200 and fresh.json()["scroll_param"] != param
