"""Query parameters and urlencoded form fields, encoded exactly as their style says (issue 14).

One encoder (``generator/runtime/serialize.py``) sends both, honouring ``style``,
``explode``, ``allowReserved`` and a JSON ``contentType``. The fixtures:
``deep_object_unions`` (defect 2: a union with an object branch under
``deepObject`` went out as JSON) and ``form_encoding`` (defect 3: the form body's
``encoding`` object was ignored). The unit tests pin the encoder's table.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from generator.runtime.errors import ArgumentError
from generator.runtime.serialize import encode_form, encode_query, pairs
from tests.anydoc import Packages, Upstream, call_tool, client, query, text


def _query(name: str, value: Any, reserved: bool = False, **style: Any) -> str:
    return encode_query([(p, reserved) for p in pairs(name, value, **style)])


# -- the encoder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "explode", "scalar", "array", "obj"),
    [
        ("form", True, "n=5", "n=a&n=b", "x=1&y=2"),
        ("form", False, "n=5", "n=a,b", "n=x,1,y,2"),
        ("spaceDelimited", False, "n=5", "n=a%20b", "n=x%201%20y%202"),
        ("pipeDelimited", False, "n=5", "n=a%7Cb", "n=x%7C1%7Cy%7C2"),
        ("spaceDelimited", True, "n=5", "n=a&n=b", "x=1&y=2"),
        ("deepObject", True, "n=5", None, "n%5Bx%5D=1&n%5By%5D=2"),
    ],
)
def test_the_style_table(style: str, explode: bool, scalar: str, array: str | None, obj: str) -> None:
    assert _query("n", 5, style=style, explode=explode) == scalar
    assert _query("n", {"x": 1, "y": 2}, style=style, explode=explode) == obj
    if array is None:
        with pytest.raises(ArgumentError, match="an array has no deepObject form.*nothing was sent"):
            pairs("n", ["a", "b"], style=style, explode=explode)
    else:
        assert _query("n", ["a", "b"], style=style, explode=explode) == array


def test_values_the_styles_cannot_send_are_refused() -> None:
    for value, words in (
        ({"a": {"b": 1}}, "an object inside an object"),
        ({"a": [1]}, "an array inside an object"),
        ([{"a": 1}], "an object inside an array"),
    ):
        with pytest.raises(ArgumentError, match=words):
            pairs("n", value, style="deepObject" if isinstance(value, dict) else "form")


def test_escaping() -> None:
    assert _query("f", ["a,b", "c d"], explode=False) == "f=a%2Cb,c%20d"  # the delimiter stays, the comma is escaped
    assert _query("u", "https://x.test/a?b=c#f", reserved=True) == "u=https://x.test/a?b=c%23f"
    assert _query("u", "https://x.test/a?b=c") == "u=https%3A%2F%2Fx.test%2Fa%3Fb%3Dc"
    assert _query("b", True) == "b=true" and _query("n", None) == ""
    assert _query("o", {"a": 1, "b": None}, style="deepObject") == "o%5Ba%5D=1"  # None: not given
    assert _query("j", {"a": [1]}, encoding="json") == "j=%7B%22a%22%3A%5B1%5D%7D"
    form = encode_form([(p, False) for p in pairs("name", "a b&c")] + [(p, False) for p in pairs("t", ["x", "y"])])
    assert form == "name=a+b%26c&t=x&t=y"  # what httpx's data= sent before, byte for byte


# -- defect 2: unions with an object branch in the query ---------------------------------------


@pytest.mark.anyio
async def test_deep_object_union_is_sent_by_its_branch(fixtures: Packages) -> None:
    gen = fixtures.fixture("deep_object_unions")
    op = gen.op("list_charges")
    assert [(a.name, a.style, a.explode) for a in op.arguments] == [
        ("created", "deepObject", True),
        ("amount", "deepObject", True),
        ("metadata", "deepObject", True),
        ("point", "", False),
        ("sort", "pipeDelimited", False),
        ("tags", "spaceDelimited", False),
        ("redirect", "", True),
    ]
    assert op.arguments[-1].allow_reserved
    props = op.tool.input_schema["properties"]
    assert len(props["created"]["anyOf"]) == 2
    assert props["amount"]["oneOf"] == [{"type": "integer"}]  # the nested-object branch is left out
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.charges.list_charges(created={"gte": 1, "lt": 2}, metadata={"order": "A&1"}, point={"x": 1, "y": 2})
        c.charges.list_charges(created=5, amount=7, sort=["-created", "id"], tags=["a", "b"])
        c.charges.list_charges(redirect="https://shop.test/done?order=1")
        with pytest.raises(gen.module("_runtime.errors").ArgumentError, match="created: an object inside an object"):
            c.charges.list_charges(created={"gte": {"now": True}})
    objects, scalars, reserved = upstream.requests
    assert query(objects) == [
        ("created[gte]", "1"), ("created[lt]", "2"), ("metadata[order]", "A&1"), ("point", "x,1,y,2")
    ]  # fmt: skip
    assert objects.url.raw_path == (
        b"/charges?created%5Bgte%5D=1&created%5Blt%5D=2&metadata%5Border%5D=A%261&point=x,1,y,2"
    )
    assert scalars.url.raw_path == b"/charges?created=5&amount=7&sort=-created%7Cid&tags=a%20b"
    assert reserved.url.raw_path == b"/charges?redirect=https://shop.test/done?order=1"
    upstream = Upstream()
    result = await call_tool(gen, upstream, "list_charges", {"created": {"gte": 1, "lt": 2}})
    assert not result.is_error, text(result)
    assert query(upstream.request) == [("created[gte]", "1"), ("created[lt]", "2")]
    refused = await call_tool(gen, upstream, "list_charges", {"amount": {"range": {"min": 1}}})
    assert refused.is_error and "Nothing was sent" in text(refused)
    assert len(upstream.requests) == 1


# -- defect 3: the form body's encoding object --------------------------------------------------


@pytest.mark.anyio
async def test_form_encoding_object_is_honoured(fixtures: Packages) -> None:
    gen = fixtures.fixture("form_encoding")
    op = gen.op("create_customer")
    assert {a.name: (a.style, a.explode, a.encoding) for a in op.arguments} == {
        "name": ("", True, "plain"),
        "address": ("deepObject", True, "plain"),
        "metadata": ("deepObject", True, "plain"),
        "preferred_locales": ("", False, "plain"),
        "labels": ("", True, "plain"),
        "return_url": ("", True, "plain"),
        "shipping": ("", True, "json"),  # no style: an object's default contentType, JSON
        "options": ("", True, "json"),  # contentType: application/json
    }
    arguments = {
        "name": "Ada L",
        "address": {"line1": "1 Main St", "city": "Paris"},
        "metadata": {"k": "v"},
        "preferred_locales": ["en", "fr"],
        "labels": ["a", "b"],
        "return_url": "https://shop.test/r?a=1",
        "shipping": {"name": "S"},
        "options": ["x", "y"],
    }
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.customers.create_customer(**arguments)
    sent = upstream.request
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(sent.content.decode(), keep_blank_values=True) == [
        ("name", "Ada L"),
        ("address[line1]", "1 Main St"),
        ("address[city]", "Paris"),
        ("metadata[k]", "v"),
        ("preferred_locales", "en,fr"),
        ("labels", "a"),
        ("labels", "b"),
        ("return_url", "https://shop.test/r?a=1"),
        ("shipping", '{"name":"S"}'),
        ("options", '["x","y"]'),
    ]
    assert b"&preferred_locales=en,fr&" in sent.content and b"&return_url=https://shop.test/r?a=1&" in sent.content
    upstream = Upstream()
    result = await call_tool(gen, upstream, "create_customer", arguments)
    assert not result.is_error, text(result)
    assert upstream.request.content == sent.content  # the tool sends what the client sends
    assert json.loads(dict(parse_qsl(sent.content.decode()))["options"]) == ["x", "y"]


def test_form_field_an_optional_style_cannot_send_is_left_out(fixtures: Packages) -> None:
    gen = fixtures.fixture("form_encoding")
    assert "nested" not in gen.op("create_customer").tool.input_schema["properties"]


def test_a_urlencoded_body_is_what_httpx_sent_before(fixtures: Packages) -> None:
    """The bodies fixture's form, byte for byte as before the shared encoder."""
    gen = fixtures.fixture("bodies")
    upstream = Upstream(httpx.Response(200, json={}))
    with client(gen, upstream) as c:
        c.form.submit_form(name="a b&c", tags=["x", "y"], subscribe=True)
    assert upstream.request.content == b"name=a+b%26c&tags=x&tags=y&subscribe=true"
