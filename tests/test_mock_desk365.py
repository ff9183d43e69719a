"""The mock upstream (``helpdesk_mock``) serving Desk365.

Black-box over HTTP: in-process through ``app.transport()`` (async) and
``app.sync_transport()`` (sync), through the generated typed client, and as a real
process driven by the generated MCP server over stdio. Covers the CRUD flows on the
state, identifier resolution, paging, every Desk365 quirk, request validation (the
vendor-shaped 400s, 401, 404, 405), the rate-limit bucket on an injected clock, the
recording, the fault settings, and that every fixture answer conforms to the
document (checked here with a validator built independently of the mock's own).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from mcp import Client, StdioServerParameters
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generated.desk365 import AsyncDesk365Client, Desk365Client, ResponseError, TimeoutError_
from helpdesk_mock import MockApp, MockResponse, MockSettings, Recorded
from tests.mocks import create_app

ROOT = Path(__file__).resolve().parents[1]
KEY = {"Authorization": "mock-key"}
BASE = "http://127.0.0.1:4010"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_767_225_600.0  # 2026-01-01, after every fixture

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> MockApp:
    return create_app("desk365", settings=MockSettings(), clock=clock)


@pytest.fixture
async def http(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=app.transport(), base_url=BASE, headers=KEY) as client:
        yield client


def vendor_error(response: httpx.Response, status: int) -> str:
    """Assert the Desk365 error shape; return the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "error", "message"}
    assert body["status"] == status and isinstance(body["error"], str) and body["message"]
    return str(body["message"])


# -- the document drives the core ---------------------------------------------------------


def test_every_operation_has_a_handler(app: MockApp) -> None:
    assert len(app.spec.operations) == 44
    assert sorted(app.spec.operations) == sorted(app.plugin.handlers)


@pytest.mark.anyio
async def test_unknown_path_is_404_and_wrong_method_405(http: httpx.AsyncClient) -> None:
    assert "no such path: /v3/agents" in vendor_error(await http.get("/v3/agents"), 404)
    response = await http.delete("/v3/tickets/details", params={"ticket_number": "91"})
    assert "use GET" in vendor_error(response, 405)
    assert response.headers["allow"] == "GET"
    assert (await http.get("/v3/kb/article/")).status_code == 200  # the trailing slash is part of the path
    vendor_error(await http.get("/v3/kb/article"), 404)


@pytest.mark.anyio
async def test_missing_credential_is_401(app: MockApp, http: httpx.AsyncClient) -> None:
    message = vendor_error(await http.get("/v3/ping", headers={"Authorization": ""}), 401)
    assert "Authorization header" in message
    app.settings.credential = "the-one"
    assert "not valid" in vendor_error(await http.get("/v3/ping"), 401)
    assert (await http.get("/v3/ping", headers={"Authorization": "the-one"})).status_code == 200


@pytest.mark.anyio
async def test_document_violations_are_vendor_shaped_400s(app: MockApp, http: httpx.AsyncClient) -> None:
    cases: list[tuple[httpx.Response, str]] = [
        (await http.get("/v3/tickets", params={"ticket_count": "10"}),
         'ticket_count must be one of "30", "50", "100"; got "10"'),
        (await http.get("/v3/time_entries", params={"time_entries_count": "10"}),
         'time_entries_count must be one of "30", "50", "100"; got "10"'),
        (await http.get("/v3/tickets/details"), "ticket_number is required"),
        (await http.get("/v3/tickets/details", params={"ticket_number": "abc"}),
         'ticket_number must be an integer; got "abc"'),
        (await http.get("/v3/tickets/details", params=[("ticket_number", "1"), ("ticket_number", "2")]),
         "ticket_number is given 2 times"),
        (await http.get("/v3/tickets/details", params={"ticket_number": "0"}), "ticket_number must be >= 1"),
        (await http.get("/v3/tickets", params={"page": "2"}), "unknown query parameter(s) page"),
        (await http.get("/v3/tickets", params={"filters": "{status: Open}"}), "filters must be JSON text"),
        (await http.get("/v3/tickets", params={"filters": '{"status": "Open"}'}), "filters.status must be an array"),
        (await http.get("/v3/tickets", params={"filters": '{"colour": ["red"]}'}), "filters does not accept colour"),
        (await http.post("/v3/tickets/create", json={"subject": 5}), "body.subject must be a string"),
        (await http.post("/v3/tickets/create", json={"priority": 3}), "body.priority must be one of 1, 5, 10, 20"),
        (await http.post("/v3/tickets/create", json={"subjekt": "x"}), "body does not accept subjekt"),
        (await http.post("/v3/tickets/create", content=b"{", headers={"content-type": "application/json"}),
         "not valid JSON"),
        (await http.post("/v3/tickets/create", data={"subject": "x"}), "Content-Type must be application/json"),
        (await http.post("/v3/tickets/create"), "a request body is required"),
        (await http.request("GET", "/v3/ping", content=b"x"), "takes no request body"),
    ]  # fmt: skip
    for response, expected in cases:
        assert expected in vendor_error(response, 400), (response.request.url, expected)
    assert len(app.state.tickets) == 75  # nothing was created


