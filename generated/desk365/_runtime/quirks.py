# Written by helpdesk-mcp for desk365.yaml from generator/runtime/quirks.py. Do not edit; run `make generate`.
"""The quirk plug-ins this package carries (see ``hooks``): the ones its document names."""

from __future__ import annotations

from types import ModuleType

__all__ = ["MODULES"]

MODULES: tuple[ModuleType, ...] = ()
