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
  summarised (:mod:`generator.budget`) and the caller warns; so is an output schema
  above :data:`OUTPUT_BUDGET`;
* turns OpenAPI 3.0 dialect into JSON Schema (``nullable``, boolean
  ``exclusiveMinimum``) and drops what a validator or a model cannot use
  (``example``, ``xml``, ``discriminator``, ``x-*`` extensions, titles);
* drops ``readOnly`` properties from request schemas and ``writeOnly`` ones from
  response schemas.

A response schema becomes a tool's output schema loosened (:meth:`Converter.output_schema`,
:mod:`generator.loosen`); the names of ``$defs`` and what still reaches them are
:mod:`generator.defs`. ``Converter.py_type`` is the Python annotation of a value
(:mod:`generator.annotations`); what kind of value a raw schema holds, how a body
of a media type travels and the flat view of an object schema are
:mod:`generator.shapes`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .annotations import Direction, py_type
from .budget import summarise, summarise_output
from .defs import def_name, reachable
from .load import Document, pointer
from .loosen import SHARE_MIN_OUTPUT, loosen, loosen_output
from .refgraph import RefGraph

__all__ = [
    "Converter", "Direction", "INLINE_MAX", "MAX_NEST", "OUTPUT_BUDGET", "REQUEST_BUDGET", "SMALL_CYCLE", "loosen",
]  # fmt: skip


_KEEP = (
    "type", "enum", "const", "format", "pattern", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "default", "description", "contentMediaType", "contentEncoding",
)  # fmt: skip
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Bytes of JSON below which a repeated schema stays inline: requests keep more
# inline (the schema is what a model reads to build a call); loosened output
# schemas are only checked, so their smaller repeats are shared too
# (``loosen.SHARE_MIN_OUTPUT``).
_SHARE_MIN = 1000
INLINE_MAX = 128 * 1024
"""Bytes of JSON above which a referenced schema goes to ``$defs`` instead of inline
(above the largest schema a real vendor document inlines, Intercom's 100 KB)."""
REQUEST_BUDGET = 64 * 1024
"""Bytes of JSON a tool's input schema may take; larger ones are summarised."""
OUTPUT_BUDGET = 16 * 1024
"""Bytes of JSON a tool's (loosened) output schema may take; larger ones are loosened further
(the largest a real vendor document yields is Intercom's contact, about 1.7 KB)."""
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
            found = reachable(root, self._defs)
            uses = [u for u in self._uses[key] if id(u.node) in found]
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
        out = loosen_output(root, labels)
        size = len(json.dumps(out, separators=(",", ":"), default=str))
        if size > OUTPUT_BUDGET:
            out, parts = summarise_output(out, OUTPUT_BUDGET)
            self.summarised = (size, parts)
        return out

    def _share_name(self, ref: str) -> str:
        return def_name(ref, set(self._defs) | set(self._pending.values()))

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
            name = self._names[ref] = def_name(ref, self._taken)
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
                if len(key) >= SHARE_MIN_OUTPUT:
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
