"""Which endpoint store a location names: a SQLite file (the default) or a PostgreSQL URL.

``--endpoints-db`` / ``<PACKAGE>_MCP_ENDPOINTS_DB`` takes either; the server and
the ``endpoints`` command both open their store here, so they agree. The
PostgreSQL store (``pgstore``) and its driver are imported only for a
``postgresql://`` (or ``postgres://``) URL: a package that keeps its endpoints in
SQLite runs without psycopg installed.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .endpoints import EndpointStore, StoreUnavailable
from .sqlitestore import SqliteEndpointStore

__all__ = ["is_database_url", "masked", "open_store", "password_of"]

_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: str) -> bool:
    """Whether ``location`` is a PostgreSQL URL rather than a file path."""
    return location.lower().startswith(_SCHEMES)


def password_of(location: str) -> str | None:
    """The password in a database URL (to keep it out of logs), or None."""
    if not is_database_url(location):
        return None
    try:
        return urlsplit(location).password or None
    except ValueError:
        return None


def masked(location: str) -> str:
    """``location`` fit for a message: a URL's password replaced by ``***``."""
    if not is_database_url(location):
        return location
    try:
        parts = urlsplit(location)
        if parts.password is None:
            return location
        user = parts.username or ""
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "the PostgreSQL URL given"


def open_store(location: str, namespace: str, *, create: bool = True) -> EndpointStore:
    """The store at ``location``, namespaced by ``namespace`` (the API's package name); a SQLite
    file is created when missing only if ``create``.

    Raises :class:`~.endpoints.StoreUnavailable` with the reason when it cannot be
    opened (unreachable, unreadable, a schema from a newer version, psycopg missing).
    """
    if not is_database_url(location):
        return SqliteEndpointStore(location, namespace, create=create)
    try:
        from .pgstore import PostgresEndpointStore
    except ImportError as exc:
        raise StoreUnavailable(
            f"a postgresql:// endpoint store needs psycopg 3 with its pool ({exc}): "
            "pip install 'psycopg[binary,pool]' (a vendored copy: helpdesk-mcp vendor ... --with postgres)"
        ) from None
    return PostgresEndpointStore(location, namespace, where=masked(location))
