"""Parameters -> argument candidates: what the runtime can send, and the path template.

Before naming, :func:`parameter_candidates` decides whether the runtime can send a
parameter as the document describes it. In the path, a header or a cookie the
runtime sends scalars (and JSON text for ``content: application/json``). In the
query it sends what OpenAPI's styles can express exactly (``runtime/serialize``):
scalars, arrays of scalars (``form``, exploded or comma-joined, ``spaceDelimited``,
``pipeDelimited``) and objects of scalars (``form``, ``deepObject``). An object of
fixed scalar properties whose style spreads it into separate parameters (``form``
exploded: ``user_id=1``; ``deepObject``: ``filter[user_id]=1``) becomes one
argument per property, and a ``oneOf`` of single properties a "give exactly one
of" group; any other such value is one argument the runtime encodes by the
branch its value matches (Stripe's ``created``: ``created=5`` or
``created[gte]=1&created[lt]=2``). A union branch a style cannot send (an object
in a header, an array under ``deepObject``, nested objects) is left out of the
tool's schema; a parameter with nothing left is refused: an optional one is left
out, a required one skips the operation, each with a located warning, so nothing
is ever sent in a shape the API did not ask for.

:func:`operation_parameters` merges path-level and operation-level parameters,
turns ``x-tool-hidden`` ones into constants and makes the path parameters agree
with the ``{variables}`` of the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import Diagnostics, location
from ..ir import Constant
from ..load import Document
from ..namer import Candidate
from ..shapes import flat_object, shape

__all__ = ["IGNORED_HEADERS", "STYLES", "TEMPLATE_VAR", "encodable", "operation_parameters", "parameter_candidates"]

# OpenAPI: header parameters with these names are ignored; the runtime sets them.
IGNORED_HEADERS = frozenset({"content-type", "authorization"})
TEMPLATE_VAR = re.compile(r"\{([^{}]+)\}")


def operation_parameters(
    doc: Document, item: Mapping[str, Any], raw_op: Mapping[str, Any], path: str, where: str, diags: Diagnostics
) -> tuple[list[Candidate], list[Constant], list[tuple[str, ...]]] | None:
    """The parameter candidates of one operation, its constants and its "exactly one
    of" query groups (wire names); None when the operation must be skipped."""
    candidates: list[Candidate] = []
    constants: list[Constant] = []
    groups: list[tuple[str, ...]] = []
    for p, ploc in _param_list(doc, item, raw_op, where):
        if p.get("x-tool-hidden") is True:
            schema_node: Any = p.get("schema")
            if schema_node is None and isinstance(p.get("content"), Mapping) and p["content"]:
                schema_node = (next(iter(p["content"].values())) or {}).get("schema", {})
            default = doc.resolve(schema_node or {}).get("default")
            if default is None:
                diags.error(ploc, "x-tool-hidden needs a schema default to send")
            else:
                constants.append(Constant(p["in"], str(p["name"]), str(default)))
            continue
        got = parameter_candidates(doc, p, ploc, diags)
        if got is None:
            return None
        candidates += got[0]
        groups += got[1]
    return _match_path_template(path, candidates, where, diags), constants, groups


def _param_list(
    doc: Document, item: Mapping[str, Any], raw_op: Mapping[str, Any], where: str
) -> list[tuple[Mapping[str, Any], str]]:
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    for source, params in (
        ("parameters", item.get("parameters")),
        (location(where, "parameters"), raw_op.get("parameters")),
    ):
        for i, p in enumerate(params or []):
            p = doc.resolve(p)
            if isinstance(p, Mapping) and "name" in p and "in" in p:
                loc = (
                    location(source, i)
                    if source != "parameters"
                    else location(where.rsplit(".", 1)[0], "parameters", i)
                )
                merged[(str(p["name"]), str(p["in"]))] = (p, loc)
    return list(merged.values())


def _match_path_template(path: str, candidates: list[Candidate], where: str, diags: Diagnostics) -> list[Candidate]:
    """Make the path parameters and the ``{variables}`` of the path agree.

    A variable without a parameter becomes a required string argument (else the
    request would go out with a literal ``{id}``); a path parameter that is not in
    the template is left out (its value could go nowhere). Both are warnings.
    """
    variables = TEMPLATE_VAR.findall(path)
    declared = {c.native for c in candidates if c.location == "path"}
    out = []
    for c in candidates:
        if c.location == "path" and c.native not in variables:
            diags.warning(c.where, f"path parameter {c.native!r} is not in the path {path!r}; parameter left out")
            continue
        out.append(c)
    for name in variables:
        if name not in declared:
            declared.add(name)
            also = [c.location for c in out if c.native == name]
            note = f" (the {also[0]} parameter of that name is sent as well)" if also else ""
            diags.warning(where, f"path variable {{{name}}} has no path parameter; added as a required string{note}")
            out.append(
                Candidate(
                    name,
                    "path",
                    where,
                    {"schema": {"type": "string"}, "required": True, "description": "", "encoding": "plain"},
                )
            )
    return out


