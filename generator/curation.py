"""The curation extensions, typed: ``x-api`` on the document, ``x-tool`` on operations.

A curated document records what an assistant must know and plain OpenAPI cannot
say (``openapi/README.md``). These pydantic models are the one definition of
those extensions: :func:`read_curation` parses them when a document is loaded,
so a misspelled key (``usgae:``) or a value of the wrong type is a located error
(``paths./v3/tickets.get.x-tool.usgae: unknown key; did you mean 'usage'?``)
before anything is built, and every later stage reads typed attributes instead
of raw ``.get()`` calls. The reference tables of ``openapi/README.md`` are
rendered from the same models (:func:`reference_markdown`; ``make generate``
writes them and ``make check`` fails when they are stale), and the document
tests import the models instead of keeping their own list of keys.

Models are strict (no coercion: ``read_only: "yes"`` is an error, not ``True``)
and closed (unknown keys are errors). Only rules that hold for any document that
uses the extensions live here; the stricter house rules for the checked-in
documents (every operation has a title, a usage and a provenance) are checked
by ``tests/test_openapi_documents.py`` from :data:`HOUSE_REQUIRED`.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import Diagnostics, location

__all__ = [
    "HOUSE_REQUIRED", "HTTP_METHODS", "KINDS", "Curation", "XApi", "XTool", "read_curation", "reference_markdown",
]  # fmt: skip

Kind = Literal["list", "get", "create", "update", "delete", "custom"]
KINDS: tuple[str, ...] = get_args(Kind)
_SNAKE = r"^[a-z][a-z0-9_]*$"
_ENV = r"^[A-Z][A-Z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# -- x-api ------------------------------------------------------------------------------


class Credential(_Model):
    """Where the runtime reads the credential, and which security scheme it fills."""

    env: str = Field(pattern=_ENV, description="environment variable holding the API key or token")
    scheme: str | None = Field(None, description="the `components.securitySchemes` entry it fills")


class ServerChoice(_Model):
    """Pick one of several servers by name (each server item carries `x-name`)."""

    env: str = Field(pattern=_ENV, description="environment variable naming the server, e.g. `INTERCOM_REGION`")
    default: str | None = Field(None, description="the `x-name` of the server used when the variable is unset")


class RateLimit(_Model):
    """Which response headers carry the vendor's rate limit (normalised to `ratelimit-*`)."""

    limit: str | None = Field(None, description="header with the request quota, or null")
    remaining: str | None = Field(None, description="header with the requests left, or null")
    reset: str | None = Field(None, description="header with the reset time, or null")
    reset_format: Literal["unix", "seconds"] = Field(
        "seconds", description="`unix` (epoch seconds) or `seconds` (a delay)"
    )


class XApi(_Model):
    """`x-api`, at the document root: the package and how its client is configured."""

    name: str | None = Field(None, pattern=_SNAKE, description="package name: `generated/<name>`, `python -m`")
    app: str | None = Field(None, pattern=_SNAKE, description="the `{app}` segment of tool names")
    title: str | None = Field(None, min_length=1, description="human name used in docs and descriptions")
    client: str | None = Field(
        None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="typed client class; the async one is `Async<client>`"
    )
    credential: Credential | None = Field(None, description="where the runtime reads the credential")
    server_variables: dict[str, str] = Field(
        default_factory=dict, description="server URL variable -> environment variable"
    )
    server_choice: ServerChoice | None = Field(None, description="optional: choose a server by its `x-name`")
    ratelimit: RateLimit = Field(default_factory=RateLimit, description="the vendor's rate-limit headers")


# -- x-tool -----------------------------------------------------------------------------


class Intent(_Model):
    """The MCP annotations, and what else a call does."""

    read_only: bool | None = Field(None, description="readOnlyHint (default: the method is GET, HEAD or OPTIONS)")
    destructive: bool | None = Field(None, description="destructiveHint: can it remove or overwrite data?")
    idempotent: bool | None = Field(None, description="idempotentHint: is a repeated identical call harmless?")
    open_world: bool | None = Field(None, description="openWorldHint: does it talk to an outside system?")
    side_effects: list[str] = Field(default_factory=list, description="what else happens, in plain words")