@pytest.mark.anyio
async def test_multipart_is_validated(http: httpx.AsyncClient) -> None:
    url = "/v3/tickets/add_note_with_attachment"
    query = {"ticket_number": "91", "note_object": json.dumps({"body": "<p>logs</p>"})}
    one = ("a.log", b"spooler crashed", "text/plain")
    cases: list[tuple[dict[str, Any], Any, str]] = [
        (query, [("file", one), ("files", one)], "give exactly one of file, files; got file, files"),
        (query, {"x": "1"}, "give exactly one of file, files; got none"),
        (query, [("file", one), ("file", one)], "body.file is given 2 times"),
        (query, [("file", one), ("extra", one)], "body does not accept extra"),
        ({**query, "note_object": '{"private_note": 2}'}, [("file", one)],
         "note_object.private_note must be one of 0, 1"),
        ({**query, "note_object": "nope"}, [("file", one)], "note_object must be JSON text"),
        ({"ticket_number": "91"}, [("file", one)], "note_object is required"),
    ]  # fmt: skip
    for params, files, expected in cases:
        if isinstance(files, dict):
            response = await http.post(url, params=params, data=files, files=[("dummy", ("d", b"", "text/plain"))])
        else:
            response = await http.post(url, params=params, files=files)
        assert expected in vendor_error(response, 400), expected
    text_for_file = await http.post(url, params=query, content=_multipart([("file", None, b"plain text")]),
                                    headers={"content-type": "multipart/form-data; boundary=XyZ"})  # fmt: skip
    assert "body.file must be a file part" in vendor_error(text_for_file, 400)
    garbage = await http.post(url, params=query, content=b"garbage", headers={"content-type": "multipart/form-data"})
    assert "cannot parse the multipart body" in vendor_error(garbage, 400)


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--XyZ\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return out + b"--XyZ--\r\n"


# -- state: CRUD flows and identifiers --------------------------------------------------------


@pytest.mark.anyio
async def test_ticket_flow(http: httpx.AsyncClient, clock: Clock) -> None:
    created = await http.post("/v3/tickets/create", json={
        "email": "ops.lead@tailspintoys.example", "subject": "Badge reader offline", "priority": 10,
        "description": "<p>Since <b>8am</b></p>", "status": "open", "assign_to": "mia.rossi@acme-helpdesk.example",
        "sub_category": "Printers", "custom_fields": {"cf_Department": "Facilities"}, "watchers": ["a@x.example"],
    })  # fmt: skip
    assert created.status_code == 200
    ticket = created.json()
    number = ticket["ticket_number"]
    assert number == 92 and ticket["status"] == "Open" and ticket["source"] == 15
    assert ticket["assigned_to"] == "mia.rossi@acme-helpdesk.example" and ticket["subcategory"] == "Printers"
    assert ticket["contact_name"] == "Ops Lead" and ticket["description_text"] == "Since 8am"
    assert ticket["created_on"] == time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(clock.now))
    assert (await http.get("/v3/tickets/details", params={"ticket_number": number})).json() == ticket
    contact = (await http.get("/v3/contacts/details", params={"primary_email": "OPS.LEAD@tailspintoys.example"})).json()
    assert contact["name"] == "Ops Lead"  # Desk365 adds a contact for a new requester

    clock.now += 3600
    updated = (await http.put("/v3/tickets/update", params={"ticket_number": number}, json={
        "status": "resolved", "assign_to": "- -", "watchers": {"add": ["b@x.example"], "remove": ["a@x.example"]},
        "custom_fields": {"cf_Priority Reason": "VIP"},
    })).json()  # fmt: skip
    assert updated["status"] == "Resolved" and updated["resolved_on"] == updated["updated_on"]
    assert updated["assigned_to"] is None and updated["watchers"] == ["b@x.example"]
    assert updated["custom_fields"] == {"cf_Department": "Facilities", "cf_Priority Reason": "VIP"}

    newest = (await http.get("/v3/tickets", params={"order_by": "updated_time"})).json()["tickets"][0]
    assert newest["ticket_number"] == number and "description" not in newest and "custom_fields" not in newest

    reply = await http.post("/v3/tickets/add_reply", params={"ticket_number": number},
                            json={"body": "<p>Replaced the reader.</p>", "cc_emails": "boss@x.example"})  # fmt: skip
    assert reply.status_code == 201
    assert reply.json()["to_email"] == "ops.lead@tailspintoys.example"
    assert reply.json()["from_email"] == "support@acme-helpdesk.example"
    note = await http.post(
        "/v3/tickets/add_note", params={"ticket_number": number}, json={"body": "fixed", "private_note": 0}
    )
    assert note.status_code == 201 and note.json()["private_note"] == 0
    talk = (await http.get("/v3/tickets/conversations", params={"ticket_number": number})).json()
    assert [m["type"] for m in talk["conversations"]] == ["reply", "note"]
    assert talk["conversations"][1]["public_note"] is True and talk["public_note_count"] == 1
    notes_only = (await http.get("/v3/tickets/conversations", params={
        "ticket_number": number, "include_agent_replies": "0", "sort_by": "latest_on_top"})).json()  # fmt: skip
    assert notes_only["count"] == 1 and notes_only["agent_reply_count"] == 1
    details = (await http.get("/v3/tickets/details", params={"ticket_number": number})).json()
    assert details["conversation_count"] == 2 and details["first_response_time"] is not None


