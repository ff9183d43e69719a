"""Intercom mock handlers: what hangs off a contact or a company. A contact's tags, companies
and subscription choices; notes on contacts and companies; merging a lead into a user;
converting a visitor into a contact.

- Notes are written by an admin (``admin_id``, else the admin behind the token, as the
  vendor documents for company notes); plain text is stored as one paragraph, the way
  Intercom's own example answers ``Hello`` with ``<p>Hello</p>``.
- A contact's subscriptions are only its explicit choices (type id -> ``opt_in`` /
  ``opt_out``); the list shows the chosen types, as Intercom documents.
- Merging a lead into a user moves the lead's conversations, tickets, tags, companies,
  notes and subscription choices to the user; the lead then answers 410 ``contact_merged``
  with a ``Link`` header, like every merged contact of the mock. Only duplicates (same
  email or phone) merge unless ``skip_duplicate_validation`` is true (400
  ``invalid_merge``, the vendor's example); ``from`` must be a lead and ``into`` a user.
- Converting a visitor: when ``user`` names an existing contact (``id``, or ``user_id`` as
  an external_id) the visitor is merged into it; otherwise a new contact of role ``type``
  is made from the visitor with the identifiers of ``user``. Either way the visitor is
  deleted.
"""

from __future__ import annotations

import copy
from html import escape
from typing import Any

from .intercom_directory import new_contact
from .intercom_state import IntercomState, not_found, ok, path_id
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS", "render_note"]

ONE_PAGE = {"type": "pages", "next": None, "page": 1, "per_page": 50, "total_pages": 1}


def _tag(state: IntercomState, tag_id: Any) -> dict[str, Any]:
    tag = state.tags.get(str(tag_id))
    if tag is None:
        raise not_found()  # Intercom's answer for an unknown tag on a contact: not_found, "Resource Not Found"
    return tag


# -- a contact's tags ------------------------------------------------------------------------------


def list_contact_tags(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    data = [{"type": "tag", "id": t, "name": state.tags[t]["name"]} for t in contact["_tag_ids"] if t in state.tags]
    return ok({"type": "list", "data": data})


def attach_tag_to_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    tag = _tag(state, request.json["id"])
    if tag["id"] not in contact["_tag_ids"]:
        contact["_tag_ids"].append(tag["id"])
        contact["updated_at"] = state.now()
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"], "applied_at": state.now(),
               "applied_by": {"type": "admin", "id": state.me_id}})  # fmt: skip


def detach_tag_from_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    tag = _tag(state, path_id(request, "tag_id"))
    if tag["id"] in contact["_tag_ids"]:
        contact["_tag_ids"].remove(tag["id"])
        contact["updated_at"] = state.now()
    return ok({"type": "tag", "id": tag["id"], "name": tag["name"]})


# -- a contact's companies -------------------------------------------------------------------------


