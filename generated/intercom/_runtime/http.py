# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The HTTP core of generated clients: encode, send, interpret.

Encoding and interpretation are pure functions shared by the sync and the async
client, so both send byte-identical requests and raise identical errors; only
:meth:`SyncClient._send` and :meth:`AsyncClient._send` differ.

Encoding rules, chosen so that a value arrives upstream exactly as given:

* query and path values are percent-encoded by this module (RFC 3986 unreserved
  characters only are left as they are), so ``R&D / Ops #1`` or ``a+b=c@x.io``
  cannot be cut or reinterpreted on the way; query parameters and urlencoded form
  fields travel as their OpenAPI ``style`` / ``explode`` / ``allowReserved`` say,
  through one encoder (``serialize``), which refuses what a style cannot send;
* parameters declared with ``content: application/json`` are sent as compact
  JSON text; pydantic models anywhere in a value are dumped by alias;
* ``None`` means "not given": the argument is left out of the request. The one
  exception is :meth:`request` given an explicit ``None`` for a JSON body
  property (a tool call's ``null``, already validated against a schema that
  allows it): it is sent as ``null``, because the document gives null a meaning
  (Intercom: ``company_id: null`` detaches the company). The typed methods
  (``_call``) drop ``None`` arguments first, so for them ``None`` stays "not given".

Responses are read with a size cap and a total deadline (a slow trickle cannot
hold a call past its timeout), errors become :class:`ApiError` with the
vendor's message and the normalised rate limit, and an opt-in retry policy
(``max_retries``) waits out 429/503 answers, honouring ``Retry-After`` or the
rate-limit reset, with jitter, never past ``retry_deadline``.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as _PydanticValidationError

from .errors import (
    ApiError,
    ClientError,
    RateLimitError,
    ResponseError,
    ResponseTooLargeError,
    TimeoutError_,
    TransportError,
)  # fmt: skip
from .files import File, to_file
from .hooks import check_arguments
from .ratelimit import RateLimit, parse_ratelimit
from .serialize import Pair, encode_form, encode_query, jsonable, pairs
from .spec import ApiSpec, OperationSpec

__all__ = [
    "ApiResponse", "SyncClient", "AsyncClient", "SyncResource", "AsyncResource", "encode_value",
    "CLIENT_OPTIONS", "ClientOption", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESPONSE_BYTES",
]  # fmt: skip

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".http")

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
_RETRY_STATUSES = (429, 503)


@dataclass(frozen=True)
class ClientOption:
    """One keyword every generated client's constructor takes, besides the credential and
    the server's variables. :data:`CLIENT_OPTIONS` is the one table of them: the generator
    writes each client's signature and docstring from it and keeps group and variable
    names clear of it, and ``_Base.__init__`` takes exactly these (a test checks it).

    ``annotation`` is the sync client's, with ``{http}`` standing for ``httpx.Client`` or
    ``httpx.AsyncClient``; ``doc`` holds the docstring lines, ``{base_url_env}`` filled
    per API; ``private`` options are kept privately (not client attributes)."""

    name: str
    annotation: str
    default: str
    doc: tuple[str, ...]
    private: bool = False


CLIENT_OPTIONS: tuple[ClientOption, ...] = (
    ClientOption("base_url", "str | None", "None",
                 ("send requests here instead (a mock, a proxy); default: {base_url_env}, else the server URL.",)),
    ClientOption("timeout", "float | None", "None",
                 (f"seconds for a whole call, the answer included (default {DEFAULT_TIMEOUT:g}).",)),
    ClientOption("max_response_bytes", "int | None", "None",
                 (f"refuse larger answers (default {DEFAULT_MAX_RESPONSE_BYTES // 2**20} MiB).",)),
    ClientOption("max_retries", "int", "0",
                 ("retry 429/503 answers this many times, honouring Retry-After and the",
                  "    rate-limit reset, with jitter (default 0: errors pass straight through).")),
    ClientOption("retry_deadline", "float | None", "None",
                 ("never retry past this many seconds after the first attempt.",)),
    ClientOption("headers", "Mapping[str, str] | None", "None", ("extra headers sent with every request.",),
                 private=True),
    ClientOption("http_client", "{http} | None", "None",
                 ("an httpx client to send with (transports, proxies, tests).",), private=True),
)  # fmt: skip


