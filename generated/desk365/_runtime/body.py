# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Response bodies of generated clients: collected within a size cap, decoded safely.

:class:`ResponseBody` collects a streamed answer up to the client's
``max_response_bytes`` *after* decoding ``Content-Encoding``, and
:func:`decode_json` parses JSON into something every MCP client can receive.
Split from ``http`` (which sends) and ``interpret`` (which reads what is collected
here) so each stays small; all three are the *client* part of the runtime.
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any, Protocol

import httpx2

from .errors import ResponseError, ResponseTooLargeError
from .spec import ApiSpec

__all__ = ["MAX_JSON_DEPTH", "ResponseBody", "decode_json"]


class _Limits(Protocol):
    """What a body needs of its client: the cap, the API's title, the error for the cap."""

    _api: ApiSpec
    max_response_bytes: int

    def _too_large(self, size: int) -> ResponseTooLargeError: ...


class ResponseBody:
    """A response body, collected up to the client's ``max_response_bytes`` after decoding.

    The runtime decodes ``Content-Encoding`` (gzip, deflate) itself instead of
    letting httpx do it: httpx inflates each network read whole, so a 60 KB gzip
    body of one repeated byte becomes 60 MB in memory before any size check.
    Here zlib is asked for at most the remaining allowance plus one byte per
    read, so no more than ``max_response_bytes + 1`` decoded bytes ever exist.
    """

    def __init__(self, client: _Limits, response: httpx2.Response) -> None:
        self._client = client
        self.chunks: list[bytes] = []
        self.size = 0
        # An in-memory response (a ``MockTransport``) was read, and decoded, when it was built.
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
