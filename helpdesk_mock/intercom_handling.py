"""Intercom mock handlers: handling a conversation beyond replies (adding and removing
participants, converting it to a ticket, merging, redacting) and tagging tickets.

- Participants: a contact named by an email no contact has is created as a lead (the
  vendor's warning); the last contact of a conversation cannot be removed (422). Both
  answer ``{customers: [{type, id}]}``, the shape of the vendor's own examples.
- Converting: only ticket types of category Customer (400 "Ticket type is not a customer
  ticket type", the vendor's example), not archived, with a state of that type. The
  ticket takes the conversation's contacts, company, assignees and its messages (the
  source and the comments and notes, as ticket parts), then a state part by the bot. A
  conversation converted once is refused a second time (400): the mock's assumption, the
  vendor documents nothing for it.
- Merging: the secondary (the path's) is closed by the bot and linked to the primary,
  which records a ``merged_primary_conversation`` part (the vendor's example); 422
  ``merge_failed`` for an unknown primary, a secondary merged before, or a self-merge.
- Redacting: the text becomes "This message was deleted" and attachments go; a part needs
  a body and a source message a contact as its author (400
  ``conversation_part_not_redactable``), an unknown part or message is 404
  ``conversation_part_or_message_not_found`` (the vendor's codes).
- Ticket tags are kept on the ticket (``tags``: id, when, by whom) but not rendered: the
  ticket object of API 2.16 has no ``tags`` field.
"""

from __future__ import annotations

from typing import Any

from .intercom_conversations import _check_attributes, _ticket_part
from .intercom_directory import new_contact
from .intercom_fixtures import BOT, apply_part, make_part
from .intercom_state import IntercomState, not_found, ok, path_id
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS", "DELETED"]

DELETED = "<p><i>This message was deleted</i></p>"
MESSAGE_PARTS = ("comment", "note", "quick_reply")


def _with_parts(state: IntercomState, conv: dict[str, Any]) -> MockResponse:
    return ok(state.render_conversation(conv, parts=True))


# -- participants ----------------------------------------------------------------------------------


def _customers(state: IntercomState, conv: dict[str, Any]) -> dict[str, Any]:
    out = []
    for contact_id in conv["contact_ids"]:
        contact = state.contacts.get(contact_id)
        out.append({"type": contact["role"] if contact else "user", "id": contact_id})
    return {"customers": out}


def _named(state: IntercomState, ref: dict[str, Any], *, create: bool) -> dict[str, Any]:
    contact = state.find_contact(id=ref.get("intercom_user_id"), email=ref.get("email"), external_id=ref.get("user_id"))
    if contact is None and create and ref.get("email"):
        contact = new_contact(state, {"role": "lead", "email": ref["email"]})
    if contact is None:
        raise not_found("User Not Found")
    return contact


def attach_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"))
    body = request.json
    if body.get("admin_id") is not None:
        state.admin(body["admin_id"])
    if body["customer"].get("customer"):
        _named(state, body["customer"]["customer"], create=False)
    contact = _named(state, body["customer"], create=True)
    if contact["id"] not in conv["contact_ids"]:
        conv["contact_ids"].append(contact["id"])
        conv["updated_at"] = max(conv["updated_at"], state.now())
    return ok(_customers(state, conv))


def detach_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"))
    state.admin(request.json["admin_id"])
    contact_id = path_id(request, "contact_id")
    if contact_id not in conv["contact_ids"]:
        raise not_found("User Not Found")
    if len(conv["contact_ids"]) == 1:
        raise MockError(422, "Removing the last customer is not allowed", "parameter_invalid")
    conv["contact_ids"].remove(contact_id)
    conv["updated_at"] = max(conv["updated_at"], state.now())
    return ok(_customers(state, conv))


# -- converting to a ticket ------------------------------------------------------------------------


