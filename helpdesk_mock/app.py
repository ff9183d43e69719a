"""The mock's core: one ASGI app per curated document, generic over the vendor.

Every request goes through the same steps, and only the last one is the vendor's:

1. **record** it (:attr:`MockApp.requests`), valid or not;
2. ``fault_status`` answers every request with that error status;
3. **route** it on the document's paths: an unknown path is a 404, a known path
   with an undeclared method a 405 with ``Allow``;
4. **authenticate**: a missing credential is a 401 (``validate.check_auth``);
5. **rate limit**: with ``settings.ratelimit`` an empty bucket is a 429 and the
   handler does not run; every answer then carries the vendor's headers;
6. **validate** parameters and body against the document (400 naming each
   problem, ``validate.validate_request``);
7. the plugin's ``check`` and then its **handler** for the ``operationId``; a
   :class:`MockError` becomes that vendor error, an unexpected exception a
   logged 500;
8. with ``strict_responses``, the answer is **checked against the document**
   (``conform.response_problems``) and a mismatch becomes a loud 500;
9. the **fault** settings shape what goes on the wire (``faults.plan``).

Every error, whatever its origin, is rendered by the plugin's ``error_body``, so
it has the vendor's shape. State changes run under a lock, so the in-process
transports (async, and sync on a helper thread) and a uvicorn server may share
one app.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import pkgutil
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import anyio
import httpx

from . import faults
from .conform import response_problems
from .document import Operation, Spec, load_spec
from .plugin import MockError, MockRequest, MockResponse, MockSettings, Plugin
from .ratelimit import Bucket, Take
from .transport import SyncASGITransport
from .validate import Invalid, RawRequest, check_auth, validate_request

__all__ = ["MockApp", "Recorded", "available_apis", "create_app", "load_plugin"]

logger = logging.getLogger("helpdesk_mock")
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_CORE = {"app", "conform", "document", "faults", "plugin", "ratelimit", "serve", "transport", "validate"}


@dataclass
class Recorded:
    """One request the mock received, and the status it answered.

    ``path`` is percent-decoded, ``raw_path`` as it arrived (what the client put on
    the wire, segments and escapes included); ``query`` holds the decoded pairs in
    the order sent; ``headers`` has lower-case names; ``operation_id`` is ``None``
    when the request matched no operation; ``request`` is the validated request
    (typed parameters, parsed JSON, multipart parts) when validation passed, else
    ``None``.
    """

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    content_type: str | None
    status: int = 0
    operation_id: str | None = None
    request: MockRequest | None = None
    raw_path: str = ""


def load_plugin(api: str) -> Plugin:
    """The plugin of ``api`` (the ``PLUGIN`` of ``helpdesk_mock.<api>``)."""
    if not api.isidentifier() or api in _CORE:
        raise ValueError(f"no mock for {api!r}; available: {', '.join(available_apis()) or 'none'}")
    try:
        module = importlib.import_module(f"{__package__}.{api}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{api}":
            raise
        module = None
    plugin = getattr(module, "PLUGIN", None)
    if plugin is None:
        raise ValueError(f"no mock for {api!r}; available: {', '.join(available_apis()) or 'none'}")
    return plugin  # type: ignore[no-any-return]


def available_apis() -> list[str]:
    """The APIs with a plugin module that imports and exposes ``PLUGIN``."""
    from . import __path__ as package_path

    found = []
    for info in pkgutil.iter_modules(package_path):
        if info.name in _CORE or info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__package__}.{info.name}")
        except Exception:  # a plugin being written must not break the others
            continue
        if hasattr(module, "PLUGIN"):
            found.append(info.name)
    return sorted(found)


def create_app(
    api: str,
    *,
    document: str | Path,
    settings: MockSettings | None = None,
    clock: Callable[[], float] = time.time,
) -> MockApp:
    """A fresh mock of ``api`` (``"desk365"``, ``"intercom"``), serving the OpenAPI
    document at ``document`` (the curated ``openapi/<api>.yaml``), with seeded state."""
    return MockApp(load_plugin(api), load_spec(document), settings or MockSettings(), clock)


class MockApp:
    """An ASGI app serving one vendor's curated document (see the module docstring).

    Attributes: ``requests`` (every :class:`Recorded` request, in order),
    ``settings`` (read on every request), ``state`` (the plugin's state),
    ``document`` (the curated document), ``plugin``, ``spec`` (the compiled document).
    """

    def __init__(self, plugin: Plugin, spec: Spec, settings: MockSettings, clock: Callable[[], float]) -> None:
        self.plugin = plugin
        self.settings = settings
        self.clock = clock
        self.spec = spec
        self.document = self.spec.raw
        self.requests: list[Recorded] = []
        self._bucket = Bucket(clock)
        self._lock = threading.RLock()
        self.state: Any = plugin.new_state(settings, clock)

    @property
    def name(self) -> str:
        return self.plugin.name

    def reset(self) -> None:
        """Reseed the fixtures, forget the recorded requests, refill the rate-limit bucket."""
        with self._lock:
            self.state = self.plugin.new_state(self.settings, self.clock)
            self.requests.clear()
            self._bucket.refill()

    def transport(self) -> httpx.AsyncBaseTransport:
        """An async transport serving this app in-process (``httpx.AsyncClient(transport=...)``)."""
        return httpx.ASGITransport(app=self)

    def sync_transport(self) -> httpx.BaseTransport:
        """A sync transport serving this app on a private event loop (close the client to stop it)."""
        return SyncASGITransport(self)

    # -- ASGI ------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        raw, bad_query = _raw_request(scope, body)
        record = Recorded(raw.method, raw.path, raw.query, raw.headers, body, raw.content_type, raw_path=raw.raw_path)
        with self._lock:
            self.requests.append(record)
        settings = self.settings
        status, headers, payload = await self._respond(raw, record, bad_query, settings)
        record.status = status
        answer = faults.plan(settings, status, headers, payload)
        await _send(send, answer)

    async def _respond(self, raw: RawRequest, record: Recorded, bad_query: bool, settings: MockSettings
                       ) -> tuple[int, list[tuple[str, str]], bytes]:  # fmt: skip
        if settings.fault_status:
            return self._error(settings.fault_status, f"fault injected: every request answers {settings.fault_status}")
        match = self.spec.match(raw.raw_path)
        if match is None:
            return self._error(404, f"no such path: {raw.path}", take=self._peek(settings))
        methods, path_values = match
        op = methods.get(raw.method)
        if op is None:
            allow = ", ".join(methods)
            status, headers, body = self._error(405, f"{raw.method} is not allowed on {raw.path}; use {allow}",
                                                take=self._peek(settings))  # fmt: skip
            return status, headers + [("Allow", allow)], body
        record.operation_id = op.operation_id
        take: Take | None = None
        try:
            check_auth(op, raw, settings)
            if settings.ratelimit is not None:
                take = self._bucket.take(settings.ratelimit, settings.ratelimit_window)
                if not take.allowed:
                    raise MockError(429, "Rate limit exceeded: wait for the window to reset")
            if bad_query:
                raise Invalid(400, "the query string is not valid UTF-8 once percent-decoded")
            request = await validate_request(self.spec, op, raw, path_values)
            record.request = request
            response = self._handle(op, request, settings)
            status, headers, body = _render(response)
        except Invalid as exc:
            status, headers, body = self._error(exc.status, exc.message)
        except MockError as exc:
            status, headers, body = self._error(exc.status, exc.message, exc.code)
        except Exception as exc:
            logger.exception("mock handler for %s failed", op.operation_id)
            status, headers, body = self._error(500, f"the mock failed: {type(exc).__name__}: {exc}")
        if take is None:
            take = self._peek(settings)
        headers += self._ratelimit_headers(take)
        if take is not None and not take.allowed:  # RFC 6585: say when to come back (Desk365 sends no reset)
            headers.append(("Retry-After", str(max(1, math.ceil(take.reset_at - take.now)))))
        if settings.strict_responses:
            problems = response_problems(self.spec, op, status, {k.lower(): v for k, v in headers}, body)
            if problems:
                reason = "; ".join(problems)
                logger.error(
                    "%s answered %s, which does not conform to the document: %s", op.operation_id, status, reason
                )
                status, headers, body = self._error(500, f"mock response ({status}) does not conform: {reason}")
                headers += self._ratelimit_headers(take)
        if status >= 400:
            logger.info("%s %s -> %s: %s", raw.method, raw.path, status, body[:300].decode("utf-8", "replace"))
        return status, headers, body

    def _handle(self, op: Operation, request: MockRequest, settings: MockSettings) -> MockResponse:
        handler = self.plugin.handlers.get(op.operation_id)
        if handler is None:
            raise MockError(500, f"the mock has no handler for {op.operation_id}")
        with self._lock:
            self.plugin.check(request, self.state, settings)
            return handler(request, self.state)

    def _peek(self, settings: MockSettings) -> Take | None:
        if settings.ratelimit is None:
            return None
        return self._bucket.peek(settings.ratelimit, settings.ratelimit_window)

    def _ratelimit_headers(self, take: Take | None) -> list[tuple[str, str]]:
        if take is None:
            return []
        found = self.plugin.ratelimit_headers(take.limit, take.remaining, take.reset_at, take.now)
        return list(found.items())

    def _error(self, status: int, message: str, code: str | None = None, take: Take | None = None
               ) -> tuple[int, list[tuple[str, str]], bytes]:  # fmt: skip
        body = _json(self.plugin.error_body(status, message, code))
        return status, [("content-type", "application/json")] + self._ratelimit_headers(take), body


def _raw_request(scope: Scope, body: bytes) -> tuple[RawRequest, bool]:
    headers: dict[str, str] = {}
    for k, v in scope.get("headers") or []:
        name, value = k.decode("latin-1").lower(), v.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    query_string = (scope.get("query_string") or b"").decode("latin-1")
    bad_query = False
    try:
        query = parse_qsl(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        query, bad_query = parse_qsl(query_string, keep_blank_values=True, errors="replace"), True
    path = scope.get("path") or "/"
    raw_path = scope.get("raw_path")
    raw_path_text = raw_path.decode("latin-1") if raw_path else quote(path)
    return RawRequest(scope["method"].upper(), path, raw_path_text, query, headers, body), bad_query


def _json(value: Any) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate sent by a client: escape everything instead
        return json.dumps(value).encode("ascii")


def _render(response: MockResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    body = response.body
    if body is None:
        payload = b""
    elif isinstance(body, bytes):
        payload = body
    elif isinstance(body, str):
        payload = body.encode("utf-8")
    else:
        payload = _json(body)
    headers = [(k, v) for k, v in response.headers.items()]
    if payload or body is not None:
        content_type = response.content_type
        if content_type.startswith("text/") and "charset" not in content_type:
            content_type += "; charset=utf-8"
        headers.insert(0, ("content-type", content_type))
    return response.status, headers, payload


async def _send(send: Send, answer: faults.Answer) -> None:
    if answer.delay > 0:
        await anyio.sleep(answer.delay)
    await send({
        "type": "http.response.start", "status": answer.status,
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers],
    })  # fmt: skip
    last = len(answer.chunks) - 1
    for i, (pause, chunk) in enumerate(answer.chunks):
        if pause > 0:
            await anyio.sleep(pause)
        await send({"type": "http.response.body", "body": chunk, "more_body": i < last})
