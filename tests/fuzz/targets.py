"""The fuzz targets: one per operation of each curated document.

A :class:`Target` pairs three views of the same operation and checks they agree:

* the curated document's own view (``openapi/<api>.yaml``, read here with PyYAML):
  its parameters (``$ref`` resolved), hidden parameters and request body, used to
  build what the wire must carry, independently of the generated code;
* the schemathesis ``APIOperation`` that generates the cases;
* the generated package's ``ToolSpec`` (tool name, input schema, ``OperationSpec``
  whose ``params`` map tool arguments to wire names and locations) and the typed
  client method that carries ``Tool: <name>`` in its docstring.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")

__all__ = ["APIS", "Api", "DocParam", "Target", "all_targets", "targets"]


@dataclass(frozen=True)
class Api:
    """One curated API and its generated package."""

    name: str
    package: str
    sync_client: str
    async_client: str
    credential_kwarg: str
    credential: str
    authorization: str  # the Authorization header value the credential must produce

    @property
    def document(self) -> Path:
        return ROOT / "openapi" / f"{self.name}.yaml"

    def module(self, suffix: str = "") -> Any:
        return importlib.import_module(self.package + suffix)


APIS: dict[str, Api] = {
    "desk365": Api(
        "desk365", "generated.desk365", "Desk365Client", "AsyncDesk365Client", "api_key",
        "d365-fuzz-key-7Hq", "d365-fuzz-key-7Hq",
    ),
    "intercom": Api(
        "intercom", "generated.intercom", "IntercomClient", "AsyncIntercomClient", "access_token",
        "ic-fuzz-token-3Xv", "Bearer ic-fuzz-token-3Xv",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DocParam:
    """A parameter as the document declares it."""

    name: str
    location: str
    schema: dict[str, Any]
    required: bool = False
    json_content: bool = False  # ``content: application/json``: the value is JSON text
    hidden: bool = False  # ``x-tool-hidden``: the client always sends ``schema.default``
    style: str | None = None
    explode: bool | None = None


@dataclass(frozen=True)
class Target:
    """One operation under fuzz (see the module docstring)."""

    api: Api
    method: str
    path: str
    operation_id: str
    params: tuple[DocParam, ...]
    body_media: str | None
    body_schema: dict[str, Any] | None
    tool: Any  # ToolSpec
    resource: str
    client_method: str
    client_kwargs: dict[str, str] = field(repr=False, hash=False, compare=False, default_factory=dict)
    ids: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (argument, source tools, field): x-tool.ids
    components: dict[str, Any] = field(repr=False, hash=False, compare=False, default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.api.name}:{self.tool.name}"

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def param(self, location: str, name: str) -> DocParam | None:
        for p in self.params:
            if p.location == location and (p.name == name or (location == "header" and p.name.lower() == name.lower())):
                return p
        return None

    def operation(self) -> Any:
        """The schemathesis ``APIOperation`` (the schema is loaded once per API)."""
        return _schema(self.api.name)[self.path][self.method]


@cache
def _schema(api: str) -> Any:
    """The document as schemathesis sees it, minus what no tool argument carries.

    The credential (``security``) and hidden constants (``x-tool-hidden`` headers)
    are supplied by the client, never by a caller: generating them, and above all
    mutating them in negative cases, would only spend examples on the HTTP layer.
    """
    import schemathesis

    doc = yaml.safe_load(APIS[api].document.read_text())
    doc.pop("security", None)
    hidden = {
        f"#/components/parameters/{name}"
        for name, p in (doc.get("components", {}).get("parameters") or {}).items()
        if p.get("x-tool-hidden")
    }
    for item in doc["paths"].values():
        for key in ("parameters", *METHODS):
            node = item.get(key)
            if node is None:
                continue
            holder = item if key == "parameters" else node
            if key != "parameters":
                node.pop("security", None)
            if "parameters" in holder:
                holder["parameters"] = [
                    p for p in holder["parameters"] if p.get("$ref") not in hidden and not p.get("x-tool-hidden")
                ]
    return schemathesis.openapi.from_dict(doc)


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def _doc_params(doc: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> tuple[DocParam, ...]:
    out: dict[tuple[str, str], DocParam] = {}
    for raw in list(item.get("parameters") or []) + list(op.get("parameters") or []):
        p = _resolve(doc, raw)
        content = p.get("content") or {}
        schema = p.get("schema") or (next(iter(content.values()))["schema"] if content else {})
        out[(p["in"], p["name"])] = DocParam(
            name=p["name"],
            location=p["in"],
            schema=schema,
            required=bool(p.get("required")),
            json_content=any("json" in m for m in content),
            hidden=bool(p.get("x-tool-hidden")),
            style=p.get("style"),
            explode=p.get("explode"),
        )
    return tuple(out.values())


def _id_field(entry: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    """An ``x-tool.ids`` entry as (argument, the tools its source names, the response field
    its values come from), e.g. ``("ticket_number", ("list_all_desk_365_tickets",), "ticket_number")``."""
    source = entry.get("source") or ""
    tools = tuple(re.findall(r"`((?:list_all|get_single|intercom|desk_365)\w*)`", source))
    found = re.search(r"(?:each|an?|the) [\w ]*?'s `(\w+)`|\(`(\w+)`\)|an entry of `(\w+)`", source)
    name = next((g for g in found.groups() if g), None) if found else None
    return entry["argument"], tools, name or entry["argument"]


def _kwargs(fn: Any) -> dict[str, str]:
    """argument name -> Python keyword of a typed method (``from`` -> ``from_``), read from
    the argument dict the method hands to the runtime."""
    source = inspect.getsource(fn)
    return dict(re.findall(r'^\s+"([^"]+)": (\w+),$', source, re.M))


def _client_methods(api: Api) -> dict[str, tuple[str, str, dict[str, str]]]:
    """tool name -> (resource attribute, method name, keywords), from the ``Tool:`` docstring lines."""
    resources = api.module(".resources")
    found: dict[str, tuple[str, str, dict[str, str]]] = {}
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"{resources.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or cls.__name__.startswith("Async"):
                continue
            for meth_name, fn in inspect.getmembers(cls, inspect.isfunction):
                doc = inspect.getdoc(fn) or ""
                for line in doc.splitlines():
                    if line.startswith("Tool: "):
                        found[line.split()[1]] = (info.name, meth_name, _kwargs(fn))
    return found


@cache
def targets(api_name: str) -> tuple[Target, ...]:
    """Every operation of one document, in document order, paired with its tool."""
    api = APIS[api_name]
    doc = yaml.safe_load(api.document.read_text())
    tools = {(t.operation.method, t.operation.path): t for t in api.module(".tools").TOOLS}
    methods = _client_methods(api)
    out = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tool = tools.pop((method.upper(), path), None)
            assert tool is not None, f"{api.name}: {method.upper()} {path} has no generated tool"
            body = _resolve(doc, op["requestBody"]) if "requestBody" in op else None
            media, schema = next(iter((body or {}).get("content", {}).items()), (None, None))
            assert tool.name in methods, f"{api.name}: no typed client method for {tool.name}"
            out.append(
                Target(
                    api=api,
                    method=method.upper(),
                    path=path,
                    operation_id=op.get("operationId", ""),
                    params=_doc_params(doc, item, op),
                    body_media=media,
                    body_schema=(schema or {}).get("schema"),
                    tool=tool,
                    resource=methods[tool.name][0],
                    client_method=methods[tool.name][1],
                    client_kwargs=methods[tool.name][2],
                    ids=tuple(_id_field(i) for i in (op.get("x-tool") or {}).get("ids") or []),
                    components=doc.get("components") or {},
                )
            )
    assert not tools, f"{api.name}: tools without a document operation: {sorted(t.name for t in tools.values())}"
    return tuple(out)


def all_targets(select: Callable[[Target], bool] | None = None) -> list[Target]:
    return [t for name in APIS for t in targets(name) if select is None or select(t)]
