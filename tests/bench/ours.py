"""Our side of the benchmark: generation, cold start, in-process calls, and the hints.

These functions run in the project's own virtualenv and need no peer and no
network; ``tests/test_bench_smoke.py`` runs each once on Desk365 so that this
code cannot rot between benchmark runs.

* :func:`generate_cold` times ``helpdesk-mcp generate DOC --out DIR --package NAME
  --no-cache`` into an empty folder (every file rendered and formatted);
  :func:`generate_warm` the same command again without ``--no-cache`` (MANIFEST.json
  lets the formatter be skipped); :func:`generate_curated` does both for the plain
  ``helpdesk-mcp generate`` of every curated document (``make generate``).
* :func:`start_ours` starts ``python -m PACKAGE`` (the checked-in package or a
  freshly generated one) through the stdio probe; :func:`start_floor` the bare SDK
  server of ``floor_server.py``, the floor under every server.
* :func:`call_series` times one tool call in-process (``mcp.Client`` over the
  generated ``create_server``) against the direct typed-client call, a direct
  httpx2 request, and ``ToolHost.call`` alone, all over one ``httpx2.MockTransport``
  (httpx2 is what the typed client sends with by default, and what the peer uses);
  and the SDK's own floor for a call: the same ``mcp.Client`` calling a low-level
  server whose handler returns the result ours produced, already built; and the bare
  floor: one tool without an output schema returning ``{}``, the least any SDK host costs;
  and the floor with the request: a handler that sends the same upstream request with
  raw httpx2 and returns the ready result (I/O inside a session costs more than outside).
* :func:`profile_host_call` and :func:`tools_breakdown` are the hints printed
  under the table: where a call's time and a listing's bytes go.
"""

from __future__ import annotations

import cProfile
import importlib
import os
import pstats
import re
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from .catalogue import ROOT, CallCase
from .series import RunResult, StartRun, fresh, start_series, timed_runs
from .stats import Series

__all__ = [
    "CallRun",
    "cli_argv",
    "generate_cold",
    "generate_warm",
    "generated_at",
    "tool_count",
    "listing_bytes",
    "discovery_bytes",
    "tools_command",
    "generate_curated",
    "python_lines",
    "start_ours",
    "start_floor",
    "call_series",
    "Setup",
    "acheck",
    "bare_server",
    "timed",
    "profile_host_call",
    "tools_breakdown",
]

MOCK_URL = "http://127.0.0.1:9"  # never called: tools/list needs no upstream


def cli_argv() -> list[str]:
    script = Path(sys.executable).parent / "helpdesk-mcp"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from generator.cli import main; main()"]


def generate_cold(doc: Path, package: str, work: Path, *, repeat: int) -> RunResult:
    """``repeat`` cold runs of our generator on ``doc`` (an empty output folder each time)."""
    out = work / f"ours-{package}"
    argv = [*cli_argv(), "generate", str(doc), "--out", str(out), "--package", package, "--no-cache"]
    return timed_runs(argv, repeat=repeat, cwd=work, before=fresh(out))


def generate_warm(doc: Path, package: str, work: Path, *, repeat: int) -> RunResult:
    """``repeat`` warm runs: the same output folder again, with the MANIFEST.json cache."""
    argv = [*cli_argv(), "generate", str(doc), "--out", str(work / f"ours-{package}"), "--package", package]
    return timed_runs(argv, repeat=repeat, cwd=work)


def tools_command(doc: Path, work: Path, *, repeat: int) -> RunResult:
    """``repeat`` runs of ``helpdesk-mcp tools DOC`` (load and build, nothing written)."""
    return timed_runs([*cli_argv(), "tools", str(doc)], repeat=repeat, cwd=work)


def generated_at(package: str, work: Path) -> Path:
    """The folder to put on PYTHONPATH to import what :func:`generate_cold` wrote."""
    return work / f"ours-{package}"


def tool_count(stdout: str) -> int | None:
    """The tool count our generator reports (``NAME: N tools, ...``)."""
    match = re.search(r"^\S+: (\d+) tools", stdout, re.MULTILINE)
    return int(match.group(1)) if match else None


def listing_bytes(stdout: str) -> int | None:
    """The tools/list size our generator reports (``tools/list N bytes``)."""
    match = re.search(r"tools/list ([\d,]+) bytes", stdout)
    return int(match.group(1).replace(",", "")) if match else None


def discovery_bytes(stdout: str) -> int | None:
    """The tools/list size in discovery mode our generator reports (``(N with --discovery)``)."""
    match = re.search(r"\(([\d,]+) with --discovery\)", stdout)
    return int(match.group(1).replace(",", "")) if match else None