@dataclass(frozen=True)
class ApiResponse:
    """A successful answer: status, headers, decoded body (``data``) and rate limit."""

    status: int
    headers: Mapping[str, str]
    data: Any
    ratelimit: RateLimit


_jsonable = jsonable


def encode_value(value: Any, encoding: str = "plain") -> str:
    """The text form of a parameter value."""
    if encoding == "json" or isinstance(value, Mapping | BaseModel):
        return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _q(text: str) -> str:
    return quote(text, safe="-._~")


class _Base:
    """Configuration shared by the sync and async clients (see the generated client
    classes for the user-facing documentation of each argument)."""

    _api: ApiSpec

    def __init__(
        self,
        api: ApiSpec,
        *,
        credential: str | None,
        base_url: str | None,
        variables: Mapping[str, str | None],
        server: str | None,
        timeout: float | None,
        max_response_bytes: int | None,
        max_retries: int,
        retry_deadline: float | None,
        headers: Mapping[str, str] | None,
    ) -> None:
        self._api = api
        self._credential: str | None = credential if credential is not None else os.environ.get(api.credential_env)
        self.base_url = self._resolve_base_url(base_url, variables, server)
        self.timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        self.max_response_bytes = max_response_bytes or DEFAULT_MAX_RESPONSE_BYTES
        self.max_retries = max(0, int(max_retries))
        self.retry_deadline = retry_deadline
        self._headers = dict(headers or {})

    def __repr__(self) -> str:  # never show the credential
        return f"<{type(self).__name__} base_url={self.base_url!r}>"

    def _resolve_base_url(self, base_url: str | None, variables: Mapping[str, str | None], server: str | None) -> str:
        api = self._api
        explicit = base_url or os.environ.get(api.base_url_env)
        if explicit:
            return explicit.rstrip("/")
        if not api.servers:
            raise ClientError(f"{api.title}: no server URL is known; pass base_url or set {api.base_url_env}")
        wanted = (
            server or (os.environ.get(api.server_choice_env) if api.server_choice_env else None) or api.default_server
        )
        chosen = api.servers[0]
        if wanted:
            names = [s.name for s in api.servers]
            if wanted.lower() not in names:
                raise ClientError(f"{api.title}: unknown server {wanted!r}; choose one of {', '.join(names)}")
            chosen = api.servers[names.index(wanted.lower())]
        url = chosen.url
        for name, default, env in chosen.variables:
            value = variables.get(name) or os.environ.get(env) or default
            url = url.replace("{" + name + "}", str(value))
        return url.rstrip("/")

    # -- encoding ---------------------------------------------------------------------
    def _build(self, op: OperationSpec, args: Mapping[str, Any], checked: bool = False) -> httpx.Request:
        if not checked:  # the document's named rules (x-tool.checks); raises before anything is sent
            check_arguments(op, args)
        path = op.path
        query: list[tuple[str, str]] = []
        encoded: list[tuple[Pair, bool]] = []  # query parameters, as their style says (serialize)
        fields: list[tuple[Pair, bool]] = []  # urlencoded form fields, likewise
        urlencoded = op.media_type == "application/x-www-form-urlencoded"
        headers: dict[str, str] = {
            "Accept": "application/json, text/plain;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",  # what _Body decodes within the size cap
        }
        headers.update(self._headers)
        cookies: dict[str, str] = {}
        body_props: dict[str, Any] = {}
        form: dict[str, Any] = {}
        files: list[tuple[str, tuple[str, bytes, str]]] = []
        whole: Any = None
        has_whole = False
        for location, wire, constant in op.constants:
            if location == "header":
                headers[wire] = constant
            elif location == "query":
                query.append((wire, constant))
        constants = len(query)  # the constants go first, the credential (``_auth``) last
        for p in op.params:
            value = args.get(p.arg)
            if value is None:
                if p.location == "body" and p.arg in args:  # an explicit null (see the module docstring)
                    body_props[p.wire] = None
                continue
            if p.location == "path":
                path = path.replace("{" + p.wire + "}", _q(encode_value(value, p.encoding)))
            elif p.location == "query":
                found = pairs(p.wire, value, style=p.style, explode=p.explode, encoding=p.encoding)
                encoded += [(pair, p.allow_reserved) for pair in found]
            elif p.location == "header":
                headers[p.wire] = encode_value(value, p.encoding)
            elif p.location == "cookie":
                cookies[p.wire] = encode_value(value, p.encoding)
            elif p.location == "body":
                body_props[p.wire] = _jsonable(value)
            elif p.location == "form" and urlencoded:
                found = pairs(p.wire, value, style=p.style, explode=p.explode, encoding=p.encoding)
                fields += [(pair, p.allow_reserved) for pair in found]
            elif p.location == "form":
                form[p.wire] = (
                    encode_value(value, p.encoding)
                    if p.encoding == "json" or not isinstance(value, list)
                    else [encode_value(v) for v in value]
                )
            elif p.location == "file":
                items = value if p.encoding == "files" else [value]
                for item in items:
                    f = to_file(item, p.arg)
                    files.append((p.wire, (f.filename, f.content, f.content_type)))
            elif p.location == "whole":
                whole, has_whole = value, True
        self._auth(op, headers, query, cookies)
        url = self.base_url + path
        encoded = [((k, (v,), ""), False) for k, v in query[:constants]] + encoded
        encoded += [((k, (v,), ""), False) for k, v in query[constants:]]
        if encoded:
            url += "?" + encode_query(encoded)
        kwargs: dict[str, Any] = {}
        media = op.media_type or ""
        if not op.body_required and not (form or fields or files or body_props or has_whole):
            media = ""  # an optional body of which nothing was given: none is sent
        if media == "multipart/form-data":
            if files:
                kwargs["files"] = files
                kwargs["data"] = form
            else:  # httpx builds multipart bodies only when files are present
                boundary = os.urandom(12).hex()
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
                kwargs["content"] = _multipart_fields(form, boundary)
        elif media == "application/x-www-form-urlencoded":
            kwargs["content"] = encode_form(fields).encode()
            headers["Content-Type"] = media
        elif "json" in media:
            if has_whole:
                kwargs["content"] = json.dumps(_jsonable(whole), ensure_ascii=False).encode()
                headers["Content-Type"] = media
            elif body_props or op.method in ("POST", "PUT", "PATCH"):
                kwargs["content"] = json.dumps(body_props, ensure_ascii=False).encode()
                headers["Content-Type"] = media
        elif has_whole:
            if isinstance(whole, str):
                kwargs["content"] = whole.encode()
            elif isinstance(whole, File):
                kwargs["content"] = whole.content
            else:
                kwargs["content"] = to_file(whole, "body").content
            headers["Content-Type"] = media or "application/octet-stream"
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return httpx.Request(op.method, url, headers=headers, **kwargs)

    def _auth(
        self, op: OperationSpec, headers: dict[str, str], query: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        if not op.auth or not self._credential:
            return
        for scheme in self._api.auth:
            if scheme.name not in op.auth:
                continue
            if scheme.kind == "header":
                headers[scheme.param] = self._credential
            elif scheme.kind == "query":
                query.append((scheme.param, self._credential))
            elif scheme.kind == "cookie":
                cookies[scheme.param] = self._credential
            elif scheme.kind == "bearer":
                headers["Authorization"] = f"Bearer {self._credential}"
            elif scheme.kind == "basic":  # user:password; a key without a colon is the user (RFC 7617 needs one)
                import base64

                pair = self._credential if ":" in self._credential else self._credential + ":"
                headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()

    # -- interpretation -------------------------------------------------------------
    def _too_large(self, size: int) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{self._api.title} sent a response of at least {size} bytes, above the "
            f"{self.max_response_bytes}-byte limit; ask for a smaller page or narrower filters"
        )

    # The errors of a send, worded once for the sync and the async client.
    def _no_answer(self) -> TimeoutError_:
        return TimeoutError_(f"{self._api.title} did not answer within {self.timeout:g} s")

    def _unfinished(self) -> TimeoutError_:
        return TimeoutError_(f"{self._api.title} did not finish its answer within {self.timeout:g} s")

    def _unreachable(self, request: httpx.Request, exc: Exception) -> TransportError:
        return TransportError(f"could not reach {self._api.title} at {request.url.host}: {type(exc).__name__}")

    def _cut_off(self, exc: Exception) -> ResponseError:
        return ResponseError(f"{self._api.title}'s answer was cut off ({type(exc).__name__})")

    def _interpret(self, op: OperationSpec, response: httpx.Response, content: bytes) -> ApiResponse:
        status = response.status_code
        headers = response.headers
        ratelimit = parse_ratelimit(headers, self._api.ratelimit)
        if status >= 300:
            body: Any = content.decode("utf-8", "replace")
            try:
                body = decode_json(content) if content else None
            except (ValueError, ResponseError):
                pass
            message = _error_message(body) or response.reason_phrase
            cls = RateLimitError if status == 429 else ApiError
            raise cls(self._api.title, status, body, message, ratelimit)
        if op.response_kind == "json":
            if not content.strip():
                data: Any = None
            else:
                try:
                    data = decode_json(content)
                except ValueError:
                    snippet = content[:120].decode("utf-8", "replace")
                    raise ResponseError(
                        f"{self._api.title} answered HTTP {status} with a body that is not valid JSON "
                        f"({len(content)} bytes, starting {snippet!r})",
                        status=status,
                    ) from None
                except ResponseError as exc:  # nested too deep (see decode_json)
                    raise ResponseError(
                        f"{self._api.title} answered HTTP {status} with a body {exc}", status=status
                    ) from None
        elif op.response_kind == "text":
            data = content.decode(response.encoding or "utf-8", "replace")
        elif op.response_kind == "bytes":
            data = content
        else:
            data = None
        return ApiResponse(status, dict(headers), data, ratelimit)

    def _retry_wait(self, error: ApiError, attempt: int, started: float) -> float | None:
        if attempt >= self.max_retries or error.status not in _RETRY_STATUSES:
            return None
        hinted = error.ratelimit.reset
        wait = float(hinted) if hinted is not None else 0.5 * (2**attempt)
        wait += random.uniform(0, 0.1 + 0.1 * wait)
        if self.retry_deadline is not None and time.monotonic() + wait > started + self.retry_deadline:
            return None
        return wait

    def _log(self, op: OperationSpec, outcome: str, started: float) -> None:
        logger.debug("%s %s -> %s in %.0f ms", op.method, op.path, outcome, (time.monotonic() - started) * 1000)

    @staticmethod
    def _parse(data: Any, model: type[M]) -> M:
        try:
            return model.model_validate(data)
        except _PydanticValidationError as exc:
            raise ResponseError(
                f"the response does not match {model.__name__}: {exc.error_count()} "
                f"problem(s), first: {exc.errors()[0]['msg']}",
                body=data,
            ) from None


