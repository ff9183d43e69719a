"""Intercom workflows, end to end, tool call by tool call: the two of seed 003 and three of
issue 15.

MCP client (in process, both protocol eras) -> the generated Intercom MCP server ->
the generated ``AsyncIntercomClient`` -> the Intercom mock (``app.transport()``). Each
step asserts the tool result, and each workflow ends by asserting the mock's state and
the exact requests it received.

1. Billing-refund triage: find the newest open conversation about a refund, read it,
   check the customer's plan on their visitor profile, reply as the admin behind the
   token, snooze the conversation for 72 hours.
2. Escalating a bug: read conversation 5099231 (a checkout 500 error with steps to
   reproduce), find the engineering ticket type, create a ticket for the customer with
   the steps, tell the customer the ticket number, close the conversation.
3. Answering with a saved reply: read the conversation, pick a macro, fill its
   placeholders from the contact and the conversation, reply, tag the contact.
4. Converting a conversation to a customer ticket in a chosen state, and tagging the
   ticket with a new tag.
5. Finding the contacts of a segment (by searching on ``segment_id``) and adding a note to
   one of them.

Every call is written as an assistant writes it (issue 13): identifiers passed on as they
appear in earlier results (a conversation id is a string in one answer, an admin id a
number in another), reply and manage with flat arguments, results read in their compact
view: a conversation's thread from its ``timeline``, a write tool's short confirmation,
and the state checked with a read where the assistant would check it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client

from generated.intercom import AsyncIntercomClient
from generated.intercom.server import create_server
from helpdesk_mock import MockSettings
from helpdesk_mock.app import MockApp
from tests.mocks import create_app

TOKEN = "dG9rOmludGVyY29tLXRlc3Q="
MODES = ["auto", "legacy"]
ME = "991267401"
JORDAN = "66f0c1d2e3a4b5c600000003"
OMAR = "66f0c1d2e3a4b5c600000002"


pytestmark = pytest.mark.anyio


@pytest.fixture
def now() -> int:
    # The mock's clock stands still at the test's start, so timestamps are exact; the
    # runtime turns X-RateLimit-Reset (a Unix time) into seconds from the real now.
    return int(time.time())


@pytest.fixture
def app(now: int) -> MockApp:
    return create_app("intercom", settings=MockSettings(ratelimit=100), clock=lambda: now)


@asynccontextmanager
async def connect(app: MockApp, mode: str) -> AsyncIterator[Client]:
    http = httpx.AsyncClient(transport=app.transport())
    client = AsyncIntercomClient(access_token=TOKEN, base_url="http://intercom.mock", http_client=http)
    try:
        async with Client(create_server(client), mode=mode) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


async def call(c: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await c.call_tool(tool, args)
    text = "\n".join(getattr(part, "text", "") for part in result.content)
    assert not result.is_error, f"{tool} failed: {text}"
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def sent(app: MockApp) -> list[tuple[str, str, Any]]:
    """(method, path, JSON body or None) of every request the mock received."""
    return [(r.method, r.path, json.loads(r.body) if r.body else None) for r in app.requests]


def assert_headers(app: MockApp) -> None:
    for request in app.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["intercom-version"] == "2.16"
        assert request.status == 200
    assert app.state.versions_seen == [(r.operation_id, "2.16") for r in app.requests]


@pytest.mark.parametrize("mode", MODES)
async def test_billing_refund_triage(app: MockApp, now: int, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. open conversations that mention a refund, newest first
        open_ = {"field": "state", "operator": "=", "value": "open"}
        query = {"operator": "AND", "value": [open_, {"field": "source.body", "operator": "=", "value": "refund"}]}
        found = await call(c, "list_all_intercom_search_conversations", {"query": query})
        assert found["type"] == "conversation.list" and found["total_count"] == 2
        hits = found["conversations"]
        assert [h["id"] for h in hits] == ["10934855", "10934712"]
        assert all(h["state"] == "open" and "refund" in h["source"]["body"] for h in hits)
        latest = max(hits, key=lambda h: h["created_at"])
        assert latest["id"] == "10934855"

        # 2. the whole thread, in order (the id as the search gave it: a string)
        conv = await call(c, "get_single_intercom_conversation_by_id", {"conversation_id": latest["id"]})
        assert conv["id"] == "10934855" and conv["source"]["author"]["id"] == JORDAN
        assert "charged twice" in conv["source"]["body"]
        assert "conversation_parts" not in conv  # the timeline holds them, as plain text
        parts = conv["timeline"][1:]
        assert [(p["part_type"], p["author"]["type"]) for p in parts] == [
            ("comment", "bot"), ("default_assignment", "bot"), ("comment", "lead"), ("note", "admin"),
            ("assignment", "admin")]  # fmt: skip
        assert "INV-20931" in parts[2]["body"]
        contact = conv["contacts"]["contacts"][0]
        assert contact["id"] == JORDAN

        # 3. the customer's plan, from their visitor profile
        visitor = await call(c, "get_single_intercom_visitor_by_id", {"user_id": contact["external_id"]})
        assert visitor["name"] == "Jordan Blake"
        plan = visitor["companies"]["companies"][0]["plan"]["name"]
        assert plan == "Growth"

        # 4. who am I (the admin_id for the reply and the snooze)
        me = await call(c, "intercom_admins_me", {})
        assert me["id"] == ME and me["email_verified"] is True

        # 5. the reply to the customer
        text = (f"<p>Hi Jordan, sorry about the duplicate charge on your {plan} plan. We will refund it; refunds "
                "are processed within 3-5 business days.</p>")  # fmt: skip
        reply = {"type": "admin", "admin_id": me["id"], "message_type": "comment", "body": text}
        replied = await call(c, "intercom_conversations_reply", {"conversation_id": "10934855", **reply})
        assert replied["id"] == "10934855" and replied["state"] == "open"  # a confirmation, not the thread

        # a misspelt action is refused before anything is sent, naming the allowed values
        wrong = await c.call_tool("intercom_conversations_manage", {
            "conversation_id": "10934855", "message_type": "snooze", "admin_id": me["id"],
            "snoozed_until": now + 72 * 3600})  # fmt: skip
        assert wrong.is_error and '"snoozed"' in wrong.content[0].text
        assert len(app.requests) == 5

        # 6. snooze for 72 hours
        until = now + 72 * 3600
        snooze = {"message_type": "snoozed", "admin_id": me["id"], "snoozed_until": until}
        snoozed = await call(c, "intercom_conversations_manage", {"conversation_id": "10934855", **snooze})
        assert (snoozed["id"], snoozed["state"]) == ("10934855", "snoozed")
        result = await c.call_tool("intercom_admins_me", {})
        assert result.meta is not None
        assert (result.meta["ratelimit-limit"], result.meta["ratelimit-remaining"]) == (100, 93)
        assert 0 < result.meta["ratelimit-reset"] <= 60  # seconds from now, from a Unix-time header

    conv = app.state.conversations["10934855"]
    assert conv["state"] == "snoozed" and conv["snoozed_until"] == until
    assert [p["part_type"] for p in conv["parts"]][-2:] == ["comment", "snoozed"]
    assert sent(app) == [
        ("POST", "/conversations/search", {"query": query}),
        ("GET", "/conversations/10934855", None),
        ("GET", "/visitors", None),
        ("GET", "/me", None),
        ("POST", "/conversations/10934855/reply", reply),
        ("POST", "/conversations/10934855/parts", snooze),
        ("GET", "/me", None),
    ]
    assert app.requests[2].query == [("user_id", "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83")]
    assert_headers(app)


@pytest.mark.parametrize("mode", MODES)
async def test_escalate_bug_to_ticket_and_close(app: MockApp, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. read the conversation and find the steps to reproduce
        conv = await call(c, "get_single_intercom_conversation_by_id", {"conversation_id": 5099231})
        assert "500 error on the checkout page" in conv["source"]["body"]
        steps = next(p for p in conv["timeline"]
                     if p["author"]["type"] == "user" and "Steps to reproduce" in p.get("body", ""))  # fmt: skip
        assert "SPRING25" in steps["body"]
        contact_id = conv["contacts"]["contacts"][0]["id"]
        assert contact_id == OMAR
        admin_id = conv["admin_assignee_id"]  # a number in this answer; the tools take it as it is
        assert admin_id == int(ME)

        # 2. the engineering ticket type and its built-in attributes
        types = await call(c, "list_all_intercom_ticket_types", {})
        bug = next(t for t in types["data"] if "Engineering" in t["name"] and not t["archived"])
        assert bug["id"] == "2002" and bug["category"] == "Back-office"
        attributes = [a["name"] for a in bug["ticket_type_attributes"]["ticket_type_attributes"]]
        assert {"_default_title_", "_default_description_"} <= set(attributes)

        # 3. the ticket, for exactly one contact, linked to the conversation
        description = ("Checkout answers 500. Steps: add the Pro plan to the cart, apply coupon SPRING25, click Pay "
                       "now. Chrome 131 on macOS.")  # fmt: skip
        ticket_args = {
            "ticket_type_id": bug["id"], "contacts": [{"id": contact_id}], "conversation_to_link_id": "5099231",
            "ticket_attributes": {"_default_title_": "500 error on checkout with coupon",
                                  "_default_description_": description},
        }  # fmt: skip
        ticket = await call(c, "create_a_intercom_ticket", ticket_args)  # a confirmation with its ids
        assert ticket["type"] == "ticket" and ticket["ticket_id"] == "44" and ticket["id"] != ticket["ticket_id"]
        created = await call(c, "get_single_intercom_ticket_by_id", {"ticket_id": ticket["id"]})
        assert created["contacts"]["contacts"] == [{"type": "contact", "id": OMAR, "external_id": "usr_1002"}]
        assert created["ticket_attributes"]["_default_description_"] == description
        assert created["ticket_state"]["category"] == "submitted"
        assert created["ticket_type"]["name"] == "Engineering Bug"

        # 4. tell the customer the ticket number
        text = f"<p>I have escalated this to our engineering team under ticket #{ticket['ticket_id']}.</p>"
        reply = {"type": "admin", "admin_id": admin_id, "message_type": "comment", "body": text}
        replied = await call(c, "intercom_conversations_reply", {"conversation_id": "5099231", **reply})
        assert replied["id"] == "5099231"

        # 5. close the conversation
        close = {"message_type": "close", "type": "admin", "admin_id": admin_id}
        closed = await call(c, "intercom_conversations_manage", {"conversation_id": "5099231", **close})
        assert closed["state"] == "closed"
        after = await call(c, "get_single_intercom_conversation_by_id", {"conversation_id": "5099231"})
        assert after["timeline"][-2]["body"] == text.removeprefix("<p>").removesuffix("</p>")
        assert after["linked_objects"]["data"] == [{"type": "ticket", "id": ticket["id"], "category": "Back-office"}]

    conv = app.state.conversations["5099231"]
    assert conv["state"] == "closed"
    assert [p["part_type"] for p in conv["parts"]][-2:] == ["comment", "close"]
    stored = app.state.tickets[ticket["id"]]
    assert stored["contact_ids"] == [OMAR] and stored["ticket_type_id"] == "2002"
    assert stored["attributes"]["_default_title_"] == "500 error on checkout with coupon"
    assert sent(app) == [
        ("GET", "/conversations/5099231", None),
        ("GET", "/ticket_types", None),
        ("POST", "/tickets", ticket_args),
        ("GET", f"/tickets/{ticket['id']}", None),
        ("POST", "/conversations/5099231/reply", reply),
        ("POST", "/conversations/5099231/parts", close),
        ("GET", "/conversations/5099231", None),
    ]
    assert_headers(app)


# -- issue 15: macros, tickets from conversations, segments ------------------------------------

SAM = "66f0c1d2e3a4b5c600000006"
AIKO = "66f0c1d2e3a4b5c600000009"
PLACEHOLDER = re.compile(r'<attribute key="([^"]+)"(?: default="([^"]*)")?/>')


@pytest.mark.parametrize("mode", MODES)
async def test_reply_with_a_macro_and_tag_the_contact(app: MockApp, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. the conversation: who wrote in, and about which order
        conv = await call(c, "get_single_intercom_conversation_by_id", {"conversation_id": 10934712})
        contact_id = conv["contacts"]["contacts"][0]["id"]
        assert contact_id == SAM and "refund" in conv["source"]["body"]
        order = conv["custom_attributes"]["Order number"]
        assert order == "INV-20877"

        # 2. the saved replies, and the one that fits
        macros = await call(c, "list_all_intercom_macros", {})
        assert macros["type"] == "list" and macros["has_more"] is False
        assert "body" not in macros["data"][0]  # the list leaves out the HTML; `body_text` says the same
        refund = next(m for m in macros["data"] if m["name"] == "Refund on its way")
        macro = await call(c, "get_single_intercom_macro_by_id", {"macro_id": refund["id"]})
        assert '<attribute key="user.first_name" default="there"/>' in macro["body"]
        assert '{{user.first_name|fallback:"there"}}' in macro["body_text"]

        # 3. the values of its placeholders: the contact's first name, the order number
        contact = await call(c, "get_single_intercom_contact_by_id", {"contact_id": contact_id})
        values = {"user.first_name": contact["name"].split()[0], "conversation.custom_attributes.Order number": order}
        text = PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or m.group(2) or "", macro["body"])
        assert "<attribute" not in text and "Hi Sam," in text and "a refund for INV-20877." in text

        # 4. the reply, as the admin behind the token
        me = await call(c, "intercom_admins_me", {})
        reply = {"type": "admin", "admin_id": me["id"], "message_type": "comment", "body": text}
        replied = await call(c, "intercom_conversations_reply", {"conversation_id": "10934712", **reply})
        assert replied["id"] == "10934712"

        # 5. tag the contact as a refund case
        tags = await call(c, "list_all_intercom_tags", {})
        tag = next(t for t in tags["data"] if t["name"] == "refund")
        tagged = await call(c, "intercom_contacts_attach_tag", {"contact_id": contact_id, "id": tag["id"]})
        assert tagged["id"] == tag["id"]
        on_contact = await call(c, "list_all_intercom_contact_tags", {"contact_id": contact_id})
        assert [t["name"] for t in on_contact["data"]] == ["refund"]

    assert tag["id"] in app.state.contacts[SAM]["_tag_ids"]
    assert app.state.conversations["10934712"]["parts"][-1]["body"] == text
    assert sent(app) == [
        ("GET", "/conversations/10934712", None),
        ("GET", "/macros", None),
        ("GET", f"/macros/{refund['id']}", None),
        ("GET", f"/contacts/{SAM}", None),
        ("GET", "/me", None),
        ("POST", "/conversations/10934712/reply", reply),
        ("GET", "/tags", None),
        ("POST", f"/contacts/{SAM}/tags", {"id": tag["id"]}),
        ("GET", f"/contacts/{SAM}/tags", None),
    ]
    assert_headers(app)


@pytest.mark.parametrize("mode", MODES)
async def test_convert_a_conversation_to_a_ticket_and_tag_it(app: MockApp, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. the conversation to follow up as a ticket
        conv = await call(c, "get_single_intercom_conversation_by_id", {"conversation_id": 10934855})
        assert "charged twice" in conv["source"]["body"] and conv["contacts"]["contacts"][0]["id"] == JORDAN

        # 2. a customer ticket type, and its "in progress" state
        types = await call(c, "list_all_intercom_ticket_types", {})
        customer = next(t for t in types["data"] if t["category"] == "Customer" and not t["archived"])
        assert customer["id"] == "2001"
        states = await call(c, "list_all_intercom_ticket_states", {})
        in_progress = next(s for s in states["data"] if s["category"] == "in_progress"
                           and customer["id"] in [t["id"] for t in s["ticket_types"]["data"]])  # fmt: skip
        assert in_progress["id"] == "4002"

        # 3. convert
        attributes = {"_default_title_": "Duplicate charge on INV-20931", "Order number": "INV-20931"}
        convert = {"conversation_id": 10934855, "ticket_type_id": customer["id"], "ticket_state_id": in_progress["id"],
                   "attributes": attributes}  # fmt: skip
        ticket = await call(c, "intercom_conversations_convert_to_ticket", convert)
        assert ticket["type"] == "ticket" and ticket["ticket_id"] == "44"
        made = await call(c, "get_single_intercom_ticket_by_id", {"ticket_id": ticket["id"]})
        assert made["category"] == "Customer" and made["ticket_state"]["category"] == "in_progress"
        assert made["contacts"]["contacts"][0]["id"] == JORDAN
        first = made["ticket_parts"]["ticket_parts"][0]
        assert first["part_type"] == "comment" and "charged twice" in first["body"]

        # 4. a new tag for such tickets, applied by the admin behind the token
        me = await call(c, "intercom_admins_me", {})
        tag = await call(c, "create_a_intercom_tag", {"name": "duplicate-charge"})  # flat, like every tool
        tag_args = {"ticket_id": ticket["id"], "id": tag["id"], "admin_id": me["id"]}
        tagged = await call(c, "intercom_tickets_attach_tag", tag_args)
        assert tagged["id"] == tag["id"]

    stored = app.state.tickets[ticket["id"]]
    assert [t["id"] for t in stored["tags"]] == [tag["id"]] and stored["state_id"] == "4002"
    assert stored["attributes"]["Order number"] == "INV-20931"
    assert sent(app) == [
        ("GET", "/conversations/10934855", None),
        ("GET", "/ticket_types", None),
        ("GET", "/ticket_states", None),
        ("POST", "/conversations/10934855/convert", {k: v for k, v in convert.items() if k != "conversation_id"}),
        ("GET", f"/tickets/{ticket['id']}", None),
        ("GET", "/me", None),
        ("POST", "/tags", {"name": "duplicate-charge"}),
        ("POST", f"/tickets/{ticket['id']}/tags", {"id": tag["id"], "admin_id": ME}),
    ]
    assert_headers(app)


@pytest.mark.parametrize("mode", MODES)
async def test_find_the_contacts_of_a_segment_and_note_one(app: MockApp, now: int, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. the segment, by name
        segments = await call(c, "list_all_intercom_segments", {"include_count": True})
        vip = next(s for s in segments["segments"] if s["name"] == "VIP customers")
        assert vip["count"] == 2 and vip["person_type"] == "user"

        # 2. its contacts, by searching on segment_id
        query = {"field": "segment_id", "operator": "=", "value": vip["id"]}
        found = await call(c, "list_all_intercom_search_contacts", {"query": query})
        assert found["total_count"] == 2
        by_name = {contact["name"]: contact for contact in found["data"]}
        assert set(by_name) == {"Maya Chen", "Aiko Tanaka"}
        aiko = by_name["Aiko Tanaka"]
        assert aiko["id"] == AIKO

        # 3. a note on one of them, as the admin behind the token
        me = await call(c, "intercom_admins_me", {})
        text = "Offered early access to the new SSO dashboard; follow up after the beta."
        note_args = {"contact_id": aiko["id"], "admin_id": me["id"], "body": text}
        note = await call(c, "create_a_intercom_contact_note", note_args)
        notes = await call(c, "list_all_intercom_contact_notes", {"contact_id": aiko["id"]})
        assert [n["id"] for n in notes["data"]] == [note["id"]]
        written = notes["data"][0]
        assert written["body"] == f"<p>{text}</p>" and written["contact"]["id"] == AIKO
        assert (written["author"]["id"], written["created_at"]) == (ME, now)

    assert app.state.notes[note["id"]]["_about"] == ("contact", AIKO)
    assert app.state.contacts[AIKO]["_note_ids"] == [note["id"]]
    assert sent(app) == [
        ("GET", "/segments", None),
        ("POST", "/contacts/search", {"query": query}),
        ("GET", "/me", None),
        ("POST", f"/contacts/{AIKO}/notes", {"admin_id": ME, "body": text}),
        ("GET", f"/contacts/{AIKO}/notes", None),
    ]
    assert app.requests[0].query == [("include_count", "true")]
    assert_headers(app)
