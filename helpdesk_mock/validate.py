"""Request validation: everything the document says about a request, checked before
any handler runs.

:func:`check_auth` answers 401 when no declared credential is present (and, with
``MockSettings.credential``, when it is not that value). :func:`validate_request`
turns a routed raw request into a :class:`~helpdesk_mock.plugin.MockRequest`:

* path, query, header and cookie parameters are coerced from text to the type
  their schema declares (``"5"`` -> 5 for an integer, ``"true"`` -> True), JSON
  content parameters (``content: application/json``, Desk365's ``filters`` or
  ``ticket_object``) are parsed, then each value is validated against its schema;
  a missing required parameter, an unknown query parameter or a repeated scalar
  one is refused;
* the body must have a declared media type; JSON is parsed and validated,
  multipart and url-encoded forms are parsed into an object (file parts become
  :class:`~helpdesk_mock.plugin.Upload` objects, and a placeholder string for
  the schema's ``format: binary``) and validated against the body schema,
  ``oneOf`` included.

Every problem is collected and reported in one :class:`Invalid` (status 400) whose
message names the parameter and the rule, in the same words the generated
servers use for tool arguments (``generator.runtime.validation``), e.g.
``ticket_count must be one of "30", "50", "100"; got "10"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from generator.runtime.validation import describe_error  # one wording for tool and mock errors

from .document import Operation, Param, Spec
from .plugin import MockRequest, MockSettings, Upload

__all__ = ["Invalid", "RawRequest", "check_auth", "validate_request"]

_INT = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
FILE_PLACEHOLDER = "<file>"


class Invalid(Exception):
    """A request the document forbids: ``status`` (400 or 401) and a readable message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class RawRequest:
    """What arrived, before validation (the core builds it from the ASGI scope)."""

    def __init__(
        self, method: str, path: str, raw_path: str, query: list[tuple[str, str]], headers: dict[str, str], body: bytes
    ) -> None:
        self.method = method
        self.path = path
        self.raw_path = raw_path
        self.query = query
        self.headers = headers
        self.body = body

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def coerce(text: str, schema: Mapping[str, Any]) -> Any:
    """The typed value of ``text`` for ``schema``; the text itself when it does not fit
    (the validator then names the expected type)."""
    types = _types(schema)
    if not types or "string" in types:
        return text
    if "integer" in types and _INT.fullmatch(text):
        return int(text)
    if "number" in types and _NUMBER.fullmatch(text):
        return int(text) if _INT.fullmatch(text) else float(text)
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("", "null"):
        return None
    return text


def _show(text: str) -> str:
    shown = json.dumps(text, ensure_ascii=False)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(text: str | bytes) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def schema_errors(spec: Spec, pointer: str, name: str, value: Any) -> list[str]:
    """Readable problems of ``value`` (reported under ``name``) against the schema at ``pointer``."""
    validator = spec.validator(pointer, name)
    errors = sorted(validator.iter_errors({name: value}), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    out: list[str] = []
    for error in errors:
        message = _exclusive_parts(error) or describe_error(error)
        if message and message not in out:
            out.append(message)
    return out


def _exclusive_parts(error: Any) -> str | None:
    """``oneOf`` of bare ``required`` branches (Desk365's ``file`` / ``files``): say it plainly."""
    if error.validator != "oneOf" or not isinstance(error.instance, Mapping):
        return None
    branches = error.validator_value or []
    names = []
    for branch in branches:
        if not isinstance(branch, Mapping) or set(branch) != {"required"} or len(branch["required"]) != 1:
            return None
        names.append(branch["required"][0])
    given = [n for n in names if n in error.instance]
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: give exactly one of {', '.join(names)}; got {', '.join(given) if given else 'none'}"


# -- auth ------------------------------------------------------------------------------


def _credential(scheme: Mapping[str, Any], raw: RawRequest) -> str | None:
    kind = scheme.get("type")
    if kind == "apiKey":
        where, name = scheme.get("in"), str(scheme.get("name") or "")
        if where == "header":
            value = raw.headers.get(name.lower())
        elif where == "query":
            value = next((v for k, v in raw.query if k == name), None)
        else:
            value = _cookies(raw).get(name)
        return value.strip() or None if value is not None else None
    auth = raw.headers.get("authorization", "")
    prefix = "basic" if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic" else "bearer"
    word, _, token = auth.strip().partition(" ")
    return token.strip() or None if word.lower() == prefix else None


def _describe_scheme(scheme: Mapping[str, Any]) -> str:
    if scheme.get("type") == "apiKey":
        return f"the API key in the {scheme.get('name')} {scheme.get('in')}"
    if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic credentials in the Authorization header"
    return "a token in the Authorization header (Bearer <token>)"


def check_auth(op: Operation, raw: RawRequest, settings: MockSettings) -> None:
    """Raise :class:`Invalid` (401) unless one of the operation's security requirements is met."""
    if not op.security:
        return
    wanted = settings.credential
    for requirement in op.security:
        values = [_credential(scheme, raw) for _, scheme in requirement]
        if all(v is not None for v in values) and (wanted is None or all(v == wanted for v in values)):
            return
    first = op.security[0]
    if all(_credential(scheme, raw) is not None for _, scheme in first):
        raise Invalid(401, "the credential is not valid for this mock (see its --credential option)")
    raise Invalid(401, "missing credential: send " + " and ".join(_describe_scheme(s) for _, s in first))


def _cookies(raw: RawRequest) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.headers.get("cookie", ""))
    except CookieError:
        return {}
    return {k: m.value for k, m in jar.items()}


