# Written by helpdesk-mcp for intercom.yaml from generator/runtime/quirks.py. Do not edit; run `make generate`.
"""The quirk plug-ins this package carries (see ``hooks``): the ones its document names."""

from __future__ import annotations

from types import ModuleType

from . import scroll, search, timeline

__all__ = ["MODULES"]

MODULES: tuple[ModuleType, ...] = (
    scroll,
    search,
    timeline,
)
