# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Requests of generated clients: one operation and its arguments -> one HTTP request.

:func:`build_request` is pure: it reads the operation's description (``spec``),
the arguments and the client's configuration, and returns the request without
sending anything, so the sync and the async client (``http``) send byte-identical
requests and a refused argument is refused before any I/O. Split from ``http``,
which sends, retries and words the failures of a send; both are the *client* part
of the runtime.

Encoding rules, chosen so that a value arrives upstream exactly as given:

* query and path values are percent-encoded by this module (RFC 3986 unreserved
  characters only are left as they are), so ``R&D / Ops #1`` or ``a+b=c@x.io``
  cannot be cut or reinterpreted on the way; query parameters and urlencoded form
  fields travel as their OpenAPI ``style`` / ``explode`` / ``allowReserved`` say,
  through one encoder (``serialize``), which refuses what a style cannot send;
  so do arrays and objects in a path (``simple``, ``label``, ``matrix``) or a
  header (``simple``), each part escaped on its own (:func:`_segment`, :func:`_header`);
* what percent-encoding cannot protect is refused before anything is sent, with
  an :class:`ArgumentError` naming the argument (``wire`` has the rules): a path
  value that is or decodes to a ``.`` / ``..`` segment, or is empty (the request
  must have exactly its template's segments); control characters in header and
  cookie values, file names and media types (no header injection, in the
  request or in a multipart part);
* parameters declared with ``content: application/json`` are sent as compact
  JSON text; pydantic models anywhere in a value are dumped by alias;
* ``None`` means "not given": the argument is left out of the request. The one
  exception is an explicit ``None`` for a JSON body property given to the
  client's ``request`` (a tool call's ``null``, already validated against a schema
  that allows it): it is sent as ``null``, because the document gives null a
  meaning (Intercom: ``company_id: null`` detaches the company). The typed methods
  (``_call``) drop ``None`` arguments first, so for them ``None`` stays "not given".

The credential is added last (:func:`authenticate`), after the operation's
constants, as each of its security schemes says (header, query, cookie, bearer,
basic). Local files are not read here: a multipart part gets a reader that the
send streams (``files``), and the caller closes it once the request is done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx2
from pydantic import BaseModel

from .errors import ArgumentError
from .files import File, LocalFile, to_file
from .serialize import Pair, encode_form, encode_query, jsonable, pairs, styled
from .spec import ApiSpec, OperationSpec, Param
from .wire import (
    cookie_text,
    filled_path_problem,
    form_param,
    header_text,
    media_type,
    no_control_characters,
    segment_problem,
)  # fmt: skip

__all__ = ["authenticate", "build_request", "encode_value", "path_problem"]


def encode_value(value: Any, encoding: str = "plain") -> str:
    """The text form of a parameter value."""
    if encoding == "json" or isinstance(value, Mapping | BaseModel):
        return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _q(text: str) -> str:
    return quote(text, safe="-._~")


def _structured(p: Param, value: Any) -> bool:
    """Whether ``value`` travels in ``p``'s style (:func:`serialize.styled`) rather than as one text."""
    return p.encoding != "json" and (bool(p.style) or isinstance(value, list | tuple | Mapping | BaseModel))


def _segment(p: Param, value: Any) -> str:
    """The escaped text ``value`` fills ``p``'s placeholder with; raises :class:`ArgumentError`
    when it is, holds or decodes to a dot segment, or is empty (``wire``)."""
    if not _structured(p, value):
        texts = [encode_value(value, p.encoding)]
        filled = _q(texts[0])
    else:
        filled, texts = styled(p.arg, p.wire, value, style=p.style, explode=p.explode, escape=_q)
    for text in texts:
        problem = segment_problem(text)
        if problem:
            raise ArgumentError(f"{p.arg}: {problem}")
    return filled


def _as_is(text: str) -> str:
    return text


def _header(p: Param, value: Any) -> str:
    """The text of a header parameter; an array or object as ``simple`` says, refused when
    a part holds the delimiter it would then be mistaken for (``,``; ``=`` in a key)."""
    if not _structured(p, value):
        return header_text(encode_value(value, p.encoding), p.arg)
    text, parts = styled(p.arg, p.wire, value, explode=p.explode, escape=_as_is)
    keyed = p.explode and isinstance(jsonable(value), Mapping)
    for i, part in enumerate(parts):
        if "," in part or (keyed and i % 2 == 0 and "=" in part):
            raise ArgumentError(
                f"{p.arg}: {part!r} holds {',' if ',' in part else '='!r}, which separates the parts of this header; "
                "it cannot be sent so that the API reads it back. Nothing was sent"
            )
    return header_text(text, p.arg)


