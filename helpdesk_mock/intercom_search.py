"""Intercom's search query object, its cursor paging, and HTML-to-text, for the mock.

A search body's ``query`` is one filter ``{field, operator, value}`` or an AND/OR group
of filters and groups (the curated document already bounds the nesting to two levels
and 15 items per group, so the core's validation refuses anything deeper). The query is
*compiled* first, against the searchable fields of one kind of object: an unknown
field, an operator the field's type does not take or a value of the wrong type fails
the whole search with Intercom's 400, whatever the data. The compiled predicate is then
run over a flat "search document" per object (``{"source.body": ..., "tag_ids": [...]}``).

Field types and the operators they take (API-FACTS A.3, A.4, A.6):

- ``string``: ``=`` ``!=`` ``IN`` ``NIN`` ``~`` ``!~`` ``^`` ``$`` (case-insensitive);
- ``words`` (``source.body``): like string, but ``=`` / ``!=`` match one whole word, so
  ``support`` finds "I need support" and ``need support`` finds nothing;
- ``id``: ``=`` ``!=`` ``IN`` ``NIN``, compared as strings (``123`` equals ``"123"``);
- ``ids`` (``tag_ids``, ``contact_ids``, ...): a list field; ``=`` means "contains";
- ``tag`` (a contact's ``tag_id``, ``segment_id``): like ids, but only ``=`` and ``!=``;
- ``integer`` and ``date`` (Unix seconds): ``=`` ``!=`` ``IN`` ``NIN`` ``>`` ``<`` ``>=``
  ``<=``; Intercom documents ``>`` / ``<`` as "greater / lower (or equal)", and so they
  are inclusive here;
- ``day`` (contact dates): matched by calendar day (UTC, the mock workspace's day):
  ``=`` the whole day, ``>`` from the next day, ``<`` before the day; nothing else;
- ``boolean``: ``=`` ``!=`` with true / false (or "true" / "false").

Cursor paging: ``starting_after`` is an opaque token naming the list and the offset of
the next page; a token from another list, or not a token at all, answers 400.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from .plugin import MockError

__all__ = ["compile_query", "cursor_page", "html_to_text", "Predicate"]

Predicate = Callable[[Mapping[str, Any]], bool]

_STRING_OPS = {"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}
_NUMBER_OPS = {"=", "!=", "IN", "NIN", ">", "<", ">=", "<="}
_OPERATORS = {
    "string": _STRING_OPS,
    "words": _STRING_OPS,
    "id": {"=", "!=", "IN", "NIN"},
    "ids": {"=", "!=", "IN", "NIN"},
    "tag": {"=", "!="},
    "integer": _NUMBER_OPS,
    "date": _NUMBER_OPS,
    "day": {"=", ">", "<"},
    "boolean": {"=", "!="},
}


def invalid(message: str, code: str = "parameter_invalid") -> MockError:
    return MockError(400, message, code)


def compile_query(query: Mapping[str, Any], field_type: Callable[[str], str | None]) -> Predicate:
    """The predicate of a query object; ``field_type`` names a field's type (None: unknown)."""
    if "field" in query:
        return _compile_filter(query, field_type)
    items = [compile_query(item, field_type) for item in query["value"]]
    if query["operator"] == "AND":
        return lambda doc: all(p(doc) for p in items)
    return lambda doc: any(p(doc) for p in items)


def _compile_filter(node: Mapping[str, Any], field_type: Callable[[str], str | None]) -> Predicate:
    name, op, value = node["field"], node["operator"], node["value"]
    kind = field_type(name)
    if kind is None:
        raise invalid(f"{name} is not a valid search field", "invalid_field")
    if op not in _OPERATORS[kind]:
        raise invalid(f"The operator {op} cannot be used with the {kind} field {name}")
    if op in ("IN", "NIN"):
        if not isinstance(value, list):
            raise invalid(f"The operator {op} needs an array value (field {name})")
        values = [_coerce(name, kind, v) for v in value]
        inside = _member(kind, values)
        return (lambda doc: inside(doc.get(name))) if op == "IN" else (lambda doc: not inside(doc.get(name)))
    if isinstance(value, list):
        raise invalid(f"The operator {op} does not take an array value (field {name})")
    target = _coerce(name, kind, value)
    test = _comparison(kind, op, target, name)
    return lambda doc: test(doc.get(name))