class _Body:
    """A response body, collected up to the client's ``max_response_bytes`` after decoding.

    The runtime decodes ``Content-Encoding`` (gzip, deflate) itself instead of
    letting httpx do it: httpx inflates each network read whole, so a 60 KB gzip
    body of one repeated byte becomes 60 MB in memory before any size check.
    Here zlib is asked for at most the remaining allowance plus one byte per
    read, so no more than ``max_response_bytes + 1`` decoded bytes ever exist.
    """

    def __init__(self, client: _Base, response: httpx.Response) -> None:
        self._client = client
        self.chunks: list[bytes] = []
        self.size = 0
        # An in-memory response (``httpx.MockTransport``) was read, and decoded, when it was built.
        encoding = "" if response.is_stream_consumed else response.headers.get("content-encoding", "")
        codings = [c.strip().lower() for c in encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self._inflater: Any = None
        self._raw_deflate_fallback = False
        if codings:
            if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
                raise ResponseError(
                    f"{client._api.title} answered with Content-Encoding {', '.join(codings)}, "
                    "which this client does not decode"
                )
            deflate = codings[0] == "deflate"
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if deflate else zlib.MAX_WBITS | 16)
            self._raw_deflate_fallback = deflate  # some servers send deflate without the zlib header

    def add(self, raw: bytes) -> None:
        """Take one network read; raise ``ResponseTooLargeError`` past the cap."""
        data = raw if self._inflater is None else self._inflate(raw)
        self.size += len(data)
        if self.size > self._client.max_response_bytes:
            raise self._client._too_large(self.size)
        self.chunks.append(data)

    def _inflate(self, raw: bytes) -> bytes:
        allowance = self._client.max_response_bytes - self.size + 1
        try:
            data: bytes = self._inflater.decompress(raw, allowance)
        except zlib.error:
            if not (self._raw_deflate_fallback and self.size == 0):
                raise ResponseError(f"{self._client._api.title}'s compressed answer is corrupt") from None
            self._raw_deflate_fallback = False
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._inflate(raw)
        self._raw_deflate_fallback = False
        return data

    def finish(self) -> bytes:
        """The whole decoded body."""
        if self._inflater is not None:
            self.add(b"")  # whatever zlib still holds, within the allowance
        return b"".join(self.chunks)


