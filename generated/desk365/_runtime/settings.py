# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Where a generated server finds its settings: environment variable names and defaults.

Part of the *hosting* part of the runtime, shared by the command line
(``server``) and the ``endpoints`` command (``endpoints_cli``), so both read
the same variables and the same defaults.

One variable is for tests only and is never listed in ``--help``:
``<PACKAGE>_MCP_TEST_CLOCK_FILE`` names a file holding an ISO 8601 instant with a
UTC offset, which then *is* the endpoint registry's "now" (read on every use).
Tests move time for several server processes at once by rewriting that file, so
expiry is checked across processes to the second without sleeping. A server
started with it logs a warning; never set it in a deployment.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .spec import ApiSpec

__all__ = ["data_dir", "default_store", "file_clock", "mcp_env", "store_location", "injected_clock"]


def mcp_env(api: ApiSpec, setting: str) -> str:
    """The environment variable of a server setting, e.g. ``DESK365_MCP_ADMIN_TOKEN``."""
    return f"{api.package.upper()}_MCP_{setting}"


def store_location(api: ApiSpec, given: str | None) -> str:
    """The endpoint store, a SQLite file path or a ``postgresql://`` URL: ``given``, else
    ``$<PACKAGE>_MCP_ENDPOINTS_DB``, else :func:`default_store` (a per-user file)."""
    return given or os.environ.get(mcp_env(api, "ENDPOINTS_DB")) or str(default_store(api))


def data_dir() -> Path:
    """The per-user folder for a server's data: ``helpdesk-mcp`` under the platform's data home.

    ``$XDG_DATA_HOME`` (default ``~/.local/share``) on Linux and other Unix systems, as
    the XDG base-directory specification says; ``~/Library/Application Support`` on
    macOS; ``%LOCALAPPDATA%`` on Windows. Three rules, so no dependency (platformdirs)
    is taken for them. Never the current directory: a server started from a checkout
    must not leave its database (and its ``-wal`` / ``-shm`` files) in the repository.
    """
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else home / ".local" / "share"  # the spec ignores relative paths
    return base / "helpdesk-mcp"


def default_store(api: ApiSpec) -> Path:
    """The default SQLite endpoint store: ``<package>-endpoints.sqlite3`` in :func:`data_dir`."""
    return data_dir() / f"{api.package}-endpoints.sqlite3"


def file_clock(path: Path) -> Callable[[], datetime]:
    """A clock whose time is the ISO 8601 instant written in ``path`` (tests only)."""

    def now() -> datetime:
        moment = datetime.fromisoformat(path.read_text().strip())
        if moment.tzinfo is None:
            raise ValueError(f"{path}: the test clock needs a UTC offset")
        return moment

    return now


def injected_clock(api: ApiSpec) -> Callable[[], datetime] | None:
    """The test-only clock named by ``$<PACKAGE>_MCP_TEST_CLOCK_FILE``, or None (the real clock)."""
    env = mcp_env(api, "TEST_CLOCK_FILE")
    path = os.environ.get(env)
    if not path:
        return None
    logging.getLogger(__name__.rsplit(".", 2)[0] + ".endpoints").warning(
        "%s is set: endpoint expiry follows the time written in %s (for tests only)", env, path
    )
    return file_clock(Path(path))
