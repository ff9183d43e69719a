"""Output schemas: a response schema loosened to what a client should check.

An MCP tool's ``outputSchema`` is checked by clients against every result, and
listed with the tool on every turn. A document's response schema is neither
made nor meant for that: vendors omit fields it requires, send formats it does
not name, and describe every nested field at length. :func:`loosen` therefore
keeps the shape of an answer (its members and their types, one object level
deep) and drops every constraint that could fail a good answer and every byte a
model does not need (see its docstring for the rules, and the runtime's
``results`` module for the compaction that lets members drop ``null``).

:func:`loosen_output` is what :meth:`generator.schema.Converter.output_schema`
calls: it loosens a converted response schema, then shares its repeated large
parts through the tool schema's ``$defs`` (after loosening and on identical
content only, so a shared schema says exactly what each copy said at its own
depth; ``labels`` maps the dicts that were copies of a ``$ref`` target to that
reference, which names the entry: :mod:`generator.defs`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from .defs import def_name, prune_defs, reachable

__all__ = ["SHARE_MIN_OUTPUT", "loosen", "loosen_output"]

SHARE_MIN_OUTPUT = 300
"""Bytes of JSON from which a repeated part of an output schema is shared through ``$defs``."""


def loosen_output(root: dict[str, Any], labels: Mapping[int, str]) -> dict[str, Any]:
    """The loosened output schema of a converted response schema ``root`` (its ``$defs``
    attached), with repeated large parts shared and unused ``$defs`` dropped."""
    found: dict[int, tuple[str, dict[str, Any]]] = {}
    out: dict[str, Any] = _loosen(root, 0, labels, found, "member")
    _share(out, found)
    if "$defs" in out:  # a deferred schema (``Converter._materialize``) that loosening cut away is not sent
        out = prune_defs(out)
    return out


_OUTPUT_DROP = ("required", "description", "default", "pattern", "minLength", "maxLength", "format")


def loosen(node: Any, depth: int = 0) -> Any:
    """An output schema that accepts what real APIs send, costs few bytes and is portable.

    No ``required`` lists, no closed objects and no string constraints, so a field
    the upstream omits or formats differently never fails a good answer; no
    descriptions. Only the answer's own fields are named: a nested object, also the
    items of a list, is only typed (arrays do not count as a level, so a list's items
    are typed ``object``). The full answer is in the result either way, while every
    byte of ``tools/list`` is paid on every turn (the get tool names the fields of
    the items a list tool returns).

    Results are compacted before they are sent (the runtime's ``results`` module drops
    null and empty members of every object), so a member is typed without ``null``:
    ``{"type": ["string", "null"]}`` in the document becomes ``{"type": "string"}``.
    A list item may still be null and keeps it, as ``anyOf`` branches of single
    types, like any value of several types: clients that map schemas onto a
    single-``type`` dialect accept that, where a type array or a bare ``true`` schema
    fails the MCP Inspector's portability check. A member the document does not type
    at all is ``{}``.
    """
    return _loosen(node, depth, {}, {}, "member")


Slot = Literal["member", "item"]


def _loosen(
    node: Any, depth: int, labels: Mapping[int, str], found: dict[int, tuple[str, dict[str, Any]]], slot: Slot
) -> Any:
    """:func:`loosen` at object level ``depth`` for a value in ``slot`` (an object's member
    or a list's item); a result made from a dict in ``labels`` (a converted ``$ref``
    target) is recorded in ``found`` with its reference."""
    if isinstance(node, list):
        return [_loosen(n, depth, labels, found, slot) for n in node]
    if not isinstance(node, dict):
        return {} if node is True else node
    if depth >= 1 and ("properties" in node or "$ref" in node):
        return _portable({k: node[k] for k in ("type",) if k in node}, slot)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _OUTPUT_DROP or (key == "additionalProperties" and isinstance(value, bool)):
            continue
        if key in ("properties", "$defs"):
            out[key] = {k: _loosen(v, depth + 1, labels, found, "member") for k, v in value.items()}
        elif key == "items":
            out[key] = _loosen(value, depth, labels, found, "item")
        else:  # anyOf, ...: the same level and slot
            out[key] = _loosen(value, depth, labels, found, slot)
    loosened = _portable(_merge_types(out), slot) if depth >= 1 else out  # the root stays an object schema
    if id(node) in labels and isinstance(loosened, dict):
        found[id(loosened)] = (labels[id(node)], loosened)
    return loosened


def _merge_types(node: dict[str, Any]) -> Any:
    """``{"anyOf": [{"type": "object"}, {"type": "null"}]}`` -> ``{"type": ["object", "null"]}``
    (made portable again by :func:`_portable`); an ``anyOf`` with an untyped branch
    accepts anything: ``{}``."""
    branches = node.get("anyOf")
    if set(node) != {"anyOf"} or not isinstance(branches, list):
        return node
    if any(b is True or b == {} for b in branches):
        return {}
    if not all(isinstance(b, dict) and set(b) == {"type"} for b in branches):
        return node
    types: list[Any] = []
    for b in branches:
        for t in b["type"] if isinstance(b["type"], list) else [b["type"]]:
            if t not in types:
                types.append(t)
    return {"type": types}


def _portable(node: Any, slot: Slot) -> Any:
    """A loosened member or item schema without a type array: a member drops ``null``
    (compacted results have no null members); what still has several types becomes
    ``anyOf`` branches of one type each."""
    if not isinstance(node, dict):
        return node
    types = node.get("type")
    if slot == "member":
        if isinstance(types, list) and "null" in types:
            types = [t for t in types if t != "null"]
            node = {**node, "type": types[0] if len(types) == 1 else types}
            if not types:
                node.pop("type")
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            node = {**node, "enum": [v for v in node["enum"] if v is not None]}
    types = node.get("type")
    if isinstance(types, list):
        rest = {k: v for k, v in node.items() if k != "type"}
        branches = [{"type": t} for t in types]
        node = {"anyOf": branches, **rest} if rest else {"anyOf": branches}
        if len(branches) == 1:
            node = {**rest, "type": types[0]}
    return node


def _share(root: dict[str, Any], found: Mapping[int, tuple[str, dict[str, Any]]]) -> None:
    """Move repeated large subschemas of a loosened output schema into ``$defs``.

    Done after loosening, on identical content only, so every shared schema says
    exactly what its copies said at their own depth.
    """
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for ref, node in found.values():
        if node is not root:
            key = json.dumps(node, sort_keys=True, default=str)
            if len(key) >= SHARE_MIN_OUTPUT:
                groups.setdefault(key, []).append((ref, node))
    for key in sorted(groups, key=lambda k: (-len(k), k)):
        defs = root.get("$defs") or {}
        found_now = reachable(root, {})
        uses = [(ref, node) for ref, node in groups[key] if id(node) in found_now]
        if len(uses) < 2:
            continue
        name = def_name(uses[0][0], defs)
        defs[name] = dict(uses[0][1])
        for _, node in uses:
            node.clear()
            node["$ref"] = f"#/$defs/{name}"
        root["$defs"] = dict(sorted(defs.items()))
