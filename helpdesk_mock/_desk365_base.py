"""Shared pieces of the Desk365 mock plugin: the state, the handler registry, helpers.

``_desk365_tickets.py`` (tickets, conversations, time entries, surveys),
``_desk365_customers.py`` (contacts, companies, contracts) and ``_desk365_kb.py``
(the knowledge base) register their handlers here with :func:`handles`; the
plugin object in ``desk365.py`` serves them, and its docstring says the rules
they share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from ._desk365_data import stamp
from .plugin import Handler, MockError, MockRequest, MockResponse

__all__ = ["HANDLERS", "Desk365State", "handles"]

PAGE = 30
STATUSES = {"open": "Open", "pending": "Pending", "resolved": "Resolved", "closed": "Closed"}


@dataclass
class Desk365State:
    """The in-memory helpdesk; collections are keyed by the lower-cased identifier."""

    clock: Callable[[], float]
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    tickets: dict[int, dict[str, Any]] = field(default_factory=dict)
    conversations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    time_entries: dict[int, dict[str, Any]] = field(default_factory=dict)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    kb_categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    kb_folders: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    kb_articles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def now(self) -> str:
        return stamp(datetime.fromtimestamp(self.clock()))


HANDLERS: dict[str, Handler] = {}


def handles(operation_id: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[operation_id] = fn
        return fn

    return register


def _ok(body: Any, status: int = 200) -> MockResponse:
    return MockResponse(status=status, body=body)


def _not_found(what: str) -> MockError:
    return MockError(404, f"The resource you were trying to reach is not found: {what}")


def _refused(why: str) -> MockError:
    return MockError(403, f"Accessing the resource you were trying to reach is forbidden: {why}")


def _page(items: list[Any], request: MockRequest, size: int = PAGE) -> list[Any]:
    offset = int(request.arg("offset", "0"))
    return items[offset : offset + size]


def _same(a: Any, b: Any) -> bool:
    return str(a).strip().lower() == str(b).strip().lower()


def _attachments(request: MockRequest, owner: str) -> list[dict[str, Any]]:
    uploads = request.files.get("file", []) + request.files.get("files", [])
    return [
        {"file_name": u.filename, "file_size": len(u.content), "file_type": u.content_type,
         "attachment_url": f"https://acme.desk365.invalid/attachments/{owner}/{quote(u.filename)}"}
        for u in uploads
    ]  # fmt: skip
