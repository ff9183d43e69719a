"""Functional tests of the generated Desk365 client against ``httpx.MockTransport``.

Black-box: each test builds a client on a mock transport, calls the public API and
asserts the exact request that reached the transport (method, URL path, decoded query
values, ``Authorization`` header, JSON body or multipart parts) and what the call
returned or raised. Nothing touches the network and nothing sleeps.

The table ``CALLS`` calls every client method once; ``test_table_covers_every_operation``
fails when an operation is added to ``generated.desk365.operations`` without a row here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from pydantic import BaseModel

from generated.desk365 import (
    API,
    ApiError,
    AsyncDesk365Client,
    ClientError,
    Desk365Client,
    File,
    RateLimitError,
    ResponseError,
    ResponseTooLargeError,
    TimeoutError_,
    TransportError,
    models,
    operations,
)
from generated.desk365._runtime import http as runtime_http
from generated.desk365._runtime.ratelimit import parse_ratelimit
from generated.desk365._runtime.spec import OperationSpec, RateLimitSpec

API_KEY = "d365-secret-KEY-0123456789abcdef"
BASE = "https://acme.desk365.io"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR--\r\n--not-a-boundary\xff\x00"
LOG = b"2025-11-20 10:00:01 ERROR spooler crashed\r\n\xe2\x9c\x93 done\n"

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DESK365_API_KEY", "DESK365_SUBDOMAIN", "DESK365_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# ---------------------------------------------------------------------------- helpers


class Recorder:
    """A MockTransport handler that records every request and answers from a queue
    of responses (the last one repeats)."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1, f"expected exactly one request, got {len(self.requests)}"
        return self.requests[0]


def make_client(handler: Handler, **options: Any) -> Desk365Client:
    options.setdefault("api_key", API_KEY)
    options.setdefault("subdomain", "acme")
    return Desk365Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)


def make_async_client(handler: Handler, **options: Any) -> AsyncDesk365Client:
    options.setdefault("api_key", API_KEY)
    options.setdefault("subdomain", "acme")
    return AsyncDesk365Client(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options)


