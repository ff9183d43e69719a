# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Bounded MCP sessions: one budget across every session manager of a process.

The SDK's ``StreamableHTTPSessionManager`` bounds its own sessions
(``max_sessions``, answered with 503) and closes idle ones
(``session_idle_timeout``). In ``--endpoints`` mode every endpoint has its own
manager, so a per-manager bound alone lets memory grow with the number of
endpoints. :class:`SessionBudget` makes one bound for all of them:

* a total (``max_sessions``) over every manager it made, and a bound per
  manager (``per_manager``: per endpoint, so one leaked URL cannot hold every
  session), both checked when a session would open;
* the idle timeout of every manager, so abandoned sessions free their room;
* a clear answer to the client over the limit: a 503 whose body is a JSON-RPC
  error saying which limit was reached and what to do, with ``Retry-After``.
  Sessions already open are untouched; they keep working.

How it hooks into the SDK. Admission happens in the manager's
``_admit_session`` (synchronous, under the manager's lock: the check and the
registration cannot interleave with another manager's), which returns None at
the limit and makes the SDK answer 503; :class:`_BudgetedManager` overrides it
to consult the budget first. The budget counts each manager's live sessions
(``_server_instances``) instead of counting admissions itself, so a session
that ends in any way (DELETE, idle timeout, crash, its manager stopping)
frees its room without a callback. Both are SDK internals of the pinned
``mcp`` version; ``tests/test_sessions.py`` checks the behaviour end to end, so
an SDK upgrade that moves them fails there, not in production. Before the
manager sees a request, :meth:`SessionBudget.guard` answers the over-limit
case itself, with the clearer message; requests that race past it together
meet the override at admission, and the guard replaces the SDK's terse 503 with
the same clear answer.

Memory. A session costs what the SDK allocates for it (its transport, memory
streams and one task running the server loop): about 40 KiB of RSS measured
on this runtime; nothing of ours is allocated per session (tool listings and
servers are per endpoint).
"""

from __future__ import annotations

import json
import weakref
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SessionBudget"]

_SESSION_HEADER = b"mcp-session-id"
_VERSION_HEADER = b"mcp-protocol-version"


class SessionBudget:
    """The session limits shared by the managers it makes (see the module docstring)."""

    def __init__(self, max_sessions: int, *, per_manager: int | None = None, idle_timeout: float = 600.0) -> None:
        self.max_sessions = max_sessions
        self.per_manager = per_manager
        self.idle_timeout = idle_timeout
        self._managers: weakref.WeakSet[Any] = weakref.WeakSet()

    def manager(self, server: Any, **options: Any) -> Any:
        """A session manager for ``server`` under this budget (``options`` as for the SDK's,
        e.g. ``json_response``, ``stateless``, ``max_request_body_size``)."""
        from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

        class _BudgetedManager(StreamableHTTPSessionManager):
            """The SDK's manager, admitting a session only within the budget."""

            def _admit_session(self, requestor: Any) -> Any:
                if budget.refusal(self) is not None:
                    return None
                return super()._admit_session(requestor)

        budget = self
        made = _BudgetedManager(
            server,
            session_idle_timeout=self.idle_timeout,
            max_sessions=self.per_manager or self.max_sessions,
            **options,
        )
        self._managers.add(made)
        return made

    def open_sessions(self) -> int:
        """Sessions open now, across every manager of this budget."""
        return sum(_sessions_of(m) for m in list(self._managers))

    def refusal(self, manager: Any) -> str | None:
        """Why ``manager`` may not open one more session now, or None."""
        if self.per_manager is not None and _sessions_of(manager) >= self.per_manager:
            return (
                f"This endpoint already holds its limit of {self.per_manager} open MCP sessions. "
                "Close sessions you no longer use (HTTP DELETE with their Mcp-Session-Id), "
                f"or retry once one has been idle for {self.idle_timeout:g} s and is closed."
            )
        if self.open_sessions() >= self.max_sessions:
            return (
                f"This server already holds its limit of {self.max_sessions} open MCP sessions; retry later. "
                "Sessions you no longer use can be closed with HTTP DELETE and their Mcp-Session-Id."
            )
        return None

    def guard(self, manager: Any, app: ASGIApp) -> ASGIApp:
        """``app`` (which serves ``manager``'s requests), answering a request that would open a
        session over the limit with a 503 that says so."""
        if manager.stateless:
            return app

        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not _opens_session(scope):
                await app(scope, receive, send)
                return
            reason = self.refusal(manager)
            if reason is not None:
                await _too_many(reason, self.idle_timeout)(scope, receive, send)
                return
            refused = False

            async def clear(message: Message) -> None:
                # Requests that passed the check together may still meet the limit at admission;
                # the SDK's own 503 ("Too many open sessions") is replaced by the clear one.
                nonlocal refused
                if message["type"] == "http.response.start" and message["status"] == 503:
                    refused = True
                    why = self.refusal(manager) or f"This server reached its limit of {self.max_sessions} sessions."
                    await _too_many(why, self.idle_timeout)(scope, receive, send)
                elif not refused:
                    await send(message)

            await app(scope, receive, clear)

        return guarded


def _sessions_of(manager: Any) -> int:
    return len(getattr(manager, "_server_instances", ()))


def _opens_session(scope: Scope) -> bool:
    """Whether the SDK would admit a new session for this request: a handshake-era request
    (no ``Mcp-Protocol-Version``, or one of the handshake versions) without a session id."""
    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS

    version = None
    for key, value in scope.get("headers", []):
        if key == _SESSION_HEADER:
            return False
        if key == _VERSION_HEADER:
            version = bytes(value).decode("latin-1")
    return version is None or version in HANDSHAKE_PROTOCOL_VERSIONS


def _too_many(reason: str, idle_timeout: float) -> Any:
    from starlette.responses import Response

    body = {"jsonrpc": "2.0", "id": None, "error": {"code": -32603, "message": reason}}
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=503,
        media_type="application/json",
        headers={"Retry-After": str(max(1, int(min(idle_timeout, 60)))), "Cache-Control": "no-store"},
    )
