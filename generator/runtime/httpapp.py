"""The HTTP side of a generated server: token-scoped endpoints, rate-limit headers, quiet logs.

:class:`EndpointsApp` is the ASGI app of ``--endpoints`` mode. Every request to
``/mcp/<token>`` passes a gate: the token is resolved through the
:class:`~.endpoints.EndpointRegistry` (hash lookup, expiry; an unknown, revoked
or expired token all get the one :data:`NOT_FOUND` response, byte for byte),
then, for endpoints with ``require_api_token_auth``, the ``Authorization:
Bearer`` API token is checked (401 otherwise). A request that passes is served
by that endpoint's own MCP server: a low-level ``Server`` whose ``allowed`` set
is the endpoint's scope (so out-of-scope tools are absent from ``tools/list``
and refused by ``tools/call``) behind its own ``StreamableHTTPSessionManager``.
One manager per endpoint keeps MCP sessions apart: a session opened on one
endpoint is unknown to every other. Managers start on an endpoint's first
request and stop when it is revoked through the management API, when the gate
finds it gone (revoked by the CLI, expired), or when it expires while in use
(its record is purged then). The registry is called from a worker thread, so a
store on a network database does not block the event loop. Expired records are
purged off the request path: at start-up, every ``purge_every`` seconds, and when
an endpoint in use expires (the gate only reads; see ``endpoints``).

A store that cannot answer (:class:`~.endpoints.StoreUnavailable`) fails closed:
every ``/mcp/<token>`` request gets the one :data:`STORE_UNAVAILABLE` answer (503),
whatever the token; the management API answers 503 with the reason. Sessions are
kept, service resumes by itself, and the outage is logged when it starts and ends.
With a PostgreSQL store many processes serve the same endpoints; sessions stay in
the process that opened them (sticky routing; why: ``pgstore``).

The management API (``POST /endpoints``, ``GET /endpoints``, ``DELETE
/endpoints/{id}``) is served by the same app when an admin token is configured,
and answers :data:`NOT_FOUND` otherwise. It takes ``Authorization: Bearer
<admin token>``, compared as SHA-256 digests with ``hmac.compare_digest``.

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

:class:`~.logs.RedactingFormatter` (re-exported here) keeps tokens and secrets
out of logs. The app also tells the tool host's redactor every token it issues
or sees presented, and how to recognise one by its hash (:func:`endpoints_app`),
so no tool result shows one either.

Limits and policy (``limits.Limits``): both apps sit behind a
:class:`~.hostguard.HostOriginGuard` (``Host`` and ``Origin`` allow-lists) and
their session managers share one :class:`~.sessions.SessionBudget` (a total,
a per-endpoint bound, an idle timeout, a clear 503 over the limit).
"""

from __future__ import annotations

import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .endpoints import Endpoint, EndpointError, EndpointRegistry, StoreUnavailable, token_digest
from .host import build_server
from .hostguard import HostOriginGuard, host_policy
from .limits import Limits
from .logs import RedactingFormatter, install_redaction
from .redact import Redactor
from .sessions import SessionBudget

__all__ = [
    "NOT_FOUND", "STORE_UNAVAILABLE", "EndpointsApp", "OnShutdown", "RateLimitHeaders", "RedactingFormatter",
    "endpoints_app", "install_redaction", "ratelimit_headers", "single_endpoint_app",
]  # fmt: skip


logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".http")

RATELIMIT_FIELDS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")
_MAX_MANAGEMENT_BODY = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store"}
_RETRY_AFTER = 5  # seconds, on a 503 while the endpoint store is unavailable


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers={**_NO_STORE, **(headers or {})},
    )


