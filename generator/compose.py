"""Contradictory ``allOf``: found before the models module is generated, and settled.

datamodel-code-generator makes an ``allOf`` a class that inherits from a class per
part (and, for a part that is a ``oneOf``/``anyOf``, one such class per branch).
When two parts give one property different types (``id`` is an integer in
``Base`` and a string in ``Named``), no value satisfies both, and the class fails
``mypy --strict`` ("Definition of "id" in base class "Named" is incompatible with
definition in base class "Base""). Real documents have such schemas.

:func:`settle_contradictions` finds them among the schemas of the models module
and, for each, says where and which property, and hands the model generator a
flat object schema instead: every property of every part (a union's branches
contribute theirs as optional), the required ones of the parts that always hold,
and each contradictory property untyped. The model then type-checks and still
names every field; tool schemas are converted from the document itself and are
not affected.

Two property schemas conflict when the Python types the model generator gives
them differ: their JSON types (``integer`` is ``int``, ``number`` is ``float``),
or, for objects, the schema they name. An untyped property conflicts with nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import Diagnostics, location
from .ir import ModelSet
from .load import Document

__all__ = ["settle_contradictions"]

_PREFIX = "#/components/schemas/"


def settle_contradictions(models: ModelSet, doc: Document, diags: Diagnostics) -> ModelSet:
    """``models`` with every contradictory ``allOf`` flattened (see the module docstring)."""
    changed: dict[str, Any] = {}
    for name, schema in models.schemas.items():
        if not isinstance(schema, Mapping) or not isinstance(schema.get("allOf"), list):
            continue
        conflicts = _conflicts(doc, schema)
        if not conflicts:
            continue
        for prop, (first, second) in conflicts.items():
            diags.warning(
                location("components", "schemas", name, "allOf"),
                f"property {prop!r} is {first} and {second}: the parts cannot all hold, "
                "and the model leaves it untyped",
            )
        changed[name] = _flattened(doc, schema, set(conflicts))
    if not changed:
        return models
    return ModelSet({name: changed.get(name, schema) for name, schema in models.schemas.items()}, models.openapi)


Part = tuple[str, Mapping[str, Any]]  # a label (the schema's name, or its place) and the schema


def _label(raw: Any, place: str) -> str:
    ref = raw.get("$ref") if isinstance(raw, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else place


def _parts(doc: Document, schema: Mapping[str, Any], depth: int = 0) -> tuple[list[Part], list[list[Part]]]:
    """The parts that always hold (the schema itself and its ``allOf``, nested ``allOf``
    flattened) and the unions among them (each a list of branches)."""
    always: list[Part] = [("the schema itself", schema)]
    unions: list[list[Part]] = []
    for i, raw in enumerate(schema.get("allOf") or []):
        node = doc.resolve(raw)
        if not isinstance(node, Mapping):
            continue
        if isinstance(node.get("allOf"), list) and depth < 8:
            inner, inner_unions = _parts(doc, node, depth + 1)
            always += inner[1:] if "properties" not in node else inner
            unions += inner_unions
        else:
            always.append((_label(raw, f"allOf[{i}]"), node))
    for _, node in list(always):
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if isinstance(branches, list) and branches:
                unions.append(
                    [(_label(b, f"{key}[{j}]"), doc.resolve(b)) for j, b in enumerate(branches)
                     if isinstance(doc.resolve(b), Mapping)]
                )  # fmt: skip
    return always, unions


def _properties(node: Any) -> Mapping[str, Any]:
    props = node.get("properties") if isinstance(node, Mapping) else None
    return props if isinstance(props, Mapping) else {}


def _conflicts(doc: Document, schema: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Property -> the two types that clash (with the parts that give them), across the
    parts that hold together."""
    always, unions = _parts(doc, schema)
    seen: dict[str, tuple[str, str]] = {}
    out: dict[str, tuple[str, str]] = {}

    def meet(prop: str, sub: Any, label: str, against: dict[str, tuple[str, str]]) -> None:
        kind = _kind(doc, sub)
        if kind is None or prop in out:
            return
        if prop in against and against[prop][0] != kind:
            first, where = against[prop]
            out[prop] = (f"{_describe(first)} in {where}", f"{_describe(kind)} in {label}")
        against.setdefault(prop, (kind, label))

    for label, part in always:
        for prop, sub in _properties(part).items():
            meet(prop, sub, label, seen)
    for branches in unions:
        for label, branch in branches:
            local = dict(seen)  # a branch holds together with the parts, not with its siblings
            for prop, sub in _properties(branch).items():
                meet(prop, sub, label, local)
    return out


def _kind(doc: Document, sub: Any, depth: int = 0) -> str | None:
    """The Python-type identity of a property schema; None for an untyped one."""
    if isinstance(sub, Mapping) and isinstance(sub.get("$ref"), str):
        target = doc.resolve(sub)
        if isinstance(target, Mapping) and _is_object(target):
            return "object " + str(sub["$ref"])
        return _kind(doc, target, depth + 1) if depth < 8 else None
    if not isinstance(sub, Mapping):
        return None
    types = sub.get("type")
    names = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str) and t != "null"]
    if not names:
        return None
    if names == ["array"]:
        inner = _kind(doc, sub.get("items"), depth + 1) if depth < 8 else None
        return f"array of {inner}" if inner else "array"
    if names == ["object"] and _properties(sub):
        return "object " + json.dumps(sub, sort_keys=True, default=str)
    return " or ".join(sorted(names))


def _is_object(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" or (node.get("type") is None and ("properties" in node or "allOf" in node))


def _describe(kind: str) -> str:
    if kind.startswith("object #/"):
        return f"a {kind[len('object ') :].removeprefix(_PREFIX)} object"
    if kind.startswith("object {"):
        return "an inline object"
    return kind


def _flattened(doc: Document, schema: Mapping[str, Any], untyped: set[str]) -> dict[str, Any]:
    """One object schema holding every part's properties; ``untyped`` ones say nothing."""
    always, unions = _parts(doc, schema)
    props: dict[str, Any] = {}
    required: list[str] = []
    for _, part in always:
        for prop, sub in _properties(part).items():
            props.setdefault(prop, sub)
        required += [r for r in part.get("required") or [] if isinstance(r, str) and r not in required]
    for branches in unions:
        for _, branch in branches:
            for prop, sub in _properties(branch).items():
                props.setdefault(prop, sub)
    for prop in untyped:
        props[prop] = {"description": "Typed differently by the parts of the document's allOf."}
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = [r for r in required if r in props]
    if isinstance(schema.get("description"), str):
        out["description"] = schema["description"]
    return out
