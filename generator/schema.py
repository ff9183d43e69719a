"""JSON Schema conversion: OpenAPI schema objects -> self-contained tool schemas.

MCP tool schemas must stand alone (no ``#/components`` to point at), be plain
JSON Schema 2020-12, and stay small, because every byte of ``tools/list`` is read
by the model on every turn. The converter therefore:

* inlines ``$ref``s, except where a schema refers back to itself: a recursive
  schema goes into the tool schema's ``$defs`` once and is referenced from there,
  so it never expands without end;
* turns OpenAPI 3.0 dialect into JSON Schema (``nullable``, boolean
  ``exclusiveMinimum``) and drops what a validator or a model cannot use
  (``example``, ``xml``, ``discriminator``, ``x-*`` extensions, titles);
* drops ``readOnly`` properties from request schemas and ``writeOnly`` ones from
  response schemas.

It also computes the Python annotation of an argument (``py_type``), naming
generated model classes by the map it is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from .load import Document, pointer

__all__ = ["Converter", "FILE_SCHEMA", "object_view", "loosen", "is_binary"]

Direction = Literal["request", "response"]

FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A file: its name, media type and content in base64.",
    "properties": {
        "filename": {"type": "string", "minLength": 1},
        "content_type": {"type": "string", "default": "application/octet-stream"},
        "content_base64": {"type": "string", "contentEncoding": "base64"},
    },
    "required": ["filename", "content_base64"],
    "additionalProperties": False,
}

_KEEP = (
    "type", "enum", "const", "format", "pattern", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "default", "description", "contentMediaType", "contentEncoding",
)  # fmt: skip
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_REF_NAME = re.compile(r"[^0-9A-Za-z_.-]+")


def is_binary(node: Mapping[str, Any]) -> bool:
    """True for a schema describing raw file content."""
    return node.get("type") == "string" and (
        node.get("format") in ("binary", "byte-stream") or node.get("contentMediaType") == "application/octet-stream"
    )


class Converter:
    """Converts schemas of one document; ``begin`` / ``finish`` bracket one tool."""

    def __init__(self, doc: Document, model_classes: Mapping[str, str]) -> None:
        self.doc = doc
        self.model_classes = model_classes
        self._defs: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, str] = {}

    # -- tool-level bracketing -------------------------------------------------
    def begin(self) -> None:
        self._defs = {}
        self._pending = {}

    def finish(self, root: dict[str, Any], direction: Direction) -> dict[str, Any]:
        """Attach the ``$defs`` that recursive references of this tool need."""
        done: set[str] = set()
        while len(done) < len(self._pending):
            for ref, name in list(self._pending.items()):
                if ref in done:
                    continue
                done.add(ref)
                self._defs[name] = self._convert(pointer(self.doc.raw, ref), direction, (ref,))
        if self._defs:
            root = {**root, "$defs": dict(sorted(self._defs.items()))}
        return root

    # -- conversion ----------------------------------------------------------------
    def convert(self, node: Any, direction: Direction) -> dict[str, Any]:
        return self._convert(node, direction, ())

    def _def_name(self, ref: str) -> str:
        name = self._pending.get(ref)
        if name is None:
            base = _REF_NAME.sub("_", ref.rsplit("/", 1)[-1]) or "Schema"
            name = base
            taken = set(self._pending.values())
            n = 2
            while name in taken:
                name, n = f"{base}{n}", n + 1
            self._pending[ref] = name
        return name

    def _convert(self, node: Any, direction: Direction, stack: tuple[str, ...]) -> Any:
        if not isinstance(node, Mapping):
            return {} if node is True or node is None else node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return {"$ref": f"#/$defs/{self._def_name(ref)}"}
            target = self._convert(pointer(self.doc.raw, ref), direction, stack + (ref,))
            if "description" in node and isinstance(target, dict):
                target = {**target, "description": node["description"]}
            return target
        out: dict[str, Any] = {}
        for key in _KEEP:
            if key in node:
                out[key] = node[key]
        if "items" in node:
            out["items"] = self._convert(node["items"], direction, stack)
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                out[key] = [self._convert(s, direction, stack) for s in node[key]]
        if isinstance(node.get("not"), Mapping):
            out["not"] = self._convert(node["not"], direction, stack)
        if isinstance(node.get("properties"), Mapping):
            skip = "readOnly" if direction == "request" else "writeOnly"
            props: dict[str, Any] = {}
            for name, sub in node["properties"].items():
                resolved = self.doc.resolve(sub)
                if isinstance(resolved, Mapping) and resolved.get(skip) is True:
                    continue
                props[name] = self._convert(sub, direction, stack)
            out["properties"] = props
            if isinstance(node.get("required"), list):
                required = [r for r in node["required"] if r in props]
                if required:
                    out["required"] = required
                else:
                    out.pop("required", None)
        elif isinstance(node.get("required"), list):
            out["required"] = list(node["required"])
        extra = node.get("additionalProperties")
        if isinstance(extra, bool):
            out["additionalProperties"] = extra
        elif isinstance(extra, Mapping):
            out["additionalProperties"] = self._convert(extra, direction, stack)
        _openapi30(node, out)
        return out

    # -- Python annotations ----------------------------------------------------
    def py_type(self, node: Any, direction: Direction, depth: int = 0) -> str:
        """The annotation for a value of this schema (``Any`` when not expressible)."""
        if depth > 6 or not isinstance(node, Mapping):
            return "Any"
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self.doc.resolve(node)
            cls = self.model_classes.get(ref)
            if cls and isinstance(target, Mapping) and _is_object(target):
                return f"models.{cls}" + (" | dict[str, Any]" if direction == "request" else "")
            return self.py_type(target, direction, depth + 1)
        nullable = node.get("nullable") is True
        types = node.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else None
        base = self._base_type(node, types, direction, depth)
        if nullable and base not in ("Any", "None"):
            return f"{base} | None"
        return base

    def _base_type(self, node: Mapping[str, Any], t: Any, direction: Direction, depth: int) -> str:
        enum = node.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str | int) and not isinstance(v, bool) for v in enum):
            return "Literal[" + ", ".join(repr(v) for v in enum) + "]"
        if "const" in node and isinstance(node["const"], str | int) and not isinstance(node["const"], bool):
            return f"Literal[{node['const']!r}]"
        for key in ("oneOf", "anyOf"):
            if isinstance(node.get(key), list):
                parts: list[str] = []
                for sub in node[key]:
                    p = self.py_type(sub, direction, depth + 1)
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
            inner = self.py_type(node.get("items", {}), direction, depth + 1)
            # ``builtins.list``: a resource method may itself be called ``list``.
            return f"Sequence[{inner}]" if direction == "request" else f"builtins.list[{inner}]"
        if t == "object" or isinstance(node.get("properties"), Mapping):
            return "dict[str, Any]"
        return "Any"


def _is_object(node: Mapping[str, Any]) -> bool:
    t = node.get("type")
    return t == "object" or (isinstance(t, list) and "object" in t) or "properties" in node or "allOf" in node


def _openapi30(node: Mapping[str, Any], out: dict[str, Any]) -> None:
    """Rewrite OpenAPI 3.0 dialect in ``out`` into JSON Schema 2020-12."""
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(flag) is True and bound in node:
            out[flag] = node[bound]
            out.pop(bound, None)
        elif node.get(flag) is False:
            out.pop(flag, None)
    if node.get("nullable") is True:
        t = out.get("type")
        if isinstance(t, str):
            out["type"] = [t, "null"]
        elif isinstance(t, list) and "null" not in t:
            out["type"] = [*t, "null"]
        elif t is None:
            inner = {k: out.pop(k) for k in ("oneOf", "anyOf", "allOf") if k in out}
            if inner:
                out["anyOf"] = [inner, {"type": "null"}]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]


def object_view(node: Mapping[str, Any]) -> tuple[dict[str, Any], list[str], tuple[tuple[str, ...], ...]] | None:
    """The flat view of a converted object schema, if it has one.

    Returns ``(properties, required, exclusive_groups)`` for an object schema,
    also when it is an ``allOf`` of objects. A top-level ``oneOf`` whose branches
    only say which properties are required ("give file or files") becomes
    ``exclusive_groups``, enforced by the runtime. Anything else (a real
    ``oneOf`` of shapes, a free-form map) has no flat view: ``None``.
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
    groups: list[tuple[str, ...]] = []
    branches = node.get("oneOf")
    if branches is not None:
        if not all(isinstance(b, Mapping) and set(b) <= {"required"} for b in branches):
            return None
        groups.append(tuple(r for b in branches for r in b.get("required", [])))
    if "anyOf" in node:
        return None
    return props, required, tuple(groups)


_OUTPUT_DEPTH = 3
_OUTPUT_DROP = ("required", "description", "default", "pattern", "minLength", "maxLength", "format")


def loosen(node: Any, depth: int = 0) -> Any:
    """An output schema that accepts what real APIs send and costs few bytes.

    No ``required`` lists, no closed objects and no string constraints, so a field
    the upstream omits or formats differently never fails a good answer; no
    descriptions, and nested objects below the second level are only typed: the
    full answer is in the result's text and ``structuredContent`` either way,
    while every byte of ``tools/list`` is paid on every turn.
    """
    if isinstance(node, list):
        return [loosen(n, depth) for n in node]
    if not isinstance(node, dict):
        return node
    if depth >= _OUTPUT_DEPTH and ("properties" in node or "items" in node or "$ref" in node):
        kept = {k: node[k] for k in ("type",) if k in node}
        return kept or {}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _OUTPUT_DROP or (key == "additionalProperties" and value is False):
            continue
        if key in ("properties", "$defs"):
            out[key] = {k: loosen(v, depth + 1) for k, v in value.items()}
        elif key == "items":
            out[key] = loosen(value, depth + 1)
        else:
            out[key] = loosen(value, depth)
    return out
