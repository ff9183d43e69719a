"""The intermediate representation: what to generate, with every decision made.

The IR is the only thing templates see. It is built once per document by
:mod:`generator.build` and never changed afterwards (frozen dataclasses; the
JSON Schema mappings inside are plain data that no later layer mutates).
Templates only format what is here: they never compute a name or a rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .runtime.http import ClientOption
from .runtime.spec import Paging, View

__all__ = [
    "MODEL_TOKEN",
    "Api",
    "ModelSet",
    "Argument",
    "AuthScheme",
    "Body",
    "Constant",
    "ErrorHint",
    "Group",
    "Operation",
    "RateLimitHeaders",
    "Response",
    "Server",
    "Tool",
    "model_ref",
    "resolve_type",
    "union",
    "union_members",
]

# -- model references ----------------------------------------------------------------------
#
# The classes of the models module are datamodel-code-generator's (``generator.models``):
# it names them, also when two schemas would take one name. So the IR does not spell a
# model class: where a value is typed by a model, its annotation holds a reference to the
# schema, ``⟦#/components/schemas/Ticket⟧``, and render resolves every reference to the
# class dcg reports for that schema (:func:`resolve_type`), or to plain JSON when there is none.

MODEL_TOKEN = re.compile(r"⟦([^⟧]+)⟧")
"""A model reference inside an annotation: the schema's JSON pointer in ``⟦...⟧``."""


def model_ref(pointer: str) -> str:
    """The annotation of a value typed by the model of the schema at ``pointer``."""
    return f"⟦{pointer}⟧"


def resolve_type(annotation: str, classes: Mapping[str, str]) -> str:
    """``annotation`` with every model reference resolved: ``models.<Class>``, or
    ``dict[str, Any]`` for a schema without a class (repeats of it merged)."""
    if "⟦" not in annotation:
        return annotation
    out = MODEL_TOKEN.sub(lambda m: f"models.{classes[m[1]]}" if m[1] in classes else _PLAIN, annotation)
    while f"{_PLAIN} | {_PLAIN}" in out:
        out = out.replace(f"{_PLAIN} | {_PLAIN}", _PLAIN)
    return union(out)


_PLAIN = "dict[str, Any]"


def union(annotation: str) -> str:
    """``A | A | None`` -> ``A | None`` (top-level members only)."""
    parts: list[str] = []
    for part in union_members(annotation):
        if part not in parts:
            parts.append(part)
    return " | ".join(parts)


