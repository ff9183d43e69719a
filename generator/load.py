"""Load layer: document text -> a checked, reference-resolvable document.

The text is parsed once (libyaml's C loader when present; JSON documents go
through :mod:`json`), checked structurally with openapi-pydantic (3.0 and 3.1
both), and every ``$ref`` is checked: local JSON pointers must resolve, and
external references are refused, since a generated package must not depend on
files it cannot see. The raw mapping is kept beside the typed model because
JSON Schemas are carried into generated code as plain data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Diagnostics, location

__all__ = ["Document", "load_document", "load_text"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """A loaded OpenAPI document.

    ``raw`` is the parsed mapping; ``model`` the openapi-pydantic object (used for
    structure); ``source`` the display name used in headers and diagnostics;
    ``sha256`` the hash of the text, recorded in the generated manifest.
    """

    raw: Mapping[str, Any]
    model: Any
    source: str
    sha256: str

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
    _check_refs(raw, diags)
    model = _structural_model(raw, diags)
    diags.raise_if_errors()
    return Document(raw, model, source, hashlib.sha256(text).hexdigest())


def _structural_model(raw: dict[str, Any], diags: Diagnostics) -> Any:
    from openapi_pydantic import parse_obj  # imported here: only needed when loading

    version = str(raw.get("openapi", ""))
    if "swagger" in raw and "openapi" not in raw:
        diags.error(
            "swagger",
            f"Swagger {raw['swagger']!s} documents are not supported; convert the document to OpenAPI 3.0 or 3.1 first",
        )
        return None
    if not version.startswith(("3.0", "3.1")):
        diags.error("openapi", f"unsupported OpenAPI version {version!r}; need 3.0 or 3.1")
        return None
    servers = raw.get("servers")
    if isinstance(servers, list) and any(isinstance(s, dict) and "url" not in s for s in servers):
        # A server entry without a URL (Desk365's vendor document has one) is
        # invalid OpenAPI but harmless: drop it for the structural check; the
        # IR builder warns and falls back to a base URL given at run time.
        raw = {**raw, "servers": [s for s in servers if "url" in s] or [{"url": "/"}]}
    try:
        return parse_obj(raw)
    except ValidationError as exc:
        for err in exc.errors()[:20]:
            where = location(*[p for p in err["loc"] if isinstance(p, str | int)])
            diags.error(where or "(document)", err["msg"])
        return None


def _walk_refs(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str, tuple]]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref, path
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _walk_refs(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _walk_refs(value, path + (index,))


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
