"""The per-call figures again over real HTTP: a canned upstream in its own process on 127.0.0.1.

The in-process figures of :func:`tests.bench.ours.call_series` answer every request
from an ``httpx2.MockTransport``, so the direct typed-client call there costs no
I/O at all and the ratio of a tool call to it is the strictest there is. A real
upstream is at least a socket away; this module times the direct typed-client
call, ``ToolHost.call``, ``tools/call`` through ``mcp.Client`` and the SDK's floor
with the same request (raw httpx2 in a one-tool server's handler) against a
server that answers every request at once with the case's canned JSON (the same
body as in-process), each over the typed client's own default HTTP client
(connection kept alive, as a user has it). Loopback is the least latency any real
upstream has, so the ratio here is still an upper bound of what users see.

The canned server is the stdlib's threaded HTTP server with HTTP/1.1 keep-alive,
writing each answer in one ``send`` (headers and body apart would meet Nagle's
algorithm and delayed ACKs: 40 ms a request). It runs as
``python -m tests.bench.overhttp --port P --body JSON``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .catalogue import CallCase
from .stats import Series

__all__ = ["HttpCalls", "http_call_series", "main"]


@dataclass
class HttpCalls:
    """Latencies over real HTTP: the direct typed-client call, ``ToolHost.call``,
    ``tools/call``, and the SDK's floor with the request (a one-tool server whose handler
    sends the same request with raw httpx2 and returns ``{}``)."""

    direct_client: Series
    host_call: Series
    tools_call: Series
    sdk_send: Series
    request: str  # the first request line the canned upstream saw


def local_base_url(case: CallCase, port: int) -> str:
    """``case.base_url`` with its scheme and host replaced by the canned upstream's."""
    return f"http://127.0.0.1:{port}{urlsplit(case.base_url).path}"


async def http_call_series(case: CallCase, work: Path, *, calls: int, warmup: int = 10) -> HttpCalls:
    """Time ``case`` over real HTTP (see the module docstring); logs go to ``work``."""
    from mcp import Client

    from .load import free_port, running, server_env
    from .ours import Setup, acheck, bare_server, timed

    port = free_port()
    argv = [sys.executable, "-m", "tests.bench.overhttp", "--port", str(port), "--body", json.dumps(case.response)]
    seen = work / f"overhttp-{case.doc}.log"
    with running(argv, port=port, log=seen, env=server_env()):
        setup = Setup(case, base_url=local_base_url(case, port))
        try:
            direct = await timed(lambda: setup.method(**case.arguments), warmup, calls)
            host = setup.host()
            host_call = await timed(
                lambda: acheck(host.call(case.tool, case.arguments), "ToolHost.call"), warmup, calls
            )
            async with Client(setup.server.create_server(setup.client)) as mcp_client:
                tools_call = await timed(
                    lambda: acheck(mcp_client.call_tool(case.tool, case.arguments), "tools/call over HTTP"),
                    warmup,
                    calls,
                )
            async with Client(bare_server(setup.direct_httpx)) as mcp_client:
                floor = await timed(lambda: acheck(mcp_client.call_tool("noop", {}), "SDK floor"), warmup, calls)
        finally:
            await setup.aclose()
    lines = seen.read_text(errors="replace").splitlines()
    return HttpCalls(
        direct_client=Series.of(direct, "us"),
        host_call=Series.of(host_call, "us"),
        tools_call=Series.of(tools_call, "us"),
        sdk_send=Series.of(floor, "us"),
        request=lines[0] if lines else "(none)",
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Serve ``--body`` to every GET on 127.0.0.1:``--port``; print the first request line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", required=True, help="the JSON every answer carries")
    options = parser.parse_args(argv)
    body = options.body.encode()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Rate-Limit-Remaining: 42\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    answer = head + body
    first: list[str] = []

    class Canned(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.wfile.write(answer)  # one write: see the module docstring
            if not first:
                first.append(self.requestline)
                print(self.requestline, flush=True)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
            return

    ThreadingHTTPServer(("127.0.0.1", options.port), Canned).serve_forever()


if __name__ == "__main__":
    main()