def parameter_candidates(
    doc: Document, p: Mapping[str, Any], where: str, diags: Diagnostics
) -> tuple[list[Candidate], list[tuple[str, ...]]] | None:
    """The candidates one parameter becomes, and its "exactly one of" groups (wire names).

    ``([], [])`` when the parameter is left out; ``None`` when the operation must be
    skipped. Every refusal is reported as a located warning.
    """
    name, pin = str(p["name"]), str(p["in"])
    required = bool(p.get("required")) or pin == "path"

    def refuse(why: str) -> None:
        if required:
            diags.warning(where, f"required {pin} parameter {name!r}: {why}; operation skipped")
        else:
            diags.warning(where, f"{pin} parameter {name!r}: {why}; parameter left out")

    if pin not in ("path", "query", "header", "cookie"):
        diags.warning(where, f"parameter location {pin!r} is not supported; operation skipped")
        return None
    if pin == "header" and name.lower() in IGNORED_HEADERS:
        diags.warning(where, f"header parameter {name!r} is ignored (OpenAPI: the client sets {name} itself)")
        return [], []
    style = str(p.get("style") or ("form" if pin in ("query", "cookie") else "simple"))
    base = {
        "required": required,
        "description": p.get("description", ""),
        # only query arrays and objects read it; "form" unless said otherwise, as before
        "explode": bool(p.get("explode", p.get("style", "form") == "form")),
        "allow_reserved": pin == "query" and p.get("allowReserved") is True,
    }
    content = p.get("content")
    if p.get("schema") is None and isinstance(content, Mapping) and content:
        media, spec = next(iter(content.items()))
        if "json" not in str(media):
            refuse(f"content {media!r} is not supported")
            return None if required else ([], [])
        schema = (spec or {}).get("schema", {}) if isinstance(spec, Mapping) else {}
        return [Candidate(name, pin, where, {**base, "schema": schema, "encoding": "json"})], []
    schema = p.get("schema") or {}
    kind = shape(doc, schema)

    def plain(sent: Any = schema, style: str = "") -> tuple[list[Candidate], list[tuple[str, ...]]]:
        payload = {**base, "schema": sent, "encoding": "plain", "style": style}
        return [Candidate(name, pin, where, payload)], []

    if pin == "query":
        return _query_candidates(doc, p, schema, kind, style, base, where, refuse, plain, diags)
    if pin in ("path", "header"):
        return _styled_candidates(doc, p, schema, kind, style, base, where, refuse, diags)
    if kind in ("scalar", "any"):
        kept = _scalar_branches(doc, schema, f"{pin} parameter {name!r}", where, diags)
        if kept is None:
            refuse("no branch of its schema is a scalar")
            return None if required else ([], [])
        return plain(kept)
    refuse(f"{'an array' if kind == 'array' else 'an object'} in the {pin} with style {style!r} is not supported")
    return None if required else ([], [])


# The styles OpenAPI gives a path and a header parameter, all sent by the runtime (``serialize.styled``).
PATH_STYLES = ("simple", "label", "matrix")


def _styled_candidates(
    doc: Document,
    p: Mapping[str, Any],
    schema: Any,
    kind: str,
    style: str,
    base: Mapping[str, Any],
    where: str,
    refuse: Callable[[str], None],
    diags: Diagnostics,
) -> tuple[list[Candidate], list[tuple[str, ...]]] | None:
    """A path or header parameter: one argument, a scalar, array or object of scalars sent
    in its style; a union keeps the branches the style can send."""
    name, pin, required = str(p["name"]), str(p["in"]), bool(base["required"])
    allowed = PATH_STYLES if pin == "path" else ("simple",)
    if style not in allowed:
        refuse(f"{pin} style {style!r} is not supported (OpenAPI gives a {pin} {', '.join(allowed)})")
        return None if required else ([], [])
    kept, dropped = encodable(doc, schema, style)
    if kept is None:
        refuse("; ".join(dict.fromkeys(why for _, why in dropped)))
        return None if required else ([], [])
    for suffix, why in dropped:
        diags.warning(f"{where}.schema{suffix}", f"{pin} parameter {name!r}: {why}; left out of the tool's schema")
    # a scalar ignores ``explode``; an array or object reads it (false unless the document says so)
    explode = base["explode"] if kind == "scalar" else bool(p.get("explode", False))
    payload = {
        **base,
        "explode": explode,
        "schema": kept,
        "encoding": "plain",
        "style": "" if style == "simple" else style,
    }
    return [Candidate(name, pin, where, payload)], []


def _scalar_branches(doc: Document, schema: Any, what: str, where: str, diags: Diagnostics) -> Any | None:
    """``schema`` without the union branches a path, header or cookie value cannot be
    (objects and arrays), each left out with a warning; None when none is left."""
    node = doc.resolve(schema)
    for key in ("anyOf", "oneOf"):
        branches = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(branches, list) and branches:
            kept = []
            for i, branch in enumerate(branches):
                if shape(doc, branch) in ("scalar", "any"):
                    kept.append(branch)
                else:
                    diags.warning(f"{where}.schema.{key}[{i}]", f"{what}: only scalars are sent here; left out")
            return None if not kept else ({**node, key: kept} if len(kept) < len(branches) else schema)
    return schema