def path_problem(op: OperationSpec, args: Mapping[str, Any]) -> str | None:
    """Why ``args`` cannot fill ``op``'s path (the rule :func:`build_request` enforces), or None."""
    path = op.path
    for p in op.params:
        if p.location == "path" and args.get(p.arg) is not None:
            try:
                path = path.replace("{" + p.wire + "}", _segment(p, args[p.arg]))
            except ArgumentError as exc:
                return str(exc)
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


def _multipart_fields(form: Mapping[str, Any], boundary: str) -> bytes:
    parts = []
    for name, value in form.items():
        for v in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{form_param(name)}"\r\n\r\n{v}\r\n')
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def build_request(
    api: ApiSpec,
    op: OperationSpec,
    args: Mapping[str, Any],
    *,
    base_url: str,
    headers: Mapping[str, str],
    credential: str | None,
    library: Any,
    opened: list[Any] | None = None,
) -> httpx2.Request:
    """The request for ``op`` (raises :class:`ArgumentError` before sending anything).

    ``headers`` are the client's extra headers, ``library`` the module that made its
    HTTP client (``httpstack``: httpx2, or httpx), whose ``Request`` class is used.
    Local files are streamed: their readers are appended to ``opened`` for the
    caller to close once the request is done. The named checks of the operation
    (``hooks``) are the caller's to run first."""
    path = op.path
    query: list[tuple[str, str]] = []
    encoded: list[tuple[Pair, bool]] = []  # query parameters, as their style says (serialize)
    fields: list[tuple[Pair, bool]] = []  # urlencoded form fields, likewise
    urlencoded = op.media_type == "application/x-www-form-urlencoded"
    sent: dict[str, str] = {
        "Accept": "application/json, text/plain;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",  # what ResponseBody decodes within the size cap
    }
    sent.update(headers)
    cookies: dict[str, str] = {}
    body_props: dict[str, Any] = {}
    form: dict[str, Any] = {}
    files: list[tuple[str, tuple[str, Any, str]]] = []
    whole: Any = None
    has_whole = False
    for location, wire, constant in op.constants:
        if location == "header":
            sent[wire] = constant
        elif location == "query":
            query.append((wire, constant))
    constants = len(query)  # the constants go first, the credential (``authenticate``) last
    for p in op.params:
        value = args.get(p.arg)
        if value is None:
            if p.location == "body" and p.arg in args:  # an explicit null (see the module docstring)
                body_props[p.wire] = None
            continue
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", _segment(p, value))
        elif p.location == "query":
            found = pairs(p.wire, value, style=p.style, explode=p.explode, encoding=p.encoding)
            encoded += [(pair, p.allow_reserved) for pair in found]
        elif p.location == "header":
            sent[p.wire] = _header(p, value)
        elif p.location == "cookie":
            cookies[p.wire] = cookie_text(encode_value(value, p.encoding), p.arg)
        elif p.location == "body":
            body_props[p.wire] = jsonable(value)
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
    authenticate(api, op, credential, sent, query, cookies)
    url = base_url + path
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
            sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            kwargs["content"] = _multipart_fields(form, boundary)
    elif media == "application/x-www-form-urlencoded":
        kwargs["content"] = encode_form(fields).encode()
        sent["Content-Type"] = media
    elif "json" in media:
        if has_whole:
            kwargs["content"] = json.dumps(jsonable(whole), ensure_ascii=False).encode()
            sent["Content-Type"] = media
        elif body_props or op.method in ("POST", "PUT", "PATCH"):
            kwargs["content"] = json.dumps(body_props, ensure_ascii=False).encode()
            sent["Content-Type"] = media
    elif has_whole:
        if isinstance(whole, str):
            kwargs["content"] = whole.encode()
        elif isinstance(whole, File):
            kwargs["content"] = whole.content
        elif isinstance(whole, LocalFile):
            kwargs["content"] = whole.read()  # bounded by the cap it was checked against
        else:
            kwargs["content"] = to_file(whole, "body").content
        sent["Content-Type"] = media or "application/octet-stream"
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request: httpx2.Request = library.Request(op.method, url, headers=sent, **kwargs)
    return request


def authenticate(
    api: ApiSpec,
    op: OperationSpec,
    credential: str | None,
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: dict[str, str],
) -> None:
    """Add ``credential`` where each security scheme of ``op`` wants it (nothing without one)."""
    if not op.auth or not credential:
        return
    for scheme in api.auth:
        if scheme.name not in op.auth:
            continue
        if scheme.kind == "header":
            headers[scheme.param] = credential
        elif scheme.kind == "query":
            query.append((scheme.param, credential))
        elif scheme.kind == "cookie":
            cookies[scheme.param] = credential
        elif scheme.kind == "bearer":
            headers["Authorization"] = f"Bearer {credential}"
        elif scheme.kind == "basic":  # user:password; a key without a colon is the user (RFC 7617 needs one)
            import base64

            pair = credential if ":" in credential else credential + ":"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
