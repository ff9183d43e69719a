"""Intercom mock handlers: the lookups other tools point to. Segments (of the workspace, of a
contact, of a company), data attributes, subscription types, ticket states, macros and
brands.

Macros are paged the way Intercom documents it: newest ``updated_at`` first, 50 per page
by default, with a ``starting_after`` cursor that is the Base64 of the JSON array
``[updated_at, id]`` of the last macro of the previous page; a cursor that does not
decode answers 400. Placeholders are rendered in both of Intercom's forms: ``body`` as
``<attribute key="user.name" default="there"/>`` (defaults HTML-escaped), ``body_text``
as ``{{user.name|fallback:"there"}}``. A macro shown only to specific teams answers 404
to an admin outside them (the admin behind the token is the workspace's ``me``).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from html import escape
from typing import Any

from .intercom_fixtures_support import iso
from .intercom_state import IntercomState, not_found, ok, path_id
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS", "render_macro"]


# -- segments --------------------------------------------------------------------------------------


def _members(state: IntercomState, segment_id: str) -> int:
    return sum(1 for c in state.contacts.values() if segment_id in c["_segment_ids"] and not c.get("_merged_into"))


def render_segment(state: IntercomState, segment: dict[str, Any], *, count: bool = False) -> dict[str, Any]:
    out = copy.deepcopy(segment)
    if count:
        out["count"] = _members(state, segment["id"])
    return out


def list_segments(request: MockRequest, state: IntercomState) -> MockResponse:
    count = bool(request.params.get("include_count"))
    segments = [render_segment(state, s, count=count) for s in state.segments.values()]
    return ok({"type": "segment.list", "segments": segments, "pages": {}})


def retrieve_segment(request: MockRequest, state: IntercomState) -> MockResponse:
    segment = state.segments.get(path_id(request, "segment_id"))
    if segment is None:
        raise not_found()
    return ok(render_segment(state, segment))


def list_contact_segments(request: MockRequest, state: IntercomState) -> MockResponse:
    contact = state.contact(path_id(request, "contact_id"))
    data = [render_segment(state, state.segments[s]) for s in contact["_segment_ids"] if s in state.segments]
    return ok({"type": "list", "data": data})


def list_company_segments(request: MockRequest, state: IntercomState) -> MockResponse:
    company = state.company(path_id(request, "company_id"))
    data = [render_segment(state, state.segments[s]) for s in company["_segment_ids"] if s in state.segments]
    return ok({"type": "list", "data": data})


# -- data attributes, subscription types, ticket states, brands ------------------------------------


def list_data_attributes(request: MockRequest, state: IntercomState) -> MockResponse:
    model = request.params.get("model")
    archived = bool(request.params.get("include_archived"))
    data = [copy.deepcopy(a) for a in state.data_attributes
            if (model is None or a["model"] == model) and (archived or not a["archived"])]  # fmt: skip
    return ok({"type": "list", "data": data})


def list_subscription_types(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "list", "data": [copy.deepcopy(s) for s in state.subscription_types.values()]})


def list_ticket_states(request: MockRequest, state: IntercomState) -> MockResponse:
    data = []
    for state_id in state.ticket_states:
        types = [
            {"type": "ticket_type", "id": t["id"], "name": t["name"], "description": t["description"],
             "icon": t["icon"], "archived": t["archived"], "is_internal": t["is_internal"], "category": t["category"]}
            for t in state.ticket_types.values() if state_id in t["_state_ids"]
        ]  # fmt: skip
        data.append({**state.render_ticket_state(state_id), "archived": False,
                     "ticket_types": {"type": "list", "data": types}})  # fmt: skip
    return ok({"type": "list", "data": data})


def list_brands(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "list", "data": [copy.deepcopy(b) for b in state.brands.values()]})


def retrieve_brand(request: MockRequest, state: IntercomState) -> MockResponse:
    brand = state.brands.get(path_id(request, "brand_id"))
    if brand is None:
        raise not_found("Brand not found")
    return ok(copy.deepcopy(brand))


# -- macros ----------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r'\{\{\s*([^|}]+?)\s*(?:\|\s*fallback:\s*"([^"]*)"\s*)?\}\}')


def _html(paragraph: str) -> str:
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(paragraph):
        out.append(escape(paragraph[last : match.start()], quote=False))
        key, default = match.group(1), match.group(2)
        extra = f' default="{escape(default)}"' if default is not None else ""
        out.append(f'<attribute key="{escape(key)}"{extra}/>')
        last = match.end()
    out.append(escape(paragraph[last:], quote=False))
    return "<p>" + "".join(out) + "</p>"


def render_macro(macro: dict[str, Any]) -> dict[str, Any]:
    paragraphs = macro["_paragraphs"]
    return {
        "type": "macro", "id": macro["id"], "name": macro["name"], "body": "".join(_html(p) for p in paragraphs),
        "body_text": "\n\n".join(paragraphs), "created_at": iso(macro["_created_at"]),
        "updated_at": iso(macro["_updated_at"]), "visible_to": macro["visible_to"],
        "visible_to_team_ids": list(macro["visible_to_team_ids"]), "available_on": list(macro["available_on"]),
    }  # fmt: skip


def _macro_key(macro: dict[str, Any]) -> tuple[float, int]:
    return (float(macro["_updated_at"]), int(macro["id"]))


def _cursor(macro: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps([float(macro["_updated_at"]), macro["id"]]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[float, int]:
    try:
        updated, macro_id = json.loads(base64.b64decode(cursor + "=" * (-len(cursor) % 4), validate=True))
        return (float(updated), int(macro_id))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise MockError(400, "Invalid starting_after cursor", "parameter_invalid") from None


def list_macros(request: MockRequest, state: IntercomState) -> MockResponse:
    per_page = request.params.get("per_page") or 50
    ordered = sorted(state.macros.values(), key=_macro_key, reverse=True)
    since = request.params.get("updated_since")
    if since is not None:
        ordered = [m for m in ordered if m["_updated_at"] > since]
    cursor = request.params.get("starting_after")
    if cursor is not None:
        after = _decode_cursor(cursor)
        ordered = [m for m in ordered if _macro_key(m) < after]
    page = ordered[:per_page]
    more = len(ordered) > per_page
    pages = {"type": "pages", "per_page": per_page, "next": {"starting_after": _cursor(page[-1])} if more else None}
    return ok({"type": "list", "data": [render_macro(m) for m in page], "pages": pages})


def get_macro(request: MockRequest, state: IntercomState) -> MockResponse:
    macro = state.macros.get(path_id(request, "macro_id"))
    if macro is None:
        raise not_found("Macro not found")
    if macro["visible_to"] == "specific_teams":
        teams = {str(t) for t in state.admins[state.me_id]["team_ids"]}
        if not teams & set(macro["visible_to_team_ids"]):
            raise not_found("Macro not found")
    return ok(render_macro(macro))


HANDLERS = {
    "listSegments": list_segments,
    "retrieveSegment": retrieve_segment,
    "listSegmentsForAContact": list_contact_segments,
    "listAttachedSegmentsForCompanies": list_company_segments,
    "listDataAttributes": list_data_attributes,
    "listSubscriptionTypes": list_subscription_types,
    "listTicketStates": list_ticket_states,
    "listBrands": list_brands,
    "retrieveBrand": retrieve_brand,
    "listMacros": list_macros,
    "getMacro": get_macro,
}
