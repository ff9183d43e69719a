"""One operation -> its arguments, tool schemas, description and annotations.

:func:`draft` does all the work that does not depend on the operation's final
names: it gathers the parameter and body candidates, asks the namer for their
argument names (the collision policy), converts the schemas, reads the success
response, the hooks and the curation, and returns a :class:`Draft` together with
the names the operation *wants*. Once the namer has settled every operation's
names (:meth:`generator.namer.Namer.operations`), :meth:`Draft.finish` builds the
frozen :class:`~generator.ir.Operation`: IR objects are made once, with their
final names, and never changed afterwards.

Curation (``x-tool``) overrides what the HTTP method implies: category,
annotations, title, usage. An operation the generator cannot express is skipped
with a warning, never generated half-right.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import describe
from ..errors import Diagnostics, location
from ..hooks import read_hooks
from ..ir import Argument, AuthScheme, Body, Constant, Operation, Response, Tool
from ..load import Document
from ..namer import BODY_LOCATIONS, Candidate, Namer, OperationNames, Wanted
from ..naming import snake, tag_name
from ..runtime.spec import Paging
from ..schema import OUTPUT_BUDGET, REQUEST_BUDGET, Converter
from ..shapes import FILE_SCHEMA
from .bodies import request_body
from .client import operation_auth
from .ids import ReturnedIds, declare_ids, path_placeholders
from .parameters import operation_parameters
from .responses import success_response
from .unions import flatten_body
from .views import result_view

__all__ = ["Draft", "draft"]

_KIND_CATEGORY = {"list": "read", "get": "read", "create": "write", "update": "write",
                  "delete": "write", "custom": "custom"}  # fmt: skip
_READ_METHODS = ("get", "head", "options")
_VERSION_SEGMENT = re.compile(r"^(v\d+(_\d+)*|api|rest)$")  # snake-cased segments


@dataclass(frozen=True)
class Draft:
    """Everything of an operation but its final names (see the module docstring)."""

    method: str
    path: str
    group: str
    wanted: Wanted
    title: str
    usage: str
    raw_op: Mapping[str, Any]
    arguments: tuple[Argument, ...]
    constants: tuple[Constant, ...]
    body: Body | None
    response: Response
    auth: tuple[str, ...]
    tool: Mapping[str, Any]  # the Tool's fields but its name
    checks: tuple[tuple[str, str], ...]
    paging: Paging | None

    def declaring_ids(self, ids: ReturnedIds) -> Draft:
        """The draft with its identifier arguments declared as the API returns them (``ids``)."""
        schema, wire = declare_ids(self.tool["input_schema"], ids, self.path, path_placeholders(self.arguments))
        if not wire and schema is self.tool["input_schema"]:
            return self
        return dataclasses.replace(self, tool={**self.tool, "input_schema": schema, "wire_types": wire})

    def finish(self, names: OperationNames) -> Operation:
        """The IR operation under its settled names."""
        return Operation(
            key=names.tool,
            const=names.const,
            method=self.method.upper(),
            path=self.path,
            group=self.group,
            py_method=names.py_method,
            summary=self.title,
            docstring=_docstring(self.usage, self.arguments, self.raw_op),
            arguments=self.arguments,
            constants=self.constants,
            body=self.body,
            response=self.response,
            error_statuses=tuple(
                sorted(int(s) for s in (self.raw_op.get("responses") or {}) if str(s).isdigit() and int(s) >= 400)
            ),
            auth=self.auth,
            deprecated=bool(self.raw_op.get("deprecated")),
            where=self.wanted.where,
            tool=Tool(name=names.tool, **self.tool),
            checks=self.checks,
            paging=self.paging,
        )


def draft(
    doc: Document,
    conv: Converter,
    namer: Namer,
    path: str,
    method: str,
    item: Mapping[str, Any],
    schemes: tuple[AuthScheme, ...],
    hoisted: str | None,
    diags: Diagnostics,
) -> Draft | None:
    """Build one operation up to its names; None when it is skipped (with a warning)."""
    raw_op = item[method]
    if not isinstance(raw_op, Mapping):
        return None
    where = location("paths", path, method)
    servers = raw_op.get("servers") or item.get("servers")
    if servers not in (None, [], doc.raw.get("servers")):  # another host: the runtime has one base URL
        here = location(where if raw_op.get("servers") else where.rsplit(".", 1)[0], "servers")
        diags.warning(
            here, "servers of its own are not supported (calls would go to the document's server); operation skipped"
        )
        return None
    xtool = doc.curation.tool(path, method)
    group = namer.group(xtool, _fallback_group(raw_op, path))
    wanted = namer.wanted(xtool, raw_op.get("operationId"), method, path, group, where)
    conv.begin()
    built = _arguments(doc, conv, namer, raw_op, item, path, where, xtool is not None, diags)
    if built is None:
        return None
    arguments, constants, body, exclusive, at_least_one = built
    kind = xtool.kind if xtool else None
    category = (
        (xtool.category if xtool else None)
        or _KIND_CATEGORY.get(str(kind))
        or ("read" if method in _READ_METHODS else "write")
    )
    intent = xtool.intent if xtool else None
    read_only = intent.read_only if intent and intent.read_only is not None else method in _READ_METHODS
    arg_schemas = {a.name: a.schema for a in arguments}
    input_schema: dict[str, Any] = {"type": "object", "properties": arg_schemas}
    required = [a.name for a in arguments if a.required]
    if required:
        input_schema["required"] = required
    input_schema["additionalProperties"] = False
    input_schema = conv.finish(input_schema, "request")
    _over_budget(conv, "input", REQUEST_BUDGET, where, diags)
    flat_body: tuple[str, ...] = ()
    body_schema: dict[str, Any] | None = None
    union_sentence = ""
    whole = next((a for a in arguments if a.location == "whole"), None)
    if whole is not None and body is not None and "json" in body.media_type:
        others = [a.name for a in arguments if a is not whole]
        flat = flatten_body(input_schema, whole.name, whole.required, others)
        if flat is not None:  # the union of the body's shapes as flat arguments (unions)
            input_schema, flat_body, body_schema, union_sentence = flat
    conv.begin()
    response = success_response(doc, conv, raw_op, hoisted)
    _over_budget(conv, "output", OUTPUT_BUDGET, where, diags)
    usage = describe.plain((xtool.usage if xtool else None) or raw_op.get("summary") or raw_op.get("description") or "")
    if xtool and raw_op.get("description") and not xtool.usage:
        usage = describe.plain(raw_op["description"])
    description = describe.tool_description(
        usage=usage or f"{method.upper()} {path}",
        xtool=xtool,
        arguments=arg_schemas,
        json_query=[a.name for a in arguments if a.encoding == "json" and a.location == "query"],
        files=[(a.name, a.encoding) for a in arguments if a.location == "file"],
        deprecated=bool(raw_op.get("deprecated")),
    )
    file_args = {a.name for a in arguments if a.location == "file"}
    extra = [g for g in exclusive if not set(g) <= file_args]  # file groups: said under Files
    if extra:
        description += "\n" + " ".join(f"Give exactly one of {', '.join(f'`{n}`' for n in group)}." for group in extra)
    if at_least_one:
        description += "\n" + " ".join(f"Give at least one of {', '.join(f'`{n}`' for n in g)}." for g in at_least_one)
    if union_sentence:
        description += "\n" + union_sentence
    hooks = read_hooks(xtool, [a.name for a in arguments], response.output_schema, where, diags)
    if hooks.note:
        description += "\n" + hooks.note
    view, paging, output_schema, sentence = result_view(
        xtool=xtool, read_only=read_only, output_schema=hooks.output_schema, transform=hooks.transform,
        arguments=arguments, where=where, diags=diags, searches=_searches(path, raw_op.get("operationId")),
    )  # fmt: skip
    if view.fields:  # the projection argument: read by the tool host, never sent upstream
        input_schema = {**input_schema, "properties": {**input_schema["properties"], view.fields: {"type": "string"}}}
    if sentence:
        description += "\n" + sentence
    title = (
        (xtool.title if xtool else None)
        or describe.plain(raw_op.get("summary"))
        or wanted.tool.replace("_", " ").capitalize()
    )
    tool = dict(
        title=title,
        category=category,
        tags=_tags(raw_op),
        description=description,
        input_schema=input_schema,
        output_schema=output_schema,
        read_only=read_only,
        destructive=_flag(intent, "destructive", method in ("delete", "put")) and not read_only,
        idempotent=_flag(intent, "idempotent", method in (*_READ_METHODS, "put", "delete")),
        open_world=_flag(intent, "open_world", True),
        exclusive=exclusive,
        at_least_one=at_least_one,
        flat_body=flat_body,
        body_schema=body_schema,
        transform=hooks.transform,
        error_hints=hooks.error_hints,
        view=view,
    )
    return Draft(
        method=method,
        path=path,
        group=group,
        wanted=wanted,
        title=title,
        usage=usage,
        raw_op=raw_op,
        arguments=arguments,
        constants=constants,
        body=body,
        response=response,
        auth=operation_auth(doc.raw, raw_op, schemes, where, diags),
        tool=tool,
        checks=hooks.checks,
        paging=paging,
    )


_SEARCH_WORDS = re.compile(r"(search|query|find|lookup)", re.IGNORECASE)


def _searches(path: str, operation_id: Any) -> bool:
    """Whether an operation says it searches (``POST /contacts/search``, ``findPets``):
    its last path segment or its operationId starts with search, query, find or lookup."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_SEARCH_WORDS.match(last) or (isinstance(operation_id, str) and _SEARCH_WORDS.match(operation_id)))


