"""The Intercom mock (helpdesk_mock/intercom*.py) over HTTP, in process.

Every test talks to ``create_app("intercom")`` through httpx and ``app.transport()``,
with an injected clock. The core runs with ``strict_responses`` (its default), so any
answer that drifts from openapi/intercom.yaml comes back as a 500 and fails the test
that provoked it; the fixture reads are also checked here with an independent JSON
Schema validator built from the document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from helpdesk_mock import MockSettings
from helpdesk_mock.app import MockApp
from helpdesk_mock.intercom import PLUGIN
from helpdesk_mock.intercom_fixtures import T0
from tests.mocks import create_app

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = yaml.safe_load((ROOT / "openapi" / "intercom.yaml").read_text())
HEADERS = {"Authorization": "Bearer tok-test", "Intercom-Version": "2.16"}
NOW = T0 + 3600
ME, BEN, CHLOE = "991267401", "991267402", "991267403"
SUPPORT, BILLING, ENGINEERING = "5810001", "5810002", "5810003"
MAYA, OMAR, JORDAN = "66f0c1d2e3a4b5c600000001", "66f0c1d2e3a4b5c600000002", "66f0c1d2e3a4b5c600000003"
MERGED = "66f0c1d2e3a4b5c60000000d"
NORTHWIND = "66f0c1d2e3a4b5c700000001"
REFUND, CHECKOUT, LONG = "10934855", "5099231", "10930077"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


pytestmark = pytest.mark.anyio


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(clock: Clock) -> MockApp:
    return create_app("intercom", clock=clock)


@pytest.fixture
async def http(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock", headers=HEADERS) as client:
        yield client


def schema_validator(name: str) -> jsonschema.Draft202012Validator:
    """An independent validator for ``#/components/schemas/<name>`` of the document."""
    registry: Registry[Any] = Registry().with_resource(
        "urn:intercom", Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
    )
    return jsonschema.Draft202012Validator({"$ref": f"urn:intercom#/components/schemas/{name}"}, registry=registry)


def assert_error(response: httpx.Response, status: int, code: str, text: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error.list"
    assert isinstance(body["request_id"], str) and len(body["request_id"]) == 36
    assert body["errors"][0]["code"] == code, body
    assert text in body["errors"][0]["message"], body
    schema_validator("Error").validate(body)
    return body


def part_types(conversation: dict[str, Any]) -> list[str]:
    return [p["part_type"] for p in conversation["conversation_parts"]["conversation_parts"]]


async def search(http: httpx.AsyncClient, path: str, query: dict[str, Any], **extra: Any) -> httpx.Response:
    return await http.post(path, json={"query": query, **extra})


async def conversation_ids(http: httpx.AsyncClient, query: dict[str, Any]) -> list[str]:
    response = await search(http, "/conversations/search", query, pagination={"per_page": 150})
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["conversations"]]


# -- the plugin as a whole -------------------------------------------------------------------------


def test_every_operation_has_a_handler() -> None:
    operations = {
        op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values() if "operationId" in op
    }
    assert len(operations) == 92
    assert set(PLUGIN.handlers) == operations


def test_fixtures_are_deterministic(clock: Clock) -> None:
    first, second = create_app("intercom", clock=clock), create_app("intercom", clock=Clock(0))
    render = [first.state.render_conversation(c, parts=True) for c in first.state.conversations.values()]
    assert render == [second.state.render_conversation(c, parts=True) for c in second.state.conversations.values()]
    assert first.state.contacts == second.state.contacts and first.state.tickets == second.state.tickets


