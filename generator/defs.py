"""The ``$defs`` of a tool schema: their names, what is still reached, what is not.

A tool schema stands alone, so a schema that is not inlined (one that refers back
to itself, one too large to copy, one repeated often enough to share) is stored
once under the tool schema's own ``$defs`` and referenced as ``#/$defs/<name>``.
Three steps place schemas there (conversion and request sharing in
:mod:`generator.schema`, output sharing in :mod:`generator.loosen`) and one may
take them away (the size budget, :mod:`generator.budget`); this module is what
they share:

* :func:`def_name`: the name for a reference, from the last segment of its
  pointer with what a name may not hold replaced, and a number when that is
  taken (``Ticket``, then ``Ticket2``, ``Ticket3``, ...; never a hash: a model
  reads these names);
* :func:`reachable`: the dicts a schema still reaches, by identity, so a repeat
  that an earlier sharing already replaced is not counted again;
* :func:`prune_defs`: the schema without the ``$defs`` nothing refers to any more.

All three walk with an explicit stack: a document may nest deeper than Python's
recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

__all__ = ["def_name", "prune_defs", "reachable"]

_REF_NAME = re.compile(r"[^0-9A-Za-z_.-]+")


def def_name(ref: str, taken: Container[str]) -> str:
    """A ``$defs`` name for the schema at ``ref`` that is not in ``taken``."""
    base = _REF_NAME.sub("_", ref.rsplit("/", 1)[-1]) or "Schema"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


def reachable(root: dict[str, Any], defs: Mapping[str, Any]) -> set[int]:
    """The ids of every dict reachable from ``root`` and ``defs``."""
    seen: set[int] = set()
    stack: list[Any] = [root, *defs.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return seen


def prune_defs(root: dict[str, Any]) -> dict[str, Any]:
    """``root`` without the ``$defs`` entries nothing in it refers to any more."""
    defs = root.get("$defs")
    if not isinstance(defs, dict):
        return root
    used: set[str] = set()
    stack: list[Any] = [{k: v for k, v in root.items() if k != "$defs"}]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] not in used:
                used.add(ref[8:])
                stack.append(defs.get(ref[8:]))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(node)
    kept = {name: sub for name, sub in defs.items() if name in used}
    out = {k: v for k, v in root.items() if k != "$defs"}
    if kept:
        out["$defs"] = kept
    return out