class IdArgument(_Model):
    """An argument that names the resource, and where a model gets its value."""

    argument: str = Field(description="the tool argument")
    source: str | None = Field(None, description="where the value comes from (a tool and field)")
    note: str | None = Field(None, description="what kind of identifier it is")


class Paging(_Model):
    """How a list pages."""

    style: Literal["offset", "cursor", "scroll"] = Field(description="`offset`, `cursor` or `scroll`")
    offset: str | None = Field(None, description="offset style: the item-offset argument")
    size: str | None = Field(None, description="the page-size argument, if any")
    fixed_size: int | None = Field(None, gt=0, description="the page size when there is no size argument")
    default_size: int | None = Field(None, gt=0, description="the page size when the size argument is not given")
    cursor: str | None = Field(None, description="cursor and scroll styles: the argument to send back")
    next: str | None = Field(None, description="where the next cursor is in the answer (dotted path)")


class ResultView(_Model):
    """How the tool's answer is shaped for the model (besides compaction, which every tool gets)."""

    omit: list[str] = Field(
        default_factory=list,
        description="bulky members left out unless `fields` asks for them (dotted; on a list, per item)",
    )
    confirm: list[str] = Field(
        default_factory=list, description="write tools: the members a confirmation keeps (default: identifier-like)"
    )
    items: str | None = Field(None, description="the member holding the list's items (default: its only list)")


class Files(_Model):
    """Multipart part names for files."""

    one: str | None = Field(None, description="part name for exactly one file")
    many: str | None = Field(None, description="part name for several files")


class Provenance(_Model):
    """Where the operation's facts come from."""

    source: Literal["vendor-reference", "recorded-response", "seed-inventory"] = Field(
        description="`vendor-reference`, `recorded-response` or `seed-inventory`"
    )
    vendor_operation_id: str | None = Field(None, description="the vendor's operationId, when there is one")
    notes: list[str] = Field(default_factory=list, description="every deliberate difference from the vendor")


class Result(_Model):
    """A named transform of the MCP tool's successful answer (a runtime quirk plug-in)."""

    transform: str = Field(description="the transform's name, e.g. `conversation_timeline`")


class ErrorRule(_Model):
    """Advice put in front of the tool error of a matching upstream error."""

    status: int | list[int] = Field(description="an HTTP error status or a list of them")
    message: str = Field(min_length=1, description="the advice")
    given: str | None = Field(None, description="only when this argument was sent")
    absent: str | None = Field(None, description="only when this argument was not sent")

    @model_validator(mode="after")
    def _statuses(self) -> ErrorRule:
        codes = [self.status] if isinstance(self.status, int) else self.status
        if not codes or not all(400 <= s <= 599 for s in codes):
            raise ValueError("status must be an HTTP error status (400-599) or a list of them")
        return self

    @property
    def statuses(self) -> tuple[int, ...]:
        return (self.status,) if isinstance(self.status, int) else tuple(self.status)


