# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The PostgreSQL endpoint store: many server processes, on one host or several, share one truth.

Chosen by giving ``--endpoints-db`` (or ``<PACKAGE>_MCP_ENDPOINTS_DB``) a
``postgresql://`` URL (``stores.open_store``); imported only then, so a package
that keeps its endpoints in SQLite never needs psycopg. Driver: psycopg 3 with
its connection pool (the optional ``postgres`` extra; ``helpdesk-mcp vendor
--with postgres`` adds it to a vendored copy's requirements).

One truth, no cache. Every request's token is looked up in the database (one
indexed ``SELECT`` by SHA-256, on a pooled connection). Nothing is cached, so an
endpoint created through one process answers on every other at once, and a
revocation (a ``DELETE``) or an expiry counts in every process from its next
request: staleness is zero by construction, which no cache invalidated through
LISTEN/NOTIFY could promise (a notification can arrive after the request it
should have refused). The lookup costs about a tenth of a millisecond on a local
server, small beside an MCP request.

Purging once. Expired rows are deleted by :meth:`PostgresEndpointStore.purge`,
which every process runs off the request path (periodically, on listing, when an
endpoint in use expires). It first takes ``pg_try_advisory_xact_lock`` on a key
derived from the namespace: the process that gets it deletes, one that does not
skips at once (no waiting, no double work), and the request path never takes
that lock.

Schema. Created and migrated by the server itself: :data:`MIGRATIONS` are applied
in order inside one transaction holding an advisory lock (so processes starting
together migrate once), and each applied version is a row of
``mcp_schema_migrations``. A database whose schema is newer than this server's is
refused at start (:class:`~.endpoints.StoreVersionError`), never misread.
Migrations are additive, so processes of the previous version keep working while
the others are upgraded. Rows are namespaced per API, as in SQLite.

Sessions do not move; routing must be sticky. The 2026-07-28 protocol era has
no sessions and ``--stateless`` keeps none, so any process serves any request.
An MCP session of the 2025-11-25 era is not data but a live task: the SDK's
session manager holds it in the process that opened it, with its open streams
(the GET stream for server messages, requests in flight). Keeping its id in the
database would let another process *recognise* the session but not *continue*
it, short of rebuilding the SDK's session state outside the SDK. So a load
balancer must route a session's requests to one process (by the
``Mcp-Session-Id`` header, or by client address); a request that reaches another
process gets the SDK's 404 "Session not found" and the client opens a new
session: an interruption, never a wrong answer. Authorization is not part of the
session: the gate checks the token in the database on every request, so a
revocation through any process ends a session held in any other.

Failing safe. The database unreachable at start raises
:class:`~.endpoints.StoreUnavailable` with the reason (the command line prints
it and exits). Lost while serving: every operation raises it (the HTTP app
answers 503), after waiting at most ``wait`` seconds for a connection (half a
second while the database is known to be down, so an outage is answered
quickly); the pool checks each connection as it is handed out and reconnects in
the background, so service resumes without a restart when the database returns.
Passwords in the URL never reach a message (:func:`~.stores.masked`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from .endpoints import Endpoint, EndpointScope, StoreUnavailable, StoreVersionError

__all__ = ["MIGRATIONS", "PostgresEndpointStore"]

T = TypeVar("T")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the endpoints, namespaced per API; hashes only
        """CREATE TABLE mcp_endpoints (
            id text PRIMARY KEY,
            namespace text NOT NULL,
            token_sha256 text NOT NULL UNIQUE,
            name text NOT NULL,
            methods text[] NOT NULL,
            tags text[] NOT NULL,
            tools text[] NOT NULL,
            expires_at timestamptz,
            require_api_token_auth boolean NOT NULL,
            api_token_sha256 text,
            created_at timestamptz NOT NULL
        )""",
        "CREATE INDEX mcp_endpoints_listing ON mcp_endpoints (namespace, created_at, id)",
        "CREATE INDEX mcp_endpoints_expiry ON mcp_endpoints (namespace, expires_at) WHERE expires_at IS NOT NULL",
    ),
)
"""The schema, one tuple of statements per version (version ``n`` is ``MIGRATIONS[n - 1]``)."""

_COLUMNS = (
    "id, name, methods, tags, tools, expires_at, require_api_token_auth, api_token_sha256, created_at, token_sha256"
)
_DOWN_WAIT = 0.5  # seconds a request waits for a connection while the database is known to be down


