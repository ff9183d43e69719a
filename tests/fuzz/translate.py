"""From a schemathesis case to tool arguments, client arguments and the expected request.

The expected request is built from the case and the curated document only: the
path template filled with the (decoded) path values, each query value in its
OpenAPI ``form`` serialisation, JSON-content query values as parsed JSON, the JSON
body as the case holds it, one multipart part per file. The tool arguments are
the same values renamed through the generated ``OperationSpec.params`` (argument
name <-> wire name and location), so a wrong wire name, location or encoding in
the generated code shows up as a recorded request that differs from the case.

Schemathesis hands over some values in their HTTP form (path values already
percent-encoded, booleans in the query as ``"true"``, JSON-content query values as
JSON text); :func:`translate` turns them back into the typed values a tool caller
would pass. A case that tool arguments cannot express raises :class:`Inexpressible`
with the reason.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from .targets import Target

__all__ = [
    "Call", "Expected", "FilePart", "Inexpressible", "NO_BODY", "http_only_reason", "translate", "wire_text",
]  # fmt: skip

NO_BODY = object()
CONTENT_TYPE = "application/octet-stream"
_INT = re.compile(r"^-?[0-9]+$")


class Inexpressible(Exception):
    """The case has no tool-argument form; ``str(exc)`` says why."""


@dataclass(frozen=True)
class FilePart:
    name: str
    filename: str
    content_type: str
    content: bytes


@dataclass
class Expected:
    """The request the case describes (``path`` decoded; query values decoded)."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    json_query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None
    body: Any = NO_BODY
    parts: list[FilePart] | None = None
    form: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Call:
    """One case, ready to send through a tool and through the typed client."""

    tool_args: dict[str, Any]
    client_args: dict[str, Any]
    expected: Expected
    components: dict[str, Any]  # path / query / body as typed values, for document validation
    whole_body: bool = False  # the body is one argument, not one argument per property

    def client_expected(self) -> Expected:
        """What the typed client sends: its methods take ``None`` as "not given", so a
        body property the case sets to null is left out (tools send the null)."""
        exp = self.expected
        if self.whole_body or not isinstance(exp.body, dict):
            return exp
        return replace(exp, body={k: v for k, v in exp.body.items() if v is not None})


FileNamer = Callable[[str, int], tuple[str, str]]


def default_namer(wire: str, index: int) -> tuple[str, str]:
    return f"{wire}-{index}.bin", CONTENT_TYPE