class XTool(_Model):
    """`x-tool`, on every curated operation: the tool's name, meaning and rules."""

    resource: str = Field(pattern=_SNAKE, description="plural snake case; the client group (`client.tickets`)")
    kind: Kind = Field(description="picks the tool-name rule (above)")
    singular: str | None = Field(None, pattern=_SNAKE, description="the resource in the singular (default: `resource`)")
    method: str | None = Field(None, pattern=_SNAKE, description="custom kind only: `{app}_{resource}_{method}`")
    name: str | None = Field(None, description="the tool name, only where it does not follow from the rule")
    client_method: str | None = Field(
        None, pattern=_SNAKE, description="the client method (default: the kind, or `method` for custom)"
    )
    category: Literal["read", "write", "custom"] | None = Field(
        None, description="filter category (default: read for list/get, write for create/update/delete)"
    )
    title: str | None = Field(None, min_length=1, description="short human title (MCP `title`)")
    usage: str | None = Field(None, min_length=1, description="what the tool does and when to use it")
    intent: Intent = Field(default_factory=Intent, description="annotations and side effects")
    ids: list[IdArgument] = Field(default_factory=list, description="the arguments that name the resource")
    paging: Paging | None = Field(None, description="how the list pages")
    files: Files | None = Field(None, description="multipart operations: how files are sent")
    access: str | None = Field(None, min_length=1, description="a special-access rule")
    rules: list[str] = Field(default_factory=list, description="extra rules an assistant must follow, one line each")
    provenance: Provenance | None = Field(None, description="where the facts come from")
    checks: dict[str, str] = Field(default_factory=dict, description="argument -> named check run before sending")
    result: Result | None = Field(None, description="a named transform of the tool's answer")
    view: ResultView = Field(default_factory=ResultView, description="how the answer is shaped for the model")
    errors: list[ErrorRule] = Field(default_factory=list, description="advice on matching upstream errors")

    @model_validator(mode="after")
    def _method_for_custom(self) -> XTool:
        if self.kind == "custom" and not self.method and not self.name:
            raise ValueError("a custom kind needs `method` (or `name`)")
        if self.method is not None and self.kind != "custom":
            raise ValueError("`method` applies to the custom kind only")
        return self


HOUSE_REQUIRED = ("resource", "singular", "kind", "title", "usage", "intent", "provenance")
"""`x-tool` keys every operation of the checked-in documents must have (the house rule)."""


# -- reading --------------------------------------------------------------------------------

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_OURS = ("x-api", "x-tool", "x-tool-hidden", "x-name")


@dataclass(frozen=True)
class Curation:
    """The typed extensions of one document: ``api`` and each operation's ``tools[(path, method)]``."""

    api: XApi = field(default_factory=XApi)
    tools: Mapping[tuple[str, str], XTool] = field(default_factory=dict)

    def tool(self, path: str, method: str) -> XTool | None:
        """The ``x-tool`` of an operation, or None when it is not curated."""
        return self.tools.get((path, method))


def read_curation(raw: Mapping[str, Any], diags: Diagnostics) -> Curation:
    """Parse every curation extension of ``raw``; each problem is a located error."""
    api = _parse(XApi, raw.get("x-api"), "x-api", diags) if "x-api" in raw else XApi()
    _near_misses(raw, "", diags)
    tools: dict[tuple[str, str], XTool] = {}
    paths = raw.get("paths")
    for path, item in paths.items() if isinstance(paths, Mapping) else ():
        if not isinstance(item, Mapping):
            continue
        _hidden_flags(item.get("parameters"), location("paths", path, "parameters"), diags)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            where = location("paths", path, method)
            _near_misses(op, where, diags)
            _hidden_flags(op.get("parameters"), location(where, "parameters"), diags)
            if "x-tool" in op:
                parsed = _parse(XTool, op["x-tool"], location(where, "x-tool"), diags)
                if parsed is not None:
                    tools[(str(path), method)] = parsed
    servers = raw.get("servers")
    for i, server in enumerate(servers if isinstance(servers, list) else []):
        if isinstance(server, Mapping) and "x-name" in server and not isinstance(server["x-name"], str):
            diags.error(location("servers", i, "x-name"), "must be a string")
    return Curation(api or XApi(), tools)


def _parse(model: type[_Model], value: Any, where: str, diags: Diagnostics) -> Any:
    if not isinstance(value, Mapping):
        diags.error(where, f"must be a mapping; got {_kind(value)}")
        return None
    try:
        return model.model_validate(dict(value))
    except ValidationError as exc:
        for err in exc.errors():
            diags.error(location(where, *[p for p in err["loc"] if isinstance(p, str | int)]), _explain(err, model))
        return None