def _flag(intent: Any, name: str, default: bool) -> bool:
    value = getattr(intent, name) if intent is not None else None
    return bool(default if value is None else value)


def _tags(raw_op: Mapping[str, Any]) -> tuple[str, ...]:
    tags = raw_op.get("tags")
    out: list[str] = []
    for tag in tags if isinstance(tags, list) else ():
        name = tag_name(tag)
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _fallback_group(raw_op: Mapping[str, Any], path: str) -> str:
    """The client group of an uncurated operation: its first tag, else its first
    path segment that is not a version (``/v3/tickets/{id}`` -> ``tickets``)."""
    tags = _tags(raw_op)
    if tags:
        return tags[0]
    segments = [snake(s) for s in path.split("/") if s and not s.startswith("{")]
    segments = [s for s in segments if s]
    named = [s for s in segments if not _VERSION_SEGMENT.match(s)]
    return (named or segments or ["default"])[0]


def _docstring(usage: str, arguments: tuple[Argument, ...], raw_op: Mapping[str, Any]) -> str:
    lines = [usage or describe.plain(raw_op.get("summary")) or "Call the operation."]
    if arguments:
        lines += ["", "Args:"]
        for a in arguments:
            text = a.description.replace("\n", " ")
            lines.append(f"    {a.py_name}: {text}".rstrip() if text else f"    {a.py_name}: ({a.location} `{a.wire}`)")
    return "\n".join(lines)


