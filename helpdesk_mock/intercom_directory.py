"""Intercom mock handlers: contacts, visitors, companies (with the scroll), admins, teams
and tags.

The company scroll follows Intercom's rules (API-FACTS A.7): the first call has no
``scroll_param`` and opens the workspace's one scroll over a snapshot of the companies;
each call returns the next batch and the same ``scroll_param``; a call past the end
returns an empty ``data`` and closes the scroll. A scroll unused for 60 seconds expires
(measured on the injected clock). Intercom documents no status for these errors; the
mock answers as Intercom's own clients observed it (intercom-ruby, hull-intercom):

- a new scroll while one is open: **400** ``scroll_exists``, "scroll already exists for
  this app";
- an expired, finished or unknown ``scroll_param``: **404** ``not_found``, telling the
  caller to restart the scroll without a ``scroll_param``.

A contact merged into another answers 410 ``contact_merged`` with a ``Link`` header
naming the surviving contact; merged contacts never appear in lists or searches.
"""

from __future__ import annotations

import copy
from typing import Any

from .intercom_search import compile_query, cursor_page
from .intercom_state import IntercomState, Scroll, error_list, not_found, ok, path_id, public
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS", "SCROLL_TTL", "new_contact"]

SCROLL_TTL = 60.0  # seconds a scroll_param lives without use
SCROLL_BATCH = 3  # companies per scroll call (MockSettings.extra["intercom_scroll_batch"] overrides)


# -- contacts -----------------------------------------------------------------------------------

CONTACT_SETTABLE = ("role", "external_id", "email", "phone", "name", "signed_up_at", "last_seen_at", "owner_id",
                    "unsubscribed_from_emails")  # fmt: skip


def _check_contact_fields(state: IntercomState, body: dict[str, Any], *, exclude: str | None = None) -> None:
    if body.get("email_verified") is not None and "email" not in body:
        raise MockError(400, "email_verified must be supplied together with an email in the same request",
                        "parameter_invalid")  # fmt: skip
    for key in ("email", "external_id"):
        if body.get(key):
            other = state.find_contact(**{key: body[key]})
            if other is not None and other["id"] != exclude:
                raise MockError(409, f"A contact matching those details already exists with id={other['id']}",
                                "conflict")  # fmt: skip


def _apply_contact_fields(state: IntercomState, contact: dict[str, Any], body: dict[str, Any]) -> None:
    for key in CONTACT_SETTABLE:
        if key in body:
            contact[key] = body[key]
    if "owner_id" in body and isinstance(body["owner_id"], str) and body["owner_id"].isdigit():
        contact["owner_id"] = int(body["owner_id"])
    if "email" in body:
        email = body["email"] or None
        contact["email"] = email
        contact["email_domain"] = email.split("@", 1)[1] if email and "@" in email else None
    if "phone" in body:
        contact["formatted_phone"] = body["phone"]
    if "avatar" in body:
        contact["avatar"] = {"type": "avatar", "image_url": body["avatar"]} if body["avatar"] else None
    if body.get("custom_attributes") is not None:
        contact["custom_attributes"].update(body["custom_attributes"])
    contact["updated_at"] = state.now()


def new_contact(state: IntercomState, body: dict[str, Any]) -> dict[str, Any]:
    """Create a contact (a user unless ``role`` says lead) from a create body."""
    now = state.now()
    contact_id = state.next_hex("contact")
    contact: dict[str, Any] = {
        "type": "contact", "id": contact_id, "workspace_id": state.app["id_code"], "external_id": None,
        "role": "user", "email": None, "email_domain": None, "phone": None, "formatted_phone": None, "name": None,
        "owner_id": None, "has_hard_bounced": False, "marked_email_as_spam": False, "unsubscribed_from_emails": False,
        "created_at": now, "updated_at": now, "signed_up_at": None, "last_seen_at": None, "last_replied_at": None,
        "last_contacted_at": None, "last_email_opened_at": None, "last_email_clicked_at": None,
        "language_override": None, "browser": None, "browser_version": None, "browser_language": None, "os": None,
        "location": {"type": "location", "country": None, "region": None, "city": None}, "custom_attributes": {},
        "avatar": None, "social_profiles": {"type": "list", "data": []}, "enabled_push_messaging": None,
        "_tag_ids": [], "_company_ids": [], "_note_ids": [], "_segment_ids": [], "_subscriptions": {},
        "_merged_into": None, "_merged_at": None,
    }  # fmt: skip
    _apply_contact_fields(state, contact, {k: v for k, v in body.items() if v is not None or k == "custom_attributes"})
    if contact["role"] == "user" and contact["signed_up_at"] is None:
        contact["signed_up_at"] = now
    state.contacts[contact_id] = contact
    return contact


