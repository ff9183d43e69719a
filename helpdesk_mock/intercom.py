"""The Intercom plugin of the mock: Intercom API 2.16 as described by openapi/intercom.yaml.

The core routes, validates and records each request, applies the rate-limit bucket and
the faults, then calls :meth:`IntercomPlugin.check` and the operation's handler. This
plugin adds what is Intercom's own:

- **State** (``intercom_state``) seeded with the "Acme Cloud" workspace
  (``intercom_fixtures``, ``intercom_fixtures_content``, ``intercom_fixtures_support``);
  handlers for all 92 operations (``intercom_conversations``, ``intercom_handling``,
  ``intercom_directory``, ``intercom_relations``, ``intercom_lookups``,
  ``intercom_content``) that change it the way Intercom does.
- **Errors** in Intercom's ``error.list`` shape, with Intercom's codes (API-FACTS A.2).
- **Rate-limit headers** ``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset``, the reset
  as a Unix time in whole seconds (A.2).
- **Intercom-Version**: :meth:`check` records the version each request asks for on the
  state (``state.intercom_version``, ``state.versions_seen``); a request without the
  header is answered in the workspace's version, 2.16. Every version of the document's
  enum (1.0 ... 2.16) is answered in the 2.16 shapes: the facts record no per-version
  differences for these 92 operations. A version Intercom does not know answers 400
  ``intercom_version_invalid`` "The requested version could not be found" (as recorded
  by Airbyte's Intercom tests); through the app the core's header validation answers
  it first, and :meth:`error_body` gives that answer the same code.

``MockSettings.extra`` knobs: ``intercom_scroll_batch`` (companies per scroll call,
default 3) and ``intercom_me_email_verified`` (the ``email_verified`` of ``/me``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from . import (
    intercom_content,
    intercom_conversations,
    intercom_directory,
    intercom_handling,
    intercom_lookups,
    intercom_relations,
)
from .intercom_fixtures import seed
from .intercom_state import APP_VERSION, IntercomState, error_list
from .plugin import Handler, MockError, MockRequest, MockSettings

__all__ = ["PLUGIN", "IntercomPlugin", "SUPPORTED_VERSIONS"]

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", *(f"2.{n}" for n in range(17)))


class IntercomPlugin:
    """Intercom for the mock core (see ``helpdesk_mock/plugin.py`` for the contract)."""

    name = "intercom"

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {
            **intercom_conversations.HANDLERS,
            **intercom_handling.HANDLERS,
            **intercom_directory.HANDLERS,
            **intercom_relations.HANDLERS,
            **intercom_lookups.HANDLERS,
            **intercom_content.HANDLERS,
        }

    def new_state(self, settings: MockSettings, clock: Callable[[], float]) -> IntercomState:
        state = IntercomState(settings=settings, clock=clock)
        seed(state)
        return state

    def error_body(self, status: int, message: str, code: str | None) -> Any:
        if code is None and status == 400 and "intercom-version" in message.lower():
            code = "intercom_version_invalid"  # the core's own validation of the header
        return error_list(status, message, code)

    def ratelimit_headers(self, limit: int, remaining: int, reset_at: float, now: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": str(math.ceil(reset_at)),
        }

    def check(self, request: MockRequest, state: IntercomState, settings: MockSettings) -> None:
        asked = request.headers.get("intercom-version")
        state.intercom_version = asked
        state.versions_seen.append((request.operation_id, asked))
        version = asked if asked is not None else APP_VERSION
        if version not in SUPPORTED_VERSIONS:
            raise MockError(400, "The requested version could not be found", "intercom_version_invalid")


PLUGIN = IntercomPlugin()
