"""A minimal MCP stdio client that times a cold start and reads the server's peak RSS.

Both sides (our generated server and FastMCP's) are started by the same code, so
the client costs nothing to either: this module speaks newline-delimited
JSON-RPC over the child's pipes with the standard library only. One probe spawns
the server, sends ``initialize``, ``notifications/initialized`` and
``tools/list`` (following ``nextCursor`` pages), and stops the clock when the
last page has been read. The ``tools`` array it returns is what the size
figures measure (compact JSON, UTF-8).

Peak RSS is the kernel's high-water mark of the child (``VmHWM`` in
``/proc/PID/status``) read right after the answer, before stdin is closed; the
child is then asked to exit by end-of-file, and killed if it does not.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Probe", "ProbeError", "probe_stdio", "tools_bytes"]

PROTOCOL = "2025-11-25"  # an initialize-era revision both SDK generations speak


class ProbeError(RuntimeError):
    """The server did not answer as an MCP server should (with its stderr tail)."""


@dataclass(frozen=True)
class Probe:
    """One cold start: seconds to the complete ``tools/list``, the tools, peak RSS."""

    seconds: float
    tools: list[dict[str, Any]]
    peak_rss_kb: int | None

    @property
    def size(self) -> int:
        return tools_bytes(self.tools)


def tools_bytes(tools: Sequence[Mapping[str, Any]]) -> int:
    """Bytes of the tools array as compact UTF-8 JSON (what a client must hold)."""
    return len(json.dumps(list(tools), separators=(",", ":"), ensure_ascii=False).encode())


def _peak_rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


class _Pipe:
    """Line reader over the child's stdout with an overall deadline."""

    def __init__(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.deadline = deadline
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def message(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            left = self.deadline - time.perf_counter()
            if left <= 0 or not self.selector.select(left):
                raise ProbeError("no answer before the deadline")
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise ProbeError("the server closed its stdout")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line) if line.strip() else self.message()

    def answer(self, request_id: int) -> dict[str, Any]:
        while True:
            msg = self.message()
            if msg.get("id") == request_id and ("result" in msg or "error" in msg):
                if "error" in msg:
                    raise ProbeError(f"request {request_id} failed: {msg['error']}")
                return dict(msg["result"])


def probe_stdio(argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, timeout: float = 120.0) -> Probe:
    """Start ``argv`` as a stdio MCP server and time it to a complete ``tools/list``."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=dict(env), cwd=cwd
        )
        pipe = _Pipe(proc, started + timeout)
        try:
            seconds, tools = _list_tools(proc, pipe, started)
            rss = _peak_rss_kb(proc.pid)
        except (ProbeError, OSError, ValueError) as exc:
            proc.kill()
            proc.wait()
            stderr.seek(0)
            lines = [line.strip() for line in stderr.read().decode(errors="replace").splitlines()]
            tail = [line for line in lines if line and not line.startswith("For further information")][-4:]
            raise ProbeError(f"{exc}; stderr: {' | '.join(tail) or '(empty)'}") from exc
        finally:
            _stop(proc)
            pipe.selector.close()
    return Probe(seconds=seconds, tools=tools, peak_rss_kb=rss)


def _list_tools(proc: subprocess.Popen[bytes], pipe: _Pipe, started: float) -> tuple[float, list[dict[str, Any]]]:
    def send(message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", **message}).encode() + b"\n")
        proc.stdin.flush()

    client = {"name": "helpdesk-mcp-bench", "version": "0"}
    send(
        {
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": client},
        }
    )
    pipe.answer(1)
    send({"method": "notifications/initialized"})
    tools: list[dict[str, Any]] = []
    cursor: str | None = None
    request_id = 2
    while True:
        send({"id": request_id, "method": "tools/list", "params": {"cursor": cursor} if cursor else {}})
        page = pipe.answer(request_id)
        tools += page.get("tools", [])
        cursor = page.get("nextCursor")
        if not cursor:
            return time.perf_counter() - started, tools
        request_id += 1


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End-of-file on stdin asks the server to exit; kill it if it does not within 10 s."""
    if proc.returncode is None:
        try:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
