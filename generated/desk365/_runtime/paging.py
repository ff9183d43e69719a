# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Where the next page starts: one rule for tool results and the typed clients' iterators.

A curated list operation says how it pages (an :class:`~.spec.Paging` on its
:class:`~.spec.OperationSpec`): an item ``offset`` argument, or a ``cursor`` the
answer hands back (Intercom's ``pages.next.starting_after``). From the raw answer
to one call, :func:`next_arguments` works out the arguments that change for the
next call, or None on the last page:

* a cursor found at ``paging.next`` is the next position; none found: the end;
* an offset list whose answer carries a next-page URL (Desk365's ``next_page``)
  takes the offset from the URL's query; no URL: the end;
* an offset list that says nothing continues at offset + page size while a page
  comes back full (the size argument given, else the page size the API uses).

The MCP host says the result as ``has_more`` and ``next`` (``results``); the typed
clients' ``*_pages`` methods (:func:`pages`, :func:`async_pages`) follow it
through every page, with the page-size rules of the method they page: the same
arguments, only the position changes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import parse_qsl, urlsplit

from .interpret import parse_model
from .spec import OperationSpec, Paging

if TYPE_CHECKING:
    from .http import AsyncClient, SyncClient

__all__ = ["async_pages", "change", "get_path", "next_arguments", "next_url", "offset_of", "page_size", "pages"]

P = TypeVar("P")


def get_path(data: Any, path: str) -> Any:
    """The member at dotted ``path`` of ``data`` (None when any step is missing)."""
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def next_url(paging: Paging, data: Any) -> bool:
    """Whether the answer's ``next`` member is a next-page URL (which ``next`` restates)."""
    return bool(paging.next) and "://" in str(get_path(data, paging.next or "") or "")


def next_arguments(paging: Paging, data: Any, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
    """The arguments that change for the page after ``data`` (the answer to a call with
    ``arguments``): ``{"offset": "30"}``, ``{"starting_after": "..."}``; a dotted
    argument (a body member) comes whole, with the call's other members. None: the last page."""
    position: Any = _next_position(paging, data)
    if position is None and paging.style == "offset" and not paging.next:
        items = get_path(data, paging.items) if paging.items else None
        size = page_size(paging, arguments)
        if isinstance(items, list) and size is not None and len(items) >= size > 0:
            position = offset_of(paging, arguments) + size
    if position is None:
        return None
    return change(paging.argument, position, arguments, paging.text)


def offset_of(paging: Paging, arguments: Mapping[str, Any]) -> int:
    """The item offset a call starts at (0 when not given)."""
    return _number(get_path(arguments, paging.argument))


def page_size(paging: Paging, arguments: Mapping[str, Any]) -> int | None:
    """The page size of a call: its size argument, else the API's default."""
    given = get_path(arguments, paging.size_argument) if paging.size_argument else None
    return _number(given) or paging.size


def change(path: str, value: Any, arguments: Mapping[str, Any], text: bool) -> dict[str, Any]:
    """The argument at dotted ``path`` set to ``value`` (a string when ``text``), as the
    top-level argument to send: a body object's member comes with the object's others."""
    value = str(value) if text else (int(value) if str(value).isdigit() else value)
    head, _, rest = path.partition(".")
    if not rest:
        return {head: value}
    current = _plain(arguments.get(head))
    return {head: {**current, **change(rest, value, current, text)}}


def _plain(value: Any) -> dict[str, Any]:
    """A body object given as a mapping or a typed model, as a dict of the members set."""
    if isinstance(value, Mapping):
        return dict(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        dumped = dump(by_alias=True, exclude_none=True, mode="json")
        return dict(dumped) if isinstance(dumped, Mapping) else {}
    return {}


def _next_position(paging: Paging, data: Any) -> Any:
    if not paging.next:
        return None
    found = get_path(data, paging.next)
    if found is None or found == "":
        return None
    if paging.style == "offset" and isinstance(found, str) and "://" in found:
        return dict(parse_qsl(urlsplit(found).query)).get(paging.argument.rsplit(".", 1)[-1])
    return found


def _number(value: Any) -> int:
    try:
        return int(str(value)) if value is not None and value != "" else 0
    except ValueError:
        return 0


# -- the typed clients' iterators ---------------------------------------------------------


def pages(client: SyncClient, op: OperationSpec, arguments: Mapping[str, Any], model: type[P] | None) -> Iterator[P]:
    """Every page of ``op`` from ``arguments`` on, each parsed as ``model`` (None: as it came)."""
    paging = _paging_of(op)
    args = dict(arguments)
    seen: set[str] = set()
    while True:
        data = client._call(op, args)
        yield data if model is None else parse_model(data, cast(Any, model))
        step = _step(paging, data, args, seen)
        if step is None:
            return
        args = step


async def async_pages(
    client: AsyncClient, op: OperationSpec, arguments: Mapping[str, Any], model: type[P] | None
) -> AsyncIterator[P]:
    """The asynchronous :func:`pages`."""
    paging = _paging_of(op)
    args = dict(arguments)
    seen: set[str] = set()
    while True:
        data = await client._call(op, args)
        yield data if model is None else parse_model(data, cast(Any, model))
        step = _step(paging, data, args, seen)
        if step is None:
            return
        args = step


def _paging_of(op: OperationSpec) -> Paging:
    if op.paging is None:
        raise TypeError(f"{op.name} does not page")
    return op.paging


def _step(paging: Paging, data: Any, args: dict[str, Any], seen: set[str]) -> dict[str, Any] | None:
    """The next call's arguments, or None at the end (or when a position repeats: an API
    that hands back the same cursor would otherwise be followed for ever)."""
    items = get_path(data, paging.items) if paging.items else None
    if isinstance(items, list) and not items:
        return None
    changed = next_arguments(paging, data, args)
    if changed is None:
        return None
    position = repr(get_path(changed, paging.argument))
    if position in seen:
        return None
    seen.add(position)
    return {**args, **changed}
