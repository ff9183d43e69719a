"""JSON Schema conversion: OpenAPI schema objects -> self-contained tool schemas.

MCP tool schemas must stand alone (no ``#/components`` to point at), be plain
JSON Schema 2020-12, and stay small, because every byte of ``tools/list`` is read
by the model on every turn. The converter therefore:

* converts each referenced schema once per direction (an *entry*: the schema with
  a link where each of its own ``$ref``s was) and inlines copies of it where it is
  used, so the work is linear in the document: a schema reached by two routes at
  every level is not expanded twice, then four times (:data:`INLINE_MAX`);
* keeps out of the inlining what would never end or outgrow the budget: a schema
  that refers back to itself (:mod:`generator.refgraph`) is inlined once where it
  is entered and referenced from the tool schema's ``$defs`` inside (all of its
  members are, when more than :data:`SMALL_CYCLE` schemas refer to each other),
  and a schema whose inline form is larger than :data:`INLINE_MAX` bytes goes to
  ``$defs`` once; a request schema still larger than :data:`REQUEST_BUDGET` is
  summarised (:mod:`generator.budget`) and the caller warns;
* turns OpenAPI 3.0 dialect into JSON Schema (``nullable``, boolean
  ``exclusiveMinimum``) and drops what a validator or a model cannot use
  (``example``, ``xml``, ``discriminator``, ``x-*`` extensions, titles);
* drops ``readOnly`` properties from request schemas and ``writeOnly`` ones from
  response schemas.

``Converter.py_type`` is the Python annotation of a value (:mod:`generator.annotations`);
what kind of value a raw schema holds is :mod:`generator.shapes`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from .annotations import py_type
from .budget import prune_defs, summarise
from .load import Document, pointer
from .refgraph import RefGraph
from .shapes import flat_object, shape

__all__ = [
    "Converter", "FILE_SCHEMA", "object_view", "loosen", "is_binary", "shape", "flat_object", "media_kind",
    "prune_defs", "ObjectView",
]  # fmt: skip

Direction = Literal["request", "response"]

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

_KEEP = (
    "type", "enum", "const", "format", "pattern", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "default", "description", "contentMediaType", "contentEncoding",
)  # fmt: skip
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Bytes of JSON below which a repeated schema stays inline: requests keep more
# inline (the schema is what a model reads to build a call); loosened output
# schemas are only checked, so their smaller repeats are shared too.
_SHARE_MIN = 1000
_SHARE_MIN_OUTPUT = 300
INLINE_MAX = 128 * 1024
"""Bytes of JSON above which a referenced schema goes to ``$defs`` instead of inline
(above the largest schema a real vendor document inlines, Intercom's 100 KB)."""
REQUEST_BUDGET = 64 * 1024
"""Bytes of JSON a tool's input schema may take; larger ones are summarised."""
SMALL_CYCLE = 4
"""Schemas that refer to each other, up to this many, are unrolled once where entered."""
MAX_NEST = 24
"""Referenced schemas copied one inside another, at most: a deeper one goes to ``$defs``."""


class _Link:
    """A ``$ref`` inside a converted entry: where a copy of the target, or a ``$defs``
    reference to it, goes when the entry is copied into a tool schema."""

    __slots__ = ("ref", "description")

    def __init__(self, ref: str, description: Any) -> None:
        self.ref = ref
        self.description = description


@dataclass
class _Entry:
    """One referenced schema, converted once per direction: ``node`` with a
    :class:`_Link` for each ``$ref`` inside, and the bytes of its inline form."""

    node: Any
    size: int
    key: str | None = None  # the JSON of its inline copy, when that never varies


@dataclass(frozen=True)
class _Use:
    """One place a converted ``$ref`` target was inlined: ``node`` is the dict in the
    tool schema (``target`` itself, or a copy carrying the use's own description)."""

    ref: str
    node: dict[str, Any]
    target: dict[str, Any]
    description: Any


def _reachable(root: dict[str, Any], defs: Mapping[str, Any]) -> set[int]:
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


_REF_NAME = re.compile(r"[^0-9A-Za-z_.-]+")


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


class Converter:
    """Converts schemas of one document; ``begin`` / ``finish`` bracket one tool."""

    def __init__(self, doc: Document, models: Collection[str]) -> None:
        self.doc = doc
        self.models = models  # the schema pointers the models module has a class for
        self.graph = RefGraph(doc)
        self._entries: dict[tuple[str, Direction], _Entry] = {}
        self._names: dict[str, str] = {}  # ``$defs`` names, one per reference (see _def_name)
        self._taken: set[str] = set()
        self._defs: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, str] = {}
        self._uses: dict[str, list[_Use]] = {}
        self.summarised: tuple[int, list[str]] | None = None

    # -- tool-level bracketing -------------------------------------------------
    def begin(self) -> None:
        self._defs = {}
        self._pending = {}
        self._uses = {}
        self.summarised = None

    def finish(self, root: dict[str, Any], direction: Direction) -> dict[str, Any]:
        """Attach the ``$defs`` this tool needs: one per schema kept out of the inlining
        (a recursive or an oversized one), and in request schemas one per large schema
        used more than once (see :meth:`_share`). A request schema above
        :data:`REQUEST_BUDGET` is summarised; ``summarised`` then says from what size
        and which parts."""
        done: set[str] = set()
        while len(done) < len(self._pending):
            for ref, name in list(self._pending.items()):
                if ref in done:
                    continue
                done.add(ref)
                # a response's $defs are loosened one level down (output_schema), as its properties are
                depth = 1 if direction == "response" and not self.graph.cyclic(ref) else None
                self._defs[name] = self._materialize(self._entry(ref, direction).node, direction, (ref,), depth=depth)
        if direction == "request" and self._uses:
            self._share(root)
        if self._defs:
            root = {**root, "$defs": dict(sorted(self._defs.items()))}
        if direction == "request":
            size = len(json.dumps(root, separators=(",", ":"), default=str))
            if size > REQUEST_BUDGET:
                root, parts = summarise(root, REQUEST_BUDGET)
                self.summarised = (size, parts)
        return root

    def _share(self, root: dict[str, Any]) -> None:
        """Move large schemas that the tool schema repeats into ``$defs``.

        Vendors reuse one component many times in one request (Intercom's article
        content appears once per locale, forty times): inlined, every copy costs
        tools/list bytes on every turn. A converted ``$ref`` target of at least
        ``_SHARE_MIN`` bytes that is still reachable at least twice is stored once
        and referenced (a use's own description stays beside its ``$ref``). Larger
        schemas go first, so a repeated schema inside a shared one is counted once.
        """
        order = sorted((k for k in self._uses if len(k) >= _SHARE_MIN), key=lambda key: (-len(key), key))
        for key in order:
            reachable = _reachable(root, self._defs)
            uses = [u for u in self._uses[key] if id(u.node) in reachable]
            if len(uses) < 2:
                continue
            name = self._share_name(uses[0].ref)
            self._defs[name] = dict(uses[0].target)
            for use in uses:
                use.node.clear()
                use.node["$ref"] = f"#/$defs/{name}"
                if use.description is not None:
                    use.node["description"] = use.description

    def output_schema(self, converted: dict[str, Any]) -> dict[str, Any]:
        """The loosened output schema (:func:`loosen`) of a converted response schema,
        with its ``$defs`` and repeated large parts shared."""
        root = self.finish(converted, "response")
        labels = {id(u.node): u.ref for uses in self._uses.values() for u in uses}
        found: dict[int, tuple[str, dict[str, Any]]] = {}
        out: dict[str, Any] = _loosen(root, 0, labels, found, "member")
        _share_loosened(out, found)
        if "$defs" in out:  # a deferred schema (``_materialize``) that loosening cut away is not sent
            out = prune_defs(out)
        return out

    def _share_name(self, ref: str) -> str:
        base = _REF_NAME.sub("_", ref.rsplit("/", 1)[-1]) or "Schema"
        taken = set(self._defs) | set(self._pending.values())
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        return name

    # -- conversion ----------------------------------------------------------------
    def convert(self, node: Any, direction: Direction) -> dict[str, Any]:
        """``node`` converted, with the ``$ref``s it holds inlined or deferred to ``$defs``
        (a ``node`` that is itself a reference is always inlined: a tool's schema is an
        object schema)."""
        converted = self._convert(node, direction, [])
        depth = 0 if direction == "response" else None
        out: dict[str, Any] = self._materialize(converted, direction, (), top=isinstance(converted, _Link), depth=depth)
        return out

    def _def_name(self, ref: str) -> str:
        """The ``$defs`` name of ``ref`` in this tool. Names are decided once per document
        (the first reference to end in ``Ticket`` is ``Ticket``, another ``Ticket2``), so a
        converted schema reads the same in every tool that holds it."""
        name = self._names.get(ref)
        if name is None:
            base = _REF_NAME.sub("_", ref.rsplit("/", 1)[-1]) or "Schema"
            name, n = base, 2
            while name in self._taken:
                name, n = f"{base}{n}", n + 1
            self._names[ref] = name
            self._taken.add(name)
        self._pending[ref] = name
        return name

    def _entry(self, ref: str, direction: Direction) -> _Entry:
        """The converted entry of ``ref`` (made once per direction)."""
        entry = self._entries.get((ref, direction))
        if entry is None:
            links: list[_Link] = []
            node = self._convert(pointer(self.doc.raw, ref), direction, links)
            entry = self._entries[(ref, direction)] = _Entry(node, 0)
            size = len(json.dumps(node, separators=(",", ":"), default=lambda _: None))
            for link in links:
                if self._inlined(ref, link.ref, direction, ()):
                    size += self._entry(link.ref, direction).size
                else:
                    size += 24 + len(link.ref)  # about what a ``$defs`` reference costs
            entry.size = size
        return entry

    def _same_cycle(self, container: str | None, ref: str) -> bool:
        return (
            container is not None
            and self.graph.cyclic(ref)
            and (self.graph.component(container) == self.graph.component(ref))
        )

    def _inlined(self, container: str | None, ref: str, direction: Direction, stack: tuple[str, ...]) -> bool:
        """Whether a ``$ref`` to ``ref`` inside ``container``'s schema is inlined (see the
        module docstring); ``stack`` holds the references being copied."""
        if self._same_cycle(container, ref):
            return ref not in stack and bool(stack) and self.graph.size(ref) <= SMALL_CYCLE
        return self._entry(ref, direction).size <= INLINE_MAX

    def _materialize(
        self,
        node: Any,
        direction: Direction,
        stack: tuple[str, ...],
        top: bool = False,
        depth: int | None = None,
        nest: int = 0,
    ) -> Any:
        """A fresh copy of a converted ``node`` for one tool schema: each link becomes
        an inline copy of its target (recorded as a use, for :meth:`_share` and the
        output schema's labels) or a ``$defs`` reference. ``stack`` holds the
        references whose copies ``node`` is inside; ``top``: ``node`` is a reference that
        is the tool's own schema, inlined whatever its size.

        ``depth`` (response schemas) is the object level of ``node``: an output schema
        is loosened (:func:`loosen`), which keeps of an object below the root only its
        type, so such an object is copied as its type alone and the rest of a large
        answer is never copied; ``None`` copies everything (requests, and schemas that
        refer back to themselves, whose copies differ by place). ``nest`` counts the
        copies ``node`` is inside: past :data:`MAX_NEST` a reference goes to ``$defs``,
        since Python cannot parse a literal nested 200 deep (generated code holds the
        schemas as literals) and no model reads one that deep."""
        if isinstance(node, _Link):
            ref = node.ref
            container = stack[-1] if stack else None
            if not top and (nest >= MAX_NEST or not self._inlined(container, ref, direction, stack)):
                out: dict[str, Any] = {"$ref": f"#/$defs/{self._def_name(ref)}"}
                if node.description is not None and not self._same_cycle(container, ref):
                    out["description"] = node.description
                return out
            entry = self._entry(ref, direction)
            inner = stack + (ref,) if self._same_cycle(container, ref) else (ref,)
            cyclic = self.graph.cyclic(ref)
            target = self._materialize(entry.node, direction, inner, depth=None if cyclic else depth, nest=nest + 1)
            used = target
            if node.description is not None and isinstance(target, dict):
                used = {**target, "description": node.description}
            if isinstance(target, dict):
                key = entry.key
                if key is None:  # the JSON of the whole copy: the same wherever it goes, unless cyclic
                    full = depth is None and nest == 0
                    whole = target if full else self._materialize(entry.node, direction, inner, nest=1)
                    key = json.dumps(whole, sort_keys=True, default=str)
                    if not cyclic:
                        entry.key = key
                if len(key) >= _SHARE_MIN_OUTPUT:
                    self._uses.setdefault(key, []).append(_Use(ref, used, target, node.description))
            return used
        if isinstance(node, dict):  # loops, not comprehensions: a frame less per level of a deep schema
            if depth is not None and depth >= 1 and "properties" in node:
                return {"type": node["type"], "properties": {}} if "type" in node else {"properties": {}}
            deeper = None if depth is None else depth + 1
            copy: dict[str, Any] = {}
            for k, v in node.items():
                if k == "properties" and isinstance(v, dict):
                    props: dict[str, Any] = {}
                    for name, sub in v.items():
                        props[name] = self._materialize(sub, direction, stack, depth=deeper, nest=nest)
                    copy[k] = props
                else:
                    copy[k] = self._materialize(v, direction, stack, depth=depth, nest=nest)
            return copy
        if isinstance(node, list):
            items = []
            for v in node:
                items.append(self._materialize(v, direction, stack, depth=depth, nest=nest))
            return items
        return node

    def _convert(self, node: Any, direction: Direction, links: list[_Link]) -> Any:
        """One schema converted, a :class:`_Link` standing for each ``$ref`` in it."""
        if not isinstance(node, Mapping):
            return {} if node is True or node is None else node
        ref = node.get("$ref")
        if isinstance(ref, str):
            link = _Link(ref, node.get("description"))
            links.append(link)
            return link
        out: dict[str, Any] = {}
        for key in _KEEP:
            if key in node:
                out[key] = node[key]
        if "items" in node:
            out["items"] = self._convert(node["items"], direction, links)
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                out[key] = [self._convert(s, direction, links) for s in node[key]]
        for key in ("not", "propertyNames"):  # propertyNames: Desk365's `cf_` custom-field keys (found by fuzzing)
            if isinstance(node.get(key), Mapping):
                out[key] = self._convert(node[key], direction, links)
        if isinstance(node.get("properties"), Mapping):
            skip = "readOnly" if direction == "request" else "writeOnly"
            props: dict[str, Any] = {}
            for name, sub in node["properties"].items():
                resolved = self.doc.resolve(sub)
                if isinstance(resolved, Mapping) and resolved.get(skip) is True:
                    continue
                props[name] = self._convert(sub, direction, links)
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
            out["additionalProperties"] = self._convert(extra, direction, links)
        _openapi30(node, out)
        if direction == "request":
            _split_types(out)
        return out

    # -- Python annotations ----------------------------------------------------
    def py_type(self, node: Any, direction: Direction, depth: int = 0) -> str:
        """The annotation for a value of this schema (``Any`` when not expressible;
        :func:`generator.annotations.py_type`)."""
        return py_type(self.doc, self.models, node, direction, depth)


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