@pytest.mark.anyio
async def test_attachments_flow(http: httpx.AsyncClient) -> None:
    ticket = await http.post(
        "/v3/tickets/create_with_attachment",
        params={"ticket_object": json.dumps({"email": "jane.doe@example.com", "subject": "Screenshot"})},
        files=[("files", ("a.png", b"\x89PNG", "image/png")), ("files", ("b.log", b"log", "text/plain"))],
    )
    assert ticket.status_code == 200
    assert [(a["file_name"], a["file_size"]) for a in ticket.json()["attachments"]] == [("a.png", 4), ("b.log", 3)]
    number = ticket.json()["ticket_number"]
    reply = await http.post("/v3/tickets/add_reply_with_attachment",
                            params={"ticket_number": number, "reply_object": json.dumps({"body": "see attached"})},
                            files={"file": ("fix.txt", b"steps", "text/plain")})  # fmt: skip
    assert reply.status_code == 201 and reply.json()["attachments"][0]["file_type"] == "text/plain"
    contact = await http.post("/v3/contacts/create_with_attachment",
                              params={"contact_object": json.dumps({"name": "Li", "primary_email": "li@x.example"})},
                              files={"file": ("card.vcf", b"BEGIN:VCARD", "text/vcard")})  # fmt: skip
    assert contact.status_code == 200 and contact.json()["primary_email"] == "li@x.example"


@pytest.mark.anyio
async def test_contact_and_company_flow(http: httpx.AsyncClient) -> None:
    body = {"name": "Joe Smith", "primary_email": "Joe@Contoso.com", "company_name": "Contoso", "title": "Manager"}
    assert (await http.post("/v3/contacts/create", json=body)).status_code == 200
    assert "already exists" in vendor_error(await http.post("/v3/contacts/create", json=body), 403)
    assert "primary_email is required" in vendor_error(await http.post("/v3/contacts/create", json={"name": "x"}), 403)
    got = (await http.get("/v3/contacts/details", params={"primary_email": "joe@contoso.com"})).json()
    assert got["name"] == "Joe Smith" and got["title"] == "Manager"
    changed = (await http.put("/v3/contacts/update", params={"primary_email": "JOE@contoso.com"},
                              json={"title": "Director"})).json()  # fmt: skip
    assert changed["title"] == "Director"
    people = (await http.get("/v3/contacts", params={"company": "contoso", "order_by": "4"})).json()["content"]
    emails = [c["primary_email"] for c in people]
    assert "Joe@Contoso.com" in emails and emails == sorted(emails, key=str.lower)

    new = {"name": "Globex", "domains": "globex.example, globex.test", "city": "Springfield"}
    assert (await http.post("/v3/companies/create", json=new)).json()["domains"] == "globex.example, globex.test"
    renamed = await http.put("/v3/companies/update", params={"company_name": "globex"},
                             json={"name": "Globex Corporation", "sla": "helpdesk default"})  # fmt: skip
    assert renamed.json()["name"] == "Globex Corporation" and renamed.json()["sla"] == "Default SLA Policy"
    vendor_error(await http.get("/v3/companies/details", params={"name": "Globex"}), 404)
    clash = await http.put(
        "/v3/companies/update", params={"company_name": "Globex Corporation"}, json={"name": "Contoso"}
    )
    assert "already exists" in vendor_error(clash, 403)
    listed = (await http.get("/v3/companies", params={"offset": "30"})).json()["content"]
    assert listed[-1]["name"] == "Globex Corporation" and listed[-1]["domains"] == ["globex.example", "globex.test"]
    await http.put("/v3/companies/update", params={"company_name": "Contoso"}, json={"name": "Contoso Ltd"})
    joe = (await http.get("/v3/contacts/details", params={"primary_email": "joe@contoso.com"})).json()
    assert joe["company_name"] == "Contoso Ltd"  # a renamed company keeps its contacts