def _jsonrpc_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An HTTP error whose body is a JSON-RPC error, so MCP clients show ``message``."""
    return _json(status, {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}, headers)


NOT_FOUND = _jsonrpc_error(404, "Not found")
"""The one answer for an unknown path, and for an unknown, revoked or expired token."""

_API_TOKEN_REQUIRED = _jsonrpc_error(
    401,
    "This endpoint requires its API token: send Authorization: Bearer <api token>",
    {"WWW-Authenticate": 'Bearer realm="mcp"'},
)
STORE_UNAVAILABLE = _jsonrpc_error(
    503, "The endpoint store is unavailable; try again shortly", {"Retry-After": str(_RETRY_AFTER)}
)
"""The one answer for every ``/mcp/<token>`` request while the endpoint store cannot answer."""

_ADMIN_TOKEN_REQUIRED = _json(
    401,
    {"error": "the management API requires the admin token: send Authorization: Bearer <admin token>"},
    {"WWW-Authenticate": 'Bearer realm="endpoints"'},
)


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


# -- the endpoints app --------------------------------------------------------------------


@dataclass
class _Live:
    """A running endpoint: its session manager, the wrapped handler, a stop signal."""

    endpoint: Endpoint
    manager: Any
    handle: ASGIApp
    stop: anyio.Event


class EndpointsApp:
    """ASGI app serving token-scoped MCP endpoints and the management API.

    ``server_for(endpoint)`` builds the low-level MCP ``Server`` of one endpoint.
    ``admin_token`` enables the management API; ``public_url`` is the base of the
    URLs it returns (default: the request's own scheme and host). ``sessions``
    bounds the sessions of every endpoint together (default: the defaults of
    :class:`~.limits.Limits`); ``redactor`` learns every token issued or presented.
    """

    def __init__(
        self,
        registry: EndpointRegistry,
        server_for: Callable[[Endpoint], Any],
        *,
        json_response: bool = False,
        stateless: bool = False,
        admin_token: str | None = None,
        public_url: str | None = None,
        purge_every: float = 60.0,
        sessions: SessionBudget | None = None,
        max_body_bytes: int = Limits.max_body_bytes,
        redactor: Redactor | None = None,
    ) -> None:
        self.registry = registry
        self.purge_every = purge_every
        self._health = _StoreHealth()
        self.server_for = server_for
        self.json_response = json_response
        self.stateless = stateless
        self.sessions = sessions or _budget(Limits(), per_endpoint=True)
        self.max_body_bytes = max_body_bytes
        self.redactor = redactor or Redactor()
        self.public_url = public_url.rstrip("/") if public_url else None
        self._admin_sha256 = token_digest(admin_token) if admin_token else None
        self._live: dict[str, _Live] = {}
        self._task_group: Any = None
        self._lock: anyio.Lock | None = None

    # -- ASGI entry ---------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "http":
            path: str = scope["path"]
            try:
                if path.startswith("/mcp/"):
                    await self._mcp(path[len("/mcp/") :], scope, receive, send)
                elif self._admin_sha256 is not None and (path == "/endpoints" or path.startswith("/endpoints/")):
                    await self._manage(scope, receive, send)
                else:
                    await NOT_FOUND(scope, receive, send)
            except StoreUnavailable as exc:  # raised before anything was sent: the store is asked first
                self._health.failed(exc)
                await _unavailable(path, exc)(scope, receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        try:
            await anyio.to_thread.run_sync(self.registry.purge)  # reaches the store; purges what expired while down
        except Exception as exc:
            await send({"type": "lifespan.startup.failed", "message": f"endpoint store: {type(exc).__name__}: {exc}"})
            return
        async with anyio.create_task_group() as tg:
            self._task_group, self._lock = tg, anyio.Lock()
            tg.start_soon(self._purge_periodically)
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
            tg.cancel_scope.cancel()
        self._task_group = None
        self._live.clear()
        await send({"type": "lifespan.shutdown.complete"})

    # -- MCP endpoints ------------------------------------------------------------------
    async def _mcp(self, token: str, scope: Scope, receive: Receive, send: Send) -> None:
        digest = token_digest(token)
        endpoint = None if "/" in token else await anyio.to_thread.run_sync(self.registry.resolve, token)
        self._health.ok()
        if endpoint is None:
            self._stop(digest)
            await NOT_FOUND(scope, receive, send)
            return
        authorization = _header(scope, b"authorization")
        if not self.registry.authorize(endpoint, authorization):
            await _API_TOKEN_REQUIRED(scope, receive, send)
            return
        self._learn(token, authorization if endpoint.require_api_token_auth else None)
        live = self._live.get(digest) or await self._start(digest, endpoint)
        await live.handle(scope, receive, send)

    async def _start(self, digest: str, endpoint: Endpoint) -> _Live:
        if self._task_group is None or self._lock is None:
            raise RuntimeError("EndpointsApp needs the ASGI lifespan (uvicorn runs it by default)")
        async with self._lock:
            live = self._live.get(digest)
            if live is None:
                manager = self.sessions.manager(
                    self.server_for(endpoint),
                    json_response=self.json_response,
                    stateless=self.stateless,
                    max_request_body_size=self.max_body_bytes,
                )  # no security_settings: HostOriginGuard checks Host and Origin in front of the whole app
                handle = RateLimitHeaders(self.sessions.guard(manager, manager.handle_request))
                live = _Live(endpoint, manager, handle, anyio.Event())
                await self._task_group.start(self._run, digest, live)
                self._live[digest] = live
        return live

    async def _run(self, digest: str, live: _Live, *, task_status: Any = anyio.TASK_STATUS_IGNORED) -> None:
        expires = live.endpoint.expires_at
        seconds = (expires - self.registry.now()).total_seconds() if expires else math.inf
        async with live.manager.run():
            task_status.started()
            with anyio.move_on_after(max(0.0, seconds)) as timer:
                await live.stop.wait()
        if self._live.get(digest) is live:
            del self._live[digest]
        if timer.cancelled_caught:  # expired while in use: purge the record now (by the registry's clock)
            await self._purge()

    async def _purge(self) -> None:
        try:
            await anyio.to_thread.run_sync(self.registry.purge)
        except StoreUnavailable as exc:  # the next purge will do it; requests are refused meanwhile
            self._health.failed(exc)
        except Exception:  # a bug must not stop the app: expired tokens are refused whether purged or not
            logger.exception("purging expired endpoints failed")

    async def _purge_periodically(self) -> None:
        """Purge expired records every ``purge_every`` seconds, off the request path."""
        while True:
            await anyio.sleep(self.purge_every)
            await self._purge()

    def _learn(self, token: str, authorization: str | None) -> None:
        """Tell the redactor the tokens a request proved valid (so no result or log line shows them)."""
        self.redactor.add(token)
        if authorization:
            self.redactor.add(authorization.strip().partition(" ")[2].strip())

    def _stop(self, digest: str) -> None:
        live = self._live.pop(digest, None)
        if live is not None:
            live.stop.set()

    # -- management API -----------------------------------------------------------------
    async def _manage(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._admin_ok(_header(scope, b"authorization")):
            await _ADMIN_TOKEN_REQUIRED(scope, receive, send)
            return
        request = Request(scope, receive)
        path, method = scope["path"], scope["method"]
        if path == "/endpoints":
            if method == "GET":
                endpoints = await anyio.to_thread.run_sync(self.registry.list)
                response = _json(200, {"endpoints": [e.describe() for e in endpoints]})
            elif method == "POST":
                response = await self._create(request)
            else:
                response = _json(405, {"error": f"{method} /endpoints: use GET or POST"}, {"Allow": "GET, POST"})
        else:
            ident = path[len("/endpoints/") :]
            if method != "DELETE" or not ident or "/" in ident:
                response = _json(405, {"error": "use DELETE /endpoints/{id}"}, {"Allow": "DELETE"})
            elif await anyio.to_thread.run_sync(self.registry.revoke, ident):
                for digest, live in list(self._live.items()):
                    if live.endpoint.id == ident:
                        self._stop(digest)
                response = Response(status_code=204, headers=_NO_STORE)
            else:
                response = _json(404, {"error": f"no endpoint {ident!r}"})
        await response(scope, receive, send)

    def _admin_ok(self, authorization: str | None) -> bool:
        if self._admin_sha256 is None or not authorization:
            return False
        scheme, _, presented = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return False
        return hmac.compare_digest(token_digest(presented.strip()), self._admin_sha256)

    async def _create(self, request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _MAX_MANAGEMENT_BODY:
                return _json(413, {"error": f"body: larger than {_MAX_MANAGEMENT_BODY} bytes"})
        try:
            fields = _creation_fields(json.loads(body or b"null"))
            issued = await anyio.to_thread.run_sync(lambda: self.registry.create(**fields))
        except ValueError as exc:  # EndpointError, or a body that is not JSON
            message = str(exc) if isinstance(exc, EndpointError) else "body: not valid JSON"
            return _json(400, {"error": message})
        except RecursionError:
            # valid JSON nested thousands deep, well under the size cap
            return _json(400, {"error": "body: nested too deeply to be an endpoint definition"})
        self.redactor.add(issued.token)
        self.redactor.add(issued.api_token)
        base = self.public_url or str(request.base_url).rstrip("/")
        out = {**issued.endpoint.describe(), "url": issued.url(base)}
        if issued.api_token is not None:
            out["api_token"] = issued.api_token
        return _json(201, out)


class _StoreHealth:
    """Logs an outage of the endpoint store once when it starts and once when it ends, not per request."""

    def __init__(self) -> None:
        self.down = False

    def failed(self, exc: StoreUnavailable) -> None:
        if not self.down:
            self.down = True
            logger.error("%s; answering 503 until it is back", exc)

    def ok(self) -> None:
        if self.down:
            self.down = False
            logger.warning("the endpoint store is available again")


def _unavailable(path: str, exc: StoreUnavailable) -> Response:
    """503 for a request the store could not answer: the one JSON-RPC answer on ``/mcp/``, the
    reason on the management API (its caller holds the admin token)."""
    if path.startswith("/mcp/"):
        return STORE_UNAVAILABLE
    return _json(503, {"error": f"endpoint store unavailable: {exc}"}, {"Retry-After": str(_RETRY_AFTER)})


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


def single_endpoint_app(
    host: Any,
    *,
    name: str,
    version: str,
    path: str = "/mcp",
    json_response: bool = False,
    stateless: bool = False,
    bind_host: str = "127.0.0.1",
    limits: Limits | None = None,
    discovery: bool = False,
) -> ASGIApp:
    """The plain HTTP mode: one endpoint at ``path`` serving all of ``host``'s tools (with
    ``discovery``: the three that search them), plus
    rate-limit headers, behind the host/origin guard, with bounded sessions; the API client
    is closed at shutdown. The routing is the SDK's own app's (a Starlette route at ``path``)."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    limits = limits or Limits()
    budget = _budget(limits, per_endpoint=False)
    server = build_server(host, name=name, version=version, discovery=discovery)
    manager = budget.manager(
        server, json_response=json_response, stateless=stateless, max_request_body_size=limits.max_body_bytes
    )
    endpoint = _Asgi(budget.guard(manager, manager.handle_request))
    app = Starlette(routes=[Route(path, endpoint=endpoint)], lifespan=lambda _: manager.run())
    return HostOriginGuard(OnShutdown(RateLimitHeaders(app), host.client.aclose), _policy(bind_host, limits))


