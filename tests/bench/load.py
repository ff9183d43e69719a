"""The load benchmark (issue 6, part 4): many MCP clients at once over streamable HTTP.

``python -m tests.bench.load`` (also the last part of ``make bench``) starts two
real processes on 127.0.0.1: the stateful Desk365 mock (``python -m
helpdesk_mock desk365``) and the generated server in HTTP mode (``python -m
generated.desk365 --transport http --base-url <mock>``, its defaults: sessions
and SSE answers). Then ``LOAD_CLIENTS`` MCP clients (default 50) share
``LOAD_CALLS`` tool calls (default 2,000).

How it is measured:

* every client is the SDK's ``mcp.Client`` with its own HTTP connection pool
  and session, opened and warmed with one call before the clock starts;
* the calls are a fixed mix (:data:`MIX`, nine reads for every write): ticket
  details, ticket pages, conversations, contacts, companies and KB articles,
  and ticket notes and ticket updates as writes. Call ``i`` is
  ``MIX[i % len(MIX)]`` with arguments derived from ``i``, so every run sends
  the same requests;
* clients take the next call from one shared counter, so a slow call never
  leaves the others idle while work remains;
* latency is the client's wall time from ``call_tool`` to its result; calls
  per second is the number of calls over the wall time from the first call to
  the last result;
* an error is a result with ``isError`` or an exception; a run with any error
  fails (exit status 1) and prints the first few;
* peak RSS is the kernel's high-water mark (``VmHWM`` in ``/proc/PID/status``)
  of each process, read at the end; the RSS after the warm-up is printed next
  to it, so growth under load shows. Linux only; "n/a" elsewhere;
* CPU seconds used under load by the server, the mock and this process (the
  clients), per call, and the machine's load average: on a shared machine the
  wall-clock figures depend on what else runs, the CPU figures much less.

The mock, the server and the clients share one machine, so the figures are
those of the whole loop on one box (the clients cost CPU too), not of the
server alone. The helpers for real processes (:func:`free_port`,
:func:`running`, :func:`memory`, :func:`server_env`) are shared with the fault
suite (``tests/test_faults.py``).
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from tests.mocks import document

__all__ = [
    "MIX", "LoadResult", "LoadSettings", "Memory", "free_port", "main", "memory", "percentile", "run_load",
    "running", "server_env",
]  # fmt: skip

ROOT = Path(__file__).resolve().parents[2]
CREDENTIAL = "load-bench-key"
FIRST_TICKET, TICKETS = 17, 75  # the mock's fixtures: tickets 17 to 91
EMAILS = ("jane.doe@example.com", "omar.doe@fabrikam.example", "sofia.doe@northwindtraders.example")
ARTICLES = ("How to reset your password", "Setting up two-factor authentication")


def _ticket(i: int) -> int:
    return FIRST_TICKET + (i * 7) % TICKETS


Args = Callable[[int], dict[str, Any]]
MIX: tuple[tuple[str, Args], ...] = (
    ("get_single_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i)}),
    ("list_all_desk_365_tickets", lambda i: {"ticket_count": "30", "offset": str(30 * (i % 3))}),
    ("list_all_desk_365_ticket_conversations", lambda i: {"ticket_number": _ticket(i)}),
    ("get_single_desk_365_contact_by_id", lambda i: {"primary_email": EMAILS[i % len(EMAILS)]}),
    ("create_a_desk_365_ticket_note", lambda i: {"ticket_number": _ticket(i), "body": f"<p>load note {i}</p>"}),
    ("get_single_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i + 1)}),
    ("list_all_desk_365_contacts", lambda i: {}),
    ("list_all_desk_365_companies", lambda i: {}),
    ("get_single_desk_365_kb_article_by_id", lambda i: {"article_name": ARTICLES[i % len(ARTICLES)]}),
    ("list_all_desk_365_kb_articles", lambda i: {}),
    ("get_single_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i + 2)}),
    ("list_all_desk_365_tickets", lambda i: {"ticket_count": "30"}),
    ("list_all_desk_365_ticket_conversations", lambda i: {"ticket_number": _ticket(i + 3)}),
    ("get_single_desk_365_contact_by_id", lambda i: {"primary_email": EMAILS[(i + 1) % len(EMAILS)]}),
    ("update_a_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i), "status": ("Open", "Pending")[i % 2]}),
    ("get_single_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i + 4)}),
    ("list_all_desk_365_companies", lambda i: {"offset": "30"}),
    ("list_all_desk_365_ping", lambda i: {}),
    ("get_single_desk_365_ticket_by_id", lambda i: {"ticket_number": _ticket(i + 5)}),
    ("list_all_desk_365_ticket_conversations", lambda i: {"ticket_number": _ticket(i + 6)}),
)
"""The call mix: 18 reads and 2 writes (call ``i`` is ``MIX[i % 20]`` with ``i``'s arguments)."""


# -- real processes -------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(**extra: str) -> dict[str, str]:
    """This environment without any vendor configuration, ``ROOT`` importable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DESK365_", "INTERCOM_"))}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20.0) -> None:
    """Return once ``port`` accepts connections; fail with the process's log if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout:g} s:\n{log.read_text(errors='replace')}")


@contextmanager
def running(argv: Sequence[str], *, port: int, log: Path, env: Mapping[str, str] | None = None
            ) -> Iterator[subprocess.Popen[bytes]]:  # fmt: skip
    """Run ``argv`` (stdout and stderr to ``log``) until it listens on ``port``; stop it on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            list(argv), env=dict(env or server_env()), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_port(port, proc, log)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@dataclass(frozen=True)
class Memory:
    """A process's resident set size now and its high-water mark, in bytes, and the CPU
    seconds it has used so far (user and system)."""

    rss: int
    peak: int
    cpu: float = 0.0


def memory(pid: int) -> Memory | None:
    """``VmRSS``, ``VmHWM`` and CPU time of ``pid`` (None where ``/proc`` has no such files)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in clock ticks
        return Memory(int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024, cpu)
    except (KeyError, ValueError, IndexError):
        return None


# -- the load -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadSettings:
    """``LOAD_CLIENTS`` concurrent clients (default 50) sharing ``LOAD_CALLS`` calls (default 2,000)."""

    clients: int = 50
    calls: int = 2000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LoadSettings:
        def count(name: str, default: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < 1:
                raise SystemExit(f"{name} must be a positive integer, got {raw!r}")
            return int(raw)

        return cls(clients=count("LOAD_CLIENTS", cls.clients), calls=count("LOAD_CALLS", cls.calls))


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100) of a non-empty sample."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class LoadResult:
    """What one run measured (see the module docstring)."""

    clients: int
    calls: int
    seconds: float
    latencies: list[float]
    errors: list[str] = field(default_factory=list)
    client_cpu: float = 0.0
    server_warm: Memory | None = None
    server_end: Memory | None = None
    mock_warm: Memory | None = None
    mock_end: Memory | None = None

    @property
    def calls_per_second(self) -> float:
        return self.calls / self.seconds if self.seconds > 0 else 0.0

    def render(self) -> str:
        def mib(value: int) -> str:
            return f"{value / 2**20:.1f} MiB"

        def mem(warm: Memory | None, end: Memory | None) -> str:
            if end is None:
                return "n/a (no /proc)"
            after = f" (RSS {mib(warm.rss)} after warm-up, {mib(end.rss)} at the end)" if warm else ""
            return mib(end.peak) + after

        def cpu(warm: Memory | None, end: Memory | None) -> str:
            if warm is None or end is None or not self.calls:
                return "n/a (no /proc)"
            used = end.cpu - warm.cpu
            return f"{used:.1f} s, {used / self.calls * 1000:.1f} ms per call"

        p50, p99 = (percentile(self.latencies, q) * 1000 for q in (50, 99)) if self.latencies else (0.0, 0.0)
        lines = [
            f"Load: {self.clients} MCP clients, {self.calls} tool calls over streamable HTTP "
            "(generated Desk365 server -> Desk365 mock, both on 127.0.0.1)",
            f"  calls per second       {self.calls_per_second:.1f}  ({self.seconds:.2f} s wall)",
            f"  latency p50 / p99      {p50:.1f} / {p99:.1f} ms",
            f"  errors                 {len(self.errors)}",
            f"  server peak RSS        {mem(self.server_warm, self.server_end)}",
            f"  mock peak RSS          {mem(self.mock_warm, self.mock_end)}",
            f"  server CPU under load  {cpu(self.server_warm, self.server_end)}",
            f"  mock CPU under load    {cpu(self.mock_warm, self.mock_end)}",
            f"  clients' CPU           {self.client_cpu:.1f} s, {self.client_cpu / max(1, self.calls) * 1000:.1f} ms "
            "per call (the SDK client, in this process)",
            f"  load average           {load_average()} (the machine's, at the end)",
            f"  mix                    {mix_line()}",
        ]
        lines += [f"  error: {e}" for e in self.errors[:5]]
        return "\n".join(lines)


def load_average() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg()) + f" over 1 / 5 / 15 min on {os.cpu_count()} CPUs"
    except OSError:
        return "n/a"


