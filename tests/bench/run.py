"""Runs every measurement in order and prints the report (``python -m tests.bench``).

Fairness rules kept here: the two sides of a comparison run in alternating
rounds (ours, peer, floor, ours, peer, floor, ...) so that load from other
processes on this shared machine falls on all alike; each server gets one
untimed warm-up start (page cache, ``.pyc``) before its timed cold starts; the
same stdio probe times every server; in-process calls are timed after a warm-up
in each side's own process, against an in-memory upstream that answers the same
JSON, then ours again over real HTTP to a canned upstream on 127.0.0.1
(``overhttp.py``). The *floor* is the bare SDK server of ``floor_server.py``: what no server
on the SDK can start faster than, printed so the distance to it is visible.

Options come from the environment (see :class:`Settings`); ``BENCH_QUICK=1`` is
the smallest useful run.
"""

from __future__ import annotations

import functools
import os
import platform
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio

from . import ours, overhttp, peers
from .catalogue import CALL_CASES, DOCS, ROOT, CallCase, Doc, count_operations, load_any
from .report import render
from .series import RunResult, StartRun, merge_runs, merge_starts
from .stats import Failed, Series

__all__ = ["Settings", "DocResult", "CallResult", "LargeResult", "Results", "measure", "main"]


@dataclass(frozen=True)
class Settings:
    """What to measure and how often.

    Environment variables: ``BENCH_REPEAT`` (cold starts per server, default 7),
    ``BENCH_GEN_REPEAT`` (cold and warm generations per document, default 3),
    ``BENCH_CALLS`` (timed in-process calls per case, default 200),
    ``BENCH_PEERS=0`` (ours only), ``BENCH_VENDOR=0`` (curated documents only),
    ``BENCH_DOCS`` (comma-separated keys: desk365, desk365-vendor, intercom,
    intercom-full), ``BENCH_VENV`` (the peers' virtualenv, default
    .cache/bench-venv), ``BENCH_LARGE=0`` (no synthetic large documents, see
    :mod:`.largedoc`), ``BENCH_QUICK=1`` (defaults of 1 / 1 / 20, no vendor or
    large documents; explicit values still win).
    """

    repeat: int = 7
    gen_repeat: int = 3
    calls: int = 200
    peers: bool = True
    vendor: bool = True
    docs: tuple[str, ...] = ()
    venv: Path = ROOT / ".cache" / "bench-venv"
    warmup: int = 10
    large: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        quick = env.get("BENCH_QUICK", "0") == "1"
        base = cls(repeat=1, gen_repeat=1, calls=20, vendor=False, large=False) if quick else cls()

        def count(name: str, default: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < 1:
                raise SystemExit(f"{name} must be a positive integer, got {raw!r}")
            return int(raw)

        def flag(name: str, default: bool) -> bool:
            raw = env.get(name, "").strip()
            if raw not in ("", "0", "1"):
                raise SystemExit(f"{name} must be 0 or 1, got {raw!r}")
            return default if not raw else raw == "1"

        keys = tuple(k.strip() for k in env.get("BENCH_DOCS", "").split(",") if k.strip())
        unknown = [k for k in keys if k not in {d.key for d in DOCS}]
        if unknown:
            raise SystemExit(f"BENCH_DOCS: unknown document {', '.join(unknown)}; use {', '.join(d.key for d in DOCS)}")
        return replace(
            base,
            repeat=count("BENCH_REPEAT", base.repeat),
            gen_repeat=count("BENCH_GEN_REPEAT", base.gen_repeat),
            calls=count("BENCH_CALLS", base.calls),
            peers=flag("BENCH_PEERS", base.peers),
            vendor=flag("BENCH_VENDOR", base.vendor),
            large=flag("BENCH_LARGE", base.large),
            docs=keys,
            venv=Path(env["BENCH_VENV"]).resolve() if env.get("BENCH_VENV") else base.venv,
        )

    def selected(self) -> list[Doc]:
        if self.docs:
            return [d for d in DOCS if d.key in self.docs]
        return [d for d in DOCS if self.vendor or d.checked_in]


@dataclass
class DocResult:
    """Everything measured on one document, both sides."""

    doc: Doc
    operations: int
    cold: RunResult
    warm: RunResult | None
    start: StartRun
    peer_start: StartRun | None = None
    floor_start: StartRun | None = None
    peer_note: str | None = None
    opc: peers.OpcResult | None = None
    lines: tuple[int, int] | None = None  # lines and files of .py our generator wrote
    peer_lines: tuple[int, int] | None = None  # the same for openapi-python-client


@dataclass
class CallResult:
    case: CallCase
    label: str
    ours: ours.CallRun | Failed
    peer: dict[str, Any] | Failed | None = None
    over_http: overhttp.HttpCalls | Failed | None = None  # ours again, the upstream on 127.0.0.1


@dataclass
class LargeResult:
    """The synthetic large documents (:mod:`.largedoc`): cold generation of one of
    :data:`LARGE_OPERATIONS` operations, ours and openapi-python-client's; and
    ``helpdesk-mcp tools`` on one of :data:`TOOLS_OPERATIONS`."""

    operations: int
    cold: RunResult
    opc: RunResult | None
    tools_operations: int
    tools: RunResult


LARGE_OPERATIONS = 771  # the code-hosting API
TOOLS_OPERATIONS = 1000


@dataclass
class Results:
    settings: Settings
    peers: peers.Peers | str
    docs: list[DocResult] = field(default_factory=list)
    large: LargeResult | None = None
    calls: list[CallResult] = field(default_factory=list)
    curated: tuple[RunResult, RunResult | None] | None = None
    profile: list[str] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)
    seconds: float = 0.0


