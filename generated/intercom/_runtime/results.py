# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Tool results shaped for the model that reads them.

A model pays for every byte of a result in its context window, and many clients
cap a result near 25,000 tokens. So a successful answer is not sent as the raw
upstream body but as its *view*, decided per tool by the generator (a
:class:`~.spec.View`) and applied here, in this order:

1. **Compact.** Every member of every object whose value is null or empty
   (``None``, ``""``, ``[]``, ``{}``) is dropped: in a helpdesk ticket a third of the
   bytes are such members, and "absent" tells a model what "null" does. List items
   stay, in order; their own members are compacted.
2. **Write tools confirm.** A create, update, reply or delete answers with the
   identifiers the next call needs (``keep``) and the short members the call itself
   set (a new status, not the reply's text), not the whole object echoed back.
3. **Read tools project.** Members the curated document marks bulky (``omit``: a
   conversation's raw parts, which its timeline already holds in order) are left
   out unless asked for. The ``fields`` argument asks for exactly some members
   (``ticket_number,subject``; a dotted name reaches inside, and on a list a name
   applies to each item, whose identifiers are always kept) or for everything
   (``*``).
4. **Paging as arguments.** A paged list says ``has_more`` and, when there is
   more, ``next``: the exact arguments to change in the next call
   (``{"offset": "30"}``, ``{"starting_after": "..."}``), instead of leaving the
   model to work them out of a URL or a nested cursor.
5. **A budget.** A result whose text is over ``budget`` bytes is cut by whole items
   of its list, never mid-JSON; ``truncated`` says how many were left out and the
   arguments that get them.

The structured content and the text carry the same data (:func:`to_text`, compact
JSON). Tools' output schemas are written for it: members are typed without
``null`` (see ``generator.loosen.loosen``), and the members this module adds are
declared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .paging import change, next_arguments, next_url, offset_of
from .spec import Paging, View

__all__ = ["ALL_FIELDS", "DEFAULT_BUDGET_TOKENS", "compact", "fields_problem", "shape", "shaped", "to_text"]

ALL_FIELDS = "*"
DEFAULT_BUDGET_TOKENS = 8000
"""The default result budget, in tokens (a token is about 4 bytes of JSON)."""
_IDENTIFIER = re.compile(r"^(id|number|type)$|_(id|number)$")
_ECHO = 80  # a member the call set is confirmed when it is short (a status, not a reply's body)


def to_text(value: Any) -> str:
    """The compact JSON text of ``value``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compact(value: Any) -> Any:
    """``value`` without null or empty object members, at every depth."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = compact(item)
            if item is None or (isinstance(item, str | list | dict) and not item):
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def fields_problem(value: Any) -> str | None:
    """Why a ``fields`` argument cannot be read, or None: a comma-separated string of
    member names or a list of them."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return 'must be member names, comma-separated ("ticket_number,subject") or a list of them, or "*" for all'


def shape(
    view: View, data: Any, arguments: Mapping[str, Any], budget: int | None = None, paging: Paging | None = None
) -> Any:
    """The view of a successful (already transformed) answer, as the tool's ``view`` says;
    ``budget`` is the largest text, in bytes, a result may have; ``paging``, how the
    operation pages (``paging``)."""
    return shaped(view, data, arguments, budget, paging)[0]


def shaped(
    view: View, data: Any, arguments: Mapping[str, Any], budget: int | None = None, paging: Paging | None = None
) -> tuple[Any, str]:
    """:func:`shape`, and the view's text (:func:`to_text`): measuring it against the budget
    already made it, and a page of results is worth encoding once."""
    if not isinstance(data, dict):
        data = compact(data)
        return data, to_text(data)
    data = compact(data)
    if view.write:
        wanted = set(view.keep) | {name for name, value in arguments.items() if value is not None}
        confirmation = {
            key: value
            for key, value in data.items()
            if key in view.keep or (key in wanted and len(to_text(value)) <= _ECHO)
        }
        data = confirmation or data
        return data, to_text(data)
    names = _names(arguments.get(view.fields)) if view.fields else None
    raw = data
    if paging is not None and paging.next and next_url(paging, data):
        data = _without(data, paging.next)  # a next-page URL: ``next`` below says it as arguments
    if names is None:
        for path in view.omit:
            data = _without(data, path, items=view.items)
    elif names != [ALL_FIELDS]:
        data = _project(data, names, view.items)
    if paging is not None:
        data = _paged(data, raw, paging, arguments)
    if budget is not None:
        return _within(data, view, paging, arguments, budget)
    return data, to_text(data)


# -- projection ---------------------------------------------------------------------------


def _names(value: Any) -> list[str] | None:
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = [p.strip() for p in parts if p.strip()]
    return names or None


def _without(data: dict[str, Any], path: str, items: str | None = None) -> dict[str, Any]:
    """``data`` without the member at dotted ``path``; a path that names no top-level
    member applies to each item of the ``items`` list."""
    head, _, rest = path.partition(".")
    if head not in data and items and isinstance(data.get(items), list):
        return {**data, items: [_without(i, path) if isinstance(i, dict) else i for i in data[items]]}
    if head not in data:
        return data
    if not rest:
        return {k: v for k, v in data.items() if k != head}
    inner = data[head]
    if isinstance(inner, dict):
        return {**data, head: _without(inner, rest)}
    if isinstance(inner, list):
        return {**data, head: [_without(i, rest) if isinstance(i, dict) else i for i in inner]}
    return data


def _project(data: dict[str, Any], names: list[str], items: str | None) -> dict[str, Any]:
    """Only the named members (dotted names reach inside; on a list tool a name that is
    not a top-level member selects inside each item, whose identifiers are kept)."""
    top: dict[str, list[str]] = {}
    inner: list[str] = []
    for name in names:
        head, _, rest = name.partition(".")
        if head in data:
            top.setdefault(head, []).append(rest)
        elif items:
            inner.append(name)
    listed = data.get(items) if items else None
    heads = {name.partition(".")[0] for name in inner}
    inner_found = isinstance(listed, list) and any(isinstance(i, dict) and heads & set(i) for i in listed)
    if not top and not inner_found:
        return data  # no name matches a member: the whole result, rather than nothing
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in top:
            rests = [r for r in top[key] if r]
            out[key] = _select(value, rests) if rests and len(rests) == len(top[key]) else value
        elif key == items and inner:
            out[key] = [_select(i, inner, keep_ids=True) if isinstance(i, dict) else i for i in value]
    return out


def _select(value: Any, names: list[str], keep_ids: bool = False) -> Any:
    if isinstance(value, list):
        return [_select(v, names, keep_ids) for v in value]
    if not isinstance(value, dict):
        return value
    heads: dict[str, list[str]] = {}
    for name in names:
        head, _, rest = name.partition(".")
        heads.setdefault(head, []).append(rest)
    out = {}
    for key, item in value.items():
        if key in heads:
            rests = [r for r in heads[key] if r]
            out[key] = _select(item, rests) if rests and len(rests) == len(heads[key]) else item
        elif keep_ids and _IDENTIFIER.search(key) and not isinstance(item, dict | list):
            out[key] = item
    return out


# -- paging -------------------------------------------------------------------------------


def _paged(data: dict[str, Any], raw: dict[str, Any], paging: Paging, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with ``has_more`` and, when there is more, ``next`` (from the ``raw`` answer)."""
    changed = next_arguments(paging, raw, arguments)
    if changed is None:
        return {**data, "has_more": False}
    return {**data, "has_more": True, "next": changed}


# -- the budget ---------------------------------------------------------------------------


def _within(
    data: dict[str, Any], view: View, paging: Paging | None, arguments: Mapping[str, Any], budget: int
) -> tuple[dict[str, Any], str]:
    """``data`` cut by whole items of its list until its text fits ``budget`` bytes, and that text.

    ``truncated`` says how many items were left out and how to get them: on an offset
    list ``next`` then continues right after the last item shown; on a cursor list a
    cursor cannot point inside a page, so ``next`` is dropped (following it would skip
    the cut items) and ``retry_with`` gives the page size that fits, for the same call."""
    text = to_text(data)
    size = len(text.encode())
    if size <= budget:
        return data, text
    key = view.items if view.items and isinstance(data.get(view.items), list) else _largest_list(data)
    if key is None:
        return data, text
    items: list[Any] = data[key]
    fixed = size - len(to_text(items).encode())
    kept, used = 0, 2
    for item in items:
        cost = len(to_text(item).encode()) + 1
        if fixed + used + cost + 300 > budget:  # room for the ``truncated`` note
            break
        kept, used = kept + 1, used + cost
    out: dict[str, Any] = {k: v for k, v in data.items() if k != "next"}
    out[key] = items[:kept]
    note: dict[str, Any] = {"items_left_out": len(items) - kept, "of": len(items)}
    if paging is not None and paging.style == "offset":
        start = offset_of(paging, arguments)
        out["has_more"], out["next"] = True, change(paging.argument, start + kept, arguments, paging.text)
        note["how"] = "call again with `next`: it continues after the last item shown"
    elif paging is not None and paging.size_argument and kept:
        note["retry_with"] = change(paging.size_argument, kept, arguments, False)
        note["how"] = "repeat this call with `retry_with` (a page that fits), then follow its `next`"
    else:
        note["how"] = f"ask for fewer members with `{view.fields or 'fields'}`"
    out["truncated"] = note
    return out, to_text(out)


def _largest_list(data: dict[str, Any]) -> str | None:
    lists = [(len(to_text(v)), k) for k, v in data.items() if isinstance(v, list) and v]
    return max(lists)[1] if lists else None