def mix_line() -> str:
    reads = sum(1 for name, _ in MIX if not name.startswith(("create_", "update_", "delete_")))
    return f"{len(MIX)}-call cycle: {reads} reads, {len(MIX) - reads} writes, {len({n for n, _ in MIX})} tools"


async def drive(url: str | Sequence[str], settings: LoadSettings, on_ready: Callable[[], None] = lambda: None
                ) -> tuple[float, list[float], list[str]]:  # fmt: skip
    """Run the calls from ``settings.clients`` clients; return wall seconds, latencies and errors.

    ``on_ready`` runs once every client is connected and warm, just before the clock starts.
    Given several URLs (several processes), client ``k`` uses ``url[k % len(url)]`` for all
    its calls, as a sticky load balancer would route its session.
    """
    urls = [url] if isinstance(url, str) else list(url)
    from mcp import Client

    latencies: list[float] = []
    errors: list[str] = []
    next_call = opened = 0
    ready = anyio.Event()
    started = 0.0

    async def one(client: Any, i: int) -> None:
        name, args = MIX[i % len(MIX)]
        began = time.perf_counter()
        try:
            result = await client.call_tool(name, args(i))
        except Exception as exc:  # an error of the run, counted and shown, never fatal to the others
            errors.append(f"call {i} {name}: {type(exc).__name__}: {exc}")
            return
        latencies.append(time.perf_counter() - began)
        if result.is_error:
            text = result.content[0].text if result.content else ""
            errors.append(f"call {i} {name}: {text[:300]}")

    async def worker(k: int) -> None:
        nonlocal next_call, opened, started
        async with Client(urls[k % len(urls)]) as client:
            await client.call_tool("list_all_desk_365_ping", {})  # warm: session, connection, first call
            opened += 1
            if opened == settings.clients:
                on_ready()
                started = time.perf_counter()
                ready.set()
            await ready.wait()
            while next_call < settings.calls:
                i = next_call
                next_call += 1
                await one(client, i)

    async with anyio.create_task_group() as tg:
        for k in range(settings.clients):
            tg.start_soon(worker, k)
    return time.perf_counter() - started, latencies, errors


