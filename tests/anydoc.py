"""Shared helpers of the any-document tests (``tests/test_any_document*.py``).

Each test module generates the documents it needs for real (load -> build ->
render -> format) into a temporary folder on ``sys.path`` and imports them:
:class:`Packages` does it once per document and session (the session-scoped
``fixtures`` and ``vendor`` fixtures in ``conftest.py``). Calls go through ``httpx.MockTransport``
to an :class:`Upstream` that records every request, through the typed client
(:func:`client`) or through the MCP tool host (:func:`call_tool`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx

from generator.emit import apply
from generator.ir import Api, Operation
from generator.pipeline import run_document

__all__ = [
    "BASE", "DESK365", "FIXTURES", "HTTP_METHODS", "INTERCOM", "ROOT", "VENDOR", "Generated", "Packages", "Upstream",
    "call_tool", "client", "count_operations", "packages_in", "query", "text",
]  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "openapi"
VENDOR = ROOT / "tests" / "fixtures" / "vendor"
INTERCOM = VENDOR / "intercom-2.16.vendor.openapi.yaml"
DESK365 = VENDOR / "desk365-v3.vendor.openapi.json"
BASE = "https://api.example.test"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


# -- generation ------------------------------------------------------------------------


@dataclass
class Generated:
    """One generated, imported package."""

    api: Api
    package: ModuleType
    directory: Path
    formatted: int

    @property
    def warnings(self) -> list[str]:
        return list(self.api.warnings)

    def op(self, tool: str) -> Operation:
        return next(op for op in self.api.operations if op.tool.name == tool)

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package.__name__}.{name}")


class Packages:
    """Generates each document once into one folder on ``sys.path``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.done: dict[str, Generated] = {}

    def get(self, doc: Path, package: str) -> Generated:
        if package not in self.done:
            result = run_document(doc, self.out, package=package, source=doc.name, use_cache=False)
            apply(result.plan)
            module = importlib.import_module(package)
            self.done[package] = Generated(result.api, module, self.out / package, result.plan.formatted)
        return self.done[package]

    def fixture(self, stem: str) -> Generated:
        return self.get(FIXTURES / f"{stem}.yaml", f"fx_{stem}")


def packages_in(out: Path) -> Iterator[Packages]:
    sys.path.insert(0, str(out))
    packages = Packages(out)
    try:
        yield packages
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] in packages.done]:
            del sys.modules[name]


# -- calling through a stub upstream ------------------------------------------------------


class Upstream:
    """A MockTransport handler: records requests and answers from a queue of
    responses (the last one repeats)."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1, f"expected one request, got {len(self.requests)}"
        return self.requests[0]


def client(gen: Generated, upstream: Upstream, **options: Any) -> Any:
    options.setdefault(gen.api.credential_arg, "secret-key")
    options.setdefault("base_url", BASE)
    cls = getattr(gen.package, gen.api.client_class)
    return cls(http_client=httpx.Client(transport=httpx.MockTransport(upstream)), **options)


async def call_tool(gen: Generated, upstream: Upstream, tool: str, arguments: dict[str, Any]) -> Any:
    """Call ``tool`` through the generated MCP tool host; returns the CallToolResult."""
    host_cls = gen.module("_runtime.server").ToolHost
    async_cls = getattr(gen.package, gen.api.async_client_class)
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    async_client = async_cls(http_client=http, base_url=BASE, **{gen.api.credential_arg: "secret-key"})
    host = host_cls(gen.package.API, gen.module("tools").TOOLS, async_client)
    try:
        return await host.call(tool, arguments)
    finally:
        await http.aclose()


def query(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded query pairs, in order."""
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True, strict_parsing=True)


def text(result: Any) -> str:
    return "".join(c.text for c in result.content)


def count_operations(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in a document, counted from the document itself."""
    return [
        (method.upper(), path)
        for path, item in raw["paths"].items()
        for method in item
        if method in HTTP_METHODS and isinstance(item[method], dict)
    ]
