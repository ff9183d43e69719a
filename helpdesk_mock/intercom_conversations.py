"""Intercom mock handlers: conversations (list, create, search, read, update, reply,
manage, tags) and tickets (create, search, read, update, reply, ticket types).

A reply or a manage call appends a conversation part and changes the conversation the
way the part implies (``apply_part``): ``close`` closes it, ``snoozed`` snoozes it until
``snoozed_until``, ``open`` reopens it, ``assignment`` sets the admin or team assignee,
a contact's comment reopens a closed or snoozed conversation and starts its
``waiting_since``, an admin's comment ends it. Every admin action names an existing
admin in ``admin_id`` or gets Intercom's 404 ``admin_not_found``.

Tickets are created for exactly one contact (the document's ``maxItems: 1``; a contact
named by email is created when none has it), with their attributes checked against
the ticket type: unknown attribute names, values of the wrong type, list values that
are not an option id, and missing ``required_to_create`` attributes answer 400.
"""

from __future__ import annotations

import base64
import binascii
from html import escape
from typing import Any

from .intercom_directory import new_contact
from .intercom_fixtures import apply_part, make_part
from .intercom_search import Predicate, compile_query, cursor_page, html_to_text
from .intercom_state import IntercomState, newest_first, not_found, ok, path_id
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS"]


# -- shared pieces -----------------------------------------------------------------------------