def generate_curated(work: Path, *, repeat: int) -> tuple[RunResult, RunResult | None]:
    """``helpdesk-mcp generate`` of every curated document in a copy of openapi/: cold, then warm."""
    import shutil

    target = work / "curated"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "openapi", target / "openapi")
    generated = target / "generated"
    cold = timed_runs([*cli_argv(), "generate"], repeat=repeat, cwd=target, before=fresh(generated))
    warm = timed_runs([*cli_argv(), "generate"], repeat=repeat, cwd=target) if not _failed(cold) else None
    return cold, warm


def python_lines(root: Path) -> tuple[int, int]:
    """Lines and files of Python source under ``root`` (caches excluded)."""
    files = [p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts]
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files), len(files)


def _failed(run: RunResult) -> bool:
    return not isinstance(run.seconds, Series)


def server_env(path_entry: Path) -> dict[str, str]:
    """The environment of a started server: our package importable, no real credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DESK365_", "INTERCOM_"))}
    env["PYTHONPATH"] = str(path_entry)
    return env


def start_ours(package: str, path_entry: Path, *, repeat: int) -> StartRun:
    """Cold starts of ``python -m package`` (importable from ``path_entry``) to ``tools/list``."""
    argv = [sys.executable, "-m", package, "--base-url", MOCK_URL]
    return start_series(argv, env=server_env(path_entry), cwd=path_entry, repeat=repeat)


def start_floor(*, repeat: int) -> StartRun:
    """Cold starts of the bare SDK server (``floor_server.py``) to ``tools/list``."""
    argv = [sys.executable, str(Path(__file__).with_name("floor_server.py"))]
    return start_series(argv, env=dict(os.environ), cwd=ROOT, repeat=repeat)


@dataclass(frozen=True)
class CallRun:
    """Per-call latencies of one case, and the request the tool sent upstream."""

    tools_call: Series
    host_call: Series
    direct_client: Series
    direct_httpx: Series
    request: str
    sdk_floor: Series | None = None  # tools/call of a server that returns a ready result
    sdk_bare: Series | None = None  # tools/call of a one-tool server returning ``{}``, no output schema
    sdk_send: Series | None = None  # the ready-result server that also sends the request (raw httpx2)


async def timed(call: Callable[[], Awaitable[Any]], warmup: int, n: int) -> list[float]:
    for _ in range(warmup):  # imports, first connection, caches
        await call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


class Setup:
    """The typed client, its upstream, and the package of one call case: a MockTransport
    answering ``case.response``, or with ``base_url`` a real upstream there (``overhttp``),
    reached through the typed client's own connection pool."""

    def __init__(self, case: CallCase, base_url: str | None = None) -> None:
        module_name, class_name = case.client_class.split(":")
        self.package = importlib.import_module(module_name)
        self.server = importlib.import_module(module_name + ".server")
        self.seen: list[str] = []
        self.case = case

        def upstream(request: httpx2.Request) -> httpx2.Response:
            self.seen.append(f"{request.method} {request.url}")
            return httpx2.Response(200, json=case.response, headers={"X-Rate-Limit-Remaining": "42"})

        client_class = getattr(self.package, class_name)
        self.base_url = base_url or case.base_url
        if base_url is None:
            self.http = httpx2.AsyncClient(transport=httpx2.MockTransport(upstream))
            self.client = client_class(**case.client_kwargs, http_client=self.http)
        else:
            self.http = httpx2.AsyncClient()
            self.client = client_class(**case.client_kwargs, base_url=base_url)
        method: Any = self.client
        for part in case.method.split("."):
            method = getattr(method, part)
        self.method = method

    def host(self) -> Any:
        return self.server.ToolHost(self.server.API, self.server.TOOLS, self.client)

    async def direct_httpx(self) -> Any:
        verb, path, params = self.case.http
        response = await self.http.request(verb, self.base_url + path, params=params)
        return response.json()

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.http.aclose()


def _check(result: Any, what: str) -> Any:
    if result.is_error:  # a setup error, not a figure
        raise RuntimeError(f"{what} failed: {result.content}")
    return result


async def call_series(case: CallCase, *, calls: int, warmup: int = 10) -> CallRun:
    """Latency of one tool call in-process, and of the layers under it."""
    from mcp import Client

    setup = Setup(case)
    try:
        direct = await timed(lambda: setup.method(**case.arguments), warmup, calls)
        direct_http = await timed(setup.direct_httpx, warmup, calls)
        host = setup.host()
        host_call = await timed(lambda: acheck(host.call(case.tool, case.arguments), "ToolHost.call"), warmup, calls)
        setup.seen.clear()
        async with Client(setup.server.create_server(setup.client)) as mcp_client:
            tools_call = await timed(
                lambda: acheck(mcp_client.call_tool(case.tool, case.arguments), "tools/call"), warmup, calls
            )
        request = setup.seen[-1] if setup.seen else "(none)"
        async with Client(await _floor_server(host, case)) as mcp_client:
            floor = await timed(
                lambda: acheck(mcp_client.call_tool(case.tool, case.arguments), "SDK floor"), warmup, calls
            )
        async with Client(await _floor_server(host, case, send=setup.direct_httpx)) as mcp_client:
            send = await timed(
                lambda: acheck(mcp_client.call_tool(case.tool, case.arguments), "SDK floor with the request"),
                warmup,
                calls,
            )
        async with Client(bare_server()) as mcp_client:
            bare = await timed(lambda: acheck(mcp_client.call_tool("noop", {}), "bare SDK floor"), warmup, calls)
    finally:
        await setup.aclose()
    return CallRun(
        tools_call=Series.of(tools_call, "us"),
        host_call=Series.of(host_call, "us"),
        direct_client=Series.of(direct, "us"),
        direct_httpx=Series.of(direct_http, "us"),
        request=request,
        sdk_floor=Series.of(floor, "us"),
        sdk_bare=Series.of(bare, "us"),
        sdk_send=Series.of(send, "us"),
    )