# -- parameters ------------------------------------------------------------------------


def _param_value(spec: Spec, p: Param, texts: list[str], problems: list[str]) -> tuple[bool, Any]:
    where = "" if p.location == "query" else f" ({p.location})"
    if "array" in _types(p.schema) and not p.json:
        items = spec.resolve(p.schema.get("items") or {})
        values = [coerce(t, items) for t in texts]
        problems += schema_errors(spec, p.pointer, p.name, values)
        return True, values
    if len(texts) > 1:
        problems.append(f"{p.name}{where} is given {len(texts)} times; give it once")
        return False, None
    text = texts[0]
    if p.json:
        try:
            value = _parse_json(text)
        except ValueError:
            problems.append(f"{p.name}{where} must be JSON text; got {_show(text)}")
            return False, None
    else:
        value = coerce(text, p.schema)
    errors = schema_errors(spec, p.pointer, p.name, value)
    problems += errors
    return not errors, value


def _parameters(spec: Spec, op: Operation, raw: RawRequest, path_values: dict[str, str], problems: list[str]
                ) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    given: dict[str, list[str]] = {}
    for k, v in raw.query:
        given.setdefault(k, []).append(v)
    declared = {p.name for p in op.params if p.location == "query"}
    auth_names = {
        str(s.get("name"))
        for req in op.security
        for _, s in req
        if s.get("type") == "apiKey" and s.get("in") == "query"
    }
    unknown = [k for k in given if k not in declared | auth_names]
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        problems.append(f"unknown query parameter(s) {', '.join(unknown)}; allowed: {allowed}")
    cookies = _cookies(raw) if any(p.location == "cookie" for p in op.params) else {}
    params: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for p in op.params:
        if p.location == "query":
            texts = given.get(p.name, [])
        elif p.location == "path":
            texts = [path_values[p.name]] if p.name in path_values else []
        elif p.location == "header":
            texts = [raw.headers[p.name.lower()]] if p.name.lower() in raw.headers else []
        else:
            texts = [cookies[p.name]] if p.name in cookies else []
        if not texts:
            if p.required:
                kind = "query parameter" if p.location == "query" else f"{p.location} parameter"
                problems.append(f"{p.name} is required (a {kind})")
            elif "default" in p.schema:
                defaults[p.name] = p.schema["default"]
            continue
        ok, value = _param_value(spec, p, texts, problems)
        if ok:
            params[p.name] = value
    return params, defaults


# -- bodies ----------------------------------------------------------------------------


def _media(content_type: str | None, declared: Mapping[str, Any]) -> str | None:
    if not content_type:
        return None
    wanted = content_type.split(";", 1)[0].strip().lower()
    for media in declared:
        if media == wanted or media == "*/*" or (media.endswith("/*") and wanted.startswith(media[:-1])):
            return media
    return None


def _is_file_schema(spec: Spec, schema: Any) -> bool:
    schema = spec.resolve(schema or {})
    if "array" in _types(schema):
        schema = spec.resolve(schema.get("items") or {})
    return schema.get("format") in ("binary", "base64") or schema.get("contentMediaType") == "application/octet-stream"


