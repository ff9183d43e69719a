"""Token-scoped MCP endpoints: what one is, how its tokens are issued and checked, where it is kept.

An *endpoint* is a named view of one server's tools, served over HTTP at
``/mcp/<token>``: the tools it may use (``methods`` / ``tags`` / ``tools``,
combined with AND, as the start-up filters are), an optional ``expires_at``, and
``require_api_token_auth``, which asks every request for a second credential in
``Authorization: Bearer <api token>``.

Tokens. Both the URL token and the API token are ``secrets.token_urlsafe(32)``
(256 random bits) and are shown once, when the endpoint is created. The store
keeps only their SHA-256 (hex). A plain hash is enough here, and a slow one would
buy nothing: the input has 256 bits of entropy, so there is no dictionary to try,
and every request has to hash its token again. A request's token is hashed and
the row is looked up *by the hash* (an index lookup on a value the caller cannot
steer towards a stored hash without knowing a token); the hashes are compared
once more with ``hmac.compare_digest``. The API token is checked only by
``hmac.compare_digest`` of hashes.

Expiry. ``expires_at`` is an ISO 8601 date-time with a UTC offset. An endpoint is
refused from the instant ``now >= expires_at`` (the registry's clock, which
tests replace). Its record is deleted *off the request path*: resolving a token
only reads, so an unknown, a revoked and an expired token cost the same one
indexed lookup (a delete on first use made an expired token measurably slower).
Expired rows are purged in one statement (:meth:`EndpointRegistry.purge`) when
endpoints are listed, by the HTTP app's periodic purge, and when an endpoint in
use reaches its expiry.

Layers. :class:`EndpointStore` is the storage interface (``add``, ``find`` by
token hash, ``all``, ``remove``, ``purge``, ``close``); ``sqlitestore.SqliteEndpointStore``
is the default, one SQLite file that several processes (the server, the
``endpoints`` command) on one host can share; ``pgstore.PostgresEndpointStore``
serves many processes on many hosts from one PostgreSQL (``stores.open_store``
chooses by the location). :class:`EndpointRegistry` holds the rules (validation,
issuing, resolving, expiry) over any store. Stores are namespaced by the API
(``desk365``, ``intercom``), so one database can serve several packages and a
token of one never opens another.

Failing safe. A store that cannot answer (a database that is down, a file that
vanished or cannot be read) raises :class:`StoreUnavailable`; the HTTP app turns
it into a 503 for every token alike, never a stale answer. The SQLite store
follows the file *at its path*: it compares the path's identity (device and
inode) with the file it has open before every operation, so a file deleted or
moved away fails closed (503) until a file is back, and a file replaced (a
restore, a new store created by the ``endpoints`` command) is reopened; the
server never keeps serving an unlinked copy while the command writes another.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from .spec import CATEGORIES, ToolSpec

__all__ = [
    "CATEGORIES", "Endpoint", "EndpointError", "EndpointRegistry", "EndpointScope", "EndpointStore",
    "IssuedEndpoint", "StoreUnavailable", "StoreVersionError", "parse_duration",
    "parse_expiry", "token_digest", "utc_now",
]  # fmt: skip


TOKEN_BYTES = 32  # 256 bits
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")
_NAME_MAX = 200


class EndpointError(ValueError):
    """A bad endpoint definition; the message names the field and the rule."""


class StoreUnavailable(RuntimeError):
    """The endpoint store cannot answer now (a database down, a file missing or unreadable).

    The message says why, for the operator; the HTTP app answers 503 without it.
    """


class StoreVersionError(StoreUnavailable):
    """The store's schema is newer than this server knows: refused rather than misread."""


def utc_now() -> datetime:
    """The default clock: an aware UTC datetime."""
    return datetime.now(UTC)


