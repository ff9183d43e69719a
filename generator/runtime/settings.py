"""Where a generated server finds its settings: environment variable names and defaults.

Part of the *hosting* part of the runtime, shared by the command line
(``server``) and the ``endpoints`` command (``endpoints_cli``), so both read
the same variables and the same defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from .spec import ApiSpec

__all__ = ["mcp_env", "store_path"]


def mcp_env(api: ApiSpec, setting: str) -> str:
    """The environment variable of a server setting, e.g. ``DESK365_MCP_ADMIN_TOKEN``."""
    return f"{api.package.upper()}_MCP_{setting}"


def store_path(api: ApiSpec, given: Path | None) -> Path:
    """The endpoint store: ``given``, else ``$<PACKAGE>_MCP_ENDPOINTS_DB``, else ``./<package>-endpoints.sqlite3``."""
    return given or Path(os.environ.get(mcp_env(api, "ENDPOINTS_DB")) or f"{api.package}-endpoints.sqlite3")
