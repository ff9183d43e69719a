"""The Intercom mock's operations of issue 15, over HTTP in process: a contact's tags,
companies, segments, subscriptions and notes; company notes and segments; macros;
conversation participants, conversion to a ticket, merging and redaction; ticket tags;
lead merge and visitor conversion; segments, data attributes, brands and ticket states.

Strict responses are on (a drifting answer is a 500), and every fixture read is also
checked with an independent JSON Schema validator built from openapi/intercom.yaml. The
``app`` and ``http`` fixtures are in this folder's ``conftest.py``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from helpdesk_mock.app import MockApp
from tests.mock_intercom.helpers import (
    CHECKOUT,
    JORDAN,
    LONG,
    MAYA,
    ME,
    MERGED,
    NORTHWIND,
    NOW,
    OMAR,
    REFUND,
    assert_error,
    schema_validator,
)

SAM, NOAH = "66f0c1d2e3a4b5c600000006", "66f0c1d2e3a4b5c60000000a"
BLUEPEAK = "66f0c1d2e3a4b5c700000002"
ENTERPRISE, VIP = "66f0c1d2e3a4b5c800000001", "66f0c1d2e3a4b5c800000002"
CANCELLED = "10934712"
JORDAN_VISITOR = "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83"
RAVI_VISITOR = "c41d8e20-7f6b-4a95-8d3e-2b1f0a6c9e77"
DELETED = "<p><i>This message was deleted</i></p>"

pytestmark = pytest.mark.anyio


async def ok(response: Any) -> Any:
    response = await response
    assert response.status_code == 200, response.text
    return response.json()


READS = [
    (f"/contacts/{MAYA}/tags", "TagList"), (f"/contacts/{MAYA}/notes", "NoteList"), ("/notes/5200004", "Note"),
    (f"/contacts/{MAYA}/companies", "ContactCompanyList"), (f"/contacts/{MAYA}/segments", "SegmentReferenceList"),
    (f"/contacts/{MAYA}/subscriptions", "SubscriptionTypeList"), (f"/companies/{NORTHWIND}/notes", "NoteList"),
    (f"/companies/{NORTHWIND}/segments", "SegmentReferenceList"), ("/segments?include_count=true", "SegmentList"),
    (f"/segments/{VIP}", "Segment"), ("/data_attributes?include_archived=true", "DataAttributeList"),
    ("/subscription_types", "SubscriptionTypeList"), ("/macros", "MacroList"), ("/macros/1001", "Macro"),
    ("/brands", "BrandList"), ("/brands/204", "Brand"), ("/ticket_states", "TicketStateList"),
]  # fmt: skip


async def test_fixture_reads_conform_to_the_document(http: httpx.AsyncClient) -> None:
    for path, schema in READS:
        schema_validator(schema).validate(await ok(http.get(path)))


async def test_unknown_records_answer_intercoms_errors(http: httpx.AsyncClient) -> None:
    for path in (f"/contacts/{'0' * 24}/tags", f"/contacts/{MERGED}/notes", f"/contacts/{'0' * 24}/subscriptions"):
        assert_error(await http.get(path), 404, "not_found", "User Not Found")
    assert_error(await http.get(f"/companies/{'0' * 24}/segments"), 404, "company_not_found")
    for path in ("/notes/1", f"/segments/{'0' * 24}", "/brands/999", "/macros/999"):
        assert_error(await http.get(path), 404, "not_found")
    assert_error(await http.post(f"/contacts/{MAYA}/tags", json={"id": "1"}), 404, "not_found", "Resource Not Found")
    assert_error(await http.post(f"/contacts/{MAYA}/companies", json={"id": "x"}), 404, "company_not_found")
    assert_error(await http.post("/tickets/1/tags", json={"id": "8100001", "admin_id": ME}), 404, "ticket_not_found")
    bad_admin = await http.post(f"/contacts/{MAYA}/notes", json={"body": "x", "admin_id": 1})
    assert_error(bad_admin, 404, "not_found")


# -- a contact's tags, companies, subscriptions; notes ---------------------------------------------


async def test_tagging_a_contact(http: httpx.AsyncClient, app: MockApp) -> None:
    tag = await ok(http.post(f"/contacts/{SAM}/tags", json={"id": 8100002}))
    assert (tag["name"], tag["applied_at"], tag["applied_by"]) == ("refund", NOW, {"type": "admin", "id": ME})
    await ok(http.post(f"/contacts/{SAM}/tags", json={"id": "8100002"}))  # again: no duplicate
    assert [t["name"] for t in (await ok(http.get(f"/contacts/{SAM}/tags")))["data"]] == ["refund"]
    found = await ok(http.post("/contacts/search", json={"query": {"field": "tag_id", "operator": "=",
                                                                    "value": "8100002"}}))  # fmt: skip
    assert [c["id"] for c in found["data"]] == [SAM]
    removed = await ok(http.delete(f"/contacts/{SAM}/tags/8100002"))
    assert removed == {"type": "tag", "id": "8100002", "name": "refund"}
    assert app.state.contacts[SAM]["_tag_ids"] == []


async def test_a_contacts_companies(http: httpx.AsyncClient) -> None:
    before = await ok(http.get(f"/companies/{BLUEPEAK}"))
    attached = await ok(http.post(f"/contacts/{MAYA}/companies", json={"id": BLUEPEAK}))
    assert attached["id"] == BLUEPEAK and attached["user_count"] == before["user_count"] + 1
    listed = await ok(http.get(f"/contacts/{MAYA}/companies"))
    assert [c["name"] for c in listed["data"]] == ["Northwind Traders", "Bluepeak Analytics"]
    assert listed["total_count"] == 2 and listed["pages"]["next"] is None
    detached = await ok(http.delete(f"/contacts/{MAYA}/companies/{BLUEPEAK}"))
    assert detached["user_count"] == before["user_count"]


async def test_subscription_choices(http: httpx.AsyncClient) -> None:
    types = (await ok(http.get("/subscription_types")))["data"]
    assert {(t["default_translation"]["name"], t["consent_type"]) for t in types} >= {
        ("Newsletter", "opt_out"), ("SMS offers", "opt_in")}  # fmt: skip
    assert [s["id"] for s in (await ok(http.get(f"/contacts/{MAYA}/subscriptions")))["data"]] == ["91"]
    added = await ok(http.post(f"/contacts/{MAYA}/subscriptions", json={"id": 93, "consent_type": "opt_in"}))
    assert added["id"] == "93"
    await ok(http.delete(f"/contacts/{MAYA}/subscriptions/91"))
    assert [s["id"] for s in (await ok(http.get(f"/contacts/{MAYA}/subscriptions")))["data"]] == ["93"]
    unknown = await http.post(f"/contacts/{MAYA}/subscriptions", json={"id": "x", "consent_type": "opt_in"})
    assert_error(unknown, 404, "not_found")


async def test_notes_on_contacts_and_companies(http: httpx.AsyncClient, app: MockApp) -> None:
    listed = (await ok(http.get(f"/contacts/{MAYA}/notes")))["data"]
    assert [n["id"] for n in listed] == ["5200003", "5200001"]  # newest first
    assert listed[1]["author"]["name"] == "Ben Okafor" and "company" not in listed[1]
    plain = await ok(http.post(f"/contacts/{MAYA}/notes", json={"body": "Called back <about> SSO"}))
    assert plain["body"] == "<p>Called back &lt;about&gt; SSO</p>" and plain["author"]["id"] == ME
    html = await ok(http.post(f"/companies/{NORTHWIND}/notes", json={"body": "<p><b>Renewal</b></p>",
                                                                      "admin_id": 991267402}))  # fmt: skip
    assert (html["body"], html["author"]["id"], html["company"]) == (
        "<p><b>Renewal</b></p>", "991267402", {"type": "company", "id": NORTHWIND})  # fmt: skip
    assert (await ok(http.get(f"/notes/{html['id']}"))) == html
    contact = await ok(http.get(f"/contacts/{MAYA}"))
    assert contact["notes"]["total_count"] == 3 and plain["id"] in [n["id"] for n in contact["notes"]["data"]]
    assert [n["id"] for n in (await ok(http.get(f"/companies/{NORTHWIND}/notes")))["data"]][0] == html["id"]


# -- segments, data attributes, brands, ticket states, macros --------------------------------------


async def test_segments_and_their_members(http: httpx.AsyncClient) -> None:
    counted = {s["name"]: s["count"] for s in (await ok(http.get("/segments?include_count=true")))["segments"]}
    assert counted == {"Enterprise accounts": 4, "VIP customers": 2, "New leads": 3, "Churn risk": 1}
    plain = await ok(http.get("/segments"))
    assert "count" not in plain["segments"][0]
    mine = [s["name"] for s in (await ok(http.get(f"/contacts/{MAYA}/segments")))["data"]]
    assert mine == ["Enterprise accounts", "VIP customers"]
    companies = await ok(http.get("/companies", params={"segment_id": ENTERPRISE}))
    assert companies["total_count"] == 3


async def test_data_attributes_by_model(http: httpx.AsyncClient) -> None:
    contact = (await ok(http.get("/data_attributes", params={"model": "contact"})))["data"]
    assert {a["model"] for a in contact} == {"contact"}
    custom = {a["name"]: a for a in contact if a["custom"]}
    assert set(custom) == {"plan", "seats", "beta_tester"}  # the archived one is left out
    assert custom["plan"]["full_name"] == "custom_attributes.plan" and custom["plan"]["options"] == [
        "Starter", "Growth", "Enterprise"]  # fmt: skip
    everything = (await ok(http.get("/data_attributes", params={"include_archived": "true"})))["data"]
    assert {a["model"] for a in everything} == {"contact", "company"}
    assert "legacy_plan_code" in {a["name"] for a in everything}
    assert_error(await http.get("/data_attributes", params={"model": "conversation"}), 400, "parameter_invalid")


async def test_brands_and_ticket_states(http: httpx.AsyncClient) -> None:
    brands = (await ok(http.get("/brands")))["data"]
    default = next(b for b in brands if b["is_default"])
    assert default["id"] == "q7mock42"  # the workspace's id
    states = {s["id"]: s for s in (await ok(http.get("/ticket_states")))["data"]}
    assert [t["name"] for t in states["4005"]["ticket_types"]["data"]] == ["Engineering Bug"]
    assert states["4003"]["external_label"] == "Awaiting your reply"


async def test_macros_are_paged_with_intercoms_cursor_and_render_placeholders(http: httpx.AsyncClient) -> None:
    seen, cursor = [], None
    while True:
        page = await ok(http.get("/macros", params={"per_page": 2, **({"starting_after": cursor} if cursor else {})}))
        seen += [m["id"] for m in page["data"]]
        if page["pages"]["next"] is None:
            break
        cursor = page["pages"]["next"]["starting_after"]
        updated, last = json.loads(base64.b64decode(cursor))
        assert last == seen[-1] and isinstance(updated, float)
    assert seen == ["1003", "1001", "1002", "1005", "1004"]  # newest updated_at first
    assert_error(await http.get("/macros", params={"starting_after": "not-a-cursor"}), 400, "parameter_invalid")
    recent = await ok(http.get("/macros", params={"updated_since": NOW - 3600 - 10 * 86400}))
    assert [m["id"] for m in recent["data"]] == ["1003", "1001"]
    macro = await ok(http.get("/macros/1001"))
    assert macro["body"].startswith('<p>Hi <attribute key="user.first_name" default="there"/>,</p>')
    assert macro["body_text"].startswith('Hi {{user.first_name|fallback:"there"}},\n\nI have issued')
    assert macro["created_at"].endswith(".000Z") and macro["visible_to"] == "everyone"
    welcome = await ok(http.get("/macros/1004"))
    assert 'default="the support team"' in welcome["body"] and "I&#x27;m" not in welcome["body"]
    assert_error(await http.get("/macros/1003"), 404, "not_found", "Macro not found")  # the Billing team's only


# -- conversation handling and ticket tags ---------------------------------------------------------


async def test_conversation_participants(http: httpx.AsyncClient, app: MockApp) -> None:
    added = await ok(http.post(f"/conversations/{REFUND}/customers",
                               json={"admin_id": ME, "customer": {"email": "finance@lumenlabs.test"}}))  # fmt: skip
    new_id = added["customers"][1]["id"]
    assert added["customers"] == [{"type": "lead", "id": JORDAN}, {"type": "lead", "id": new_id}]
    assert app.state.contacts[new_id]["email"] == "finance@lumenlabs.test"
    by_contact = {"customer": {"user_id": "usr_1005", "customer": {"intercom_user_id": JORDAN}}}
    assert len((await ok(http.post(f"/conversations/{REFUND}/customers", json=by_contact)))["customers"]) == 3
    unknown = await http.post(f"/conversations/{REFUND}/customers", json={"customer": {"intercom_user_id": "0"}})
    assert_error(unknown, 404, "not_found", "User Not Found")
    two = {"customer": {"email": "x@y.test"}, "admin_id": ME}
    both = await http.post(f"/conversations/{REFUND}/customers", json={**two, "customer": {**two["customer"],
                                                                                          "user_id": "u"}})  # fmt: skip
    assert_error(both, 400, "parameter_invalid")  # exactly one identifier
    removed = await ok(http.request("DELETE", f"/conversations/{REFUND}/customers/{new_id}", json={"admin_id": ME}))
    assert new_id not in [c["id"] for c in removed["customers"]]
    last = await http.request("DELETE", f"/conversations/{CHECKOUT}/customers/{OMAR}", json={"admin_id": ME})
    assert_error(last, 422, "parameter_invalid", "Removing the last customer is not allowed")
    no_admin = await http.request("DELETE", f"/conversations/{CHECKOUT}/customers/{OMAR}", json={"admin_id": 1})
    assert_error(no_admin, 404, "admin_not_found")


async def test_converting_a_conversation_to_a_ticket(http: httpx.AsyncClient, app: MockApp) -> None:
    back_office = await http.post(f"/conversations/{CHECKOUT}/convert", json={"ticket_type_id": "2002"})
    assert_error(back_office, 400, "parameter_invalid", "Ticket type is not a customer ticket type")
    archived = await http.post(f"/conversations/{CHECKOUT}/convert", json={"ticket_type_id": 2004})
    assert_error(archived, 400, "invalid_ticket_type")
    wrong_state = await http.post(f"/conversations/{CHECKOUT}/convert",
                                  json={"ticket_type_id": "2001", "ticket_state_id": "4005"})  # fmt: skip
    assert_error(wrong_state, 400, "ticket_state_id_invalid")
    ticket = await ok(http.post(f"/conversations/{CHECKOUT}/convert", json={"ticket_type_id": 2001}))
    schema_validator("Ticket").validate(ticket)
    assert (ticket["category"], ticket["ticket_state"]["category"], ticket["is_shared"]) == (
        "Customer", "submitted", True)  # fmt: skip
    assert ticket["contacts"]["contacts"][0]["id"] == OMAR and ticket["admin_assignee_id"] == int(ME)
    parts = ticket["ticket_parts"]["ticket_parts"]
    assert [p["part_type"] for p in parts] == ["comment", "comment", "comment", "comment", "comment", "note",
                                               "ticket_state_updated_by_admin"]  # fmt: skip
    assert "500 error" in parts[0]["body"] and parts[0]["author"]["id"] == OMAR
    again = await http.post(f"/conversations/{CHECKOUT}/convert", json={"ticket_type_id": 2001})
    assert_error(again, 400, "parameter_invalid", "already been converted")
    assert (await ok(http.get(f"/tickets/{ticket['id']}")))["id"] == ticket["id"]


async def test_merging_conversations(http: httpx.AsyncClient, app: MockApp) -> None:
    for target, text in ((CANCELLED, "into itself"), (1, "Primary conversation not found")):
        refused = await http.post(f"/conversations/{CANCELLED}/merge", json={"merge_into_conversation_id": int(target)})
        assert_error(refused, 422, "merge_failed", text)
    primary = await ok(http.post(f"/conversations/{CANCELLED}/merge", json={"merge_into_conversation_id": 10934855}))
    assert primary["id"] == REFUND
    assert primary["conversation_parts"]["conversation_parts"][-1]["part_type"] == "merged_primary_conversation"
    assert {"type": "conversation", "id": CANCELLED, "category": None} in primary["linked_objects"]["data"]
    secondary = await ok(http.get(f"/conversations/{CANCELLED}"))
    assert secondary["state"] == "closed" and secondary["linked_objects"]["data"][-1]["id"] == REFUND
    again = await http.post(f"/conversations/{CANCELLED}/merge", json={"merge_into_conversation_id": 5099231})
    assert_error(again, 422, "merge_failed", "already been merged")


async def test_redacting(http: httpx.AsyncClient, app: MockApp) -> None:
    conv = app.state.conversations[LONG]
    comment = next(p for p in conv["parts"] if p["part_type"] == "comment" and p["author"]["type"] == "user")
    body = {"type": "conversation_part", "conversation_id": int(LONG), "conversation_part_id": comment["id"]}
    redacted = await ok(http.post("/conversations/redact", json=body))
    part = next(p for p in redacted["conversation_parts"]["conversation_parts"] if p["id"] == comment["id"])
    assert (part["body"], part["redacted"], part["attachments"]) == (DELETED, True, [])
    no_body = next(p for p in conv["parts"] if p["body"] is None)
    refused = await http.post("/conversations/redact", json={**body, "conversation_part_id": no_body["id"]})
    assert_error(refused, 400, "conversation_part_not_redactable")
    source = {"type": "source", "conversation_id": LONG, "source_id": conv["source"]["id"]}
    assert (await ok(http.post("/conversations/redact", json=source)))["source"]["body"] == DELETED
    missing = await http.post("/conversations/redact", json={**source, "source_id": "1"})
    assert_error(missing, 404, "conversation_part_or_message_not_found")
    mixed = await http.post("/conversations/redact", json={**source, "conversation_part_id": "1"})
    assert_error(mixed, 400, "parameter_invalid")  # each shape is closed


async def test_ticket_tags_are_kept_but_not_rendered(http: httpx.AsyncClient, app: MockApp) -> None:
    tagged = await ok(http.post("/tickets/3847202/tags", json={"id": 8100003, "admin_id": "991267403"}))
    assert tagged["applied_by"] == {"type": "admin", "id": "991267403"}
    assert "tags" not in await ok(http.get("/tickets/3847202"))  # API 2.16's ticket has no tags field
    assert [t["id"] for t in app.state.tickets["3847202"]["tags"]] == ["8100003"]
    no_admin = await http.request("DELETE", "/tickets/3847202/tags/8100003", json={"admin_id": 1})
    assert_error(no_admin, 404, "admin_not_found")
    await ok(http.request("DELETE", "/tickets/3847202/tags/8100003", json={"admin_id": ME}))
    assert app.state.tickets["3847202"]["tags"] == []


# -- merging a lead, converting a visitor ----------------------------------------------------------


async def test_merging_a_lead_into_a_user(http: httpx.AsyncClient, app: MockApp) -> None:
    not_duplicates = await http.post("/contacts/merge", json={"from": NOAH, "into": OMAR})
    assert_error(not_duplicates, 400, "invalid_merge", "skip_duplicate_validation=true")
    wrong_roles = await http.post("/contacts/merge", json={"from": OMAR, "into": NOAH})
    assert_error(wrong_roles, 400, "invalid_merge")
    app.state.contacts[NOAH]["phone"] = app.state.contacts[OMAR]["phone"] = "+49 30 1234567"
    user = await ok(http.post("/contacts/merge?include_merge_history=true", json={"from": NOAH, "into": OMAR}))
    assert user["id"] == OMAR and user["merge_history"] == [{"type": "contact", "id": NOAH, "merged_at": NOW}]
    assert_error(await http.get(f"/contacts/{NOAH}"), 410, "contact_merged")
    assert NOAH not in [c["id"] for c in (await ok(http.get("/contacts", params={"per_page": 150})))["data"]]
    conv = await ok(http.get("/conversations/10932400"))  # Noah's question is now Omar's
    assert [c["id"] for c in conv["contacts"]["contacts"]] == [OMAR]
    forced = await ok(http.post("/contacts/merge", json={"from": JORDAN, "into": MAYA,
                                                         "skip_duplicate_validation": True}))  # fmt: skip
    assert forced["id"] == MAYA


async def test_converting_a_visitor(http: httpx.AsyncClient, app: MockApp) -> None:
    new = await ok(http.post("/visitors/convert", json={"type": "user", "visitor": {"user_id": RAVI_VISITOR},
                                                        "user": {"user_id": "usr_2001"}}))  # fmt: skip
    assert (new["role"], new["external_id"], new["email"], new["name"]) == (
        "user", "usr_2001", "ravi@example.test", "Ravi Shah")  # fmt: skip
    assert new["location"]["country"] == "Canada"
    assert_error(await http.get("/visitors", params={"user_id": RAVI_VISITOR}), 404, "not_found")
    by_email = {"type": "lead", "visitor": {"email": "jordan.blake@lumenlabs.test"}, "user": {"id": JORDAN}}
    merged = await ok(http.post("/visitors/convert", json=by_email))
    assert merged["id"] == JORDAN and JORDAN_VISITOR not in app.state.visitors
    unknown = await http.post("/visitors/convert", json={"type": "user", "visitor": {"user_id": "nobody"},
                                                         "user": {"user_id": "x"}})  # fmt: skip
    assert_error(unknown, 404, "not_found", "Visitor Not Found")
