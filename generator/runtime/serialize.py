"""One encoder for parameters and urlencoded form fields: OpenAPI styles, exactly.

OpenAPI describes how a value travels in a query or an
``application/x-www-form-urlencoded`` body with the same four fields (a
parameter's, or a form property's Encoding Object): ``style``, ``explode``,
``allowReserved`` and, for a value that travels as a document of its own,
``contentType`` (here the ``json`` encoding). :func:`pairs` turns one value into
the ``name=value`` pairs those fields describe, choosing by the value itself, so
a union such as Stripe's ``created`` (an integer, or an object of bounds) is sent
as the branch it is:

======================  ==================  ========================  =======================
style, explode          scalar ``5``        array ``[a, b]``          object ``{x: 1, y: 2}``
======================  ==================  ========================  =======================
form, true (default)    ``n=5``             ``n=a&n=b``               ``x=1&y=2``
form, false             ``n=5``             ``n=a,b``                 ``n=x,1,y,2``
spaceDelimited, false   ``n=5``             ``n=a b``                 ``n=x 1 y 2``
pipeDelimited, false    ``n=5``             ``n=a|b``                 ``n=x|1|y|2``
deepObject              ``n=5``             refused                   ``n[x]=1&n[y]=2``
======================  ==================  ========================  =======================

(``spaceDelimited`` and ``pipeDelimited`` exploded are ``form`` exploded.) What
has no standard form is refused with :class:`~.errors.ArgumentError` before
anything is sent, never sent approximately: an array under ``deepObject``, a
nested object or an array inside an object, an array of objects. A ``None``
member of an object means "not given" and is left out, like a ``None`` argument.

:func:`encode_query` and :func:`encode_form` then percent-encode the pairs: the
query as RFC 3986 (only unreserved characters stay as they are), the form body
as ``application/x-www-form-urlencoded`` (a space is ``+``). The comma a style
puts between parts is not escaped, the parts are, so a comma inside a value stays
distinguishable from the delimiter (RFC 6570); the space and ``|`` delimiters are
escaped like any space or ``|`` (``%20`` or ``+``, ``%7C``), as OpenAPI 3.1.1 writes them. With
``allowReserved`` the RFC 3986 reserved characters of a value go out as they are,
except ``#``, which would end the URL's query.

Path and header values travel as one text (:func:`styled`), in the styles
OpenAPI gives them (a header: ``simple`` only; ``explode`` is false unless the
document says otherwise), with the parts escaped by the caller (a path's by RFC
3986, so a ``,`` or ``.`` inside a part stays apart from the delimiter; a
header's not at all, so a part holding the delimiter is refused):

======================  ==================  ========================  =======================
style, explode          scalar ``5``        array ``[a, b]``          object ``{x: 1, y: 2}``
======================  ==================  ========================  =======================
simple, false           ``5``               ``a,b``                   ``x,1,y,2``
simple, true            ``5``               ``a,b``                   ``x=1,y=2``
label, false            ``.5``              ``.a,b``                  ``.x,1,y,2``
label, true             ``.5``              ``.a.b``                  ``.x=1.y=2``
matrix, false           ``;n=5``            ``;n=a,b``                ``;n=x,1,y,2``
matrix, true            ``;n=5``            ``;n=a;n=b``              ``;x=1;y=2``
======================  ==================  ========================  =======================

An empty array or object has no such text (a path segment cannot be empty, and
an empty label or matrix value says nothing): it is refused, as are nested values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from .errors import ArgumentError

__all__ = ["Pair", "encode_form", "encode_query", "jsonable", "pairs", "scalar_text", "styled"]

Pair = tuple[str, tuple[str, ...], str]
"""``(name, parts, delimiter)``: the value's parts, each escaped on its own by the
encoders, and the delimiter the style puts between them (``""`` for one part)."""

_DELIMITER = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
_UNRESERVED = "-._~"
_RESERVED = ":/?[]@!$&'()*+,;="  # RFC 3986 reserved characters, less "#"


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: pydantic models dumped by alias, tuples as lists."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def scalar_text(value: Any) -> str:
    """The text of a scalar value (``true`` / ``false`` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def pairs(name: str, value: Any, *, style: str = "form", explode: bool = True, encoding: str = "plain") -> list[Pair]:
    """The pairs one query parameter or form field sends (see the module docstring).

    ``encoding`` ``json`` sends the whole value as compact JSON text (a
    ``contentType: application/json`` field, a parameter with ``content``). Raises
    :class:`ArgumentError` for a value the style cannot send exactly.
    """
    style = style or "form"
    if value is None:
        return []
    value = jsonable(value)
    if encoding == "json":
        return [(name, (json.dumps(value, ensure_ascii=False, separators=(",", ":")),), "")]
    if _is_scalar(value):
        return [(name, (scalar_text(value),), "")]
    if isinstance(value, list):
        if style == "deepObject":
            raise _refused(name, "an array has no deepObject form")
        items = [_member(name, v, "array") for v in value if v is not None]
        if explode:
            return [(name, (item,), "") for item in items]
        return [(name, tuple(items), _delimiter(name, style))] if items else []
    if isinstance(value, Mapping):
        members = [(str(k), _member(name, v, "object")) for k, v in value.items() if v is not None]
        if style == "deepObject":
            return [(f"{name}[{key}]", (text,), "") for key, text in members]
        if explode:
            return [(key, (text,), "") for key, text in members]
        flat = tuple(part for member in members for part in member)
        return [(name, flat, _delimiter(name, style))] if flat else []
    raise _refused(name, f"a {type(value).__name__} value cannot be sent as text")


_QUERY = "the query or form the API describes"
_PATH = "a path or header"


def _member(name: str, value: Any, container: str, where: str = _QUERY) -> str:
    if _is_scalar(value):
        return scalar_text(value)
    kind = "an object" if isinstance(value, Mapping) else "an array"
    inside = "an array" if container == "array" else "an object"
    raise _refused(name, f"{kind} inside {inside} has no standard form", where)


def _delimiter(name: str, style: str) -> str:
    try:
        return _DELIMITER[style]
    except KeyError:
        raise _refused(name, f"style {style!r} has no form for this value") from None


def _refused(name: str, why: str, where: str = _QUERY) -> ArgumentError:
    return ArgumentError(f"{name}: {why} in {where}; nothing was sent")


def _escape(text: str, safe: str, plus: bool) -> str:
    if plus:
        return quote(text, safe=safe + " ").replace(" ", "+")
    return quote(text, safe=safe)


def _encode(items: Sequence[tuple[Pair, bool]], plus: bool) -> str:
    out = []
    for (name, parts, delimiter), reserved in items:
        safe = _UNRESERVED + (_RESERVED if reserved else "")
        joint = _escape(delimiter, _UNRESERVED + ",", plus)  # "," stays; " " is %20 or +; "|" is %7C
        text = joint.join(_escape(part, safe, plus) for part in parts)
        out.append(f"{_escape(name, _UNRESERVED, plus)}={text}")
    return "&".join(out)


def encode_query(items: Sequence[tuple[Pair, bool]]) -> str:
    """A query string from ``(pair, allow_reserved)`` items, RFC 3986 escaped."""
    return _encode(items, plus=False)


def encode_form(items: Sequence[tuple[Pair, bool]]) -> str:
    """An ``application/x-www-form-urlencoded`` body from ``(pair, allow_reserved)`` items."""
    return _encode(items, plus=True)


_PREFIX = {"simple": "", "label": ".", "matrix": ";"}
_EXPLODED = {"simple": ",", "label": ".", "matrix": ";"}


def styled(
    name: str, wire: str, value: Any, *, style: str = "", explode: bool = False, escape: Callable[[str], str]
) -> tuple[str, list[str]]:
    """The text of a path or header value in ``style`` (see the module docstring), each part
    and the parameter's ``wire`` name passed through ``escape``; and the parts as given
    (the path's own checks read them). Raises :class:`ArgumentError` naming ``name``."""
    style = style or "simple"
    if style not in _PREFIX:
        raise _refused(name, f"style {style!r} has no form", _PATH)
    value = jsonable(value)
    if _is_scalar(value):
        text = scalar_text(value)
        return (f";{escape(wire)}={escape(text)}" if style == "matrix" else _PREFIX[style] + escape(text)), [text]
    if isinstance(value, list):
        items = [_member(name, v, "array", _PATH) for v in value if v is not None]
        if not items:
            raise ArgumentError(f"{name}: an empty array has no form here; give at least one item")
        if style == "matrix":
            if explode:
                return "".join(f";{escape(wire)}={escape(i)}" for i in items), items
            return f";{escape(wire)}=" + ",".join(escape(i) for i in items), items
        return _PREFIX[style] + (_EXPLODED[style] if explode else ",").join(escape(i) for i in items), items
    if isinstance(value, Mapping):
        members = [(str(k), _member(name, v, "object", _PATH)) for k, v in value.items() if v is not None]
        if not members:
            raise ArgumentError(f"{name}: an empty object has no form here; give at least one member")
        parts = [part for member in members for part in member]
        if explode:
            joined = _EXPLODED[style].join(f"{escape(k)}={escape(v)}" for k, v in members)
            return _PREFIX[style] + joined, parts
        flat = ",".join(escape(part) for part in parts)
        return (f";{escape(wire)}={flat}" if style == "matrix" else _PREFIX[style] + flat), parts
    raise ArgumentError(f"{name}: a {type(value).__name__} value cannot be sent as text; nothing was sent")
