"""Arguments: parameters and body properties -> one flat argument list.

A tool takes one flat JSON object and a client method one set of keyword
arguments, so the path, query, header and cookie parameters and the body's
top-level properties must share one name space. The collision policy, the same
for the Python signature and the tool schema:

1. body (and form / file) properties keep their names;
2. a parameter whose name is also used in another location gets a location
   suffix (``id`` in the path and in the body -> ``id_path`` and ``id``);
3. a name that is not a portable JSON-Schema key is normalised to snake case;
   a Python keyword gets a trailing underscore in the Python name only;
4. a clash that remains after that fails generation, naming both sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics
from .naming import arg_name, py_identifier

__all__ = ["Candidate", "assign_names"]


@dataclass(frozen=True)
class Candidate:
    """An argument before naming: its native name, location and where it came from."""

    native: str
    location: str
    where: str
    payload: Mapping[str, Any]


_BODY_LOCATIONS = ("body", "form", "file", "whole")


def assign_names(candidates: list[Candidate], diags: Diagnostics) -> list[tuple[Candidate, str, str]]:
    """Apply the collision policy; returns ``(candidate, tool_name, py_name)``."""
    locations_by_native: dict[str, set[str]] = {}
    for c in candidates:
        locations_by_native.setdefault(c.native, set()).add(c.location)
    named: list[tuple[Candidate, str, str]] = []
    for c in candidates:
        name = c.native
        if len(locations_by_native[c.native]) > 1 and c.location not in _BODY_LOCATIONS:
            name = f"{c.native}_{c.location}"
        named.append((c, arg_name(name), py_identifier(name)))
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
        c = named[index][0]
        others = [o.where for o, t, p in named if o is not c and (t == named[index][1] or p == named[index][2])]
        diags.error(
            c.where,
            f"argument name {named[index][1]!r} clashes with {', '.join(others)}; rename one of them in the document",
        )
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
