"""Build side of the runtime hooks: ``x-tool.checks``, ``x-tool.result`` and ``x-tool.errors``.

The behaviour lives in the runtime (``generator/runtime/hooks.py``); a document
only names it. This module checks those names against the runtime's own
registries (so a typo fails generation instead of a tool call), merges the
properties a result transform adds into the tool's output schema, and collects
what the IR carries: the checks of an operation, the transform and error hints
of its tool, and the helpers the package re-exports. ``build`` calls
:func:`read_hooks` once per operation and :func:`package_exports` once per API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics, location
from .ir import ErrorHint, Operation
from .runtime.hooks import CHECKS, TRANSFORMS

__all__ = ["OperationHooks", "read_hooks", "package_exports"]


@dataclass(frozen=True)
class OperationHooks:
    """What one operation's hook extensions amount to."""

    checks: tuple[tuple[str, str], ...] = ()
    transform: str | None = None
    output_schema: dict[str, Any] | None = None
    note: str = ""
    error_hints: tuple[ErrorHint, ...] = ()


def read_hooks(
    xtool: Mapping[str, Any],
    arguments: Sequence[str],
    output_schema: dict[str, Any] | None,
    where: str,
    diags: Diagnostics,
) -> OperationHooks:
    """Read and check the hook extensions of one operation's ``x-tool``."""
    here = location(where, "x-tool")
    checks: list[tuple[str, str]] = []
    raw_checks = xtool.get("checks") or {}
    if not isinstance(raw_checks, Mapping):
        diags.error(location(here, "checks"), "checks must map argument names to check names")
        raw_checks = {}
    for argument, name in raw_checks.items():
        if argument not in arguments:
            diags.error(location(here, "checks"), f"{argument!r} is not an argument of this tool")
        elif name not in CHECKS:
            diags.error(location(here, "checks"), f"unknown check {name!r}; known: {', '.join(sorted(CHECKS))}")
        else:
            checks.append((str(argument), str(name)))
    transform, note = None, ""
    result = xtool.get("result") or {}
    if result:
        name = result.get("transform") if isinstance(result, Mapping) else None
        if name not in TRANSFORMS:
            diags.error(location(here, "result"), f"unknown transform {name!r}; known: {', '.join(sorted(TRANSFORMS))}")
        elif output_schema is None or not isinstance(output_schema.get("properties"), Mapping):
            diags.error(location(here, "result"), "a result transform needs a JSON object response")
        else:
            added = TRANSFORMS[name].adds
            clash = sorted(set(added) & set(output_schema["properties"]))
            if clash:
                diags.error(location(here, "result"), f"transform {name} would overwrite {', '.join(clash)}")
            else:
                transform, note = str(name), TRANSFORMS[name].note
                output_schema = {**output_schema, "properties": {**added, **output_schema["properties"]}}
    return OperationHooks(tuple(checks), transform, output_schema, note, _error_hints(xtool, arguments, here, diags))


def _error_hints(
    xtool: Mapping[str, Any], arguments: Sequence[str], here: str, diags: Diagnostics
) -> tuple[ErrorHint, ...]:
    out: list[ErrorHint] = []
    for i, raw in enumerate(xtool.get("errors") or []):
        at = location(here, "errors", i)
        if not isinstance(raw, Mapping):
            diags.error(at, "an errors entry is an object {status, message, given, absent}")
            continue
        status = raw.get("status")
        status = [status] if isinstance(status, int) else status
        if not status or not all(isinstance(s, int) and 400 <= s <= 599 for s in status):
            diags.error(at, "status must be an HTTP error status or a list of them")
            continue
        message = raw.get("message")
        if not isinstance(message, str) or not message.strip():
            diags.error(at, "message must be a non-empty string")
            continue
        given, absent = raw.get("given"), raw.get("absent")
        bad = [a for a in (given, absent) if a is not None and a not in arguments]
        if bad:
            diags.error(at, f"{', '.join(map(repr, bad))} is not an argument of this tool")
            continue
        out.append(ErrorHint(tuple(status), " ".join(message.split()), given, absent))
    return tuple(out)


def package_exports(operations: Sequence[Operation]) -> tuple[tuple[str, str], ...]:
    """``(runtime module, name)`` of every helper the used transforms offer, sorted."""
    found = {e for op in operations if op.tool.transform for e in TRANSFORMS[op.tool.transform].exports}
    return tuple(sorted(found))