def _attachments(state: IntercomState, body: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for url in body.get("attachment_urls") or []:
        name = url.rstrip("/").rsplit("/", 1)[-1] or "attachment"
        out.append({"type": "upload", "name": name, "url": url, "content_type": None, "filesize": None,
                    "width": None, "height": None})  # fmt: skip
    for item in body.get("attachment_files") or []:
        try:
            size = len(base64.b64decode(item["data"], validate=True))
        except (binascii.Error, ValueError):
            raise MockError(400, f"attachment_files: {item['name']} is not valid base64", "parameter_invalid") from None
        upload = state.next_number("part")
        out.append({"type": "upload", "name": item["name"], "content_type": item["content_type"], "filesize": size,
                    "url": f"https://downloads.intercomcdn.test/i/o/{upload}/{item['name']}",
                    "width": None, "height": None})  # fmt: skip
    return out


def _reply_author(state: IntercomState, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(author, contact) of a reply body: an existing admin, or the contact it names."""
    if body["type"] == "admin":
        admin = state.admin(body["admin_id"])
        if body["message_type"] in ("comment", "note") and not body.get("body"):
            raise MockError(400, "Body is required", "parameter_not_found")
        if body["message_type"] == "quick_reply" and not body.get("reply_options"):
            raise MockError(400, "reply_options is required for quick_reply", "parameter_not_found")
        return state.author_of_admin(admin), None
    contact = state.find_contact(
        id=body.get("intercom_user_id"), email=body.get("email"), external_id=body.get("user_id")
    )
    if contact is None:
        raise MockError(404, "User Not Found", "not_found")
    if body["message_type"] == "comment" and not body.get("body"):
        raise MockError(400, "Body is required", "parameter_not_found")
    return state.author_of_contact(contact), contact


def _plaintext(rendered: dict[str, Any]) -> dict[str, Any]:
    source = rendered.get("source") or {}
    for key in ("body", "subject"):
        if source.get(key):
            source[key] = html_to_text(source[key])
    for part in (rendered.get("conversation_parts") or {}).get("conversation_parts", []):
        if part.get("body"):
            part["body"] = html_to_text(part["body"])
    return rendered


def _conversation_answer(state: IntercomState, conv: dict[str, Any], request: MockRequest) -> MockResponse:
    rendered = state.render_conversation(conv, parts=True)
    if request.params.get("display_as") == "plaintext":
        rendered = _plaintext(rendered)
    return ok(rendered)


# -- conversations -----------------------------------------------------------------------------


def list_conversations(request: MockRequest, state: IntercomState) -> MockResponse:
    ordered = newest_first(list(state.conversations.values()))
    page, pages = cursor_page("conversations", ordered, request.params.get("per_page") or 20,
                              request.params.get("starting_after"))  # fmt: skip
    return ok({"type": "conversation.list", "conversations": [state.render_conversation(c, parts=False) for c in page],
               "total_count": len(ordered), "pages": pages})  # fmt: skip


def create_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    who, ident = body["from"]["type"], body["from"]["id"]
    contact = state.find_contact(id=ident)
    if contact is not None and who in ("user", "lead") and contact["role"] != who:
        contact = None
    if contact is None and who == "contact":
        visitor = state.visitors.get(ident) or next((v for v in state.visitors.values() if v["id"] == ident), None)
        if visitor is not None:
            contact = state.find_contact(external_id=visitor["user_id"]) or _lead_from_visitor(state, visitor)
    if contact is None:
        raise MockError(404, "User Not Found", "not_found")
    at = body.get("created_at") or state.now()
    conv_id, message_id = state.next_number("conversation"), state.next_number("message")
    source_type = "email" if body.get("subject") else "conversation"
    state.conversations[conv_id] = {
        "id": conv_id, "title": None, "created_at": at, "updated_at": at, "waiting_since": at,
        "snoozed_until": None, "state": "open", "read": False, "priority": "none",
        "admin_assignee_id": 0, "team_assignee_id": 0,
        "company_id": contact["_company_ids"][0] if contact["_company_ids"] else None, "tags": [], "rating": None,
        "source": {"type": source_type, "id": message_id, "delivered_as": "customer_initiated",
                   "subject": body.get("subject") or "", "body": f"<p>{escape(body['body'])}</p>",
                   "author": state.author_of_contact(contact), "attachments": _attachments(state, body),
                   "url": None, "redacted": False},
        "contact_ids": [contact["id"]], "custom_attributes": {},
        "first_contact_reply": {"created_at": at, "type": source_type, "url": None}, "sla_applied": None,
        "linked": [], "ai_agent_participated": False, "channel": "email" if body.get("subject") else "chat",
        "parts": [],
    }  # fmt: skip
    return ok({"type": "user_message", "id": message_id, "created_at": at, "subject": body.get("subject") or "",
               "body": body["body"], "message_type": "email" if body.get("subject") else "inapp",
               "conversation_id": conv_id})  # fmt: skip


def _lead_from_visitor(state: IntercomState, visitor: dict[str, Any]) -> dict[str, Any]:
    """Convert a visitor to a lead (it keeps the visitor's user_id as its external_id)."""
    lead = new_contact(state, {"role": "lead", "name": visitor.get("name"), "email": visitor.get("email") or None,
                               "external_id": visitor["user_id"]})  # fmt: skip
    state.visitors.pop(visitor["user_id"], None)
    return lead


CONVERSATION_FIELDS = {
    "id": "id", "created_at": "date", "updated_at": "date", "waiting_since": "date", "snoozed_until": "date",
    "open": "boolean", "read": "boolean", "state": "string", "priority": "string", "channel_initiated": "string",
    "tag_ids": "ids", "contact_ids": "ids", "teammate_ids": "ids", "admin_assignee_id": "id",
    "team_assignee_id": "id", "ai_agent_participated": "boolean", "source.type": "string", "source.id": "id",
    "source.delivered_as": "string", "source.subject": "string", "source.body": "words", "source.author.id": "id",
    "source.author.type": "string", "source.author.name": "string", "source.author.email": "string",
    "source.url": "string", "conversation_rating.score": "integer", "conversation_rating.remark": "string",
    "conversation_rating.requested_at": "date", "conversation_rating.replied_at": "date",
    "conversation_rating.contact_id": "id", "conversation_rating.admin_d": "id",
}  # fmt: skip


def _custom_type(data_type: str | None) -> str | None:
    return None if data_type is None else ("integer" if data_type in ("integer", "decimal") else "string")


def _conversation_doc(state: IntercomState, conv: dict[str, Any]) -> dict[str, Any]:
    rendered = state.render_conversation(conv, parts=False)
    source, rating = rendered["source"], rendered["conversation_rating"] or {}
    doc: dict[str, Any] = {k: rendered.get(k) for k in CONVERSATION_FIELDS if "." not in k}
    doc.update({
        "channel_initiated": conv["channel"],
        "tag_ids": [t["id"] for t in rendered["tags"]["tags"]],
        "contact_ids": list(conv["contact_ids"]),
        "teammate_ids": [t["id"] for t in rendered["teammates"]["teammates"]],
        "admin_assignee_id": conv["admin_assignee_id"] or None, "team_assignee_id": conv["team_assignee_id"] or None,
        "source.type": source["type"], "source.id": source["id"], "source.delivered_as": source["delivered_as"],
        "source.subject": source["subject"], "source.body": source["body"], "source.url": source["url"],
        "source.author.id": source["author"]["id"], "source.author.type": source["author"]["type"],
        "source.author.name": source["author"]["name"], "source.author.email": source["author"]["email"],
        "conversation_rating.score": rating.get("rating"), "conversation_rating.remark": rating.get("remark"),
        "conversation_rating.requested_at": rating.get("created_at"),
        "conversation_rating.replied_at": rating.get("updated_at"),
        "conversation_rating.contact_id": (rating.get("contact") or {}).get("id"),
        "conversation_rating.admin_d": (rating.get("teammate") or {}).get("id"),
    })  # fmt: skip
    for key, value in rendered["statistics"].items():
        doc[f"statistics.{key}"] = value
    for key, value in conv["custom_attributes"].items():
        doc[f"custom_attributes.{key}"] = value
    return doc


def search_conversations(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json

    def field_type(name: str) -> str | None:
        if name.startswith("statistics."):
            stat = name.removeprefix("statistics.")
            return "integer" if stat.startswith(("time_to", "count_")) else "date"
        if name.startswith("custom_attributes."):
            return _custom_type(state.conversation_attributes.get(name.removeprefix("custom_attributes.")))
        return CONVERSATION_FIELDS.get(name)

    predicate = compile_query(body["query"], field_type)
    matched = [c for c in newest_first(list(state.conversations.values())) if predicate(_conversation_doc(state, c))]
    paging = body.get("pagination") or {}
    page, pages = cursor_page("conversations/search", matched, paging.get("per_page") or 20,
                              paging.get("starting_after"))  # fmt: skip
    items = []
    for conv in page:
        item = state.render_conversation(conv, parts=False)
        if request.params.get("include_monitors"):
            item["monitor_evaluations"] = []
        if request.params.get("include_scorecards"):
            item["scorecards"] = []
        items.append(item)
    return ok({"type": "conversation.list", "conversations": items, "total_count": len(matched), "pages": pages})


def retrieve_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    return _conversation_answer(state, state.conversation(path_id(request, "conversation_id")), request)


def update_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"))
    body = request.json
    for key in body.get("custom_attributes") or {}:
        if key not in state.conversation_attributes:
            raise not_found("Conversation attribute not found", "conversation_attribute_not_found")
    if body.get("company_id") is not None:
        state.company(body["company_id"])
    if "read" in body:
        conv["read"] = body["read"]
    if "title" in body:
        conv["title"] = body["title"]
    if "company_id" in body:
        conv["company_id"] = body["company_id"]
    conv["custom_attributes"].update(body.get("custom_attributes") or {})
    conv["updated_at"] = state.now()
    return _conversation_answer(state, conv, request)


def _last_conversation(state: IntercomState, author: dict[str, Any]) -> dict[str, Any]:
    """``conversation_id: last``: the actor's most recently updated conversation."""
    for conv in newest_first(list(state.conversations.values())):
        if author["type"] != "admin" and author["id"] in conv["contact_ids"]:
            return conv
        if author["type"] == "admin" and (
            str(conv["admin_assignee_id"]) == author["id"]
            or any(p["author"]["id"] == author["id"] for p in conv["parts"])
        ):
            return conv
    raise not_found()


def reply_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    author, _ = _reply_author(state, body)
    conv_id = path_id(request, "conversation_id")
    conv = _last_conversation(state, author) if conv_id == "last" else state.conversation(conv_id)
    at = body.get("created_at") or state.now()
    part = make_part(state, body["message_type"], author, body.get("body"), at,
                     attachments=_attachments(state, body))  # fmt: skip
    if body.get("skip_notifications"):
        part["notified_at"] = None
    conv["parts"].append(part)
    apply_part(conv, part)
    conv["updated_at"] = max(conv["updated_at"], state.now())
    return _conversation_answer(state, conv, request)


def manage_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"))
    body = request.json
    kind = body["message_type"]
    admin = state.admin(body["admin_id"])
    now = state.now()
    assigned_to = None
    if kind == "snoozed" and body["snoozed_until"] <= now:
        raise MockError(400, f"snoozed_until must be in the future (now is {now})", "parameter_invalid")
    if kind == "assignment":
        assignee = str(body["assignee_id"])
        if assignee != "0":
            pool = state.admins if body["type"] == "admin" else state.teams
            if assignee not in pool:
                raise not_found("Assignee not found", "assignee_not_found")
        assigned_to = {"type": body["type"], "id": assignee}
    if kind == "open" and conv["state"] == "open":
        return _conversation_answer(state, conv, request)
    part = make_part(state, kind, state.author_of_admin(admin), body.get("body"), now, assigned_to=assigned_to)
    if kind == "snoozed":
        conv["snoozed_until"] = body["snoozed_until"]
    conv["parts"].append(part)
    apply_part(conv, part)
    return _conversation_answer(state, conv, request)


def attach_tag(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"), code="conversation_not_found",
                              message="Conversation not found")  # fmt: skip
    body = request.json
    admin = state.admin(body["admin_id"])
    tag = state.tag(body["id"])
    if all(t["id"] != tag["id"] for t in conv["tags"]):
        conv["tags"].append({"id": tag["id"], "at": state.now(), "by": admin["id"]})
        conv["updated_at"] = state.now()
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"]})


def detach_tag(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"), code="conversation_not_found",
                              message="Conversation not found")  # fmt: skip
    state.admin(request.json["admin_id"])
    tag = state.tag(path_id(request, "tag_id"))
    if any(t["id"] == tag["id"] for t in conv["tags"]):
        conv["tags"] = [t for t in conv["tags"] if t["id"] != tag["id"]]
        conv["updated_at"] = state.now()
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"]})


# -- tickets -------------------------------------------------------------------------------------

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "decimal": (int, float), "boolean": (bool,), "datetime": (int, str),
    "files": (list,), "list": (str,),
}  # fmt: skip


def _check_attributes(ticket_type: dict[str, Any], attributes: dict[str, Any], *, creating: bool) -> None:
    by_name = {a["name"]: a for a in ticket_type["_attributes"] if not a["archived"]}
    for name, value in attributes.items():
        attr = by_name.get(name)
        if attr is None:
            raise MockError(400, f"Ticket attribute {name!r} does not exist on the ticket type {ticket_type['name']!r}",
                            "parameter_invalid")  # fmt: skip
        if value is None:
            continue
        kinds = _PYTHON_TYPES.get(attr["data_type"], (object,))
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if not isinstance(value, kinds) or wrong_bool:
            raise MockError(400, f"Ticket attribute {name!r} takes a {attr['data_type']} value", "parameter_invalid")
        if attr["data_type"] == "list":
            options = {o["id"] for o in (attr["input_options"] or {}).get("list_options", [])}
            if value not in options:
                raise MockError(400, "List option not found", "parameter_invalid")
    if creating:
        for attr in by_name.values():
            if attr["required_to_create"] and attributes.get(attr["name"]) in (None, ""):
                raise MockError(400, f"The ticket attribute {attr['name']} is required to create a ticket",
                                "parameter_invalid")  # fmt: skip


def _ticket_contact(state: IntercomState, ref: dict[str, Any]) -> dict[str, Any]:
    if "id" in ref:
        contact = state.find_contact(id=ref["id"])
    elif "external_id" in ref:
        contact = state.find_contact(external_id=ref["external_id"])
    else:
        contact = state.find_contact(email=ref["email"]) or new_contact(state, {"role": "user", "email": ref["email"]})
    if contact is None:
        raise MockError(404, "Contact not found or could not be created", "not_found")
    return contact


def _assignee(state: IntercomState, assignee: Any) -> tuple[str, int]:
    """("admin" | "team", id) of an assignee id, or Intercom's 404."""
    key = str(assignee)
    if key in state.admins:
        return "admin", int(key)
    if key in state.teams:
        return "team", int(key)
    raise not_found("Assignee not found", "assignee_not_found")


def create_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    ticket_type = state.ticket_types.get(str(body["ticket_type_id"]))
    if ticket_type is None:
        raise not_found("Ticket type not found")
    if ticket_type["archived"]:
        raise MockError(400, "The ticket type is archived and cannot be used for new tickets", "invalid_ticket_type")
    attributes = dict(body.get("ticket_attributes") or {})
    _check_attributes(ticket_type, attributes, creating=True)
    contact = _ticket_contact(state, body["contacts"][0])
    if body.get("company_id"):
        state.company(body["company_id"])
    admin, team = 0, 0
    assignment = body.get("assignment") or {}
    if assignment.get("admin_assignee_id"):
        admin = int(state.admin(assignment["admin_assignee_id"], code="assignee_not_found",
                                message="Assignee not found")["id"])  # fmt: skip
    if assignment.get("team_assignee_id"):
        if str(assignment["team_assignee_id"]) not in state.teams:
            raise not_found("Assignee not found", "assignee_not_found")
        team = int(assignment["team_assignee_id"])
    linked_conv = None
    if body.get("conversation_to_link_id"):
        linked_conv = state.conversation(body["conversation_to_link_id"], code="conversation_not_found",
                                         message="Conversation not found")  # fmt: skip
        if ticket_type["category"] == "Customer":
            raise MockError(400, "A conversation can only be linked to a back-office or tracker ticket",
                            "invalid_ticket_type")  # fmt: skip
    at = body.get("created_at") or state.now()
    ticket_id = state.next_number("ticket")
    ticket = {
        "id": ticket_id, "ticket_id": state.next_number("ticket_number"), "ticket_type_id": ticket_type["id"],
        "attributes": attributes, "state_id": ticket_type["_state_ids"][0], "previous_state_id": None,
        "contact_ids": [contact["id"]], "admin_assignee_id": admin, "team_assignee_id": team,
        "company_id": body.get("company_id") or (contact["_company_ids"][0] if contact["_company_ids"] else None),
        "created_at": at, "updated_at": at, "open": True, "snoozed_until": None,
        "is_shared": ticket_type["category"] == "Customer", "linked": [], "parts": [], "tags": [],
    }  # fmt: skip
    if linked_conv is not None:
        ticket["linked"].append({"type": "conversation", "id": linked_conv["id"], "category": None})
        linked_conv["linked"].append({"type": "ticket", "id": ticket_id, "category": ticket_type["category"]})
    state.tickets[ticket_id] = ticket
    return ok(state.render_ticket(ticket))


TICKET_FIELDS = {
    "id": "id", "title": "string", "description": "string", "category": "string", "ticket_type_id": "id",
    "contact_ids": "ids", "teammate_ids": "ids", "admin_assignee_id": "id", "team_assignee_id": "id",
    "open": "boolean", "state": "string", "ticket_state_id": "id", "created_at": "date", "updated_at": "date",
    "snoozed_until": "date", "is_shared": "boolean",
}  # fmt: skip
CATEGORY_TERMS = {"Customer": "request", "Back-office": "task", "Tracker": "tracker"}


def _ticket_doc(state: IntercomState, ticket: dict[str, Any]) -> dict[str, Any]:
    ticket_type = state.ticket_types[ticket["ticket_type_id"]]
    teammates = {p["author"]["id"] for p in ticket["parts"] if p["author"]["type"] == "admin"}
    if ticket["admin_assignee_id"]:
        teammates.add(str(ticket["admin_assignee_id"]))
    doc = {
        "id": ticket["id"], "title": ticket["attributes"].get("_default_title_"),
        "description": ticket["attributes"].get("_default_description_"),
        "category": CATEGORY_TERMS[ticket_type["category"]], "ticket_type_id": ticket["ticket_type_id"],
        "contact_ids": list(ticket["contact_ids"]), "teammate_ids": sorted(teammates),
        "admin_assignee_id": ticket["admin_assignee_id"] or None,
        "team_assignee_id": ticket["team_assignee_id"] or None,
        "open": ticket["open"], "state": state.ticket_states[ticket["state_id"]]["category"],
        "ticket_state_id": ticket["state_id"], "created_at": ticket["created_at"],
        "updated_at": ticket["updated_at"], "snoozed_until": ticket["snoozed_until"], "is_shared": ticket["is_shared"],
    }  # fmt: skip
    for attr in ticket_type["_attributes"]:
        doc[f"ticket_attribute.{attr['id']}"] = ticket["attributes"].get(attr["name"])
    return doc


def _ticket_attribute_type(state: IntercomState, attribute_id: str) -> str | None:
    for ticket_type in state.ticket_types.values():
        for attr in ticket_type["_attributes"]:
            if attr["id"] == attribute_id:
                kind = attr["data_type"]
                return {"integer": "integer", "decimal": "integer", "datetime": "date", "boolean": "boolean",
                        "list": "id"}.get(kind, "string")  # fmt: skip
    return None


def search_tickets(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json

    def field_type(name: str) -> str | None:
        if name.startswith("ticket_attribute."):
            return _ticket_attribute_type(state, name.removeprefix("ticket_attribute."))
        return TICKET_FIELDS.get(name)

    predicate: Predicate = compile_query(body["query"], field_type)
    matched = [t for t in newest_first(list(state.tickets.values())) if predicate(_ticket_doc(state, t))]
    paging = body.get("pagination") or {}
    page, pages = cursor_page("tickets/search", matched, paging.get("per_page") or 20, paging.get("starting_after"))
    return ok({"type": "ticket.list", "tickets": [state.render_ticket(t) for t in page], "total_count": len(matched),
               "pages": pages})  # fmt: skip


def get_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(state.render_ticket(state.ticket(path_id(request, "ticket_id"))))


def _ticket_part(state: IntercomState, ticket: dict[str, Any], part_type: str, author: dict[str, Any],
                 body: str | None, at: int, **extra: Any) -> dict[str, Any]:  # fmt: skip
    category = state.ticket_states[ticket["state_id"]]["category"]
    part = {
        "type": "ticket_part", "id": state.next_number("part"), "part_type": part_type, "body": body,
        "previous_ticket_state": extra.pop("previous", None), "ticket_state": category, "created_at": at,
        "updated_at": at, "assigned_to": extra.pop("assigned_to", None), "author": author,
        "attachments": extra.pop("attachments", []), "external_id": None, "redacted": False,
    }  # fmt: skip
    ticket["parts"].append(part)
    ticket["updated_at"] = max(ticket["updated_at"], at)
    return part


def update_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    ticket = state.ticket(path_id(request, "ticket_id"))
    ticket_type = state.ticket_types[ticket["ticket_type_id"]]
    body = request.json
    actor = None
    if "admin_id" in body:
        # Intercom's own example answers an unknown admin_id here with assignee_not_found.
        actor = state.admin(body["admin_id"], code="assignee_not_found", message="Assignee not found")
    if "ticket_attributes" in body:
        _check_attributes(ticket_type, body["ticket_attributes"], creating=False)
    if "ticket_state_id" in body and str(body["ticket_state_id"]) not in ticket_type["_state_ids"]:
        raise MockError(400, "Ticket state id is not valid or is not associated with the ticket type",
                        "ticket_state_id_invalid")  # fmt: skip
    if body.get("company_id"):
        state.company(body["company_id"])
    assignee = _assignee(state, body["assignee_id"]) if str(body.get("assignee_id", "0")) != "0" else None
    now = state.now()
    author = state.author_of_admin(actor or state.admins[state.me_id])
    ticket["attributes"].update(body.get("ticket_attributes") or {})
    if "ticket_state_id" in body and str(body["ticket_state_id"]) != ticket["state_id"]:
        previous = state.ticket_states[ticket["state_id"]]["category"]
        ticket["previous_state_id"], ticket["state_id"] = ticket["state_id"], str(body["ticket_state_id"])
        _ticket_part(state, ticket, "ticket_state_updated_by_admin", author, None, now, previous=previous)
    if "company_id" in body:
        ticket["company_id"] = body["company_id"]
    if "is_shared" in body:
        ticket["is_shared"] = body["is_shared"]
    if "snoozed_until" in body:
        ticket["snoozed_until"] = body["snoozed_until"]
    if "open" in body:
        ticket["open"] = body["open"]
        if not body["open"]:
            ticket["snoozed_until"] = None
    if "assignee_id" in body:
        if assignee is None:
            ticket["admin_assignee_id"] = ticket["team_assignee_id"] = 0
        else:
            ticket["admin_assignee_id" if assignee[0] == "admin" else "team_assignee_id"] = assignee[1]
        target = {"type": assignee[0], "id": str(assignee[1])} if assignee else None
        _ticket_part(state, ticket, "assignment", author, None, now, assigned_to=target)
    ticket["updated_at"] = now
    return ok(state.render_ticket(ticket))


def reply_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    ticket = state.ticket(path_id(request, "ticket_id"))
    ticket_type = state.ticket_types[ticket["ticket_type_id"]]
    body = request.json
    if body["type"] == "user" and ticket_type["category"] == "Back-office":
        raise MockError(400, "User replies are not allowed on Backoffice tickets", "parameter_mismatch")
    author, _ = _reply_author(state, body)
    at = body.get("created_at") or state.now()
    part = _ticket_part(state, ticket, body["message_type"], author, body.get("body"), at,
                        attachments=_attachments(state, body))  # fmt: skip
    if body.get("cross_post") and body["message_type"] == "note" and ticket_type["category"] == "Back-office":
        for link in ticket["linked"]:
            conv = state.conversations.get(link["id"])
            if conv is not None:
                note = make_part(state, "note", author, body.get("body"), at)
                conv["parts"].append(note)
                apply_part(conv, note)
    return ok(part)


def list_ticket_types(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "list", "data": [state.render_ticket_type(t) for t in state.ticket_types.values()]})


def get_ticket_type(request: MockRequest, state: IntercomState) -> MockResponse:
    ticket_type = state.ticket_types.get(path_id(request, "ticket_type_id"))
    if ticket_type is None:
        raise not_found("Ticket type not found")
    return ok(state.render_ticket_type(ticket_type))


HANDLERS = {
    "listConversations": list_conversations,
    "createConversation": create_conversation,
    "searchConversations": search_conversations,
    "retrieveConversation": retrieve_conversation,
    "updateConversation": update_conversation,
    "replyConversation": reply_conversation,
    "manageConversation": manage_conversation,
    "attachTagToConversation": attach_tag,
    "detachTagFromConversation": detach_tag,
    "createTicket": create_ticket,
    "searchTickets": search_tickets,
    "getTicket": get_ticket,
    "updateTicket": update_ticket,
    "replyTicket": reply_ticket,
    "listTicketTypes": list_ticket_types,
    "getTicketType": get_ticket_type,
}