def _explain(err: Mapping[str, Any], model: type[_Model]) -> str:
    kind, loc = err["type"], err["loc"]
    if kind == "extra_forbidden":
        known = _keys_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        return "unknown key" + hint
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and "[a-z]" in str(err.get("ctx", {}).get("pattern", "")):
        return f"must be snake case; got {err['input']!r}"
    if kind == "literal_error":
        return f"{err['msg'][0].lower()}{err['msg'][1:]}; got {err['input']!r}"
    if kind.endswith("_type"):
        wanted = _WANTED.get(kind, kind.removesuffix("_type").replace("_", " "))
        return f"must be {wanted}; got {_kind(err['input'])} {err['input']!r}"
    return f"{err['msg']}; got {err['input']!r}"


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (for the "did you mean" hint)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(str(part))
        current = _inner_model(info.annotation) if info is not None else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        nested = typing.get_args(arg)
        for inner in nested:
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


_WANTED = {"bool_type": "true or false", "string_type": "a string", "int_type": "an integer",
           "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping"}  # fmt: skip


def _kind(value: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "a list",
             dict: "a mapping"}  # fmt: skip
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _near_misses(node: Mapping[str, Any], where: str, diags: Diagnostics) -> None:
    """``x-tol:`` or ``x-apis:`` next to where ours belong: almost surely a typo of ours."""
    for key in node:
        if isinstance(key, str) and key.startswith("x-") and key not in _OURS:
            close = difflib.get_close_matches(key, _OURS, n=1, cutoff=0.8)
            if close:
                diags.error(location(where, key) if where else key, f"unknown extension; did you mean {close[0]!r}?")


def _hidden_flags(params: Any, where: str, diags: Diagnostics) -> None:
    for i, p in enumerate(params if isinstance(params, list) else []):
        if isinstance(p, Mapping) and "x-tool-hidden" in p and not isinstance(p["x-tool-hidden"], bool):
            diags.error(location(where, i, "x-tool-hidden"), "must be true or false")


# -- the reference in openapi/README.md ---------------------------------------------------------

_BEGIN = "<!-- curation-reference: begin (written by `make generate` from generator/curation.py) -->"
_END = "<!-- curation-reference: end -->"


def reference_markdown() -> str:
    """The key tables of every extension model, as Markdown (see :func:`update_reference`)."""
    out: list[str] = []
    for title, model in (("`x-api`", XApi), ("`x-tool`", XTool)):
        out += [f"#### {title}", "", _one_line(model.__doc__), ""]
        out += _table(model, "")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _table(model: type[BaseModel], prefix: str) -> list[str]:
    rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        inner = _inner_model(info.annotation)
        rows.append(
            f"| `{prefix}{name}` | {_type_name(info.annotation)} | {'yes' if info.is_required() else ''} "
            f"| {info.description or ''} |"
        )
        if inner is not None:
            nested.append((f"{prefix}{name}.", inner))
    for sub_prefix, inner in nested:
        rows += [f"| **`{sub_prefix}*`** | | | {_one_line(inner.__doc__)} |"]
        rows += [r for r in _table(inner, sub_prefix)[2:]]
    return rows


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in args if a is not type(None)]
        return " \\| ".join(parts) + (" \\| null" if type(None) in args else "")
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"map of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return {str: "string", int: "integer", bool: "boolean"}.get(annotation, str(annotation))


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip())


def update_reference(readme: str) -> str:
    """``readme`` with the text between the reference markers replaced by :func:`reference_markdown`."""
    start, end = readme.find(_BEGIN), readme.find(_END)
    if start < 0 or end < start:
        raise ValueError(f"openapi/README.md lacks the markers {_BEGIN!r} ... {_END!r}")
    return readme[: start + len(_BEGIN)] + "\n\n" + reference_markdown() + "\n" + readme[end:]
