"""Load layer: document text -> a checked, reference-resolvable document.

The text is parsed once (libyaml's C loader when present; JSON documents go
through :mod:`json`), checked structurally with openapi-pydantic (3.0 and 3.1
both: a break of the OpenAPI schema is a located warning, since real documents
break it in harmless ways; the parsed model itself is not kept, because JSON
Schemas are carried into generated code as the plain data they are), and every
``$ref`` is checked: local JSON pointers must resolve, and external references
are refused, since a generated package must not depend on files it cannot see.
The curation extensions (``x-api``, ``x-tool``) are parsed into their typed
models here (:mod:`generator.curation`), so a misspelled or mistyped key stops
generation with its location before anything is built.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .curation import Curation, read_curation
from .errors import Diagnostic, Diagnostics, location

__all__ = ["Document", "load_document", "load_text"]

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader without two YAML 1.1 implicit types. Timestamps: ``2024-01-01``
    stays the string the author wrote (a ``date`` object would reach generated code as
    ``datetime.date(...)``). The value key: a bare ``=`` is resolved to a tag the safe
    loader has no constructor for, so a valid document (``change: =``) failed to load;
    it is the one-character string it reads as."""


_NOT_IMPLICIT = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _NOT_IMPLICIT]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """A loaded OpenAPI document.

    ``raw`` is the parsed mapping; ``curation`` its typed curation extensions;
    ``source`` the display name used in headers and diagnostics; ``sha256`` the
    hash of the text, recorded in the generated manifest; ``warnings`` what the
    structural check found.
    """

    raw: Mapping[str, Any]
    curation: Curation
    source: str
    sha256: str
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def version(self) -> str:
        return str(self.raw.get("openapi", ""))

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        """Follow ``$ref`` chains from ``node`` to the referenced value."""
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:  # an alias cycle ($ref to $ref to ...): nothing to follow
                return {}
            seen = seen + (ref,)
            node = pointer(self.raw, ref)
        return node


def pointer(raw: Mapping[str, Any], ref: str) -> Any:
    """Resolve a local JSON pointer such as ``#/components/schemas/Ticket``."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    node: Any = raw
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node


def load_document(path: Path, source: str | None = None) -> Document:
    """Read and check the document at ``path``; raise :class:`GenerationError`."""
    text = path.read_bytes()
    return load_text(text, source or path.name, json_input=path.suffix == ".json")


def load_text(text: bytes, source: str, *, json_input: bool = False) -> Document:
    """Parse and check document text (see the module docstring)."""
    diags = Diagnostics(source)
    try:
        raw = json.loads(text) if json_input else yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError) as exc:
        diags.error("(document)", f"cannot parse: {exc}")
        diags.raise_if_errors()
        raise  # unreachable
    if not isinstance(raw, dict):
        diags.error("(document)", "the document is not a mapping")
        diags.raise_if_errors()
    raw = _plain(raw)
    _check_refs(raw, diags)
    _check_shape(raw, diags)
    _check_structure(raw, diags)
    curation = read_curation(raw, diags)
    diags.raise_if_errors()
    return Document(raw, curation, source, hashlib.sha256(text).hexdigest(), tuple(diags.warnings))


# openapi-pydantic's classes: in an error location they name the union branch tried.
_MODEL_NAMES = frozenset(
    "Components Contact Discriminator Encoding Example ExternalDocumentation Header Info License Link MediaType "
    "OAuthFlow OAuthFlows OpenAPI Operation Parameter PathItem Reference RequestBody Response Schema "
    "SecurityScheme Server ServerVariable Tag XML".split()
)


def _check_shape(raw: dict[str, Any], diags: Diagnostics) -> None:
    """What the builder relies on: the top-level sections it reads are mappings."""
    for key in ("info", "paths", "components", "x-api"):
        if key in raw and not isinstance(raw[key], dict):
            diags.error(key, f"must be a mapping; got {type(raw[key]).__name__}")
    for key in ("schemas", "parameters", "requestBodies", "responses", "securitySchemes"):
        section = raw.get("components")
        if isinstance(section, dict) and key in section and not isinstance(section[key], dict):
            diags.error(location("components", key), "must be a mapping")


def _check_structure(raw: dict[str, Any], diags: Diagnostics) -> None:
    """The OpenAPI schema's structural rules, checked by openapi-pydantic (3.0 and 3.1)."""
    from openapi_pydantic import parse_obj  # imported here: only needed when loading

    version = str(raw.get("openapi", ""))
    if "swagger" in raw and "openapi" not in raw:
        diags.error(
            "swagger",
            f"Swagger {raw['swagger']!s} documents are not supported; convert the document to OpenAPI 3.0 or 3.1 first",
        )
        return
    if not version.startswith(("3.0", "3.1")):
        diags.error("openapi", f"unsupported OpenAPI version {version!r}; need 3.0 or 3.1")
        return
    servers = raw.get("servers")
    if isinstance(servers, list) and any(isinstance(s, dict) and "url" not in s for s in servers):
        # A server entry without a URL (Desk365's vendor document has one) is
        # invalid OpenAPI but harmless: drop it for the structural check; the
        # IR builder warns and falls back to a base URL given at run time.
        raw = {**raw, "servers": [s for s in servers if "url" in s] or [{"url": "/"}]}
    try:
        parse_obj(raw)
    except ValidationError as exc:
        # Real documents break the schema in harmless ways (a response without a
        # description, a numeric info.version, 3.1 type arrays in a 3.0 document):
        # each becomes a warning, and the builder copes with what it reads or skips
        # the operation with its own warning.
        groups: dict[str, list[tuple[str, str, str]]] = {}
        details = exc.errors()
        if version.startswith("3.1"):
            # JSON Schema 2020-12 allows a boolean wherever a schema goes
            # (``unevaluatedProperties: false``); openapi-pydantic's 3.1 models do not.
            boolean = {e["loc"][:-1] for e in details if e["loc"][-1:] == ("Schema",) and isinstance(e["input"], bool)}
            details = [e for e in details if e["loc"][:-1] not in boolean]
        for err in details:
            parts = list(err["loc"][1:])  # [0] is the version openapi-pydantic picked
            # openapi-pydantic names the union branch it tried (``Reference``,
            # ``Schema``, ...) after the key that failed: the object is what comes
            # before the last such name, the field what comes after it.
            names = [i for i, p in enumerate(parts) if p in _MODEL_NAMES]
            if names:
                obj, branch, rest = parts[: names[-1]], str(parts[names[-1]]), parts[names[-1] + 1 :]
            else:
                obj, branch, rest = parts[:-1], "", parts[-1:]
            field = location(*[p for p in rest if isinstance(p, str | int)])
            where = location(*[p for p in obj if isinstance(p, str | int) and p not in _MODEL_NAMES]) or "(document)"
            groups.setdefault(where, []).append((branch, field, err["msg"]))
        for where, errors in list(groups.items())[:20]:
            # "$ref required" from the Reference branch is rarely the real problem,
            # and says nothing when a part inside the same object failed too.
            if all(e[0] == "Reference" for e in errors) and any(
                other.startswith((where + ".", where + "[")) for other in groups
            ):
                continue
            _, field, msg = next((e for e in errors if e[0] != "Reference"), errors[0])
            diags.warning(where, f"does not follow the OpenAPI schema ({field + ': ' if field else ''}{msg})")


