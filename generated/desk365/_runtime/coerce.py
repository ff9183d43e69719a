# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Arguments as assistants write them: the unambiguous forms, turned into the schema's.

Models copy identifiers from one result into the next call, and the same id is a
string of digits in one answer and a number in another (Intercom's conversation
``"id": "10934855"``; a Desk365 ``ticket_number`` read out of a sentence as
``"8992"``). Client tools (the MCP Inspector's ``--tool-arg ticket_count=30``) send
numbers where a string enum is declared. Refusing such a call costs a turn and
teaches the model nothing, so before validation :func:`coerce_arguments` turns a
value into the form the tool's input schema declares, where the meaning cannot
change:

==================  =================================================  ===================
schema says         value given                                        becomes
==================  =================================================  ===================
``integer``         a string of digits (``"8992"``, ``"-3"``)          ``8992``, ``-3``
``number``          a decimal string (``"2.5"``, ``"1e3"``)            ``2.5``, ``1000.0``
``string``          an integer (``30``; ``"30"`` in an enum too)       ``"30"``
``boolean``         ``"true"`` / ``"false"`` (any letter case)         ``True`` / ``False``
``array``           one value of the items' type                       a list of that value
``object``          a string holding a JSON object                     that object
==================  =================================================  ===================

Nothing else is coerced: not a float to an integer (``2.5`` stays a refused
``2.5``), not digits with a leading zero, spaces or separators (``"007"``,
``" 8"``, ``"1,000"``: an id or a number written that way is ambiguous), not a
number to a boolean. A union (``anyOf`` / ``oneOf``) is left alone when the value
already has one of its branches' types, and otherwise coerced only when exactly
one branch can take it. The coerced value is then validated as usual, and it is
what is sent, so the request stays exactly what the document describes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["coerce_arguments", "coerce_value"]

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_PY = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list}


def coerce_arguments(schema: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` with every value in the form ``schema`` (a tool's input schema) declares
    where that is unambiguous (see the module docstring); other values are left as given."""
    out = dict(arguments)
    props = schema.get("properties")
    if isinstance(props, Mapping):
        for name, value in arguments.items():
            if name in props:
                out[name] = coerce_value(props[name], value, schema)
    return out


def coerce_value(node: Any, value: Any, root: Mapping[str, Any]) -> Any:
    """``value`` coerced towards ``node`` (a schema inside ``root``, for local ``$ref``s)."""
    node = _resolve(node, root)
    if not isinstance(node, Mapping) or value is None:
        return value
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list):
            return _union(branches, value, root)
    types = _types(node)
    if isinstance(value, dict) and "object" in types:
        return _object(node, value, root)
    if isinstance(value, list) and "array" in types:
        return [coerce_value(node.get("items"), v, root) for v in value]
    if any(_has_type(value, t) for t in types) or len(types) != 1:
        return value
    return _scalar(node, types[0], value, root)


def _resolve(node: Any, root: Mapping[str, Any]) -> Any:
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 32:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, Mapping) else None
        node, seen = target, seen + 1
    return node


def _types(node: Mapping[str, Any]) -> list[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if t != "null"]
    if "properties" in node:
        return ["object"]
    if "enum" in node and isinstance(node["enum"], list):
        kinds = {_json_type(v) for v in node["enum"] if v is not None}
        return sorted(kinds) if len(kinds) == 1 else []
    return []


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "null"


def _has_type(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    return isinstance(value, _PY.get(kind, ()))  # type: ignore[arg-type]


def _object(node: Mapping[str, Any], value: dict[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    found = node.get("properties")
    props: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    extra = node.get("additionalProperties")
    out = {}
    for key, item in value.items():
        sub = props.get(key) if key in props else (extra if isinstance(extra, Mapping) else None)
        out[key] = coerce_value(sub, item, root) if sub is not None else item
    return out


def _scalar(node: Mapping[str, Any], kind: str, value: Any, root: Mapping[str, Any]) -> Any:
    if kind == "integer" and isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    if kind == "number" and isinstance(value, str) and _NUMBER.fullmatch(value):
        return int(value) if _INTEGER.fullmatch(value) else float(value)
    if kind == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind == "array" and not isinstance(value, dict | list):
        item = coerce_value(node.get("items"), value, root)
        item_types = _types(_resolve(node.get("items") or {}, root) or {})
        return [item] if not item_types or any(_has_type(item, t) for t in item_types) else value
    if kind == "object" and isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return _object(node, parsed, root) if isinstance(parsed, dict) else value
    return value


def _union(branches: list[Any], value: Any, root: Mapping[str, Any]) -> Any:
    resolved = [_resolve(b, root) for b in branches]
    kinds = [t for b in resolved if isinstance(b, Mapping) for t in _types(b)]
    if value is None or any(_has_type(value, t) for t in kinds):
        if isinstance(value, dict | list):  # reach inside with the branch of its own type
            same = [b for b in resolved if isinstance(b, Mapping) and any(_has_type(value, t) for t in _types(b))]
            return coerce_value(same[0], value, root) if len(same) == 1 else value
        return value
    found: list[Any] = []
    for branch in resolved:
        if not isinstance(branch, Mapping):
            continue
        candidate = coerce_value(branch, value, root)
        if candidate is not value and any(_has_type(candidate, t) for t in _types(branch)):
            if not any(candidate == f and type(candidate) is type(f) for f in found):
                found.append(candidate)
    return found[0] if len(found) == 1 else value
