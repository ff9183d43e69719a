"""The curated document, compiled for serving: routes, operations, schema validators.

The mock never hard-codes an operation: everything it checks comes from here.
:func:`load_spec` reads the document it is given with the generator's own loader,
turns each operation into an :class:`Operation` (parameters with their schemas,
request body media types, responses, security requirements) and builds one
route table. Compiled specs are cached per file and modification time, so a
test suite that creates many apps loads each document once.

Schemas are validated where they live in the document: each is addressed by its
JSON pointer inside one ``referencing`` resource, so ``$ref`` chains, ``oneOf``
and discriminators resolve exactly as written (JSON Schema 2020-12, the dialect
of OpenAPI 3.1). Formats are checked too, including OpenAPI's ``int32`` and
``int64`` ranges.

Routing prefers literal segments over templated ones (``/companies/scroll``
before ``/companies/{company_id}``) and matches on the raw, still
percent-encoded path, so an encoded ``/`` inside a path parameter cannot
change the route.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.load import load_document

__all__ = ["Body", "Operation", "Param", "Spec", "load_spec"]

_URI = "urn:helpdesk-mock:document"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Param:
    """One path, query, header or cookie parameter of an operation.

    ``pointer`` addresses the value schema (for a ``content`` parameter, the
    schema of its media type); ``schema`` is that schema with its top-level
    ``$ref`` followed, used to coerce text into the declared type.
    """

    name: str
    location: str
    required: bool
    pointer: str
    schema: Mapping[str, Any]
    json: bool = False


@dataclass(frozen=True)
class Body:
    """A request body: media type -> (schema pointer, resolved schema)."""

    required: bool
    media: Mapping[str, tuple[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Operation:
    """One operation of the document, as the core needs it."""

    method: str
    path: str
    operation_id: str
    params: tuple[Param, ...]
    body: Body | None
    responses: Mapping[str, tuple[str, Mapping[str, Any]]]  # status -> (pointer, response object)
    security: tuple[tuple[tuple[str, Mapping[str, Any]], ...], ...]  # OR of ANDs of (name, scheme)
    regex: re.Pattern[str]
    path_names: tuple[str, ...]

    def param(self, location: str, name: str) -> Param | None:
        for p in self.params:
            if p.location == location and (p.name == name if location != "header" else p.name.lower() == name):
                return p
        return None


@dataclass
class Spec:
    """A compiled document: the raw mapping, its operations and the route table."""

    name: str
    raw: Mapping[str, Any]
    operations: dict[str, Operation]
    routes: list[tuple[re.Pattern[str], str, dict[str, Operation]]]
    _validators: dict[str, Any] = field(default_factory=dict)
    _registry: Any = None

    def match(self, raw_path: str) -> tuple[dict[str, Operation], dict[str, str]] | None:
        """The operations of the path that matches ``raw_path`` and its decoded path values."""
        for regex, _template, methods in self.routes:
            m = regex.fullmatch(raw_path)
            if m is not None:
                names = next(iter(methods.values())).path_names
                return methods, {names[int(k[1:])]: unquote(v) for k, v in m.groupdict().items()}
        return None

    def validator(self, pointer: str, root_name: str | None = None) -> Any:
        """A cached jsonschema validator for the schema at ``pointer``.

        With ``root_name`` the schema is wrapped as the property of that name, so
        the error paths (and the messages built from them) start with the name of
        the parameter or with ``body``.
        """
        key = f"{root_name}\0{pointer}"
        found = self._validators.get(key)
        if found is None:
            from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            if self._registry is None:
                self._registry = Registry().with_resource(_URI, DRAFT202012.create_resource(dict(self.raw)))
            schema: dict[str, Any] = {"$ref": f"{_URI}#{pointer}"}
            if root_name is not None:
                schema = {"type": "object", "properties": {root_name: schema}}
            found = Draft202012Validator(schema, registry=self._registry, format_checker=_format_checker())
            self._validators[key] = found
        return found

    def resolve(self, node: Any) -> Any:
        return _follow(self.raw, node, "")[0]


@lru_cache(maxsize=1)
def _format_checker() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=list(Draft202012Validator.FORMAT_CHECKER.checkers))
    for name, bits in (("int32", 31), ("int64", 63)):

        def check(value: object, _bits: int = bits) -> bool:
            return not isinstance(value, int) or isinstance(value, bool) or -(2**_bits) <= value < 2**_bits

        checker.checks(name)(check)
    return checker


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _follow(raw: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow ``$ref`` chains; return the node and the pointer where it lives."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        ref = node["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        pointer = ref[1:]
        node = raw
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
    return node, pointer


def load_spec(document: str | Path) -> Spec:
    """The compiled spec of the document at ``document`` (cached while the file is unchanged)."""
    path = Path(document)
    if not path.is_file():
        raise FileNotFoundError(f"mock: no OpenAPI document at {path}")
    return _load(str(path.resolve()), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> Spec:
    doc = load_document(Path(path))
    raw = doc.raw
    schemes = (raw.get("components") or {}).get("securitySchemes") or {}
    operations: dict[str, Operation] = {}
    by_path: dict[str, dict[str, Operation]] = {}
    for template, item in (raw.get("paths") or {}).items():
        item_ptr = f"/paths/{_escape(template)}"
        item, item_ptr = _follow(raw, item, item_ptr)
        shared = list(enumerate(item.get("parameters") or []))
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            op_ptr = f"{item_ptr}/{method}"
            own = [(f"{op_ptr}/parameters/{i}", p) for i, p in enumerate(op.get("parameters") or [])]
            params = _params(raw, [(f"{item_ptr}/parameters/{i}", p) for i, p in shared] + own)
            regex, names = _compile(template)
            operation = Operation(
                method=method.upper(),
                path=template,
                operation_id=str(op.get("operationId") or f"{method.upper()} {template}"),
                params=params,
                body=_body(raw, op.get("requestBody"), f"{op_ptr}/requestBody"),
                responses={
                    str(status): _follow(raw, resp, f"{op_ptr}/responses/{_escape(str(status))}")[::-1]
                    for status, resp in (op.get("responses") or {}).items()
                },
                security=_security(op.get("security", raw.get("security")) or [], schemes),
                regex=regex,
                path_names=names,
            )
            operations[operation.operation_id] = operation
            by_path.setdefault(template, {})[operation.method] = operation
    routes = [(ops_[next(iter(ops_))].regex, t, ops_) for t, ops_ in by_path.items()]
    # Literal paths first: more literal characters, then fewer parameters.
    routes.sort(key=lambda r: (-len(re.sub(r"\{[^}]*\}", "", r[1])), r[1].count("{")))
    name = str((raw.get("x-api") or {}).get("name") or Path(path).stem)
    return Spec(name=name, raw=raw, operations=operations, routes=routes)


def _compile(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    out, pos = "", 0
    names: list[str] = []
    for m in re.finditer(r"\{([^}]+)\}", template):
        out += re.escape(template[pos : m.start()])
        group = f"p{len(names)}"
        names.append(m.group(1))
        out += f"(?P<{group}>[^/]+)"
        pos = m.end()
    out += re.escape(template[pos:])
    return re.compile(out), tuple(names)


def _params(raw: Mapping[str, Any], items: list[tuple[str, Any]]) -> tuple[Param, ...]:
    found: dict[tuple[str, str], Param] = {}
    for ptr, node in items:
        node, ptr = _follow(raw, node, ptr)
        location = str(node.get("in"))
        name = str(node.get("name"))
        if location == "header" and name.lower() in ("accept", "content-type", "authorization"):
            continue  # OpenAPI: these header parameters are ignored
        content = node.get("content")
        if isinstance(content, Mapping) and content:
            media, media_obj = next(iter(content.items()))
            schema_ptr = f"{ptr}/content/{_escape(media)}/schema"
            schema, schema_ptr = _follow(raw, media_obj.get("schema") or {}, schema_ptr)
            is_json = "json" in media
        else:
            schema, schema_ptr = _follow(raw, node.get("schema") or {}, f"{ptr}/schema")
            is_json = False
        required = bool(node.get("required")) or location == "path"
        key = (location, name.lower() if location == "header" else name)
        found[key] = Param(name, location, required, schema_ptr, schema, is_json)
    return tuple(found.values())


def _body(raw: Mapping[str, Any], node: Any, ptr: str) -> Body | None:
    if not isinstance(node, Mapping):
        return None
    node, ptr = _follow(raw, node, ptr)
    media: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for media_type, obj in (node.get("content") or {}).items():
        schema, schema_ptr = _follow(
            raw, (obj or {}).get("schema") or {}, f"{ptr}/content/{_escape(media_type)}/schema"
        )
        media[media_type.lower()] = (schema_ptr, schema)
    return Body(bool(node.get("required")), media)


def _security(
    requirements: list[Any], schemes: Mapping[str, Any]
) -> tuple[tuple[tuple[str, Mapping[str, Any]], ...], ...]:
    out = []
    for requirement in requirements:
        out.append(tuple((name, schemes.get(name) or {}) for name in (requirement or {})))
    return tuple(out)
