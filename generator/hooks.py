"""Build side of the runtime hooks: ``x-tool.checks``, ``x-tool.result`` and ``x-tool.errors``.

The behaviour lives in the runtime's quirk plug-ins (``generator/runtime/search.py``,
``timeline.py``, ``scroll.py``; see ``generator/runtime/hooks.py``); a document
only names it. This module checks those names against the plug-ins' own
registries (so a typo fails generation instead of a tool call), merges the
properties a result transform adds into the tool's output schema, and collects
what the IR carries: the checks of an operation, the transform and error hints
of its tool, the helpers the package re-exports and the plug-ins it must carry.
``build`` calls :func:`read_hooks` once per operation, and :func:`package_exports`
and :func:`package_plugins` once per API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .curation import XTool
from .errors import Diagnostics, location
from .ir import ErrorHint, Operation
from .runtime.quirks import MODULES
from .runtime.spec import Check, Transform

__all__ = ["OperationHooks", "read_hooks", "package_exports", "package_plugins"]

# name -> (plug-in module, contribution), over every plug-in of the runtime
_CHECKS: dict[str, tuple[str, Check]] = {
    name: (m.__name__.rsplit(".", 1)[-1], check) for m in MODULES for name, check in m.CHECKS.items()
}
_TRANSFORMS: dict[str, tuple[str, Transform]] = {
    name: (m.__name__.rsplit(".", 1)[-1], t) for m in MODULES for name, t in m.TRANSFORMS.items()
}
CHECKS = {name: check for name, (_, check) in _CHECKS.items()}
TRANSFORMS = {name: t for name, (_, t) in _TRANSFORMS.items()}


@dataclass(frozen=True)
class OperationHooks:
    """What one operation's hook extensions amount to."""

    checks: tuple[tuple[str, str], ...] = ()
    transform: str | None = None
    output_schema: dict[str, Any] | None = None
    note: str = ""
    error_hints: tuple[ErrorHint, ...] = ()


def read_hooks(
    xtool: XTool | None,
    arguments: Sequence[str],
    output_schema: dict[str, Any] | None,
    where: str,
    diags: Diagnostics,
) -> OperationHooks:
    """Read and check the hook extensions of one operation's ``x-tool``."""
    if xtool is None:
        return OperationHooks(output_schema=output_schema)
    here = location(where, "x-tool")
    checks: list[tuple[str, str]] = []
    for argument, name in xtool.checks.items():
        if argument not in arguments:
            diags.error(location(here, "checks"), f"{argument!r} is not an argument of this tool")
        elif name not in CHECKS:
            diags.error(location(here, "checks"), f"unknown check {name!r}; known: {', '.join(sorted(CHECKS))}")
        else:
            checks.append((argument, name))
    transform, note = None, ""
    if xtool.result is not None:
        name = xtool.result.transform
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
                transform, note = name, TRANSFORMS[name].note
                output_schema = {**output_schema, "properties": {**added, **output_schema["properties"]}}
    return OperationHooks(tuple(checks), transform, output_schema, note, _error_hints(xtool, arguments, here, diags))


def _error_hints(xtool: XTool, arguments: Sequence[str], here: str, diags: Diagnostics) -> tuple[ErrorHint, ...]:
    out: list[ErrorHint] = []
    for i, rule in enumerate(xtool.errors):
        bad = [a for a in (rule.given, rule.absent) if a is not None and a not in arguments]
        if bad:
            diags.error(location(here, "errors", i), f"{', '.join(map(repr, bad))} is not an argument of this tool")
            continue
        out.append(ErrorHint(rule.statuses, " ".join(rule.message.split()), rule.given, rule.absent))
    return tuple(out)


def package_exports(operations: Sequence[Operation]) -> tuple[tuple[str, str], ...]:
    """``(runtime module, name)`` of every helper the used transforms offer, sorted."""
    found = {e for op in operations if op.tool.transform for e in TRANSFORMS[op.tool.transform].exports}
    return tuple(sorted(found))


def package_plugins(operations: Sequence[Operation]) -> tuple[str, ...]:
    """The quirk plug-in modules the operations' checks and transforms come from, sorted."""
    found = {_CHECKS[name][0] for op in operations for _, name in op.checks}
    found |= {_TRANSFORMS[op.tool.transform][0] for op in operations if op.tool.transform}
    return tuple(sorted(found))
