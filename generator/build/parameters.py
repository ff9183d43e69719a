"""Parameters -> argument candidates: what the runtime can send, and the path template.

Before naming, :func:`parameter_candidates` decides whether the runtime can send a
parameter as the document describes it. The runtime sends scalars, arrays of
scalars in the query (``form``, exploded or comma-joined) and JSON text for
``content: application/json``. An object in the query is expanded into its
properties when its style says they travel as separate query parameters
(``form`` exploded: ``user_id=1``; ``deepObject``: ``filter[user_id]=1``); a
``oneOf`` of single properties becomes a "give exactly one of" group. Anything
else (objects in a path or header, ``pipeDelimited`` arrays, nested objects) is
refused: an optional parameter is left out, a required one skips the operation,
each with a located warning, so nothing is ever sent in a shape the API did
not ask for.

:func:`operation_parameters` merges path-level and operation-level parameters,
turns ``x-tool-hidden`` ones into constants and makes the path parameters agree
with the ``{variables}`` of the path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import Diagnostics, location
from ..ir import Constant
from ..load import Document
from ..namer import Candidate
from ..schema import flat_object, shape

__all__ = ["IGNORED_HEADERS", "TEMPLATE_VAR", "operation_parameters", "parameter_candidates"]

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
    base = {
        "required": required,
        "description": p.get("description", ""),
        "explode": p.get("explode", p.get("style", "form") == "form"),
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
    style = p.get("style") or ("form" if pin in ("query", "cookie") else "simple")
    plain: tuple[list[Candidate], list[tuple[str, ...]]] = (
        [Candidate(name, pin, where, {**base, "schema": schema, "encoding": "plain"})],
        [],
    )
    if kind in ("scalar", "any"):
        if pin == "path" and style != "simple":
            refuse(f"path style {style!r} is not supported (only simple)")
            return None
        return plain
    if kind == "array":
        item_kind = shape(doc, doc.resolve(schema).get("items", {}))
        if pin != "query":
            refuse(f"an array in the {pin} is not supported")
        elif style != "form":
            refuse(f"query style {style!r} is not supported (only form)")
        elif item_kind not in ("scalar", "any"):
            refuse("an array of objects in the query has no standard form")
        else:
            return plain
        return None if required else ([], [])
    # An object: only query styles that spread it into separate parameters work.
    deep = style == "deepObject"
    if pin != "query" or not (deep or (style == "form" and base["explode"])):
        refuse(f"an object in the {pin} with style {style!r} is not supported")
        return None if required else ([], [])
    flat = flat_object(doc, schema)
    if flat is None:
        refuse("an object without fixed scalar properties cannot be sent as query parameters")
        return None if required else ([], [])
    props, prop_required, branches = flat
    if deep and any(shape(doc, sub) == "array" for sub in props.values()):
        refuse("deepObject with array properties has no standard form")
        return None if required else ([], [])
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
