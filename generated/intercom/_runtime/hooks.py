# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Named per-operation behaviour that curation extensions ask for, served by quirk plug-ins.

A curated document cannot hold code, so the behaviour an API's quirks need is
written once, in a *quirk plug-in* module (``search``, ``timeline``,
``scroll``), and named from the document (``openapi/README.md``). A plug-in
depends only on ``spec`` and exposes two mappings, ``CHECKS`` (argument checks)
and ``TRANSFORMS`` (result transforms); the package's ``quirks`` index lists the
plug-ins it carries, and this module merges their mappings into one registry:

* ``x-tool.checks`` names an argument check that runs before anything is sent:
  once per call, in the MCP server's argument validation (``validation``), or in
  the typed client for library users (:func:`check_arguments`, raising
  :class:`ArgumentError`);
* ``x-tool.result.transform`` names a transform that the MCP server applies to a
  tool's successful answer; the transform also declares the output-schema
  properties it adds, which the generator writes into the tool's
  ``outputSchema``, and the helpers the generated package re-exports for library
  users (the typed client itself keeps returning the raw model);
* ``x-tool.errors`` lists :class:`ErrorHint` values; :func:`error_hint` picks
  the first one that matches an upstream error, and the server puts its message
  in front of the tool error.

Everything here is pure and cheap to import (no I/O, standard library only).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ArgumentError
from .quirks import MODULES
from .spec import Check, OperationSpec, ToolSpec, Transform

__all__ = ["CHECKS", "TRANSFORMS", "argument_problems", "check_arguments", "error_hint", "transform_result"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".server")

CHECKS: dict[str, Check] = {name: check for module in MODULES for name, check in module.CHECKS.items()}
"""Argument checks by name, from every plug-in the package carries."""

TRANSFORMS: dict[str, Transform] = {name: t for module in MODULES for name, t in module.TRANSFORMS.items()}
"""Result transforms by name, from every plug-in the package carries."""


def argument_problems(checks: Sequence[tuple[str, str]], arguments: Mapping[str, Any]) -> list[str]:
    """The problems the named checks find in ``arguments`` (absent arguments are skipped)."""
    problems: list[str] = []
    for argument, name in checks:
        value = arguments.get(argument)
        if value is not None:
            if hasattr(value, "model_dump"):  # a pydantic model from the typed client
                value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
            problems += CHECKS[name](value, argument)
    return problems


def check_arguments(op: OperationSpec, arguments: Mapping[str, Any]) -> None:
    """Raise :class:`ArgumentError` naming every broken rule; nothing is sent then."""
    if op.checks:
        problems = argument_problems(op.checks, arguments)
        if problems:
            raise ArgumentError("; ".join(problems) + ". Nothing was sent.")


def transform_result(tool: ToolSpec, data: Any, arguments: Mapping[str, Any]) -> Any:
    """A tool's successful answer after its result transform (unchanged without one)."""
    if tool.transform is None:
        return data
    try:
        return TRANSFORMS[tool.transform].function(data, arguments, tool.name)
    except Exception as exc:  # a transform must never cost the caller the upstream answer itself
        logger.warning("result transform %s of %s failed (%s); returning the raw answer",
                       tool.transform, tool.name, type(exc).__name__)  # fmt: skip
        return data


def error_hint(tool: ToolSpec, status: int, arguments: Mapping[str, Any]) -> str | None:
    """The message of the first of the tool's error hints that matches, or None."""
    for hint in tool.error_hints:
        if status not in hint.status:
            continue
        if hint.given is not None and arguments.get(hint.given) in (None, ""):
            continue
        if hint.absent is not None and arguments.get(hint.absent) not in (None, ""):
            continue
        return hint.message
    return None