READS = [
    ("/conversations", "ConversationList"), (f"/conversations/{LONG}", "Conversation"),
    ("/ticket_types", "TicketTypeList"), ("/ticket_types/2002", "TicketType"), ("/tickets/3847201", "Ticket"),
    ("/visitors?user_id=3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83", "Visitor"), ("/contacts", "ContactList"),
    (f"/contacts/{MAYA}", "Contact"), ("/companies", "CompanyList"), (f"/companies/{NORTHWIND}", "Company"),
    ("/companies/scroll", "CompanyScroll"), ("/admins", "AdminList"), (f"/admins/{BEN}", "Admin"),
    ("/me", "AdminWithApp"), ("/teams", "TeamList"), ("/articles", "ArticleList"), ("/articles/7700001", "Article"),
    ("/articles/search?phrase=refund&highlight=true", "ArticleSearchResponse"),
    ("/help_center/help_centers", "HelpCenterList"), ("/help_center/help_centers/3001", "HelpCenter"),
    ("/help_center/collections", "CollectionList"), ("/help_center/collections/9003", "Collection"),
    ("/tags", "TagList"), ("/tags/8100002", "Tag"), ("/news/news_items", "NewsItemList"),
    ("/news/news_items/3300001", "NewsItem"), ("/news/newsfeeds", "NewsfeedList"), ("/news/newsfeeds/5501", "Newsfeed"),
    ("/news/newsfeeds/5501/items", "NewsItemList"),
]  # fmt: skip


async def test_fixture_reads_conform_to_the_document(http: httpx.AsyncClient, app: MockApp) -> None:
    assert app.settings.strict_responses
    for path, schema in READS:
        response = await http.get(path)
        assert response.status_code == 200, (path, response.text)
        schema_validator(schema).validate(response.json())
    assert [r.status for r in app.requests] == [200] * len(READS)


# -- conversations -------------------------------------------------------------------------------


async def test_conversation_parts_are_ordered_and_of_mixed_types(http: httpx.AsyncClient) -> None:
    conv = (await http.get(f"/conversations/{LONG}")).json()
    parts = conv["conversation_parts"]["conversation_parts"]
    assert conv["conversation_parts"]["total_count"] == len(parts) == 22
    assert {"comment", "note", "assignment", "default_assignment", "away_mode_assignment", "quick_reply", "snoozed",
            "unsnoozed", "close", "conversation_attribute_updated_by_admin"} <= set(part_types(conv))  # fmt: skip
    assert {p["author"]["type"] for p in parts} == {"admin", "user", "bot"}
    times = [p["created_at"] for p in parts]
    back_dated = [p["external_id"] for p, before in zip(parts[1:], times, strict=False) if p["created_at"] < before]
    assert back_dated == ["slack-8841", "crm-311"]  # imported notes: raw order is not time order
    assert [int(p["id"]) for p in parts] == sorted(int(p["id"]) for p in parts)
    assert conv["source"]["author"]["id"] == MAYA and conv["source"]["body"].startswith("<p>")
    assert (conv["state"], conv["team_assignee_id"], conv["admin_assignee_id"]) == ("open", int(ENGINEERING), 991267404)
    plain = (await http.get(f"/conversations/{CHECKOUT}", params={"display_as": "plaintext"})).json()
    steps = plain["conversation_parts"]["conversation_parts"][3]["body"]
    assert (
        "- Apply coupon SPRING25" in steps
        and "checkout-500.png (https://files.bluepeak.test/checkout-500.png)" in steps
    )
    assert "<" not in steps


