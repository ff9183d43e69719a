"""The in-memory Intercom workspace of the mock, and how its records are rendered.

Records are kept close to Intercom's JSON, with the links between objects held as
ids (a conversation's contacts, tags and company; a ticket's type and state; a
company's tags) and resolved only when a record is rendered. So a renamed tag, a
deleted contact or a changed company shows up everywhere at once, the way it does in
Intercom, and a handler changes exactly one record.

Identifiers follow Intercom's forms: contacts, companies and segments have 24 hex
characters; conversations, parts, tickets, tags, admins, teams, articles, collections,
news items, notes, macros and subscription types have strings of digits. New ids come
from per-kind counters, so a run is deterministic; new timestamps come from the injected
clock.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .plugin import MockError, MockRequest, MockResponse, MockSettings

__all__ = ["IntercomState", "Scroll", "error_list", "newest_first", "not_found", "ok", "path_id", "public"]

# The workspace's own API version (Intercom's "version set in the app package"): the
# version a request without an Intercom-Version header is answered in.
APP_VERSION = "2.16"
MOCK_NAMESPACE = uuid.UUID("6a1f3c52-9d0e-4b8a-a7c4-2f5e8d1b0c93")


@dataclass
class Scroll:
    """The one open company scroll: its parameter, a snapshot of the company ids to
    walk, the position reached and when it was last used (clock seconds)."""

    param: str
    company_ids: list[str]
    position: int
    last_used: float


@dataclass
class IntercomState:
    """Everything the mock Intercom workspace holds. ``clock`` returns Unix seconds."""

    settings: MockSettings
    clock: Callable[[], float]
    app: dict[str, Any] = field(default_factory=dict)
    me_id: str = ""
    admins: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    visitors: dict[str, dict[str, Any]] = field(default_factory=dict)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    segments: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    conversations: dict[str, dict[str, Any]] = field(default_factory=dict)
    conversation_attributes: dict[str, str] = field(default_factory=dict)
    ticket_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    ticket_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    help_centers: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    newsfeeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    news_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    macros: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscription_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_attributes: list[dict[str, Any]] = field(default_factory=list)
    brands: dict[str, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    scroll: Scroll | None = None
    # Intercom-Version of the last request (None: the header was absent) and, per
    # request in order, (operationId, version asked for or None).
    intercom_version: str | None = None
    versions_seen: list[tuple[str, str | None]] = field(default_factory=list)

    # -- time and ids -------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def next_number(self, kind: str) -> str:
        """The next id of a digits-only kind (conversation, part, ticket, tag, ...)."""
        self.counters[kind] += 1
        return str(self.counters[kind])

    def next_hex(self, kind: str) -> str:
        """The next 24-hex-character id of a contact or company."""
        self.counters[kind] += 1
        prefix = "66f0c1d2e3a4b5c6" if kind == "contact" else "66f0c1d2e3a4b5c7"
        return f"{prefix}{self.counters[kind]:08x}"

    def next_uuid(self, kind: str) -> str:
        """A deterministic UUID (scroll parameters, request ids, list option ids)."""
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return str(uuid.uuid5(MOCK_NAMESPACE, f"{kind}:{self.counters[kind]}"))

    # -- lookups that answer Intercom's errors ------------------------------------------

    def admin(self, admin_id: Any, *, status: int = 404, code: str = "admin_not_found",
              message: str = "Admin for admin_id not found") -> dict[str, Any]:  # fmt: skip
        """The admin named by an ``admin_id`` argument, or Intercom's error."""
        found = self.admins.get(str(admin_id))
        if found is None:
            raise MockError(status, message, code)
        return found

    def contact(self, contact_id: str) -> dict[str, Any]:
        found = self.contacts.get(contact_id)
        if found is None or found.get("_merged_into"):
            raise MockError(404, "User Not Found", "not_found")
        return found

    def find_contact(self, *, id: str | None = None, email: str | None = None,
                     external_id: str | None = None) -> dict[str, Any] | None:  # fmt: skip
        """A live (not merged) contact by Intercom id, email or external_id."""
        for contact in self.contacts.values():
            if contact.get("_merged_into"):
                continue
            if id is not None and contact["id"] == id:
                return contact
            if email and (contact.get("email") or "").lower() == email.lower():
                return contact
            if external_id and contact.get("external_id") == external_id:
                return contact
        return None

    def company(self, company_id: str) -> dict[str, Any]:
        found = self.companies.get(company_id)
        if found is None:
            raise MockError(404, "Company Not Found", "company_not_found")
        return found

    def conversation(self, conversation_id: str, *, code: str = "not_found",
                     message: str = "Resource Not Found") -> dict[str, Any]:  # fmt: skip
        found = self.conversations.get(conversation_id)
        if found is None:
            raise MockError(404, message, code)
        return found

    def ticket(self, ticket_id: str) -> dict[str, Any]:
        found = self.tickets.get(ticket_id)
        if found is None:
            raise MockError(404, "Ticket not found", "ticket_not_found")
        return found

    def tag(self, tag_id: Any) -> dict[str, Any]:
        found = self.tags.get(str(tag_id))
        if found is None:
            raise MockError(404, "Tag not found", "tag_not_found")
        return found

    # -- rendering ----------------------------------------------------------------------

    def author_of_admin(self, admin: dict[str, Any]) -> dict[str, Any]:
        return {"type": "admin", "id": admin["id"], "name": admin["name"], "email": admin["email"],
                "from_ai_agent": False, "is_ai_answer": False}  # fmt: skip

    def author_of_contact(self, contact: dict[str, Any]) -> dict[str, Any]:
        return {"type": contact["role"], "id": contact["id"], "name": contact.get("name"),
                "email": contact.get("email") or "", "from_ai_agent": False, "is_ai_answer": False}  # fmt: skip

    def applied_tags(self, applied: Iterable[dict[str, Any]]) -> dict[str, Any]:
        tags = []
        for item in applied:
            tag = self.tags.get(item["id"])
            if tag is None:
                continue
            applied_by = {"type": "admin", "id": item["by"]} if item.get("by") else None
            tags.append({"type": "tag", "id": tag["id"], "name": tag["name"],
                         "applied_at": item.get("at"), "applied_by": applied_by})  # fmt: skip
        return {"type": "tag.list", "tags": tags}

    def contact_references(self, contact_ids: Iterable[str]) -> dict[str, Any]:
        refs = []
        for contact_id in contact_ids:
            contact = self.contacts.get(contact_id)
            refs.append({"type": "contact", "id": contact_id,
                         "external_id": contact.get("external_id") if contact else None})  # fmt: skip
        return {"type": "contact.list", "contacts": refs}

    def render_company(self, company: dict[str, Any]) -> dict[str, Any]:
        out = public(company)
        out["user_count"] = sum(
            1 for c in self.contacts.values() if company["id"] in c["_company_ids"] and not c.get("_merged_into")
        )
        out["tags"] = self.applied_tags({"id": t} for t in company["_tag_ids"])
        out["segments"] = {
            "type": "segment.list",
            "segments": [
                {"type": "segment", "id": s, "name": self.segments[s]["name"]}
                for s in company["_segment_ids"]
                if s in self.segments
            ],  # fmt: skip
        }
        return out

    def render_contact(self, contact: dict[str, Any], *, merge_history: bool = False) -> dict[str, Any]:
        out = public(contact)
        cid = contact["id"]
        tags = [t for t in contact["_tag_ids"] if t in self.tags]
        companies = [c for c in contact["_company_ids"] if c in self.companies]
        out["tags"] = _addressable(
            [{"type": "tag", "id": t, "url": f"/tags/{t}"} for t in tags], f"/contacts/{cid}/tags"
        )
        out["companies"] = _addressable(
            [{"type": "company", "id": c, "url": f"/companies/{c}"} for c in companies], f"/contacts/{cid}/companies"
        )
        out["notes"] = _addressable(
            [{"type": "note", "id": n, "url": f"/notes/{n}"} for n in contact["_note_ids"]], f"/contacts/{cid}/notes"
        )
        if merge_history and contact["role"] == "user":
            out["merge_history"] = [
                {"type": "contact", "id": other["id"], "merged_at": other["_merged_at"]}
                for other in self.contacts.values()
                if other.get("_merged_into") == cid
            ]
        return out

    def render_conversation(self, conv: dict[str, Any], *, parts: bool) -> dict[str, Any]:
        """A conversation as Intercom sends it; list items (``parts=False``) carry no parts."""
        teammates: list[str] = []
        for part in conv["parts"]:
            author = part["author"]
            if author["type"] == "admin" and author["id"] not in teammates:
                teammates.append(author["id"])
        company = self.companies.get(conv["company_id"] or "")
        out: dict[str, Any] = {
            "type": "conversation",
            "id": conv["id"],
            "title": conv["title"],
            "created_at": conv["created_at"],
            "updated_at": conv["updated_at"],
            "waiting_since": conv["waiting_since"],
            "snoozed_until": conv["snoozed_until"],
            "open": conv["state"] != "closed",
            "state": conv["state"],
            "read": conv["read"],
            "priority": conv["priority"],
            "admin_assignee_id": conv["admin_assignee_id"],
            "team_assignee_id": conv["team_assignee_id"],
            "company": self.render_company(company) if company else None,
            "tags": self.applied_tags(conv["tags"]),
            "conversation_rating": copy.deepcopy(conv["rating"]),
            "source": copy.deepcopy(conv["source"]),
            "contacts": self.contact_references(conv["contact_ids"]),
            "teammates": {"type": "admin.list", "teammates": [{"type": "admin", "id": a} for a in teammates]},
            "custom_attributes": copy.deepcopy(conv["custom_attributes"]),
            "first_contact_reply": copy.deepcopy(conv["first_contact_reply"]),
            "sla_applied": copy.deepcopy(conv["sla_applied"]),
            "statistics": conversation_statistics(conv),
            "linked_objects": _linked(conv["linked"]),
            "ai_agent_participated": conv["ai_agent_participated"],
            "ai_agent": None,
            "channel": {"initial": conv["channel"], "current": conv["channel"]},
        }
        if parts:
            out["conversation_parts"] = {
                "type": "conversation_part.list",
                "conversation_parts": copy.deepcopy(conv["parts"][-500:]),
                "total_count": len(conv["parts"]),
            }
        return out

    def render_ticket_state(self, state_id: str) -> dict[str, Any]:
        state = self.ticket_states[state_id]
        return {"type": "ticket_state", **copy.deepcopy(state)}

    def render_ticket_type(self, ticket_type: dict[str, Any]) -> dict[str, Any]:
        out = public(ticket_type)
        out["ticket_type_attributes"] = {
            "type": "ticket_type_attributes.list",
            "ticket_type_attributes": copy.deepcopy(ticket_type["_attributes"]),
        }
        out["ticket_states"] = {
            "type": "list",
            "data": [self.render_ticket_state(s) for s in ticket_type["_state_ids"]],
        }
        return out

    def render_ticket(self, ticket: dict[str, Any]) -> dict[str, Any]:
        ticket_type = self.ticket_types[ticket["ticket_type_id"]]
        return {
            "type": "ticket",
            "id": ticket["id"],
            "ticket_id": ticket["ticket_id"],
            "category": ticket_type["category"],
            "ticket_attributes": copy.deepcopy(ticket["attributes"]),
            "ticket_state": self.render_ticket_state(ticket["state_id"]),
            "ticket_type": self.render_ticket_type(ticket_type),
            "contacts": self.contact_references(ticket["contact_ids"]),
            "admin_assignee_id": ticket["admin_assignee_id"],
            "team_assignee_id": ticket["team_assignee_id"],
            "created_at": ticket["created_at"],
            "updated_at": ticket["updated_at"],
            "open": ticket["open"],
            "snoozed_until": ticket["snoozed_until"],
            "linked_objects": _linked(ticket["linked"]),
            "ticket_parts": {
                "type": "ticket_part.list",
                "ticket_parts": copy.deepcopy(ticket["parts"][-500:]),
                "total_count": len(ticket["parts"]),
            },
            "is_shared": ticket["is_shared"],
            "previous_ticket_state_id": ticket["previous_state_id"],
            "company_id": ticket["company_id"],
        }

    def help_center_of(self, article: dict[str, Any]) -> str | None:
        """The help center an article lives in (through its parent collection)."""
        parent = self.collections.get(str(article.get("parent_id") or ""))
        if parent is not None:
            return str(parent["help_center_id"])
        default = next((h for h in self.help_centers.values() if h["default"]), None)
        return default["id"] if default else None


