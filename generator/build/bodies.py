"""Request bodies -> argument candidates: flat properties, or one ``body`` argument.

JSON objects and forms are flattened into one argument per top-level property;
scalar and array JSON, free-form maps and unions travel whole as ``body``; text
media take a string and any other media a file. A form that is not an object of
fields, or a file in an urlencoded form, cannot be sent: the operation is
skipped with a located warning. A form that declares no field at all
(``properties: {}``) has no arguments: an optional one is not sent, a required
one goes out empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import describe
from ..errors import Diagnostics, location
from ..ir import Body
from ..load import Document
from ..namer import Candidate
from ..schema import Converter
from ..shapes import is_binary, media_kind, object_view, shape
from .parameters import STYLES, encodable

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
    encodings = spec.get("encoding") if isinstance(spec, Mapping) else None
    if view is not None:
        props, required, exclusive, at_least_one = view
        for name, sub in props.items():
            ploc = location(here, "schema", "properties", name)
            field_required = body_required and name in required
            rules = encodings.get(name) if kind == "form" and isinstance(encodings, Mapping) else None
            if isinstance(rules, Mapping):
                styled = _styled_field(doc, _raw_property(doc, schema_node, name), rules, here, name, diags)
                if styled is None:
                    if field_required:
                        diags.warning(ploc, "a required form field cannot be sent as encoded; operation skipped")
                        return None
                    continue
                if styled:
                    raw = styled.pop("raw")
                    converted = sub if raw is None else conv.convert(raw, "request")
                    candidates.append(
                        Candidate(
                            name,
                            "form",
                            ploc,
                            {
                                "converted": converted,
                                "raw": raw or _raw_property(doc, schema_node, name),
                                "required": field_required,
                                "description": sub.get("description", ""),
                                **styled,
                            },
                        )  # fmt: skip
                    )
                    continue
            loc_kind, enc = ("body", "plain") if kind == "json" else ("form", "plain")
            if loc_kind == "form" and is_binary(sub):
                loc_kind, enc = "file", "file"
            elif loc_kind == "form" and sub.get("type") == "array" and is_binary(sub.get("items") or {}):
                loc_kind, enc = "file", "files"
            elif kind == "form" and sub.get("type") == "array" and shape(doc, sub.get("items") or {}) != "object":
                enc = "plain"  # exploded: name=a&name=b
            elif loc_kind == "form" and sub.get("type") in ("object", "array"):
                enc = "json"
            if isinstance(rules, Mapping) and "json" in str(rules.get("contentType", "")).lower():
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
                    ploc,
                    {
                        "converted": sub,
                        "raw": _raw_property(doc, schema_node, name),
                        "required": field_required,
                        "description": sub.get("description", ""),
                        "encoding": enc,
                    },
                )
            )
        # multipart and urlencoded are sent by their bare media type; JSON as declared.
        body = Body(media if kind == "json" else _kind_media(kind), "flat", body_required)
        return body, candidates, exclusive, at_least_one
    if kind in ("multipart", "form") and _empty_object(resolved):
        # ``properties: {}``: no field to send (Stripe's every retrieve and list). Sending
        # no body satisfies an optional one; a required one goes out empty.
        return Body(_kind_media(kind), "flat", body_required), [], (), ()
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


def _styled_field(
    doc: Document, raw: Any, rules: Mapping[str, Any], here: str, name: str, diags: Diagnostics
) -> dict[str, Any] | None:
    """A urlencoded field's payload from its Encoding Object, when that names a style.

    With ``style``, ``explode`` or ``allowReserved`` the field travels as a query
    parameter of that style would (OpenAPI 3.1.1: ``contentType`` is then ignored);
    ``{}`` when none is given (the media type's defaults apply). None, with a
    located warning, when the style cannot send the field's values.
    """
    if not any(key in rules for key in ("style", "explode", "allowReserved")):
        return {}
    where = location(here, "encoding", name)
    style = str(rules.get("style") or "form")
    if style not in STYLES:
        diags.warning(where, f"form field {name!r}: style {style!r} is not supported; field left out")
        return None
    kept, dropped = encodable(doc, raw if raw is not None else {}, style)
    field = location(here, "schema", "properties", name)
    if kept is None:
        diags.warning(field, f"form field {name!r}: {'; '.join(dict.fromkeys(w for _, w in dropped))}; field left out")
        return None
    for suffix, why in dropped:
        diags.warning(field + suffix, f"form field {name!r}: {why}; left out of the tool's schema")
    return {
        "encoding": "plain",
        "style": "" if style == "form" else style,
        "explode": bool(rules.get("explode", style == "form")),
        "allow_reserved": rules.get("allowReserved") is True,
        "raw": kept if kept is not raw else None,  # a union without the branches left out
    }


def _empty_object(node: Mapping[str, Any]) -> bool:
    """An object schema that declares no property and allows no other (or says nothing)."""
    if node.get("type", "object") != "object" or node.get("properties"):
        return False
    if any(key in node for key in ("allOf", "anyOf", "oneOf", "patternProperties")):
        return False
    return node.get("additionalProperties", False) is False


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
