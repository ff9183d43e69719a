# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
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
* what percent-encoding cannot protect is refused before anything is sent, with
  an :class:`ArgumentError` naming the argument (``wire`` has the rules): a path
  value that is or decodes to a ``.`` / ``..`` segment, or is empty (the request
  must have exactly its template's segments); control characters in header and
  cookie values, file names and media types (no header injection, in the
  request or in a multipart part);
* parameters declared with ``content: application/json`` are sent as compact
  JSON text; pydantic models anywhere in a value are dumped by alias;
* ``None`` means "not given": the argument is left out of the request. The one
  exception is :meth:`request` given an explicit ``None`` for a JSON body
  property (a tool call's ``null``, already validated against a schema that
  allows it): it is sent as ``null``, because the document gives null a meaning
  (Intercom: ``company_id: null`` detaches the company). The typed methods
  (``_call``) drop ``None`` arguments first, so for them ``None`` stays "not given".

Requests are sent with the library of the HTTP client (``httpstack``: httpx2, the
MCP SDK's own, unless an httpx client is given), whose failures are worded there.
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
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx2
from pydantic import BaseModel
from pydantic import ValidationError as _PydanticValidationError

from .body import MAX_JSON_DEPTH, ResponseBody, decode_json
from .errors import (
    ApiError,
    ArgumentError,
    ClientError,
    RateLimitError,
    ResponseError,
    ResponseTooLargeError,
    TimeoutError_,
    TransportError,
)  # fmt: skip
from .files import File, LocalFile, to_file
from .hooks import check_arguments
from .httpstack import AsyncHttpClient, LazyHttp, SyncHttpClient, address, failure, library_of
from .ratelimit import RateLimit, parse_ratelimit
from .serialize import Pair, encode_form, encode_query, jsonable, pairs
from .spec import ApiSpec, OperationSpec
from .wire import (
    cookie_text,
    filled_path_problem,
    form_param,
    header_text,
    media_type,
    no_control_characters,
    segment_problem,
)  # fmt: skip

__all__ = [
    "ApiResponse", "SyncClient", "AsyncClient", "SyncResource", "AsyncResource", "encode_value",
    "CLIENT_OPTIONS", "ClientOption", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESPONSE_BYTES", "MAX_JSON_DEPTH", "decode_json",
    "path_problem",
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

    ``annotation`` is the sync client's, with ``{http}`` standing for ``SyncHttpClient`` or
    ``AsyncHttpClient`` (``httpstack``); ``doc`` holds the docstring lines, ``{base_url_env}`` filled
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
                 ("an httpx2 or httpx client to send with (transports, proxies, tests); default: an",
                  "    httpx2 client made at the first request."), private=True),
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


def path_problem(op: OperationSpec, args: Mapping[str, Any]) -> str | None:
    """Why ``args`` cannot fill ``op``'s path (the rule :meth:`_Base._build` enforces), or None."""
    path = op.path
    for p in op.params:
        if p.location == "path" and args.get(p.arg) is not None:
            text = encode_value(args[p.arg], p.encoding)
            problem = segment_problem(text)
            if problem:
                return f"{p.arg}: {problem}"
            path = path.replace("{" + p.wire + "}", _q(text))
    return filled_path_problem(op.path, path) if "{" in op.path else None


def _file_part(item: Any, what: str, opened: list[Any] | None) -> tuple[str, Any, str]:
    """A multipart file part ``(filename, content, media type)``; a local file as a reader."""
    f = item if isinstance(item, LocalFile) else to_file(item, what)
    no_control_characters(f.filename, f"{what} filename")
    ctype = media_type(f.content_type, f"{what} content type")
    if isinstance(f, LocalFile):
        reader = f.open()
        if opened is not None:
            opened.append(reader)
        return f.filename, reader, ctype
    return f.filename, f.content, ctype


class _Base:
    """Configuration shared by the sync and async clients (see the generated client
    classes for the user-facing documentation of each argument)."""

    _api: ApiSpec
    _library: Any  # the module that made the HTTP client: httpx2, or httpx (``httpstack``)

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
                given = f"{api.server_choice_env}={wanted}" if not server else repr(wanted)
                raise ClientError(f"{api.title}: unknown server {given}; choose one of {', '.join(names)}")
            chosen = api.servers[names.index(wanted.lower())]
        url = chosen.url
        for name, default, env in chosen.variables:
            value = variables.get(name) or os.environ.get(env) or default
            url = url.replace("{" + name + "}", str(value))
        return url.rstrip("/")

    # -- encoding ---------------------------------------------------------------------
    def _build(
        self, op: OperationSpec, args: Mapping[str, Any], checked: bool = False, opened: list[Any] | None = None
    ) -> httpx2.Request:
        """The request for ``op`` (raises :class:`ArgumentError` before sending anything).

        Local files are streamed: their readers are appended to ``opened`` for the
        caller to close once the request is done."""
        if not checked:  # the document's named rules (x-tool.checks); raises before anything is sent
            check_arguments(op, args)
        path = op.path
        query: list[tuple[str, str]] = []
        encoded: list[tuple[Pair, bool]] = []  # query parameters, as their style says (serialize)
        fields: list[tuple[Pair, bool]] = []  # urlencoded form fields, likewise
        urlencoded = op.media_type == "application/x-www-form-urlencoded"
        headers: dict[str, str] = {
            "Accept": "application/json, text/plain;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",  # what ResponseBody decodes within the size cap
        }
        headers.update(self._headers)
        cookies: dict[str, str] = {}
        body_props: dict[str, Any] = {}
        form: dict[str, Any] = {}
        files: list[tuple[str, tuple[str, Any, str]]] = []
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
                text = encode_value(value, p.encoding)
                problem = segment_problem(text)
                if problem:
                    raise ArgumentError(f"{p.arg}: {problem}")
                path = path.replace("{" + p.wire + "}", _q(text))
            elif p.location == "query":
                found = pairs(p.wire, value, style=p.style, explode=p.explode, encoding=p.encoding)
                encoded += [(pair, p.allow_reserved) for pair in found]
            elif p.location == "header":
                headers[p.wire] = header_text(encode_value(value, p.encoding), p.arg)
            elif p.location == "cookie":
                cookies[p.wire] = cookie_text(encode_value(value, p.encoding), p.arg)
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
                for i, item in enumerate(items):
                    what = f"{p.arg}[{i}]" if p.encoding == "files" else p.arg
                    files.append((p.wire, _file_part(item, what, opened)))
            elif p.location == "whole":
                whole, has_whole = value, True
        if "{" in op.path:
            problem = filled_path_problem(op.path, path)
            if problem:
                raise ArgumentError(problem)
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
            elif isinstance(whole, LocalFile):
                kwargs["content"] = whole.read()  # bounded by the cap it was checked against
            else:
                kwargs["content"] = to_file(whole, "body").content
            headers["Content-Type"] = media or "application/octet-stream"
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request: httpx2.Request = self._library.Request(op.method, url, headers=headers, **kwargs)
        return request

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

    def _unreachable(self, request: httpx2.Request, exc: Exception) -> TransportError:
        where = f"{self._api.title} at {address(request.url)}"
        return TransportError(f"{where}: {failure(exc, answering=False)}")

    def _cut_off(self, request: httpx2.Request, exc: Exception) -> ResponseError:
        where = f"{self._api.title} at {address(request.url)}"
        return ResponseError(f"{where}: {failure(exc, answering=True)}")

    def _interpret(self, op: OperationSpec, response: httpx2.Response, content: bytes) -> ApiResponse:
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
            raise cls(self._api.title, status, body, message, ratelimit, headers)
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


def _given(args: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments a typed method was given (its ``None`` defaults mean "not given")."""
    return {k: v for k, v in args.items() if v is not None}


def _multipart_fields(form: Mapping[str, Any], boundary: str) -> bytes:
    parts = []
    for name, value in form.items():
        for v in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{form_param(name)}"\r\n\r\n{v}\r\n')
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

    def __init__(self, api: ApiSpec, *, http_client: SyncHttpClient | None = None, **options: Any) -> None:
        super().__init__(api, **options)
        self._library = library_of(http_client)
        self._lazy: LazyHttp[SyncHttpClient] = LazyHttp(
            http_client, lambda: httpx2.Client(timeout=self.timeout, follow_redirects=False)
        )

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        if self._lazy.made is not None:
            self._lazy.made.close()

    def request(self, op: OperationSpec, args: Mapping[str, Any], *, checked: bool = False) -> ApiResponse:
        """Send ``op`` with ``args`` (keyed by argument name); return the decoded answer.

        ``checked`` says the caller already ran the operation's named checks (the MCP
        host does, in its argument validation), so they are not run twice."""
        started = time.monotonic()
        attempt = 0
        # built once: a file object can be read only once, a retry resends these bytes
        opened: list[Any] = []  # readers of local files, streamed by the send
        request = self._build(op, args, checked, opened)
        try:
            while True:
                try:
                    return self._send(op, request, started)
                except ApiError as error:
                    wait = self._retry_wait(error, attempt, started)
                    if wait is None:
                        raise
                    attempt += 1
                    time.sleep(wait)
        finally:
            for reader in opened:
                reader.close()

    def _send(self, op: OperationSpec, request: httpx2.Request, started: float) -> ApiResponse:
        deadline = time.monotonic() + self.timeout
        library = self._library
        try:
            response = self._lazy.get().send(request, stream=True)
        except library.TimeoutException:
            self._log(op, "timeout", started)
            raise self._no_answer() from None
        except library.HTTPError as exc:
            self._log(op, "transport error", started)
            raise self._unreachable(request, exc) from None
        try:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_response_bytes:
                raise self._too_large(declared)
            body = ResponseBody(self, response)
            for chunk in [response.content] if response.is_stream_consumed else response.iter_raw():
                body.add(chunk)
                if time.monotonic() > deadline:
                    raise self._unfinished()
            content = body.finish()
        except library.TimeoutException:
            raise self._unfinished() from None
        except library.HTTPError as exc:
            raise self._cut_off(request, exc) from None
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

    def __init__(self, api: ApiSpec, *, http_client: AsyncHttpClient | None = None, **options: Any) -> None:
        super().__init__(api, **options)
        self._library = library_of(http_client)
        self._lazy: LazyHttp[AsyncHttpClient] = LazyHttp(
            http_client, lambda: httpx2.AsyncClient(timeout=self.timeout, follow_redirects=False)
        )

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._lazy.made is not None:
            await self._lazy.made.aclose()

    async def request(self, op: OperationSpec, args: Mapping[str, Any], *, checked: bool = False) -> ApiResponse:
        """Send ``op`` with ``args`` (keyed by argument name); return the decoded answer.

        ``checked`` says the caller already ran the operation's named checks (the MCP
        host does, in its argument validation), so they are not run twice."""
        import anyio

        started = time.monotonic()
        attempt = 0
        # built once: a file object can be read only once, a retry resends these bytes
        opened: list[Any] = []  # readers of local files, streamed by the send
        request = self._build(op, args, checked, opened)
        try:
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
        finally:
            for reader in opened:
                reader.close()

    async def _send(self, op: OperationSpec, request: httpx2.Request, started: float) -> ApiResponse:
        library = self._library
        try:
            response = await self._lazy.get().send(request, stream=True)
        except library.TimeoutException:
            self._log(op, "timeout", started)
            raise self._no_answer() from None
        except library.HTTPError as exc:
            self._log(op, "transport error", started)
            raise self._unreachable(request, exc) from None
        try:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_response_bytes:
                raise self._too_large(declared)
            body = ResponseBody(self, response)
            if response.is_stream_consumed:
                body.add(response.content)
            else:
                async for chunk in response.aiter_raw():
                    body.add(chunk)
            content = body.finish()
        except library.TimeoutException:
            raise self._unfinished() from None
        except library.HTTPError as exc:
            raise self._cut_off(request, exc) from None
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