def decode_json(content: bytes) -> Any:
    """Parse an upstream JSON body into something every MCP client can receive.

    Valid JSON may hold two things that break the answer further on. A lone
    UTF-16 surrogate escape (``"\\ud83d"``, left by a backend that cut an emoji
    in half) cannot be encoded as UTF-8: it becomes U+FFFD. Nesting deeper than
    :data:`MAX_JSON_DEPTH` levels (pydantic refuses to serialise past 254, the SDK
    client's parser past about 200) is refused with a :class:`ResponseError`.
    Both checks cost nothing unless a scan of the bytes says they might apply.
    Raises ``ValueError`` for invalid JSON.
    """
    try:
        data = json.loads(content)
    except RecursionError:
        raise _too_deep() from None
    if content.count(b"{") + content.count(b"[") > MAX_JSON_DEPTH and _depth(content) > MAX_JSON_DEPTH:
        raise _too_deep()
    if b"\\ud" in content or b"\\uD" in content:
        data = _no_lone_surrogates(data)
    return data


MAX_JSON_DEPTH = 100
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(rb"\\.")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')


def _too_deep() -> ResponseError:
    return ResponseError(f"nested more than {MAX_JSON_DEPTH} levels deep, which the server refuses")


def _depth(content: bytes) -> int:
    """The deepest nesting of valid JSON ``content``, from its bytes (C-speed steps, then one
    loop over the brackets): drop escapes, keep only quotes and brackets, drop the strings."""
    if b"\\" in content:
        content = _ESCAPE.sub(b"", content)
    kept = content.translate(None, _NOT_STRUCTURE)
    brackets = kept.replace(b'""', b"")  # strings without brackets; exact when no quote is left
    if b'"' in brackets:
        brackets = b"".join(kept.split(b'"')[::2])
    depth = deepest = 0
    for char in brackets:
        if char in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_no_lone_surrogates(k): _no_lone_surrogates(v) for k, v in value.items()}
    return value


