"""Desk365 mock: tickets and their conversations, time entries and surveys (and ``ping``).

A ticket is found by ``ticket_number`` (a 404 otherwise). Creating one for a
requester the helpdesk does not know adds a contact, as Desk365 does; an update
applies each given field, ``--`` clearing an assignee, group or category, and
``watchers`` / ``share_to`` take ``{"add": [...], "remove": [...]}``. Replies and
notes append to the ticket's conversation and answer 201; the conversation list
filters by kind (agent or contact replies, public or private notes, forwards) and
counts each. Time entries belong to a ticket, survey ratings to a survey and a ticket
(``include_survey_details`` shows a ticket's latest rating). The rules every
handler shares (paging, identifiers, refusals) are in ``desk365.py``; the
helpers and the registry in ``_desk365_base.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ._desk365_base import STATUSES, Desk365State, _attachments, _not_found, _ok, _page, _same, handles
from ._desk365_data import AGENTS, SUPPORT_EMAIL, text_of
from .plugin import MockRequest, MockResponse

__all__: list[str] = []

# -- ping ------------------------------------------------------------------------------


@handles("ping")
def ping(request: MockRequest, state: Desk365State) -> MockResponse:
    return MockResponse(body="All good! Desk365 APIs are running fine", content_type="text/plain")


# -- tickets ---------------------------------------------------------------------------


def _ticket(state: Desk365State, number: Any) -> dict[str, Any]:
    found = state.tickets.get(int(number))
    if found is None:
        raise _not_found(f"no ticket with ticket_number {number}")
    return found


def _survey_rating(state: Desk365State, number: int) -> dict[str, Any] | None:
    rating = next((r for r in reversed(state.ratings) if r["ticket_number"] == number), None)
    if rating is None:
        return None
    survey = next((s for s in state.surveys if s["survey_name"] == rating["survey_name"]), {})
    scores = rating["ratings"] or {}
    return {
        "sv_name": rating["survey_name"], "sv_answered": rating["rated_on"] is not None,
        "sv_type": rating["survey_type"], "sv_cs_scale": survey.get("cs_survey_scale"),
        "sv_cs_neutral_type": rating["cs_neutral_type"], "sv_question": scores.get("survey_question"),
        "sv_rating": scores.get("rating"), "sv_cs_question_2": scores.get("cs_question_2"),
        "sv_cs_rating_2": scores.get("cs_rating_2"), "sv_cs_question_3": scores.get("cs_question_3"),
        "sv_cs_rating_3": scores.get("cs_rating_3"),
        "sv_additional_comments_title": rating["additional_comments_title"],
        "sv_additional_comments_response": rating["additional_comments_response"],
        "sv_sent_on": rating["sent_on"], "sv_rated_on": rating["rated_on"],
    }  # fmt: skip


def _ticket_view(state: Desk365State, t: dict[str, Any], request: MockRequest) -> dict[str, Any]:
    out = dict(t)
    if request.arg("include_description", "0") != "1":
        out.pop("description", None)
        out.pop("description_text", None)
    custom = out.pop("custom_fields")
    survey = _survey_rating(state, t["ticket_number"]) if request.arg("include_survey_details", "0") == "1" else None
    if request.arg("nested_fields", "0") == "1":
        if request.arg("include_custom_fields", "0") == "1":
            out.update(custom or {})
        out.update(survey or {})
    else:
        if request.arg("include_custom_fields", "0") == "1":
            out["custom_fields"] = custom
        if survey is not None:
            out["survey_rating"] = survey
    return out


_FILTER_FIELDS = {
    "status": "status", "priority": "priority", "type": "type", "group": "group", "assigned_to": "assigned_to",
    "category": "category", "subcategory": "subcategory", "source": "source", "contact": "contact_email",
}  # fmt: skip


def _matches(t: dict[str, Any], filters: dict[str, list[str]]) -> bool:
    for key, wanted in filters.items():
        value = t.get(_FILTER_FIELDS[key])
        if not any(
            (w.strip() == "--" and value in (None, "")) or (value is not None and _same(value, w)) for w in wanted
        ):
            return False
    return True


@handles("listTickets")
def list_tickets(request: MockRequest, state: Desk365State) -> MockResponse:
    filters = request.arg("filters") or {}
    since = request.arg("updated_since")
    rows = [t for t in state.tickets.values() if _matches(t, filters) and (since is None or t["updated_on"] >= since)]
    key = "updated_on" if request.arg("order_by") == "updated_time" else "created_on"
    rows.sort(key=lambda t: (t[key] or "", t["ticket_number"]), reverse=request.arg("order_type") != "asc")
    size = int(request.arg("ticket_count", "30"))
    offset = int(request.arg("offset", "0"))
    page = rows[offset : offset + size]
    next_page = None
    if offset + size < len(rows):
        query = [(k, v) for k, v in request.query if k != "offset"] + [("offset", str(offset + size))]
        host = request.headers.get("host", "127.0.0.1")
        next_page = f"http://{host}{request.path}?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query)
    tickets = [_ticket_view(state, t, request) for t in page]
    return _ok({"count": len(tickets), "tickets": tickets, "next_page": next_page})


@handles("getTicket")
def get_ticket(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_ticket(state, request.params["ticket_number"]))


def _contact_for(state: Desk365State, email: str | None) -> dict[str, Any] | None:
    if not email:
        return None
    found = state.contacts.get(email.strip().lower())
    if found is None:  # Desk365 adds a contact for a new requester
        local = email.split("@", 1)[0]
        name = " ".join(p.capitalize() for p in local.replace("_", ".").split(".") if p) or email
        found = {"name": name, "primary_email": email.strip(), "is_deleted": 0, "secondary_emails": None,
                 "title": None, "mobile": None, "phone": None, "company_name": None,
                 "created_on": state.now(), "updated_on": state.now()}  # fmt: skip
        state.contacts[email.strip().lower()] = found
    return found


def _new_ticket(state: Desk365State, body: dict[str, Any], attachments: Callable[[int], list[Any]]) -> dict[str, Any]:
    number = max(state.tickets, default=0) + 1
    contact = _contact_for(state, body.get("email"))
    now = state.now()
    status = body.get("status") or "Open"
    t = {
        "ticket_number": number, "contact_email": contact["primary_email"] if contact else None,
        "contact_name": contact["name"] if contact else None, "subject": body.get("subject"),
        "description": body.get("description"), "description_text": text_of(body.get("description")),
        "status": STATUSES.get(status.lower(), status), "priority": body.get("priority", 1),
        "type": body.get("type"), "source": 15, "form_name": body.get("form_name") or "Default Form",
        "form_is_deleted": 0, "assigned_to": body.get("assign_to"),
        "company_name": contact["company_name"] if contact else None, "sla": "Default SLA Policy",
        "completed_within_sla": None, "group": body.get("group"), "category": body.get("category"),
        "subcategory": body.get("sub_category"), "created_on": now, "updated_on": now, "resolved_on": None,
        "closed_on": None, "due_date": None, "first_response_time": None,
        "first_assigned_time": now if body.get("assign_to") else None, "first_assigned_duration": None,
        "resolved_duration": None, "first_replied_duration": None, "closed_duration": None,
        "custom_fields": dict(body.get("custom_fields") or {}), "attachments": attachments(number),
        "watchers": list(body.get("watchers") or []), "share_to": list(body.get("share_to") or []),
        "conversation_count": 0,
    }  # fmt: skip
    state.tickets[number] = t
    state.conversations[number] = []
    return t


@handles("createTicket")
def create_ticket(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_ticket(state, request.json or {}, lambda n: []))


@handles("createTicketWithAttachment")
def create_ticket_with_attachment(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_ticket(state, request.params["ticket_object"], lambda n: _attachments(request, f"tickets/{n}")))


def _change_list(current: list[str] | None, change: dict[str, list[str]]) -> list[str]:
    out = [e for e in current or [] if e not in change.get("remove", [])]
    return out + [e for e in change.get("add", []) if e not in out]


@handles("updateTicket")
def update_ticket(request: MockRequest, state: Desk365State) -> MockResponse:
    t = _ticket(state, request.params["ticket_number"])
    body = request.json or {}
    now = state.now()
    renamed = {"assign_to": "assigned_to", "sub_category": "subcategory"}
    for key, value in body.items():
        target = renamed.get(key, key)
        if key in ("watchers", "share_to"):
            t[key] = _change_list(t[key], value)
        elif key == "custom_fields":
            t[key] = {**(t[key] or {}), **value}
        elif key == "status":
            t["status"] = STATUSES.get(value.lower(), value)
            if t["status"] in ("Resolved", "Closed"):
                t["resolved_on"] = t["resolved_on"] or now
            if t["status"] == "Closed":
                t["closed_on"] = now
        elif key in ("assign_to", "group", "category", "sub_category") and value.replace(" ", "") == "--":
            t[target] = None
        else:
            t[target] = value
            if key == "description":
                t["description_text"] = text_of(value)
    t["updated_on"] = now
    return _ok(t)


def _add_message(state: Desk365State, t: dict[str, Any], message: dict[str, Any]) -> None:
    state.conversations[t["ticket_number"]].append(message)
    t["conversation_count"] = len(state.conversations[t["ticket_number"]])
    t["updated_on"] = message["created_on"]
    if message["sender_type"] == "agent" and message["type"] == "reply" and not t["first_response_time"]:
        t["first_response_time"] = message["created_on"]


def _agent_name(email: str | None) -> str:
    return next((n for e, n in AGENTS if email and _same(e, email)), "Support Agent")


def _reply(request: MockRequest, state: Desk365State, body: dict[str, Any], files: bool) -> MockResponse:
    t = _ticket(state, request.params["ticket_number"])
    attachments = _attachments(request, f"tickets/{t['ticket_number']}") if files else []
    sender = body.get("agent_email") or SUPPORT_EMAIL
    _add_message(state, t, {
        "ticket_number": t["ticket_number"], "created_by": sender, "creator_name": _agent_name(sender),
        "type": "reply", "public_note": None, "sender_type": "agent", "cc_address": body.get("cc_emails"),
        "bcc_address": body.get("bcc_emails"), "to_address": t["contact_email"], "notified_agents": None,
        "body": body.get("body"), "body_text": text_of(body.get("body")), "attachments_count": len(attachments),
        "attachments": attachments, "created_on": state.now(), "is_email_deliveribility_failiure": False,
        "email_bounce_type": None, "email_bounce_status": None,
    })  # fmt: skip
    return _ok({
        "body": body.get("body"), "cc_emails": body.get("cc_emails"), "bcc_emails": body.get("bcc_emails"),
        "from_email": body.get("from_email") or SUPPORT_EMAIL, "to_email": t["contact_email"],
        "ticket_number": t["ticket_number"], "attachments": attachments,
    }, 201)  # fmt: skip


def _note(request: MockRequest, state: Desk365State, body: dict[str, Any], files: bool) -> MockResponse:
    t = _ticket(state, request.params["ticket_number"])
    attachments = _attachments(request, f"tickets/{t['ticket_number']}") if files else []
    private = body.get("private_note", 1)
    sender = body.get("agent_email") or AGENTS[0][0]
    _add_message(state, t, {
        "ticket_number": t["ticket_number"], "created_by": sender, "creator_name": _agent_name(sender),
        "type": "note", "public_note": private == 0, "sender_type": "agent", "cc_address": None,
        "bcc_address": None, "to_address": None, "notified_agents": body.get("notify_emails"),
        "body": body.get("body"), "body_text": text_of(body.get("body")), "attachments_count": len(attachments),
        "attachments": attachments, "created_on": state.now(), "is_email_deliveribility_failiure": False,
        "email_bounce_type": None, "email_bounce_status": None,
    })  # fmt: skip
    return _ok({
        "body": body.get("body"), "notify_emails": body.get("notify_emails"),
        "to_email": t["contact_email"] if private == 0 else None, "ticket_number": t["ticket_number"],
        "private_note": private, "attachments": attachments,
    }, 201)  # fmt: skip


@handles("createTicketReply")
def create_reply(request: MockRequest, state: Desk365State) -> MockResponse:
    return _reply(request, state, request.json or {}, files=False)


@handles("createTicketReplyWithAttachment")
def create_reply_with_attachment(request: MockRequest, state: Desk365State) -> MockResponse:
    return _reply(request, state, request.params["reply_object"], files=True)


@handles("createTicketNote")
def create_note(request: MockRequest, state: Desk365State) -> MockResponse:
    return _note(request, state, request.json or {}, files=False)


@handles("createTicketNoteWithAttachment")
def create_note_with_attachment(request: MockRequest, state: Desk365State) -> MockResponse:
    return _note(request, state, request.params["note_object"], files=True)


def _kind(m: dict[str, Any]) -> str:
    if m["type"] == "forward":
        return "include_forward_messages"
    if m["type"] == "note":
        return "include_public_notes" if m["public_note"] else "include_private_notes"
    return "include_agent_replies" if m["sender_type"] == "agent" else "include_contact_replies"


@handles("listTicketConversations")
def list_conversations(request: MockRequest, state: Desk365State) -> MockResponse:
    t = _ticket(state, request.params["ticket_number"])
    messages = state.conversations[t["ticket_number"]]
    kinds = [_kind(m) for m in messages]
    shown = [m for m, k in zip(messages, kinds, strict=True) if request.arg(k, "1") == "1"]
    if request.arg("sort_by") == "latest_on_top":
        shown = shown[::-1]
    return _ok({
        "count": len(shown), "agent_reply_count": kinds.count("include_agent_replies"),
        "contact_reply_count": kinds.count("include_contact_replies"),
        "public_note_count": kinds.count("include_public_notes"),
        "private_note_count": kinds.count("include_private_notes"),
        "forward_message_count": kinds.count("include_forward_messages"), "conversations": shown,
    })  # fmt: skip


# -- time entries and surveys ------------------------------------------------------------


@handles("listTimeEntries")
def list_time_entries(request: MockRequest, state: Desk365State) -> MockResponse:
    p = request.params
    rows = []
    for e in state.time_entries.values():
        company = (state.tickets.get(e["ticket_number"]) or {}).get("company_name")
        if any((
            "ticket_number" in p and e["ticket_number"] != p["ticket_number"],
            "agent_email" in p and not _same(e["agent_email"], p["agent_email"]),
            "company_name" in p and not (company and _same(company, p["company_name"])),
            "started_before" in p and not e["start_time"] < p["started_before"],
            "started_after" in p and not e["start_time"] > p["started_after"],
            "created_after" in p and not e["created_time"] > p["created_after"],
            "updated_after" in p and not e["updated_time"] > p["updated_after"],
            "billable" in p and e["billable"] != p["billable"],
            "timer_running" in p and e["timer_running"] != p["timer_running"],
        )):  # fmt: skip
            continue
        rows.append(e)
    page = _page(rows, request, int(request.arg("time_entries_count", "30")))
    return _ok({"count": len(page), "content": page})


@handles("getTimeEntry")
def get_time_entry(request: MockRequest, state: Desk365State) -> MockResponse:
    found = state.time_entries.get(request.params["id"])
    if found is None:
        raise _not_found(f"no time entry with id {request.params['id']}")
    return _ok(found)


@handles("createTimeEntry")
def create_time_entry(request: MockRequest, state: Desk365State) -> MockResponse:
    body = request.json or {}
    t = _ticket(state, body["ticket_number"])
    now = state.now()
    entry_id = max(state.time_entries, default=5000) + 1
    entry = {
        "id": entry_id, "ticket_number": t["ticket_number"], "agent_email": body.get("agent_email") or AGENTS[0][0],
        "note": body.get("note"), "billable": body.get("billable", 1), "created_time": now, "updated_time": now,
        "start_time": body.get("start_time") or now, "time_spent_in_minutes": body.get("time_spent_in_minutes", 0),
        "timer_running": body.get("timer_running", 0), "additional_info": body.get("additional_info"),
    }  # fmt: skip
    state.time_entries[entry_id] = entry
    return _ok(entry)


@handles("listSurveys")
def list_surveys(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok({"count": len(state.surveys), "surveys": state.surveys})


@handles("getSurvey")
def get_survey(request: MockRequest, state: Desk365State) -> MockResponse:
    name = request.params["survey_name"]
    found = next((s for s in state.surveys if _same(s["survey_name"], name)), None)
    if found is None:
        raise _not_found(f"no survey named {name!r}")
    return _ok(found)


@handles("listSurveyRatings")
def list_survey_ratings(request: MockRequest, state: Desk365State) -> MockResponse:
    page = _page(state.ratings, request)
    return _ok({"count": len(page), "survey_ratings": page})