def union_members(annotation: str) -> list[str]:
    """The top-level members of a union annotation (``A | B[C | D]`` -> ``A``, ``B[C | D]``)."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(annotation + "|"):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    return parts


Location = Literal["path", "query", "header", "cookie", "body", "form", "file", "whole"]


@dataclass(frozen=True)
class Argument:
    """One argument of a client method and of the matching MCP tool.

    ``name`` is the tool argument (the API's native name where possible);
    ``py_name`` the Python keyword; ``wire`` the name sent upstream. ``location``
    says where the value goes: a parameter location, a top-level property of a
    JSON ``body``, a ``form`` field or ``file`` part of a form body, or the
    ``whole`` body when it cannot be flattened. ``encoding`` is ``json`` for a
    parameter whose value is serialised as JSON (OpenAPI ``content``), ``files``
    for an array of file parts, else ``plain``.
    """

    name: str
    py_name: str
    wire: str
    location: Location
    required: bool
    schema: dict[str, Any]
    py_type: str
    description: str
    encoding: Literal["plain", "json", "file", "files"] = "plain"
    explode: bool = True
    style: str = ""  # a query parameter's or urlencoded form field's OpenAPI style; "": form
    allow_reserved: bool = False


@dataclass(frozen=True)
class Constant:
    """A value the client always sends (an ``x-tool-hidden`` parameter's default)."""

    location: Literal["path", "query", "header", "cookie"]
    wire: str
    value: str


@dataclass(frozen=True)
class Body:
    """How the request body is sent: ``mode`` is ``flat`` (arguments are its
    top-level properties) or ``whole`` (one argument is the body)."""

    media_type: str
    mode: Literal["flat", "whole"]
    required: bool


@dataclass(frozen=True)
class Response:
    """The success response: status, media type, schema and Python result type.

    ``model`` is set when the result is parsed into one model class: a model reference
    (:func:`model_ref`) in the IR, the class name once render has resolved it."""

    status: int
    media_type: str | None
    kind: Literal["json", "text", "bytes", "empty"]
    py_type: str
    model: str | None
    output_schema: dict[str, Any] | None


@dataclass(frozen=True)
class ErrorHint:
    """A message for upstream errors of one tool (``x-tool.errors``): errors with a
    status in ``status``, when ``given`` was sent / ``absent`` was not."""

    status: tuple[int, ...]
    message: str
    given: str | None = None
    absent: str | None = None


@dataclass(frozen=True)
class Tool:
    """The MCP face of an operation; ``transform`` names the runtime result
    transform (``x-tool.result``) and ``error_hints`` explain upstream errors."""

    name: str
    title: str
    category: Literal["read", "write", "custom"]
    tags: tuple[str, ...]
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool
    exclusive: tuple[tuple[str, ...], ...]
    at_least_one: tuple[tuple[str, ...], ...] = ()
    flat_body: tuple[str, ...] = ()  # the flat arguments that make up a union body (build.unions)
    body_schema: dict[str, Any] | None = None  # what that assembled body is checked against
    transform: str | None = None
    error_hints: tuple[ErrorHint, ...] = ()
    view: View = View()
    wire_types: tuple[tuple[str, str], ...] = ()  # id arguments sent as the operation's type (build.ids)

    @property
    def shaped(self) -> bool:
        """Whether the tool's view differs from the default (plain compaction)."""
        return self.view != View()


@dataclass(frozen=True)
class Operation:
    """One API operation: its HTTP shape, its client method and its tool."""

    key: str
    const: str
    method: str
    path: str
    group: str
    py_method: str
    summary: str
    docstring: str
    arguments: tuple[Argument, ...]
    constants: tuple[Constant, ...]
    body: Body | None
    response: Response
    error_statuses: tuple[int, ...]
    auth: tuple[str, ...]
    deprecated: bool
    where: str
    tool: Tool
    checks: tuple[tuple[str, str], ...] = ()  # (argument, runtime check name), x-tool.checks
    paging: Paging | None = None  # how a curated list pages (x-tool.paging)


@dataclass(frozen=True)
class Group:
    """A resource group of the client: ``client.tickets`` holds the ticket operations."""

    name: str
    class_name: str
    module: str
    operations: tuple[Operation, ...]

    @property
    def paged(self) -> bool:
        """Whether a list of the group pages (its client methods get ``*_pages`` iterators)."""
        return any(op.paging is not None for op in self.operations)

    @property
    def spec_names(self) -> tuple[str, ...]:
        """The runtime ``spec`` classes the group's tools module uses (what it imports)."""
        names = {"ToolSpec"}
        if any(op.tool.error_hints for op in self.operations):
            names.add("ErrorHint")
        if any(op.tool.shaped for op in self.operations):
            names.add("View")
        return tuple(sorted(names))


@dataclass(frozen=True)
class AuthScheme:
    """A security scheme the runtime can fill from one credential."""

    name: str
    kind: Literal["header", "query", "cookie", "bearer", "basic"]
    param: str


@dataclass(frozen=True)
class Server:
    """A base URL, with ``{variables}`` filled from the environment or defaults."""

    url: str
    name: str
    variables: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class RateLimitHeaders:
    """Which vendor headers carry the rate limit; ``reset_format`` is ``unix``
    (epoch seconds) or ``seconds`` (a delay)."""

    limit: str | None
    remaining: str | None
    reset: str | None
    reset_format: Literal["unix", "seconds"]


@dataclass(frozen=True)
class Api:
    """A whole API: what one generated package contains."""

    package: str
    app: str
    title: str
    version: str
    source: str
    sha256: str
    description: str
    client_class: str
    async_client_class: str
    credential_env: str
    credential_arg: str
    variable_args: tuple[tuple[str, str, str], ...]
    server_arg: str | None
    base_url_env: str
    client_doc: str
    server_choice_env: str | None
    servers: tuple[Server, ...]
    default_server: str
    auth_schemes: tuple[AuthScheme, ...]
    ratelimit: RateLimitHeaders
    operations: tuple[Operation, ...]
    groups: tuple[Group, ...]
    models: ModelSet
    client_options: tuple[ClientOption, ...]
    warnings: tuple[str, ...]
    exports: tuple[tuple[str, str], ...] = ()  # (runtime module, name) re-exported by the package
    plugins: tuple[str, ...] = ()  # the runtime's quirk plug-ins the package carries (generator.parts)


@dataclass(frozen=True)
class ModelSet:
    """The input of the models module (``generator.models``): every schema that becomes a
    class, by its name under ``#/components/schemas`` (the document's component schemas,
    plus the inline success responses hoisted there under names the namer chose), and the
    document's OpenAPI version."""

    schemas: Mapping[str, Any]
    openapi: str
