"""The FastMCP side of the benchmark; runs inside the benchmark virtualenv only.

This file is executed by path with ``.cache/bench-venv/bin/python`` and imports
nothing from this project: FastMCP, httpx2 and the standard library only, so the
peer never needs to be installed next to our code. Two modes, chosen by the
first argument:

``serve DOC BASE_URL``
    A stdio MCP server built with ``FastMCP.from_openapi`` from the JSON document
    DOC (YAML documents are converted to JSON beforehand by the caller, so the
    peer is not charged for YAML parsing). The upstream client points at
    BASE_URL; ``tools/list`` never calls it. The start-up banner is off.

``calls CONFIG_JSON``
    In-process latency: the same server over FastMCP's in-memory client, against
    an ``httpx2.MockTransport`` upstream that answers every request with the
    configured JSON. Prints one JSON object: ``tools_call`` and ``direct_httpx``
    sample lists in seconds (after a warm-up), the request the tool sent, and the
    versions used.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from importlib.metadata import version
from typing import Any

import httpx2
from fastmcp import Client, FastMCP


def _server(document: dict[str, Any], client: httpx2.AsyncClient) -> FastMCP:
    return FastMCP.from_openapi(document, client=client, name="bench-peer")


def serve(doc: str, base_url: str) -> None:
    with open(doc, encoding="utf-8") as handle:
        document = json.load(handle)
    server = _server(document, httpx2.AsyncClient(base_url=base_url, timeout=30.0))
    server.run(transport="stdio", show_banner=False)


async def _timed(call: Any, warmup: int, n: int) -> list[float]:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def calls(config: dict[str, Any]) -> dict[str, Any]:
    with open(config["doc"], encoding="utf-8") as handle:
        document = json.load(handle)
    seen: list[str] = []
    body = config["response"]

    def upstream(request: httpx2.Request) -> httpx2.Response:
        seen.append(f"{request.method} {request.url}")
        return httpx2.Response(200, json=body)

    http = httpx2.AsyncClient(base_url=config["base_url"], transport=httpx2.MockTransport(upstream))
    method, path, params = config["http"]

    async def direct() -> Any:
        response = await http.request(method, path, params=params)
        return response.json()

    n, warmup = int(config["calls"]), int(config["warmup"])
    direct_samples = await _timed(direct, warmup, n)
    server = _server(document, http)
    async with Client(server) as client:

        async def via_mcp() -> Any:
            result = await client.call_tool_mcp(config["tool"], dict(config["arguments"]))
            if result.is_error:  # a setup error, not a figure
                raise SystemExit(f"FastMCP tool call failed: {result.content}")
            return result

        seen.clear()
        tool_samples = await _timed(via_mcp, warmup, n)
    await http.aclose()
    return {
        "tools_call": tool_samples,
        "direct_httpx": direct_samples,
        "request": seen[-1] if seen else None,
        "versions": {"fastmcp": version("fastmcp"), "httpx2": version("httpx2")},
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["serve"] and len(argv) == 3:
        serve(argv[1], argv[2])
    elif argv[:1] == ["calls"] and len(argv) == 2:
        print(json.dumps(asyncio.run(calls(json.loads(argv[1])))))
    else:
        raise SystemExit("usage: fastmcp_peer.py serve DOC BASE_URL | calls CONFIG_JSON")


if __name__ == "__main__":
    main(sys.argv[1:])