def _query_candidates(
    doc: Document,
    p: Mapping[str, Any],
    schema: Any,
    kind: str,
    style: str,
    base: Mapping[str, Any],
    where: str,
    refuse: Callable[[str], None],
    plain: Callable[[Any, str], tuple[list[Candidate], list[tuple[str, ...]]]],
    diags: Diagnostics,
) -> tuple[list[Candidate], list[tuple[str, ...]]] | None:
    """A query parameter: expanded into its properties, or one argument sent by its style."""
    name, required = str(p["name"]), bool(base["required"])
    sent_style = "" if style == "form" or kind == "scalar" else style  # "": the runtime's default
    if kind == "object" and (style == "deepObject" or (style == "form" and base["explode"])):
        expanded = _expanded(doc, name, schema, style == "deepObject", base, where)
        if expanded is not None:
            return expanded
    if style not in STYLES:
        refuse(f"query style {style!r} is not supported")
        return None if required else ([], [])
    kept, dropped = encodable(doc, schema, style)
    if kept is None:
        refuse("; ".join(dict.fromkeys(why for _, why in dropped)))
        return None if required else ([], [])
    for suffix, why in dropped:
        diags.warning(f"{where}.schema{suffix}", f"query parameter {name!r}: {why}; left out of the tool's schema")
    return plain(kept, sent_style)


# The styles the runtime's encoder sends (``runtime/serialize``).
STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def encodable(doc: Document, schema: Any, style: str) -> tuple[Any | None, list[tuple[str, str]]]:
    """What of ``schema`` a query parameter or urlencoded form field can send in ``style``.

    Returns the schema to advertise and the parts left out, as ``(location suffix,
    why)``: a union keeps the branches the style can send (Stripe's ``created``:
    an integer, or an object of scalar bounds, under ``deepObject``) and loses the
    others; ``None`` when nothing can be sent. The runtime encodes a value by the
    branch it matches (``runtime/serialize``) and refuses what slipped through.
    """
    node = doc.resolve(schema)
    if not isinstance(node, Mapping):
        return schema, []
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list) and branches:
            kept, dropped = [], []
            for i, branch in enumerate(branches):
                why = _style_problem(doc, branch, style)
                if why is None:
                    kept.append(branch)
                else:
                    dropped.append((f".{key}[{i}]", why))
            if not kept:
                return None, dropped
            return ({**node, key: kept} if dropped else schema), dropped
    why = _style_problem(doc, schema, style)
    return (None, [("", why)]) if why else (schema, [])


def _style_problem(doc: Document, schema: Any, style: str) -> str | None:
    """Why a value of ``schema`` (one branch) cannot be sent in ``style``, or None."""
    kind = shape(doc, schema)
    node = doc.resolve(schema)
    if kind == "array":
        if style == "deepObject":
            return "an array has no deepObject form"
        if shape(doc, node.get("items", {})) not in ("scalar", "any"):
            return "an array of objects or arrays has no standard form"
        return None
    if kind == "object":
        values = _member_schemas(doc, node)
        if values is None or any(shape(doc, v) not in ("scalar", "any") for v in values):
            return f"an object with nested objects or arrays has no {style} form"
    return None


def _member_schemas(doc: Document, node: Mapping[str, Any]) -> list[Any] | None:
    """The schemas of an object's values (declared and additional); None for ``allOf``
    and other compositions this check does not follow."""
    if any(k in node for k in ("allOf", "anyOf", "oneOf")):
        return None
    values = list((node.get("properties") or {}).values())
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        values.append(extra)
    return values


def _expanded(
    doc: Document, name: str, schema: Any, deep: bool, base: Mapping[str, Any], where: str
) -> tuple[list[Candidate], list[tuple[str, ...]]] | None:
    """An object of fixed scalar properties as one argument per property
    (``user_id=1``, or ``filter[user_id]=1`` for deepObject); None when it has no such form."""
    flat = flat_object(doc, schema)
    if flat is None:
        return None
    props, prop_required, branches = flat
    if deep and any(shape(doc, sub) == "array" for sub in props.values()):
        return None
    required = bool(base["required"])
    out: list[Candidate] = []
    for prop, sub in props.items():
        wire = f"{name}[{prop}]" if deep else str(prop)
        sub_desc = doc.resolve(sub).get("description", "") if isinstance(doc.resolve(sub), Mapping) else ""
        text = f"Part of the `{name}` query object" + (f": {sub_desc}" if sub_desc else ".")
        out.append(
            Candidate(
                wire,
                "query",
                f"{where}.schema.properties.{prop}",
                {
                    "required": required and prop in prop_required,
                    "description": text,
                    "explode": True,
                    "allow_reserved": base["allow_reserved"],
                    "schema": sub,
                    "encoding": "plain",
                },
            )
        )
    groups: list[tuple[str, ...]] = []
    if required and branches and all(len(b) == 1 for b in branches):
        names = {f"{name}[{b[0]}]" if deep else b[0] for b in branches}
        groups.append(tuple(c.native for c in out if c.native in names))
    return out, groups
