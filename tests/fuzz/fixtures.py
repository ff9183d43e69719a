"""Identifiers the mock knows, so that positive cases also reach the success path.

Random identifiers almost always name nothing, and a fuzz run that only ever sees
404s never checks a structured result. Each operation's ``x-tool.ids`` says where
an identifier comes from (``list_all_desk_365_tickets`` (each item's
``ticket_number``)); :class:`Fixtures` calls every GET operation of the mock that
needs no argument once, on freshly seeded state, and pools the values of each
field per tool. :func:`use_known_ids` then replaces, in about half of the positive
cases, each identifier with one drawn from its pool, keeping the case valid
against the document (a replacement the document would reject is not made).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import strategies as st

from .document import value_problems
from .targets import Target, targets

__all__ = ["Fixtures", "use_known_ids"]


def _collect(node: Any, field: str, out: list[Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == field:
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str | int) and not isinstance(v, bool) and v not in out:
                        out.append(v)
            _collect(value, field, out)
    elif isinstance(node, list):
        for item in node:
            _collect(item, field, out)


class Fixtures:
    """The answers of the mock's argument-free GET operations, by tool name."""

    def __init__(self, session: Any, api: str) -> None:
        self.answers: dict[str, Any] = {}
        all_targets = targets(api)
        session.reset()
        headers = {"Authorization": all_targets[0].api.authorization}
        for target in all_targets:
            headers.update({p.name: str(p.schema["default"]) for p in target.params if p.hidden})
        with httpx.Client(transport=session.app.sync_transport(), base_url=session.base_url) as http:  # closes it
            for target in all_targets:
                needs = [p for p in target.params if p.required and not p.hidden]
                if target.method != "GET" or needs:
                    continue
                response = http.get(target.path, headers=headers)
                if response.status_code == 200 and "json" in response.headers.get("content-type", ""):
                    self.answers[target.tool.name] = response.json()
        session.reset()

    def pool(self, tools: tuple[str, ...], field: str) -> list[Any]:
        out: list[Any] = []
        for tool in tools:
            if tool in self.answers:
                _collect(self.answers[tool], field, out)
                if not out and field != "id":
                    _collect(self.answers[tool], "id", out)
        if not out:  # the source needs arguments: any argument-free answer with that field
            for answer in self.answers.values():
                _collect(answer, field, out)
        return out


def _like(value: Any, example: Any) -> Any:
    if isinstance(example, int) and not isinstance(example, bool) and isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(example, str) and isinstance(value, int):
        return str(value)
    return value


def use_known_ids(target: Target, case: Any, data: Any, fixtures: Fixtures) -> list[str]:
    """Replace identifiers in ``case`` with known ones (in place); returns what changed."""
    changed = []
    for argument, tools, field in target.ids:
        pool = fixtures.pool(tools, field)
        if not pool:
            continue
        value = data.draw(st.sampled_from(pool), label=f"known {argument}")
        for location, holder in (("path", case.path_parameters), ("query", case.query)):
            param = target.param(location, argument)
            if param is None or holder is None:
                continue
            current = holder.get(argument)
            typed = _like(
                value, current if current is not None else (0 if param.schema.get("type") == "integer" else "")
            )
            if value_problems(param.schema, typed, target):
                continue
            holder[argument] = quote(typed, safe="") if location == "path" and isinstance(typed, str) else typed
            changed.append(f"{location} {argument}")
        body = case.body
        if isinstance(body, dict) and argument in body and not isinstance(body[argument], dict | list):
            candidate = {**body, argument: _like(value, body[argument])}
            if target.body_schema is not None and not value_problems(target.body_schema, candidate, target):
                case.body = candidate
                changed.append(f"body {argument}")
    return changed
