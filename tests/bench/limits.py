"""Figures for the HTTP server's limits (issue 11): ``python -m tests.bench.limits``.

Each part starts ``python -m generated.desk365 --transport http`` as a real
process on 127.0.0.1 (its upstream is a port nothing listens on, or a sink that
counts bytes) and measures it from outside, as an attacker would:

* **sessions**: raw ``initialize`` requests (20 at a time) until the server
  answers 503; prints the sessions held, how long filling took, and the RSS per
  session (the process's ``VmRSS`` growth over the sessions held). Then the
  same in ``--endpoints`` mode over 12 endpoints, so the total bound across
  endpoints shows (default: 1,000 in all, 100 per endpoint);
* **files**: a sparse 200 MiB file sent via ``path`` (``--max-file-bytes``
  raised to 256 MiB for it), then three in one call; prints the growth of the
  peak RSS (``VmHWM``) and the bytes the upstream received; and the default cap
  refusing a 26 MiB file;
* **connections**: 200 idle, 200 slow-header and 100 slow-body connections
  against 1 s deadlines; prints how many the server still holds after 3 s.

Linux only (``/proc``). Nothing here is asserted: the tests check behaviour
(``tests/test_limits.py``); this prints the figures for the report.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.bench.load import free_port, memory, running, server_env
from tests.test_limits import ACCEPT, INIT, NOTE, Sink

MIB = 1024 * 1024


@contextmanager
def serving(*options: str, upstream: str = "http://127.0.0.1:9", env: dict[str, str] | None = None
            ) -> Iterator[tuple[str, Any]]:  # fmt: skip
    port = free_port()
    argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(port),
            "--base-url", upstream, *options]  # fmt: skip
    log = Path(tempfile.mkdtemp()) / "server.log"
    with running(argv, port=port, log=log, env=server_env(DESK365_API_KEY="k", **(env or {}))) as proc:
        yield f"http://127.0.0.1:{port}", proc


async def fill(urls: list[str]) -> tuple[int, float, str]:
    """Open sessions round-robin over ``urls`` until every URL answers 503; (held, seconds, last refusal)."""
    held, refusal, started = 0, "", time.monotonic()
    open_urls = list(urls)
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=20)) as http:
        while open_urls:
            batch = [open_urls[i % len(open_urls)] for i in range(20)]
            answers = await asyncio.gather(*(http.post(u, json=INIT, headers=ACCEPT) for u in batch))
            for url, answer in zip(batch, answers, strict=True):
                if answer.status_code == 200:
                    held += 1
                elif answer.status_code == 503:
                    refusal = answer.json()["error"]["message"]
                    if url in open_urls:
                        open_urls.remove(url)
    return held, time.monotonic() - started, refusal


def sessions() -> None:
    with serving() as (base, proc):
        httpx.post(f"{base}/mcp", json=INIT, headers=ACCEPT)  # warm up
        before = memory(proc.pid)
        held, seconds, refusal = asyncio.run(fill([f"{base}/mcp"]))
        after = memory(proc.pid)
        per = (after.rss - before.rss) / max(held - 0, 1) / 1024 if before and after else float("nan")
        print(f"sessions (single endpoint): {held + 1} held before 503, filled in {seconds:.1f} s; "
              f"RSS {before.rss / MIB if before else 0:.0f} -> {after.rss / MIB if after else 0:.0f} MiB, "
              f"{per:.1f} KiB per session")  # fmt: skip
        print(f"  the 503 says: {refusal}")
    db = Path(tempfile.mkdtemp()) / "e.sqlite3"
    tokens = []
    for i in range(12):
        done = __import__("subprocess").run(
            [sys.executable, "-m", "generated.desk365", "endpoints", "create", "--name", f"e{i}", "--json",
             "--endpoints-db", str(db)], env=server_env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        tokens.append(json.loads(done.stdout)["url"].rsplit("/", 1)[1])
    with serving("--endpoints", "--endpoints-db", str(db)) as (base, proc):
        urls = [f"{base}/mcp/{t}" for t in tokens]
        for url in urls:  # start every endpoint's manager first
            httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=ACCEPT)
        before = memory(proc.pid)
        held, seconds, refusal = asyncio.run(fill(urls))
        after = memory(proc.pid)
        per = (after.rss - before.rss) / max(held, 1) / 1024 if before and after else float("nan")
        print(f"sessions (--endpoints, 12 endpoints): {held} held in all before every endpoint got 503, "
              f"in {seconds:.1f} s; {per:.1f} KiB per session")  # fmt: skip
        print(f"  the last 503 says: {refusal}")


def files() -> None:
    folder = Path(tempfile.mkdtemp())
    for name, size in (("big.bin", 200 * MIB), ("over.bin", 26 * MIB)):
        with (folder / name).open("wb") as f:
            f.truncate(size)
    sink = Sink()
    args = {"ticket_number": 91, "note_object": {"body": "x"}}

    async def call(base: str, arguments: dict[str, Any]) -> Any:
        from tests.endpoints_helpers import mcp

        async with mcp(f"{base}/mcp", mode="legacy") as client:
            return await client.call_tool(NOTE, {**args, **arguments})

    try:
        with serving("--allow-dir", str(folder), "--max-file-bytes", str(256 * MIB), upstream=sink.url) as (base, proc):
            asyncio.run(call(base, {"file": {"path": "over.bin"}}))  # warm up (26 MiB, within this cap)
            before = memory(proc.pid)
            asyncio.run(call(base, {"file": {"path": "big.bin"}}))
            one = memory(proc.pid)
            asyncio.run(call(base, {"files": [{"path": "big.bin"}] * 3}))
            three = memory(proc.pid)
        if before and one and three:
            print(f"files: 200 MiB via path: peak RSS {before.peak / MIB:.0f} -> {one.peak / MIB:.0f} MiB; "
                  f"three in one call: -> {three.peak / MIB:.0f} MiB; upstream got "
                  f"{', '.join(f'{s / MIB:.1f}' for s in sink.sizes[1:])} MiB")  # fmt: skip
        with serving("--allow-dir", str(folder), upstream=sink.url) as (base, _):
            refused = asyncio.run(call(base, {"file": {"path": "over.bin"}}))
            print(f"  default cap: {refused.content[0].text}")
    finally:
        sink.close()


def connections() -> None:
    options = ("--keep-alive-timeout", "1", "--header-timeout", "1", "--body-timeout", "1")
    with serving(*options) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        socks: list[tuple[str, socket.socket]] = []
        for kind, count in (("idle", 200), ("slow header", 200), ("slow body", 100)):
            for _ in range(count):
                s = socket.create_connection(("127.0.0.1", port))
                if kind == "slow header":
                    s.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                elif kind == "slow body":
                    s.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              b"Content-Length: 1000\r\n\r\n{")  # fmt: skip
                socks.append((kind, s))
        time.sleep(3)
        still: dict[str, int] = {}
        for kind, s in socks:
            s.setblocking(False)
            try:
                closed = s.recv(1) == b""
            except BlockingIOError:
                closed = False
            except OSError:
                closed = True
            still[kind] = still.get(kind, 0) + (not closed)
            s.close()
        print(f"connections: still open after 3 s with 1 s deadlines: {still}")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["sessions", "files", "connections"]
    for part in parts:
        {"sessions": sessions, "files": files, "connections": connections}[part]()
