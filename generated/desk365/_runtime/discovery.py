# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Discovery mode (``--discovery``): three tools in place of one per operation.

A large API's ``tools/list`` is too big to hand a model on every turn (Intercom's
full document: 231 tools, 421 KB), and tool selection gets worse past about a
hundred tools. In discovery mode the server lists exactly three tools:

* :data:`SEARCH` finds the API's tools by words: BM25F over each tool's name,
  title, path, tags, argument names, description and the words of its input
  schema (a body's branch descriptions and enum values: "close", "snooze"), each
  field length-normalised and weighted on its own; words are lower-cased, split at
  case changes and lightly stemmed, and a few general verbs and nouns also count
  as their usual API words ("find" as "search" or "list", "teammate" as "admin");
  it answers names and one-line summaries, best first;
* :data:`DESCRIBE` returns the full definitions of named tools: description,
  input schema (what :data:`CALL` validates against), output schema, hints;
* :data:`CALL` calls a named tool with its arguments through the very path a
  direct ``tools/call`` takes (:meth:`~.host.ToolHost.call`): the same
  validation, files, scope, rate limit, errors and result.

Scope is the server's: the host holds only the tools the start-up filters
selected, and ``allowed`` (a token-scoped endpoint's tools) narrows further, so a
tool outside it is neither found, nor described, nor callable. The index is
built once per host, on the first search. Nothing here imports the SDK until a
listing or a result is built, so the generator can measure the listing
(:func:`listing_payload`) without it.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .results import to_text
from .spec import ToolSpec

__all__ = ["CALL", "DESCRIBE", "SEARCH", "Discovery", "ToolIndex", "listing_payload", "summary"]

SEARCH = "search_tools"
DESCRIBE = "describe_tools"
CALL = "call_tool"
MAX_RESULTS = 25
MAX_DESCRIBE = 10

# Words that say nothing about which operation is meant.
_STOP = frozenset(
    "a an the of for to in on at by with and or from into this that these those is are be as it its my me i "
    "we you your our all any some please can want need would like".split()
)
# Plain-language verbs and a few nouns, widened to the words APIs commonly use for them
# (query side only; general, not one API's vocabulary).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "find": ("search", "list", "get"), "look": ("search", "get"), "lookup": ("search", "get"),
    "show": ("get", "retrieve", "list"), "see": ("get", "list"), "fetch": ("get", "retrieve"),
    "read": ("get", "retrieve"), "view": ("get", "retrieve"), "retrieve": ("get",), "get": ("retrieve",),
    "create": ("add", "new"), "make": ("create",), "add": ("create", "attach"), "new": ("create",),
    "start": ("create",), "write": ("create",), "send": ("create", "reply"),
    "remove": ("delete", "detach"), "delete": ("remove",), "erase": ("delete",),
    "edit": ("update",), "change": ("update",), "modify": ("update",), "set": ("update",), "rename": ("update",),
    "list": ("search",), "every": ("list",), "answer": ("reply",), "respond": ("reply",),
    "person": ("contact", "user"), "people": ("contact", "user"), "customer": ("contact", "user"),
    "organization": ("company",), "org": ("company",), "teammate": ("admin", "user"), "agent": ("admin",),
    "staff": ("admin",), "label": ("tag",),
}  # fmt: skip
# How much a word counts in each field of a tool.
_WEIGHTS = (
    ("name", 3.0), ("title", 2.0), ("path", 2.0), ("tags", 1.5), ("arguments", 1.0), ("description", 1.0),
    ("schema", 0.5),
)  # fmt: skip
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_K1, _B = 1.2, 0.75
_SYNONYM = 0.8  # a synonym's weight against the word itself


def _stem(word: str) -> str:
    """A light stemmer: plural and verb endings, so "contacts" meets "contact"."""
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[: -len(suffix)]
            return stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem
    return word


def words(text: str) -> list[str]:
    """The index terms of ``text``: split at non-letters and case changes, lower-cased,
    stemmed, without stop words."""
    out = []
    for raw in _WORD.findall(text or ""):
        word = raw.lower()
        if word not in _STOP:
            out.append(_stem(word))
    return out


def summary(tool: ToolSpec, limit: int = 140) -> str:
    """One line about ``tool``: its title, else the first sentence of its description."""
    text = tool.title.strip() if tool.title and tool.title.replace("_", " ").lower() != tool.name else ""
    if not text:
        first = (tool.description or "").strip().split("\n", 1)[0]
        text = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _schema_text(node: Any, out: list[str], depth: int = 0) -> None:
    """The words of an input schema below its arguments: nested property names, string
    enum values and descriptions (a body whose branches say "close", "snooze", "assign")."""
    if depth > 6 or len(out) > 400:
        return
    if isinstance(node, list):
        for item in node:
            _schema_text(item, out, depth + 1)
        return
    if not isinstance(node, Mapping):
        return
    if depth and isinstance(node.get("description"), str):
        out.append(node["description"])
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) <= 12:
        out.extend(v for v in enum if isinstance(v, str))
    props = node.get("properties")
    if isinstance(props, Mapping):
        if depth:
            out.extend(str(k) for k in props)
        for sub in props.values():
            _schema_text(sub, out, depth + 1)
    for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        if key in node:
            _schema_text(node[key], out, depth + 1)