def list_contact_companies(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    companies = [state.render_company(state.companies[c]) for c in contact["_company_ids"] if c in state.companies]
    return ok({"type": "list", "data": companies, "pages": dict(ONE_PAGE), "total_count": len(companies)})


def attach_company(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    company = state.company(str(request.json["id"]))
    if company["id"] not in contact["_company_ids"]:
        if len(contact["_company_ids"]) >= 1000:
            raise MockError(400, "Contact has reached the maximum of 1000 company associations",
                            "contact_company_limit_exceeded")  # fmt: skip
        contact["_company_ids"].append(company["id"])
        contact["updated_at"] = state.now()
    return ok(state.render_company(company))


def detach_company(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    company = state.company(path_id(request, "company_id"))
    if company["id"] in contact["_company_ids"]:
        contact["_company_ids"].remove(company["id"])
        contact["updated_at"] = state.now()
    return ok(state.render_company(company))


# -- subscriptions ---------------------------------------------------------------------------------


def _subscription_type(state: IntercomState, sub_id: Any) -> dict[str, Any]:
    found = state.subscription_types.get(str(sub_id))
    if found is None:
        raise not_found()
    return found


def list_contact_subscriptions(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    data = [copy.deepcopy(state.subscription_types[s]) for s in contact["_subscriptions"]
            if s in state.subscription_types]  # fmt: skip
    return ok({"type": "list", "data": data})


def attach_subscription(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    subscription = _subscription_type(state, request.json["id"])
    contact["_subscriptions"][subscription["id"]] = request.json["consent_type"]
    return ok(copy.deepcopy(subscription))


def detach_subscription(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    subscription = _subscription_type(state, path_id(request, "subscription_id"))
    contact["_subscriptions"].pop(subscription["id"], None)
    return ok(copy.deepcopy(subscription))


# -- notes -----------------------------------------------------------------------------------------


def render_note(state: IntercomState, note: dict[str, Any]) -> dict[str, Any]:
    kind, target = note["_about"]
    admin = state.admins.get(note["_author"])
    author = None
    if admin is not None:
        author = {k: copy.deepcopy(v) for k, v in admin.items() if not k.startswith("_") and k != "avatar"}
    return {"type": "note", "id": note["id"], "created_at": note["created_at"], kind: {"type": kind, "id": target},
            "author": author, "body": note["body"]}  # fmt: skip


def _notes_about(state: IntercomState, kind: str, target: str) -> MockResponse:
    notes = [n for n in state.notes.values() if n["_about"] == (kind, target)]
    notes.sort(key=lambda n: (n["created_at"], int(n["id"])), reverse=True)
    return ok({"type": "list", "data": [render_note(state, n) for n in notes], "total_count": len(notes),
               "pages": dict(ONE_PAGE)})  # fmt: skip


def _new_note(state: IntercomState, kind: str, target: str, body: dict[str, Any]) -> dict[str, Any]:
    author = state.me_id
    if body.get("admin_id") is not None:
        author = str(body["admin_id"])
        if author not in state.admins:
            raise not_found()  # the vendor's example: not_found, "Resource Not Found"
    text = body["body"]
    html = text if text.lstrip().startswith("<") else f"<p>{escape(text, quote=False)}</p>"
    note_id = state.next_number("note")
    note = state.notes[note_id] = {"type": "note", "id": note_id, "created_at": state.now(), "_about": (kind, target),
                                   "_author": author, "body": html}  # fmt: skip
    return note


def list_contact_notes(request: MockRequest, state: IntercomState) -> MockResponse:
    return _notes_about(state, "contact", state.contact(path_id(request, "contact_id"))["id"])


def create_contact_note(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    note = _new_note(state, "contact", contact["id"], request.json)
    contact["_note_ids"].append(note["id"])
    return ok(render_note(state, note))


def list_company_notes(request: MockRequest, state: IntercomState) -> MockResponse:
    return _notes_about(state, "company", state.company(path_id(request, "company_id"))["id"])


def create_company_note(request: MockRequest, state: IntercomState) -> MockResponse:
    company = state.company(path_id(request, "company_id"))
    return ok(render_note(state, _new_note(state, "company", company["id"], request.json)))


def retrieve_note(request: MockRequest, state: IntercomState) -> MockResponse:
    note = state.notes.get(path_id(request, "note_id"))
    if note is None:
        raise not_found()
    return ok(render_note(state, note))


# -- merging and converting ------------------------------------------------------------------------


def _absorb(state: IntercomState, into: dict[str, Any], gone: dict[str, Any]) -> None:
    """Move what belongs to ``gone`` (a lead) to ``into``."""
    for key in ("_tag_ids", "_company_ids", "_note_ids"):
        into[key] += [v for v in gone[key] if v not in into[key]]
    into["_subscriptions"] = {**gone["_subscriptions"], **into["_subscriptions"]}
    for note_id in gone["_note_ids"]:
        if note_id in state.notes:
            state.notes[note_id]["_about"] = ("contact", into["id"])
    for record in [*state.conversations.values(), *state.tickets.values()]:
        if gone["id"] in record["contact_ids"]:
            ids = [into["id"] if c == gone["id"] else c for c in record["contact_ids"]]
            record["contact_ids"] = list(dict.fromkeys(ids))
    into["updated_at"] = state.now()


def merge_contacts(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    lead, user = state.contact(body["from"]), state.contact(body["into"])
    if lead["id"] == user["id"]:
        raise MockError(400, "A contact cannot be merged into itself", "invalid_merge")
    if lead["role"] != "lead" or user["role"] != "user":
        raise MockError(400, "Only a lead (from) can be merged into a user (into)", "invalid_merge")
    if not body.get("skip_duplicate_validation"):
        same_email = bool(lead["email"]) and (lead["email"] or "").lower() == (user["email"] or "").lower()
        same_phone = bool(lead["phone"]) and lead["phone"] == user["phone"]
        if not (same_email or same_phone):
            raise MockError(400, "Contacts can only be merged when they are duplicates (matching email or phone). "
                            "Pass skip_duplicate_validation=true to override this check.", "invalid_merge")  # fmt: skip
    _absorb(state, user, lead)
    lead["_merged_into"], lead["_merged_at"] = user["id"], state.now()
    return ok(state.render_contact(user, merge_history=bool(request.params.get("include_merge_history"))))


def _visitor(state: IntercomState, ref: dict[str, Any]) -> dict[str, Any]:
    for visitor in state.visitors.values():
        if ref.get("user_id") is not None and visitor["user_id"] != ref["user_id"]:
            continue
        if ref.get("id") is not None and visitor["id"] != ref["id"]:
            continue
        if ref.get("email") is not None and (visitor.get("email") or "").lower() != ref["email"].lower():
            continue
        return visitor
    raise not_found("Visitor Not Found")


def convert_visitor(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    visitor = _visitor(state, body["visitor"])
    ref = body["user"]
    if ref.get("id") is not None:
        contact = state.find_contact(id=ref["id"])
        if contact is None:
            raise not_found("User Not Found")
    else:
        contact = state.find_contact(external_id=ref["user_id"])
    if contact is None:
        contact = new_contact(state, {"role": body["type"], "external_id": ref["user_id"], "name": visitor.get("name"),
                                      "email": ref.get("email") or visitor.get("email") or None})  # fmt: skip
        location = visitor.get("location_data") or {}
        contact["location"].update(country=location.get("country_name"), city=location.get("city_name"))
        contact["custom_attributes"].update(visitor.get("custom_attributes") or {})
    elif ref.get("email") and not contact.get("email"):
        contact["email"] = ref["email"]
        contact["email_domain"] = ref["email"].split("@", 1)[1] if "@" in ref["email"] else None
    contact["_company_ids"] += [c for c in visitor["_company_ids"] if c not in contact["_company_ids"]]
    contact["updated_at"] = state.now()
    del state.visitors[visitor["user_id"]]
    return ok(state.render_contact(contact))


HANDLERS = {
    "listTagsForAContact": list_contact_tags,
    "attachTagToContact": attach_tag_to_contact,
    "detachTagFromContact": detach_tag_from_contact,
    "listCompaniesForAContact": list_contact_companies,
    "attachContactToACompany": attach_company,
    "detachContactFromACompany": detach_company,
    "listSubscriptionsForAContact": list_contact_subscriptions,
    "attachSubscriptionTypeToContact": attach_subscription,
    "detachSubscriptionTypeToContact": detach_subscription,
    "listNotes": list_contact_notes,
    "createNote": create_contact_note,
    "listCompanyNotes": list_company_notes,
    "createCompanyNote": create_company_note,
    "retrieveNote": retrieve_note,
    "mergeContacts": merge_contacts,
    "convertVisitor": convert_visitor,
}
