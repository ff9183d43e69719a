# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""What may reach the wire: path segments, header values, media types.

Every value a caller gives ends up in one of three places of an HTTP request,
and each has a way to be misread that percent-encoding alone does not close:

* **Path segments.** Path values are percent-encoded (``/`` becomes ``%2F``),
  but RFC 3986 leaves ``.`` as it is, and a segment that *is* ``.`` or ``..``
  is a dot segment: the HTTP client removes it (``/contacts/{id}`` with
  ``id=".."`` leaves as ``DELETE /``), and so do proxies and servers. Sending
  ``%2E%2E`` instead does not help: percent-decoding ``.`` is a normalisation
  RFC 3986 allows, and servers that decode before routing (or decode twice)
  read it as ``..`` again. So a path value that is, or decodes to, a dot
  segment is refused before anything is sent, as is a value that would decode
  to one behind a ``/`` (``a/../b``: one segment on the wire, three after a
  server decodes ``%2F``), and an empty value, which would leave the segment
  empty (``/contacts/`` is another resource on many servers). Every other
  value is sent percent-encoded in the segment its placeholder holds, so the
  request that leaves has exactly the template's segments.
  :func:`segment_problem` says what is wrong with one value and
  :func:`filled_path_problem` checks the filled path as a whole (two
  placeholders in one segment, ``{a}{b}`` with ``.`` and ``.``).
* **Header values** (header and cookie parameters, part headers of multipart
  bodies). CR or LF in a value would end the header and start another one
  (header injection); other control characters are refused by servers or
  silently dropped. :func:`header_text` refuses them, and refuses non-ASCII
  text (RFC 9110 fields are ASCII; httpx would fail on it deep in the send).
  :func:`cookie_text` also refuses what would split a ``Cookie`` header into
  more cookies (``;``, ``,``) or break its syntax (RFC 6265 cookie-octets).
* **Media types** given by callers for file parts (``content_type``) are
  written into a part header: :func:`media_type` accepts only the RFC 6838 /
  RFC 9110 grammar (``type/subtype`` with optional ``; name=value``
  parameters), so nothing else can ride along.

Every refusal is an :class:`~.errors.ArgumentError` that names the argument;
the MCP host turns it into a tool error that says nothing was sent. This
module is part of the runtime's *core*: pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

from .errors import ArgumentError

__all__ = [
    "cookie_text", "filled_path_problem", "form_param", "header_text", "media_type", "no_control_characters",
    "segment_problem",
]  # fmt: skip

_DOT_SEGMENTS = ("", ".", "..")
_SEPARATORS = re.compile(r"[/\\]")
_DECODE_ROUNDS = 3  # a value encoded more often than this is opaque to any sane server

# RFC 9110 field-value: visible ASCII, space and horizontal tab.
_HEADER_BAD = re.compile(r"[^\t\x20-\x7e]")
# RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
_COOKIE_BAD = re.compile(r"[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]")

# RFC 6838 restricted names and RFC 9110 parameters (token = value, value a token or quoted string).
_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
_QUOTED = r'"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e]|\\[\t\x20-\x7e])*"'
_MEDIA_TYPE = re.compile(rf"{_NAME}/{_NAME}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|{_QUOTED}))*")


def segment_problem(text: str) -> str | None:
    """Why ``text`` cannot fill a path placeholder, or None (see the module docstring)."""
    if text == "":
        return "must not be empty: it fills a segment of the URL path"
    current = text
    for _ in range(_DECODE_ROUNDS):
        if any(part in (".", "..") for part in _SEPARATORS.split(current)):
            shown = "" if current == text else f" (decoded: {current!r})"
            return (
                f"{text!r}{shown} is or contains a '.' or '..' path segment, which would change the "
                "request's path; give the identifier itself"
            )
        decoded = unquote(current)
        if decoded == current:
            break
        current = decoded
    return None


def filled_path_problem(template: str, filled: str) -> str | None:
    """Why the path ``filled`` from ``template`` is not exactly the template's segments, or None.

    Each placeholder's value is already percent-encoded, so ``filled`` has as
    many segments as ``template``; a segment made of placeholders alone may
    still come out as a dot segment (``{a}{b}`` with ``.`` and ``.``).
    """
    wanted, got = template.split("/"), filled.split("/")
    if len(wanted) != len(got):
        return f"the values would turn the path {template} into {len(got)} segments instead of {len(wanted)}"
    for pattern, segment in zip(wanted, got, strict=True):
        if "{" in pattern and segment in _DOT_SEGMENTS:
            return f"the values of {pattern} together make the path segment {segment!r}, which is not allowed"
    return None


def header_text(text: str, what: str) -> str:
    """``text`` if it may be a header value (raises :class:`ArgumentError` naming ``what`` otherwise)."""
    bad = _HEADER_BAD.search(text)
    if bad is not None:
        raise ArgumentError(
            f"{what}: {_describe(bad.group())} cannot be sent in an HTTP header "
            "(visible ASCII characters, spaces and tabs only)"
        )
    return text


def cookie_text(text: str, what: str) -> str:
    """``text`` if it may be a cookie value (RFC 6265 cookie-octets; raises otherwise)."""
    bad = _COOKIE_BAD.search(text)
    if bad is not None:
        raise ArgumentError(
            f"{what}: {_describe(bad.group())} cannot be sent in a cookie (no spaces, quotes, commas, "
            "semicolons, backslashes or control characters)"
        )
    return text


def media_type(text: str, what: str) -> str:
    """``text`` stripped, if it is a media type such as ``text/plain; charset=utf-8`` (raises otherwise)."""
    value = text.strip()
    if not _MEDIA_TYPE.fullmatch(value):
        raise ArgumentError(
            f"{what}: {text[:80]!r} is not a media type (type/subtype with optional ;name=value "
            "parameters, e.g. text/plain or image/png)"
        )
    return value


def form_param(name: str) -> str:
    """A multipart field name as the HTML5 form encoding writes it: quotes, backslashes
    and control characters escaped, so a name cannot end the ``Content-Disposition``
    header (the same escaping httpx applies to the names and filenames it writes)."""
    out = []
    for char in name:
        if char == '"':
            out.append("%22")
        elif char == "\\":
            out.append("\\\\")
        elif ord(char) < 0x20 and char != "\x1b":
            out.append(f"%{ord(char):02X}")
        else:
            out.append(char)
    return "".join(out)


def no_control_characters(text: str, what: str, *, allowed: Sequence[str] = ()) -> str:
    """``text`` if it has no control character (C0, DEL, C1) except those ``allowed``."""
    for char in text:
        if (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0) and char not in allowed:
            raise ArgumentError(f"{what}: {_describe(char)} is not allowed here")
    return text


def _describe(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isprintable():
        return f"the character {char!r}"
    return f"the control character U+{ord(char):04X}" if ord(char) < 0xA0 else f"the character U+{ord(char):04X}"