def _fields(tool: ToolSpec) -> dict[str, str]:
    props = tool.input_schema.get("properties") if isinstance(tool.input_schema, Mapping) else None
    schema: list[str] = []
    _schema_text(tool.input_schema, schema)
    return {
        "name": tool.name,
        "title": tool.title or "",
        "path": f"{tool.operation.method} {tool.operation.path}",
        "tags": " ".join(tool.tags),
        "arguments": " ".join(props) if isinstance(props, Mapping) else "",
        "description": tool.description or "",
        "schema": " ".join(schema),
    }


class ToolIndex:
    """A BM25F index over tools (see the module docstring).

    Each field is length-normalised on its own before the fields are weighted and
    summed, so a tool's long description (search syntax, examples) does not drown
    the words of its name and title, as it would in one merged document."""

    def __init__(self, tools: Iterable[ToolSpec]) -> None:
        self.tools = list(tools)
        self._fields: list[dict[str, Counter[str]]] = []
        lengths: dict[str, list[int]] = {field: [] for field, _ in _WEIGHTS}
        frequency: Counter[str] = Counter()
        for tool in self.tools:
            fields = {field: Counter(words(text)) for field, text in _fields(tool).items()}
            self._fields.append(fields)
            for field, counts in fields.items():
                lengths[field].append(sum(counts.values()))
            frequency.update(set().union(*(counts.keys() for counts in fields.values())))
        self._lengths = lengths
        self._average = {f: (sum(v) / len(v) if v and sum(v) else 1.0) for f, v in lengths.items()}
        count = len(self.tools)
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}

    def _query(self, text: str) -> list[dict[str, float]]:
        """One group per query word: the word, and its synonyms a little below it. A
        group scores by its best member, so "find" counts once, as "find" or as "search"."""
        groups: list[dict[str, float]] = []
        for raw in _WORD.findall(text or ""):
            word = raw.lower()
            if word in _STOP:
                continue
            group = {_stem(word): 1.0}
            for other in _SYNONYMS.get(word, _SYNONYMS.get(_stem(word), ())):
                group.setdefault(_stem(other), _SYNONYM)
            if group not in groups:
                groups.append(group)
        return groups

    def _saturated(self, position: int, term: str) -> float:
        """BM25F's saturated, length-normalised frequency of ``term`` in one tool."""
        fields = self._fields[position]
        tf = 0.0
        for field, field_weight in _WEIGHTS:
            count = fields[field].get(term)
            if count:
                tf += field_weight * count / (1 - _B + _B * self._lengths[field][position] / self._average[field])
        return tf * (_K1 + 1) / (tf + _K1) if tf else 0.0

    def _score(self, position: int, groups: Sequence[Mapping[str, float]]) -> float:
        """A group counts with its word's rarity: a synonym rarer than the word itself
        ("archive" for "delete") must not outrank the word."""
        score = 0.0
        for group in groups:
            known = [self._idf[t] for t in group if t in self._idf]
            if not known:
                continue
            word = next(iter(group))
            idf = self._idf.get(word, min(known))
            score += idf * max(weight * self._saturated(position, term) for term, weight in group.items())
        return score

    def search(self, text: str, limit: int, allowed: Callable[[str], bool] | None = None) -> list[ToolSpec]:
        """The best ``limit`` tools for ``text`` (those ``allowed``), best first; ties in
        document order."""
        groups = self._query(text)
        scored = []
        for position, tool in enumerate(self.tools):
            if allowed is not None and not allowed(tool.name):
                continue
            score = self._score(position, groups)
            if score > 0:
                scored.append((-score, position, tool))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [tool for _, _, tool in scored[:limit]]


_INDEXES: weakref.WeakKeyDictionary[Any, ToolIndex] = weakref.WeakKeyDictionary()


def _index(host: Any) -> ToolIndex:
    index = _INDEXES.get(host)
    if index is None:
        index = _INDEXES[host] = ToolIndex(host.tools.values())
    return index


