"""Helpers of the generated Desk365 client's tests (``tests/test_client_desk365*.py``).

Each test builds a client on an ``httpx.MockTransport`` whose handler, a :class:`Recorder`,
records every request and answers from a queue of responses; :func:`query_pairs` and
:func:`parse_multipart` read a request back strictly. The sample objects and answers
here are shared by the table of every call (``tests/client_desk365_calls.py``) and the
tests. Nothing touches the network and nothing sleeps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

from generated.desk365 import (
    AsyncDesk365Client,
    Desk365Client,
    operations,
)
from generated.desk365._runtime.spec import OperationSpec

API_KEY = "d365-secret-KEY-0123456789abcdef"
BASE = "https://acme.desk365.io"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR--\r\n--not-a-boundary\xff\x00"
LOG = b"2025-11-20 10:00:01 ERROR spooler crashed\r\n\xe2\x9c\x93 done\n"

Handler = Callable[[httpx.Request], httpx.Response]


# (operation name, client method, kwargs, HTTP method, path, decoded query, body, result type): a row of
# the table (tests/client_desk365_calls.py)
Row = tuple[str, str, dict[str, Any], str, str, list[tuple[str, str]], Any, type | None]


# ---------------------------------------------------------------------------- helpers


class Recorder:
    """A MockTransport handler that records every request and answers from a queue
    of responses (the last one repeats)."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1, f"expected exactly one request, got {len(self.requests)}"
        return self.requests[0]


def make_client(handler: Handler, **options: Any) -> Desk365Client:
    options.setdefault("api_key", API_KEY)
    options.setdefault("subdomain", "acme")
    return Desk365Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)


def make_async_client(handler: Handler, **options: Any) -> AsyncDesk365Client:
    options.setdefault("api_key", API_KEY)
    options.setdefault("subdomain", "acme")
    return AsyncDesk365Client(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options)


def query_pairs(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded query, in order, parsed from the raw query string."""
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True, strict_parsing=True)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class Multipart:
    parts: tuple[Part, ...]


def parse_multipart(request: httpx.Request) -> list[Part]:
    """Split a multipart/form-data body on its boundary (a strict, minimal parser)."""
    mime, _, params = request.headers["content-type"].partition(";")
    assert mime.strip() == "multipart/form-data"
    boundary = dict(p.strip().split("=", 1) for p in params.split(";") if p.strip())["boundary"].strip('"')
    delimiter = b"--" + boundary.encode("ascii")
    body = request.content
    chunks = body.split(delimiter)
    assert chunks[0] == b"", "the body must start with the first delimiter"
    assert chunks[-1] == b"--\r\n", "the body must end with the close delimiter"
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        assert sep, "a part needs a blank line after its headers"
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers["content-disposition"]
        assert disposition.startswith("form-data")
        name = re.search(r';\s*name="([^"]*)"', disposition)
        filename = re.search(r';\s*filename="([^"]*)"', disposition)
        assert name is not None
        parts.append(Part(name.group(1), filename.group(1) if filename else None, headers.get("content-type"), content))
    return parts


def resolve(client: Desk365Client | AsyncDesk365Client, dotted: str) -> Callable[..., Any]:
    resource, method = dotted.split(".")
    return getattr(getattr(client, resource), method)  # type: ignore[no-any-return]


ALL_OPERATIONS = {v.name: v for v in vars(operations).values() if isinstance(v, OperationSpec)}


# ---------------------------------------------------------------------------- samples


TICKET_OBJECT = {
    "email": "zoe@example.com",
    "subject": "Printer on floor 3 jams",
    "description": "<p>Zoë & Søn: paper jam #4</p>",
    "priority": 10,
    "custom_fields": {"cf_Employee ID": "E-42"},
}
REPLY_OBJECT = {"body": "<p>Fixed in 4.2 — see log.</p>", "agent_email": "agent@acme.io", "cc_emails": "a+b=c@x.io"}
NOTE_OBJECT = {"body": "Logs attached", "private_note": 1}
CONTACT_OBJECT = {"name": "Zoë Smith", "primary_email": "a+b=c@x.io", "company_name": "R&D / Ops #1"}
COMPANY_OBJECT = {"name": "Zoë & Søn", "domains": "zoe.example,soen.example", "city": "Århus"}


def jq(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _success(op: OperationSpec) -> httpx.Response:
    if op.response_kind == "text":
        return httpx.Response(op.success, text="All good! Desk365 APIs are running fine")
    return httpx.Response(op.success, json={"echo": op.name})


TICKET_BODY = {
    "ticket_number": 8992,
    "subject": "Printer jam",
    "status": "Open",
    "priority": 10,
    "assigned_to": "agent@acme.io",
    "category": "Hardware",
    "subcategory": "Printer",
    "created_on": "2025-11-20 10:00:00",
    "cf_Employee ID": "E-42",
    "brand_new_field": {"nested": [1, 2]},
}


NOT_FOUND = {"status": 404, "error": "Not Found", "message": "The resource you were trying to reach is not found"}
