"""The Desk365 mock's state: CRUD flows (tickets, attachments, contacts and companies, the
knowledge base), identifiers resolved as Desk365 resolves them, ticket paging, list filters
and fixed pages.
In process through ``app.transport()`` unless said otherwise; the fixtures (``clock``, ``app``,
``http``) are in this folder's ``conftest.py``, the helpers in ``helpers.py``.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.mock_desk365.helpers import Clock, vendor_error

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