def query_pairs(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded query, in order, parsed from the raw query string."""
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True, strict_parsing=True)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class Multipart:
    parts: tuple[Part, ...]


def parse_multipart(request: httpx.Request) -> list[Part]:
    """Split a multipart/form-data body on its boundary (a strict, minimal parser)."""
    mime, _, params = request.headers["content-type"].partition(";")
    assert mime.strip() == "multipart/form-data"
    boundary = dict(p.strip().split("=", 1) for p in params.split(";") if p.strip())["boundary"].strip('"')
    delimiter = b"--" + boundary.encode("ascii")
    body = request.content
    chunks = body.split(delimiter)
    assert chunks[0] == b"", "the body must start with the first delimiter"
    assert chunks[-1] == b"--\r\n", "the body must end with the close delimiter"
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        assert sep, "a part needs a blank line after its headers"
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers["content-disposition"]
        assert disposition.startswith("form-data")
        name = re.search(r';\s*name="([^"]*)"', disposition)
        filename = re.search(r';\s*filename="([^"]*)"', disposition)
        assert name is not None
        parts.append(Part(name.group(1), filename.group(1) if filename else None, headers.get("content-type"), content))
    return parts


def resolve(client: Desk365Client | AsyncDesk365Client, dotted: str) -> Callable[..., Any]:
    resource, method = dotted.split(".")
    return getattr(getattr(client, resource), method)  # type: ignore[no-any-return]


ALL_OPERATIONS = {v.name: v for v in vars(operations).values() if isinstance(v, OperationSpec)}


# ---------------------------------------------------------------------------- the table
# (operation name, client method, kwargs, HTTP method, path, decoded query, body, result type)
# body: None (no body), a dict (JSON body) or Multipart (the expected parts, in order).

TICKET_OBJECT = {
    "email": "zoe@example.com",
    "subject": "Printer on floor 3 jams",
    "description": "<p>Zoë & Søn: paper jam #4</p>",
    "priority": 10,
    "custom_fields": {"cf_Employee ID": "E-42"},
}
REPLY_OBJECT = {"body": "<p>Fixed in 4.2 — see log.</p>", "agent_email": "agent@acme.io", "cc_emails": "a+b=c@x.io"}
NOTE_OBJECT = {"body": "Logs attached", "private_note": 1}
CONTACT_OBJECT = {"name": "Zoë Smith", "primary_email": "a+b=c@x.io", "company_name": "R&D / Ops #1"}
COMPANY_OBJECT = {"name": "Zoë & Søn", "domains": "zoe.example,soen.example", "city": "Århus"}


def jq(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


CALLS: list[tuple[str, str, dict[str, Any], str, str, list[tuple[str, str]], Any, type | None]] = [
    ("list_all_desk_365_ping", "ping.list", {}, "GET", "/apis/v3/ping", [], None, str),
    (
        "list_all_desk_365_tickets",
        "tickets.list",
        {
            "ticket_count": "50",
            "offset": "50",
            "include_description": "1",
            "include_custom_fields": "0",
            "include_survey_details": "1",
            "nested_fields": "0",
            "order_by": "updated_time",
            "order_type": "desc",
            "updated_since": "2025-11-01 08:00:00",
            "filters": {"status": ["open", "pending"], "assigned_to": ["--"]},
        },
        "GET",
        "/apis/v3/tickets",
        [
            ("ticket_count", "50"),
            ("offset", "50"),
            ("include_description", "1"),
            ("include_custom_fields", "0"),
            ("include_survey_details", "1"),
            ("nested_fields", "0"),
            ("order_by", "updated_time"),
            ("order_type", "desc"),
            ("updated_since", "2025-11-01 08:00:00"),
            ("filters", '{"status":["open","pending"],"assigned_to":["--"]}'),
        ],
        None,
        models.TicketList,
    ),
    (
        "get_single_desk_365_ticket_by_id",
        "tickets.get",
        {"ticket_number": 8992},
        "GET",
        "/apis/v3/tickets/details",
        [("ticket_number", "8992")],
        None,
        models.Ticket,
    ),
    (
        "create_a_desk_365_ticket",
        "tickets.create",
        {
            "email": "jane.doe@example.com",
            "subject": "VPN drops every hour",
            "description": "<p>Since Monday.</p>",
            "status": "open",
            "priority": 5,
            "type": "Incident",
            "assign_to": "agent@acme.io",
            "group": "Network",
            "category": "Hardware",
            "sub_category": "Router",
            "custom_fields": {"cf_Employee ID": "E-42"},
            "watchers": ["lead@acme.io"],
            "share_to": ["boss@example.com"],
        },
        "POST",
        "/apis/v3/tickets/create",
        [],
        {
            "email": "jane.doe@example.com",
            "subject": "VPN drops every hour",
            "description": "<p>Since Monday.</p>",
            "status": "open",
            "priority": 5,
            "type": "Incident",
            "assign_to": "agent@acme.io",
            "group": "Network",
            "category": "Hardware",
            "sub_category": "Router",
            "custom_fields": {"cf_Employee ID": "E-42"},
            "watchers": ["lead@acme.io"],
            "share_to": ["boss@example.com"],
        },
        models.Ticket,
    ),
    (
        "update_a_desk_365_ticket_by_id",
        "tickets.update",
        {
            "ticket_number": 8992,
            "status": "resolved",
            "priority": 1,
            "assign_to": "agent@acme.io",
            "watchers": {"add": ["lead@acme.io"], "remove": ["old@acme.io"]},
        },
        "PUT",
        "/apis/v3/tickets/update",
        [("ticket_number", "8992")],
        {
            "status": "resolved",
            "priority": 1,
            "assign_to": "agent@acme.io",
            "watchers": {"add": ["lead@acme.io"], "remove": ["old@acme.io"]},
        },
        models.Ticket,
    ),
    (
        "desk_365_tickets_create_with_attachment",
        "tickets.create_with_attachment",
        {"ticket_object": TICKET_OBJECT, "file": ("screen.png", PNG, "image/png")},
        "POST",
        "/apis/v3/tickets/create_with_attachment",
        [("ticket_object", jq(TICKET_OBJECT))],
        Multipart((Part("file", "screen.png", "image/png", PNG),)),
        models.Ticket,
    ),
    (
        "list_all_desk_365_ticket_conversations",
        "ticket_conversations.list",
        {
            "ticket_number": 8992,
            "sort_by": "latest_on_top",
            "include_contact_replies": "1",
            "include_agent_replies": "1",
            "include_private_notes": "0",
            "include_public_notes": "1",
            "include_forward_messages": "0",
        },
        "GET",
        "/apis/v3/tickets/conversations",
        [
            ("ticket_number", "8992"),
            ("sort_by", "latest_on_top"),
            ("include_contact_replies", "1"),
            ("include_agent_replies", "1"),
            ("include_private_notes", "0"),
            ("include_public_notes", "1"),
            ("include_forward_messages", "0"),
        ],
        None,
        models.TicketConversations,
    ),
    (
        "create_a_desk_365_ticket_reply",
        "ticket_replies.create",
        {
            "ticket_number": 8992,
            "body": "<p>Fixed in 4.2.</p>",
            "cc_emails": "a+b=c@x.io",
            "agent_email": "agent@acme.io",
            "include_prev_ccs": 1,
            "include_prev_messages": 0,
        },
        "POST",
        "/apis/v3/tickets/add_reply",
        [("ticket_number", "8992")],
        {
            "body": "<p>Fixed in 4.2.</p>",
            "cc_emails": "a+b=c@x.io",
            "agent_email": "agent@acme.io",
            "include_prev_ccs": 1,
            "include_prev_messages": 0,
        },
        models.TicketReply,
    ),
    (
        "desk_365_ticket_replies_create_with_attachment",
        "ticket_replies.create_with_attachment",
        {"ticket_number": 8992, "reply_object": REPLY_OBJECT, "file": File("crash.log", LOG, "text/plain")},
        "POST",
        "/apis/v3/tickets/add_reply_with_attachment",
        [("ticket_number", "8992"), ("reply_object", jq(REPLY_OBJECT))],
        Multipart((Part("file", "crash.log", "text/plain", LOG),)),
        models.TicketReply,
    ),
    (
        "create_a_desk_365_ticket_note",
        "ticket_notes.create",
        {
            "ticket_number": 8992,
            "body": "<div>Checked the logs.</div>",
            "agent_email": "agent@acme.io",
            "notify_emails": "lead@acme.io",
            "private_note": 0,
        },
        "POST",
        "/apis/v3/tickets/add_note",
        [("ticket_number", "8992")],
        {
            "body": "<div>Checked the logs.</div>",
            "agent_email": "agent@acme.io",
            "notify_emails": "lead@acme.io",
            "private_note": 0,
        },
        models.TicketNote,
    ),
    (
        "desk_365_ticket_notes_create_with_attachment",
        "ticket_notes.create_with_attachment",
        {
            "ticket_number": 8992,
            "note_object": NOTE_OBJECT,
            "files": [("crash.log", LOG, "text/plain"), ("screen.png", PNG, "image/png")],
        },
        "POST",
        "/apis/v3/tickets/add_note_with_attachment",
        [("ticket_number", "8992"), ("note_object", jq(NOTE_OBJECT))],
        Multipart((Part("files", "crash.log", "text/plain", LOG), Part("files", "screen.png", "image/png", PNG))),
        models.TicketNote,
    ),
    (
        "list_all_desk_365_contacts",
        "contacts.list",
        {"offset": "30", "company": "R&D / Ops #1", "order_by": "2", "order_type": "asc"},
        "GET",
        "/apis/v3/contacts",
        [("offset", "30"), ("company", "R&D / Ops #1"), ("order_by", "2"), ("order_type", "asc")],
        None,
        models.ContactList,
    ),
    (
        "get_single_desk_365_contact_by_id",
        "contacts.get",
        {"primary_email": "a+b=c@x.io"},
        "GET",
        "/apis/v3/contacts/details",
        [("primary_email", "a+b=c@x.io")],
        None,
        models.Contact,
    ),
    (
        "create_a_desk_365_contact",
        "contacts.create",
        {
            "name": "Zoë Smith",
            "primary_email": "zoe@example.com",
            "secondary_emails": "zoe.s@example.com",
            "title": "CTO",
            "mobile": "+45 1234 5678",
            "phone": "+45 8765 4321",
            "company_name": "Zoë & Søn",
        },
        "POST",
        "/apis/v3/contacts/create",
        [],
        {
            "name": "Zoë Smith",
            "primary_email": "zoe@example.com",
            "secondary_emails": "zoe.s@example.com",
            "title": "CTO",
            "mobile": "+45 1234 5678",
            "phone": "+45 8765 4321",
            "company_name": "Zoë & Søn",
        },
        models.Contact,
    ),
    (
        "desk_365_contacts_create_with_attachment",
        "contacts.create_with_attachment",
        {"contact_object": CONTACT_OBJECT, "file": PNG},
        "POST",
        "/apis/v3/contacts/create_with_attachment",
        [("contact_object", jq(CONTACT_OBJECT))],
        Multipart((Part("file", "file", "application/octet-stream", PNG),)),
        models.Contact,
    ),
    (
        "update_a_desk_365_contact_by_id",
        "contacts.update",
        {"primary_email": "a+b=c@x.io", "title": "Head of R&D", "company_name": "R&D / Ops #1"},
        "PUT",
        "/apis/v3/contacts/update",
        [("primary_email", "a+b=c@x.io")],
        {"title": "Head of R&D", "company_name": "R&D / Ops #1"},
        models.Contact,
    ),
    (
        "list_all_desk_365_companies",
        "companies.list",
        {"offset": "0"},
        "GET",
        "/apis/v3/companies",
        [("offset", "0")],
        None,
        models.CompanyList,
    ),
    (
        "get_single_desk_365_company_by_id",
        "companies.get",
        {"name": "Zoë & Søn"},
        "GET",
        "/apis/v3/companies/details",
        [("name", "Zoë & Søn")],
        None,
        models.Company,
    ),
    (
        "create_a_desk_365_company",
        "companies.create",
        {
            "name": "R&D / Ops #1",
            "description": "Research",
            "phone": "+1 555 0100",
            "address": "1 Main St",
            "city": "Springfield",
            "state": "IL",
            "country": "USA",
            "zipcode": "62701",
            "sla": "Gold",
            "domains": "rnd.example",
        },
        "POST",
        "/apis/v3/companies/create",
        [],
        {
            "name": "R&D / Ops #1",
            "description": "Research",
            "phone": "+1 555 0100",
            "address": "1 Main St",
            "city": "Springfield",
            "state": "IL",
            "country": "USA",
            "zipcode": "62701",
            "sla": "Gold",
            "domains": "rnd.example",
        },
        models.Company,
    ),
    (
        "desk_365_companies_create_with_attachment",
        "companies.create_with_attachment",
        {"company_object": COMPANY_OBJECT, "file": ("logo.png", PNG)},
        "POST",
        "/apis/v3/companies/create_with_attachment",
        [("company_object", jq(COMPANY_OBJECT))],
        Multipart((Part("file", "logo.png", "image/png", PNG),)),
        models.Company,
    ),
    (
        "update_a_desk_365_company_by_id",
        "companies.update",
        {"company_name": "R&D / Ops #1", "name": "R&D Operations", "sla": "Platinum"},
        "PUT",
        "/apis/v3/companies/update",
        [("company_name", "R&D / Ops #1")],
        {"name": "R&D Operations", "sla": "Platinum"},
        models.Company,
    ),
    (
        "list_all_desk_365_time_entries",
        "time_entries.list",
        {
            "ticket_number": 8992,
            "time_entries_count": "100",
            "agent_email": "agent@acme.io",
            "company_name": "Zoë & Søn",
            "started_before": "2025-11-30 23:59:59",
            "started_after": "2025-11-01 00:00:00",
            "created_after": "2025-10-01 00:00:00",
            "updated_after": "2025-10-15 00:00:00",
            "billable": 1,
            "timer_running": 0,
            "offset": "100",
        },
        "GET",
        "/apis/v3/time_entries",
        [
            ("ticket_number", "8992"),
            ("time_entries_count", "100"),
            ("agent_email", "agent@acme.io"),
            ("company_name", "Zoë & Søn"),
            ("started_before", "2025-11-30 23:59:59"),
            ("started_after", "2025-11-01 00:00:00"),
            ("created_after", "2025-10-01 00:00:00"),
            ("updated_after", "2025-10-15 00:00:00"),
            ("billable", "1"),
            ("timer_running", "0"),
            ("offset", "100"),
        ],
        None,
        models.TimeEntryList,
    ),
    (
        "get_single_desk_365_time_entry_by_id",
        "time_entries.get",
        {"id": 31337},
        "GET",
        "/apis/v3/time_entries/details",
        [("id", "31337")],
        None,
        models.TimeEntry,
    ),
    (
        "create_a_desk_365_time_entry",
        "time_entries.create",
        {
            "ticket_number": 8992,
            "agent_email": "agent@acme.io",
            "note": "Remote session",
            "billable": 1,
            "start_time": "2025-11-20 09:30:00",
            "time_spent_in_minutes": 45,
            "timer_running": 0,
            "additional_info": "via TeamViewer",
        },
        "POST",
        "/apis/v3/time_entries/create",
        [],
        {
            "ticket_number": 8992,
            "agent_email": "agent@acme.io",
            "note": "Remote session",
            "billable": 1,
            "start_time": "2025-11-20 09:30:00",
            "time_spent_in_minutes": 45,
            "timer_running": 0,
            "additional_info": "via TeamViewer",
        },
        models.TimeEntry,
    ),
    ("list_all_desk_365_surveys", "surveys.list", {}, "GET", "/apis/v3/surveys", [], None, models.SurveyList),
    (
        "get_single_desk_365_survey_by_id",
        "surveys.get",
        {"survey_name": "CSAT after close"},
        "GET",
        "/apis/v3/surveys/details",
        [("survey_name", "CSAT after close")],
        None,
        models.Survey,
    ),
    (
        "list_all_desk_365_survey_ratings",
        "survey_ratings.list",
        {"offset": "30"},
        "GET",
        "/apis/v3/surveys/ratings",
        [("offset", "30")],
        None,
        models.SurveyRatingList,
    ),
    (
        "list_all_desk_365_contracts",
        "contracts.list",
        {
            "offset": "0",
            "company": "R&D / Ops #1",
            "contract_category": "Support",
            "include_inactive_contracts": "1",
            "include_expired_contracts": "0",
            "include_upcoming_contracts": "1",
        },
        "GET",
        "/apis/v3/contracts",
        [
            ("offset", "0"),
            ("company", "R&D / Ops #1"),
            ("contract_category", "Support"),
            ("include_inactive_contracts", "1"),
            ("include_expired_contracts", "0"),
            ("include_upcoming_contracts", "1"),
        ],
        None,
        models.ContractList,
    ),
    (
        "get_single_desk_365_contract_by_id",
        "contracts.get",
        {"reference_number": "C-2025/07 #3"},
        "GET",
        "/apis/v3/contracts/details",
        [("reference_number", "C-2025/07 #3")],
        None,
        models.Contract,
    ),
    (
        "create_a_desk_365_contract",
        "contracts.create",
        {
            "name": "Gold support 2026",
            "company": "R&D / Ops #1",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "reference_number": "C-2026-001",
            "setup_fees": 500,
            "sla": "Gold",
            "contract_category": "Support",
            "is_active": True,
            "bill_cycle": 1,
            "after_hours_included": False,
            "contract_type": 2,
            "block_hours": {"hours": 40},
        },
        "POST",
        "/apis/v3/contracts/create",
        [],
        {
            "name": "Gold support 2026",
            "company": "R&D / Ops #1",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "reference_number": "C-2026-001",
            "setup_fees": 500,
            "sla": "Gold",
            "contract_category": "Support",
            "is_active": True,
            "bill_cycle": 1,
            "after_hours_included": False,
            "contract_type": 2,
            "block_hours": {"hours": 40},
        },
        models.ContractSummary,
    ),
    (
        "update_a_desk_365_contract_by_id",
        "contracts.update",
        {
            "reference_number_query": "C-2026-001",
            "reference_number": "C-2026-001a",
            "end_date": "2027-06-30",
            "after_hours_included": True,
        },
        "PUT",
        "/apis/v3/contracts/update",
        [("reference_number", "C-2026-001")],
        {"reference_number": "C-2026-001a", "end_date": "2027-06-30", "after_hours_included": True},
        models.ContractSummary,
    ),
    (
        "get_single_desk_365_kb_category_by_id",
        "kb_categories.get",
        {"category_name": "How-to & FAQ"},
        "GET",
        "/apis/v3/kb/category/details",
        [("category_name", "How-to & FAQ")],
        None,
        models.KbCategory,
    ),
    (
        "create_a_desk_365_kb_category",
        "kb_categories.create",
        {
            "category_name": "How-to & FAQ",
            "category_description": "Answers",
            "created_by_email": "agent@acme.io",
            "support_portal_visibility": 2,
            "company_list": ["Zoë & Søn"],
            "agent_portal_visibility": 1,
            "agent_group_list": ["Tier 1"],
        },
        "POST",
        "/apis/v3/kb/category/create",
        [],
        {
            "category_name": "How-to & FAQ",
            "category_description": "Answers",
            "created_by_email": "agent@acme.io",
            "support_portal_visibility": 2,
            "company_list": ["Zoë & Søn"],
            "agent_portal_visibility": 1,
            "agent_group_list": ["Tier 1"],
        },
        models.KbCategory,
    ),
    (
        "update_a_desk_365_kb_category_by_id",
        "kb_categories.update",
        {"category_name_query": "How-to & FAQ", "category_name": "FAQ", "agent_portal_visibility": 2},
        "PUT",
        "/apis/v3/kb/category/update",
        [("category_name", "How-to & FAQ")],
        {"category_name": "FAQ", "agent_portal_visibility": 2},
        models.KbCategory,
    ),
    (
        "delete_a_desk_365_kb_category_by_id",
        "kb_categories.delete",
        {"category_name": "How-to & FAQ"},
        "DELETE",
        "/apis/v3/kb/category/delete",
        [("category_name", "How-to & FAQ")],
        None,
        dict,
    ),
    (
        "get_single_desk_365_kb_folder_by_id",
        "kb_folders.get",
        {"category_name": "FAQ", "folder_name": "Printers / Scanners"},
        "GET",
        "/apis/v3/kb/folder/details",
        [("category_name", "FAQ"), ("folder_name", "Printers / Scanners")],
        None,
        models.KbFolder,
    ),
    (
        "create_a_desk_365_kb_folder",
        "kb_folders.create",
        {"category_name": "FAQ", "folder_name": "Printers / Scanners", "created_by_email": "agent@acme.io"},
        "POST",
        "/apis/v3/kb/folder/create",
        [],
        {"category_name": "FAQ", "folder_name": "Printers / Scanners", "created_by_email": "agent@acme.io"},
        models.KbFolder,
    ),
    (
        "update_a_desk_365_kb_folder_by_id",
        "kb_folders.update",
        {"category_name_query": "FAQ", "folder_name_query": "Printers / Scanners", "folder_name": "Printers"},
        "PUT",
        "/apis/v3/kb/folder/update",
        [("category_name", "FAQ"), ("folder_name", "Printers / Scanners")],
        {"folder_name": "Printers"},
        models.KbFolder,
    ),
    (
        "delete_a_desk_365_kb_folder_by_id",
        "kb_folders.delete",
        {"category_name": "FAQ", "folder_name": "Printers"},
        "DELETE",
        "/apis/v3/kb/folder/delete",
        [("category_name", "FAQ"), ("folder_name", "Printers")],
        None,
        dict,
    ),
    (
        "list_all_desk_365_kb_articles",
        "kb_articles.list",
        {},
        "GET",
        "/apis/v3/kb/article/",
        [],
        None,
        models.KbArticleTitles,
    ),
    (
        "get_single_desk_365_kb_article_by_id",
        "kb_articles.get",
        {"article_name": "Reset your password?"},
        "GET",
        "/apis/v3/kb/article/details",
        [("article_name", "Reset your password?")],
        None,
        models.KbArticle,
    ),
    (
        "create_a_desk_365_kb_article",
        "kb_articles.create",
        {
            "article_title": "Reset your password?",
            "article_content": "<p>Use 100% of the <b>reset</b> link.</p>",
            "category_name": "FAQ",
            "folder_name": "Accounts",
            "created_by_email": "agent@acme.io",
            "status": 1,
        },
        "POST",
        "/apis/v3/kb/article/create",
        [],
        {
            "article_title": "Reset your password?",
            "article_content": "<p>Use 100% of the <b>reset</b> link.</p>",
            "category_name": "FAQ",
            "folder_name": "Accounts",
            "created_by_email": "agent@acme.io",
            "status": 1,
        },
        models.KbArticle,
    ),
    (
        "update_a_desk_365_kb_article_by_id",
        "kb_articles.update",
        {"article_name": "Reset your password?", "article_title": "Resetting a password", "status": 2},
        "PUT",
        "/apis/v3/kb/article/update",
        [("article_name", "Reset your password?")],
        {"article_title": "Resetting a password", "status": 2},
        models.KbArticle,
    ),
    (
        "delete_a_desk_365_kb_article_by_id",
        "kb_articles.delete",
        {"article_name": "Resetting a password"},
        "DELETE",
        "/apis/v3/kb/article/delete",
        [("article_name", "Resetting a password")],
        None,
        dict,
    ),
]


def _success(op: OperationSpec) -> httpx.Response:
    if op.response_kind == "text":
        return httpx.Response(op.success, text="All good! Desk365 APIs are running fine")
    return httpx.Response(op.success, json={"echo": op.name})


def test_table_covers_every_operation() -> None:
    names = [row[0] for row in CALLS]
    assert len(names) == len(set(names)), "an operation is listed twice"
    assert set(names) == set(ALL_OPERATIONS)
    methods = [row[1] for row in CALLS]
    assert len(methods) == len(set(methods)), "a client method is listed twice"


def test_table_covers_every_client_method() -> None:
    client = make_client(Recorder())
    public = set()
    for resource in (
        "ping tickets ticket_conversations ticket_replies ticket_notes contacts companies time_entries "
        "surveys survey_ratings contracts kb_categories kb_folders kb_articles"
    ).split():
        group = getattr(client, resource)
        public |= {f"{resource}.{m}" for m in dir(group) if not m.startswith("_") and callable(getattr(group, m))}
    pagers = {m for m in public if m.endswith("_pages")}  # the page iterators: tests/test_client_paging.py
    assert {m.removesuffix("_pages") for m in pagers} <= {row[1] for row in CALLS}
    assert public - pagers == {row[1] for row in CALLS}


@pytest.mark.parametrize(
    ("op_name", "method", "kwargs", "http_method", "path", "query", "body", "result_type"),
    CALLS,
    ids=[row[1] for row in CALLS],
)
def test_every_method_sends_the_exact_request(
    op_name: str,
    method: str,
    kwargs: dict[str, Any],
    http_method: str,
    path: str,
    query: list[tuple[str, str]],
    body: Any,
    result_type: type,
) -> None:
    op = ALL_OPERATIONS[op_name]
    recorder = Recorder(_success(op))
    client = make_client(recorder)

    result = resolve(client, method)(**kwargs)

    request = recorder.request
    assert request.method == http_method == op.method
    assert request.url.scheme == "https"
    assert request.url.host == "acme.desk365.io"
    assert request.url.path == path == "/apis" + op.path
    assert query_pairs(request) == query
    assert list(request.url.params.multi_items()) == query
    assert request.headers["authorization"] == API_KEY
    if body is None:
        assert request.content == b""
        assert "content-type" not in request.headers
    elif isinstance(body, Multipart):
        assert parse_multipart(request) == list(body.parts)
        for name, value in query:
            if name.endswith("_object"):
                assert json.loads(value) == kwargs[name]
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body

    assert isinstance(result, result_type)
    if isinstance(result, BaseModel):
        assert result.model_extra == {"echo": op_name}
    elif isinstance(result, dict):  # an answer no model class can type (an object or a string)
        assert result == {"echo": op_name}
    else:
        assert result == "All good! Desk365 APIs are running fine"


# ---------------------------------------------------------------------------- base URL and credentials


def test_subdomain_builds_the_base_url() -> None:
    recorder = Recorder(httpx.Response(200, text="ok"))
    client = make_client(recorder, subdomain="acme")
    assert client.base_url == "https://acme.desk365.io/apis"
    client.ping.list()
    assert str(recorder.request.url) == "https://acme.desk365.io/apis/v3/ping"


def test_base_url_overrides_the_server() -> None:
    recorder = Recorder(httpx.Response(200, json={"ticket_number": 7}))
    client = make_client(recorder, base_url="http://127.0.0.1:8080/mock/apis/")
    client.tickets.get(ticket_number=7)
    assert str(recorder.request.url) == "http://127.0.0.1:8080/mock/apis/v3/tickets/details?ticket_number=7"


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_BASE_URL", "http://mock.test/apis")
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder).ping.list()
    assert str(recorder.request.url) == "http://mock.test/apis/v3/ping"


def test_credentials_and_subdomain_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_API_KEY", "env-key-42")
    monkeypatch.setenv("DESK365_SUBDOMAIN", "envco")
    recorder = Recorder(httpx.Response(200, json={}))
    client = Desk365Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.tickets.get(ticket_number=1)
    request = recorder.request
    assert str(request.url) == "https://envco.desk365.io/apis/v3/tickets/details?ticket_number=1"
    assert request.headers["authorization"] == "env-key-42"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_API_KEY", "env-key-42")
    monkeypatch.setenv("DESK365_SUBDOMAIN", "envco")
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder, api_key="arg-key", subdomain="argco").ping.list()
    assert recorder.request.url.host == "argco.desk365.io"
    assert recorder.request.headers["authorization"] == "arg-key"


def test_extra_headers_are_sent() -> None:
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder, headers={"X-Trace": "t-1"}).ping.list()
    assert recorder.request.headers["x-trace"] == "t-1"
    assert recorder.request.headers["authorization"] == API_KEY


def test_none_leaves_arguments_out() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).tickets.list(ticket_count="30", offset=None, filters=None)
    assert query_pairs(recorder.request) == [("ticket_count", "30")]


def test_update_sends_only_the_given_fields() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).tickets.update(ticket_number=5, status="closed")
    assert json.loads(recorder.request.content) == {"status": "closed"}


# ---------------------------------------------------------------------------- query encoding

AWKWARD = [
    "R&D / Ops #1",
    "a+b=c@x.io",
    "Zoë & Søn",
    "what? 100% sure",
    "x=1&y=2#frag",
    "  leading and trailing  ",
    "日本語 ✓",
    "semi;colon,comma",
]


@pytest.mark.parametrize("value", AWKWARD)
def test_query_values_arrive_decoded_unchanged(value: str) -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).contacts.list(company=value, offset="0")
    request = recorder.request
    assert request.url.path == "/apis/v3/contacts"
    assert query_pairs(request) == [("offset", "0"), ("company", value)]
    assert request.url.params["company"] == value
    assert request.url.fragment == ""
    raw = request.url.query.decode("ascii")
    assert re.fullmatch(r"[A-Za-z0-9_.~%=&-]*", raw), raw  # everything else percent-encoded


def test_awkward_values_in_the_reference_examples() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder)
    client.contacts.list(company="R&D / Ops #1")
    client.contacts.get(primary_email="a+b=c@x.io")
    client.companies.get(name="Zoë & Søn")
    first, second, third = recorder.requests
    assert first.url.query == b"company=R%26D%20%2F%20Ops%20%231"
    assert second.url.query == b"primary_email=a%2Bb%3Dc%40x.io"
    assert third.url.query == b"name=Zo%C3%AB%20%26%20S%C3%B8n"
    assert second.url.params["primary_email"] == "a+b=c@x.io"
    assert third.url.params["name"] == "Zoë & Søn"


def test_json_query_values_keep_awkward_text() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    filters = {"company": ["R&D / Ops #1", "Zoë & Søn"], "contact": ["a+b=c@x.io"]}
    make_client(recorder).tickets.list(filters=filters)
    (name, value), *_ = query_pairs(recorder.request)
    assert name == "filters"
    assert json.loads(value) == filters
    assert value == '{"company":["R&D / Ops #1","Zoë & Søn"],"contact":["a+b=c@x.io"]}'


def test_model_arguments_are_sent_by_alias_and_only_when_set() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    ticket = models.CreateTicketRequest(email="zoe@example.com", subject="Hi")
    make_client(recorder).tickets.create_with_attachment(ticket_object=ticket, file=b"x")
    (name, value), *_ = query_pairs(recorder.request)
    assert name == "ticket_object"
    assert json.loads(value) == {"email": "zoe@example.com", "subject": "Hi"}


# ---------------------------------------------------------------------------- files


def test_file_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(201, json={}))
    make_client(recorder).ticket_notes.create_with_attachment(ticket_number=8992, note_object=NOTE_OBJECT, file=path)
    assert parse_multipart(recorder.request) == [Part("file", "notes.txt", "text/plain", LOG)]


def test_file_from_a_path_string(tmp_path: Path) -> None:
    path = tmp_path / "screen.png"
    path.write_bytes(PNG)
    recorder = Recorder(httpx.Response(201, json={}))
    make_client(recorder).ticket_notes.create_with_attachment(
        ticket_number=8992, note_object=NOTE_OBJECT, file=str(path)
    )
    assert parse_multipart(recorder.request) == [Part("file", "screen.png", "image/png", PNG)]


def test_file_from_an_open_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\xff binary")
    recorder = Recorder(httpx.Response(201, json={}))
    with path.open("rb") as fh:
        make_client(recorder).ticket_replies.create_with_attachment(
            ticket_number=8992, reply_object=REPLY_OBJECT, file=fh
        )
    assert parse_multipart(recorder.request) == [
        Part("file", "report.pdf", "application/pdf", b"%PDF-1.7\n\x00\xff binary")
    ]


def test_file_from_bytes_and_a_tuple() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder)
    client.tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=PNG)
    client.tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=("dump.bin", LOG, "application/x-dump"))
    assert parse_multipart(recorder.requests[0]) == [Part("file", "file", "application/octet-stream", PNG)]
    assert parse_multipart(recorder.requests[1]) == [Part("file", "dump.bin", "application/x-dump", LOG)]


def test_several_files_of_every_kind(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"plain text")
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    recorder = Recorder(httpx.Response(200, json={}))
    with (tmp_path / "report.pdf").open("rb") as fh:
        make_client(recorder).tickets.create_with_attachment(
            ticket_object=TICKET_OBJECT,
            file=("cover.png", PNG, "image/png"),
            files=[
                b"raw",
                tmp_path / "notes.txt",
                fh,
                ("crash.log", LOG, "text/plain"),
                File("a.json", b"{}", "application/json"),
            ],
        )
    request = recorder.request
    assert parse_multipart(request) == [
        Part("file", "cover.png", "image/png", PNG),
        Part("files", "file", "application/octet-stream", b"raw"),
        Part("files", "notes.txt", "text/plain", b"plain text"),
        Part("files", "report.pdf", "application/pdf", b"%PDF"),
        Part("files", "crash.log", "text/plain", LOG),
        Part("files", "a.json", "application/json", b"{}"),
    ]
    assert query_pairs(request) == [("ticket_object", jq(TICKET_OBJECT))]
    assert json.loads(request.url.params["ticket_object"]) == TICKET_OBJECT


def test_a_missing_file_is_an_argument_error_and_sends_nothing(tmp_path: Path) -> None:
    recorder = Recorder()
    with pytest.raises(ClientError, match="cannot read 'missing.log'") as info:
        make_client(recorder).tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=tmp_path / "missing.log")
    assert isinstance(info.value, ValueError)
    assert recorder.requests == []


# ---------------------------------------------------------------------------- responses


TICKET_BODY = {
    "ticket_number": 8992,
    "subject": "Printer jam",
    "status": "Open",
    "priority": 10,
    "assigned_to": "agent@acme.io",
    "category": "Hardware",
    "subcategory": "Printer",
    "created_on": "2025-11-20 10:00:00",
    "cf_Employee ID": "E-42",
    "brand_new_field": {"nested": [1, 2]},
}


def test_get_returns_a_model_that_keeps_extra_fields() -> None:
    recorder = Recorder(httpx.Response(200, json=TICKET_BODY))
    ticket = make_client(recorder).tickets.get(ticket_number=8992)
    assert isinstance(ticket, models.Ticket)
    assert ticket.ticket_number == 8992
    assert ticket.assigned_to == "agent@acme.io"
    assert ticket.subcategory == "Printer"
    assert ticket.priority == 10
    assert ticket.model_extra == {"cf_Employee ID": "E-42", "brand_new_field": {"nested": [1, 2]}}
    assert ticket.model_dump(by_alias=True, exclude_unset=True) == TICKET_BODY


def test_list_returns_typed_items() -> None:
    body = {"count": 2, "tickets": [{"ticket_number": 1, "subject": "a"}, {"ticket_number": 2, "extra": True}]}
    page = make_client(Recorder(httpx.Response(200, json=body))).tickets.list(ticket_count="30")
    assert page.tickets is not None
    assert [t.ticket_number for t in page.tickets] == [1, 2]
    assert all(isinstance(t, models.Ticket) for t in page.tickets)
    assert page.tickets[1].model_extra == {"extra": True}


@pytest.mark.parametrize("body", [{"message": "KB Article successfully deleted."}, "KB Article successfully deleted."])
def test_a_delete_answers_an_object_or_a_plain_string(body: Any) -> None:
    """``DeleteConfirmation`` is ``type: [object, string]``: no model class can type it, so the
    method returns the JSON value as sent (a model would refuse the string form)."""
    recorder = Recorder(httpx.Response(200, json=body))
    assert make_client(recorder).kb_articles.delete(article_name="Printer") == body


def test_ping_returns_the_text() -> None:
    recorder = Recorder(httpx.Response(200, text="All good! Desk365 APIs are running fine"))
    assert make_client(recorder).ping.list() == "All good! Desk365 APIs are running fine"


# ---------------------------------------------------------------------------- errors

NOT_FOUND = {"status": 404, "error": "Not Found", "message": "The resource you were trying to reach is not found"}


def test_404_raises_api_error_with_the_vendor_body() -> None:
    recorder = Recorder(httpx.Response(404, json=NOT_FOUND))
    with pytest.raises(ApiError) as info:
        make_client(recorder).tickets.get(ticket_number=404404)
    error = info.value
    assert type(error) is ApiError
    assert error.status == 404
    assert error.body == NOT_FOUND
    assert "The resource you were trying to reach is not found" in error.message
    assert str(error).startswith("Desk365 answered HTTP 404: The resource you were trying to reach is not found")
    assert error.ratelimit.remaining is None


def test_error_with_a_text_body() -> None:
    recorder = Recorder(httpx.Response(500, text="Internal Server Error\n"))
    with pytest.raises(ApiError) as info:
        make_client(recorder).ping.list()
    assert info.value.status == 500
    assert info.value.body == "Internal Server Error\n"
    assert info.value.message == "Internal Server Error"


def test_error_without_a_body_uses_the_reason_phrase() -> None:
    with pytest.raises(ApiError) as info:
        make_client(Recorder(httpx.Response(403))).contracts.list()
    assert info.value.status == 403
    assert info.value.body is None
    assert info.value.message == "Forbidden"


def test_429_raises_rate_limit_error_with_the_remaining_count() -> None:
    recorder = Recorder(
        httpx.Response(429, json={"status": 429, "error": "Too Many Requests"}, headers={"X-Rate-Limit-Remaining": "0"})
    )
    with pytest.raises(RateLimitError) as info:
        make_client(recorder).tickets.list()
    error = info.value
    assert isinstance(error, ApiError)
    assert error.status == 429
    assert error.ratelimit.remaining == 0
    assert error.ratelimit.limit is None
    assert error.ratelimit.reset is None
    assert error.message == "Too Many Requests"
    assert len(recorder.requests) == 1


def test_429_with_retry_after_gives_the_reset() -> None:
    recorder = Recorder(httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0", "Retry-After": "17"}))
    with pytest.raises(RateLimitError) as info:
        make_client(recorder).tickets.list()
    assert info.value.ratelimit.remaining == 0
    assert info.value.ratelimit.reset == 17


def test_parse_ratelimit_desk365_headers() -> None:
    limit = parse_ratelimit({"X-Rate-Limit-Remaining": "48"}, API.ratelimit, now=1_700_000_000.0)
    assert (limit.limit, limit.remaining, limit.reset) == (None, 48, None)
    assert limit.as_fields() == {"ratelimit-remaining": 48}


def test_parse_ratelimit_intercom_unix_reset_is_seconds_from_now() -> None:
    now = 1_763_640_000.0
    spec = RateLimitSpec("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "unix")
    headers = {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "9998", "X-RateLimit-Reset": str(int(now) + 42)}
    limit = parse_ratelimit(headers, spec, now=now)
    assert (limit.limit, limit.remaining, limit.reset) == (10000, 9998, 42)
    assert limit.as_fields() == {"ratelimit-limit": 10000, "ratelimit-remaining": 9998, "ratelimit-reset": 42}
    # a reset already in the past is "now", never negative
    past = parse_ratelimit({**headers, "X-RateLimit-Reset": str(int(now) - 5)}, spec, now=now)
    assert past.reset == 0


def test_parse_ratelimit_recognises_a_unix_reset_without_being_told() -> None:
    now = 1_763_640_000.0
    limit = parse_ratelimit({"x-ratelimit-reset": str(int(now) + 60)}, API.ratelimit, now=now)
    assert limit.reset == 60
    seconds = parse_ratelimit({"x-ratelimit-reset": "60"}, API.ratelimit, now=now)
    assert seconds.reset == 60


def test_non_json_success_raises_response_error() -> None:
    recorder = Recorder(httpx.Response(200, text="<html>maintenance</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(ResponseError) as info:
        make_client(recorder).tickets.get(ticket_number=1)
    assert not isinstance(info.value, ApiError)
    assert info.value.status == 200
    assert "not valid JSON" in str(info.value)


def test_response_larger_than_the_limit_declared_by_content_length() -> None:
    recorder = Recorder(httpx.Response(200, json={"tickets": [{"subject": "x" * 500}]}))
    with pytest.raises(ResponseTooLargeError) as info:
        make_client(recorder, max_response_bytes=100).tickets.list()
    assert isinstance(info.value, ResponseError)
    assert "100-byte limit" in str(info.value)


def test_response_larger_than_the_limit_without_content_length() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"tickets": ['
        for _ in range(50):
            yield b'{"subject": "xxxxxxxxxxxxxxxx"},'
        yield b"{}]}"

    recorder = Recorder(httpx.Response(200, content=chunks()))
    with pytest.raises(ResponseTooLargeError):
        make_client(recorder, max_response_bytes=256).tickets.list()


def test_response_at_the_limit_is_accepted() -> None:
    body = json.dumps({"subject": "y" * 80}).encode()
    recorder = Recorder(httpx.Response(200, content=body))
    ticket = make_client(recorder, max_response_bytes=len(body)).tickets.get(ticket_number=1)
    assert ticket.subject == "y" * 80


def test_connect_error_raises_transport_error() -> None:
    recorder = Recorder(httpx.ConnectError("Connection refused"))
    with pytest.raises(TransportError) as info:
        make_client(recorder).ping.list()
    assert not isinstance(info.value, TimeoutError_)
    assert str(info.value) == "Desk365 at acme.desk365.io:443: could not connect (Connection refused)"


def test_read_timeout_raises_timeout_error() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(TimeoutError_) as info:
        make_client(recorder, timeout=5).ping.list()
    assert isinstance(info.value, TransportError)
    assert "5 s" in str(info.value)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the retry waits instead of sleeping them."""
    waits: list[float] = []
    monkeypatch.setattr(runtime_http.time, "sleep", waits.append)
    return waits


def test_retry_waits_out_a_429_then_succeeds(sleeps: list[float]) -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "0", "X-Rate-Limit-Remaining": "0"}),
        httpx.Response(200, json={"ticket_number": 8992}),
    )
    ticket = make_client(recorder, max_retries=2).tickets.get(ticket_number=8992)
    assert ticket.ticket_number == 8992
    assert len(recorder.requests) == 2
    assert [str(r.url) for r in recorder.requests] == [f"{BASE}/apis/v3/tickets/details?ticket_number=8992"] * 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.1


