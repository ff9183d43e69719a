"""The contract between the mock's core and the per-API plugins.

The core (``app.py``) is generic and driven by a curated document: it routes a
request to its operation, validates it against the document, records it, applies
the rate-limit bucket and the fault settings, and only then calls the plugin's
handler for the operation. A plugin (``desk365.py``, ``intercom.py``) knows one
vendor: its fixtures, its error shape, its rate-limit headers, its quirks and
what each operation does to the in-memory state.

Handlers are keyed by the document's ``operationId`` and are plain functions of
``(request, state) -> MockResponse``; they raise :class:`MockError` for a vendor
error (404 for an unknown id, 403 for a disabled feature, ...). The core renders
every error through :meth:`Plugin.error_body`, so every error the mock sends has
the vendor's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "Handler", "MockError", "MockRequest", "MockResponse", "MockSettings", "Plugin", "Upload",
]  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    content: bytes


@dataclass
class MockRequest:
    """A received request, after routing and validation.

    ``query`` keeps the decoded pairs in the order received; ``params`` holds the
    path, query and header parameters coerced to their schema types (JSON-content
    query parameters parsed), keyed by their wire names; ``json`` is the parsed JSON
    body; ``form`` / ``files`` are the text and file parts of a multipart body.
    """

    method: str
    path: str
    route: str
    operation_id: str
    path_params: dict[str, str]
    query: list[tuple[str, str]]
    params: dict[str, Any]
    headers: dict[str, str]
    json: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[Upload]] = field(default_factory=dict)
    raw_body: bytes = b""
    defaults: dict[str, Any] = field(default_factory=dict)

    def arg(self, name: str, default: Any = None) -> Any:
        """A parameter's value: as sent, else the document's ``default``, else ``default``.

        (Added after the first contract: ``defaults`` holds the declared defaults of the
        parameters the request left out.)
        """
        if name in self.params:
            return self.params[name]
        return self.defaults.get(name, default)


@dataclass
class MockResponse:
    """What a handler answers; ``body`` is JSON-encoded unless it is ``bytes`` or ``str``."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


class MockError(Exception):
    """A vendor error answer; the core renders it with :meth:`Plugin.error_body`."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


@dataclass
class MockSettings:
    """Knobs a user or a test turns; the app reads them on every request, so a test
    may change them on a running mock.

    ``ratelimit`` is the bucket size per ``ratelimit_window`` seconds (``None``: no
    limit). ``features`` holds tenant switches (Desk365 ``"contracts"``). The fault
    settings make the mock misbehave on purpose: ``fault_status`` answers every
    request with that status; ``fault`` is one of ``"latency"`` (sleep
    ``fault_delay`` seconds first), ``"truncated"`` (a cut JSON body), ``"non_json"``
    (an HTML page with a JSON content type), ``"huge"`` (``fault_size`` bytes of
    valid JSON), ``"trickle"`` (the body one byte per ``fault_delay`` seconds).

    ``strict_responses`` validates every response of an operation against the
    document (status, content type, body schema, declared headers) and turns a
    mismatch into a loud 500 naming the reason; ``credential``, when set, is the
    only credential accepted (``None``: any non-empty one).
    """

    ratelimit: int | None = None
    ratelimit_window: float = 60.0
    features: set[str] = field(default_factory=set)
    fault: str | None = None
    fault_status: int | None = None
    fault_delay: float = 0.0
    fault_size: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # Added after the first contract (optional, with defaults):
    strict_responses: bool = True
    credential: str | None = None


Handler = Callable[[MockRequest, Any], MockResponse]


class Plugin(Protocol):
    """One vendor. ``state`` is whatever object :meth:`new_state` returns."""

    name: str
    handlers: dict[str, Handler]

    def new_state(self, settings: MockSettings, clock: Callable[[], float]) -> Any:
        """Fresh in-memory state seeded with the deterministic fixtures."""
        ...

    def error_body(self, status: int, message: str, code: str | None) -> Any:
        """The vendor's error body for a status and message."""
        ...

    def ratelimit_headers(self, limit: int, remaining: int, reset_at: float, now: float) -> dict[str, str]:
        """The vendor's rate-limit headers (sent on every answer when a bucket is set)."""
        ...

    def check(self, request: MockRequest, state: Any, settings: MockSettings) -> None:
        """Vendor-wide rules run before the handler (raise :class:`MockError`)."""
        ...