def convert_to_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    conv = state.conversation(path_id(request, "conversation_id"), code="conversation_not_found",
                              message="Conversation not found")  # fmt: skip
    body = request.json
    ticket_type = state.ticket_types.get(str(body["ticket_type_id"]))
    if ticket_type is None:
        raise not_found("Ticket type not found")
    if ticket_type["category"] != "Customer":
        raise MockError(400, "Ticket type is not a customer ticket type", "parameter_invalid")
    if ticket_type["archived"]:
        raise MockError(400, "The ticket type is archived and cannot be used for new tickets", "invalid_ticket_type")
    state_id = str(body["ticket_state_id"]) if "ticket_state_id" in body else ticket_type["_state_ids"][0]
    if state_id not in ticket_type["_state_ids"]:
        raise MockError(400, "Ticket state id is not valid or is not associated with the ticket type",
                        "ticket_state_id_invalid")  # fmt: skip
    attributes = dict(body.get("attributes") or {})
    _check_attributes(ticket_type, attributes, creating=False)
    if conv.get("_ticket_id"):
        raise MockError(400, "The conversation has already been converted to a ticket", "parameter_invalid")
    now, source, ticket_id = state.now(), conv["source"], state.next_number("ticket")
    ticket = state.tickets[ticket_id] = {
        "id": ticket_id, "ticket_id": state.next_number("ticket_number"), "ticket_type_id": ticket_type["id"],
        "attributes": attributes, "state_id": state_id, "previous_state_id": None,
        "contact_ids": list(conv["contact_ids"]), "admin_assignee_id": conv["admin_assignee_id"],
        "team_assignee_id": conv["team_assignee_id"], "company_id": conv["company_id"],
        "created_at": conv["created_at"], "updated_at": conv["created_at"], "open": True, "snoozed_until": None,
        "is_shared": True, "linked": [], "parts": [], "tags": [],
    }  # fmt: skip
    _ticket_part(state, ticket, "comment", dict(source["author"]), source["body"], conv["created_at"],
                 attachments=list(source["attachments"]))  # fmt: skip
    for part in conv["parts"]:
        if part["part_type"] in MESSAGE_PARTS:
            _ticket_part(state, ticket, part["part_type"], dict(part["author"]), part["body"], part["created_at"],
                         attachments=list(part["attachments"]))  # fmt: skip
    category = state.ticket_states[state_id]["category"]
    _ticket_part(state, ticket, "ticket_state_updated_by_admin", dict(BOT), None, now, previous=category)
    conv["_ticket_id"] = ticket_id
    conv["updated_at"] = max(conv["updated_at"], now)
    return ok(state.render_ticket(ticket))


# -- merging and redacting -------------------------------------------------------------------------


def merge_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    secondary = state.conversation(path_id(request, "conversation_id"))
    primary_id = str(request.json["merge_into_conversation_id"])
    if primary_id == secondary["id"]:
        raise MockError(422, "Cannot merge a conversation into itself", "merge_failed")
    primary = state.conversations.get(primary_id)
    if primary is None:
        raise MockError(422, "Primary conversation not found", "merge_failed")
    if secondary.get("_merged_into"):
        raise MockError(422, "Secondary conversation has already been merged", "merge_failed")
    now = state.now()
    for conv, kind in ((primary, "merged_primary_conversation"), (secondary, "close")):
        part = make_part(state, kind, dict(BOT), None, now)
        conv["parts"].append(part)
        apply_part(conv, part)
    secondary["_merged_into"] = primary_id
    primary["linked"].append({"type": "conversation", "id": secondary["id"], "category": None})
    secondary["linked"].append({"type": "conversation", "id": primary_id, "category": None})
    return _with_parts(state, primary)


def redact_conversation(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    missing = not_found("Conversation part or message not found", "conversation_part_or_message_not_found")
    conv = state.conversations.get(str(body["conversation_id"]))
    if conv is None:
        raise missing
    if body["type"] == "conversation_part":
        target = next((p for p in conv["parts"] if p["id"] == str(body["conversation_part_id"])), None)
        if target is None:
            raise missing
        if not target.get("body"):
            raise MockError(400, "This conversation part has no body and cannot be redacted",
                            "conversation_part_not_redactable")  # fmt: skip
        target["updated_at"] = state.now()
    else:
        target = conv["source"]
        if str(target["id"]) != str(body["source_id"]):
            raise missing
        if target["author"]["type"] not in ("user", "lead", "contact"):
            raise MockError(400, "Only a message written by a contact can be redacted",
                            "conversation_part_not_redactable")  # fmt: skip
    target.update(body=DELETED, redacted=True, attachments=[])
    conv["updated_at"] = max(conv["updated_at"], state.now())
    return _with_parts(state, conv)


# -- ticket tags -----------------------------------------------------------------------------------


def attach_tag_to_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    ticket = state.ticket(path_id(request, "ticket_id"))
    admin = state.admin(request.json["admin_id"])
    tag = state.tag(request.json["id"])
    if all(t["id"] != tag["id"] for t in ticket["tags"]):
        ticket["tags"].append({"id": tag["id"], "at": state.now(), "by": admin["id"]})
    applied = next(t for t in ticket["tags"] if t["id"] == tag["id"])
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"], "applied_at": applied["at"],
               "applied_by": {"type": "admin", "id": applied["by"]}})  # fmt: skip


def detach_tag_from_ticket(request: MockRequest, state: IntercomState) -> MockResponse:
    ticket = state.ticket(path_id(request, "ticket_id"))
    state.admin(request.json["admin_id"])
    tag = state.tag(path_id(request, "tag_id"))
    ticket["tags"] = [t for t in ticket["tags"] if t["id"] != tag["id"]]
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"]})


HANDLERS = {
    "attachContactToConversation": attach_contact,
    "detachContactFromConversation": detach_contact,
    "convertConversationToTicket": convert_to_ticket,
    "mergeConversation": merge_conversation,
    "redactConversation": redact_conversation,
    "attachTagToTicket": attach_tag_to_ticket,
    "detachTagFromTicket": detach_tag_from_ticket,
}
