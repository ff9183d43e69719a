"""The HTTP apps of a generated server: one endpoint, or many token-scoped ones.

:func:`single_endpoint_app` is the plain HTTP mode: one MCP endpoint at a path,
serving every tool the host serves. :class:`EndpointsApp` (built by
:func:`endpoints_app`) is the ASGI app of ``--endpoints`` mode. Every request to
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
/endpoints/{id}``; :mod:`.management`) is served by the same app when an admin
token is configured, and answers :data:`NOT_FOUND` otherwise.

Both apps wrap their session managers in :class:`~.asgi.RateLimitHeaders`
(a tool result's ``ratelimit-*`` ``_meta`` as response headers) and close the API
client at shutdown (:class:`~.asgi.OnShutdown`); those wrappers and the JSON
answers are in :mod:`.asgi`.

:class:`~.logs.RedactingFormatter` keeps tokens and secrets out of logs. The app
also tells the tool host's redactor every token it issues or sees presented, and
how to recognise one by its hash (:func:`endpoints_app`), so no tool result shows
one either.

Limits and policy (``limits.Limits``): both apps sit behind a
:class:`~.hostguard.HostOriginGuard` (``Host`` and ``Origin`` allow-lists) and
their session managers share one :class:`~.sessions.SessionBudget` (a total,
a per-endpoint bound, an idle timeout, a clear 503 over the limit).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .asgi import AsgiEndpoint, OnShutdown, RateLimitHeaders, header, json_answer, jsonrpc_error
from .endpoints import Endpoint, EndpointRegistry, StoreUnavailable, token_digest
from .host import build_server
from .hostguard import HostOriginGuard, host_policy
from .limits import Limits
from .management import ManagementApi
from .redact import Redactor
from .sessions import SessionBudget

__all__ = ["NOT_FOUND", "STORE_UNAVAILABLE", "EndpointsApp", "endpoints_app", "single_endpoint_app"]


logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".http")

_RETRY_AFTER = 5  # seconds, on a 503 while the endpoint store is unavailable

NOT_FOUND = jsonrpc_error(404, "Not found")
"""The one answer for an unknown path, and for an unknown, revoked or expired token."""

_API_TOKEN_REQUIRED = jsonrpc_error(
    401,
    "This endpoint requires its API token: send Authorization: Bearer <api token>",
    {"WWW-Authenticate": 'Bearer realm="mcp"'},
)
STORE_UNAVAILABLE = jsonrpc_error(
    503, "The endpoint store is unavailable; try again shortly", {"Retry-After": str(_RETRY_AFTER)}
)
"""The one answer for every ``/mcp/<token>`` request while the endpoint store cannot answer."""


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
        self._management = (
            ManagementApi(
                registry, admin_token, public_url=self.public_url, redactor=self.redactor, revoked=self._revoked
            )
            if admin_token
            else None
        )
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
                elif self._management is not None and self._management.serves(path):
                    await self._management(scope, receive, send)
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
        authorization = header(scope, b"authorization")
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

    def _revoked(self, endpoint_id: str) -> None:
        """Stop the sessions of an endpoint the management API revoked."""
        for digest, live in list(self._live.items()):
            if live.endpoint.id == endpoint_id:
                self._stop(digest)


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
    return json_answer(503, {"error": f"endpoint store unavailable: {exc}"}, {"Retry-After": str(_RETRY_AFTER)})


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
    endpoint = AsgiEndpoint(budget.guard(manager, manager.handle_request))
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
