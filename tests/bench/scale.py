"""The scale-out load run (issue 17): one server process against two sharing PostgreSQL.

``python -m tests.bench.scale`` (also after the load run of ``make bench``) starts a
throw-away PostgreSQL (``tests.pgserver``), the Desk365 mock, and one endpoint made
with the ``endpoints`` command. Then the load of :mod:`tests.bench.load` (the same
``LOAD_CLIENTS`` clients, default 50, sharing the same ``LOAD_CALLS`` calls, default
2,000, the same mix) runs twice against ``--endpoints`` servers on that database:

* one process;
* two processes, each client bound to one of them (client ``k`` to process
  ``k % 2``), as a sticky load balancer routes sessions.

Every request passes the endpoint gate, so every call costs one token lookup in
PostgreSQL. Printed per run: calls per second, p50 / p99 latency, errors (a run
with any fails, exit status 1) and each server process's peak RSS (``VmHWM``).
The mock, PostgreSQL, the servers and the clients share this machine's cores, so a
second process buys throughput only where the cores were not already busy: read the
CPU line (the servers' CPU seconds per call) next to the wall-clock figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from tests.bench import load
from tests.bench.load import LoadSettings, Memory, memory, percentile
from tests.mocks import document
from tests.pgserver import PostgresServer, find_binaries, postgres_server

__all__ = ["ScaleRun", "main", "run_scale"]


@dataclass
class ScaleRun:
    """One load run against ``processes`` server processes."""

    processes: int
    calls: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warm: list[Memory | None] = field(default_factory=list)
    end: list[Memory | None] = field(default_factory=list)

    def line(self) -> str:
        rate = self.calls / self.seconds if self.seconds else 0.0
        p50, p99 = (percentile(self.latencies, q) * 1000 for q in (50, 99)) if self.latencies else (0.0, 0.0)
        peaks = ", ".join(f"{m.peak / 2**20:.1f} MiB" if m else "n/a" for m in self.end)
        cpu = sum(e.cpu - w.cpu for w, e in zip(self.warm, self.end, strict=True) if w and e)
        return (
            f"  {self.processes} process{'es' if self.processes > 1 else '  '}  {rate:7.1f} calls/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:7.1f} ms  errors {len(self.errors)}  peak RSS {peaks}  "
            f"servers' CPU {cpu / max(1, self.calls) * 1000:.1f} ms/call"
        )


def _endpoint(url: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "generated.desk365", "endpoints", "create", "--name", "load", "--endpoints-db", url,
         "--json"], env=env, cwd=load.ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"endpoints create failed: {done.stderr}")
    return str(json.loads(done.stdout)["url"]).rsplit("/", 1)[1]


def run_scale(
    settings: LoadSettings, tmp: Path, counts: tuple[int, ...] = (1, 2), pg: PostgresServer | None = None
) -> list[ScaleRun]:
    """Run the load once per entry of ``counts`` (server processes on one PostgreSQL: ``pg``, else
    a throw-away one)."""
    runs = []
    with ExitStack() as stack:
        if pg is None:
            pg = stack.enter_context(postgres_server())
        database = pg.create_database("load")
        env = load.server_env(DESK365_API_KEY=load.CREDENTIAL)
        mock_port = load.free_port()
        mock_argv = [sys.executable, "-m", "helpdesk_mock", "desk365", "--document", str(document("desk365")),
                     "--port", str(mock_port), "--log-level", "warning"]  # fmt: skip
        stack.enter_context(load.running(mock_argv, port=mock_port, log=tmp / "mock.log", env=env))
        token = _endpoint(database, env)
        for count in counts:
            with ExitStack() as servers:
                procs, urls = [], []
                for i in range(count):
                    port = load.free_port()
                    argv = [sys.executable, "-m", "generated.desk365", "--transport", "http", "--endpoints",
                            "--endpoints-db", database, "--port", str(port), "--base-url",
                            f"http://127.0.0.1:{mock_port}", "--log-level", "warning"]  # fmt: skip
                    log = tmp / f"server-{count}-{i}.log"
                    procs.append(servers.enter_context(load.running(argv, port=port, log=log, env=env)))
                    urls.append(f"http://127.0.0.1:{port}/mcp/{token}")
                run = ScaleRun(count, settings.calls)

                def warm(run: ScaleRun = run, procs: list[subprocess.Popen[bytes]] = procs) -> None:
                    run.warm = [memory(p.pid) for p in procs]

                run.seconds, run.latencies, run.errors = anyio.run(load.drive, urls, settings, warm)
                run.end = [memory(p.pid) for p in procs]
                runs.append(run)
    return runs


def render(settings: LoadSettings, runs: list[ScaleRun]) -> str:
    lines = [
        f"Scale-out: {settings.clients} MCP clients, {settings.calls} tool calls per run, --endpoints servers on "
        "one PostgreSQL (a token lookup per request), Desk365 mock, all on 127.0.0.1",
        *(run.line() for run in runs),
        f"  load average    {load.load_average()}",
    ]
    for run in runs:
        lines += [f"  error ({run.processes}): {e}" for e in run.errors[:5]]
    return "\n".join(lines)


def main() -> None:
    if find_binaries() is None:
        print("Scale-out: skipped (no PostgreSQL binaries: apt-get install postgresql)")
        return
    settings = LoadSettings.from_env(os.environ)
    with tempfile.TemporaryDirectory(prefix="helpdesk-scale-") as tmp:
        runs = run_scale(settings, Path(tmp))
    print(render(settings, runs))
    if any(run.errors for run in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
