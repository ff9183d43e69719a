"""The peers' side, driven from our virtualenv: FastMCP and openapi-python-client.

The peers live only in the benchmark virtualenv (``.cache/bench-venv``, built by
``make bench`` from ``tests/bench-requirements.txt``); nothing here imports
them. FastMCP runs as ``fastmcp_peer.py`` under that virtualenv's Python, once
as a stdio server (timed by the same probe as ours) and once in-process for the
call latencies, which it prints as JSON. openapi-python-client runs as its own
command line, with the virtualenv's ``bin`` first on PATH so that its ruff
post-hooks run as in a normal installation.

A document a peer refuses as is is reported as a failure, and where the
catalogue names a minimal fix (Desk365's vendor document has a server entry
without a URL) the peer is measured again on the fixed copy, labelled so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import ROOT, CallCase, Doc, load_any
from .series import RunResult, StartRun, fresh, last_lines, start_series, timed_runs
from .stats import Failed, Series

__all__ = [
    "Peers",
    "OpcResult",
    "find_peers",
    "peer_json",
    "fastmcp_source",
    "fastmcp_start",
    "fastmcp_calls",
    "opc_source",
    "opc_generate",
    "opc_check",
]

PEER_SCRIPT = Path(__file__).with_name("fastmcp_peer.py")
MOCK_URL = "http://127.0.0.1:9"
VERSIONS = ("fastmcp", "openapi-python-client", "mcp", "httpx2", "ruff")


@dataclass(frozen=True)
class Peers:
    """The benchmark virtualenv and the versions of the peers in it."""

    python: Path
    versions: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.python.parent

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = str(self.bin) + os.pathsep + env.get("PATH", "")
        return env


def find_peers(venv: Path) -> Peers | str:
    """The peers in ``venv``, or why they cannot be used."""
    python = venv / "bin" / "python"
    if not python.exists():
        return f"no benchmark virtualenv at {venv} (run `make bench`)"
    code = f"import json, importlib.metadata as m\nprint(json.dumps({{n: m.version(n) for n in {VERSIONS!r}}}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        return f"the benchmark virtualenv at {venv} lacks a peer: {last_lines(done.stderr, 1)}"
    return Peers(python, json.loads(done.stdout))


def peer_json(doc: Doc, work: Path, *, patched: bool = False) -> Path:
    """The document as a JSON file (FastMCP takes a dict; YAML parsing is not charged to it)."""
    if doc.path.suffix == ".json" and not patched:
        return doc.path
    target = work / f"peer-{doc.key}{'-patched' if patched else ''}.json"
    if not target.exists():
        data = load_any(doc.path)
        if patched and doc.peer_patch:
            data = {**data, **doc.peer_patch}
        target.write_text(json.dumps(data, default=str), encoding="utf-8")
    return target


def fastmcp_argv(peers: Peers, path: Path) -> list[str]:
    return [str(peers.python), str(PEER_SCRIPT), "serve", str(path), MOCK_URL]


def fastmcp_source(peers: Peers, doc: Doc, work: Path) -> tuple[Path, str | None]:
    """The document FastMCP is measured on, after one untimed warm-up start.

    The document as is, unless FastMCP refuses it and the catalogue names a fix;
    the note then says so.
    """
    path = peer_json(doc, work)
    warmup = start_series(fastmcp_argv(peers, path), env=peers.env(), cwd=work, repeat=1)
    if isinstance(warmup.seconds, Failed) and doc.peer_patch:
        note = f"FastMCP refuses the document as is ({_short(warmup.seconds.message)}); "
        note += f"measured on a copy with {_patch(doc)}"
        path = peer_json(doc, work, patched=True)
        start_series(fastmcp_argv(peers, path), env=peers.env(), cwd=work, repeat=1)
        return path, note
    return path, None


def fastmcp_start(peers: Peers, path: Path, work: Path, *, repeat: int) -> StartRun:
    """Cold starts of a FastMCP server built from the JSON document ``path``."""
    return start_series(fastmcp_argv(peers, path), env=peers.env(), cwd=work, repeat=repeat)


def fastmcp_calls(peers: Peers, case: CallCase, doc: Doc, work: Path, *, calls: int, warmup: int = 10) -> Any:
    """FastMCP's in-process call latencies for ``case``: a dict of Series, or Failed."""
    config = {
        "doc": str(peer_json(doc, work)),
        "base_url": case.base_url,
        "http": list(case.http),
        "tool": case.peer_tool,
        "arguments": case.arguments,
        "response": case.response,
        "calls": calls,
        "warmup": warmup,
    }
    argv = [str(peers.python), str(PEER_SCRIPT), "calls", json.dumps(config)]
    done = subprocess.run(argv, capture_output=True, text=True, env=peers.env(), cwd=work, check=False)
    if done.returncode:
        return Failed(last_lines(done.stderr or done.stdout))
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "tools_call": Series.of(data["tools_call"], "us"),
        "direct_httpx": Series.of(data["direct_httpx"], "us"),
        "request": data["request"],
    }


