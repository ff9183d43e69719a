"""Identifier arguments, declared with the type the API returns them as.

A model copies identifiers from one result into the next call. When an API
returns an id as a string (Intercom's ``"id": "10934855"``) but one operation
declares the matching argument as an integer (``GET /conversations/{id}`` in
Intercom 2.16) and its siblings as a string, every copy into the integer tool is
a type change the model has to notice. So the tool declares every identifier
argument with the type the answers carry, the same in every tool of the API,
and the host sends the operation's own type:

==================================  ====================  ================================
the document declares               answers carry         the tool declares, and sends
==================================  ====================  ================================
``integer``                         strings               a string of digits; the integer
``string`` or ``integer`` (a union)  either                unchanged: both forms, as given
``string``                          integers              unchanged (a string may hold
                                                          more: Intercom's ``last``)
==================================  ====================  ================================

Either way the host's coercion (``_runtime/coerce.py``) also takes the other
form where it is unambiguous, so a copied id is never refused for its type.

:class:`ReturnedIds` reads what the answers carry, once per document, from every
success response schema: the members named ``id`` (by the object's ``type``
constant, or its component's name) and those named like ``<resource>_id``. For
an argument ``<resource>_id`` the members of that name decide, else the ``id``
of a ``<resource>`` object, else the ids of the whole API (an assignee is an
admin or a team, both returned with string ids); for a path argument ``id`` the
``id`` of the object the path names (``/conversations/{id}``: a conversation),
else the ids of the whole API. A type decides when at least two thirds of what
was seen carries it; where nothing decides, the argument keeps the document's type.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..load import Document
from ..naming import snake
from ..runtime.validation import ID_DIGITS

__all__ = ["DIGITS", "ReturnedIds", "declare_ids", "path_placeholders"]

DIGITS = ID_DIGITS
"""The pattern of an integer id declared as a string: what converts back exactly."""

_ID_NAME = re.compile(r"^(id|[a-z][a-z0-9_]*_id)$")
_SCHEMA_REF = "#/components/schemas/"
_EITHER = "either"  # a member declared as string or integer: says nothing either way


@dataclass
class ReturnedIds:
    """The JSON types of the identifiers a document's answers carry."""

    by_name: dict[str, Counter[str]] = field(default_factory=dict)
    """``<resource>_id`` member name -> types seen."""
    by_resource: dict[str, Counter[str]] = field(default_factory=dict)
    """resource (an object's ``type`` constant, or its component's name in snake case) -> its ``id`` types."""
    any_id: Counter[str] = field(default_factory=Counter)
    """The types of every ``id`` member."""

    @classmethod
    def of(cls, doc: Document) -> ReturnedIds:
        """What the success answers of every operation of ``doc`` carry."""
        found = cls()
        seen: set[str] = set()
        for item in (doc.raw.get("paths") or {}).values():
            item = doc.resolve(item)
            if not isinstance(item, Mapping):
                continue
            for op in item.values():
                if not isinstance(op, Mapping):
                    continue
                for status, response in (op.get("responses") or {}).items():
                    if not str(status).startswith("2"):
                        continue
                    content = (
                        doc.resolve(response).get("content") if isinstance(doc.resolve(response), Mapping) else None
                    )
                    for media, spec in (content or {}).items() if isinstance(content, Mapping) else ():
                        if "json" in str(media) and isinstance(spec, Mapping):
                            found._walk(doc, spec.get("schema"), None, seen, 0)
        return found

    def _walk(self, doc: Document, node: Any, resource: str | None, seen: set[str], depth: int) -> None:
        if not isinstance(node, Mapping) or depth > 64:
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return
            seen.add(ref)
            name = ref[len(_SCHEMA_REF) :] if ref.startswith(_SCHEMA_REF) else None
            self._walk(doc, doc.resolve(node), snake(name) if name else None, seen, depth + 1)
            return
        props = node.get("properties")
        if isinstance(props, Mapping):
            resource = _type_constant(doc.resolve(props.get("type"))) or resource
            for name, sub in props.items():
                sub_node = doc.resolve(sub)
                if name == "id":
                    kind = _kind(sub_node)
                    if kind:
                        self.any_id[kind] += 1
                        if resource:
                            self.by_resource.setdefault(resource, Counter())[kind] += 1
                elif isinstance(name, str) and _ID_NAME.match(name):
                    kind = _kind(sub_node)
                    if kind:
                        self.by_name.setdefault(name, Counter())[kind] += 1
                self._walk(doc, sub, None, seen, depth + 1)
        for key in ("items", "additionalProperties"):
            self._walk(doc, node.get(key), None, seen, depth + 1)
        for key in ("allOf", "anyOf", "oneOf"):
            branches = node.get(key)
            for branch in branches if isinstance(branches, list) else ():
                self._walk(doc, branch, resource if key == "allOf" else None, seen, depth + 1)

    def returned(self, name: str, resource: str | None) -> str | None:
        """The type answers carry for the argument ``name`` (``resource``: what a bare
        ``id`` names, from its path), or None when they do not say clearly."""
        if name == "id":
            return _decided(self.by_resource.get(resource or "")) or _decided(self.any_id)
        if not _ID_NAME.match(name):
            return None
        by_name, by_resource = self.by_name.get(name), self.by_resource.get(name[: -len("_id")])
        return _decided(by_name) or _decided(by_resource) or _decided(self.any_id)


