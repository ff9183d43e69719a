"""What kind of value a raw schema describes, before conversion.

The builder decides how a parameter or a form field can travel from the shape of
its schema (:func:`shape`: scalar, array, object, or any), and whether an object
can be spread into separate query parameters (:func:`flat_object`). Both read the
document's raw schemas, following ``$ref``s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .load import Document

__all__ = ["flat_object", "shape"]

_SCALARS = ("string", "integer", "number", "boolean", "null")


def shape(doc: Document, node: Any, depth: int = 0) -> str:
    """What kind of value a (raw) schema describes: ``scalar``, ``array``, ``object``,
    or ``any`` when it does not say or allows several kinds.

    Parameters need this: the runtime serialises scalars and arrays of scalars; an
    object parameter must be expanded into its properties or refused.
    """
    node = doc.resolve(node)
    if not isinstance(node, Mapping) or depth > 8:
        return "any"
    t = node.get("type")
    if isinstance(t, list):
        kinds = {shape(doc, {**node, "type": x}, depth + 1) for x in t if x != "null"}
        return kinds.pop() if len(kinds) == 1 else ("scalar" if not kinds else "any")
    if t in _SCALARS:
        return "scalar"
    if t == "array":
        return "array"
    if t == "object" or "properties" in node or "additionalProperties" in node:
        return "object"
    if "items" in node:
        return "array"
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(node.get(key), list) and node[key]:
            kinds = {shape(doc, sub, depth + 1) for sub in node[key]}
            return kinds.pop() if len(kinds) == 1 else "any"
    if "enum" in node or "const" in node:
        return "scalar"
    return "any"


def flat_object(doc: Document, node: Any) -> tuple[dict[str, Any], list[str], list[tuple[str, ...]]] | None:
    """The properties of an object schema whose values are all scalars or arrays of scalars.

    Returns ``(properties, required, branches)``: raw property schemas by name, the
    names every value must have, and for a ``oneOf`` the names each branch requires.
    ``None`` for a free-form map or a property that is itself an object: such a
    value has no flat form.
    """
    node = doc.resolve(node)
    if not isinstance(node, Mapping):
        return None
    props: dict[str, Any] = {}
    required: list[str] = []
    branches: list[tuple[str, ...]] = []
    for part in [node, *[doc.resolve(p) for p in node.get("allOf") or []]]:
        if not isinstance(part, Mapping):
            return None
        props.update(part.get("properties") or {})
        required += [r for r in part.get("required") or [] if r not in required]
    for key in ("oneOf", "anyOf"):
        for branch in node.get(key) or []:
            branch = doc.resolve(branch)
            if not isinstance(branch, Mapping):
                return None
            props.update(branch.get("properties") or {})
            if key == "oneOf":
                branches.append(tuple(str(r) for r in branch.get("required") or []))
    if not props:
        return None
    for sub in props.values():
        kind = shape(doc, sub)
        if kind == "object" or (kind == "array" and shape(doc, doc.resolve(sub).get("items", {})) == "object"):
            return None
    return props, [r for r in required if r in props], branches
