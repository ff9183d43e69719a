# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The default endpoint store: one SQLite file, shared by the processes of one host.

The server and the ``endpoints`` command open the same file (WAL journaling lets
one read while the other writes); rows are namespaced by the API, as in every
store. The rules over a store (issuing, resolving, expiry) and the storage
interface this class satisfies are :mod:`.endpoints`; ``stores.open_store``
chooses this store for a file path and ``pgstore`` for a ``postgresql://`` URL.
How the store follows its file (a vanished one fails closed, a replaced one is
reopened) is explained in :mod:`.endpoints` under "Failing safe".
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .endpoints import Endpoint, EndpointScope, StoreUnavailable

__all__ = ["SqliteEndpointStore"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".endpoints")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mcp_endpoints (
    id TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    methods TEXT NOT NULL,
    tags TEXT NOT NULL,
    tools TEXT NOT NULL,
    expires_at TEXT,
    require_api_token_auth INTEGER NOT NULL,
    api_token_sha256 TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mcp_endpoints_namespace ON mcp_endpoints (namespace, created_at);
"""
_COLUMNS = (
    "id, name, methods, tags, tools, expires_at, require_api_token_auth, api_token_sha256, created_at, token_sha256"
)


class SqliteEndpointStore:
    """The default :class:`EndpointStore`: one SQLite file, rows namespaced by API.

    The file is created with mode 0600 when missing at open (unless ``create`` is
    false: the ``endpoints list`` and ``revoke`` commands never start a store); WAL journaling lets
    the server read while the ``endpoints`` command writes; ``secure_delete``
    overwrites the bytes of a revoked or purged row. Before every operation the
    path's identity (``st_dev``, ``st_ino``) is compared with the open file's
    (one ``stat``, about a microsecond): a vanished file raises
    :class:`StoreUnavailable` until one is back, a replaced file is reopened (see
    the module docstring). A file that is not a database raises
    :class:`StoreUnavailable` too, naming the file.
    """

    def __init__(self, path: str | Path, namespace: str, *, create: bool = True) -> None:
        self.path = Path(path)
        self.namespace = namespace
        self._memory = str(path) == ":memory:"
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        if not create and not self._memory and not self.path.exists():
            raise StoreUnavailable(f"the endpoint store {self.path} does not exist (`endpoints create` starts one)")
        try:
            if not self._memory and not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.touch(mode=0o600)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the endpoint store {self.path}: {exc}") from None
        with self._lock:
            self._connection()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._db is not None:
            db, self._db, self._identity = self._db, None, None
            try:
                db.close()
            except sqlite3.Error:
                pass  # a broken file: nothing left to flush

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(str(self.path), timeout=10.0, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA secure_delete=ON")
                db.executescript(_SCHEMA)
                identity = None if self._memory else os.stat(self.path)
            except BaseException:
                db.close()
                raise
        except (sqlite3.Error, OSError) as exc:
            raise self._unavailable(exc) from None
        self._db = db
        self._identity = None if identity is None else (identity.st_dev, identity.st_ino)
        return db

    def _connection(self) -> sqlite3.Connection:
        """The connection to the file now at the path (the caller holds the lock)."""
        if self._memory:
            return self._db or self._open()
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            self._drop()  # its WAL is checkpointed into the file that went away, never into a new one
            raise StoreUnavailable(
                f"the endpoint store {self.path} is missing (deleted or moved away): every endpoint is refused "
                "until it is back, or until `endpoints create` starts a new one"
            ) from None
        except OSError as exc:
            raise self._unavailable(exc) from None
        if self._db is not None and (now.st_dev, now.st_ino) != self._identity:
            logger.warning("endpoint store %s: the file was replaced; reopening it", self.path)
            self._drop()
        return self._db or self._open()

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return StoreUnavailable(
                f"the endpoint store {self.path} cannot be read ({exc}); it may be corrupted: restore it "
                "from a backup, or move it away to start an empty one"
            )
        return StoreUnavailable(f"the endpoint store {self.path}: {exc}")

    def _execute(self, sql: str, params: Sequence[Any] = (), *, rows: bool = False) -> Any:
        with self._lock:
            db = self._connection()
            try:
                cursor = db.execute(sql, params)
                if rows:
                    return cursor.fetchall()
                # empty the WAL after a write (rare: create, revoke, purge), so a -wal file left
                # beside a file that is then replaced carries no pages of the old database into it
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return cursor.rowcount
            except sqlite3.IntegrityError:
                raise  # a duplicate id or hash: a bug, not an outage
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from None

    def _row(self, row: Sequence[Any]) -> Endpoint:
        ident, name, methods, tags, tools, expires, auth, api_hash, created, token_hash = row
        return Endpoint(
            id=ident,
            name=name,
            scope=EndpointScope(tuple(json.loads(methods)), tuple(json.loads(tags)), tuple(json.loads(tools))),
            expires_at=datetime.fromisoformat(expires) if expires else None,
            require_api_token_auth=bool(auth),
            created_at=datetime.fromisoformat(created),
            token_sha256=token_hash,
            api_token_sha256=api_hash,
        )

    def add(self, endpoint: Endpoint) -> None:
        self._execute(
            f"INSERT INTO mcp_endpoints (namespace, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.namespace, endpoint.id, endpoint.name,
                json.dumps(list(endpoint.scope.methods)), json.dumps(list(endpoint.scope.tags)),
                json.dumps(list(endpoint.scope.tools)),
                _stored_instant(endpoint.expires_at) if endpoint.expires_at else None,
                int(endpoint.require_api_token_auth), endpoint.api_token_sha256,
                endpoint.created_at.isoformat(), endpoint.token_sha256,
            ),
        )  # fmt: skip

    def find(self, token_sha256: str) -> Endpoint | None:
        rows = self._execute(
            f"SELECT {_COLUMNS} FROM mcp_endpoints WHERE token_sha256 = ? AND namespace = ?",
            (token_sha256, self.namespace),
            rows=True,
        )
        return self._row(rows[0]) if rows else None

    def all(self) -> list[Endpoint]:
        rows = self._execute(
            f"SELECT {_COLUMNS} FROM mcp_endpoints WHERE namespace = ? ORDER BY created_at, id",
            (self.namespace,),
            rows=True,
        )
        return [self._row(r) for r in rows]

    def remove(self, endpoint_id: str) -> bool:
        count = self._execute("DELETE FROM mcp_endpoints WHERE id = ? AND namespace = ?", (endpoint_id, self.namespace))
        return bool(count > 0)

    def purge(self, now: datetime) -> int:
        # ISO text of UTC instants compares as the instants do ("+" sorts before the "." of a
        # fraction), so one indexed statement does it; one process at a time holds SQLite's writer lock
        count = self._execute(
            "DELETE FROM mcp_endpoints WHERE namespace = ? AND expires_at IS NOT NULL AND expires_at <= ?",
            (self.namespace, _stored_instant(now)),
        )
        return int(count)


def _stored_instant(moment: datetime) -> str:
    """How SQLite keeps an instant: ISO 8601 in UTC with ``+00:00``, so text order is time order."""
    return moment.astimezone(UTC).isoformat()
