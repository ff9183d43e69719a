"""Send one translated case through a driver and compare both ends.

Drivers: ``mcp`` (the generated MCP server through ``mcp.Client``, in process),
``sync`` and ``async`` (the typed client's resource method). Each driver talks to
the mock through a :class:`Tee` that keeps the raw answer, so the result can be
checked against exactly what the mock sent. Every comparison returns a list of
human-readable differences (empty when all is well); :class:`Mismatch` carries
them with the case.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

from tests.views import expected_result, is_view_of

from .targets import Target
from .translate import NO_BODY, Call, Expected, FilePart

__all__ = ["Answer", "DRIVERS", "Mismatch", "Session", "compare_request", "multipart_parts"]

DRIVERS = ("mcp", "sync", "async")
BASE_URL = "http://mock.test"


class Mismatch(AssertionError):
    """A round trip that did not come back as the case describes."""


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content) if self.content.strip() else None


class _SyncTee(httpx.BaseTransport):
    """Keeps each raw answer; shared by every sync client of a session, so closing a
    client leaves it open (the session closes the mock's transport, a thread and a loop)."""

    def __init__(self, inner: httpx.BaseTransport, answers: list[Answer]) -> None:
        self.inner, self.answers = inner, answers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        self.answers.append(Answer(response.status_code, response.headers, content))
        return httpx.Response(response.status_code, headers=response.headers, content=content)


class _AsyncTee(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, answers: list[Answer]) -> None:
        self.inner, self.answers = inner, answers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        self.answers.append(Answer(response.status_code, response.headers, content))
        return httpx.Response(response.status_code, headers=response.headers, content=content)


def _start_portal() -> Any:
    """A blocking portal on an event loop in a daemon thread (it never holds up exit)."""
    from anyio.from_thread import BlockingPortal

    ready = threading.Event()
    holder: dict[str, Any] = {}

    async def serve() -> None:
        async with BlockingPortal() as portal:
            holder["portal"] = portal
            ready.set()
            await portal.sleep_until_stopped()

    threading.Thread(target=anyio.run, args=(serve,), name="fuzz-portal", daemon=True).start()
    ready.wait()
    return holder["portal"]


@dataclass
class Session:
    """The mock app of one API, the answers it sent since the last :meth:`reset`, and
    one MCP client connected (once) to the generated server of that API.

    The server and its async client live on an event loop in a background thread and
    are reused by every call, so a call costs what a call costs, not a handshake.
    """

    app: Any
    base_url: str = BASE_URL
    answers: list[Answer] = field(default_factory=list)
    _portal: Any = None
    _mcp: Any = None
    _sync_tee: Any = None
    _exits: list[Any] = field(default_factory=list)

    def reset(self) -> None:
        """Reseed the mock's state and forget what it recorded."""
        self.app.reset()
        self.answers.clear()

    def forget(self) -> None:
        """Forget what the mock recorded, keeping its state (a full reseed of Desk365's
        fixtures costs about 20 ms, more than the calls themselves)."""
        self.app.requests.clear()
        self.answers.clear()

    def _kwargs(self, target: Target) -> dict[str, Any]:
        return {target.api.credential_kwarg: target.api.credential, "base_url": self.base_url}

    def sync_client(self, target: Target) -> Any:
        cls = getattr(target.api.module(), target.api.sync_client)
        if self._sync_tee is None:
            self._sync_tee = _SyncTee(self.app.sync_transport(), self.answers)
            self._exits.append(self._sync_tee.inner.close)
        return cls(http_client=httpx.Client(transport=self._sync_tee), **self._kwargs(target))

    def async_client(self, target: Target) -> Any:
        cls = getattr(target.api.module(), target.api.async_client)
        http = httpx.AsyncClient(transport=_AsyncTee(self.app.transport(), self.answers))
        return cls(http_client=http, **self._kwargs(target))

    def close(self) -> None:
        """Disconnect the MCP client, close the async client, stop the loop."""
        while self._exits:
            self._exits.pop()()
        if self._portal is not None:
            self._portal.call(self._portal.stop)
        self._portal = self._mcp = self._sync_tee = None

    # -- drivers ------------------------------------------------------------------------
    def _mcp_client(self, target: Target) -> Any:
        if self._mcp is None:
            from mcp import Client

            self._portal = _start_portal()
            client = self.async_client(target)
            self._exits.append(lambda: self._portal.call(client.aclose))
            server = target.api.module(".server").create_server(client)
            connection = self._portal.wrap_async_context_manager(Client(server, mode="legacy"))
            self._mcp = connection.__enter__()
            self._exits.append(lambda: connection.__exit__(None, None, None))
        return self._mcp

    def call_tool(self, target: Target, args: dict[str, Any]) -> Any:
        """The tool, through ``mcp.Client`` and the generated server (legacy handshake era)."""
        mcp = self._mcp_client(target)
        return self._portal.call(mcp.call_tool, target.tool.name, args)

    def call_async_method(self, target: Target, args: dict[str, Any]) -> Any:
        """The async typed method, on the session's event loop, with plain dict arguments."""
        self._mcp_client(target)
        return self._portal.call(self.call_async, target, args)

    def call_sync(self, target: Target, args: dict[str, Any]) -> Any:
        """The sync typed method, with every object argument passed as the pydantic model
        its annotation names (the async driver passes plain dicts)."""
        with self.sync_client(target) as client:
            method = getattr(getattr(client, target.resource), target.client_method)
            try:
                kwargs = _as_models(method, _keywords(target, args))
            except ValueError as exc:
                return ("error", exc)
            return _outcome(lambda: method(**kwargs))

    async def call_async(self, target: Target, args: dict[str, Any]) -> Any:
        client = self.async_client(target)
        try:
            method = getattr(getattr(client, target.resource), target.client_method)
            try:
                return ("ok", await method(**_keywords(target, args)))
            except Exception as exc:  # noqa: BLE001 - the outcome is compared, not raised
                return ("error", exc)
        finally:
            await client.aclose()


_hints: dict[Any, dict[str, tuple[type, ...]]] = {}


def _model_hints(method: Any) -> dict[str, tuple[type, ...]]:
    """keyword -> the pydantic models in its annotation, for one typed method."""
    import os
    import typing

    from pydantic import BaseModel

    fn = method.__func__
    found = _hints.get(fn)
    if found is None:
        hints = typing.get_type_hints(fn, localns={"os": os})  # FileInput names os.PathLike
        found = {}
        for name, hint in hints.items():
            models = tuple(
                a for a in typing.get_args(hint) or (hint,) if isinstance(a, type) and issubclass(a, BaseModel)
            )
            if models and name != "return":
                found[name] = models
        _hints[fn] = found
    return found


def _as_models(method: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Each dict argument as the first model of its annotation that takes it and dumps back
    to the same JSON; ValueError when no model accepts a document-valid value."""
    from pydantic import ValidationError

    out = dict(kwargs)
    for name, models in _model_hints(method).items():
        value = kwargs.get(name)
        if not isinstance(value, dict):
            continue
        accepted = []
        for model in models:
            try:
                instance = model.model_validate(value)
            except ValidationError:
                continue
            accepted.append(instance)
            if instance.model_dump(mode="json", by_alias=True, exclude_unset=True) == value:
                break
        if not accepted:
            names = ", ".join(m.__name__ for m in models)
            raise ValueError(f"no model of {name} ({names}) accepts the document-valid value {value!r}")
        out[name] = accepted[-1]
    return out


def _keywords(target: Target, args: dict[str, Any]) -> dict[str, Any]:
    return {target.client_kwargs.get(k, k): v for k, v in args.items()}


def _outcome(fn: Any) -> tuple[str, Any]:
    try:
        return ("ok", fn())
    except Exception as exc:  # noqa: BLE001
        return ("error", exc)


# -- the request ------------------------------------------------------------------------


def multipart_parts(content_type: str, body: bytes) -> list[tuple[str, str | None, str, bytes]]:
    """(name, filename, content type, bytes) of each part, parsed by hand (RFC 7578)."""
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        raise ValueError(f"no boundary in {content_type!r}")
    delimiter = b"--" + m.group(1).encode()
    chunks = body.split(delimiter)
    if not chunks[-1].startswith(b"--"):
        raise ValueError("the multipart body has no closing delimiter")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise ValueError("a multipart part is not framed by CRLF")
        head, sep, payload = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("a multipart part has no header/body separator")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r'(?:^|;)\s*name="([^"]*)"', disposition)
        filename = re.search(r'(?:^|;)\s*filename="([^"]*)"', disposition)
        parts.append(
            (
                name.group(1) if name else "",
                filename.group(1) if filename else None,
                headers.get("content-type", "text/plain"),
                payload,
            )
        )
    return parts


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def compare_request(exp: Expected, rec: Any) -> list[str]:
    """Differences between the request the case describes and the one recorded."""
    diffs = []
    if rec.method != exp.method:
        diffs.append(f"method: sent {rec.method}, case says {exp.method}")
    if rec.path != exp.path:
        diffs.append(f"path: sent {rec.path!r}, case says {exp.path!r}")
    query = _grouped(list(rec.query))
    for name, value in exp.json_query.items():
        got = query.pop(name, None)
        if got is None or len(got) != 1:
            diffs.append(f"query {name}: sent {got!r}, case says one JSON value {value!r}")
            continue
        try:
            parsed = json.loads(got[0])
        except ValueError:
            diffs.append(f"query {name}: sent {got[0]!r}, which is not JSON")
            continue
        if parsed != value or not _same_types(parsed, value):
            diffs.append(f"query {name}: sent JSON {parsed!r}, case says {value!r}")
    if query != exp.query:
        diffs.append(f"query: sent {query!r}, case says {exp.query!r}")
    for name, value in exp.headers.items():
        if rec.headers.get(name) != value:
            diffs.append(f"header {name}: sent {rec.headers.get(name)!r}, expected {value!r}")
    ctype = rec.headers.get("content-type", "")
    if exp.media_type is None:
        if rec.body not in (b"",) and not (exp.method in ("POST", "PUT", "PATCH") and rec.body == b"{}"):
            diffs.append(f"body: sent {rec.body[:200]!r}, case has no body")
    elif "json" in exp.media_type:
        if not ctype.startswith(exp.media_type):
            diffs.append(f"content-type: sent {ctype!r}, expected {exp.media_type}")
        try:
            sent = json.loads(rec.body)
        except ValueError:
            diffs.append(f"body: sent {rec.body[:200]!r}, which is not JSON")
        else:
            if exp.body is NO_BODY or sent != exp.body or not _same_types(sent, exp.body):
                diffs.append(f"JSON body: sent {sent!r}, case says {exp.body!r}")
    elif exp.media_type == "multipart/form-data":
        if not ctype.startswith("multipart/form-data"):
            diffs.append(f"content-type: sent {ctype!r}, expected multipart/form-data")
        else:
            try:
                parts = multipart_parts(ctype, rec.body)
            except ValueError as exc:
                diffs.append(f"multipart body: {exc}")
            else:
                files = [FilePart(n, f, c, b) for n, f, c, b in parts if f is not None]
                fields = _grouped([(n, b.decode()) for n, f, c, b in parts if f is None])
                if files != (exp.parts or []):
                    diffs.append(f"multipart files: sent {_show_parts(files)}, case says {_show_parts(exp.parts)}")
                if fields != exp.form:
                    diffs.append(f"multipart fields: sent {fields!r}, case says {exp.form!r}")
    return diffs


def _same_types(a: Any, b: Any) -> bool:
    """The part of JSON equality that ``==`` misses: ``True`` is not ``1``."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b)
    return True  # values were compared with == already; 1 and 1.0 are the same JSON number


def _show_parts(parts: list[FilePart] | None) -> str:
    return repr([(p.name, p.filename, p.content_type, len(p.content)) for p in parts or []])


# -- the result -------------------------------------------------------------------------


def error_messages(answer: Answer) -> list[str]:
    """The vendor's own message(s) in an error answer: Desk365 ``message``, Intercom
    ``errors[].message``."""
    try:
        body = answer.json()
    except ValueError:
        return []
    out = []
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            out.append(body["message"])
        for e in body.get("errors") or []:
            if isinstance(e, dict) and isinstance(e.get("message"), str):
                out.append(e["message"])
    return [m for m in out if m]


def compare_tool_result(target: Target, result: Any, answer: Answer, arguments: Mapping[str, Any]) -> list[str]:
    text = "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")
    kind = target.tool.operation.response_kind
    if answer.status >= 300:
        diffs = []
        if not result.is_error:
            diffs.append(f"the mock answered {answer.status} but the tool result is not an error: {text[:300]}")
        if f"HTTP {answer.status}" not in text:
            diffs.append(f"the tool error does not name HTTP {answer.status}: {text[:300]}")
        for message in error_messages(answer):
            if message not in text:
                diffs.append(f"the tool error lacks the vendor message {message!r}: {text[:300]}")
        return diffs
    if result.is_error:
        return [f"the mock answered {answer.status} but the tool failed: {text[:500]}"]
    if kind == "text":
        return [] if text == answer.content.decode() else [f"text result {text!r} != sent {answer.content!r}"]
    if kind != "json":
        return []
    data = answer.json()
    diffs = []
    added = _transform_adds(target)
    expected = expected_result(target.tool, data, arguments)  # the view of what the mock sent
    if target.tool.output_schema is not None or isinstance(data, dict):
        structured = result.structured_content
        if structured != expected:
            diffs.append(f"structuredContent {structured!r} != the view of the JSON the mock sent {expected!r}")
        shown = {k: v for k, v in structured.items() if k not in added} if isinstance(structured, dict) else structured
        diffs += is_view_of(shown, data)
    try:
        shown = json.loads(text)
    except ValueError:
        diffs.append(f"the text content is not JSON: {text[:200]!r}")
    else:
        if shown != expected:
            diffs.append(f"the text content {text[:200]!r} is not the view of the JSON the mock sent")
    return diffs


def _transform_adds(target: Target) -> tuple[str, ...]:
    """The top-level keys a tool's result transform (``x-tool.result``) adds to the answer."""
    name = getattr(target.tool, "transform", None)
    if not name:
        return ()
    return tuple(target.api.module("._runtime.hooks").TRANSFORMS[name].adds)


def compare_client_result(target: Target, outcome: tuple[str, Any], answer: Answer) -> list[str]:
    from pydantic import BaseModel

    status, value = outcome
    api = target.api.module()
    if answer.status >= 300:
        if status == "ok":
            return [f"the mock answered {answer.status} but the client returned {value!r}"]
        if not isinstance(value, api.ApiError):
            return [f"the mock answered {answer.status} but the client raised {type(value).__name__}: {value}"]
        diffs = [] if value.status == answer.status else [f"ApiError.status {value.status} != {answer.status}"]
        for message in error_messages(answer):
            if message not in str(value):
                diffs.append(f"the client error lacks the vendor message {message!r}: {value}")
        return diffs
    if status == "error":
        return [f"the mock answered {answer.status} but the client raised {type(value).__name__}: {value}"]
    kind = target.tool.operation.response_kind
    if kind == "text":
        return [] if value == answer.content.decode() else [f"client returned {value!r}, mock sent {answer.content!r}"]
    if kind != "json":
        return [] if value is None else [f"client returned {value!r} for an empty answer"]
    data = answer.json()
    got = value.model_dump(mode="json", by_alias=True, exclude_unset=True) if isinstance(value, BaseModel) else value
    if got != data:
        return [f"the client's result dumps to {got!r}, the mock sent {data!r}"]
    return []


def describe(target: Target, call: Call, driver: str, diffs: list[str]) -> str:
    lines = [f"{target.id} ({target.label}) via {driver}:"] + [f"  - {d}" for d in diffs]
    lines.append(f"  tool arguments: {_clip(call.tool_args)}")
    return "\n".join(lines)


def _clip(value: Any, limit: int = 1500) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[:limit] + "..."
