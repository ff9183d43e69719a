"""Result views: how a tool's answer is shaped for the model, decided per tool.

The runtime's ``results`` module applies a :class:`~generator.runtime.spec.View`;
this module decides it from the operation and its curation (``x-tool.view``,
``x-tool.paging``), together with the output schema of the shaped answer and the
one sentence of the tool description that tells the model about it:

* every answer is compacted (no null or empty members), so output schemas type
  members without ``null``;
* a write tool (one that is not read-only) whose answer is an object answers with
  a confirmation: the members ``x-tool.view.confirm`` names, else the
  identifier-like ones (``id``, ``*_id``, ``*_number``, ``type``, ``state``,
  ``status``, ``message``), else the scalar ones, plus those the call set; the
  output schema names just those. A search sent by POST (its last path segment or
  operationId says search, query, find or lookup, and its answer holds a list of
  items) is not a write: it reads;
* a read tool whose answer is an object gets a projection argument (``fields``,
  or another name when the operation has a ``fields`` of its own) and leaves out
  the members ``x-tool.view.omit`` marks bulky; its list of items (``x-tool.view.items``,
  else the answer's only list of objects) is what the result budget cuts, and a
  curated ``paging`` adds ``has_more`` and ``next`` (the next call's arguments).

Documents without curation get the generic rules: compaction, confirmations,
projection and the budget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..curation import XTool
from ..defs import prune_defs
from ..errors import Diagnostics, location
from ..ir import Argument
from ..runtime.spec import Paging, View

__all__ = ["result_view"]

_IDENTIFIER = re.compile(r"^(id|number|type|state|status|message)$|_(id|number)$")
_ADDED = ("has_more", "next", "truncated")  # the members a read view may add
_PROJECTION_NAMES = ("fields", "view_fields", "result_fields")


def result_view(
    *,
    xtool: XTool | None,
    read_only: bool,
    output_schema: dict[str, Any] | None,
    transform: str | None,
    arguments: Sequence[Argument],
    where: str,
    diags: Diagnostics,
    searches: bool = False,
) -> tuple[View, Paging | None, dict[str, Any] | None, str]:
    """The view, how the operation pages, the output schema of the shaped answer and the
    description sentence. The projection argument (``view.fields``) is the caller's to add
    to the input schema."""
    props = (output_schema or {}).get("properties")
    names = [a.name for a in arguments]
    if not isinstance(props, dict) or output_schema is None:
        return View(), None, output_schema, ""
    if not read_only and not (searches and _only_list(props) is not None):  # a search by POST reads
        if transform or not props:
            return View(), None, output_schema, ""
        keep = _confirm(xtool, props)
        shown = {name: sub for name, sub in props.items() if name in keep or name in names}
        # the output schema names what the confirmation holds: no sentence needed
        return View(write=True, keep=keep), None, prune_defs({**output_schema, "properties": shown}), ""
    curated = xtool.view if xtool else None
    items = (curated.items if curated else None) or _only_list(props)
    omit = tuple(curated.omit) if curated else ()
    fields = next(n for n in _PROJECTION_NAMES if n not in names)
    paging = _paging(xtool, arguments, props, items, where, diags)
    # The members the view adds (``truncated``, ``has_more``, ``next``) are not declared: output
    # schemas are open, and the description's sentence names them once, for fewer bytes.
    view = View(omit=omit, items=items, fields=fields)
    return view, paging, output_schema, _sentence(view, paging is not None)


def _confirm(xtool: XTool | None, props: Mapping[str, Any]) -> tuple[str, ...]:
    if xtool and xtool.view.confirm:
        return tuple(xtool.view.confirm)
    keep = tuple(name for name in props if _IDENTIFIER.search(name))
    if keep:
        return keep
    return tuple(name for name, sub in props.items() if isinstance(sub, dict) and sub.get("type") in _SCALARS)


_SCALARS = ("string", "integer", "number", "boolean")


def _only_list(props: Mapping[str, Any]) -> str | None:
    """The answer's only member that is a list of objects, if it has exactly one."""
    found = [
        name
        for name, sub in props.items()
        if isinstance(sub, dict) and sub.get("type") == "array" and (sub.get("items") or {}).get("type") == "object"
    ]
    return found[0] if len(found) == 1 else None


def _paging(
    xtool: XTool | None,
    arguments: Sequence[Argument],
    props: Mapping[str, Any],
    items: str | None,
    where: str,
    diags: Diagnostics,
) -> Paging | None:
    spec = xtool.paging if xtool else None
    if spec is None or spec.style == "scroll":  # a scroll pages through its own quirk plug-in
        return None
    argument = spec.offset if spec.style == "offset" else spec.cursor
    if not argument:
        return None
    clash = [k for k in _ADDED if k in props]
    if clash:
        diags.warning(location(where, "x-tool", "paging"), f"the answer has its own {clash[0]!r}; no paging view")
        return None
    by_name = {a.name: a for a in arguments}
    head = argument.split(".")[0]
    schema = by_name[head].schema if head in by_name else {}
    for part in argument.split(".")[1:]:
        schema = (schema.get("properties") or {}).get(part) or {}
    size_arg = by_name.get((spec.size or "").split(".")[0])
    size = spec.fixed_size or spec.default_size
    if size is None and size_arg is not None and spec.size and "." not in spec.size:
        default = size_arg.schema.get("default")
        size = int(default) if isinstance(default, int | str) and str(default).isdigit() else None
    return Paging(
        style=spec.style,
        argument=argument,
        size_argument=spec.size,
        size=size,
        next=spec.next,
        text="string" in _types(schema),
        items=items,
    )


def _types(schema: Mapping[str, Any]) -> list[str]:
    """The JSON types a schema admits: ``type`` (one or a list), else its branches'."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if isinstance(t, str)]
    branches = schema.get("anyOf") or schema.get("oneOf") or []
    return [t for b in branches if isinstance(b, Mapping) for t in _types(b)]


def _sentence(view: View, paged: bool) -> str:
    """The one short sentence that tells the model about the view."""
    text = "Compact result (no empty members"
    if view.omit:
        named = ", ".join(f"`{o}`" for o in view.omit[:3])
        more = f" and {len(view.omit) - 3} more output-schema members" if len(view.omit) > 3 else ""
        text += f"; {named}{more} only on request"
    text += f"); `{view.fields}` picks members (`*`: all)"
    if view.items:
        text += "; long lists are cut (`truncated`)"
    if paged:
        text += "; `next`: the next call's arguments"
    return text + "."
