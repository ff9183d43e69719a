"""Arrays and objects in the path and in headers, and the label and matrix path styles.

OpenAPI gives a path parameter the styles ``simple``, ``label`` and ``matrix``, and a
header ``simple``; all of them, with arrays and objects of scalars, are sent exactly
(``generator/runtime/serialize.py``: :func:`styled` and its table), each part escaped on
its own. What has no exact form (nested values, an empty array, a header part that holds
the delimiter, a part that is a dot segment) is refused before anything is sent. The
fixture: ``path_header_styles``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generator.runtime.errors import ArgumentError
from generator.runtime.serialize import styled
from tests.anydoc import BASE, Packages, Upstream, call_tool, client, text


def _path(value: Any, style: str, explode: bool) -> str:
    from urllib.parse import quote

    return styled("n", "n", value, style=style, explode=explode, escape=lambda t: quote(t, safe="-._~"))[0]


@pytest.mark.parametrize(
    ("style", "explode", "scalar", "array", "obj"),
    [
        ("simple", False, "5", "a,b", "x,1,y,2"),
        ("simple", True, "5", "a,b", "x=1,y=2"),
        ("label", False, ".5", ".a,b", ".x,1,y,2"),
        ("label", True, ".5", ".a.b", ".x=1.y=2"),
        ("matrix", False, ";n=5", ";n=a,b", ";n=x,1,y,2"),
        ("matrix", True, ";n=5", ";n=a;n=b", ";x=1;y=2"),
    ],
)
def test_the_path_style_table(style: str, explode: bool, scalar: str, array: str, obj: str) -> None:
    assert _path(5, style, explode) == scalar
    assert _path(["a", "b"], style, explode) == array
    assert _path({"x": 1, "y": 2}, style, explode) == obj


def test_parts_are_escaped_apart_from_their_delimiters() -> None:
    assert _path(["a,b", "c d"], "simple", False) == "a%2Cb,c%20d"
    assert _path({"k": "a/b", "z": None}, "matrix", True) == ";k=a%2Fb"  # None: not given
    assert _path((True, 1.5), "label", True) == ".true.1.5"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([], "an empty array has no form here"),
        ({}, "an empty object has no form here"),
        ([["a"]], "an array inside an array"),
        ({"a": {"b": 1}}, "an object inside an object"),
    ],
)
def test_what_has_no_form_is_refused(value: Any, words: str) -> None:
    with pytest.raises(ArgumentError, match=words):
        _path(value, "simple", False)
    with pytest.raises(ArgumentError, match="style 'form' has no form in a path or header"):
        _path("a", "form", False)


# -- through the generated client and the tool ------------------------------------------------


def _method(c: Any, gen: Any, tool: str) -> Any:
    """The typed client's method of ``tool``."""
    group, op = next((g, op) for g in gen.api.groups for op in g.operations if op.tool.name == tool)
    return getattr(getattr(c, group.module), op.py_method)


def _raw_path(request: httpx.Request) -> str:
    base = httpx.URL(BASE).raw_path.decode().rstrip("/")
    return request.url.raw_path.decode().split("?")[0][len(base) :]


def test_the_client_sends_each_style_exactly(fixtures: Packages) -> None:
    gen = fixtures.fixture("path_header_styles")
    upstream = Upstream(httpx.Response(200, json={}))
    with client(gen, upstream) as c:
        _method(c, gen, "get_user_roles")(
            ids=[7, 8], role="R&D", x_trace=["a", "b c"], x_scope={"team": "t1", "level": 2}
        )
        _method(c, gen, "get_report")(period=("2024", "Q1", "a/b"))
        _method(c, gen, "get_map")(point={"lat": 1.5, "lng": -2})
        _method(c, gen, "get_map")(point="home")
        _method(c, gen, "get_tile")(zoom=3)
    first = upstream.requests[0]
    assert _raw_path(first) == "/users/7,8/roles/R%26D"
    assert first.headers["X-Trace"] == "a,b c" and first.headers["X-Scope"] == "team=t1,level=2"
    assert [_raw_path(r) for r in upstream.requests[1:]] == [
        "/reports/.2024.Q1.a%2Fb",
        "/maps/;point=lat,1.5,lng,-2",
        "/maps/;point=home",
        "/tiles/;zoom=3",
    ]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"ids": [1], "role": "r", "x_trace": ["a,b"]}, "'a,b' holds ',', which separates the parts of this header"),
        ({"ids": [1], "role": "r", "x_scope": {"a=b": "c"}}, "'a=b' holds '=', which separates the parts"),
        ({"ids": [], "role": "r"}, "ids: an empty array has no form here"),
    ],
)
def test_the_client_refuses_what_cannot_be_read_back(fixtures: Packages, kwargs: dict[str, Any], words: str) -> None:
    gen = fixtures.fixture("path_header_styles")
    upstream = Upstream(httpx.Response(200, json={}))
    with client(gen, upstream) as c:
        with pytest.raises(gen.module("_runtime.errors").ArgumentError, match=words):
            _method(c, gen, "get_user_roles")(**kwargs)
    assert not upstream.requests


@pytest.mark.parametrize("period", [["."], [".."], ["a", "%2e%2E"]])
def test_no_part_may_be_a_dot_segment(fixtures: Packages, period: list[str]) -> None:
    """A label path ``.`` + ``.`` would be ``..``: each part is held to the rule of issue 11."""
    gen = fixtures.fixture("path_header_styles")
    upstream = Upstream(httpx.Response(200, json={}))
    with client(gen, upstream) as c:
        with pytest.raises(gen.module("_runtime.errors").ArgumentError, match="path segment"):
            _method(c, gen, "get_report")(period=period)
    assert not upstream.requests


@pytest.mark.anyio
async def test_the_tools_send_and_refuse_alike(fixtures: Packages) -> None:
    gen = fixtures.fixture("path_header_styles")
    upstream = Upstream(httpx.Response(200, json={"ok": True}))
    args = {"ids": [7, 8], "role": "admin", "X-Trace": ["a"], "X-Scope": {"team": "t"}}
    result = await call_tool(gen, upstream, "get_user_roles", args)
    assert not result.is_error, text(result)
    sent = upstream.requests[-1]
    assert _raw_path(sent) == "/users/7,8/roles/admin"
    assert sent.headers["X-Trace"] == "a" and sent.headers["X-Scope"] == "team=t"
    result = await call_tool(gen, upstream, "get_map", {"point": {"lat": 1, "lng": 2}})
    assert not result.is_error and _raw_path(upstream.requests[-1]) == "/maps/;point=lat,1,lng,2"
    sent = len(upstream.requests)
    for tool, bad, words in (
        ("get_report", {"period": [".."]}, "path segment"),
        ("get_user_roles", {"ids": [1], "role": "r", "X-Trace": ["x,y"]}, "separates the parts of this header"),
    ):
        result = await call_tool(gen, upstream, tool, bad)
        assert result.is_error and words in text(result) and "othing was sent" in text(result), text(result)
    assert len(upstream.requests) == sent