def conversation_statistics(conv: dict[str, Any]) -> dict[str, Any]:
    """Intercom's ``statistics`` block, computed from the parts."""
    parts = conv["parts"]

    def times(pred: Callable[[dict[str, Any]], bool]) -> list[int]:
        return [p["created_at"] for p in parts if pred(p)]

    admin_replies = times(lambda p: p["author"]["type"] == "admin" and p["part_type"] == "comment")
    contact_replies = times(lambda p: p["author"]["type"] in ("user", "lead") and p["part_type"] == "comment")
    assignments = times(lambda p: p["part_type"] in ("assignment", "default_assignment", "away_mode_assignment"))
    closes = [p for p in parts if p["part_type"] == "close"]
    first_assign = min(assignments) if assignments else None
    first_admin = min(admin_replies) if admin_replies else None
    return {
        "type": "conversation_statistics",
        "time_to_assignment": first_assign - conv["created_at"] if first_assign else None,
        "time_to_admin_reply": first_admin - conv["created_at"] if first_admin else None,
        "time_to_first_close": closes[0]["created_at"] - conv["created_at"] if closes else None,
        "time_to_last_close": closes[-1]["created_at"] - conv["created_at"] if closes else None,
        "first_contact_reply_at": conv["created_at"],
        "first_assignment_at": first_assign,
        "first_admin_reply_at": first_admin,
        "first_close_at": closes[0]["created_at"] if closes else None,
        "last_assignment_at": max(assignments) if assignments else None,
        "last_assignment_admin_reply_at": max(admin_replies) if admin_replies else None,
        "last_contact_reply_at": max(contact_replies) if contact_replies else conv["created_at"],
        "last_admin_reply_at": max(admin_replies) if admin_replies else None,
        "last_close_at": closes[-1]["created_at"] if closes else None,
        "last_closed_by_id": closes[-1]["author"]["id"] if closes else None,
        "count_reopens": _reopens(parts),
        "count_assignments": len(assignments),
        "count_conversation_parts": len(parts) + 1,
    }