def _split_types(out: dict[str, Any]) -> None:
    """A type array of several non-null types (``[string, integer]``) as ``anyOf`` branches of
    one type each: clients that map tool schemas onto a single-``type`` dialect reject type
    arrays. ``[string, null]`` stays: null is a value the document allows there, and no
    single spelling of that is portable to every dialect."""
    types = out.get("type")
    if isinstance(types, list) and len([t for t in types if t != "null"]) > 1:
        out.pop("type")
        out["anyOf"] = [{"type": t} for t in types]


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


def _share_loosened(root: dict[str, Any], found: Mapping[int, tuple[str, dict[str, Any]]]) -> None:
    """Move repeated large subschemas of a loosened output schema into ``$defs``.

    Done after loosening, on identical content only, so every shared schema says
    exactly what its copies said at their own depth.
    """
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for ref, node in found.values():
        if node is not root:
            key = json.dumps(node, sort_keys=True, default=str)
            if len(key) >= _SHARE_MIN_OUTPUT:
                groups.setdefault(key, []).append((ref, node))
    for key in sorted(groups, key=lambda k: (-len(k), k)):
        defs = root.get("$defs") or {}
        reachable = _reachable(root, {})
        uses = [(ref, node) for ref, node in groups[key] if id(node) in reachable]
        if len(uses) < 2:
            continue
        base = _REF_NAME.sub("_", uses[0][0].rsplit("/", 1)[-1]) or "Schema"
        name, n = base, 2
        while name in defs:
            name, n = f"{base}{n}", n + 1
        defs[name] = dict(uses[0][1])
        for _, node in uses:
            node.clear()
            node["$ref"] = f"#/$defs/{name}"
        root["$defs"] = dict(sorted(defs.items()))
