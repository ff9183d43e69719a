# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Connection timeouts of the HTTP server: idle, slow headers, slow bodies.

uvicorn closes a connection that stays idle after a response
(``timeout_keep_alive``), but it has no timer for a connection that never sends
a request, nor for one that sends its headers or its body a byte at a time:
each byte cancels the keep-alive timer, so such connections were held forever,
each with its buffers. uvicorn 0.54 offers no read timeout
(``h11_max_incomplete_event_size`` bounds the size of the headers, not the time
they take; ``timeout_graceful_shutdown`` applies at shutdown only), so
:func:`timed_protocol` makes a subclass of its h11 protocol, the one uvicorn
picks here, which it takes as its ``http`` setting, with two deadlines:

* **headers**: from the moment a connection opens (its first request) or the
  first byte of a later request arrives, the request's headers must be
  complete within ``header_timeout`` seconds;
* **body**: from the moment the headers are complete, the body must be
  complete within ``body_timeout`` seconds.

Each deadline counts from its start, not from the last byte, so a trickle does
not extend it. At a deadline the connection is closed (the application, if it
was waiting for the body, sees the client disconnect). The protocol reads the
request's progress from h11's own state (``their_state``: IDLE while headers
arrive, SEND_BODY while the body does, DONE after), after uvicorn has fed it
each chunk. An application that is slow to read a body it was sent does not
count against the client: uvicorn pauses reading, and MCP bodies are read at
once. Idle connections between requests keep uvicorn's own keep-alive timer
(``keep_alive_timeout``, passed through :func:`uvicorn_options`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

__all__ = ["timed_protocol", "uvicorn_options"]

logger = logging.getLogger("uvicorn.error")


def timed_protocol(header_timeout: float, body_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with the two read deadlines of the module docstring."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _phase = ""

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm("headers", header_timeout)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            state = self.conn.their_state
            if state is h11.IDLE:  # a request's headers are arriving (the first byte of a later request)
                if self._phase != "headers" and not self.transport.is_closing():
                    self._arm("headers", header_timeout)
            elif state is h11.SEND_BODY:
                if self._phase != "body":
                    self._arm("body", body_timeout)
            else:  # DONE, or the connection is over
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self, phase: str, seconds: float) -> None:
            self._disarm()
            self._phase = phase
            self._deadline = self.loop.call_later(seconds, self._expired, phase, seconds)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline, self._phase = None, ""

        def _expired(self, phase: str, seconds: float) -> None:
            self._deadline, self._phase = None, ""
            if not self.transport.is_closing():
                peer = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
                logger.info("closing the connection of %s: request %s not complete within %g s", peer, phase, seconds)
                self.transport.close()

    return TimedH11Protocol


def uvicorn_options(*, keep_alive_timeout: float, header_timeout: float, body_timeout: float) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run`` that apply the connection timeouts."""
    return {
        "http": timed_protocol(header_timeout, body_timeout),
        "timeout_keep_alive": keep_alive_timeout,
        # headers larger than 16 KiB get 400 (uvicorn's default, kept explicit)
        "h11_max_incomplete_event_size": 16 * 1024,
    }