def declare_ids(
    input_schema: dict[str, Any], ids: ReturnedIds, path: str, path_wires: Mapping[str, str]
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """``input_schema`` with its identifier arguments declared as the answers carry
    them, and the ``(argument, type)`` pairs the host converts back before sending
    (``path_wires``: path argument -> its placeholder, for a bare ``id``)."""
    props = input_schema.get("properties")
    if not isinstance(props, Mapping):
        return input_schema, ()
    changed: dict[str, Any] = {}
    wire: list[tuple[str, str]] = []
    for name, schema in props.items():
        if not isinstance(schema, Mapping) or not _ID_NAME.match(name):
            continue
        returned = ids.returned(name, _path_resource(path, path_wires.get(name)))
        if returned != "string":
            continue
        if _kind(schema) == "integer":
            changed[name] = _as_digits(schema)
            wire.append((name, "integer"))
    if not changed:
        return input_schema, ()
    return {**input_schema, "properties": {**props, **changed}}, tuple(wire)


def _type_constant(node: Any) -> str | None:
    """An object's ``type`` member when it is one constant (``"conversation"``)."""
    if not isinstance(node, Mapping):
        return None
    if isinstance(node.get("const"), str):
        return str(node["const"])
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def _kind(node: Any) -> str | None:
    """``string``, ``integer``, :data:`_EITHER` (a union of the two) or None (anything else)."""
    if not isinstance(node, Mapping):
        return None
    declared = node.get("type")
    types: list[Any] = declared if isinstance(declared, list) else [declared] if declared else []
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list):
            types += [b.get("type") for b in branches if isinstance(b, Mapping)]
    kinds = {t for t in types if t in ("string", "integer")}
    if not kinds or any(t not in ("string", "integer", "null") for t in types):
        return None
    return _EITHER if len(kinds) == 2 else kinds.pop()


def _decided(seen: Counter[str] | None) -> str | None:
    if not seen:
        return None
    kind, count = seen.most_common(1)[0]
    return kind if kind != _EITHER and count * 3 >= sum(seen.values()) * 2 else None


def _path_resource(path: str, placeholder: str | None) -> str | None:
    """The resource a path placeholder names: the segment before it, in the singular
    (``/conversations/{id}`` -> ``conversation``)."""
    if not placeholder:
        return None
    segments = [s for s in path.split("/") if s]
    marker = "{" + placeholder + "}"
    if marker not in segments or segments.index(marker) == 0:
        return None
    return _singular(snake(segments[segments.index(marker) - 1]))


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_NUMERIC = ("type", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf",
            "oneOf", "enum", "const", "default", "examples", "example")  # fmt: skip


def _as_digits(schema: Mapping[str, Any]) -> dict[str, Any]:
    """An integer schema as a string of digits; a nullable one stays nullable."""
    out = {k: v for k, v in schema.items() if k not in _NUMERIC}
    declared = schema.get("type")
    nullable = (isinstance(declared, list) and "null" in declared) or any(
        isinstance(b, Mapping) and b.get("type") == "null" for b in schema.get("anyOf") or schema.get("oneOf") or []
    )
    return {"type": ["string", "null"] if nullable else "string", "pattern": DIGITS, **out}


def path_placeholders(arguments: Sequence[Any]) -> dict[str, str]:
    """Path argument name -> its placeholder in the path template."""
    return {a.name: a.wire for a in arguments if a.location == "path"}