@dataclass(frozen=True)
class OpcResult:
    """openapi-python-client on one document: wall times, what it left out, whether it imports."""

    run: RunResult
    endpoints: int | None = None  # endpoint modules written
    skipped: int | None = None  # operations it said it would not generate
    imports: str | None = None  # "ok" or the first import error
    note: str | None = None


def _opc_failure(done: subprocess.CompletedProcess[str]) -> str | None:
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines() if line.strip()]
    noise = ("If you believe", "Generating ", "Error(s) encountered", "For further information")
    lines = [line for line in lines if not line.startswith(noise)]
    errors = [line for line in lines if line.startswith("error:")]
    head = [line for line in lines if line.endswith("failed") or line.startswith("Failed")]
    detail = errors[:1] + ([f"(+{len(errors) - 1} more errors)"] if len(errors) > 1 else []) if errors else lines[-2:]
    return " | ".join(head[:1] + detail) or f"exit status {done.returncode}"


def _opc_run(peers: Peers, path: Path, out: Path, work: Path, repeat: int) -> RunResult:
    exe = str(peers.bin / "openapi-python-client")
    argv = [exe, "generate", "--path", str(path), "--output-path", str(out), "--meta", "none"]
    return timed_runs(argv, repeat=repeat, cwd=work, env=peers.env(), before=fresh(out), failure=_opc_failure)


def opc_out(doc: Doc, work: Path) -> Path:
    return work / ("opc_" + doc.key.replace("-", "_"))


def opc_source(peers: Peers, doc: Doc, work: Path) -> tuple[Path, str | None]:
    """The document openapi-python-client is measured on (a fixed copy only if it refuses the original)."""
    if not doc.peer_patch:
        return doc.path, None
    first = _opc_run(peers, doc.path, opc_out(doc, work), work, 1)
    if isinstance(first.seconds, Failed) and "parse OpenAPI document" in first.seconds.message:
        note = f"openapi-python-client refuses the document as is ({_short(first.seconds.message)}, "
        note += f"after {first.seconds.after:.2f} s); measured on a copy with {_patch(doc)}"
        return peer_json(doc, work, patched=True), note
    return doc.path, None


def opc_generate(peers: Peers, doc: Doc, path: Path, work: Path, *, repeat: int) -> RunResult:
    """``repeat`` cold runs of ``openapi-python-client generate`` on ``path`` (an empty output folder each)."""
    return _opc_run(peers, path, opc_out(doc, work), work, repeat)


def opc_check(peers: Peers, doc: Doc, work: Path, run: RunResult, note: str | None) -> OpcResult:
    """What the last successful run wrote: endpoint modules, skipped operations, whether it imports."""
    out = opc_out(doc, work)
    if isinstance(run.seconds, Failed):
        return OpcResult(run, note=note)
    text = run.stdout + run.stderr
    endpoints = sum(1 for p in (out / "api").rglob("*.py") if p.name != "__init__.py") if (out / "api").is_dir() else 0
    return OpcResult(
        run,
        endpoints=endpoints,
        skipped=text.count("Endpoint will not be generated"),
        imports=_imports(peers, out),
        note=note,
    )


def _imports(peers: Peers, package_dir: Path) -> str:
    code = (
        "import importlib, pkgutil, sys\n"
        f"sys.path.insert(0, {str(package_dir.parent)!r})\n"
        f"root = importlib.import_module({package_dir.name!r})\n"
        "mods = [m.name for m in pkgutil.walk_packages(root.__path__, root.__name__ + '.')]\n"
        "for name in mods: importlib.import_module(name)\n"
        "print(len(mods))\n"
    )
    done = subprocess.run([str(peers.python), "-c", code], capture_output=True, text=True, env=peers.env(), check=False)
    return f"ok ({done.stdout.strip()} modules import)" if done.returncode == 0 else last_lines(done.stderr, 1)


def _short(message: str, limit: int = 140) -> str:
    message = message.split("; stderr:")[-1].split(" | ")[-1].strip()
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _patch(doc: Doc) -> str:
    return ", ".join(f"{k}: {json.dumps(v)}" for k, v in (doc.peer_patch or {}).items())


if __name__ == "__main__":  # pragma: no cover - a manual check of the virtualenv
    print(find_peers(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".cache" / "bench-venv"))
