"""Named per-operation behaviour that curation extensions ask for.

A curated document cannot hold code, so the behaviour an API's quirks need is
written once here and named from the document (``openapi/README.md``):

* ``x-tool.checks`` names an argument check (:data:`CHECKS`) that runs before
  anything is sent: in the MCP server's argument validation and in the typed
  client (:func:`check_arguments`, raising :class:`ArgumentError`);
* ``x-tool.result.transform`` names a transform (:data:`TRANSFORMS`) that the
  MCP server applies to a tool's successful answer; the transform also declares
  the output-schema properties it adds, which the generator writes into the
  tool's ``outputSchema``, and the helper the generated package re-exports for
  library users (the typed client itself keeps returning the raw model);
* ``x-tool.errors`` lists :class:`ErrorHint` values; :func:`error_hint` picks
  the first one that matches an upstream error, and the server puts its message
  in front of the tool error.

Everything here is pure and cheap to import (no I/O, standard library only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ArgumentError
from .search import search_query_problems
from .spec import OperationSpec, ToolSpec
from .timeline import TIMELINE_ENTRY_SCHEMA, conversation_timeline

__all__ = [
    "CHECKS", "TRANSFORMS", "Transform", "argument_problems", "check_arguments", "error_hint",
    "transform_result",
]  # fmt: skip

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".server")

Check = Callable[[Any, str], list[str]]

CHECKS: dict[str, Check] = {"search_query": search_query_problems}
"""Argument checks by name: ``(value, argument name) -> problems``."""


@dataclass(frozen=True)
class Transform:
    """A result transform: ``function(data, arguments, tool name) -> data``.

    ``adds`` are the top-level output-schema properties it adds; ``note`` a
    sentence appended to the tool description; ``exports`` the ``(runtime module,
    name)`` pairs a generated package re-exports for library users.
    """

    function: Callable[[Any, Mapping[str, Any], str], Any]
    adds: Mapping[str, Any]
    note: str
    exports: tuple[tuple[str, str], ...] = ()


def _timeline(data: Any, arguments: Mapping[str, Any], tool: str) -> Any:
    if not isinstance(data, dict):
        return data
    html = arguments.get("display_as") != "plaintext"
    # `timeline` first, so a reader of the JSON text meets the ordered thread before the raw parts.
    return {"timeline": [e.to_dict() for e in conversation_timeline(data, html=html)], **data}


def _scroll(data: Any, arguments: Mapping[str, Any], tool: str) -> Any:
    if not isinstance(data, dict):
        return data
    param = data.get("scroll_param")
    if data.get("data") and isinstance(param, str) and param:
        note = (
            f"More companies may follow: call {tool} again now with scroll_param={param!r}. The scroll_param "
            "expires 60 seconds after this answer, and only one scroll can be open per workspace."
        )
        nxt: str | None = param
    else:
        note = (
            "The scroll is finished (`data` is empty) and its scroll_param has expired; start a new scroll, "
            "without scroll_param, only to read every company again."
        )
        nxt = None
    return {"next_scroll_param": nxt, "scroll_note": note, **data}


TRANSFORMS: dict[str, Transform] = {
    "conversation_timeline": Transform(
        _timeline,
        adds={"timeline": {"type": "array", "items": TIMELINE_ENTRY_SCHEMA}},
        note=(
            "The result also has `timeline`: the source message (position 0) and then every conversation part "
            "sorted by time, each with `time` (ISO 8601 UTC) and `created_at` (Unix seconds), `author` (type, "
            "id, name, email), `part_type` and `body` as plain text; read the thread in that order."
        ),
        exports=(("timeline", "TimelineEntry"), ("timeline", "conversation_timeline")),
    ),
    "scroll_next": Transform(
        _scroll,
        adds={"next_scroll_param": {"type": ["string", "null"]}, "scroll_note": {"type": "string"}},
        note=(
            "The result starts with `next_scroll_param` (pass it as `scroll_param` in the next call, at once; "
            "null when the scroll is finished) and `scroll_note`."
        ),
    ),
}
"""Result transforms by name."""


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
