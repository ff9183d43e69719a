# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Intercom's search query rules, checked before a search is sent.

Intercom's search endpoints (conversations, tickets, contacts) take a query that
is one filter ``{field, operator, value}`` or an ``AND`` / ``OR`` group whose
``value`` lists filters and groups. Intercom allows at most two levels of
groups (a group, and groups directly inside it that hold only filters) and at
most 15 items per group, and it answers a broken query with a terse 400.

The curated document's bounded schema already refuses such queries, but a
schema error on a ``oneOf`` says "matches none of the allowed shapes"; this
check names the rule instead ("groups nest at most 2 levels", "at most 15
filters per group", "IN takes an array"). It runs in the tool's argument
validation and in the typed client before anything is sent (the
``search_query`` check of ``x-tool.checks``; this module is a quirk plug-in,
see ``hooks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .spec import Check, Transform

__all__ = ["CHECKS", "MAX_GROUP_DEPTH", "MAX_GROUP_ITEMS", "TRANSFORMS", "search_query_problems"]

MAX_GROUP_DEPTH = 2
MAX_GROUP_ITEMS = 15
_GROUP_OPERATORS = ("AND", "OR")
_ARRAY_OPERATORS = ("IN", "NIN")


def search_query_problems(query: Any, name: str = "query") -> list[str]:
    """Every broken Intercom search rule in ``query``, as messages; empty when it is fine.

    Only the rules are checked here (nesting depth, group size, array values for
    ``IN`` / ``NIN``); the shape of each filter is left to the schema.
    """
    problems: list[str] = []
    _walk(query, name, 0, problems)
    return problems


def _walk(node: Any, where: str, depth: int, problems: list[str]) -> None:
    if not isinstance(node, Mapping):
        return
    operator = node.get("operator")
    value = node.get("value")
    if operator in _GROUP_OPERATORS:
        depth += 1
        if depth > MAX_GROUP_DEPTH:
            problems.append(
                f"{where} is an {operator} group nested {depth} levels deep; Intercom search allows at most "
                f"{MAX_GROUP_DEPTH} levels of AND/OR groups (a group inside the top-level group may hold only "
                "filters); flatten the query"
            )
            return
        if isinstance(value, list):
            if len(value) > MAX_GROUP_ITEMS:
                problems.append(
                    f"{where}.value holds {len(value)} filters; Intercom search allows at most {MAX_GROUP_ITEMS} "
                    "filters per AND/OR group; split it into nested groups or narrow the query"
                )
            for i, item in enumerate(value):
                _walk(item, f"{where}.value[{i}]", depth, problems)
        return
    if operator in _ARRAY_OPERATORS and "value" in node and not isinstance(value, list):
        problems.append(f"{where}.value must be an array for operator {operator}; got {type(value).__name__}")
    elif isinstance(operator, str) and operator not in _ARRAY_OPERATORS and isinstance(value, list):
        problems.append(f"{where}.value must not be an array for operator {operator!r}; use IN or NIN for a list")


CHECKS: dict[str, Check] = {"search_query": search_query_problems}
TRANSFORMS: dict[str, Transform] = {}
"""The plug-in's contributions, by the names a curated document uses."""