_Built = tuple[
    tuple[Argument, ...], tuple[Constant, ...], Body | None, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]
]


def _arguments(
    doc: Document,
    conv: Converter,
    namer: Namer,
    raw_op: Mapping[str, Any],
    item: Mapping[str, Any],
    path: str,
    where: str,
    curated: bool,
    diags: Diagnostics,
) -> _Built | None:
    found = operation_parameters(doc, item, raw_op, path, where, diags)
    if found is None:
        return None
    candidates, constants, query_groups = found
    body: Body | None = None
    body_groups: tuple[tuple[str, ...], ...] = ()
    least_groups: tuple[tuple[str, ...], ...] = ()
    raw_body = doc.resolve(raw_op.get("requestBody")) if raw_op.get("requestBody") else None
    if isinstance(raw_body, Mapping) and isinstance(raw_body.get("content"), Mapping) and raw_body["content"]:
        built = request_body(doc, conv, raw_body, location(where, "requestBody"), diags)
        if built is None:
            return None
        body, body_candidates, body_groups, least_groups = built
        candidates = candidates + body_candidates
    named = namer.arguments(candidates, strict=curated)
    arguments = [_argument(conv, c, tool_name, py_name) for c, tool_name, py_name in named]
    # Required first keeps Python signatures readable; all arguments are keyword-only.
    arguments.sort(key=lambda a: not a.required)
    in_body = {c.native: t for c, t, _ in named if c.location in BODY_LOCATIONS}
    in_query = {c.native: t for c, t, _ in named if c.location == "query"}
    exclusive = tuple(tuple(in_body.get(n, n) for n in group) for group in body_groups) + tuple(
        tuple(in_query.get(n, n) for n in group) for group in query_groups
    )
    at_least_one = tuple(tuple(in_body.get(n, n) for n in group) for group in least_groups)
    return tuple(arguments), tuple(constants), body, exclusive, at_least_one


def _argument(conv: Converter, c: Candidate, tool_name: str, py_name: str) -> Argument:
    payload = c.payload
    if "converted" in payload:
        schema = dict(payload["converted"])
        py_type = conv.py_type(payload["raw"], "request") if payload["raw"] is not None else "Any"
    else:
        schema = conv.convert(payload["schema"], "request")
        py_type = conv.py_type(payload["schema"], "request")
    encoding = payload["encoding"]
    if encoding == "file":
        schema, py_type = dict(FILE_SCHEMA), "FileInput"
    elif encoding == "files":
        declared = payload.get("converted") or {}
        schema = {"type": "array", "items": dict(FILE_SCHEMA), "minItems": max(1, declared.get("minItems", 1))}
        if isinstance(declared.get("maxItems"), int):  # "at most 3 files" is the API's rule, checked before sending
            schema["maxItems"] = declared["maxItems"]
        py_type = "Sequence[FileInput]"
    elif encoding == "text":
        schema, py_type, encoding = {"type": "string"}, "str", "plain"
    description = describe.plain(payload["description"])
    if description:
        schema["description"] = description
    return Argument(
        name=tool_name,
        py_name=py_name,
        wire=c.native,
        location=c.location,  # type: ignore[arg-type]
        required=bool(payload["required"]),
        schema=schema,
        py_type=py_type,
        description=description,
        encoding=encoding,
        explode=bool(payload.get("explode", True)),
        style=str(payload.get("style") or ""),
        allow_reserved=bool(payload.get("allow_reserved")),
    )


def _over_budget(conv: Converter, which: str, budget: int, where: str, diags: Diagnostics) -> None:
    """Warn when the schema ``conv`` just finished was summarised to fit ``budget`` (:mod:`generator.budget`)."""
    if conv.summarised is None:
        return
    size, parts = conv.summarised
    shown = ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")
    diags.warning(
        where,
        f"the tool's {which} schema ({size:,} bytes) is over the budget of {budget:,} bytes; "
        f"summarised: {shown or 'nothing could be'}",
    )
