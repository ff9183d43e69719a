"""The Desk365 plugin of the mock: handlers for all 44 operations, and the quirks.

This module holds the plugin object (the vendor's error shape, rate-limit
header and contract gate) and says what every handler follows; the handlers are
in three modules by what they serve, each registering its own with
``_desk365_base.handles``: ``_desk365_tickets.py`` (tickets, conversations, time
entries, surveys), ``_desk365_customers.py`` (contacts, companies, contracts)
and ``_desk365_kb.py`` (the knowledge base). The state, the registry and the
helpers they share are in ``_desk365_base.py``, the fixtures in
``_desk365_data.py``.

Identifiers resolve the way Desk365's do, always from the query string: a ticket
by ``ticket_number``, a contact by ``primary_email`` (case-insensitive, as email
addresses are), a company by its name (``name`` to read, ``company_name`` to
update), a time entry by ``id``, a survey by ``survey_name``, a contract by
``contract_name`` and/or ``reference_number``, and knowledge-base items by their
names (case-insensitive). Lists page by item ``offset``; tickets and time entries
take ``ticket_count`` / ``time_entries_count`` ("30", "50" or "100": the document's
enum, so the core refuses anything else before a handler runs), the others a
fixed page of 30. ``count`` is the number of items on the page, and the ticket
list carries ``next_page``, the URL of the following page.

Quirks: contract endpoints answer 403 unless ``"contracts"`` is in
``MockSettings.features`` (Desk365 enables them on request); replies and notes
answer 201; the rate limit shows as ``X-Rate-Limit-Remaining``. Errors have the
document's ``Error`` shape ``{status, error, message}``.

A request the document accepts is never answered 400: the document is the
contract, and Desk365's own answers to the rules below are unrecorded. A
reference to a missing record (a ticket, a KB category or folder) is a 404. A
business rule the document cannot express (creating a contact without
``primary_email``, a company, category, folder or article without its name, or
with a name that already exists; renaming onto an existing name) is refused with
403, the status every operation declares for a refusal, and a message naming
the rule.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

from . import _desk365_customers, _desk365_kb, _desk365_tickets  # noqa: F401  (they register their handlers)
from ._desk365_base import HANDLERS, Desk365State
from ._desk365_data import build
from .plugin import MockError, MockRequest, MockSettings

__all__ = ["PLUGIN", "Desk365State"]


class Desk365Plugin:
    """Desk365 for the mock core (see :class:`helpdesk_mock.plugin.Plugin`)."""

    name = "desk365"
    handlers = HANDLERS

    def new_state(self, settings: MockSettings, clock: Callable[[], float]) -> Desk365State:
        return Desk365State(clock=clock, **build())

    def error_body(self, status: int, message: str, code: str | None) -> Any:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        return {"status": status, "error": reason, "message": message}

    def ratelimit_headers(self, limit: int, remaining: int, reset_at: float, now: float) -> dict[str, str]:
        return {"X-Rate-Limit-Remaining": str(remaining)}

    def check(self, request: MockRequest, state: Any, settings: MockSettings) -> None:
        if request.route.startswith("/v3/contracts") and "contracts" not in settings.features:
            raise MockError(403, "Accessing the resource you were trying to reach is forbidden: contract endpoints "
                                 "need special access (ask help@desk365.io to enable them)")  # fmt: skip


PLUGIN = Desk365Plugin()
