"""The Intercom mock's conversations: ordered parts of mixed types, the lifecycle (create,
reply, note, assign, snooze, close), admin ids that must name a known admin, the manage
rules, and tags attached and detached.
Over HTTP in process (``create_app("intercom")`` through httpx and ``app.transport()``, an
injected clock, strict responses); the fixtures are in this folder's ``conftest.py``, the
helpers in ``helpers.py``.
"""

from __future__ import annotations

import httpx
import pytest

from helpdesk_mock.app import MockApp
from tests.mock_intercom.helpers import (
    BEN,
    BILLING,
    CHECKOUT,
    ENGINEERING,
    LONG,
    MAYA,
    ME,
    NOW,
    OMAR,
    REFUND,
    Clock,
    assert_error,
    part_types,
)

pytestmark = pytest.mark.anyio


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