async def test_conversation_lifecycle(http: httpx.AsyncClient, clock: Clock) -> None:
    created = await http.post(
        "/conversations", json={"from": {"type": "user", "id": OMAR}, "body": "Invoices are blank"}
    )
    assert created.status_code == 200, created.text
    message = created.json()
    assert message["type"] == "user_message" and message["body"] == "Invoices are blank"
    conv_id = message["conversation_id"]
    conv = (await http.get(f"/conversations/{conv_id}")).json()
    assert (conv["state"], conv["open"], conv["waiting_since"]) == ("open", True, NOW)
    assert conv["contacts"]["contacts"] == [{"type": "contact", "id": OMAR, "external_id": "usr_1002"}]
    assert conv["conversation_parts"]["conversation_parts"] == []
    listed = (await http.get("/conversations", params={"per_page": 1})).json()
    assert listed["conversations"][0]["id"] == conv_id and "conversation_parts" not in listed["conversations"][0]

    clock.now += 60
    reply = await http.post(f"/conversations/{conv_id}/reply", json={
        "type": "admin", "admin_id": ME, "message_type": "comment", "body": "<p>Looking into it.</p>",
        "attachment_files": [{"name": "guide.txt", "content_type": "text/plain", "data": "aGVsbG8="}]})  # fmt: skip
    conv = reply.json()
    last = conv["conversation_parts"]["conversation_parts"][-1]
    assert (last["part_type"], last["author"]["id"], last["created_at"]) == ("comment", ME, NOW + 60)
    assert last["attachments"][0]["filesize"] == 5 and conv["waiting_since"] is None
    assert conv["teammates"]["teammates"] == [{"type": "admin", "id": ME}]
    note = await http.post(f"/conversations/{conv_id}/reply", json={
        "type": "admin", "admin_id": int(BEN), "message_type": "note", "body": "internal"})  # fmt: skip
    assert part_types(note.json())[-1] == "note"
    contact_reply = await http.post(f"/conversations/{conv_id}/reply", json={
        "type": "user", "user_id": "usr_1002", "message_type": "comment", "body": "Thanks"})  # fmt: skip
    assert contact_reply.json()["conversation_parts"]["conversation_parts"][-1]["author"]["id"] == OMAR

    steps = [
        ({"message_type": "assignment", "type": "team", "admin_id": ME, "assignee_id": BILLING}, "open"),
        ({"message_type": "assignment", "type": "admin", "admin_id": ME, "assignee_id": int(BEN)}, "open"),
        ({"message_type": "snoozed", "admin_id": BEN, "snoozed_until": NOW + 3 * 86400}, "snoozed"),
        ({"message_type": "open", "admin_id": BEN}, "open"),
        ({"message_type": "close", "type": "admin", "admin_id": BEN, "body": "Resolved"}, "closed"),
    ]
    for body, expected in steps:
        response = await http.post(f"/conversations/{conv_id}/parts", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == expected
    conv = (await http.get(f"/conversations/{conv_id}")).json()
    assert part_types(conv) == ["comment", "note", "comment", "assignment", "assignment", "snoozed", "open", "close"]
    parts = conv["conversation_parts"]["conversation_parts"]
    assert parts[3]["assigned_to"] == {"type": "team", "id": BILLING}
    assert (conv["team_assignee_id"], conv["admin_assignee_id"], conv["open"]) == (int(BILLING), int(BEN), False)
    assert parts[-1]["body"] == "Resolved" and conv["snoozed_until"] is None
    assert conv["statistics"]["count_reopens"] == 0 and conv["statistics"]["last_closed_by_id"] == BEN

    # a customer's reply reopens a closed conversation
    reopened = await http.post(f"/conversations/{conv_id}/reply", json={
        "type": "user", "intercom_user_id": OMAR, "message_type": "comment", "body": "It is back"})  # fmt: skip
    assert reopened.json()["state"] == "open" and reopened.json()["waiting_since"] == NOW + 60
    assert reopened.json()["statistics"]["count_reopens"] == 1

    changes = {"title": "Blank invoices", "read": True, "custom_attributes": {"Issue type": "Billing"}}
    updated = await http.put(f"/conversations/{conv_id}", json=changes)
    assert (updated.json()["title"], updated.json()["custom_attributes"]) == (
        "Blank invoices",
        {"Issue type": "Billing"},
    )
    assert_error(await http.put(f"/conversations/{conv_id}", json={"custom_attributes": {"Nope": 1}}), 404,
                 "conversation_attribute_not_found")  # fmt: skip


async def test_admin_id_must_name_a_known_admin(http: httpx.AsyncClient, app: MockApp) -> None:
    before = len(app.state.conversations[REFUND]["parts"])
    cases = [
        (f"/conversations/{REFUND}/reply", {"type": "admin", "admin_id": "42", "message_type": "comment", "body": "x"}),
        (f"/conversations/{REFUND}/parts", {"message_type": "close", "type": "admin", "admin_id": 42}),
        (f"/conversations/{REFUND}/parts", {"message_type": "snoozed", "admin_id": "9912", "snoozed_until": NOW + 9}),
        (f"/conversations/{REFUND}/tags", {"id": "8100003", "admin_id": "7"}),
    ]  # fmt: skip
    for path, body in cases:
        assert_error(await http.post(path, json=body), 404, "admin_not_found", "Admin for admin_id not found")
    assert_error(await http.request("DELETE", f"/conversations/{REFUND}/tags/8100001", json={"admin_id": "0"}), 404,
                 "admin_not_found")  # fmt: skip
    assert len(app.state.conversations[REFUND]["parts"]) == before
    assert [t["id"] for t in app.state.conversations[REFUND]["tags"]] == ["8100001", "8100002"]


async def test_manage_rules(http: httpx.AsyncClient, app: MockApp) -> None:
    path = f"/conversations/{REFUND}/parts"
    before = len(app.state.conversations[REFUND]["parts"])
    refused = await http.post(path, json={"message_type": "snooze", "admin_id": ME, "snoozed_until": NOW + 60})
    assert_error(refused, 400, "parameter_invalid", "message_type")
    assert_error(await http.post(path, json={"message_type": "snoozed", "admin_id": ME, "snoozed_until": NOW - 1}),
                 400, "parameter_invalid", "future")  # fmt: skip
    for kind, assignee in (("admin", "5810001"), ("team", ME)):
        body = {"message_type": "assignment", "type": kind, "admin_id": ME, "assignee_id": assignee}
        assert_error(await http.post(path, json=body), 404, "assignee_not_found")
    assert_error(await http.post("/conversations/999/parts", json={"message_type": "open", "admin_id": ME}), 404,
                 "not_found")  # fmt: skip
    assert len(app.state.conversations[REFUND]["parts"]) == before
    unassign = {"message_type": "assignment", "type": "admin", "admin_id": ME, "assignee_id": 0}
    assert (await http.post(path, json=unassign)).json()["admin_assignee_id"] == 0


async def test_tags_attach_and_detach(http: httpx.AsyncClient) -> None:
    created = (await http.post("/tags", json={"name": "resolved-workaround"})).json()
    attached = await http.post(f"/conversations/{REFUND}/tags", json={"id": int(created["id"]), "admin_id": int(ME)})
    assert attached.json() == {"type": "tag", "id": created["id"], "name": "resolved-workaround"}
    tags = (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"]
    assert [t["name"] for t in tags] == ["billing", "refund", "resolved-workaround"]
    assert tags[-1]["applied_by"] == {"type": "admin", "id": ME} and tags[-1]["applied_at"] == NOW
    detached = await http.request("DELETE", f"/conversations/{REFUND}/tags/8100001", json={"admin_id": ME})
    assert detached.json()["name"] == "billing"
    tags = (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"]
    assert [t["name"] for t in tags] == ["refund", "resolved-workaround"]
    assert_error(await http.post(f"/conversations/{REFUND}/tags", json={"id": "1", "admin_id": ME}), 404,
                 "tag_not_found")  # fmt: skip
    assert_error(await http.post("/conversations/1/tags", json={"id": "8100001", "admin_id": ME}), 404,
                 "conversation_not_found")  # fmt: skip


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


# -- vendor-wide quirks ----------------------------------------------------------------------------


async def test_rate_limit_headers_and_429(clock: Clock) -> None:
    app = create_app("intercom", settings=MockSettings(ratelimit=2, ratelimit_window=10), clock=clock)
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock", headers=HEADERS) as http:
        first = await http.get("/admins")
        assert first.headers["X-RateLimit-Limit"] == "2" and first.headers["X-RateLimit-Remaining"] == "1"
        reset = int(first.headers["X-RateLimit-Reset"])
        assert reset == NOW + 10  # a Unix time, not a delay
        await http.get("/teams")
        limited = await http.get("/me")
        assert_error(limited, 429, "rate_limit_exceeded")
        assert (limited.headers["X-RateLimit-Remaining"], limited.headers["X-RateLimit-Reset"]) == ("0", str(reset))
        clock.now += 10
        assert (await http.get("/me")).status_code == 200
    assert [r.status for r in app.requests] == [200, 200, 429, 200]


async def test_intercom_version_is_read(app: MockApp) -> None:
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock",
                                 headers={"Authorization": "Bearer t"}) as http:  # fmt: skip
        assert (await http.get("/me")).status_code == 200
        assert app.state.intercom_version is None  # no header: the workspace's 2.16
        assert (await http.get("/me", headers={"Intercom-Version": "2.11"})).status_code == 200
        assert app.state.intercom_version == "2.11"
        # (GET /admins: the document declares no 400 for GET /me)
        assert_error(await http.get("/admins", headers={"Intercom-Version": "2.99"}), 400, "intercom_version_invalid")
        assert (await http.get("/contacts", headers={"Intercom-Version": "1.4"})).status_code == 200
    assert app.state.intercom_version == "1.4"
    assert app.state.versions_seen == [("identifyAdmin", None), ("identifyAdmin", "2.11"), ("listContacts", "1.4")]
    assert [r.status for r in app.requests] == [200, 200, 400, 200]  # 2.99 is refused before check() runs
    assert app.requests[2].headers["intercom-version"] == "2.99"


def test_check_refuses_an_unknown_version(app: MockApp) -> None:
    from helpdesk_mock import MockError, MockRequest

    request = MockRequest("GET", "/me", "/me", "identifyAdmin", {}, [], {}, {"intercom-version": "Unstable"})
    with pytest.raises(MockError) as refused:
        PLUGIN.check(request, app.state, app.settings)
    assert (refused.value.status, refused.value.code) == (400, "intercom_version_invalid")
    assert app.state.versions_seen == [("identifyAdmin", "Unstable")]


async def test_errors_have_the_error_list_shape(http: httpx.AsyncClient) -> None:
    assert_error(await http.get("/conversations/123"), 404, "not_found", "Resource Not Found")
    assert_error(await http.post("/tickets", json={"contacts": []}), 400, "parameter_invalid")
    async with httpx.AsyncClient(transport=http._transport, base_url="http://mock") as anonymous:
        assert_error(await anonymous.get("/me"), 401, "unauthorized")


# -- tickets ---------------------------------------------------------------------------------------


async def test_ticket_lifecycle(http: httpx.AsyncClient, app: MockApp) -> None:
    types = (await http.get("/ticket_types")).json()["data"]
    bug = next(t for t in types if t["name"] == "Engineering Bug")
    names = [a["name"] for a in bug["ticket_type_attributes"]["ticket_type_attributes"]]
    assert names[:2] == ["_default_title_", "_default_description_"]
    severity = next(a for a in bug["ticket_type_attributes"]["ticket_type_attributes"] if a["name"] == "Severity")
    s2 = next(o["id"] for o in severity["input_options"]["list_options"] if o["label"] == "S2")
    body = {"ticket_type_id": int(bug["id"]), "contacts": [{"id": OMAR}], "conversation_to_link_id": CHECKOUT,
            "ticket_attributes": {"_default_title_": "Checkout 500", "_default_description_": "Coupon SPRING25",
                                  "Severity": s2}}  # fmt: skip
    created = await http.post("/tickets", json=body)
    assert created.status_code == 200, created.text
    ticket = created.json()
    assert (ticket["ticket_id"], ticket["category"], ticket["ticket_state"]["category"]) == (
        "44",
        "Back-office",
        "submitted",
    )
    assert ticket["contacts"]["contacts"][0]["id"] == OMAR and ticket["ticket_attributes"]["Severity"] == s2
    assert ticket["linked_objects"]["data"] == [{"type": "conversation", "id": CHECKOUT, "category": None}]
    linked = (await http.get(f"/conversations/{CHECKOUT}")).json()["linked_objects"]["data"]
    assert linked == [{"type": "ticket", "id": ticket["id"], "category": "Back-office"}]
    assert (await http.get(f"/tickets/{ticket['id']}")).json() == ticket
    assert_error(await http.get(f"/tickets/{ticket['ticket_id']}"), 404, "ticket_not_found")  # the inbox number

    updated = await http.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": "4005", "admin_id": int(CHLOE),
                                                               "assignee_id": ENGINEERING})  # fmt: skip
    ticket = updated.json()
    assert ticket["ticket_state"]["internal_label"] == "Investigating"
    assert (ticket["previous_ticket_state_id"], ticket["team_assignee_id"]) == ("4001", int(ENGINEERING))
    assert [p["part_type"] for p in ticket["ticket_parts"]["ticket_parts"]] == [
        "ticket_state_updated_by_admin",
        "assignment",
    ]
    reply = {"type": "admin", "admin_id": CHLOE, "message_type": "note", "body": "Fix in review", "cross_post": True}
    note = await http.post(f"/tickets/{ticket['id']}/reply", json=reply)
    assert (note.json()["type"], note.json()["part_type"], note.json()["ticket_state"]) == (
        "ticket_part",
        "note",
        "in_progress",
    )
    assert part_types((await http.get(f"/conversations/{CHECKOUT}")).json())[-1] == "note"  # cross-posted
    assert_error(
        await http.post(
            f"/tickets/{ticket['id']}/reply",
            json={"type": "user", "intercom_user_id": OMAR, "message_type": "comment", "body": "hi"},
        ),
        400,
        "parameter_mismatch",
    )
    closed = await http.put(f"/tickets/{ticket['id']}", json={"open": False, "ticket_state_id": 4004})
    assert (closed.json()["open"], closed.json()["ticket_state"]["category"]) == (False, "resolved")
    assert_error(await http.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": "4002"}), 400,
                 "ticket_state_id_invalid")  # fmt: skip
    assert_error(await http.put(f"/tickets/{ticket['id']}", json={"admin_id": 1}), 404, "assignee_not_found")
    found = await search(http, "/tickets/search", {"field": "contact_ids", "operator": "=", "value": OMAR})
    assert [t["id"] for t in found.json()["tickets"]] == [ticket["id"]]