def endpoints_app(
    host: Any,
    registry: EndpointRegistry,
    *,
    name: str,
    version: str,
    json_response: bool = False,
    stateless: bool = False,
    bind_host: str = "127.0.0.1",
    admin_token: str | None = None,
    public_url: str | None = None,
    limits: Limits | None = None,
    discovery: bool = False,
) -> ASGIApp:
    """The ``--endpoints`` app over a :class:`~.server.ToolHost`.

    Each endpoint's server lists and calls the tools of its scope that the host
    serves (the host holds the start-up filters' selection, so those bound every
    endpoint), or with ``discovery`` the three that search them. The API client is
    closed at shutdown. The host's redactor learns the admin token and every endpoint
    token the app sees, and recognises the others by their hash in the store (see
    :mod:`.redact`).
    """
    limits = limits or Limits()

    def server_for(endpoint: Endpoint) -> Any:
        allowed = registry.tool_names(endpoint) & frozenset(host.tools)
        return build_server(host, name=name, version=version, allowed=allowed.__contains__, discovery=discovery)

    redactor: Redactor = host.redactor
    redactor.add(admin_token, token=False)
    redactor.recognise = _recogniser(registry)
    app = EndpointsApp(
        registry,
        server_for,
        json_response=json_response,
        stateless=stateless,
        admin_token=admin_token,
        public_url=public_url,
        sessions=_budget(limits, per_endpoint=True),
        max_body_bytes=limits.max_body_bytes,
        redactor=redactor,
    )
    return HostOriginGuard(OnShutdown(app, host.client.aclose), _policy(bind_host, limits, public_url))


