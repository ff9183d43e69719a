# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Small ASGI pieces the HTTP apps are made of: JSON answers and three wrappers.

The apps of ``httpapp`` (one endpoint, or token-scoped endpoints) and the
management API (``management``) answer their own errors with the helpers here:
:func:`json_answer` (never cached) and :func:`jsonrpc_error`, a JSON-RPC error
in an HTTP error's body, so that an MCP client shows its message instead of a bare
status. Both are Starlette responses; the answers that never vary are built once.

:class:`RateLimitHeaders` adds ``ratelimit-limit`` / ``-remaining`` / ``-reset``
response headers to the HTTP response that carries a tool result. The tool call
runs in the session's task, not in the request's, so a context variable set
during the call is not visible where the response is written; what both
protocol eras and both response modes share is the JSON-RPC message itself, so
the wrapper reads the values from the result's ``_meta``. A JSON response is
buffered until complete (its headers are not sent before its body exists
anyway). An SSE response's headers are held back until its first event: when
that event is the tool result, as it is for these tools (they send no progress
notifications and there is no resumability priming event), the headers carry
its values; when something else comes first (a keep-alive ping after 15 s of
waiting on the upstream) the headers go without them, and the values are only
in the result's ``_meta``. Use ``--json-response`` for headers on every result.

:class:`OnShutdown` runs a callback (closing the API client) when the app's
lifespan ends, and :class:`AsgiEndpoint` lets a Starlette ``Route`` serve an ASGI
app for every method. This module is part of the *hosting* layer and imports only
Starlette's types and responses.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "NO_STORE", "RATELIMIT_FIELDS", "AsgiEndpoint", "OnShutdown", "RateLimitHeaders", "header", "json_answer",
    "jsonrpc_error", "ratelimit_headers",
]  # fmt: skip

RATELIMIT_FIELDS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")
NO_STORE = {"Cache-Control": "no-store"}
"""Headers of every answer the apps write themselves: tokens and endpoint lists are never cached."""


# -- answers ------------------------------------------------------------------------------


def json_answer(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A compact JSON answer that no cache keeps."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers={**NO_STORE, **(headers or {})},
    )


def jsonrpc_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An HTTP error whose body is a JSON-RPC error, so MCP clients show ``message``."""
    return json_answer(status, {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}, headers)


def header(scope: Scope, name: bytes) -> str | None:
    """The value of the request header ``name`` (lower case), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


# -- rate-limit headers -------------------------------------------------------------------


def ratelimit_headers(message: Any) -> list[tuple[bytes, bytes]]:
    """``ratelimit-*`` headers from a decoded JSON-RPC response's ``result._meta``."""
    result = message.get("result") if isinstance(message, dict) else None
    meta = result.get("_meta") if isinstance(result, dict) else None
    if not isinstance(meta, dict):
        return []
    out = []
    for name in RATELIMIT_FIELDS:
        value = meta.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            out.append((name.encode(), str(value).encode()))
    return out


def _from_json_body(body: bytes) -> list[tuple[bytes, bytes]]:
    if b'"ratelimit-' not in body:
        return []
    try:
        return ratelimit_headers(json.loads(body))
    except (ValueError, RecursionError):
        return []


def _from_sse_event(chunk: bytes) -> list[tuple[bytes, bytes]]:
    if b'"ratelimit-' not in chunk:
        return []
    lines = chunk.decode("utf-8", "replace").splitlines()
    data = "\n".join(line[5:].removeprefix(" ") for line in lines if line.startswith("data:"))
    try:
        return ratelimit_headers(json.loads(data))
    except (ValueError, RecursionError):
        return []


def _content_type(start: Message) -> bytes:
    for key, value in start.get("headers", []):
        if key.lower() == b"content-type":
            return bytes(value).lower()
    return b""


def _with_headers(start: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    if not extra:
        return start
    return {**start, "headers": [*start.get("headers", []), *extra]}


class RateLimitHeaders:
    """ASGI wrapper: copy a tool result's ``ratelimit-*`` ``_meta`` into response headers.

    Only POST responses are inspected (JSON-RPC answers travel there); see the
    module docstring for JSON and SSE responses.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        mode = ""
        chunks: list[bytes] = []

        async def forward(message: Message) -> None:
            nonlocal held, mode
            if message["type"] == "http.response.start":
                ctype = _content_type(message)
                if ctype.startswith(b"application/json"):
                    mode, held = "json", message
                elif ctype.startswith(b"text/event-stream"):
                    mode, held = "sse", message
                else:
                    await send(message)
                return
            if held is not None and message["type"] == "http.response.body":
                start, body = held, message.get("body", b"")
                if mode == "json":
                    chunks.append(body)
                    if message.get("more_body", False):
                        return
                    body = b"".join(chunks)
                    held = None
                    await send(_with_headers(start, _from_json_body(body)))
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                    return
                held = None
                await send(_with_headers(start, _from_sse_event(body)))
            await send(message)

        await self.app(scope, receive, forward)


# -- lifespan and routing -----------------------------------------------------------------


class OnShutdown:
    """ASGI wrapper: await ``callback`` (e.g. closing the API client) when the app shuts down."""

    def __init__(self, app: ASGIApp, callback: Callable[[], Awaitable[None]]) -> None:
        self.app, self.callback = app, callback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def forward(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                await self.callback()
            await send(message)

        await self.app(scope, receive, forward)


class AsgiEndpoint:
    """An ASGI callable as an object: Starlette's ``Route`` serves it for every method (a plain
    function would be taken for a GET request handler)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
