# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Which ``Host`` and ``Origin`` the HTTP server answers: DNS-rebinding and cross-site protection.

The MCP transport specification asks servers to validate the ``Origin`` header
of every request (a web page must not be able to drive a local server through
the visitor's browser) and to refuse an invalid one with 403. Checking
``Host`` too closes DNS rebinding: a page on ``evil.example`` whose name is
made to resolve to the server's address sends ``Host: evil.example``. The SDK
does both only for a loopback bind; :class:`HostOriginGuard` does it for every
bind, in both HTTP modes, in front of everything the app serves (MCP
endpoints, the management API, the 404s), with one policy:

* **hosts**: the bound address, the loopback names (``127.0.0.1``,
  ``localhost``, ``::1``), the host of ``--public-url`` when given, and the
  names in ``--allowed-hosts`` (``name`` matches any port, ``name:port`` one;
  ``*`` any host, for a server behind a proxy that checks names itself).
  Binding ``0.0.0.0`` therefore answers only loopback names until the names
  clients use are listed. Another ``Host`` (or none) gets 421;
* **origins**: ``--allowed-origins`` (``scheme://host`` matches any port,
  ``scheme://host:port`` one, ``*`` any), by default the ``http`` and
  ``https`` origins of the allowed host names (only the loopback ones when
  hosts are ``*``). A request without ``Origin`` (any non-browser client)
  passes; another ``Origin``, ``null`` included, gets 403.

:func:`exposure_warning` is the start-up warning for an unauthenticated
endpoint reachable beyond loopback (the single-endpoint mode has no
authentication of its own).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["LOOPBACK", "HostOriginGuard", "HostPolicy", "exposure_warning", "host_policy", "is_loopback"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_WILDCARD_BINDS = ("0.0.0.0", "::", "")


def is_loopback(bind_host: str) -> bool:
    """Whether ``bind_host`` is reachable from this machine only."""
    if bind_host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind_host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split_host(value: str) -> tuple[str, str | None]:
    """``(name, port)`` of a Host value (``[::1]:8000`` -> ``("::1", "8000")``), lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else None
    if value.count(":") == 1:
        name, port = value.split(":")
        return name, port
    return value, None  # a name, or a bare IPv6 address in a setting


def _split_origin(value: str) -> tuple[str, str, str | None] | None:
    parts = urlsplit(value.strip().lower())
    if not parts.scheme or not parts.hostname or parts.path not in ("", "/") or parts.query or parts.username:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.scheme, parts.hostname, str(port) if port is not None else None


@dataclass(frozen=True)
class HostPolicy:
    """Allowed ``Host`` and ``Origin`` values (see the module docstring for the matching rules)."""

    hosts: tuple[str, ...]
    origins: tuple[str, ...]

    def host_ok(self, header: str | None) -> bool:
        if "*" in self.hosts:
            return True
        if not header:
            return False
        name, port = _split_host(header)
        for allowed in self.hosts:
            allowed_name, allowed_port = _split_host(allowed)
            if name == allowed_name and (allowed_port is None or allowed_port == port):
                return True
        return False

    def origin_ok(self, header: str | None) -> bool:
        if header is None or "*" in self.origins:
            return True
        got = _split_origin(header)
        if got is None:
            return False
        for allowed in self.origins:
            want = _split_origin(allowed)
            if want is not None and want[:2] == got[:2] and (want[2] is None or want[2] == got[2]):
                return True
        return False


def host_policy(
    bind_host: str, *, hosts: Iterable[str] = (), origins: Iterable[str] = (), public_url: str | None = None
) -> HostPolicy:
    """The policy of a server bound to ``bind_host`` (see the module docstring for the defaults)."""
    allowed = list(LOOPBACK)
    if bind_host not in _WILDCARD_BINDS:
        allowed.append(bind_host)
    if public_url:
        name = urlsplit(public_url).hostname
        if name:
            allowed.append(name)
    allowed += [h.strip() for h in hosts if h.strip()]
    allowed = list(dict.fromkeys(allowed))
    wanted = [o.strip() for o in origins if o.strip()]
    if not wanted:
        names = [h for h in allowed if h != "*"] if "*" not in allowed else list(LOOPBACK)
        for host in names:
            name, port = _split_host(host)
            shown = f"[{name}]" if ":" in name else name
            wanted += [f"{scheme}://{shown}" + (f":{port}" if port else "") for scheme in ("http", "https")]
    return HostPolicy(tuple(allowed), tuple(dict.fromkeys(wanted)))


def _refusal(message: str) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}).encode()


_BAD_HOST = _refusal("Misdirected request: this server does not answer to that Host (see --allowed-hosts)")
_BAD_ORIGIN = _refusal("Forbidden: requests from that Origin are not accepted (see --allowed-origins)")


class HostOriginGuard:
    """ASGI wrapper: refuse requests whose ``Host`` or ``Origin`` the policy does not allow."""

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app, self.policy = app, policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = origin = None
        for key, value in scope.get("headers", []):
            if key == b"host":
                host = bytes(value).decode("latin-1")
            elif key == b"origin":
                origin = bytes(value).decode("latin-1")
        if self.policy.host_ok(host) and self.policy.origin_ok(origin):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        status, body = (421, _BAD_HOST) if not self.policy.host_ok(host) else (403, _BAD_ORIGIN)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", b"no-store")]  # fmt: skip
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def exposure_warning(bind_host: str, *, authenticated: bool, policy: HostPolicy) -> str | None:
    """The start-up warning for an unauthenticated endpoint reachable beyond loopback, or None."""
    if authenticated or is_loopback(bind_host):
        return None
    names = "any Host" if "*" in policy.hosts else ", ".join(policy.hosts)
    return (
        f"WARNING: serving MCP on {bind_host or '*'} WITHOUT AUTHENTICATION: anyone who can reach this "
        "address can call every tool with this server's API credential. Requests are answered only for "
        f"Host {names} (--allowed-hosts). Bind 127.0.0.1, or use --endpoints (unguessable URLs, optional "
        "API tokens) behind TLS."
    )
