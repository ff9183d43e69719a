"""Request bodies -> argument candidates: flat properties, or one ``body`` argument.

JSON objects and forms are flattened into one argument per top-level property;
scalar and array JSON, free-form maps and unions travel whole as ``body``; text
media take a string and any other media a file. A form that is not an object of
fields, or a file in an urlencoded form, cannot be sent: the operation is
skipped with a located warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import describe
from ..errors import Diagnostics, location
from ..ir import Body
from ..load import Document
from ..namer import Candidate
from ..schema import Converter, is_binary, media_kind, object_view, shape

__all__ = ["request_body"]


def request_body(
    doc: Document, conv: Converter, raw_body: Mapping[str, Any], bloc: str, diags: Diagnostics
) -> tuple[Body, list[Candidate], tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]] | None:
    """The body's arguments: its top-level properties (``flat``) or one ``body`` argument,
    with the body's "exactly one of" and "at least one of" groups; None when the
    operation must be skipped."""
    media, spec, kind = _pick_media(raw_body["content"])
    body_required = bool(raw_body.get("required"))
    schema_node = (spec or {}).get("schema") or {} if isinstance(spec, Mapping) else {}
    resolved = conv.convert(schema_node, "request")
    here = location(bloc, "content", media)
    view = object_view(resolved) if kind in ("json", "multipart", "form") else None
    if kind == "json" and resolved.get("additionalProperties") not in (None, False):
        view = None
    candidates: list[Candidate] = []
    exclusive: tuple[tuple[str, ...], ...] = ()
    at_least_one: tuple[tuple[str, ...], ...] = ()
    if view is not None:
        props, required, exclusive, at_least_one = view
        for name, sub in props.items():
            loc_kind, enc = ("body", "plain") if kind == "json" else ("form", "plain")
            if loc_kind == "form" and is_binary(sub):
                loc_kind, enc = "file", "file"
            elif loc_kind == "form" and sub.get("type") == "array" and is_binary(sub.get("items") or {}):
                loc_kind, enc = "file", "files"
            elif kind == "form" and sub.get("type") == "array" and shape(doc, sub.get("items") or {}) != "object":
                enc = "plain"  # exploded: name=a&name=b
            elif loc_kind == "form" and sub.get("type") in ("object", "array"):
                enc = "json"
            if kind == "form" and loc_kind == "file":
                diags.warning(
                    location(here, "schema", "properties", name),
                    "a file in an application/x-www-form-urlencoded body cannot be sent; operation skipped",
                )
                return None
            candidates.append(
                Candidate(
                    name,
                    loc_kind,
                    location(here, "schema", "properties", name),
                    {
                        "converted": sub,
                        "raw": _raw_property(doc, schema_node, name),
                        "required": body_required and name in required,
                        "description": sub.get("description", ""),
                        "encoding": enc,
                    },
                )
            )
        # multipart and urlencoded are sent by their bare media type; JSON as declared.
        body = Body(media if kind == "json" else _kind_media(kind), "flat", body_required)
        return body, candidates, exclusive, at_least_one
    if kind in ("multipart", "form"):
        diags.warning(here, "a form body must be an object with fixed properties; operation skipped")
        return None
    enc = {"json": "plain", "text": "text", "binary": "file"}[kind]
    if kind == "json" and is_binary(resolved):
        enc = "file"
    description = describe.plain(raw_body.get("description")) or "The request body."
    candidates.append(
        Candidate(
            "body",
            "whole",
            here,
            {
                "converted": resolved,
                "raw": schema_node,
                "required": body_required,
                "description": description,
                "encoding": enc,
            },
        )
    )
    sent_as = "application/octet-stream" if "*" in media else media
    return Body(sent_as, "whole", body_required), candidates, exclusive, at_least_one


def _kind_media(kind: str) -> str:
    return {"multipart": "multipart/form-data", "form": "application/x-www-form-urlencoded"}[kind]


def _raw_property(doc: Document, schema_node: Any, name: str) -> Any:
    node = doc.resolve(schema_node)
    if not isinstance(node, Mapping):
        return None
    for part in [node, *[doc.resolve(p) for p in node.get("allOf") or []]]:
        props = part.get("properties") if isinstance(part, Mapping) else None
        if isinstance(props, Mapping) and name in props:
            return props[name]
    return None


def _pick_media(content: Mapping[str, Any]) -> tuple[str, Any, str]:
    """The body media type to send: JSON first, then forms, then raw bytes, then text."""
    order = ("json", "multipart", "form", "binary", "text")
    kinds = [(str(media), spec, media_kind(str(media))) for media, spec in content.items()]
    return min(kinds, key=lambda k: order.index(k[2]))