def _live_contacts(state: IntercomState) -> list[dict[str, Any]]:
    live = [c for c in state.contacts.values() if not c.get("_merged_into")]
    return sorted(live, key=lambda c: (c["created_at"], c["id"]), reverse=True)


def list_contacts(request: MockRequest, state: IntercomState) -> MockResponse:
    ordered = _live_contacts(state)
    page, pages = cursor_page("contacts", ordered, request.params.get("per_page") or 50,
                              request.params.get("starting_after"))  # fmt: skip
    history = bool(request.params.get("include_merge_history"))
    return ok({"type": "list", "data": [state.render_contact(c, merge_history=history) for c in page],
               "total_count": len(ordered), "pages": pages})  # fmt: skip


def create_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    _check_contact_fields(state, body)
    return ok(state.render_contact(new_contact(state, body)))


CONTACT_FIELDS = {
    "id": "id", "role": "string", "name": "string", "email": "string", "email_domain": "string", "phone": "string",
    "external_id": "string", "owner_id": "id", "tag_id": "tag", "segment_id": "tag", "company_id": "ids",
    "location.country": "string", "location.region": "string", "location.city": "string",
    "created_at": "day", "updated_at": "day", "signed_up_at": "day", "last_seen_at": "day",
    "last_contacted_at": "day", "last_replied_at": "day", "last_email_opened_at": "day",
    "last_email_clicked_at": "day", "unsubscribed_from_emails": "boolean", "has_hard_bounced": "boolean",
    "marked_email_as_spam": "boolean", "browser": "string", "os": "string", "language_override": "string",
}  # fmt: skip


def _contact_doc(contact: dict[str, Any]) -> dict[str, Any]:
    doc = {k: contact.get(k) for k in CONTACT_FIELDS if "." not in k and not k.endswith("_id")}
    doc.update({
        "id": contact["id"], "external_id": contact["external_id"], "owner_id": contact["owner_id"],
        "tag_id": list(contact["_tag_ids"]), "segment_id": list(contact["_segment_ids"]),
        "company_id": list(contact["_company_ids"]), "location.country": contact["location"]["country"],
        "location.region": contact["location"]["region"], "location.city": contact["location"]["city"],
    })  # fmt: skip
    for key, value in contact["custom_attributes"].items():
        doc[f"custom_attributes.{key}"] = value
    return doc