def _reopens(parts: list[dict[str, Any]]) -> int:
    """How often the conversation went from closed back to open (by a part's ``state``)."""
    count, before = 0, "open"
    for part in parts:
        count += before == "closed" and part["state"] != "closed"
        before = part["state"]
    return count


def _addressable(data: list[dict[str, Any]], url: str) -> dict[str, Any]:
    """Intercom's short list of related objects (at most 10) with the full list's URL."""
    return {"type": "list", "data": data[:10], "url": url, "total_count": len(data), "has_more": len(data) > 10}


def _linked(linked: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "list", "total_count": len(linked), "has_more": False, "data": copy.deepcopy(linked)}


def path_id(request: MockRequest, name: str) -> str:
    """A path parameter as Intercom's string id (integer path parameters included)."""
    value = request.params.get(name, request.path_params.get(name))
    return str(value)


DEFAULT_CODES = {400: "parameter_invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_found",
                 409: "conflict", 410: "contact_merged", 422: "data_invalid", 429: "rate_limit_exceeded",
                 500: "server_error", 503: "service_unavailable"}  # fmt: skip


def error_list(status: int, message: str, code: str | None) -> dict[str, Any]:
    """Intercom's error body: ``{"type": "error.list", "request_id", "errors": [{code, message}]}``.

    The request id is a UUID derived from the error, so a run is repeatable.
    """
    code = code or DEFAULT_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    request_id = str(uuid.uuid5(MOCK_NAMESPACE, f"error:{status}:{code}:{message}"))
    return {"type": "error.list", "request_id": request_id, "errors": [{"code": code, "message": message}]}


def not_found(message: str = "Resource Not Found", code: str = "not_found") -> MockError:
    return MockError(404, message, code)


def ok(body: Any) -> MockResponse:
    return MockResponse(200, body)


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` without the mock's own ``_`` keys: what the API shows."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def newest_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["updated_at"], int(r["id"])), reverse=True)