def _given(args: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments a typed method was given (its ``None`` defaults mean "not given")."""
    return {k: v for k, v in args.items() if v is not None}


def _multipart_fields(form: Mapping[str, Any], boundary: str) -> bytes:
    parts = []
    for name, value in form.items():
        for v in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n')
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def _error_message(body: Any) -> str:
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return "; ".join(str(e.get("message") or e.get("code") or "") for e in errors if isinstance(e, Mapping))
        for key in ("message", "error_description", "error", "detail", "title"):
            if isinstance(body.get(key), str) and body[key]:
                extra = body.get("error") if key == "message" and isinstance(body.get("error"), str) else None
                return f"{body[key]} ({extra})" if extra and extra != body[key] else str(body[key])
    if isinstance(body, str):
        return body.strip()[:300]
    return ""


class SyncClient(_Base):
    """Base of the generated synchronous clients."""

    def __init__(self, api: ApiSpec, *, http_client: httpx.Client | None = None, **options: Any) -> None:
        super().__init__(api, **options)
        self._http = http_client or httpx.Client(timeout=self.timeout, follow_redirects=False)

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(self, op: OperationSpec, args: Mapping[str, Any], *, checked: bool = False) -> ApiResponse:
        """Send ``op`` with ``args`` (keyed by argument name); return the decoded answer.

        ``checked`` says the caller already ran the operation's named checks (the MCP
        host does, in its argument validation), so they are not run twice."""
        started = time.monotonic()
        attempt = 0
        # built once: a file object can be read only once, a retry resends these bytes
        request = self._build(op, args, checked)
        while True:
            try:
                return self._send(op, request, started)
            except ApiError as error:
                wait = self._retry_wait(error, attempt, started)
                if wait is None:
                    raise
                attempt += 1
                time.sleep(wait)

    def _send(self, op: OperationSpec, request: httpx.Request, started: float) -> ApiResponse:
        deadline = time.monotonic() + self.timeout
        try:
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException:
            self._log(op, "timeout", started)
            raise self._no_answer() from None
        except httpx.HTTPError as exc:
            self._log(op, "transport error", started)
            raise self._unreachable(request, exc) from None
        try:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_response_bytes:
                raise self._too_large(declared)
            body = _Body(self, response)
            for chunk in [response.content] if response.is_stream_consumed else response.iter_raw():
                body.add(chunk)
                if time.monotonic() > deadline:
                    raise self._unfinished()
            content = body.finish()
        except httpx.TimeoutException:
            raise self._unfinished() from None
        except httpx.HTTPError as exc:
            raise self._cut_off(exc) from None
        finally:
            response.close()
        self._log(op, str(response.status_code), started)
        return self._interpret(op, response, content)

    def _call(self, op: OperationSpec, args: Mapping[str, Any]) -> Any:
        return self.request(op, _given(args)).data

    def _call_model(self, op: OperationSpec, args: Mapping[str, Any], model: type[M]) -> M:
        return self._parse(self.request(op, _given(args)).data, model)


class AsyncClient(_Base):
    """Base of the generated asynchronous clients."""

    def __init__(self, api: ApiSpec, *, http_client: httpx.AsyncClient | None = None, **options: Any) -> None:
        super().__init__(api, **options)
        self._http = http_client or httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def request(self, op: OperationSpec, args: Mapping[str, Any], *, checked: bool = False) -> ApiResponse:
        """Send ``op`` with ``args`` (keyed by argument name); return the decoded answer.

        ``checked`` says the caller already ran the operation's named checks (the MCP
        host does, in its argument validation), so they are not run twice."""
        import anyio

        started = time.monotonic()
        attempt = 0
        # built once: a file object can be read only once, a retry resends these bytes
        request = self._build(op, args, checked)
        while True:
            try:
                with anyio.fail_after(self.timeout):
                    return await self._send(op, request, started)
            except TimeoutError:
                self._log(op, "timeout", started)
                raise self._no_answer() from None
            except ApiError as error:
                wait = self._retry_wait(error, attempt, started)
                if wait is None:
                    raise
                attempt += 1
                await anyio.sleep(wait)

    async def _send(self, op: OperationSpec, request: httpx.Request, started: float) -> ApiResponse:
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TimeoutException:
            self._log(op, "timeout", started)
            raise self._no_answer() from None
        except httpx.HTTPError as exc:
            self._log(op, "transport error", started)
            raise self._unreachable(request, exc) from None
        try:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_response_bytes:
                raise self._too_large(declared)
            body = _Body(self, response)
            if response.is_stream_consumed:
                body.add(response.content)
            else:
                async for chunk in response.aiter_raw():
                    body.add(chunk)
            content = body.finish()
        except httpx.TimeoutException:
            raise self._unfinished() from None
        except httpx.HTTPError as exc:
            raise self._cut_off(exc) from None
        finally:
            await response.aclose()
        self._log(op, str(response.status_code), started)
        return self._interpret(op, response, content)

    async def _call(self, op: OperationSpec, args: Mapping[str, Any]) -> Any:
        return (await self.request(op, _given(args))).data

    async def _call_model(self, op: OperationSpec, args: Mapping[str, Any], model: type[M]) -> M:
        return self._parse((await self.request(op, _given(args))).data, model)


class SyncResource:
    """Base of the generated synchronous resource groups (``client.tickets``)."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client


class AsyncResource:
    """Base of the generated asynchronous resource groups."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
