"""The typed clients' sending side: configure, send, retry, word the failures.

A generated client class is :class:`SyncClient` or :class:`AsyncClient` with the
API's description (``spec``) and its resource groups (:class:`SyncResource`,
:class:`AsyncResource`) filled in. One call takes three steps; the first and the
last are pure functions shared by both clients, so they send byte-identical
requests and raise identical errors, and only :meth:`SyncClient._send` and
:meth:`AsyncClient._send` (and the waiting between retries) differ:

1. **build** (``encode``): the operation's named checks (``hooks``), then the
   request, every argument encoded as the document says or refused with an
   :class:`~.errors.ArgumentError` before anything is sent (the rules are there);
2. **send** (here): with the library of the HTTP client (``httpstack``: httpx2,
   the MCP SDK's own, unless an httpx client is given), whose failures are worded
   there; the response is read with a size cap (``body``) and a total deadline, so
   a slow trickle cannot hold a call past its timeout;
3. **interpret** (``interpret``): an error status becomes :class:`~.errors.ApiError`
   with the vendor's message and the normalised rate limit, a success the decoded data.

An opt-in retry policy (``max_retries``) waits out 429/503 answers, honouring
``Retry-After`` or the rate-limit reset, with jitter, never past
``retry_deadline``. A request is built once and resent as it is: a file object
can be read only once.

:data:`CLIENT_OPTIONS` is the one table of the clients' keyword options: the
generator writes every client's signature from it and :class:`_Base` takes
exactly these.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
from pydantic import BaseModel

from .body import ResponseBody
from .encode import build_request, path_problem
from .errors import ApiError, ClientError, ResponseError, ResponseTooLargeError, TimeoutError_, TransportError
from .hooks import check_arguments
from .httpstack import AsyncHttpClient, LazyHttp, SyncHttpClient, address, failure, library_of
from .interpret import ApiResponse, interpret, parse_model
from .spec import ApiSpec, OperationSpec

__all__ = [
    "ApiResponse", "SyncClient", "AsyncClient", "SyncResource", "AsyncResource",
    "CLIENT_OPTIONS", "ClientOption", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESPONSE_BYTES", "path_problem",
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

    # -- building (encode) ----------------------------------------------------------------
    def _build(
        self, op: OperationSpec, args: Mapping[str, Any], checked: bool = False, opened: list[Any] | None = None
    ) -> httpx2.Request:
        """The request for ``op`` (raises :class:`ArgumentError` before sending anything).

        Local files are streamed: their readers are appended to ``opened`` for the
        caller to close once the request is done."""
        if not checked:  # the document's named rules (x-tool.checks); raises before anything is sent
            check_arguments(op, args)
        return build_request(
            self._api,
            op,
            args,
            base_url=self.base_url,
            headers=self._headers,
            credential=self._credential,
            library=self._library,
            opened=opened,
        )

    # -- sending and interpreting -----------------------------------------------------------
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


def _given(args: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments a typed method was given (its ``None`` defaults mean "not given")."""
    return {k: v for k, v in args.items() if v is not None}


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
        return interpret(self._api, op, response, content)

    def _call(self, op: OperationSpec, args: Mapping[str, Any]) -> Any:
        return self.request(op, _given(args)).data

    def _call_model(self, op: OperationSpec, args: Mapping[str, Any], model: type[M]) -> M:
        return parse_model(self.request(op, _given(args)).data, model)


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
        return interpret(self._api, op, response, content)

    async def _call(self, op: OperationSpec, args: Mapping[str, Any]) -> Any:
        return (await self.request(op, _given(args))).data

    async def _call_model(self, op: OperationSpec, args: Mapping[str, Any], model: type[M]) -> M:
        return parse_model((await self.request(op, _given(args))).data, model)


class SyncResource:
    """Base of the generated synchronous resource groups (``client.tickets``)."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client


class AsyncResource:
    """Base of the generated asynchronous resource groups."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