def _log(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _ok(run: RunResult | None) -> bool:
    return run is not None and isinstance(run.seconds, Series)


def measure_doc(doc: Doc, s: Settings, work: Path, peer: peers.Peers | None) -> DocResult:
    """Generation (ours against openapi-python-client) and cold starts (ours against FastMCP)."""
    operations = count_operations(load_any(doc.path))
    opc_path = opc_note = None
    if peer:
        opc_path, opc_note = peers.opc_source(peer, doc, work)
    cold: RunResult | None = None
    opc_run: RunResult | None = None
    for i in range(s.gen_repeat):
        _log(f"{doc.key}: generation round {i + 1}/{s.gen_repeat}")
        if cold is None or _ok(cold):
            cold = merge_runs(cold, ours.generate_cold(doc.path, doc.package, work, repeat=1))
        if peer and opc_path and (opc_run is None or _ok(opc_run)):
            opc_run = merge_runs(opc_run, peers.opc_generate(peer, doc, opc_path, work, repeat=1))
    assert cold is not None
    warm = ours.generate_warm(doc.path, doc.package, work, repeat=s.gen_repeat) if _ok(cold) else None
    opc = peers.opc_check(peer, doc, work, opc_run, opc_note) if peer and opc_run else None
    lines = ours.python_lines(ours.generated_at(doc.package, work)) if _ok(cold) else None
    peer_lines = ours.python_lines(peers.opc_out(doc, work)) if opc and _ok(opc.run) else None

    if doc.checked_in:
        package, entry = doc.checked_in, ROOT
    else:
        package, entry = doc.package, ours.generated_at(doc.package, work)

    def start_ours(n: int) -> StartRun:
        return ours.start_ours(package, entry, repeat=n)

    fm_path: Path | None = None
    note = None
    if peer:
        fm_path, note = peers.fastmcp_source(peer, doc, work)
    if doc.checked_in is None and not _ok(cold):
        start = StartRun(Failed("not generated (see the generation rows)"))
    else:
        start_ours(1)  # warm-up
        start = None
    ours.start_floor(repeat=1)  # warm-up
    peer_start: StartRun | None = None
    floor: StartRun | None = None
    for i in range(s.repeat):
        _log(f"{doc.key}: cold-start round {i + 1}/{s.repeat}")
        if start is None or _ok_start(start):
            start = merge_starts(start, start_ours(1))
        if peer and fm_path and (peer_start is None or _ok_start(peer_start)):
            peer_start = merge_starts(peer_start, peers.fastmcp_start(peer, fm_path, work, repeat=1))
        if floor is None or _ok_start(floor):
            floor = merge_starts(floor, ours.start_floor(repeat=1))
    assert start is not None
    return DocResult(doc, operations, cold, warm, start, peer_start, floor, note, opc, lines, peer_lines)


def _ok_start(run: StartRun) -> bool:
    return isinstance(run.seconds, Series)


def measure_calls(case: CallCase, label: str, s: Settings, work: Path, peer: peers.Peers | None) -> CallResult:
    """In-process call latencies of ``case``, ours then FastMCP's."""
    _log(f"{case.doc}: in-process calls")
    try:
        mine: ours.CallRun | Failed = anyio.run(
            functools.partial(ours.call_series, case, calls=s.calls, warmup=s.warmup)
        )
    except Exception as exc:  # a broken setup is a row, not a crash
        mine = Failed(f"{type(exc).__name__}: {exc}")
    _log(f"{case.doc}: calls over HTTP on 127.0.0.1")
    try:
        over: overhttp.HttpCalls | Failed = anyio.run(
            functools.partial(overhttp.http_call_series, case, work, calls=s.calls, warmup=s.warmup)
        )
    except Exception as exc:
        over = Failed(f"{type(exc).__name__}: {exc}")
    theirs = None
    if peer:
        doc = next(d for d in DOCS if d.key == case.doc)
        theirs = peers.fastmcp_calls(peer, case, doc, work, calls=s.calls, warmup=s.warmup)
    return CallResult(case, label, mine, theirs, over)


def measure_large(s: Settings, work: Path, peer: peers.Peers | None) -> LargeResult:
    """Generation of a 771-operation document (ours, then openapi-python-client's, in
    alternating rounds) and the ``tools`` command on a 1,000-operation one."""
    from .largedoc import write_large_document

    doc = write_large_document(work / f"large-{LARGE_OPERATIONS}.json", LARGE_OPERATIONS)
    cold: RunResult | None = None
    opc_run: RunResult | None = None
    for i in range(s.gen_repeat):
        _log(f"large document ({LARGE_OPERATIONS} operations): generation round {i + 1}/{s.gen_repeat}")
        if cold is None or _ok(cold):
            cold = merge_runs(cold, ours.generate_cold(doc, "bench_large", work, repeat=1))
        if peer and (opc_run is None or _ok(opc_run)):
            large = Doc("large", "large", doc, "bench_large")
            opc_run = merge_runs(opc_run, peers.opc_generate(peer, large, doc, work, repeat=1))
    assert cold is not None
    many = write_large_document(work / f"large-{TOOLS_OPERATIONS}.json", TOOLS_OPERATIONS)
    _log(f"large document ({TOOLS_OPERATIONS} operations): helpdesk-mcp tools")
    tools = ours.tools_command(many, work, repeat=s.gen_repeat)
    return LargeResult(LARGE_OPERATIONS, cold, opc_run, TOOLS_OPERATIONS, tools)


def measure(s: Settings, work: Path) -> Results:
    """Run every selected measurement; the report is :func:`report.render` of the result."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    found: peers.Peers | str = peers.find_peers(s.venv) if s.peers else "skipped (BENCH_PEERS=0)"
    peer = found if isinstance(found, peers.Peers) else None
    results = Results(s, found)
    selected = s.selected()
    for doc in selected:
        results.docs.append(measure_doc(doc, s, work, peer))
    labels = {d.key: d.label for d in selected}
    for case in CALL_CASES:
        if case.doc in labels:
            results.calls.append(measure_calls(case, labels[case.doc], s, work, peer))
    if s.large and not s.docs:
        results.large = measure_large(s, work, peer)
    if all(d.key in labels for d in DOCS if d.checked_in):
        _log("all curated documents: generation")
        results.curated = ours.generate_curated(work, repeat=s.gen_repeat)
    if results.calls and not isinstance(results.calls[0].ours, Failed):
        case = results.calls[0].case
        results.profile = anyio.run(functools.partial(ours.profile_host_call, case, calls=s.calls))
    results.load = (load_before, os.getloadavg()[0])
    results.seconds = time.perf_counter() - started
    return results


def environment_line(found: peers.Peers | str) -> str:
    from importlib.metadata import version

    mine = ", ".join(f"{n} {version(n)}" for n in ("mcp", "httpx2", "pydantic", "ruff"))
    line = f"python {platform.python_version()} on {os.cpu_count()} cores; ours: {mine}"
    if isinstance(found, peers.Peers):
        theirs = ", ".join(f"{n} {v}" for n, v in found.versions.items())
        return f"{line}\npeers (.cache/bench-venv): {theirs}"
    return f"{line}\npeers: {found}"


def main() -> None:
    settings = Settings.from_env(os.environ)
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as tmp:
        results = measure(settings, Path(tmp))
    print(render(results, environment_line(results.peers)))


if __name__ == "__main__":
    main()
