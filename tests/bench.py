"""``make bench``: generation, start-up and call figures, printed as a table.

Not a test: nothing here asserts on timings. Figures:

* ``generate`` wall time (the ``helpdesk-mcp generate`` subprocess): cold (the
  documents copied into an empty folder, so every file is formatted and every
  models module generated) and warm (the same again: the MANIFEST.json cache
  lets everything be reused); min / median / max of 3 runs each;
* the line count of ``generated/`` (all ``.py`` files);
* the stdio server's cold start, from spawn to the ``tools/list`` answer (5 runs);
* in-process ``tools/call`` latency of ``get_single_desk_365_ticket_by_id`` through
  ``mcp.Client(create_server(client))`` against the same call made directly on
  ``AsyncDesk365Client``, both over one ``httpx.MockTransport`` upstream (200 calls);
* the ``tools/list`` payload size (compact JSON).

Run ``python -m tests.bench`` from the repository root.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx

ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = Path(sys.executable).parent / "helpdesk-mcp"
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from generator.cli import main; main()"]
API_KEY = "sk-bench-0000"
TICKET = {"ticket_number": 8992, "subject": "Printer on fire", "status": "Open", "priority": 10}
CALLS = 200

Row = tuple[str, str]


def _span(samples: list[float], unit: str = "s", scale: float = 1.0) -> str:
    lo, mid, hi = min(samples) * scale, statistics.median(samples) * scale, max(samples) * scale
    return f"{lo:.3f} / {mid:.3f} / {hi:.3f} {unit}  (min / median / max, n={len(samples)})"


def bench_generate() -> list[Row]:
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(3):
        with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
            work = Path(tmp)
            shutil.copytree(ROOT / "openapi", work / "openapi")
            for bucket in (cold, warm):
                started = time.perf_counter()
                subprocess.run([*CLI, "generate"], cwd=work, check=True, capture_output=True)
                bucket.append(time.perf_counter() - started)
    return [("generate, cold", _span(cold)), ("generate, warm", _span(warm))]


def bench_lines() -> list[Row]:
    files = [p for p in sorted((ROOT / "generated").rglob("*.py")) if "__pycache__" not in p.parts]
    lines = sum(len(p.read_text().splitlines()) for p in files)
    return [("generated/ lines (.py)", f"{lines:,} in {len(files)} files")]


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["DESK365_API_KEY"] = API_KEY
    return env


async def bench_stdio_start() -> list[Row]:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "generated.desk365", "--base-url", "http://127.0.0.1:9"],
        env=_server_env(),
        cwd=str(ROOT),
    )
    samples: list[float] = []
    for _ in range(5):
        started = time.perf_counter()
        async with Client(params) as client:
            result = await client.list_tools()
            samples.append(time.perf_counter() - started)
            assert result.tools  # a sanity check of the setup, not of timing
    return [("stdio start -> tools/list", _span(samples, "ms", 1000))]


def _upstream(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=TICKET, headers={"X-Rate-Limit-Remaining": "42"})


async def _timed(call: Callable[[], Any], n: int) -> list[float]:
    for _ in range(10):  # warm-up: imports, first connection, caches
        await call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def bench_calls() -> list[Row]:
    from mcp import Client

    from generated.desk365 import AsyncDesk365Client
    from generated.desk365.server import create_server

    http = httpx.AsyncClient(transport=httpx.MockTransport(_upstream))
    client = AsyncDesk365Client(api_key=API_KEY, subdomain="acme", http_client=http)
    try:
        direct = await _timed(lambda: client.tickets.get(ticket_number=8992), CALLS)
        async with Client(create_server(client)) as mcp_client:
            args = {"ticket_number": 8992}

            async def via_mcp() -> Any:
                result = await mcp_client.call_tool("get_single_desk_365_ticket_by_id", args)
                assert not result.is_error  # a sanity check of the setup
                return result

            tools_call = await _timed(via_mcp, CALLS)
            listed = await mcp_client.list_tools()
    finally:
        await client.aclose()
    ratio = statistics.median(tools_call) / statistics.median(direct)
    payload = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools]
    size = len(json.dumps({"tools": payload}, separators=(",", ":"), ensure_ascii=False).encode())
    return [
        ("tools/call in-process", _span(tools_call, "ms", 1000)),
        ("client call direct", _span(direct, "ms", 1000)),
        ("tools/call : direct (median)", f"{ratio:.1f}x"),
        ("tools/list size (compact JSON)", f"{size:,} bytes, {len(listed.tools)} tools"),
    ]


def main() -> None:
    started = time.perf_counter()
    rows: list[Row] = []
    rows += bench_generate()
    rows += bench_lines()
    rows += anyio.run(bench_stdio_start)
    rows += anyio.run(bench_calls)
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 50}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"(bench took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