def _lock_key(purpose: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``purpose``."""
    return int.from_bytes(hashlib.sha256(f"helpdesk-mcp {purpose}".encode()).digest()[:8], "big", signed=True)


_MIGRATION_LOCK = _lock_key("endpoint schema migration")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the schema to the newest version; the version it had (0: new database)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS mcp_schema_migrations "
            "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        row = conn.execute("SELECT coalesce(max(version), 0) FROM mcp_schema_migrations").fetchone()
        found = int(row[0]) if row else 0
        if found > len(MIGRATIONS):
            raise StoreVersionError(
                f"the endpoint store's schema is version {found}, newer than this server's {len(MIGRATIONS)}: "
                "upgrade this server (a newer one has migrated the database)"
            )
        for version in range(found + 1, len(MIGRATIONS) + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute("INSERT INTO mcp_schema_migrations (version) VALUES (%s)", (version,))
    return found


class PostgresEndpointStore:
    """An :class:`~.endpoints.EndpointStore` on PostgreSQL, shared by any number of processes.

    ``url`` is a libpq URL (``postgresql://user:password@host:5432/db``; any
    libpq parameter may follow, e.g. ``?sslmode=require``); ``where`` names it in
    messages without its password. ``pool_size`` bounds this process's
    connections; ``wait`` is how long an operation waits for one before
    :class:`~.endpoints.StoreUnavailable`.
    """

    def __init__(self, url: str, namespace: str, *, where: str = "", pool_size: int = 10, wait: float = 2.0) -> None:
        self.namespace = namespace
        self.where = where or "PostgreSQL"
        self.wait = wait
        self._purge_lock = _lock_key(f"endpoint purge {namespace}")
        self._down = False
        options: dict[str, Any] = {"autocommit": True, "connect_timeout": max(1, round(wait)),
                                   "application_name": f"{namespace}-mcp"}  # fmt: skip
        try:  # one direct connection first: its error says why (refused, auth, no such database)
            with psycopg.connect(url, **options) as conn:
                migrate(conn)
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot use the endpoint store {self.where}: {_reason(exc)}") from None
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=pool_size, open=False, timeout=wait, kwargs=options,
            check=ConnectionPool.check_connection, name=f"{namespace}-endpoints",
        )  # fmt: skip
        self._pool.open(wait=False)

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        try:
            with self._pool.connection(timeout=_DOWN_WAIT if self._down else self.wait) as conn:
                result = work(conn)
        except psycopg.IntegrityError:
            raise  # a duplicate id or hash: a bug, not an outage
        except psycopg.Error as exc:  # connection refused or lost, pool timeout, server shutting down, ...
            self._down = True
            raise StoreUnavailable(f"the endpoint store {self.where} is unavailable: {_reason(exc)}") from None
        self._down = False
        return result

    def _endpoint(self, row: tuple[Any, ...]) -> Endpoint:
        ident, name, methods, tags, tools, expires, auth, api_hash, created, token_hash = row
        return Endpoint(
            id=ident,
            name=name,
            scope=EndpointScope(tuple(methods), tuple(tags), tuple(tools)),
            expires_at=expires.astimezone(UTC) if expires else None,
            require_api_token_auth=bool(auth),
            created_at=created.astimezone(UTC),
            token_sha256=token_hash,
            api_token_sha256=api_hash,
        )

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self._run(lambda conn: conn.execute(sql, params).fetchall())

    def _change(self, sql: str, params: tuple[Any, ...]) -> int:
        return self._run(lambda conn: conn.execute(sql, params).rowcount)

    def add(self, endpoint: Endpoint) -> None:
        self._change(
            f"INSERT INTO mcp_endpoints (namespace, {_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                self.namespace, endpoint.id, endpoint.name, list(endpoint.scope.methods),
                list(endpoint.scope.tags), list(endpoint.scope.tools), endpoint.expires_at,
                endpoint.require_api_token_auth, endpoint.api_token_sha256, endpoint.created_at,
                endpoint.token_sha256,
            ),
        )  # fmt: skip

    def find(self, token_sha256: str) -> Endpoint | None:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM mcp_endpoints WHERE token_sha256 = %s AND namespace = %s",
            (token_sha256, self.namespace),
        )
        return self._endpoint(rows[0]) if rows else None

    def all(self) -> list[Endpoint]:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM mcp_endpoints WHERE namespace = %s ORDER BY created_at, id", (self.namespace,)
        )
        return [self._endpoint(r) for r in rows]

    def remove(self, endpoint_id: str) -> bool:
        return (
            self._change("DELETE FROM mcp_endpoints WHERE id = %s AND namespace = %s", (endpoint_id, self.namespace))
            > 0
        )

    def purge(self, now: datetime) -> int | None:
        def work(conn: psycopg.Connection[Any]) -> int | None:
            with conn.transaction():
                row = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (self._purge_lock,)).fetchone()
                if not row or not row[0]:
                    return None  # another process is purging this namespace right now
                return conn.execute(
                    "DELETE FROM mcp_endpoints WHERE namespace = %s AND expires_at <= %s", (self.namespace, now)
                ).rowcount

        return self._run(work)