async def test_ticket_creation_rules(http: httpx.AsyncClient, app: MockApp) -> None:
    before = dict(app.state.tickets)
    title = {"_default_title_": "T"}
    two = {"ticket_type_id": "2001", "contacts": [{"id": OMAR}, {"id": MAYA}], "ticket_attributes": title}
    assert_error(await http.post("/tickets", json=two), 400, "parameter_invalid", "contacts")
    cases = [
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}]}, 400, "parameter_invalid", "_default_title_"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Colour": "red"}},
         400, "parameter_invalid", "Colour"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Urgency": "High"}},
         400, "parameter_invalid", "List option not found"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Order number": 5}},
         400, "parameter_invalid", "string"),
        ({"ticket_type_id": "2004", "contacts": [{"id": OMAR}], "ticket_attributes": title},
         400, "invalid_ticket_type", ""),
        ({"ticket_type_id": "9", "contacts": [{"id": OMAR}], "ticket_attributes": title}, 404, "not_found", ""),
        ({"ticket_type_id": "2001", "contacts": [{"id": "nobody"}], "ticket_attributes": title}, 404, "not_found", ""),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": title,
          "conversation_to_link_id": CHECKOUT}, 400, "invalid_ticket_type", ""),
    ]  # fmt: skip
    for body, status, code, text in cases:
        assert_error(await http.post("/tickets", json=body), status, code, text)
    assert app.state.tickets == before
    by_email = await http.post("/tickets", json={"ticket_type_id": "2001", "contacts": [{"email": "new@ex.test"}],
                                                 "ticket_attributes": title})  # fmt: skip
    contact_id = by_email.json()["contacts"]["contacts"][0]["id"]
    assert (await http.get(f"/contacts/{contact_id}")).json()["email"] == "new@ex.test"