def test_retry_also_covers_503(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200, text="ok"))
    assert make_client(recorder, max_retries=1).ping.list() == "ok"
    assert len(recorder.requests) == 2


def test_retry_gives_up_after_max_retries(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}))
    with pytest.raises(RateLimitError):
        make_client(recorder, max_retries=2).tickets.list()
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


def test_no_retry_by_default_and_with_zero(sleeps: list[float]) -> None:
    for options in ({}, {"max_retries": 0}):
        recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json={}))
        with pytest.raises(RateLimitError):
            make_client(recorder, **options).tickets.list()
        assert len(recorder.requests) == 1
    assert sleeps == []


def test_other_errors_are_not_retried(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(404, json=NOT_FOUND), httpx.Response(200, json={}))
    with pytest.raises(ApiError):
        make_client(recorder, max_retries=3).tickets.get(ticket_number=1)
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_retry_resends_the_same_attachment(tmp_path: Path, sleeps: list[float]) -> None:
    path = tmp_path / "crash.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json={}))
    with path.open("rb") as fh:
        make_client(recorder, max_retries=1).ticket_notes.create_with_attachment(
            ticket_number=8992, note_object=NOTE_OBJECT, file=fh
        )
    assert len(recorder.requests) == 2
    for request in recorder.requests:
        assert parse_multipart(request) == [Part("file", "crash.txt", "text/plain", LOG)]