@pytest.mark.anyio
async def test_knowledge_base_flow(http: httpx.AsyncClient) -> None:
    cat = {"category_name": "Security", "category_description": "Keeping accounts safe", "support_portal_visibility": 2}
    assert (await http.post("/v3/kb/category/create", json=cat)).json()["category_order"] == 4
    folder = {"category_name": "Security", "folder_name": "Passwords"}
    assert (await http.post("/v3/kb/folder/create", json=folder)).json()["parent_category_name"] == "Security"
    missing = await http.post("/v3/kb/folder/create", json={"category_name": "Nope", "folder_name": "X"})
    assert "no knowledge base category named 'Nope'" in vendor_error(missing, 404)
    article = {"article_title": "Choosing a strong password", "article_content": "<p>Use a manager.</p>",
               "category_name": "Security", "folder_name": "Passwords", "status": 1}  # fmt: skip
    created = (await http.post("/v3/kb/article/create", json=article)).json()
    assert created["article_content_text"] == "Use a manager." and created["support_url"].endswith("strong-password")
    titles = (await http.get("/v3/kb/article/")).json()
    assert titles["count"] == 9 and titles["article_titles"][-1] == "Choosing a strong password"

    await http.put(
        "/v3/kb/category/update", params={"category_name": "security"}, json={"category_name": "Account Security"}
    )
    await http.put("/v3/kb/folder/update", params={"category_name": "Account Security", "folder_name": "Passwords"},
                   json={"folder_name": "Passwords and 2FA"})  # fmt: skip
    moved = (await http.get("/v3/kb/article/details", params={"article_name": "choosing a strong password"})).json()
    assert (moved["category_name"], moved["folder_name"]) == ("Account Security", "Passwords and 2FA")
    got = await http.get(
        "/v3/kb/folder/details", params={"category_name": "Account Security", "folder_name": "passwords and 2fa"}
    )
    assert got.json()["category_name"] == "Passwords and 2FA"
    await http.put("/v3/kb/article/update", params={"article_name": "Choosing a strong password"},
                   json={"article_title": "Strong passwords", "status": 2})  # fmt: skip
    assert (await http.get("/v3/kb/article/details", params={"article_name": "Strong passwords"})).json()["status"] == 2

    deleted = await http.delete("/v3/kb/article/delete", params={"article_name": "Strong passwords"})
    assert deleted.json() == {"message": "KB Article successfully deleted."}
    vendor_error(await http.get("/v3/kb/article/details", params={"article_name": "Strong passwords"}), 404)
    gone = await http.delete("/v3/kb/category/delete", params={"category_name": "Help Center"})
    assert gone.json() == {"message": "KB Category successfully deleted."}
    vendor_error(
        await http.get("/v3/kb/folder/details", params={"category_name": "Help Center", "folder_name": "User Guides"}),
        404,
    )
    vendor_error(await http.get("/v3/kb/article/details", params={"article_name": "How to reset your password"}), 404)
    await http.delete("/v3/kb/folder/delete", params={"category_name": "Billing & Payments", "folder_name": "Invoices"})
    assert (await http.get("/v3/kb/article/")).json()["count"] == 2


@pytest.mark.anyio
async def test_identifiers_resolve_like_desk365(http: httpx.AsyncClient) -> None:
    found = {
        "/v3/tickets/details": ({"ticket_number": "91"}, "ticket_number", 91),
        "/v3/contacts/details": ({"primary_email": "Jane.Doe@EXAMPLE.com"}, "name", "Jane Doe"),
        "/v3/companies/details": ({"name": "R&D / Ops #1"}, "name", "R&D / Ops #1"),
        "/v3/time_entries/details": ({"id": "5001"}, "id", 5001),
        "/v3/surveys/details": ({"survey_name": "net promoter score"}, "survey_type", 3),
        "/v3/kb/category/details": ({"category_name": "Help Center"}, "category_order", 1),
        "/v3/kb/folder/details": ({"category_name": "Help Center", "folder_name": "User Guides"},
                                  "parent_category_name", "Help Center"),
        "/v3/kb/article/details": ({"article_name": "How to reset your password"}, "status", 1),
    }  # fmt: skip
    for path, (params, key, value) in found.items():
        response = await http.get(path, params=params)
        assert response.status_code == 200 and response.json()[key] == value, path
        vendor_error(await http.get(path, params={k: v + "9" for k, v in params.items()}), 404)


# -- lists and paging ---------------------------------------------------------------------


