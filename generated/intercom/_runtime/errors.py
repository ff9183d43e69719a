# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The exceptions of generated clients.

One base class, :class:`ClientError`; an upstream HTTP error is an
:class:`ApiError` carrying the status, the vendor's parsed error body, its
message and the normalised rate limit. Messages never contain credentials: the
runtime builds them from statuses and upstream bodies only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .ratelimit import RateLimit

__all__ = [
    "ClientError", "ApiError", "RateLimitError", "TransportError", "TimeoutError_",
    "ResponseError", "ResponseTooLargeError", "ArgumentError",
]  # fmt: skip


class ClientError(Exception):
    """Base class of every error a generated client raises."""


class ApiError(ClientError):
    """The upstream answered with an HTTP error status.

    Attributes: ``status`` (int), ``body`` (the parsed JSON error body, or the
    text), ``message`` (the vendor's own message, when it has one),
    ``ratelimit`` (:class:`RateLimit`) and ``headers`` (the answer's headers, lower-case
    names: a ``Link`` to where a merged resource went, a ``Location``).
    """

    def __init__(
        self,
        api: str,
        status: int,
        body: Any,
        message: str,
        ratelimit: RateLimit,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.api = api
        self.status = status
        self.body = body
        self.message = message
        self.ratelimit = ratelimit
        self.headers: dict[str, str] = {k.lower(): v for k, v in (headers or {}).items()}
        text = f"{api} answered HTTP {status}"
        if message:
            text += f": {message}"
        super().__init__(text)


class RateLimitError(ApiError):
    """HTTP 429: the rate limit is exhausted; ``ratelimit.reset`` says for how long."""


class TransportError(ClientError):
    """The request did not get an answer: connection refused, DNS, TLS, reset."""


class TimeoutError_(TransportError):
    """No complete answer within the timeout."""


class ResponseError(ClientError):
    """The upstream answered, but the body is not what the document describes
    (not JSON, truncated, or failing the response model)."""

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        self.status = status
        self.body = body
        super().__init__(message)


class ResponseTooLargeError(ResponseError):
    """The response body is larger than the client's ``max_response_bytes``."""


class ArgumentError(ClientError, ValueError):
    """An argument cannot be encoded (a file that cannot be read, a bad value)."""