def _coerce(name: str, kind: str, value: Any) -> Any:
    """A filter value in the field's type, or Intercom's 400 for a value of the wrong type."""
    if value is None:
        return None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif kind in ("integer", "date", "day"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
    elif kind in ("id", "ids", "tag"):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    elif isinstance(value, str):
        return value
    raise invalid(f"The value {json.dumps(value)} is not valid for the {kind} field {name}")


def _member(kind: str, values: list[Any]) -> Callable[[Any], bool]:
    if kind == "ids":
        return lambda actual: any(v in (actual or []) for v in values)
    if kind in ("string", "words"):
        folded = [v.casefold() if isinstance(v, str) else v for v in values]
        return lambda actual: (actual.casefold() if isinstance(actual, str) else actual) in folded
    if kind == "id":
        return lambda actual: (None if actual is None else str(actual)) in values
    return lambda actual: actual in values


def _day(ts: int) -> Any:
    return datetime.fromtimestamp(ts, UTC).date()


def _comparison(kind: str, op: str, target: Any, name: str) -> Callable[[Any], bool]:
    if target is None:
        if op == "=":
            return lambda actual: actual is None or actual == []
        if op == "!=":
            return lambda actual: not (actual is None or actual == [])
        raise invalid(f"The operator {op} needs a value (field {name})")
    if kind in ("ids", "tag"):
        contains = op == "="
        return lambda actual: (target in (actual or [])) is contains
    if kind == "day":
        day = _day(target)
        if op == "=":
            return lambda actual: actual is not None and _day(actual) == day
        if op == ">":
            return lambda actual: actual is not None and _day(actual) > day
        return lambda actual: actual is not None and _day(actual) < day
    if kind in ("integer", "date"):
        compare: Callable[[Any], bool] = {
            "=": lambda a: a == target, "!=": lambda a: a != target,
            ">": lambda a: a >= target, ">=": lambda a: a >= target,
            "<": lambda a: a <= target, "<=": lambda a: a <= target,
        }[op]  # fmt: skip
        if op == "!=":
            return lambda actual: actual is None or compare(actual)
        return lambda actual: actual is not None and compare(actual)
    if kind == "id":
        if op == "=":
            return lambda actual: actual is not None and str(actual) == target
        return lambda actual: actual is None or str(actual) != target
    if kind == "boolean":
        if op == "=":
            return lambda actual: bool(actual) is target
        return lambda actual: bool(actual) is not target
    needle = target.casefold()
    if kind == "words" and op in ("=", "!="):
        single = needle.strip()
        hit: Callable[[Any], bool] = lambda actual: (  # noqa: E731
            bool(single) and " " not in single and single in _words(actual)
        )
        return hit if op == "=" else (lambda actual: not hit(actual))
    text: Callable[[Any], str] = lambda actual: (actual or "").casefold()  # noqa: E731
    return {
        "=": lambda a: a is not None and text(a) == needle,
        "!=": lambda a: text(a) != needle,
        "~": lambda a: needle in text(a),
        "!~": lambda a: needle not in text(a),
        "^": lambda a: text(a).startswith(needle),
        "$": lambda a: text(a).endswith(needle),
    }[op]


def _words(text: Any) -> set[str]:
    return set(re.findall(r"[\w'-]+", html_to_text(text or "").casefold()))


# -- cursor paging -------------------------------------------------------------------------


def _token(list_name: str, offset: int) -> str:
    raw = json.dumps([list_name, offset], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(list_name: str, token: str | None) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        name, offset = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name == list_name and isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, TypeError):
        pass
    raise invalid(f"starting_after {token!r} is not a valid cursor for this list; use pages.next.starting_after")


def cursor_page(list_name: str, items: Sequence[Any], per_page: int, starting_after: str | None
                ) -> tuple[list[Any], dict[str, Any]]:  # fmt: skip
    """One page of ``items`` and Intercom's ``pages`` object (no ``next`` on the last page)."""
    offset = _offset(list_name, starting_after)
    page = list(items[offset : offset + per_page])
    total_pages = max(1, -(-len(items) // per_page))
    pages: dict[str, Any] = {"type": "pages", "page": offset // per_page + 1, "per_page": per_page,
                             "total_pages": total_pages}  # fmt: skip
    if offset + per_page < len(items):
        pages["next"] = {"page": offset // per_page + 2, "starting_after": _token(list_name, offset + per_page)}
    return page, pages


# -- HTML to plain text ----------------------------------------------------------------------


class _TextParser(HTMLParser):
    """Plain text of an HTML fragment: blocks become lines, links ``label (url)``."""

    BLOCKS = {"p", "div", "br", "li", "ol", "ul", "h1", "h2", "h3", "h4", "blockquote", "pre", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")
        if tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f" ({href})")
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parser.out).splitlines()]
    return "\n".join(line for line in lines if line)