async def _form(raw: RawRequest, multipart: bool) -> list[tuple[str, Any]]:
    if not multipart:
        return parse_qsl(raw.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict")
    from starlette.datastructures import UploadFile
    from starlette.requests import Request

    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw.body, "more_body": False}

    scope = {
        "type": "http",
        "method": raw.method,
        "headers": [(b"content-type", (raw.content_type or "").encode("latin-1"))],
    }
    form = await Request(scope, receive).form()
    try:
        out: list[tuple[str, Any]] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                out.append((name, Upload(name, value.filename or "", value.content_type or "application/octet-stream",
                                         content)))  # fmt: skip
            else:
                out.append((name, value))
        return out
    finally:
        await form.close()


async def _form_body(spec: Spec, pointer: str, schema: Mapping[str, Any], raw: RawRequest, multipart: bool,
                     request: MockRequest, problems: list[str]) -> None:  # fmt: skip
    try:
        items = await _form(raw, multipart)
    except Exception as exc:  # the parsers raise several types for malformed bodies
        problems.append(f"cannot parse the {'multipart' if multipart else 'form'} body: {exc}")
        return
    props = schema.get("properties") or {}
    grouped: dict[str, list[Any]] = {}
    for name, value in items:
        grouped.setdefault(name, []).append(value)
    obj: dict[str, Any] = {}
    for name, values in grouped.items():
        prop = spec.resolve(props.get(name) or {})
        wants_file = name in props and _is_file_schema(spec, prop)
        uploads = [v for v in values if isinstance(v, Upload)]
        texts = [v for v in values if not isinstance(v, Upload)]
        if uploads:
            request.files[name] = uploads
            if name in props and not wants_file:
                problems.append(f"body.{name} must be a text field, not a file part")
        if texts:
            request.form[name] = texts
            if wants_file:
                problems.append(f"body.{name} must be a file part (with a filename), not a text field")
        item_schema = spec.resolve(prop.get("items") or {}) if "array" in _types(prop) else prop
        typed = [FILE_PLACEHOLDER if isinstance(v, Upload) else _form_value(v, item_schema) for v in values]
        if "array" in _types(prop):
            obj[name] = typed
        elif len(typed) > 1:
            problems.append(f"body.{name} is given {len(typed)} times; give it once")
        else:
            obj[name] = typed[0]
    problems += schema_errors(spec, pointer, "body", obj)


def _form_value(text: str, schema: Mapping[str, Any]) -> Any:
    if {"object", "array"} & set(_types(schema)):
        try:
            return _parse_json(text)
        except ValueError:
            return text
    return coerce(text, schema)


async def _body(spec: Spec, op: Operation, raw: RawRequest, request: MockRequest, problems: list[str]) -> None:
    if op.body is None:
        if raw.body:
            problems.append(f"{op.method} {op.path} takes no request body; got {len(raw.body)} bytes")
        return
    declared = ", ".join(op.body.media)
    if not raw.body:
        if op.body.required:
            problems.append(f"a request body is required ({declared})")
        return
    media = _media(raw.content_type, op.body.media)
    if media is None:
        problems.append(f"Content-Type must be {declared}; got {raw.content_type or 'none'}")
        return
    pointer, schema = op.body.media[media]
    if media == "multipart/form-data" or media == "application/x-www-form-urlencoded":
        await _form_body(spec, pointer, schema, raw, media.startswith("multipart"), request, problems)
    elif "json" in media:
        try:
            request.json = _parse_json(raw.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"the request body is not valid JSON ({exc})")
            return
        problems += schema_errors(spec, pointer, "body", request.json)
    elif media.startswith("text/"):
        try:
            text = raw.body.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("the request body is not UTF-8 text")
            return
        problems += schema_errors(spec, pointer, "body", text)


async def validate_request(spec: Spec, op: Operation, raw: RawRequest, path_values: dict[str, str]) -> MockRequest:
    """The validated request, or :class:`Invalid` (400) naming every problem."""
    problems: list[str] = []
    params, defaults = _parameters(spec, op, raw, path_values, problems)
    request = MockRequest(
        method=raw.method, path=raw.path, route=op.path, operation_id=op.operation_id,
        path_params=dict(path_values),
        query=list(raw.query), params=params, headers=dict(raw.headers), raw_body=raw.body,
    )  # fmt: skip
    await _body(spec, op, raw, request, problems)
    if problems:
        raise Invalid(400, "; ".join(problems))
    request.defaults = defaults
    return request
