"""Arguments: parameters and body properties -> one flat argument list.

A tool takes one flat JSON object and a client method one set of keyword
arguments, so the path, query, header and cookie parameters and the body's
top-level properties must share one name space. The collision policy, the same
for the Python signature and the tool schema:

1. body (and form / file) properties keep their names;
2. a parameter whose name is also used in another location gets a location
   suffix (``id`` in the path and in the body -> ``id_path`` and ``id``);
3. a name that is not a portable JSON-Schema key is normalised to snake case
   (``名前``, which has no ASCII letters, becomes ``arg_<hash>``); a Python keyword,
   or a name generated modules use themselves, gets a trailing underscore in the
   Python name only;
4. a clash that remains after that fails generation of a curated operation,
   naming both sources; in an uncurated one the later argument gets a short hash
   of its location and name (``name_query_1a2b3c``), with a warning.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics
from .load import Document
from .naming import arg_name, py_arg_name, py_identifier, with_hash
from .schema import flat_object, shape

__all__ = ["Candidate", "assign_names", "parameter_candidates", "IGNORED_HEADERS"]


@dataclass(frozen=True)
class Candidate:
    """An argument before naming: its native name, location and where it came from."""

    native: str
    location: str
    where: str
    payload: Mapping[str, Any]


_BODY_LOCATIONS = ("body", "form", "file", "whole")
# OpenAPI: header parameters with these names are ignored; the runtime sets them.
IGNORED_HEADERS = frozenset({"content-type", "authorization"})


def assign_names(
    candidates: list[Candidate], diags: Diagnostics, *, strict: bool = True
) -> list[tuple[Candidate, str, str]]:
    """Apply the collision policy; returns ``(candidate, tool_name, py_name)``.

    A clash left over is an error when ``strict`` (curated operations); otherwise
    the later argument is renamed with a hash, and a warning says so.
    """
    locations_by_native: dict[str, set[str]] = {}
    for c in candidates:
        locations_by_native.setdefault(c.native, set()).add(c.location)
    named: list[tuple[Candidate, str, str]] = []
    for c in candidates:
        name = c.native
        if len(locations_by_native[c.native]) > 1 and c.location not in _BODY_LOCATIONS:
            name = f"{c.native}_{c.location}"
        named.append((c, arg_name(name), py_arg_name(name)))
    # Normalisation can merge distinct names (``dry-run`` and ``dry_run``): suffix
    # the parameter side by location, as for a native clash.
    for index in _clashes(named):
        c, tool, py = named[index]
        if c.location in _BODY_LOCATIONS:
            # Body properties keep their names: the parameter it meets takes the suffix.
            index = next(
                (
                    i
                    for i, (o, t, p) in enumerate(named[:index])
                    if (t == tool or p == py) and o.location not in _BODY_LOCATIONS
                ),
                index,
            )
            c, tool, py = named[index]
        if c.location not in _BODY_LOCATIONS and not tool.endswith(f"_{c.location}"):
            named[index] = (c, arg_name(f"{tool}_{c.location}"), py_identifier(f"{py}_{c.location}"))
    for index in _clashes(named):
        c, tool, py = named[index]
        others = [o.where for o, t, p in named if o is not c and (t == tool or p == py)]
        if not others:  # an earlier rename settled it
            continue
        if strict:
            diags.error(c.where, f"argument name {tool!r} clashes with {', '.join(others)}; rename one of them")
            continue
        salt = f"{c.location} {c.native}"
        while any(t == tool or p == py for o, t, p in named if o is not c):
            tool, py = with_hash(tool, salt), with_hash(py, salt, limit=200)
            salt += "'"
        named[index] = (c, tool, py)
        diags.warning(c.where, f"argument name clashes with {', '.join(others)}; named {tool!r}")
    return named


def _clashes(named: list[tuple[Candidate, str, str]]) -> list[int]:
    seen_tool: dict[str, int] = {}
    seen_py: dict[str, int] = {}
    out: list[int] = []
    for i, (_, tool, py) in enumerate(named):
        if tool in seen_tool or py in seen_py:
            out.append(i)
        seen_tool.setdefault(tool, i)
        seen_py.setdefault(py, i)
    return out


# -- parameters ------------------------------------------------------------------------


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
    plain = [Candidate(name, pin, where, {**base, "schema": schema, "encoding": "plain"})], []
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
