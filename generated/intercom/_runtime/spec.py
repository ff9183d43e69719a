# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Static descriptions of an API, its operations and its tools.

Generated modules instantiate these frozen dataclasses as literals; the runtime
interprets them. Nothing here does I/O.

It also defines the two shapes a quirk plug-in (``search``, ``timeline``,
``scroll``; see ``hooks``) contributes: an argument :data:`Check` and a result
:class:`Transform`. They live here, at the bottom of the runtime, so a plug-in
depends on nothing but this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CATEGORIES", "ApiSpec", "AuthSpec", "Check", "ErrorHint", "OperationSpec", "Param", "RateLimitSpec",
    "Paging", "ServerSpec", "ToolSpec", "Transform", "View",
]  # fmt: skip

CATEGORIES = ("read", "write", "custom")
"""Tool categories: what the ``--methods`` filter and an endpoint's ``methods`` select."""

Check = Callable[[Any, str], list[str]]
"""An argument check: ``(value, argument name) -> problems`` (empty when the value is fine)."""


@dataclass(frozen=True)
class Transform:
    """A result transform: ``function(data, arguments, tool name) -> data``.

    ``adds`` are the top-level output-schema properties it adds; ``note`` a
    sentence appended to the tool description; ``exports`` the ``(runtime module,
    name)`` pairs a generated package re-exports for library users.
    """

    function: Callable[[Any, Mapping[str, Any], str], Any]
    adds: Mapping[str, Any]
    note: str
    exports: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ServerSpec:
    """A base URL template; ``variables`` are ``(name, default, environment variable)``."""

    url: str
    name: str = ""
    variables: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class AuthSpec:
    """How the credential is sent: ``header`` / ``query`` / ``cookie`` (raw value under
    ``param``), ``bearer`` or ``basic`` (``Authorization`` header)."""

    name: str
    kind: str
    param: str


@dataclass(frozen=True)
class RateLimitSpec:
    """Which response headers carry the vendor's rate limit."""

    limit: str | None = None
    remaining: str | None = None
    reset: str | None = None
    reset_format: str = "seconds"


@dataclass(frozen=True)
class ApiSpec:
    """Everything about an API that is not an operation."""

    title: str
    package: str
    credential_env: str
    base_url_env: str
    servers: tuple[ServerSpec, ...]
    auth: tuple[AuthSpec, ...] = ()
    ratelimit: RateLimitSpec = field(default_factory=RateLimitSpec)
    server_choice_env: str | None = None
    default_server: str = ""


@dataclass(frozen=True)
class Param:
    """Where one argument goes: ``location`` is path / query / header / cookie, a
    ``body`` property, a ``form`` field, a ``file`` part, or the ``whole`` body.

    A query, path or header parameter or an urlencoded form field travels as its
    OpenAPI ``style`` (``""``: the location's default, ``form`` or ``simple``),
    ``explode`` and (query and form) ``allow_reserved`` say (``serialize``)."""

    arg: str
    wire: str
    location: str
    encoding: str = "plain"
    explode: bool = True
    style: str = ""
    allow_reserved: bool = False


@dataclass(frozen=True)
class Paging:
    """How a list operation pages (``paging``): ``style`` ``offset`` or ``cursor``; the
    ``argument`` that carries the position (a dotted name for a body object's member,
    ``pagination.starting_after``) and whether it is sent as ``text``; the page-size
    argument and the page size when it is not given; ``next``, the dotted path of the
    next position in the answer (a cursor, or a next-page URL with the offset in it);
    ``items``, the answer's member that lists the page's items."""

    style: str
    argument: str
    size_argument: str | None = None
    size: int | None = None
    next: str | None = None
    text: bool = False
    items: str | None = None


@dataclass(frozen=True)
class OperationSpec:
    """One HTTP operation, as the client sends it."""

    name: str
    method: str
    path: str
    params: tuple[Param, ...] = ()
    constants: tuple[tuple[str, str, str], ...] = ()
    media_type: str | None = None
    body_required: bool = True
    """False for an optional request body: when no part of it is given, none is sent."""
    success: int = 200
    response_kind: str = "json"
    auth: tuple[str, ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    """``(argument, check name)`` pairs run before sending (``x-tool.checks``, see ``hooks``)."""
    paging: Paging | None = None
    """How a list pages: the tool's ``has_more`` / ``next`` and the client's ``*_pages``."""


@dataclass(frozen=True)
class ErrorHint:
    """What to tell the caller when an upstream error matches (``x-tool.errors``).

    It matches an error whose status is in ``status``; with ``given`` only when
    that argument was sent, with ``absent`` only when it was not.
    """

    status: tuple[int, ...]
    message: str
    given: str | None = None
    absent: str | None = None


@dataclass(frozen=True)
class View:
    """How a tool's successful answer is shaped for the model (``results``).

    Every answer is compacted. A ``write`` tool answers with a short confirmation: the
    members named in ``keep`` (the identifiers the next call needs) and those of the
    arguments the call gave. A read tool leaves out the bulky members in ``omit``
    unless its ``fields`` argument (named here; None: it has none) asks for them; its
    list of items is the member ``items``. How it pages is the operation's ``paging``."""

    write: bool = False
    keep: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()
    items: str | None = None
    fields: str | None = None


@dataclass(frozen=True)
class ToolSpec:
    """One MCP tool: its listing data and the operation it calls."""

    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None
    operation: OperationSpec
    category: str
    tags: tuple[str, ...] = ()
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = True
    exclusive: tuple[tuple[str, ...], ...] = ()
    """Groups of arguments of which exactly one must be given."""
    at_least_one: tuple[tuple[str, ...], ...] = ()
    """Groups of arguments of which at least one must be given."""
    flat_body: tuple[str, ...] = ()
    """The flat arguments that make up a union body: the host assembles them into the body
    and checks it against ``body_schema`` (the union's own branches) before sending."""
    body_schema: dict[str, Any] | None = None
    transform: str | None = None
    """The result transform applied to a successful answer (``x-tool.result``, see ``hooks``)."""
    error_hints: tuple[ErrorHint, ...] = ()
    view: View = View()
    """How the successful answer is shaped for the model (``results``)."""
    wire_types: tuple[tuple[str, str], ...] = ()
    """``(argument, type)``: identifier arguments declared as the API returns them (a
    string of digits) that the operation takes as ``integer``; the host converts them."""