def listing_payload(title: str, count: int) -> list[dict[str, Any]]:
    """The three tools of discovery mode, as ``tools/list`` sends them, for an API
    with ``count`` tools in scope."""
    what = f"the {count} operations of the {title} API"
    return [
        {
            "name": SEARCH,
            "title": f"Search the {title} API's tools",
            "description": (
                f"Find tools among {what} by what they do: plain words (\"close a conversation\", "
                f"\"find contacts by email\"). Answers tool names with one-line summaries, best first. Then "
                f"call {DESCRIBE} for the arguments of the ones that fit, and {CALL} to run one."
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "minLength": 1, "description": "What you want to do, in words."},
                    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS, "default": 8},
                },
                "required": ["query"],
                "additionalProperties": False,
            },
            "annotations": {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True,
                            "openWorldHint": False},
        },
        {
            "name": DESCRIBE,
            "title": f"Describe {title} tools",
            "description": (
                f"The full definitions of the named tools (names from {SEARCH}): what each does, its input "
                f"schema (the arguments {CALL} takes), its output schema and whether it changes data."
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "names": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                              "maxItems": MAX_DESCRIBE},
                },
                "required": ["names"],
                "additionalProperties": False,
            },
            "annotations": {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True,
                            "openWorldHint": False},
        },
        {
            "name": CALL,
            "title": f"Call a {title} tool",
            "description": (
                f"Run one of {what} by name, with its arguments as {DESCRIBE} shows them. The arguments are "
                "checked exactly as for a direct call; the answer is the tool's own result."
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "description": "The tool to call."},
                    "arguments": {"type": "object", "description": "The tool's arguments."},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
            "annotations": {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": False,
                            "openWorldHint": True},
        },
    ]  # fmt: skip


def _definition(tool: ToolSpec, schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": tool.name, "title": tool.title, "description": tool.description}
    out["inputSchema"] = schema
    if tool.output_schema is not None:
        out["outputSchema"] = tool.output_schema
    out["annotations"] = {
        "readOnlyHint": tool.read_only, "destructiveHint": tool.destructive,
        "idempotentHint": tool.idempotent, "openWorldHint": tool.open_world,
    }  # fmt: skip
    return out


class Discovery:
    """The three tools of one server (or one token-scoped endpoint) over ``host``."""

    def __init__(self, host: Any, allowed: Callable[[str], bool] | None = None) -> None:
        self.host = host
        self.allowed = allowed
        self._listing: list[Any] | None = None
        self._payload: list[dict[str, Any]] | None = None

    def _error(self, text: str) -> Any:
        return self.host._result(text, error=True)

    def _success(self, text: str, structured: Any) -> Any:
        return self.host._result(text, error=False, structured=structured)

    def _in_scope(self, name: str) -> bool:
        return name in self.host.tools and (self.allowed is None or self.allowed(name))

    def payload(self) -> list[dict[str, Any]]:
        if self._payload is None:
            count = sum(1 for name in self.host.tools if self._in_scope(name))
            self._payload = listing_payload(self.host.api.title, count)
        return self._payload

    def listing(self) -> list[Any]:
        """The SDK ``Tool`` objects of the three tools, built once."""
        if self._listing is None:
            from mcp.types import Tool

            self._listing = [Tool.model_validate(entry) for entry in self.payload()]
        return self._listing

    def input_schema(self, name: str) -> Mapping[str, Any] | None:
        found: Mapping[str, Any] | None = next((t["inputSchema"] for t in self.payload() if t["name"] == name), None)
        return found

    async def call(self, name: str, arguments: Mapping[str, Any] | None) -> Any:
        """Run one of the three tools; never raises."""
        from .validation import validate_arguments

        schema = self.input_schema(name)
        if schema is None:
            return self._error(
                f"tool {name!r} is not available in discovery mode: use {SEARCH}, {DESCRIBE} and {CALL}; "
                "nothing was sent"
            )
        args = dict(arguments or {})
        problems = validate_arguments(schema, args, (), ())
        if problems:
            return self._error(f"invalid arguments for {name}: " + "; ".join(problems) + ". Nothing was sent.")
        if name == SEARCH:
            return self._search(str(args["query"]), int(args.get("limit", 8)))
        if name == DESCRIBE:
            return self._describe([str(n) for n in args["names"]])
        target = str(args["name"])
        if target in (SEARCH, DESCRIBE, CALL) and not self._in_scope(target):
            return self._error(f"{CALL} calls the API's tools, not {target}; nothing was sent")
        return await self.host.call(target, args.get("arguments") or {}, self._in_scope)

    def _search(self, query: str, limit: int) -> Any:
        found = _index(self.host).search(query, limit, self._in_scope)
        rows = [{"name": t.name, "summary": summary(t)} for t in found]
        if not rows:
            text = f"No tool matches {query!r}; try other words (what the operation does, or what it acts on)."
        else:
            lines = [f"{r['name']}: {r['summary']}" for r in rows]
            text = "\n".join(lines) + f"\n\n{DESCRIBE} gives their arguments; {CALL} runs one."
        return self._success(text, {"tools": rows})

    def _describe(self, names: Sequence[str]) -> Any:
        known = [n for n in dict.fromkeys(names) if self._in_scope(n)]
        missing = [n for n in dict.fromkeys(names) if not self._in_scope(n)]
        definitions = [_definition(self.host.tools[n], self.host.input_schema(n)) for n in known]
        data: dict[str, Any] = {"tools": definitions}
        if missing:
            data["unknown"] = missing
        text = to_text(data)
        if not known:
            return self._error(f"no such tool: {', '.join(missing)} (find names with {SEARCH})")
        return self._success(text, data)
