"""Serving an ASGI app to a synchronous ``httpx.Client`` in-process.

httpx ships an async ASGI transport only. :class:`SyncASGITransport` runs the app
on a private event loop in a helper thread; each request is one task on that
loop, and the response streams back through a queue, chunk by chunk, so a
trickling body arrives as it is produced. Each wait is bounded by the request's
read timeout (httpx's ``timeout`` extension): when it expires the task is
cancelled and :class:`httpx.ReadTimeout` is raised, as a real socket would.
Closing the transport cancels what is still running and stops the loop.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import httpx

__all__ = ["SyncASGITransport"]

_END = object()


class _Stream(httpx.SyncByteStream):
    def __init__(self, messages: queue.SimpleQueue[Any], future: Future[None], timeout: float | None,
                 request: httpx.Request) -> None:  # fmt: skip
        self._messages = messages
        self._future = future
        self._timeout = timeout
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        while True:
            message = _next(self._messages, self._timeout, self._future, self._request)
            if message is _END:
                return
            if message.get("type") == "http.response.body":
                if message.get("body"):
                    yield bytes(message["body"])
                if not message.get("more_body", False):
                    return

    def close(self) -> None:
        self._future.cancel()


def _next(messages: queue.SimpleQueue[Any], timeout: float | None, future: Future[None], request: httpx.Request) -> Any:
    try:
        message = messages.get(timeout=timeout)
    except queue.Empty:
        future.cancel()
        raise httpx.ReadTimeout("the mock did not answer in time", request=request) from None
    if isinstance(message, BaseException):
        raise message
    return message


class SyncASGITransport(httpx.BaseTransport):
    """An ``httpx.BaseTransport`` that serves ``app`` (ASGI) on a private event loop."""

    def __init__(self, app: Any, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self._app = app
        self._client = client
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="mock-asgi", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        timeouts = request.extensions.get("timeout") or {}
        timeout = timeouts.get("read")
        messages: queue.SimpleQueue[Any] = queue.SimpleQueue()
        future = asyncio.run_coroutine_threadsafe(self._serve(request, body, messages), self._ensure_loop())
        while True:
            message = _next(messages, timeout, future, request)
            if message is _END:
                raise httpx.RemoteProtocolError("the mock closed without answering", request=request)
            if message.get("type") == "http.response.start":
                break
        headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        return httpx.Response(message["status"], headers=headers, stream=_Stream(messages, future, timeout, request),
                              request=request)  # fmt: skip

    async def _serve(self, request: httpx.Request, body: bytes, messages: queue.SimpleQueue[Any]) -> None:
        url = request.url
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
            "scheme": url.scheme, "path": url.path, "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query, "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "client": self._client, "server": (url.host, url.port or (443 if url.scheme == "https" else 80)),
        }  # fmt: skip
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.put(message)

        try:
            await self._app(scope, receive, send)
        except Exception as exc:
            messages.put(exc)
        finally:
            messages.put(_END)

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


async def _cancel_all() -> None:
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