def token_digest(token: str) -> str:
    """The hex SHA-256 of a token: the only form in which tokens are stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_expiry(value: str | datetime | None, now: datetime) -> datetime | None:
    """``expires_at`` as an aware UTC datetime (None: never expires).

    Accepts ISO 8601 with a UTC offset (``2026-12-01T17:00:00Z``,
    ``2026-12-01T18:00:00+01:00``); refuses a value without an offset (its
    instant would depend on the server's zone) and a value that is not in the
    future.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise EndpointError(
                f"expires_at: {value!r} is not an ISO 8601 date-time (e.g. 2026-12-01T17:00:00Z)"
            ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EndpointError(f"expires_at: {value!s} has no UTC offset; add Z or +hh:mm (e.g. 2026-12-01T17:00:00Z)")
    try:  # 9999-12-31T23:59:59-14:00 falls in year 10000 in UTC, 0001-01-01T00:00:00+14:00 in year 0
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise EndpointError(f"expires_at: {value!s} is outside the years 1 to 9999 in UTC") from None
    if moment <= now:
        raise EndpointError(f"expires_at: {_iso(moment)} is not in the future (now {_iso(now)})")
    return moment


_DURATION = re.compile(r"(\d{1,9})([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: str | int | None) -> timedelta | None:
    """``expires_in``, a lifetime relative to creation: whole numbers of ``w``, ``d``, ``h``,
    ``m``, ``s`` (``7d``, ``12h``, ``1d12h``, ``90m``), or a number of seconds.

    Relative expiry is what keeps an example command valid whatever the day it is
    copied; an absolute ``expires_at`` in a README goes stale.
    """
    if value is None or value == "":
        return None
    example = "e.g. 7d, 12h, 1d12h or 90m"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise EndpointError(f"expires_in: expected a duration ({example}) or a number of seconds")
    text = str(value).strip().lower()
    if text.isdigit():
        seconds = int(text)
    elif _DURATION.sub("", text) == "" and text:
        seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION.findall(text))
    else:
        raise EndpointError(f"expires_in: {value!r} is not a duration ({example})")
    if seconds <= 0:
        raise EndpointError(f"expires_in: {value!r} is not a positive duration")
    if seconds > 100 * 366 * 86400:
        raise EndpointError(f"expires_in: {value!r} is more than a hundred years")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class EndpointScope:
    """The tool filters of an endpoint (empty = no filter); combined with AND."""

    methods: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()

    def admits(self, tool: ToolSpec) -> bool:
        """Whether ``tool`` passes every filter."""
        if self.methods and tool.category not in self.methods:
            return False
        if self.tags and not set(self.tags) & set(tool.tags):
            return False
        return not self.tools or tool.name in self.tools


@dataclass(frozen=True)
class Endpoint:
    """One stored endpoint. Holds hashes, never tokens."""

    id: str
    name: str
    scope: EndpointScope
    expires_at: datetime | None
    require_api_token_auth: bool
    created_at: datetime
    token_sha256: str
    api_token_sha256: str | None = None

    def expired(self, now: datetime) -> bool:
        """True from the instant ``now`` reaches ``expires_at``."""
        return self.expires_at is not None and now >= self.expires_at

    def describe(self) -> dict[str, Any]:
        """The public view (CLI ``list``, management API): no token, no hash."""
        return {
            "id": self.id,
            "name": self.name,
            "config": {
                "methods": list(self.scope.methods),
                "tags": list(self.scope.tags),
                "tools": list(self.scope.tools),
                "require_api_token_auth": self.require_api_token_auth,
            },
            "expires_at": _iso(self.expires_at) if self.expires_at else None,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True)
class IssuedEndpoint:
    """A new endpoint with its tokens in clear: shown once, then forgotten."""

    endpoint: Endpoint
    token: str = field(repr=False)
    api_token: str | None = field(default=None, repr=False)

    def url(self, base_url: str) -> str:
        """The endpoint's MCP URL under ``base_url`` (e.g. ``https://mcp.example.com``)."""
        return f"{base_url.rstrip('/')}/mcp/{self.token}"


class EndpointStore(Protocol):
    """Where endpoints live. Implement these methods to use another database.

    Implementations must be safe to call from several threads (the HTTP app calls
    them from worker threads), must find rows by ``token_sha256`` exactly, must
    not cache (a revocation counts from the next request, in every process), and
    raise :class:`StoreUnavailable` when they cannot answer.
    """

    def add(self, endpoint: Endpoint) -> None:
        """Insert a new endpoint (ids and token hashes are unique)."""

    def find(self, token_sha256: str) -> Endpoint | None:
        """The endpoint whose URL token has this hash, or None."""

    def all(self) -> list[Endpoint]:
        """Every stored endpoint, oldest first."""

    def remove(self, endpoint_id: str) -> bool:
        """Delete an endpoint; False when there was none with this id."""

    def purge(self, now: datetime) -> int | None:
        """Delete every endpoint with ``expires_at <= now``; how many, or None when another
        process was purging at that moment (so this one skipped)."""

    def close(self) -> None:
        """Release the connection(s)."""


def _names(value: Iterable[str] | str | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise EndpointError(f"{what}: expected names (strings), got {item!r}")
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return tuple(out)


class EndpointRegistry:
    """The endpoint rules over a store: create, resolve, authorize, list, revoke.

    ``catalog`` is every tool of the API (names and tags are checked against it);
    ``clock`` returns the current aware UTC time (tests pass a fake one).
    """

    def __init__(
        self, store: EndpointStore, catalog: Sequence[ToolSpec], *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.catalog = tuple(catalog)
        self.clock = clock
        self._tags = sorted({tag for t in self.catalog for tag in t.tags})

    def now(self) -> datetime:
        return self.clock()

    def scope(
        self,
        methods: Iterable[str] | str | None = None,
        tags: Iterable[str] | str | None = None,
        tools: Iterable[str] | str | None = None,
    ) -> EndpointScope:
        """A validated scope; unknown names and a scope that admits no tool are errors."""
        scope = EndpointScope(_names(methods, "methods"), _names(tags, "tags"), _names(tools, "tools"))
        bad = [m for m in scope.methods if m not in CATEGORIES]
        if bad:
            raise EndpointError(f"methods: unknown category {', '.join(map(repr, bad))}; use read, write or custom")
        bad = [t for t in scope.tags if t not in self._tags]
        if bad:
            raise EndpointError(f"tags: unknown tag {', '.join(map(repr, bad))}; known tags: {', '.join(self._tags)}")
        known = {t.name for t in self.catalog}
        bad = [n for n in scope.tools if n not in known]
        if bad:
            raise EndpointError(f"tools: unknown tool {', '.join(map(repr, bad))}")
        if not any(scope.admits(t) for t in self.catalog):
            raise EndpointError("methods, tags and tools together admit no tool (they combine with AND)")
        return scope

    @staticmethod
    def expiry(now: datetime, expires_at: str | datetime | None, expires_in: str | int | None) -> datetime | None:
        """The expiry instant of an endpoint created ``now`` (None: never)."""
        lifetime = parse_duration(expires_in)
        if lifetime is not None and expires_at not in (None, ""):
            raise EndpointError("expires_at and expires_in: give one of them, not both")
        if lifetime is None:
            return parse_expiry(expires_at, now)
        return (now + lifetime).astimezone(UTC).replace(microsecond=0)

    def tool_names(self, endpoint: Endpoint) -> frozenset[str]:
        """The names of the tools ``endpoint`` may list and call."""
        return frozenset(t.name for t in self.catalog if endpoint.scope.admits(t))

    def create(
        self,
        *,
        name: str,
        methods: Iterable[str] | str | None = None,
        tags: Iterable[str] | str | None = None,
        tools: Iterable[str] | str | None = None,
        expires_at: str | datetime | None = None,
        require_api_token_auth: bool = False,
        expires_in: str | int | None = None,
    ) -> IssuedEndpoint:
        """Validate, store (hashes only) and return the new endpoint with its tokens.

        The expiry is ``expires_at`` (an instant) or ``expires_in`` (a duration from now), not both."""
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > _NAME_MAX:
            raise EndpointError(f"name: required, 1 to {_NAME_MAX} characters")
        if not isinstance(require_api_token_auth, bool):
            raise EndpointError("require_api_token_auth: must be true or false")
        scope = self.scope(methods, tags, tools)
        now = self.now()
        expiry = self.expiry(now, expires_at, expires_in)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        api_token = secrets.token_urlsafe(TOKEN_BYTES) if require_api_token_auth else None
        endpoint = Endpoint(
            id="ep_" + secrets.token_hex(8),
            name=name.strip(),
            scope=scope,
            expires_at=expiry,
            require_api_token_auth=require_api_token_auth,
            created_at=now.astimezone(UTC).replace(microsecond=0),
            token_sha256=token_digest(token),
            api_token_sha256=token_digest(api_token) if api_token else None,
        )
        self.store.add(endpoint)
        return IssuedEndpoint(endpoint, token, api_token)

    def resolve(self, token: str) -> Endpoint | None:
        """The live endpoint for a URL token; None when unknown, revoked or expired.

        Only reads: an expired record stays until the next :meth:`purge`, so the
        three refusals cost the same (raises :class:`StoreUnavailable` when the
        store cannot answer).
        """
        if not _TOKEN_SHAPE.fullmatch(token):
            return None
        digest = token_digest(token)
        endpoint = self.store.find(digest)
        if endpoint is None or not hmac.compare_digest(endpoint.token_sha256, digest):
            return None
        if endpoint.expired(self.now()):
            return None
        return endpoint

    @staticmethod
    def authorize(endpoint: Endpoint, authorization: str | None) -> bool:
        """Whether a request may use ``endpoint``, given its ``Authorization`` header."""
        if not endpoint.require_api_token_auth:
            return True
        if endpoint.api_token_sha256 is None or not authorization:
            return False
        scheme, _, presented = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return False
        return hmac.compare_digest(token_digest(presented.strip()), endpoint.api_token_sha256)

    def list(self) -> list[Endpoint]:
        """The live endpoints; expired ones are purged first."""
        now = self.now()
        self.store.purge(now)
        return [e for e in self.store.all() if not e.expired(now)]

    def purge(self) -> int | None:
        """Delete the expired records (by the registry's clock); how many, or None when another
        process was doing it at that moment."""
        return self.store.purge(self.now())

    def revoke(self, endpoint_id: str) -> bool:
        """Delete an endpoint by id; False when there is none."""
        return self.store.remove(endpoint_id)
