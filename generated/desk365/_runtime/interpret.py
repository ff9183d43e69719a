# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Answers of generated clients: a status, headers and a body -> data, or an error.

:func:`interpret` is pure and shared by the sync and the async client (``http``),
so both raise identical errors for identical answers. It runs once a body has been
collected within the size cap (``body``):

* an answer of 300 or above becomes :class:`~.errors.ApiError` (429:
  :class:`~.errors.RateLimitError`) carrying the decoded body, the vendor's own
  message (:func:`error_message` knows the common error shapes: ``errors[]`` lists,
  ``message``, ``error_description``, ``error``, ``detail``, ``title``) and the
  normalised rate limit (``ratelimit``);
* a success is decoded as the operation's ``response_kind`` says: JSON (an empty
  body is ``None``; invalid or too deeply nested JSON is a
  :class:`~.errors.ResponseError` that quotes its start), text, bytes, or nothing;
* :func:`parse_model` validates decoded data into the pydantic model a typed
  method returns; a mismatch is a :class:`~.errors.ResponseError` too.

Split from ``http``, which sends and retries; both are the *client* part of the
runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
from pydantic import BaseModel
from pydantic import ValidationError as _PydanticValidationError

from .body import decode_json
from .errors import ApiError, RateLimitError, ResponseError
from .ratelimit import RateLimit, parse_ratelimit
from .spec import ApiSpec, OperationSpec

__all__ = ["ApiResponse", "error_message", "interpret", "parse_model"]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ApiResponse:
    """A successful answer: status, headers, decoded body (``data``) and rate limit."""

    status: int
    headers: Mapping[str, str]
    data: Any
    ratelimit: RateLimit


def interpret(api: ApiSpec, op: OperationSpec, response: httpx2.Response, content: bytes) -> ApiResponse:
    """The answer to ``op`` with body ``content``, or the error it is (see the module docstring)."""
    status = response.status_code
    headers = response.headers
    ratelimit = parse_ratelimit(headers, api.ratelimit)
    if status >= 300:
        body: Any = content.decode("utf-8", "replace")
        try:
            body = decode_json(content) if content else None
        except (ValueError, ResponseError):
            pass
        message = error_message(body) or response.reason_phrase
        cls = RateLimitError if status == 429 else ApiError
        raise cls(api.title, status, body, message, ratelimit, headers)
    if op.response_kind == "json":
        if not content.strip():
            data: Any = None
        else:
            try:
                data = decode_json(content)
            except ValueError:
                snippet = content[:120].decode("utf-8", "replace")
                raise ResponseError(
                    f"{api.title} answered HTTP {status} with a body that is not valid JSON "
                    f"({len(content)} bytes, starting {snippet!r})",
                    status=status,
                ) from None
            except ResponseError as exc:  # nested too deep (see decode_json)
                raise ResponseError(f"{api.title} answered HTTP {status} with a body {exc}", status=status) from None
    elif op.response_kind == "text":
        data = content.decode(response.encoding or "utf-8", "replace")
    elif op.response_kind == "bytes":
        data = content
    else:
        data = None
    return ApiResponse(status, dict(headers), data, ratelimit)


def error_message(body: Any) -> str:
    """The vendor's own words in an error answer's decoded ``body`` ("" when it has none)."""
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


def parse_model(data: Any, model: type[M]) -> M:
    """``data`` validated into ``model`` (a typed method's return type)."""
    try:
        return model.model_validate(data)
    except _PydanticValidationError as exc:
        raise ResponseError(
            f"the response does not match {model.__name__}: {exc.error_count()} "
            f"problem(s), first: {exc.errors()[0]['msg']}",
            body=data,
        ) from None
