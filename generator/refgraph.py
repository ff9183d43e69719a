"""The reference graph of a document's schemas: which ``$ref`` leads back to itself.

A schema is converted once per direction (:class:`generator.schema.Converter`) and
inlined where it is used, except where inlining would never end: a schema that
refers back to itself, directly or through others. Those are the members of the
graph's cyclic strongly connected components (a component of several schemas,
or one schema with a reference to itself), found here with Tarjan's algorithm,
lazily: the first question about a reference explores what it reaches, once, in
time linear in that part of the document, iteratively (a chain of a thousand
references does not reach Python's recursion limit).

An edge ``A -> B`` is a ``$ref`` to ``B`` inside ``A``'s schema, at a place the
converter reads (properties, items, compositions, ...); examples, defaults and
extensions are data and are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .load import Document, pointer

__all__ = ["RefGraph", "SUBSCHEMA_KEYS"]

# Where the converter finds subschemas (Converter._convert reads exactly these).
SUBSCHEMA_KEYS = ("items", "allOf", "anyOf", "oneOf", "prefixItems", "not", "propertyNames", "additionalProperties")


def _edges(node: Any) -> list[str]:
    """The references directly inside ``node`` (not those inside a referenced schema)."""
    out: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
            continue
        if not isinstance(current, Mapping):
            continue
        ref = current.get("$ref")
        if isinstance(ref, str):
            out.append(ref)
            continue
        for key in SUBSCHEMA_KEYS:
            if key in current:
                stack.append(current[key])
        props = current.get("properties")
        if isinstance(props, Mapping):
            stack.extend(reversed(list(props.values())))
    return out


class RefGraph:
    """Strongly connected components of one document's references, computed on demand."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._component: dict[str, int] = {}  # ref -> its component's number
        self._cyclic: set[int] = set()
        self._sizes: dict[int, int] = {}
        self._edges: dict[str, list[str]] = {}
        self._next = 0

    def edges(self, ref: str) -> list[str]:
        found = self._edges.get(ref)
        if found is None:
            try:
                target = pointer(self.doc.raw, ref)
            except (KeyError, IndexError, ValueError, TypeError):
                target = None
            found = self._edges[ref] = list(dict.fromkeys(_edges(target)))
        return found

    def component(self, ref: str) -> int:
        """The number of ``ref``'s strongly connected component."""
        if ref not in self._component:
            self._explore(ref)
        return self._component[ref]

    def cyclic(self, ref: str) -> bool:
        """Whether ``ref`` leads back to itself."""
        return self.component(ref) in self._cyclic

    def size(self, ref: str) -> int:
        """How many references share ``ref``'s component."""
        return self._sizes[self.component(ref)]

    def _explore(self, root: str) -> None:
        """Tarjan's algorithm from ``root``, iteratively; known components are kept."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        counter = 0
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            ref, i = work.pop()
            if i == 0:
                index[ref] = low[ref] = counter
                counter += 1
                stack.append(ref)
                on_stack.add(ref)
            edges = self.edges(ref)
            if i > 0:  # back from edges[i - 1]
                child = edges[i - 1]
                if child in low and child not in self._component:
                    low[ref] = min(low[ref], low[child])
            descended = False
            while i < len(edges):
                child = edges[i]
                i += 1
                if child in self._component:
                    continue
                if child not in index:
                    work.append((ref, i))
                    work.append((child, 0))
                    descended = True
                    break
                if child in on_stack:
                    low[ref] = min(low[ref], index[child])
            if descended:
                continue
            if low[ref] == index[ref]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == ref:
                        break
                number = self._next
                self._next += 1
                for member in members:
                    self._component[member] = number
                self._sizes[number] = len(members)
                if len(members) > 1 or ref in self.edges(ref):
                    self._cyclic.add(number)