class _Asgi:
    """An ASGI callable as an object: Starlette's ``Route`` serves it for every method (a plain
    function would be taken for a GET request handler)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _budget(limits: Limits, *, per_endpoint: bool) -> SessionBudget:
    per = limits.max_sessions_per_endpoint if per_endpoint else None
    return SessionBudget(limits.max_sessions, per_manager=per, idle_timeout=limits.session_idle_timeout)


def _policy(bind_host: str, limits: Limits, public_url: str | None = None) -> Any:
    return host_policy(bind_host, hosts=limits.allowed_hosts, origins=limits.allowed_origins, public_url=public_url)


def _recogniser(registry: EndpointRegistry) -> Callable[[list[str]], list[str]]:
    """Which token-shaped words are tokens the store holds (URL tokens by an indexed lookup of
    their hash, API tokens among the stored hashes); called from a worker thread."""

    def recognise(words: list[str]) -> list[str]:
        found = [w for w in words if registry.store.find(token_digest(w)) is not None]
        rest = [w for w in words if w not in found]
        if rest:
            api_hashes = {e.api_token_sha256 for e in registry.store.all() if e.api_token_sha256}
            found += [w for w in rest if token_digest(w) in api_hashes]
        return found

    return recognise


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


_TOP_FIELDS = ("name", "config", "expires_at", "expires_in")
_CONFIG_FIELDS = ("methods", "tags", "tools", "require_api_token_auth")


def _creation_fields(data: Any) -> dict[str, Any]:
    """The keyword arguments of ``EndpointRegistry.create`` from a POST body.

    The body is ``{"name": ..., "config": {"methods": [...], "tags": [...],
    "tools": [...], "require_api_token_auth": false}, "expires_at": "...Z" | null}``
    (or ``"expires_in": "7d"``, a duration or seconds, instead of ``expires_at``).
    """
    if not isinstance(data, dict):
        raise EndpointError('body: expected a JSON object like {"name": ..., "config": {...}, "expires_at": ...}')
    _no_unknown(data, _TOP_FIELDS, "")
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise EndpointError("config: expected an object")
    _no_unknown(config, _CONFIG_FIELDS, "config.")
    out: dict[str, Any] = {"name": data.get("name")}
    for key in ("methods", "tags", "tools"):
        value = config.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise EndpointError(f"config.{key}: expected a list of strings")
        out[key] = value
    expires = data.get("expires_at")
    if expires is not None and not isinstance(expires, str):
        raise EndpointError("expires_at: expected an ISO 8601 string or null")
    out["expires_at"], out["expires_in"] = expires, data.get("expires_in")  # the registry checks expires_in
    out["require_api_token_auth"] = config.get("require_api_token_auth", False)
    return out


def _no_unknown(data: Mapping[str, Any], known: Sequence[str], prefix: str) -> None:
    unknown = [k for k in data if k not in known]
    if unknown:
        raise EndpointError(f"{prefix}{unknown[0]}: unknown field; expected {', '.join(prefix + k for k in known)}")
