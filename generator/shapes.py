"""What kind of value a schema or a body describes: the builder's questions about shapes.

The builder decides how a parameter or a form field can travel from the shape of
its schema (:func:`shape`: scalar, array, object, or any), and whether an object
can be spread into separate query parameters (:func:`flat_object`). Both read the
document's raw schemas, following ``$ref``s.

For bodies, :func:`media_kind` says how a body of a media type travels (JSON,
multipart, urlencoded form, text or bytes), :func:`is_binary` whether a schema is
raw file content (a file argument, :data:`FILE_SCHEMA` in a tool schema), and
:func:`object_view` reads a *converted* object schema (``generator.schema``) as
flat properties plus the "exactly one of" / "at least one of" groups the runtime
enforces, which is what lets a body's properties become separate arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .load import Document

__all__ = ["FILE_SCHEMA", "ObjectView", "flat_object", "is_binary", "media_kind", "object_view", "shape"]

_SCALARS = ("string", "integer", "number", "boolean", "null")

FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "filename": {"type": "string", "minLength": 1},
        "content_type": {"type": "string"},
        "content_base64": {"type": "string", "contentEncoding": "base64"},
    },
    "required": ["filename", "content_base64"],
    "additionalProperties": False,
}
"""The tool-schema form of a file argument: what an MCP caller sends for a file part
(the runtime's ``files`` decodes it)."""


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


def media_kind(media: str) -> str:
    """How a body of this media type travels: ``json``, ``multipart``, ``form``
    (urlencoded), ``text`` (a string) or ``binary`` (bytes). Parameters such as
    ``; charset=utf-8`` and letter case do not matter."""
    base = media.split(";")[0].strip().lower()
    if "json" in base:
        return "json"
    if base == "multipart/form-data":
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("text/") or base == "application/xml" or base.endswith("+xml"):
        return "text"
    return "binary"


def is_binary(node: Mapping[str, Any]) -> bool:
    """True for a schema describing raw file content."""
    return node.get("type") == "string" and (
        node.get("format") in ("binary", "byte-stream") or node.get("contentMediaType") == "application/octet-stream"
    )


class ObjectView(NamedTuple):
    """The flat view of an object schema: its properties and required names, and the
    groups of which exactly one / at least one must be given."""

    properties: dict[str, Any]
    required: list[str]
    exactly_one: tuple[tuple[str, ...], ...]
    at_least_one: tuple[tuple[str, ...], ...]


def object_view(node: Mapping[str, Any]) -> ObjectView | None:
    """The flat view of a converted object schema, if it has one.

    Also when it is an ``allOf`` of objects. A top-level ``oneOf`` whose branches
    only say which properties are required ("give file or files") is an "exactly one
    of" group, an ``anyOf`` of such branches ("give an email, an external_id or a
    role") an "at least one of" group, both enforced by the runtime. Anything else
    (a real ``oneOf`` of shapes, a free-form map) has no flat view: ``None``.
    """
    props: dict[str, Any] = {}
    required: list[str] = []
    parts = [node]
    if isinstance(node.get("allOf"), list) and set(node) <= {
        "allOf",
        "description",
        "type",
        "required",
        "properties",
        "additionalProperties",
    }:
        parts = [node, *node["allOf"]]
    for part in parts:
        if not isinstance(part, Mapping):
            return None
        t = part.get("type")
        if t not in (None, "object") and part is not node:
            return None
        props.update(part.get("properties") or {})
        required += [r for r in part.get("required") or [] if r not in required]
    if not props:
        return None
    groups: dict[str, list[tuple[str, ...]]] = {"oneOf": [], "anyOf": []}
    for key in groups:
        branches = node.get(key)
        if branches is None:
            continue
        if not isinstance(branches, list) or not all(isinstance(b, Mapping) and set(b) <= {"required"}
                                                     for b in branches):  # fmt: skip
            return None
        groups[key].append(tuple(r for b in branches for r in b.get("required", [])))
    return ObjectView(props, required, tuple(groups["oneOf"]), tuple(groups["anyOf"]))