@pytest.mark.anyio
async def test_ticket_paging(http: httpx.AsyncClient) -> None:
    seen: list[int] = []
    url: str | None = "/v3/tickets?ticket_count=30"
    pages = []
    while url:
        body = (await http.get(url)).json()
        pages.append(body["count"])
        seen += [t["ticket_number"] for t in body["tickets"]]
        url = body["next_page"]
    assert pages == [30, 30, 15]
    assert seen == list(range(91, 16, -1))  # newest first, each ticket once
    for size, first in (("50", 50), ("100", 75)):
        assert (await http.get("/v3/tickets", params={"ticket_count": size})).json()["count"] == first
    last = (await http.get("/v3/tickets", params={"ticket_count": "50", "offset": "50", "order_type": "asc"})).json()
    assert last["count"] == 25 and last["next_page"] is None and last["tickets"][0]["ticket_number"] == 67


@pytest.mark.anyio
async def test_list_filters_and_fixed_pages(http: httpx.AsyncClient) -> None:
    filters = json.dumps({"status": ["open"], "priority": ["10", "20"], "assigned_to": ["--"]})
    rows = (await http.get("/v3/tickets", params={"filters": filters, "ticket_count": "100"})).json()["tickets"]
    assert rows and all(t["status"] == "Open" and t["priority"] >= 10 and t["assigned_to"] is None for t in rows)
    detailed = (await http.get("/v3/tickets", params={
        "include_description": "1", "include_custom_fields": "1", "include_survey_details": "1", "ticket_count": "100",
    })).json()["tickets"]  # fmt: skip
    assert all("description" in t and "cf_Department" in t["custom_fields"] for t in detailed)
    assert any("survey_rating" in t for t in detailed)
    nested = (await http.get("/v3/tickets", params={"nested_fields": "1", "include_custom_fields": "1"})).json()
    assert "cf_Department" in nested["tickets"][0] and "custom_fields" not in nested["tickets"][0]
    since = (await http.get("/v3/tickets", params={"updated_since": "2025-11-24 00:00:00"})).json()["tickets"]
    assert since and all(t["updated_on"] >= "2025-11-24 00:00:00" for t in since)

    for path, key, total in (("/v3/contacts", "content", 40), ("/v3/companies", "content", 35),
                             ("/v3/surveys/ratings", "survey_ratings", 35)):  # fmt: skip
        first = (await http.get(path)).json()
        second = (await http.get(path, params={"offset": "30"})).json()
        assert (first["count"], second["count"]) == (30, total - 30), path
        assert not {json.dumps(x) for x in first[key]} & {json.dumps(x) for x in second[key]}
    entries = (await http.get("/v3/time_entries", params={"time_entries_count": "50"})).json()
    assert entries["count"] == 45
    billable = (
        await http.get("/v3/time_entries", params={"billable": "0", "agent_email": "AVA.MORGAN@acme-helpdesk.example"})
    ).json()
    assert billable["content"] and all(
        e["billable"] == 0 and e["agent_email"].startswith("ava") for e in billable["content"]
    )
    on_ticket = (await http.get("/v3/time_entries", params={"ticket_number": "17"})).json()["content"]
    assert [e["id"] for e in on_ticket] == [5001, 5026]
    surveys = (await http.get("/v3/surveys")).json()
    assert surveys["count"] == 3


# -- quirks -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_contracts_answer_403_until_enabled(app: MockApp, http: httpx.AsyncClient) -> None:
    assert "help@desk365.io" in vendor_error(await http.get("/v3/contracts"), 403)
    vendor_error(await http.post("/v3/contracts/create", json={"name": "X"}), 403)
    app.settings.features.add("contracts")
    assert (await http.get("/v3/contracts")).json()["count"] == 4
    active = (await http.get("/v3/contracts", params={"include_inactive_contracts": "0"})).json()
    assert "Northwind Legacy Support" not in [c["name"] for c in active["contracts"]]
    created = await http.post("/v3/contracts/create", json={
        "name": "Globex Hours", "company": "Contoso", "contract_type": 2, "reference_number": "CT-2000",
        "block_hours": {"contract_hours": 10, "min_increment": 15, "rollover_unused_hours": True},
    })  # fmt: skip
    assert created.json()["block_hours"]["rollover_unused_hours"] is True and created.json()["block_tickets"] is None
    updated = await http.put("/v3/contracts/update", params={"reference_number": "CT-2000"},
                             json={"contract_category": "Gold", "setup_fees": 100})  # fmt: skip
    assert updated.json()["contract_category"] == "Gold" and updated.json()["setup_fees"] == 100
    got = (await http.get("/v3/contracts/details", params={"contract_name": "globex hours"})).json()
    assert got["category"] == "Gold" and got["total_available_mins"] == 600
    vendor_error(await http.get("/v3/contracts/details"), 404)


