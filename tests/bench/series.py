"""Repeated runs shared by both sides: a generator subprocess, a server's cold start.

Everything here measures a child process from the outside, so the same code
times our generator and openapi-python-client, our server and FastMCP's. A
step that fails is recorded as :class:`~.stats.Failed` (its last meaningful
line of output and the time to failure) and not repeated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .probe import ProbeError, probe_stdio
from .stats import Failed, Series

__all__ = [
    "StartRun", "RunResult", "start_series", "timed_runs", "run_measured", "last_lines", "fresh", "merge_runs",
    "merge_starts",
]  # fmt: skip


@dataclass(frozen=True)
class StartRun:
    """Cold starts of one server: seconds to ``tools/list``, peak RSS, the listed tools."""

    seconds: Series | Failed
    rss: Series | None = None
    tools: list[dict[str, Any]] | None = None


def start_series(argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, repeat: int) -> StartRun:
    """Start the stdio server ``argv`` ``repeat`` times, each from a fresh process.

    Python may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped): a server
    started once has its ``.pyc`` files, as an installed package does, so the
    untimed warm-up start before a series leaves both sides equally compiled. Left
    set, every start of a freshly generated package compiled all its modules again
    while the peer's libraries came compiled from ``pip install``.
    """
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    seconds: list[float] = []
    rss: list[float] = []
    tools: list[dict[str, Any]] | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            probe = probe_stdio(argv, env=env, cwd=cwd)
        except ProbeError as exc:
            return StartRun(Failed(str(exc), time.perf_counter() - started))
        seconds.append(probe.seconds)
        if probe.peak_rss_kb is not None:
            rss.append(float(probe.peak_rss_kb))
        tools = probe.tools
    return StartRun(Series.of(seconds, "ms"), Series.of(rss, "MiB") if rss else None, tools)


@dataclass(frozen=True)
class RunResult:
    """Wall times of a command run ``repeat`` times (or its failure), the peak RSS of
    each run (VmHWM, KiB; shown in MiB), and its last output."""

    seconds: Series | Failed
    stdout: str = ""
    stderr: str = ""
    rss: Series | None = None


def last_lines(text: str, n: int = 3) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-n:])


def timed_runs(
    argv: Sequence[str],
    *,
    repeat: int,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    before: Callable[[], None] | None = None,
    failure: Callable[[subprocess.CompletedProcess[str]], str | None] | None = None,
) -> RunResult:
    """Run ``argv`` ``repeat`` times, calling ``before`` (e.g. empty the output folder) untimed.

    ``failure`` decides whether a finished run failed (default: a non-zero exit)
    and returns the message to print.
    """
    samples: list[float] = []
    peaks: list[float] = []
    done: subprocess.CompletedProcess[str] | None = None
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        done, peak = run_measured(argv, cwd=cwd, env=env)
        elapsed = time.perf_counter() - started
        problem = failure(done) if failure else (last_lines(done.stderr or done.stdout) if done.returncode else None)
        if problem is not None:
            return RunResult(Failed(problem or f"exit status {done.returncode}", elapsed), done.stdout, done.stderr)
        samples.append(elapsed)
        if peak:
            peaks.append(peak)
    assert done is not None
    return RunResult(Series.of(samples, "s"), done.stdout, done.stderr, Series.of(peaks, "MiB") if peaks else None)


def run_measured(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``argv`` to its end; its output, and its peak RSS in KiB (its own, from
    ``wait4``'s resource usage: the largest of the process and its waited children)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env or os.environ), stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    done = subprocess.CompletedProcess(list(argv), proc.returncode, stdout, stderr)
    return done, float(usage.ru_maxrss)  # KiB on Linux


def fresh(path: Path) -> Callable[[], None]:
    """A ``before`` hook that leaves ``path`` absent (a cold run)."""

    def clear() -> None:
        shutil.rmtree(path, ignore_errors=True)

    return clear


def _join(a: Series | Failed | None, b: Series | Failed) -> Series | Failed:
    if a is None or isinstance(b, Failed) and isinstance(a, Series):
        return b
    if isinstance(a, Failed):
        return a
    assert isinstance(b, Series)
    return Series(a.values + b.values, a.unit)


def merge_runs(a: RunResult | None, b: RunResult) -> RunResult:
    """Two rounds of the same command as one result (the first failure wins)."""
    if a is not None and isinstance(a.seconds, Failed):
        return a
    rss = a.rss if a is not None else None
    rss = Series(rss.values + b.rss.values, rss.unit) if rss and b.rss else (rss or b.rss)
    return RunResult(_join(a.seconds if a else None, b.seconds), b.stdout, b.stderr, rss)


def merge_starts(a: StartRun | None, b: StartRun) -> StartRun:
    """Two rounds of cold starts of the same server as one result (the first failure wins)."""
    if a is None:
        return b
    if isinstance(a.seconds, Failed):
        return a
    seconds = _join(a.seconds, b.seconds)
    rss = Series(a.rss.values + b.rss.values, a.rss.unit) if a.rss and b.rss else (a.rss or b.rss)
    return StartRun(seconds, rss, b.tools or a.tools)