def wire_text(value: Any) -> list[str]:
    """A query value's ``form`` serialisation (explode), as decoded strings."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list | tuple):
        return [t for v in value for t in wire_text(v)]
    return [str(value)]


def _schema_type(schema: Mapping[str, Any]) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else None


def _typed(value: Any, schema: Mapping[str, Any], positive: bool) -> Any:
    """Undo schemathesis's HTTP rendering of a scalar (positive cases only: a negative
    value stays as generated, so a wrong type reaches the tool as a wrong type)."""
    if not positive or not isinstance(value, str):
        return value
    kind = _schema_type(schema)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "integer" and _INT.match(value):
        return int(value)
    return value


def _binary(value: Any) -> bytes | None:
    data = getattr(value, "data", None)
    if isinstance(data, bytes):
        return data
    if isinstance(value, bytes):
        return value
    return None


def _arg_for(target: Target, location: str, wire: str) -> Any:
    for p in target.tool.operation.params:
        if p.location == location and p.wire == wire:
            return p
    return None


def translate(target: Target, case: Any, *, positive: bool, namer: FileNamer = default_namer) -> Call:
    """The tool and client arguments of ``case`` and the request it describes."""
    from schemathesis.core import NOT_SET

    api = target.api
    args: dict[str, Any] = {}
    client: dict[str, Any] = {}
    comps: dict[str, Any] = {"path": {}, "query": {}, "body": NOT_SET}
    exp = Expected(method=target.method, path=target.path)
    exp.headers["authorization"] = api.authorization
    for p in target.params:
        if p.hidden and p.location == "header" and "default" in p.schema:
            exp.headers[p.name.lower()] = str(p.schema["default"])

    known = {p.arg for p in target.tool.operation.params}
    comps["unknown"] = []

    def put(location: str, wire: str, value: Any) -> None:
        spec = _arg_for(target, location, wire)
        if spec is not None:
            args[spec.arg] = client[spec.arg] = value
        elif positive:
            raise Inexpressible(f"{location} {wire!r} has no tool argument")
        elif wire in known:  # the same name as an argument that goes elsewhere
            raise Inexpressible(f"{location} {wire!r} collides with an argument of another location")
        else:  # an undeclared parameter or property: an unknown argument to the tool
            args[wire] = client[wire] = value
            comps["unknown"].append(f"{location} {wire!r}")

    # -- path -------------------------------------------------------------------
    path = target.path
    for name, raw in (case.path_parameters or {}).items():
        p = target.param("path", name)
        if p is None:
            raise Inexpressible(f"unknown path parameter {name!r}")
        value = unquote(raw) if isinstance(raw, str) else raw
        value = _typed(value, p.schema, positive)
        put("path", name, value)
        comps["path"][name] = value
        path = path.replace("{" + name + "}", wire_text(value)[0] if not isinstance(value, dict | list) else "")
    exp.path = path

    # -- query ------------------------------------------------------------------
    for name, raw in (case.query or {}).items():
        p = target.param("query", name)
        if p is None:
            put("query", name, raw)
            continue
        if p.json_content:
            value = raw
            if isinstance(raw, str):
                try:
                    value = json.loads(raw)
                except ValueError:
                    if positive:
                        raise
                    raise Inexpressible(f"query {name!r} is not JSON text") from None
            put("query", name, value)
            exp.json_query[name] = value
        else:
            value = _typed(raw, p.schema, positive)
            put("query", name, value)
            exp.query[name] = wire_text(value)
        comps["query"][name] = value

    # -- headers and cookies ----------------------------------------------------
    for name, value in (case.headers or {}).items():
        p = target.param("header", name)
        if name.lower() == "authorization" or (p is not None and p.hidden):
            continue  # the client's credential and constants, not tool arguments
        if p is None:
            raise Inexpressible(f"header {name!r} is not a parameter")
        put("header", p.name, value)
        exp.headers[p.name.lower()] = str(value)
    if case.cookies:
        raise Inexpressible("cookies are not tool arguments")

    # -- body -------------------------------------------------------------------
    body = case.body
    if body is not NOT_SET:
        media = target.body_media or ""
        exp.media_type = media
        comps["body"] = body
        if "json" in media:
            whole = next((p for p in target.tool.operation.params if p.location == "whole"), None)
            if isinstance(body, bytes):
                raise Inexpressible("the body is raw bytes, not JSON")
            flat = getattr(target.tool, "flat_body", ())
            if whole is not None and flat:  # a union body the tool takes as flat arguments (build/unions.py)
                if not isinstance(body, dict):
                    raise Inexpressible(f"the union body is a JSON {type(body).__name__}, not an object of arguments")
                clash = [k for k in body if k in args]
                if clash:
                    raise Inexpressible(f"body property {clash[0]!r} has the name of another argument")
                for key, value in body.items():
                    args[key] = value
                    if key not in flat:
                        comps["unknown"].append(f"body {key!r}")
                client[whole.arg] = body
            elif whole is not None:
                args[whole.arg] = body
                client[whole.arg] = body
            elif isinstance(body, dict):
                for key, value in body.items():
                    put("body", key, value)
            else:
                raise Inexpressible(f"the body is a JSON {type(body).__name__}, not an object of tool arguments")
            exp.body = body
        elif media == "multipart/form-data":
            if not isinstance(body, dict):
                raise Inexpressible(f"the multipart body is {type(body).__name__}, not an object")
            _multipart(target, positive, body, args, client, exp, namer, comps)
        else:
            raise Inexpressible(f"unsupported media type {media!r}")
    whole = any(p.location == "whole" for p in target.tool.operation.params)
    return Call(args, client, exp, comps, whole)


def _file_arg(data: bytes, filename: str, content_type: str) -> dict[str, str]:
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(data).decode()}


def _multipart(
    target: Target,
    positive: bool,
    body: dict[str, Any],
    args: dict[str, Any],
    client: dict[str, Any],
    exp: Expected,
    namer: FileNamer,
    comps: dict[str, Any],
) -> None:
    exp.parts = []
    plain: dict[str, Any] = {}
    for key, value in body.items():
        spec = next((p for p in target.tool.operation.params if p.wire == key and p.location in ("file", "form")), None)
        if spec is None:
            if positive:
                raise Inexpressible(f"multipart field {key!r} has no tool argument")
            if key in {p.arg for p in target.tool.operation.params}:
                raise Inexpressible(f"multipart field {key!r} collides with an argument of another location")
            data = _binary(value)
            args[key] = client[key] = value if data is None else _file_arg(data, "unknown.bin", CONTENT_TYPE)
            comps["unknown"].append(f"multipart field {key!r}")
            continue
        if spec.location == "form":
            args[spec.arg] = client[spec.arg] = value
            exp.form[key] = wire_text(value)
            plain[key] = value
            continue
        items = value if spec.encoding == "files" and isinstance(value, list) else [value]
        tool_items, client_items = [], []
        for i, item in enumerate(items):
            data = _binary(item)
            if data is None:  # a negative case: a non-file value where a file belongs
                tool_items.append(item)
                client_items.append(item)
                plain[key] = item
                continue
            filename, ctype = namer(key, i)
            tool_items.append(_file_arg(data, filename, ctype))
            client_items.append((filename, data, ctype))
            exp.parts.append(FilePart(key, filename, ctype, data))
        many = spec.encoding == "files" and isinstance(value, list)
        args[spec.arg] = tool_items if many else tool_items[0]
        client[spec.arg] = client_items if many else client_items[0]
        plain.setdefault(key, [""] * len(items) if many else "")
    comps["body"] = plain


def http_only_reason(case: Any, target: Target) -> str | None:
    """Why a negative case's violation cannot be written as tool arguments, or None.

    Schemathesis describes each mutation it made. Mutations of the credential header,
    of a hidden constant (``Intercom-Version``), of undeclared headers, and raw-bytes
    bodies exist only at the HTTP level: the client supplies or renders those itself.
    """
    meta = getattr(case, "meta", None)
    if meta is None:  # an explicit case (a regression example): negative by construction
        return None
    mutations = getattr(getattr(meta.phase, "data", None), "mutations", None) or ()
    if not mutations:
        return "no mutation recorded (schemathesis could not make this operation's data invalid)"
    reasons = []
    for m in mutations:
        loc = getattr(m.parameter_location, "value", str(m.parameter_location))
        operator = getattr(m.operator, "value", str(m.operator))
        if loc == "header":
            p = target.param("header", m.parameter) if m.parameter else None
            if p is None or p.hidden or (m.parameter or "").lower() == "authorization":
                reasons.append(f"header {m.parameter or '(any)'}: {operator}")
                continue
        if loc == "body" and operator == "syntax_fuzzing":
            reasons.append("body: raw bytes that are not the media type")
            continue
        if loc == "cookie":
            reasons.append(f"cookie {m.parameter}: {operator}")
            continue
        return None
    return "; ".join(reasons)