# ---------------------------------------------------------------------------- the key stays secret


def test_the_api_key_never_leaks() -> None:
    client = make_client(Recorder())
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert API_KEY not in repr(make_async_client(Recorder()))

    failures: list[tuple[httpx.Response | Exception, Callable[[Desk365Client], Any]]] = [
        (httpx.Response(404, json=NOT_FOUND), lambda c: c.tickets.get(ticket_number=1)),
        (httpx.Response(401, json={"status": 401, "error": "Unauthorized"}), lambda c: c.ping.list()),
        (httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0"}), lambda c: c.tickets.list()),
        (httpx.Response(200, text="not json"), lambda c: c.tickets.list()),
        (httpx.Response(200, json=["not", "an", "object"]), lambda c: c.tickets.list()),
        (httpx.Response(200, content=b"x" * 200), lambda c: c.tickets.list()),
        (httpx.ConnectError("refused"), lambda c: c.ping.list()),
        (httpx.ReadTimeout("slow"), lambda c: c.ping.list()),
    ]
    seen = set()
    for answer, call in failures:
        with pytest.raises(ClientError) as info:
            call(make_client(Recorder(answer), max_response_bytes=100))
        error = info.value
        seen.add(type(error))
        for text in (str(error), repr(error), *map(str, error.args)):
            assert API_KEY not in text
        assert API_KEY not in repr(vars(error))
    assert seen == {ApiError, RateLimitError, ResponseError, ResponseTooLargeError, TransportError, TimeoutError_}


# ---------------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_list_get_create_and_upload() -> None:
    responses = [
        httpx.Response(200, json={"count": 1, "tickets": [{"ticket_number": 8992}]}),
        httpx.Response(200, json=TICKET_BODY),
        httpx.Response(200, json={"ticket_number": 9000}),
        httpx.Response(201, json={"echo": "note"}),
        httpx.Response(200, text="All good! Desk365 APIs are running fine"),
    ]
    recorder = Recorder(*responses)
    async with make_async_client(recorder) as client:
        page = await client.tickets.list(ticket_count="30", offset="0", filters={"status": ["open"]})
        ticket = await client.tickets.get(ticket_number=8992)
        created = await client.tickets.create(email="a+b=c@x.io", subject="Zoë & Søn #1")
        note = await client.ticket_notes.create_with_attachment(
            ticket_number=8992, note_object=NOTE_OBJECT, files=[("crash.log", LOG, "text/plain"), PNG]
        )
        pong = await client.ping.list()

    assert page.tickets is not None and page.tickets[0].ticket_number == 8992
    assert isinstance(ticket, models.Ticket)
    assert (ticket.ticket_number, ticket.assigned_to, ticket.subcategory) == (8992, "agent@acme.io", "Printer")
    assert ticket.model_extra == {"cf_Employee ID": "E-42", "brand_new_field": {"nested": [1, 2]}}
    assert isinstance(created, models.Ticket) and created.ticket_number == 9000
    assert isinstance(note, models.TicketNote) and note.model_extra == {"echo": "note"}
    assert pong == "All good! Desk365 APIs are running fine"

    listing, getting, creating, uploading, pinging = recorder.requests
    for request in recorder.requests:
        assert request.headers["authorization"] == API_KEY
        assert request.url.host == "acme.desk365.io"
    assert (listing.method, listing.url.path) == ("GET", "/apis/v3/tickets")
    assert query_pairs(listing) == [("ticket_count", "30"), ("offset", "0"), ("filters", '{"status":["open"]}')]
    assert (getting.method, getting.url.path, query_pairs(getting)) == (
        "GET",
        "/apis/v3/tickets/details",
        [("ticket_number", "8992")],
    )
    assert (creating.method, creating.url.path, query_pairs(creating)) == ("POST", "/apis/v3/tickets/create", [])
    assert json.loads(creating.content) == {"email": "a+b=c@x.io", "subject": "Zoë & Søn #1"}
    assert (uploading.method, uploading.url.path) == ("POST", "/apis/v3/tickets/add_note_with_attachment")
    assert query_pairs(uploading) == [("ticket_number", "8992"), ("note_object", jq(NOTE_OBJECT))]
    assert parse_multipart(uploading) == [
        Part("files", "crash.log", "text/plain", LOG),
        Part("files", "file", "application/octet-stream", PNG),
    ]
    assert (pinging.method, pinging.url.path) == ("GET", "/apis/v3/ping")


@pytest.mark.anyio
async def test_async_sends_the_same_requests_as_sync() -> None:
    for row in CALLS:
        op_name, method, kwargs = row[0], row[1], row[2]
        op = ALL_OPERATIONS[op_name]
        sync_recorder, async_recorder = Recorder(_success(op)), Recorder(_success(op))
        sync_result = resolve(make_client(sync_recorder), method)(**kwargs)
        async_result = await resolve(make_async_client(async_recorder), method)(**kwargs)
        assert async_result == sync_result
        sync_request, async_request = sync_recorder.request, async_recorder.request
        assert (async_request.method, async_request.url.path, query_pairs(async_request)) == (
            sync_request.method,
            sync_request.url.path,
            query_pairs(sync_request),
        )
        assert async_request.headers["authorization"] == API_KEY
        if "multipart" in sync_request.headers.get("content-type", ""):
            assert parse_multipart(async_request) == parse_multipart(sync_request)
        else:
            assert async_request.content == sync_request.content


@pytest.mark.anyio
async def test_async_errors() -> None:
    with pytest.raises(ApiError) as info:
        await make_async_client(Recorder(httpx.Response(404, json=NOT_FOUND))).tickets.get(ticket_number=1)
    assert (info.value.status, info.value.body) == (404, NOT_FOUND)

    with pytest.raises(RateLimitError) as limited:
        await make_async_client(Recorder(httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0"}))).tickets.list()
    assert limited.value.ratelimit.remaining == 0

    with pytest.raises(TransportError):
        await make_async_client(Recorder(httpx.ConnectError("refused"))).ping.list()
    with pytest.raises(TimeoutError_):
        await make_async_client(Recorder(httpx.ReadTimeout("slow"))).ping.list()
    with pytest.raises(ResponseError):
        await make_async_client(Recorder(httpx.Response(200, text="nope"))).tickets.list()
    with pytest.raises(ResponseTooLargeError):
        await make_async_client(
            Recorder(httpx.Response(200, content=b"{}" * 100)), max_response_bytes=10
        ).tickets.list()


@pytest.mark.anyio
async def test_async_retry_then_success() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json={"ticket_number": 3})
    )
    ticket = await make_async_client(recorder, max_retries=2).tickets.get(ticket_number=3)
    assert ticket.ticket_number == 3
    assert len(recorder.requests) == 2


@pytest.mark.anyio
async def test_async_retry_resends_the_same_attachment(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json={}))
    with path.open("rb") as fh:
        await make_async_client(recorder, max_retries=1).ticket_replies.create_with_attachment(
            ticket_number=8992, reply_object=REPLY_OBJECT, file=fh
        )
    assert len(recorder.requests) == 2
    for request in recorder.requests:
        assert parse_multipart(request) == [Part("file", "notes.txt", "text/plain", LOG)]