# -- contacts, visitors, companies, admins, tags ------------------------------------------------------


async def test_contacts_crud(http: httpx.AsyncClient) -> None:
    created = await http.post("/contacts", json={"role": "lead", "email": "lee@ex.test", "name": "Lee",
                                                 "custom_attributes": {"plan": "Trial"}})  # fmt: skip
    contact = created.json()
    assert (contact["role"], contact["email_domain"], contact["created_at"]) == ("lead", "ex.test", NOW)
    assert (await http.get(f"/contacts/{contact['id']}")).json() == contact
    updated = (await http.put(f"/contacts/{contact['id']}", json={"name": "Lee Park", "role": "user"})).json()
    assert (updated["name"], updated["role"]) == ("Lee Park", "user")
    assert_error(await http.post("/contacts", json={"email": "LEE@ex.test"}), 409, "conflict", contact["id"])
    assert_error(await http.put(f"/contacts/{contact['id']}", json={"external_id": "usr_1001"}), 409, "conflict")
    assert_error(await http.post("/contacts", json={"role": "user", "email_verified": True}), 400, "parameter_invalid",
                 "email_verified")  # fmt: skip
    deleted = (await http.delete(f"/contacts/{contact['id']}")).json()
    assert deleted == {"type": "contact", "id": contact["id"], "external_id": None, "deleted": True}
    assert_error(await http.get(f"/contacts/{contact['id']}"), 404, "not_found", "User Not Found")
    gone = await http.get(f"/contacts/{MERGED}")
    assert_error(gone, 410, "contact_merged")
    assert gone.headers["Link"] == f'</contacts/{MAYA}>; rel="canonical"'
    history = (await http.get(f"/contacts/{MAYA}", params={"include_merge_history": True})).json()["merge_history"]
    assert [h["id"] for h in history] == [MERGED]


