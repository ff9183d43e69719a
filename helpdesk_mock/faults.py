"""Deliberate misbehaviour, for the clients' fault tests (``MockSettings.fault``).

The core records the request first, then asks :func:`plan` how to answer: an
:class:`Answer` is the status, headers and body chunks with the pause before each
chunk. ``latency`` pauses before the status line, ``trickle`` sends the body one
byte per ``fault_delay`` seconds; both are real ``anyio`` sleeps, so a client
timeout fires and cancels them. ``truncated`` cuts the JSON body in half (with a
matching Content-Length, so the client sees a complete answer that is not JSON),
``non_json`` sends an HTML error page labelled ``application/json``, ``huge``
pads a JSON object to ``fault_size`` bytes. ``fault_status`` is handled by the
core (an error of that status for every request).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .plugin import MockSettings

__all__ = ["Answer", "plan"]

_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@dataclass
class Answer:
    """What goes on the wire: each chunk is sent after its pause (seconds)."""

    status: int
    headers: list[tuple[str, str]]
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    delay: float = 0.0  # before the status line


def _set(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]


def _pad(body: bytes, size: int) -> bytes:
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {"data": data}
    base = len(json.dumps({**data, "padding": ""}).encode())
    data["padding"] = "x" * max(0, size - base)
    return json.dumps(data).encode()


def plan(settings: MockSettings, status: int, headers: list[tuple[str, str]], body: bytes) -> Answer:
    """The answer to send, with ``settings.fault`` applied (if any)."""
    fault, delay = settings.fault, max(0.0, settings.fault_delay)
    if fault == "truncated":
        body = body[: max(1, len(body) // 2)] if body else b"{"
    elif fault == "non_json":
        body = _HTML
        headers = _set(headers, "content-type", "application/json")
    elif fault == "huge":
        body = _pad(body, settings.fault_size)
        headers = _set(headers, "content-type", "application/json")
    headers = _set(headers, "content-length", str(len(body)))
    if fault == "trickle":
        chunks = [(delay, body[i : i + 1]) for i in range(len(body))] or [(delay, b"")]
    else:
        chunks = [(0.0, body)]
    return Answer(status, headers, chunks, delay if fault == "latency" else 0.0)