def bare_server(send: Callable[[], Awaitable[Any]] | None = None) -> Any:
    """A low-level SDK server with one tool, no output schema, whose handler returns ``{}`` as
    text: a tools/call's cost in the SDK alone, whatever the host does or returns. With
    ``send``, the handler awaits it first (``overhttp``: a request over real HTTP)."""
    from mcp.server import Server
    from mcp.types import CallToolResult, ListToolsResult, TextContent, Tool

    tools = [Tool(name="noop", input_schema={"type": "object"})]
    result = CallToolResult(content=[TextContent(type="text", text="{}")])

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        return ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        if send is not None:
            await send()
        return result

    return Server("bare", on_list_tools=on_list_tools, on_call_tool=on_call_tool)


async def _floor_server(host: Any, case: CallCase, send: Callable[[], Awaitable[Any]] | None = None) -> Any:
    """A low-level SDK server listing ``host``'s tools whose handler returns, ready-made, the
    result ``host`` gives for ``case``: what a call costs in the SDK alone (both sides of the
    in-memory session, the result's validation against the output schema included). With
    ``send``, the handler awaits it first (the upstream request, sent with raw httpx2)."""
    from mcp.server import Server
    from mcp.types import ListToolsResult

    result = await host.call(case.tool, case.arguments)
    tools = host.listing()

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        return ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        if send is not None:
            await send()
        return result

    return Server("floor", on_list_tools=on_list_tools, on_call_tool=on_call_tool)


async def acheck(pending: Awaitable[Any], what: str) -> Any:
    return _check(await pending, what)


async def profile_host_call(case: CallCase, *, calls: int, top: int = 12) -> list[str]:
    """The functions that dominate ``ToolHost.call`` (cProfile): by cumulative, then by own time.

    cProfile slows every Python call down, so these are shares, not latencies;
    the canned upstream (``upstream`` in this module) is part of what is timed.
    """
    setup = Setup(case)
    try:
        host = setup.host()
        for _ in range(10):
            await host.call(case.tool, case.arguments)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            await host.call(case.tool, case.arguments)
        profiler.disable()
    finally:
        await setup.aclose()
    stats = pstats.Stats(profiler)
    rows = []
    entries: Mapping[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, func), (_, ncalls, tottime, cumtime, _) in entries.items():
        rows.append((cumtime, tottime, ncalls, _where(filename, line, func)))
    head = f"{'cum µs/call':>11}  {'own µs/call':>11}  {'calls/call':>10}  function"

    def lines(ordered: list[tuple[float, float, int, str]]) -> list[str]:
        return [
            f"{cum / calls * 1e6:11.1f}  {own / calls * 1e6:11.1f}  {n / calls:10.1f}  {where}"
            for cum, own, n, where in ordered[:top]
        ]

    by_cum = sorted(rows, reverse=True)
    by_own = sorted(rows, key=lambda row: row[1], reverse=True)
    return ["by cumulative time:", head, *lines(by_cum), "by own time:", head, *lines(by_own)]


def _where(filename: str, line: int, func: str) -> str:
    if filename == "~":
        return func
    parts = Path(filename).parts
    for anchor in ("site-packages", "generated", "lib"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + (1 if anchor != "generated" else 0) :]
            break
    return f"{'/'.join(parts[-3:])}:{line} {func}"


def tools_breakdown(tools: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Bytes of a tools array by top-level field, plus description text inside the schemas."""
    import json

    def size(value: Any) -> int:
        return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    out: dict[str, int] = {}
    for tool in tools:
        for key, value in tool.items():
            out[key] = out.get(key, 0) + size(key) + 1 + size(value) + 1  # "key":value,
        for key in ("inputSchema", "outputSchema"):
            if key in tool:
                out[f"  descriptions in {key}"] = out.get(f"  descriptions in {key}", 0) + _descriptions(tool[key])
    return out


def _descriptions(node: Any) -> int:
    if isinstance(node, list):
        return sum(_descriptions(v) for v in node)
    if not isinstance(node, dict):
        return 0
    total = 0
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            total += len(value.encode())
        else:
            total += _descriptions(value)
    return total