async def test_visitor_and_admins(http: httpx.AsyncClient, app: MockApp) -> None:
    visitor = (await http.get("/visitors", params={"user_id": "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83"})).json()
    assert visitor["name"] == "Jordan Blake" and visitor["companies"]["companies"][0]["plan"]["name"] == "Growth"
    assert_error(await http.get("/visitors", params={"user_id": "nope"}), 404, "not_found", "Visitor Not Found")
    me = (await http.get("/me")).json()
    assert (me["id"], me["email_verified"], me["app"]["region"]) == (ME, True, "US")
    app.settings.extra["intercom_me_email_verified"] = False
    assert (await http.get("/me")).json()["email_verified"] is False
    admins = (await http.get("/admins")).json()["admins"]
    assert [a["id"] for a in admins] == [ME, BEN, CHLOE, "991267404"] and "avatar" not in admins[0]
    assert "avatar" in (await http.get("/admins", params={"display_avatar": True})).json()["admins"][0]
    assert_error(await http.get("/admins/5"), 404, "admin_not_found", "Admin not found")
    teams = (await http.get("/teams")).json()["teams"]
    assert [(t["name"], t["admin_ids"]) for t in teams][1] == ("Billing", [int(BEN)])


async def test_companies_crud(http: httpx.AsyncClient) -> None:
    created = (await http.post("/companies", json={"company_id": "ac-9", "name": "Acme", "plan": "Growth",
                                                   "custom_attributes": {"tier": "gold"}})).json()  # fmt: skip
    assert (created["plan"]["name"], created["plan"]["id"], created["user_count"]) == ("Growth", "4102", 0)
    upserted = (await http.post("/companies", json={"company_id": "ac-9", "size": 12})).json()
    assert (upserted["id"], upserted["name"], upserted["size"]) == (created["id"], "Acme", 12)
    assert (await http.put(f"/companies/{created['id']}", json={"plan": "Pro"})).json()["plan"]["name"] == "Pro"
    assert_error(await http.post("/companies", json={"size": 3}), 400, "parameter_not_found", "company not specified")
    assert (await http.get(f"/companies/{NORTHWIND}")).json()["user_count"] == 2
    assert (await http.delete(f"/companies/{NORTHWIND}")).json() == {
        "id": NORTHWIND,
        "object": "company",
        "deleted": True,
    }
    assert (await http.get(f"/contacts/{MAYA}")).json()["companies"]["data"] == []
    assert_error(await http.get(f"/companies/{NORTHWIND}"), 404, "company_not_found")


