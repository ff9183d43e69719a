"""The management API of the endpoints app: create, list and revoke endpoints over HTTP.

``POST /endpoints`` creates an endpoint and answers its URL (and its API token,
when it requires one), the only time they are shown (the store keeps their
hashes); ``GET /endpoints`` lists the endpoints without their tokens; ``DELETE
/endpoints/{id}`` revokes one, and the app stops its sessions at once. The same
operations are on the command line (``endpoints_cli``); both go through the
:class:`~.endpoints.EndpointRegistry`, which owns the rules (names, scopes,
expiry). :func:`creation_fields` checks the shape of a POST body before the
registry sees it: unknown fields and wrong types are a 400 naming the field.

The API is served by :class:`~.httpapp.EndpointsApp` only when an admin token is
configured (without one its paths answer the app's one ``NOT_FOUND``). Every
request must carry ``Authorization: Bearer <admin token>``; the token presented
is compared as a SHA-256 digest with ``hmac.compare_digest``. A POST body is
read up to 64 KiB. The registry is called from a worker thread (a store on a
network database must not block the event loop); a store that cannot answer
raises :class:`~.endpoints.StoreUnavailable`, which the app turns into a 503
naming the reason. Every token issued is told to the redactor, so no log line or
tool result shows it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .asgi import NO_STORE, header, json_answer
from .endpoints import EndpointError, EndpointRegistry, token_digest
from .redact import Redactor

__all__ = ["ManagementApi", "creation_fields"]

_MAX_BODY = 64 * 1024
_ADMIN_TOKEN_REQUIRED = json_answer(
    401,
    {"error": "the management API requires the admin token: send Authorization: Bearer <admin token>"},
    {"WWW-Authenticate": 'Bearer realm="endpoints"'},
)


class ManagementApi:
    """ASGI app of ``/endpoints`` and ``/endpoints/{id}`` (see the module docstring).

    ``public_url`` is the base of the URLs it returns (default: the request's own
    scheme and host); ``revoked(endpoint_id)`` is called after a revocation, for the
    app to stop that endpoint's sessions; ``redactor`` learns every token issued.
    """

    def __init__(
        self,
        registry: EndpointRegistry,
        admin_token: str,
        *,
        public_url: str | None,
        redactor: Redactor,
        revoked: Callable[[str], None],
    ) -> None:
        self.registry = registry
        self.public_url = public_url
        self.redactor = redactor
        self._revoked = revoked
        self._admin_sha256 = token_digest(admin_token)

    @staticmethod
    def serves(path: str) -> bool:
        """Whether ``path`` is one of the management API's."""
        return path == "/endpoints" or path.startswith("/endpoints/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._admin_ok(header(scope, b"authorization")):
            await _ADMIN_TOKEN_REQUIRED(scope, receive, send)
            return
        request = Request(scope, receive)
        path, method = scope["path"], scope["method"]
        if path == "/endpoints":
            if method == "GET":
                endpoints = await anyio.to_thread.run_sync(self.registry.list)
                response = json_answer(200, {"endpoints": [e.describe() for e in endpoints]})
            elif method == "POST":
                response = await self._create(request)
            else:
                response = json_answer(405, {"error": f"{method} /endpoints: use GET or POST"}, {"Allow": "GET, POST"})
        else:
            ident = path[len("/endpoints/") :]
            if method != "DELETE" or not ident or "/" in ident:
                response = json_answer(405, {"error": "use DELETE /endpoints/{id}"}, {"Allow": "DELETE"})
            elif await anyio.to_thread.run_sync(self.registry.revoke, ident):
                self._revoked(ident)
                response = Response(status_code=204, headers=NO_STORE)
            else:
                response = json_answer(404, {"error": f"no endpoint {ident!r}"})
        await response(scope, receive, send)

    def _admin_ok(self, authorization: str | None) -> bool:
        if not authorization:
            return False
        scheme, _, presented = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return False
        return hmac.compare_digest(token_digest(presented.strip()), self._admin_sha256)

    async def _create(self, request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > _MAX_BODY:
                return json_answer(413, {"error": f"body: larger than {_MAX_BODY} bytes"})
        try:
            fields = creation_fields(json.loads(body or b"null"))
            issued = await anyio.to_thread.run_sync(lambda: self.registry.create(**fields))
        except ValueError as exc:  # EndpointError, or a body that is not JSON
            message = str(exc) if isinstance(exc, EndpointError) else "body: not valid JSON"
            return json_answer(400, {"error": message})
        except RecursionError:
            # valid JSON nested thousands deep, well under the size cap
            return json_answer(400, {"error": "body: nested too deeply to be an endpoint definition"})
        self.redactor.add(issued.token)
        self.redactor.add(issued.api_token)
        base = self.public_url or str(request.base_url).rstrip("/")
        out = {**issued.endpoint.describe(), "url": issued.url(base)}
        if issued.api_token is not None:
            out["api_token"] = issued.api_token
        return json_answer(201, out)


_TOP_FIELDS = ("name", "config", "expires_at", "expires_in")
_CONFIG_FIELDS = ("methods", "tags", "tools", "require_api_token_auth")


def creation_fields(data: Any) -> dict[str, Any]:
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