def _plain(root: dict[str, Any]) -> dict[str, Any]:
    """Make parsed YAML plain JSON data, in place: mapping keys become strings (``200:``
    is the response code ``"200"``) and non-finite numbers (``.inf``, which neither
    JSON Schema nor a Python literal can carry) are dropped with their key."""
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        bad = False
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            kind = type(value)
            if kind is dict or kind is list:
                stack.append(value)
            elif kind is float and not math.isfinite(value):
                bad = True
            if type(key) is not str and isinstance(node, dict):
                bad = True
        if bad and isinstance(node, dict):
            items = list(node.items())
            node.clear()
            node.update((str(k), v) for k, v in items if not (type(v) is float and not math.isfinite(v)))
        elif bad:
            node[:] = [v for v in node if not (type(v) is float and not math.isfinite(v))]
    return root


# Keys whose values are data, never schemas: a ``$ref`` key inside them is just a key.
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})
# Maps whose keys are names the author chose (a property may be called ``example``
# or ``x-id``), not keywords; in the first group the specification also allows
# ``x-`` extensions beside the names.
_EXTENSIBLE_NAME_MAPS = frozenset({"paths", "responses", "callbacks"})
_NAME_MAPS = _EXTENSIBLE_NAME_MAPS | {
    "properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "schemas", "parameters",
    "requestBodies", "headers", "securitySchemes", "links", "pathItems", "content", "encoding", "variables",
    "webhooks",
}  # fmt: skip


def _walk_refs(
    node: Any, path: tuple[str | int, ...], map_of: str | None = None
) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Every reference of the document, with its location.

    Examples and vendor extensions are data (a SCIM example has a ``$ref`` member; a
    vendor's ``x-...`` may point at its own files): nothing inside them is a
    reference, so nothing inside them is followed or refused. An ``examples`` map
    (of a media type, a parameter, ``components``) holds Example Objects, each of
    which may itself be a reference; a list of ``examples`` (JSON Schema) is data.
    ``map_of`` names the key ``node`` is the value of, when ``node`` maps names
    (:data:`_NAME_MAPS`) rather than keywords to values.
    """
    if isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _walk_refs(value, path + (index,))
        return
    if not isinstance(node, dict):
        return
    if map_of is not None:
        for name, value in node.items():
            if isinstance(value, dict | list) and not (map_of in _EXTENSIBLE_NAME_MAPS and name.startswith("x-")):
                yield from _walk_refs(value, path + (name,))
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        yield ref, path
    for key, value in node.items():
        if not isinstance(value, dict | list) or key in _DATA_KEYS or key.startswith("x-"):
            continue
        if key == "examples":
            for name, example in value.items() if isinstance(value, dict) else ():
                if isinstance(example, dict) and isinstance(example.get("$ref"), str):
                    yield example["$ref"], path + (key, name)
            continue
        yield from _walk_refs(value, path + (key,), key if key in _NAME_MAPS and isinstance(value, dict) else None)


def _check_refs(raw: dict[str, Any], diags: Diagnostics) -> None:
    for ref, path in _walk_refs(raw, ()):
        where = location(*path, "$ref")
        if not ref.startswith("#"):
            diags.error(where, f"external reference {ref!r} is not supported; bundle the document into one file first")
            continue
        try:
            pointer(raw, ref)
        except (KeyError, IndexError, ValueError, TypeError):
            diags.error(where, f"reference {ref!r} does not resolve")