async def test_tags_crud(http: httpx.AsyncClient) -> None:
    assert (await http.post("/tags", json={"name": "refund"})).json()["id"] == "8100002"  # existing name
    renamed = (await http.post("/tags", json={"id": "8100002", "name": "refunds"})).json()
    assert renamed == {"type": "tag", "id": "8100002", "name": "refunds"}
    assert (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"][1]["name"] == "refunds"
    tagged = (await http.post("/tags", json={"name": "smb", "companies": [{"company_id": "kk-003"}]})).json()
    assert [c["name"] for c in (await http.get("/companies", params={"tag_id": tagged["id"]})).json()["data"]] == [
        "Kite & Key Studio"]  # fmt: skip
    await http.post("/tags", json={"name": "smb", "companies": [{"company_id": "kk-003", "untag": True}]})
    assert (await http.get("/companies", params={"tag_id": tagged["id"]})).json()["data"] == []
    users = await http.post("/tags", json={"name": "beta", "users": [{"id": OMAR}]})
    assert users.json()["name"] == "beta"
    assert_error(await http.delete("/tags/8100004"), 400, "tag_has_dependent_objects", "VIP customers")
    deleted = await http.delete("/tags/8100002")
    assert deleted.status_code == 200 and deleted.content == b""
    assert [t["name"] for t in (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"]] == ["billing"]
    assert_error(await http.get("/tags/8100002"), 404, "tag_not_found")


# -- help center, articles, news ----------------------------------------------------------------------


async def test_articles_and_collections(http: httpx.AsyncClient) -> None:
    found = (await http.get("/articles/search", params={"phrase": "refund", "state": "published",
                                                        "highlight": True})).json()  # fmt: skip
    assert [a["id"] for a in found["data"]["articles"]] == ["7700001"]
    assert {"type": "highlight", "text": "refund"} in found["data"]["highlights"][0]["highlighted_title"]
    everything = (await http.get("/articles/search", params={"phrase": "refund"})).json()
    assert {a["state"] for a in everything["data"]["articles"]} == {"published", "draft"}
    docs = (await http.get("/articles/search", params={"help_center_id": 3002})).json()
    assert [a["title"] for a in docs["data"]["articles"]] == ["Rate limits"]

    collection = (await http.post("/help_center/collections", json={"name": "Security", "description": "SSO"})).json()
    assert (collection["help_center_id"], collection["parent_id"]) == (3001, None)
    section = (await http.post("/help_center/collections", json={"name": "SAML", "parent_id": collection["id"]})).json()
    article = (await http.post("/articles", json={"title": "SAML clock skew", "author_id": int(CHLOE),
                                                  "body_markdown": "Sync the clock.", "state": "published",
                                                  "parent_id": int(section["id"])})).json()  # fmt: skip
    assert (article["parent_type"], article["parent_ids"], article["body"]) == (
        "section", [int(collection["id"]), int(section["id"])], "<p>Sync the clock.</p>")  # fmt: skip
    assert article["url"].startswith("https://help.acme.test/en/articles/")
    assert (await http.get("/articles")).json()["data"][0]["id"] == article["id"]
    draft = (await http.put(f"/articles/{article['id']}", json={"state": "draft"})).json()
    assert draft["url"] is None and "statistics" in draft
    assert_error(
        await http.post("/articles", json={"title": "x", "author_id": 5}), 400, "parameter_invalid", "author_id"
    )
    assert (await http.delete(f"/articles/{article['id']}")).json() == {"id": article["id"], "object": "article",
                                                                         "deleted": True}  # fmt: skip
    assert_error(await http.get(f"/articles/{article['id']}"), 404, "article_not_found")
    renamed = (await http.put(f"/help_center/collections/{collection['id']}", json={"name": "Security & SSO"})).json()
    assert renamed["name"] == "Security & SSO"
    assert (await http.delete(f"/help_center/collections/{collection['id']}")).json()["deleted"] is True
    assert (await http.get(f"/help_center/collections/{section['id']}")).json()["parent_id"] is None
    assert_error(await http.get("/help_center/help_centers/1"), 404, "not_found")


async def test_news(http: httpx.AsyncClient) -> None:
    created = (await http.post("/news/news_items", json={
        "title": "Faster checkout", "sender_id": int(ME), "state": "live", "body": "<p>Now 2x faster.</p>",
        "newsfeed_assignments": [{"newsfeed_id": 5502}]})).json()  # fmt: skip
    assert created["newsfeed_assignments"] == [{"newsfeed_id": 5502, "published_at": NOW}]
    items = (await http.get("/news/newsfeeds/5502/items")).json()["data"]
    assert [i["title"] for i in items] == ["Faster checkout", "Beta: API v3"]
    customers = (await http.get("/news/newsfeeds/5501/items")).json()["data"]
    assert "Checkout redesign" not in [i["title"] for i in customers]  # drafts are not live
    updated = (await http.put(f"/news/news_items/{created['id']}", json={"title": "Faster checkout!",
                                                                         "sender_id": int(BEN)})).json()  # fmt: skip
    assert (updated["title"], updated["sender_id"], updated["state"]) == ("Faster checkout!", int(BEN), "live")
    assert_error(await http.post("/news/news_items", json={"title": "x", "sender_id": 3}), 400, "parameter_invalid",
                 "sender_id")  # fmt: skip
    assert (await http.delete(f"/news/news_items/{created['id']}")).json()["object"] == "news-item"
    assert_error(await http.get(f"/news/news_items/{created['id']}"), 404, "not_found")
    assert_error(await http.get("/news/newsfeeds/1/items"), 404, "not_found")