def run_load(settings: LoadSettings, tmp: Path) -> LoadResult:
    """Start the mock and the server, run the load, stop both; their logs go to ``tmp``."""
    mock_port, server_port = free_port(), free_port()
    mock_argv = [
        sys.executable, "-m", "helpdesk_mock", "desk365", "--document", str(document("desk365")),
        "--port", str(mock_port), "--log-level", "warning",
    ]  # fmt: skip
    server_argv = [
        sys.executable, "-m", "generated.desk365", "--transport", "http", "--port", str(server_port),
        "--base-url", f"http://127.0.0.1:{mock_port}", "--log-level", "warning",
    ]  # fmt: skip
    env = server_env(DESK365_API_KEY=CREDENTIAL)
    with (
        running(mock_argv, port=mock_port, log=tmp / "mock.log", env=env) as mock,
        running(server_argv, port=server_port, log=tmp / "server.log", env=env) as server,
    ):
        result = LoadResult(settings.clients, settings.calls, 0.0, [])

        def warm() -> None:
            result.server_warm, result.mock_warm = memory(server.pid), memory(mock.pid)
            result.client_cpu = -time.process_time()

        url = f"http://127.0.0.1:{server_port}/mcp"
        result.seconds, result.latencies, result.errors = anyio.run(drive, url, settings, warm)
        result.client_cpu += time.process_time()
        result.server_end, result.mock_end = memory(server.pid), memory(mock.pid)
    return result


def main() -> None:
    settings = LoadSettings.from_env(os.environ)
    with tempfile.TemporaryDirectory(prefix="helpdesk-load-") as tmp:
        result = run_load(settings, Path(tmp))
    print(result.render())
    if result.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