def _custom_kind(values: list[Any]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    return "string"


def search_contacts(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    live = _live_contacts(state)

    def field_type(name: str) -> str | None:
        if name.startswith("custom_attributes."):
            key = name.removeprefix("custom_attributes.")
            values = [c["custom_attributes"][key] for c in state.contacts.values() if key in c["custom_attributes"]]
            return _custom_kind(values) if values else None
        return CONTACT_FIELDS.get(name)

    predicate = compile_query(body["query"], field_type)
    matched = [c for c in live if predicate(_contact_doc(c))]
    sort = body.get("sort")
    if sort and sort.get("field"):
        key = sort["field"]
        if field_type(key) is None:
            raise MockError(400, f"{key} is not a valid sort field", "invalid_field")
        present = [c for c in matched if _contact_doc(c).get(key) is not None]
        absent = [c for c in matched if _contact_doc(c).get(key) is None]
        present.sort(
            key=lambda c: _sort_key(_contact_doc(c)[key]), reverse=sort.get("order", "descending") != "ascending"
        )
        matched = present + absent
    paging = body.get("pagination") or {}
    page, pages = cursor_page("contacts/search", matched, paging.get("per_page") or 50, paging.get("starting_after"))
    history = bool(request.params.get("include_merge_history"))
    return ok({"type": "list", "data": [state.render_contact(c, merge_history=history) for c in page],
               "total_count": len(matched), "pages": pages})  # fmt: skip


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())


def _merged_answer(state: IntercomState, contact: dict[str, Any]) -> MockResponse:
    """410 Gone for a merged contact, with the ``Link`` header naming the one it became."""
    body = error_list(410, "This contact has been merged. See the 'Link' header", "contact_merged")
    return MockResponse(410, body, headers={"Link": f'</contacts/{contact["_merged_into"]}>; rel="canonical"'})


def retrieve_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contacts.get(path_id(request, "contact_id"))
    if contact is None:
        raise not_found("User Not Found")
    if contact.get("_merged_into"):
        return _merged_answer(state, contact)
    return ok(state.render_contact(contact, merge_history=bool(request.params.get("include_merge_history"))))


def update_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contacts.get(path_id(request, "contact_id"))
    if contact is None:
        raise not_found("User Not Found")
    if contact.get("_merged_into"):
        return _merged_answer(state, contact)
    body = request.json
    _check_contact_fields(state, body, exclude=contact["id"])
    _apply_contact_fields(state, contact, body)
    return ok(state.render_contact(contact, merge_history=bool(request.params.get("include_merge_history"))))


def delete_contact(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    del state.contacts[contact["id"]]
    return ok({"type": "contact", "id": contact["id"], "external_id": contact["external_id"], "deleted": True})


def retrieve_visitor(request: MockRequest, state: IntercomState) -> MockResponse:
    visitor = state.visitors.get(str(request.params["user_id"]))
    if visitor is None:
        raise not_found("Visitor Not Found")
    out = public(visitor)
    out["companies"] = {"type": "company.list", "companies": [
        state.render_company(state.companies[c]) for c in visitor["_company_ids"] if c in state.companies
    ]}  # fmt: skip
    return ok(out)


# -- companies -----------------------------------------------------------------------------------


def _plan(state: IntercomState, name: str) -> dict[str, Any]:
    for company in state.companies.values():
        plan = company.get("plan") or {}
        if plan.get("name") == name:
            return dict(plan)
    return {"type": "plan", "id": state.next_number("plan"), "name": name}


def _apply_company_fields(state: IntercomState, company: dict[str, Any], body: dict[str, Any]) -> None:
    for key in ("name", "size", "website", "industry", "monthly_spend", "remote_created_at"):
        if key in body:
            company[key] = body[key]
    if "plan" in body:
        company["plan"] = _plan(state, body["plan"])
    if body.get("custom_attributes"):
        company["custom_attributes"].update(body["custom_attributes"])
    if body.get("update_last_request_at"):
        company["last_request_at"] = state.now()
    company["updated_at"] = state.now()


def list_companies(request: MockRequest, state: IntercomState) -> MockResponse:
    params = request.params
    companies = sorted(state.companies.values(), key=lambda c: (c["created_at"], c["id"]), reverse=True)
    if params.get("name") is not None or params.get("company_id") is not None:
        companies = [c for c in companies
                     if (params.get("name") is None or c["name"] == params["name"])
                     and (params.get("company_id") is None or c["company_id"] == params["company_id"])]  # fmt: skip
        if not companies:
            raise not_found("Company Not Found", "company_not_found")
    if params.get("tag_id") is not None:
        companies = [c for c in companies if str(params["tag_id"]) in c["_tag_ids"]]
    if params.get("segment_id") is not None:
        companies = [c for c in companies if str(params["segment_id"]) in c["_segment_ids"]]
    page, per_page = params.get("page") or 1, params.get("per_page") or 15
    total_pages = max(1, -(-len(companies) // per_page))
    pages: dict[str, Any] = {"type": "pages", "page": page, "per_page": per_page, "total_pages": total_pages}
    if page < total_pages:
        pages["next"] = {"page": page + 1, "per_page": per_page, "starting_after": None}
    chunk = companies[(page - 1) * per_page : page * per_page]
    return ok({"type": "list", "data": [state.render_company(c) for c in chunk], "total_count": len(companies),
               "pages": pages})  # fmt: skip


def create_or_update_company(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    if not body.get("name") and not body.get("company_id"):
        raise MockError(400, "company not specified", "parameter_not_found")
    existing = None
    if body.get("company_id"):
        existing = next((c for c in state.companies.values() if c["company_id"] == body["company_id"]), None)
    if existing is None:
        now = state.now()
        company_id = state.next_hex("company")
        existing = {
            "type": "company", "id": company_id, "company_id": body.get("company_id"), "name": None,
            "app_id": state.app["id_code"], "plan": {}, "remote_created_at": None, "created_at": now,
            "updated_at": now, "last_request_at": None, "size": None, "website": None, "industry": None,
            "monthly_spend": 0, "session_count": 0, "custom_attributes": {}, "_tag_ids": [], "_segment_ids": [],
        }  # fmt: skip
        state.companies[company_id] = existing
    _apply_company_fields(state, existing, body)
    return ok(state.render_company(existing))


def retrieve_company(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(state.render_company(state.company(path_id(request, "company_id"))))


def update_company(request: MockRequest, state: IntercomState) -> MockResponse:
    company = state.company(path_id(request, "company_id"))
    _apply_company_fields(state, company, request.json)
    return ok(state.render_company(company))


def delete_company(request: MockRequest, state: IntercomState) -> MockResponse:
    company = state.company(path_id(request, "company_id"))
    del state.companies[company["id"]]
    for contact in state.contacts.values():
        if company["id"] in contact["_company_ids"]:
            contact["_company_ids"].remove(company["id"])
    return ok({"id": company["id"], "object": "company", "deleted": True})


def scroll_companies(request: MockRequest, state: IntercomState) -> MockResponse:
    now = state.clock()
    scroll = state.scroll
    if scroll is not None and now - scroll.last_used >= SCROLL_TTL:
        state.scroll = scroll = None  # expired: the workspace may open a new one
    param = request.params.get("scroll_param")
    if param is None:
        if scroll is not None:
            raise MockError(400, "scroll already exists for this app", "scroll_exists")
        ids = sorted(state.companies, key=lambda i: (state.companies[i]["created_at"], i))
        state.scroll = scroll = Scroll(state.next_uuid("scroll"), ids, 0, now)
    elif scroll is None or param != scroll.param:
        raise not_found("scroll_param not found: it expired (unused for 60 seconds), the scroll ended, or it is "
                        "unknown. Restart the scroll without a scroll_param.")  # fmt: skip
    batch_size = int(state.settings.extra.get("intercom_scroll_batch", SCROLL_BATCH))
    batch = [state.companies[i] for i in scroll.company_ids[scroll.position : scroll.position + batch_size]
             if i in state.companies]  # fmt: skip
    scroll.position += batch_size
    scroll.last_used = now
    if not batch:
        state.scroll = None  # the end: the scroll_param expires
    return ok({"type": "list", "data": [state.render_company(c) for c in batch], "pages": None, "total_count": None,
               "scroll_param": scroll.param})  # fmt: skip


# -- admins and teams ----------------------------------------------------------------------------


def _render_admin(admin: dict[str, Any], *, avatar: bool = True) -> dict[str, Any]:
    out = public(admin)
    if not avatar:
        out.pop("avatar", None)
    return out


def list_admins(request: MockRequest, state: IntercomState) -> MockResponse:
    avatar = bool(request.params.get("display_avatar"))
    return ok({"type": "admin.list", "admins": [_render_admin(a, avatar=avatar) for a in state.admins.values()]})


def retrieve_admin(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(_render_admin(state.admin(path_id(request, "admin_id"), message="Admin not found")))


def identify_admin(request: MockRequest, state: IntercomState) -> MockResponse:
    me = state.admins[state.me_id]
    out = _render_admin(me)
    out["email_verified"] = bool(state.settings.extra.get("intercom_me_email_verified", me["_email_verified"]))
    out["app"] = copy.deepcopy(state.app)
    return ok(out)


def list_teams(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "team.list", "teams": [copy.deepcopy(t) for t in state.teams.values()]})


# -- tags ------------------------------------------------------------------------------------------


def _basic_tag(tag: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tag", "id": tag["id"], "name": tag["name"]}


def _tag_by_name(state: IntercomState, name: str, *, create: bool) -> dict[str, Any]:
    found = next((t for t in state.tags.values() if t["name"] == name), None)
    if found is None:
        if not create:
            raise not_found("Tag not found", "tag_not_found")
        tag_id = state.next_number("tag")
        found = state.tags[tag_id] = {"type": "tag", "id": tag_id, "name": name, "_dependents": []}
    return found


def _company_ref(state: IntercomState, ref: dict[str, Any]) -> dict[str, Any]:
    if ref.get("id"):
        return state.company(ref["id"])
    found = next((c for c in state.companies.values() if c["company_id"] == ref.get("company_id")), None)
    if found is None:
        raise not_found("Company Not Found", "company_not_found")
    return found


def list_tags(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "list", "data": [_basic_tag(t) for t in state.tags.values()]})


def create_tag(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    if "users" in body:
        contacts = [state.contact(u["id"]) for u in body["users"]]
        tag = _tag_by_name(state, body["name"], create=True)
        for contact in contacts:
            if tag["id"] not in contact["_tag_ids"]:
                contact["_tag_ids"].append(tag["id"])
        return ok(_basic_tag(tag))
    if "companies" in body:
        untag = any(c.get("untag") for c in body["companies"])
        companies = [_company_ref(state, c) for c in body["companies"]]
        tag = _tag_by_name(state, body["name"], create=not untag)
        for company in companies:
            if untag and tag["id"] in company["_tag_ids"]:
                company["_tag_ids"].remove(tag["id"])
            elif not untag and tag["id"] not in company["_tag_ids"]:
                company["_tag_ids"].append(tag["id"])
        return ok(_basic_tag(tag))
    if "id" in body:
        tag = state.tag(body["id"])
        tag["name"] = body["name"]
        return ok(_basic_tag(tag))
    return ok(_basic_tag(_tag_by_name(state, body["name"], create=True)))


def find_tag(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(_basic_tag(state.tag(path_id(request, "tag_id"))))


def delete_tag(request: MockRequest, state: IntercomState) -> MockResponse:
    tag = state.tag(path_id(request, "tag_id"))
    if tag["_dependents"]:
        raise MockError(400, f"Unable to delete Tag with dependent objects: {', '.join(tag['_dependents'])}",
                        "tag_has_dependent_objects")  # fmt: skip
    del state.tags[tag["id"]]
    for conv in state.conversations.values():
        conv["tags"] = [t for t in conv["tags"] if t["id"] != tag["id"]]
    for record in [*state.contacts.values(), *state.companies.values()]:
        if tag["id"] in record["_tag_ids"]:
            record["_tag_ids"].remove(tag["id"])
    return MockResponse(200, b"", content_type="application/json")


HANDLERS = {
    "retrieveVisitorWithUserId": retrieve_visitor,
    "listContacts": list_contacts,
    "createContact": create_contact,
    "searchContacts": search_contacts,
    "retrieveContact": retrieve_contact,
    "updateContact": update_contact,
    "deleteContact": delete_contact,
    "listCompanies": list_companies,
    "createOrUpdateCompany": create_or_update_company,
    "retrieveCompany": retrieve_company,
    "updateCompany": update_company,
    "deleteCompany": delete_company,
    "scrollOverAllCompanies": scroll_companies,
    "listAdmins": list_admins,
    "retrieveAdmin": retrieve_admin,
    "identifyAdmin": identify_admin,
    "listTeams": list_teams,
    "listTags": list_tags,
    "createTag": create_tag,
    "findTag": find_tag,
    "deleteTag": delete_tag,
}
