# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The HTTP library under the typed clients, and how its failures are worded.

**One stack.** The MCP SDK sends with ``httpx2``, httpx's maintained fork (same
API: ``Client``, ``AsyncClient``, ``Request``, ``MockTransport``, the exception
tree). A generated client that sent with ``httpx`` loaded a second HTTP stack in
every server (httpx, httpcore, h11 and, where installed, the rich/pygments
that httpx's command line pulls in): about a seventh of a cold start. Typed
clients therefore create ``httpx2`` clients. An ``http_client`` made by
``httpx`` (a ``MockTransport``, respx, a proxy set-up) keeps working: requests
are built, and failures recognised, with the library that made the client
(:func:`library_of`), found in ``sys.modules`` from the client's class, so
nothing here imports httpx and a vendored copy does not require it.
:class:`SyncHttpClient` / :class:`AsyncHttpClient` are what a client must offer,
written as protocols so that both libraries' clients type-check.

**Created on first use.** The default client is built by the first request
(:class:`LazyHttp`), not with the typed client: building one loads the CA
certificates into an SSL context (some 30 ms), which a server that only
answers ``tools/list`` never needs.

**Failures as they were.** :func:`failure` turns an exception of either library
into words a person can act on: refused, a name that does not resolve, a TLS
handshake or certificate, a reset, a connection closed before or during the answer. It walks
the exception's causes down to the socket error, so the wording does not
depend on the library's message.
"""

from __future__ import annotations

import errno
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar

import httpx2

__all__ = ["AsyncHttpClient", "LazyHttp", "SyncHttpClient", "address", "failure", "library_of"]

_LIBRARIES = ("httpx2", "httpx")


class SyncHttpClient(Protocol):
    """What a synchronous client needs of ``http_client``: an ``httpx2.Client`` or an ``httpx.Client``."""

    def send(self, request: Any, *, stream: bool = ...) -> Any: ...

    def close(self) -> None: ...


class AsyncHttpClient(Protocol):
    """What an asynchronous client needs of ``http_client``: an ``httpx2.AsyncClient`` or an ``httpx.AsyncClient``."""

    async def send(self, request: Any, *, stream: bool = ...) -> Any: ...

    async def aclose(self) -> None: ...


def library_of(http_client: object | None) -> ModuleType:
    """The httpx-style library that made ``http_client`` (``httpx2`` for none, or an unknown kind)."""
    if http_client is not None:
        for cls in type(http_client).__mro__:
            root = cls.__module__.partition(".")[0]
            if root in _LIBRARIES and root in sys.modules:
                return sys.modules[root]
    return httpx2


H = TypeVar("H")


class LazyHttp(Generic[H]):
    """The client's HTTP client: the one given, else one made by ``make`` at first use."""

    def __init__(self, given: H | None, make: Callable[[], H]) -> None:
        self._client = given
        self._make = make
        self._lock = threading.Lock()  # a sync client may be shared by threads

    def get(self) -> H:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make()
                client = self._client
        return client

    @property
    def made(self) -> H | None:
        """The client, if there is one yet (closing never creates one)."""
        return self._client


def address(url: Any) -> str:
    """``host:port`` of an httpx-style URL, the port filled in from the scheme."""
    port = url.port or {"https": 443, "http": 80}.get(url.scheme)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{port}" if port else host


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _detail(exc: BaseException) -> str:
    text = str(exc).strip()
    return f" ({text})" if text else ""


def failure(exc: BaseException, *, answering: bool) -> str:
    """What went wrong with a connection, worded after its cause, for "<API> at <host:port>: ..."
    (``answering``: the answer had begun when it failed)."""
    chain = _causes(exc)
    moment = "in the middle of the answer" if answering else "before any answer"
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (nothing is listening on that port)"
        if isinstance(cause, socket.gaierror):
            return "the host name does not resolve" + _detail(cause)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "its TLS certificate was not accepted" + _detail(cause)
        if isinstance(cause, ssl.SSLError):
            return "the TLS handshake failed" + _detail(cause)
        if isinstance(cause, ConnectionResetError):
            return f"the connection was reset {moment}"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "unreachable from here" + _detail(cause)
    names = {type(cause).__name__ for cause in chain}
    if "RemoteProtocolError" in names:
        return f"the connection was closed {moment}" + _detail(exc)
    if "ConnectError" in names:
        return "could not connect" + _detail(exc)
    kind = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"the connection failed {moment} ({kind})"
