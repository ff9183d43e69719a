"""The Python annotation of a value of a schema: what client methods declare.

A value typed by a generated model is annotated with a model reference
(:func:`generator.ir.model_ref`, resolved at render); requests also accept a plain
dict where a model goes. Unions become ``A | B``, arrays ``Sequence[...]`` in
requests and ``builtins.list[...]`` in answers; what has no expressible type is
``Any``. The depth is bounded: a deeply nested schema is ``Any`` below six levels.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from .ir import model_ref
from .load import Document

__all__ = ["py_type"]

Direction = Literal["request", "response"]


def py_type(doc: Document, models: Collection[str], node: Any, direction: Direction, depth: int = 0) -> str:
    """The annotation for a value of this schema (``Any`` when not expressible)."""
    if depth > 6 or not isinstance(node, Mapping):
        return "Any"
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = doc.resolve(node)
        if ref in models and isinstance(target, Mapping) and _is_object(target):
            return model_ref(ref) + (" | dict[str, Any]" if direction == "request" else "")
        return py_type(doc, models, target, direction, depth + 1)
    nullable = node.get("nullable") is True
    types = node.get("type")
    if isinstance(types, list):
        nullable = nullable or "null" in types
        types = [t for t in types if t != "null"]
        if len(types) > 1:  # ``[object, string]``: the union of each type's annotation
            parts: list[str] = []
            for t in types:
                for piece in _base_type(doc, models, node, t, direction, depth).split(" | "):
                    if piece not in parts:
                        parts.append(piece)
            base = "Any" if "Any" in parts else " | ".join(parts)
            return f"{base} | None" if nullable and base != "Any" else base
        types = types[0] if types else None
    base = _base_type(doc, models, node, types, direction, depth)
    if nullable and base not in ("Any", "None"):
        return f"{base} | None"
    return base


def _base_type(
    doc: Document, models: Collection[str], node: Mapping[str, Any], t: Any, direction: Direction, depth: int
) -> str:
    enum = node.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str | int) and not isinstance(v, bool) for v in enum):
        return "Literal[" + ", ".join(repr(v) for v in enum) + "]"
    if "const" in node and isinstance(node["const"], str | int) and not isinstance(node["const"], bool):
        return f"Literal[{node['const']!r}]"
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            parts: list[str] = []
            for sub in node[key]:
                p = py_type(doc, models, sub, direction, depth + 1)
                if p == "Any":
                    return "Any"
                for piece in p.split(" | "):
                    if piece not in parts:
                        parts.append(piece)
            return " | ".join(parts) if parts else "Any"
    if t == "string":
        return "str"
    if t == "integer":
        return "int"
    if t == "number":
        return "float"
    if t == "boolean":
        return "bool"
    if t == "array":
        inner = py_type(doc, models, node.get("items", {}), direction, depth + 1)
        # ``builtins.list``: a resource method may itself be called ``list``.
        return f"Sequence[{inner}]" if direction == "request" else f"builtins.list[{inner}]"
    if t == "object" or isinstance(node.get("properties"), Mapping):
        return "dict[str, Any]"
    return "Any"


def _is_object(node: Mapping[str, Any]) -> bool:
    """Whether every non-null value of ``node`` is an object (so one model class types it).

    A type array that also admits a scalar (Desk365's deletes answer ``[object, string]``)
    is not: its values are typed as the union of the plain types instead."""
    t = node.get("type")
    if isinstance(t, list):
        return [x for x in t if x != "null"] == ["object"]
    return t == "object" or (t is None and ("properties" in node or "allOf" in node))
