"""The namer: every name of one generated package, decided once, in one place.

:mod:`generator.naming` holds the pure rules (snake case, the product's tool-name
rule, hashes); a :class:`Namer` applies them to one API and owns what makes a
name *taken*: the reserved sets of generated modules, the client's own
keywords (:data:`generator.runtime.http.CLIENT_OPTIONS`), and every name it has
handed out. The build layer asks it and never invents a name itself:

* package level: the client classes, the credential and server keywords, the
  environment variables (:meth:`variable_args`);
* operations: each operation's wanted tool name and client method are read from
  its curation (or derived from the operationId), then :meth:`operations`
  settles clashes in document order, once, before any IR object exists. A clash
  of a curated name is an error naming both places; an uncurated name gets a
  short hash of its method and path, with a warning;
* arguments: the collision policy of :meth:`arguments` (below);
* groups: attribute and class names of the client's resource groups;
* models: the schema key of a success response that is hoisted into the models
  module (:meth:`hoisted_response`). The *class* names of the models module are
  datamodel-code-generator's own: the IR refers to a model by its schema pointer,
  and render reads the class that dcg reports for it (:mod:`generator.models`).

Clashes are settled with a stable hash, never a counter, so adding an operation to
a document does not rename the others.

The argument collision policy, the same for the Python signature and the tool schema:

1. body (and form / file) properties keep their names;
2. a parameter whose name is also used in another location gets a location
   suffix (``id`` in the path and in the body -> ``id_path`` and ``id``);
3. a name that is not a portable JSON-Schema key is normalised to snake case
   (``名前``, which has no ASCII letters, becomes ``arg_<hash>``); a Python keyword,
   or a name generated modules use themselves, gets a trailing underscore in the
   Python name only;
4. a clash that remains after that fails generation of a curated operation,
   naming both sources; in an uncurated one the later argument gets a short hash
   of its location and name (``name_query_1a2b3c``), with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .curation import XApi, XTool
from .errors import Diagnostics, location
from .naming import (
    RESERVED_PY,
    TOOL_NAME_RE,
    arg_name,
    clip,
    constant,
    curated_tool_name,
    fallback_tool_name,
    pascal,
    py_arg_name,
    py_identifier,
    snake,
    with_hash,
)  # fmt: skip
from .runtime.http import CLIENT_OPTIONS

__all__ = ["BODY_LOCATIONS", "Candidate", "Namer", "OperationNames", "Wanted"]

BODY_LOCATIONS = ("body", "form", "file", "whole")
# Names a resource method must not take: client internals and the names its
# module's annotations use.
_RESERVED_METHODS = RESERVED_PY | {"close", "request"}
# Names a resource group (a client attribute) must not take: the client's own.
_RESERVED_GROUPS = RESERVED_PY | {"close", "aclose", "request"} | {o.name for o in CLIENT_OPTIONS if not o.private}
# Keywords of the client constructor a server variable must not take.
_CLIENT_KWARGS = {"self"} | {o.name for o in CLIENT_OPTIONS}
# Both class names of a group share the client module with the runtime's base classes.
_RESERVED_CLASSES = {"SyncResource", "AsyncResource"}


@dataclass(frozen=True)
class Candidate:
    """An argument before naming: its native name, location and where it came from."""

    native: str
    location: str
    where: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Wanted:
    """The names an operation asks for, before clashes are settled."""

    tool: str
    py_method: str
    group: str
    curated: bool
    salt: str  # the operation's method and path: what a clash's hash is made of
    where: str


@dataclass(frozen=True)
class OperationNames:
    """The settled names of one operation."""

    tool: str
    py_method: str
    const: str


T = TypeVar("T")


class Namer:
    """Every name of one package (see the module docstring)."""

    def __init__(self, package: str, xapi: XApi, diags: Diagnostics) -> None:
        self.package = package
        self.diags = diags
        self.env_prefix = snake(package).upper()
        self.app = xapi.app or snake(package)
        client = xapi.client or f"{pascal(package)}Client"
        self.client_class = client if client.isidentifier() else f"Api{client}"  # a package called ``_2fa``
        self.async_client_class = f"Async{self.client_class}"
        self.credential_env = xapi.credential.env if xapi.credential else f"{self.env_prefix}_API_KEY"
        self.base_url_env = f"{self.env_prefix}_BASE_URL"
        self.credential_arg = self._credential_arg()
        choice = xapi.server_choice
        self.server_choice_env = choice.env if choice else None
        self.server_arg = self._keyword(choice.env) if choice else None
        self._server_variable_envs = dict(xapi.server_variables)

    # -- package level --------------------------------------------------------------------
    def _keyword(self, env: str) -> str:
        """``INTERCOM_REGION`` -> ``region``: an environment variable as a client keyword."""
        return py_identifier(snake(env).removeprefix(snake(self.package) + "_"))

    def _credential_arg(self) -> str:
        """``DESK365_API_KEY`` -> ``api_key``; ``INTERCOM_ACCESS_TOKEN`` -> ``access_token``."""
        name = snake(self.credential_env)
        stripped = name.removeprefix(snake(self.env_prefix) + "_")
        return py_identifier(stripped if stripped != name or "_" not in name else name) or "api_key"

    def server_variable_env(self, name: str) -> str:
        """The environment variable of a server URL ``{variable}``; one that would take
        the credential's or the base URL's gets a ``_VAR`` suffix."""
        if name in self._server_variable_envs:
            return self._server_variable_envs[name]
        env = f"{self.env_prefix}_{snake(name).upper()}"
        return env + "_VAR" if env in (self.credential_env, self.base_url_env) else env

    def variable_args(self, variables: Sequence[tuple[str, str]]) -> tuple[tuple[str, str, str], ...]:
        """``(name, environment variable)`` of each server variable -> ``(name, client
        keyword, environment variable)``; a keyword the client constructor already has
        (``timeout``) gets a ``_var`` suffix."""
        taken = _CLIENT_KWARGS | {self.credential_arg} | ({self.server_arg} if self.server_arg else set())
        out: dict[str, tuple[str, str, str]] = {}
        for name, env in variables:
            if name not in out:
                py = py_identifier(name)
                while py in taken:
                    py = py_identifier(py + "_var")
                taken.add(py)
                out[name] = (name, py, env)
        return tuple(out.values())

    # -- operations ---------------------------------------------------------------------
    def group(self, xtool: XTool | None, fallback: str) -> str:
        """The client attribute of an operation's resource group (``client.tickets``)."""
        group = py_identifier(xtool.resource if xtool else fallback)
        return group + "_" if group in _RESERVED_GROUPS else group

    def wanted(
        self, xtool: XTool | None, operation_id: str | None, method: str, path: str, group: str, where: str
    ) -> Wanted:
        """The names an operation asks for: its curated ones, else the fallbacks."""
        kind = xtool.kind if xtool else None
        if xtool and xtool.name:
            name = xtool.name
        elif xtool:
            singular = xtool.singular or xtool.resource
            name = curated_tool_name(self.app, xtool.kind, xtool.resource, singular, xtool.method)
        else:
            name = fallback_tool_name(operation_id, method, path)
        if not TOOL_NAME_RE.match(name):
            if xtool:
                rule = "^[A-Za-z0-9._-]{1,64}$"
                self.diags.error(location(where, "x-tool"), f"tool name {name!r} does not match {rule}")
            name = clip(snake(name) or method)
        py_method = py_identifier(
            (xtool.client_method if xtool else None)
            or ((xtool.method if kind == "custom" else kind) if xtool else None)
            or snake(operation_id or "")
            or f"{method}_{path}"
        )
        if py_method in _RESERVED_METHODS:
            py_method += "_"
        return Wanted(name, py_method, group, xtool is not None, f"{method.upper()} {path}", where)

    def operations(self, items: Sequence[tuple[T, Wanted]]) -> list[tuple[T, OperationNames]]:
        """Settle the tool names, client methods and constants of every operation, in
        document order. A curated operation whose name is taken is dropped with an error."""
        tools: dict[str, str] = {}
        methods: dict[tuple[str, str], str] = {}
        consts: set[str] = set()
        out: list[tuple[T, OperationNames]] = []
        for item, w in items:
            salt = w.salt
            name, py_method = w.tool, w.py_method
            if name in tools:
                if w.curated:
                    self.diags.error(w.where, f"tool name {name!r} is already used by {tools[name]}")
                    continue
                while name in tools:
                    name = with_hash(name, salt)
                    salt += "'"
                self.diags.warning(w.where, f"tool name {w.tool!r} is already used by {tools[w.tool]}; named {name!r}")
            if (w.group, py_method) in methods:
                if w.curated:
                    other = methods[(w.group, py_method)]
                    self.diags.error(w.where, f"client method {w.group}.{py_method} is already used by {other}")
                    continue
                py_method = py_identifier(name)
                while (w.group, py_method) in methods or py_method in _RESERVED_METHODS:
                    py_method = with_hash(py_method, salt, limit=200)
                    salt += "'"
            const = constant(name)
            while const in consts:
                const = constant(with_hash(const, salt, limit=200))
                salt += "'"
            tools[name] = w.where
            methods[(w.group, py_method)] = w.where
            consts.add(const)
            out.append((item, OperationNames(name, py_method, const)))
        return out

    def group_classes(self, groups: Sequence[str]) -> dict[str, str]:
        """Group attribute -> class name (``tickets`` -> ``TicketsResource``; the async class
        prefixes ``Async``). A clash gets a short hash of the group name."""
        taken = set(_RESERVED_CLASSES)
        out: dict[str, str] = {}
        for name in groups:
            base = pascal(name) or "Default"
            if base[0].isdigit():
                base = "_" + base
            cls = base + "Resource"
            if cls in taken or "Async" + cls in taken:
                cls = f"{base}{with_hash('', name).lstrip('_')}Resource"
            taken |= {cls, "Async" + cls}
            out[name] = cls
        return out

    def hoisted_response(self, operation_id: str | None, method: str, path: str, taken: Callable[[str], bool]) -> str:
        """The models-module schema key of an operation's inline success response."""
        name = pascal(operation_id or f"{method} {path}") + "Response"
        salt = f"{method.upper()} {path}"
        while taken(name):
            name = with_hash(name, salt, limit=200)
            salt += "'"
        return name

    # -- arguments ------------------------------------------------------------------------
    def arguments(self, candidates: list[Candidate], *, strict: bool) -> list[tuple[Candidate, str, str]]:
        """Apply the argument collision policy; returns ``(candidate, tool_name, py_name)``.

        A clash left over is an error when ``strict`` (curated operations); otherwise
        the later argument is renamed with a hash, and a warning says so.
        """
        locations_by_native: dict[str, set[str]] = {}
        for c in candidates:
            locations_by_native.setdefault(c.native, set()).add(c.location)
        named: list[tuple[Candidate, str, str]] = []
        for c in candidates:
            name = c.native
            if len(locations_by_native[c.native]) > 1 and c.location not in BODY_LOCATIONS:
                name = f"{c.native}_{c.location}"
            named.append((c, arg_name(name), py_arg_name(name)))
        # Normalisation can merge distinct names (``dry-run`` and ``dry_run``): suffix
        # the parameter side by location, as for a native clash.
        for index in _clashes(named):
            c, tool, py = named[index]
            if c.location in BODY_LOCATIONS:
                # Body properties keep their names: the parameter it meets takes the suffix.
                index = next(
                    (
                        i
                        for i, (o, t, p) in enumerate(named[:index])
                        if (t == tool or p == py) and o.location not in BODY_LOCATIONS
                    ),
                    index,
                )
                c, tool, py = named[index]
            if c.location not in BODY_LOCATIONS and not tool.endswith(f"_{c.location}"):
                named[index] = (c, arg_name(f"{tool}_{c.location}"), py_identifier(f"{py}_{c.location}"))
        for index in _clashes(named):
            c, tool, py = named[index]
            others = [o.where for o, t, p in named if o is not c and (t == tool or p == py)]
            if not others:  # an earlier rename settled it
                continue
            if strict:
                clash = ", ".join(others)
                self.diags.error(c.where, f"argument name {tool!r} clashes with {clash}; rename one of them")
                continue
            salt = f"{c.location} {c.native}"
            while any(t == tool or p == py for o, t, p in named if o is not c):
                tool, py = with_hash(tool, salt), with_hash(py, salt, limit=200)
                salt += "'"
            named[index] = (c, tool, py)
            self.diags.warning(c.where, f"argument name clashes with {', '.join(others)}; named {tool!r}")
        return named


def _clashes(named: list[tuple[Candidate, str, str]]) -> list[int]:
    seen_tool: dict[str, int] = {}
    seen_py: dict[str, int] = {}
    out: list[int] = []
    for i, (_, tool, py) in enumerate(named):
        if tool in seen_tool or py in seen_py:
            out.append(i)
        seen_tool.setdefault(tool, i)
        seen_py.setdefault(py, i)
    return out
