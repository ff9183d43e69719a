"""The Desk365 mock over real HTTP, as the upstream of server processes under test.

Process-level tests (stdio, streamable HTTP, token-scoped endpoints, the MCP
Inspector) start a generated server in another process, so its upstream must be
a real server: the project's own mock (:mod:`helpdesk_mock`), served by uvicorn
on a random loopback port, with a rate-limit bucket so every answer carries
``X-Rate-Limit-Remaining``. It records every request it receives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from generated.desk365.tools import TOOLS
from helpdesk_mock import MockApp, MockSettings, Recorded, serve_in_thread
from tests.mocks import create_app
from tests.views import expected_result

__all__ = ["API_KEY", "LIMIT", "TICKET_NUMBER", "Desk365Upstream", "desk365_upstream"]

API_KEY = "test-key"
TICKET_NUMBER = 91  # the newest ticket of the mock's fixtures, the document's example
LIMIT = 100  # so the first call of a test sees X-Rate-Limit-Remaining: 99


class Desk365Upstream:
    """The served mock: ``url``, ``requests`` (what it received), ``clear()``, ``ticket``."""

    def __init__(self, app: MockApp, url: str) -> None:
        self.app = app
        self.url = url
        with httpx.Client(transport=app.sync_transport(), base_url="http://mock") as http:
            answer = http.get("/v3/tickets/details", params={"ticket_number": TICKET_NUMBER},
                              headers={"Authorization": API_KEY})  # fmt: skip
        self.raw_ticket: dict[str, Any] = answer.raise_for_status().json()
        """The mock's answer for ``TICKET_NUMBER``."""
        tool = next(t for t in TOOLS if t.name == "get_single_desk_365_ticket_by_id")
        self.ticket: dict[str, Any] = expected_result(tool, self.raw_ticket, {"ticket_number": TICKET_NUMBER})
        """What a tool call for it returns: the compact view of that answer."""
        self.clear()

    @property
    def requests(self) -> list[Recorded]:
        return self.app.requests

    def clear(self) -> None:
        """Reseed the state, forget the requests, refill the rate-limit bucket."""
        self.app.reset()


@contextmanager
def desk365_upstream() -> Iterator[Desk365Upstream]:
    """The Desk365 mock served on 127.0.0.1 (random port) for the duration of the block."""
    app = create_app("desk365", settings=MockSettings(ratelimit=LIMIT, ratelimit_window=3600))
    with serve_in_thread(app) as url:
        yield Desk365Upstream(app, url)