@pytest.mark.anyio
async def test_rate_limit_bucket_on_an_injected_clock(app: MockApp, http: httpx.AsyncClient, clock: Clock) -> None:
    app.settings.ratelimit, app.settings.ratelimit_window = 3, 60.0
    remaining = [(await http.get("/v3/ping")).headers["x-rate-limit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = await http.post("/v3/tickets/create", json={"subject": "one too many"})
    assert "Rate limit exceeded" in vendor_error(refused, 429)
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert len(app.state.tickets) == 75  # the handler did not run
    assert vendor_error(await http.get("/v3/nope"), 404) and app.requests[-1].status == 404
    clock.now += 59.9
    vendor_error(await http.get("/v3/ping"), 429)
    clock.now += 0.2  # the window is over: full again, without sleeping
    again = await http.get("/v3/ping")
    assert again.status_code == 200 and again.headers["x-rate-limit-remaining"] == "2"
    app.settings.ratelimit = None
    assert "x-rate-limit-remaining" not in (await http.get("/v3/ping")).headers


# -- recording, reset, faults, strictness ------------------------------------------------------


@pytest.mark.anyio
async def test_every_request_is_recorded(app: MockApp, http: httpx.AsyncClient) -> None:
    await http.get("/v3/companies/details", params=[("name", "R&D / Ops #1")])
    await http.get("/v3/tickets", params=[("ticket_count", "10"), ("offset", "0")])
    await http.post("/v3/nowhere", content=b"\x00raw", headers={"content-type": "application/octet-stream"})
    await http.post("/v3/tickets/add_note", params={"ticket_number": "91"}, json={"body": "é"})
    assert all(isinstance(r, Recorded) for r in app.requests)
    first, bad, unknown, note = app.requests
    assert (first.method, first.path, first.query, first.status, first.operation_id) == (
        "GET",
        "/v3/companies/details",
        [("name", "R&D / Ops #1")],
        200,
        "getCompany",
    )
    assert first.headers["authorization"] == "mock-key" and first.body == b"" and first.content_type is None
    assert (bad.query, bad.status, bad.operation_id) == ([("ticket_count", "10"), ("offset", "0")], 400, "listTickets")
    assert (unknown.status, unknown.operation_id, unknown.body) == (404, None, b"\x00raw")
    assert (note.status, note.content_type, json.loads(note.body)) == (201, "application/json", {"body": "é"})
    assert bad.request is None and note.request is not None and note.request.json == {"body": "é"}
    assert note.request.params == {"ticket_number": 91}
    app.reset()
    assert app.requests == [] and len(app.state.conversations[91]) == 5


@pytest.mark.anyio
async def test_faults(app: MockApp, http: httpx.AsyncClient) -> None:
    app.settings.fault_status = 503
    assert "fault injected" in vendor_error(await http.get("/v3/tickets/details", params={"ticket_number": "91"}), 503)
    app.settings.fault_status = None
    app.settings.fault = "non_json"
    page = await http.get("/v3/ping")
    assert page.headers["content-type"] == "application/json" and page.text.startswith("<html>")
    app.settings.fault = "truncated"
    cut = await http.get("/v3/tickets/details", params={"ticket_number": "91"})
    assert (
        cut.status_code == 200
        and cut.text.startswith('{"ticket_number": 91')
        and int(cut.headers["content-length"]) == len(cut.content)
    )
    with pytest.raises(ValueError):
        cut.json()
    app.settings.fault, app.settings.fault_size = "huge", 200_000
    huge = await http.get("/v3/surveys")
    assert len(huge.content) == 200_000 and huge.json()["count"] == 3
    assert [r.status for r in app.requests] == [503, 200, 200, 200]  # recorded before the fault shaped the answer
    app.settings.fault = "truncated"
    async with AsyncDesk365Client(
        api_key="k", base_url=BASE, http_client=httpx.AsyncClient(transport=app.transport())
    ) as client:
        with pytest.raises(ResponseError, match="not valid JSON"):
            await client.tickets.get(ticket_number=91)


@pytest.mark.anyio
async def test_latency_lets_a_client_timeout_fire(app: MockApp) -> None:
    app.settings.fault, app.settings.fault_delay = "latency", 30.0
    started = time.monotonic()
    async with AsyncDesk365Client(api_key="k", base_url=BASE, timeout=0.2,
                                  http_client=httpx.AsyncClient(transport=app.transport())) as client:  # fmt: skip
        with pytest.raises(TimeoutError_):
            await client.ping.list()
    assert time.monotonic() - started < 5
    assert app.requests[0].status == 200


def test_trickle_lets_a_sync_client_timeout_fire(app: MockApp) -> None:
    app.settings.fault, app.settings.fault_delay = "trickle", 0.05
    started = time.monotonic()
    http = httpx.Client(transport=app.sync_transport())
    with Desk365Client(api_key="k", base_url=BASE, timeout=0.3, http_client=http) as client:
        with pytest.raises(TimeoutError_):
            client.kb_articles.list()
    assert time.monotonic() - started < 5


@pytest.mark.anyio
async def test_strict_responses_turn_drift_into_a_loud_500(
    app: MockApp, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def answer(handler: Any) -> httpx.Response:
        monkeypatch.setitem(app.plugin.handlers, "getSurvey", handler)
        return await http.get("/v3/surveys/details", params={"survey_name": "x"})

    drift = await answer(lambda request, state: MockResponse(body={"survey_type": "one"}))
    assert 'response.survey_type must be an integer or null; got "one"' in vendor_error(drift, 500)
    undeclared = await answer(lambda request, state: MockResponse(status=202, body={}))
    assert "status 202 is not declared" in vendor_error(undeclared, 500)
    wrong_type = await answer(lambda request, state: MockResponse(body="text", content_type="text/html"))
    assert "content type text/html is not declared" in vendor_error(wrong_type, 500)
    crash = await answer(lambda request, state: 1 / 0)
    assert "ZeroDivisionError: division by zero" in vendor_error(crash, 500)
    app.settings.strict_responses = False
    assert (await answer(lambda request, state: MockResponse(status=202, body={}))).status_code == 202


def _independent_validator(document: Any, pointer: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    return Draft202012Validator({"$ref": f"urn:doc#{pointer}"}, registry=registry)


@pytest.mark.anyio
async def test_fixture_answers_conform_to_the_document(app: MockApp, http: httpx.AsyncClient) -> None:
    app.settings.features.add("contracts")
    app.settings.strict_responses = False  # checked here, independently of the mock's own check
    ids = {"ticket_number": "91", "primary_email": "jane.doe@example.com", "name": "Contoso", "id": "5001",
           "survey_name": "Customer Satisfaction", "category_name": "Help Center", "folder_name": "User Guides",
           "article_name": "How to reset your password", "contract_name": "Contoso Premium Support 2025"}  # fmt: skip
    checked = 0
    for op in app.spec.operations.values():
        if op.method != "GET":
            continue
        params = {p.name: ids[p.name] for p in op.params if p.name in ids and (p.required or p.name == "contract_name")}
        extra = [{}]
        if op.operation_id == "listTickets":
            extra = [
                {"include_description": "1", "include_custom_fields": "1", "include_survey_details": "1"},
                {"nested_fields": "1", "include_custom_fields": "1", "include_survey_details": "1"},
            ]
        for offset in ("0", "30", "60") if any(p.name == "offset" for p in op.params) else ("",):
            for more in extra:
                query = {**params, **more, **({"offset": offset} if offset else {})}
                response = await http.get(op.path, params=query)
                assert response.status_code == 200, (op.path, response.text)
                media = next(iter(op.responses["200"][1]["content"]))
                pointer = f"{op.responses['200'][0]}/content/{media.replace('/', '~1')}/schema"
                data = response.json() if "json" in media else response.text
                errors = list(_independent_validator(app.document, pointer).iter_errors(data))
                assert not errors, (op.path, query, errors[0].message)
                checked += 1
    assert checked >= 30


# -- the sync transport and the generated typed client -------------------------------------------


def test_sync_transport_serves_threads(app: MockApp) -> None:
    with httpx.Client(transport=app.sync_transport(), base_url=BASE, headers=KEY) as http:
        results: list[int] = []

        def work(n: int) -> None:
            for _ in range(5):
                results.append(
                    http.get("/v3/tickets/details", params={"ticket_number": str(17 + n)}).json()["ticket_number"]
                )

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == sorted([17, 18, 19, 20] * 5) and len(app.requests) == 20


def test_typed_client_round_trip(app: MockApp) -> None:
    http = httpx.Client(transport=app.sync_transport())
    with Desk365Client(api_key="k", base_url=BASE, http_client=http) as client:
        ticket = client.tickets.create(email="jane.doe@example.com", subject="Laptop fan noise", priority=5,
                                       custom_fields={"cf_Asset Tag": "LT-0042"})  # fmt: skip
        number = ticket.ticket_number
        assert client.tickets.get(ticket_number=number).subject == "Laptop fan noise"
        assert client.tickets.update(ticket_number=number, status="pending").status == "Pending"
        assert (
            client.ticket_replies.create(ticket_number=number, body="<p>On it</p>").to_email == "jane.doe@example.com"
        )
        note = client.ticket_notes.create_with_attachment(
            ticket_number=number,
            note_object={"body": "Logs", "private_note": 1},
            files=[("fan.wav", b"RIFF....", "audio/wav"), ("notes.txt", b"loud", "text/plain")],
        )
        assert [a.file_name for a in note.attachments or []] == ["fan.wav", "notes.txt"]
        talk = client.ticket_conversations.list(ticket_number=number)
        assert [m.type for m in talk.conversations or []] == ["reply", "note"]
        page = client.tickets.list(ticket_count="30", filters={"contact": ["jane.doe@example.com"]})
        assert number in [t.ticket_number for t in page.tickets or []]
        assert client.companies.get(name="R&D / Ops #1").name == "R&D / Ops #1"
    recorded = [(r.method, r.path, r.status) for r in app.requests]
    assert recorded[4] == ("POST", "/v3/tickets/add_note_with_attachment", 201)
    parts = app.requests[4].request
    assert parts is not None and [u.filename for u in parts.files["files"]] == ["fan.wav", "notes.txt"]
    assert parts.params["note_object"] == {"body": "Logs", "private_note": 1}
    assert all(r.status in (200, 201) for r in app.requests)


@pytest.mark.anyio
async def test_async_typed_client_round_trip(app: MockApp) -> None:
    async with AsyncDesk365Client(api_key="k", base_url=BASE,
                                  http_client=httpx.AsyncClient(transport=app.transport())) as client:  # fmt: skip
        category = await client.kb_categories.create(category_name="Onboarding", support_portal_visibility=2)
        assert category.category_name == "Onboarding"
        await client.kb_folders.create(category_name="Onboarding", folder_name="First week")
        article = await client.kb_articles.create(article_title="Day one", category_name="Onboarding",
                                                  folder_name="First week", article_content="<p>Hi</p>")  # fmt: skip
        assert article.folder_name == "First week"
        assert "Day one" in ((await client.kb_articles.list()).article_titles or [])
        await client.kb_articles.delete(article_name="Day one")
        assert "Day one" not in ((await client.kb_articles.list()).article_titles or [])


# -- a real process: the CLI, and the generated MCP server talking to it ------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def mock_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("mock") / "mock.log"
    cli = Path(sys.executable).with_name("helpdesk-mcp")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(cli), "mock", "desk365", "--port", str(port), "--log-level", "warning"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"the mock did not start:\n{log.read_text()}") from None
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    assert f"http://127.0.0.1:{port}" in text and "DESK365_API_KEY=mock-key" in text


@pytest.mark.anyio
async def test_generated_mcp_server_against_the_mock_process(mock_process: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env.update(DESK365_API_KEY="mock-key", PYTHONPATH=str(ROOT))
    params = StdioServerParameters(command=sys.executable, args=["-m", "generated.desk365", "--base-url", mock_process],
                                   env=env, cwd=str(ROOT))  # fmt: skip
    async with Client(params) as client:
        tools = (await client.list_tools()).tools
        assert len(tools) == 44
        result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 91})
        assert result.is_error is False
        assert result.structured_content is not None and result.structured_content["ticket_number"] == 91
        bad = await client.call_tool("get_single_desk_365_company_by_id", {"name": "No Such Co"})
        assert bad.is_error is True and "404" in bad.content[0].text
    with httpx.Client(base_url=mock_process, headers=KEY) as http:
        assert http.get("/v3/ping").text == "All good! Desk365 APIs are running fine"


def test_cli_refuses_an_unknown_api() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["mock", "nothing"])
    assert result.exit_code == 2 and "no mock for 'nothing'; choose one of desk365" in result.output
    assert "--ratelimit" in CliRunner().invoke(main, ["mock", "--help"]).output


@pytest.mark.anyio
async def test_hostile_input_is_never_a_500(http: httpx.AsyncClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    statuses = [
        (await http.post("/v3/tickets/create", content=deep, headers={"content-type": "application/json"})).status_code,
        (
            await http.post("/v3/tickets/create", content=b"\xff\xfe", headers={"content-type": "application/json"})
        ).status_code,
        (await http.get("/v3/companies/details?name=%FF%FE")).status_code,
        (await http.get("/v3/tickets/details", params={"ticket_number": "9" * 40})).status_code,
        (await http.get("/v3/tickets%2Fdetails", params={"ticket_number": "91"})).status_code,
        (await http.request("HEAD", "/v3/ping")).status_code,
    ]
    assert statuses == [400, 400, 400, 400, 404, 405]
    lone = await http.post("/v3/tickets/create", content=b'{"subject": "\\ud800 broken"}',
                           headers={"content-type": "application/json"})  # fmt: skip
    assert lone.status_code == 200 and lone.json()["subject"] == "\ud800 broken"
