"""Any document: one feature per fixture (``tests/fixtures/openapi/*.yaml``, listed in
``test_any_document.py``'s ``EXPECTED``).

Each test pins the names the generator chose, the warnings it gave for what it skipped,
and the exact request a call sends through ``httpx.MockTransport`` (method, path with
encoded path parameters, query, headers, body), through the typed client and through the
MCP tool host: operation ids, parameter names, one name in every location, recursive
schemas, composition, 3.0 ``nullable`` and 3.1 type arrays, bodies, text and octet-stream
answers, deprecated operations, parameter styles, tags and groups, messy YAML, schema names
and schema violations. Shared helpers: ``tests/anydoc.py``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generator.naming import clip, snake, with_hash
from tests.anydoc import Packages, Upstream, call_tool, client, query, text

# -- one feature each --------------------------------------------------------------------------


def test_operation_ids(fixtures: Packages) -> None:
    gen = fixtures.fixture("operation_ids")
    long_id = "getTheMonthlyReportForTheGivenYearAndMonthIncludingEveryDetailAndAllTheAttachments"
    assert [(op.method, op.path, op.tool.name, op.group) for op in gen.api.operations] == [
        ("GET", "/items", "list_items", "items"),
        ("POST", "/items", "post_items", "items"),  # no operationId
        ("GET", "/items/{id}", "get_item_v2", "items"),  # ' get item (v2)! '
        ("PUT", "/items/{id}", "list_items_1d5c4b", "items"),  # duplicate: a stable hash of PUT /items/{id}
        ("DELETE", "/items/{id}", "unicode_delete", "items"),  # Ünïcödé-Délete
        ("PATCH", "/items/{id}", "patch_items_id", "items"),  # 更新: nothing ASCII, method + path
        ("GET", "/reports/{year}/{month}", clip(snake(long_id)), "reports"),
        ("GET", "/v2/widgets", "get_v2_widgets", "widgets"),
    ]
    assert with_hash("list_items", "PUT /items/{id}") == "list_items_1d5c4b"
    assert len(clip(snake(long_id))) == 64
    assert gen.op("list_items_1d5c4b").py_method == "list_items_1d5c4b"
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.items.list_items_1d5c4b(id="a/b c")
    assert upstream.request.method == "PUT"
    assert upstream.request.url.raw_path == b"/items/a%2Fb%20c"


def test_parameter_names(fixtures: Packages) -> None:
    gen = fixtures.fixture("parameter_names")
    op = gen.op("search")
    long_name = "a_parameter_name_that_is_much_longer_than_the_sixty_four_characters_allowed"
    assert [(a.wire, a.name, a.py_name) for a in op.arguments] == [
        ("1st", "1st", "_1st"),
        ("class", "class", "class_"),
        ("from", "from", "from_"),
        ("id", "id", "id"),
        ("type", "type", "type"),
        ("str", "str", "str_"),  # generated modules annotate with str
        ("models", "models", "models_"),  # ... and import models
        ("self", "self", "self_"),
        ("X-Request-Id", "X-Request-Id", "x_request_id"),
        ("api.version", "api.version", "api_version"),
        ("page[size]", "page_size", "page_size"),
        ("città", "citta", "citta"),
        ("名前", "arg_7ec26292", "arg_7ec26292"),
        ("検索", "arg_1b6b1a6f", "arg_1b6b1a6f"),
        ("2fa-code", "2fa-code", "_2fa_code"),
        (long_name, clip(long_name), long_name),
    ]
    values = {a.py_name: f"v{i}" for i, a in enumerate(op.arguments)}
    values["_1st"] = "x y/z"
    values["id"] = "7"
    upstream = Upstream(httpx.Response(200, json={"hits": 3}))
    with client(gen, upstream) as c:
        result = c.search.search(**values)
    assert result.hits == 3
    request = upstream.request
    assert request.method == "GET"
    assert request.url.raw_path.split(b"?")[0] == b"/search/x%20y%2Fz"
    assert query(request) == [
        ("class", "v1"), ("from", "v2"), ("id", "7"), ("type", "v4"), ("str", "v5"), ("models", "v6"),
        ("self", "v7"), ("api.version", "v9"), ("page[size]", "v10"), ("città", "v11"), ("名前", "v12"),
        ("検索", "v13"), (long_name, "v15"),
    ]  # fmt: skip
    assert request.headers["X-Request-Id"] == "v8"
    assert request.headers["2fa-code"] == "v14"


@pytest.mark.anyio
async def test_parameter_names_through_the_tool(fixtures: Packages) -> None:
    gen = fixtures.fixture("parameter_names")
    upstream = Upstream(httpx.Response(200, json={"hits": 1}))
    result = await call_tool(gen, upstream, "search", {"1st": "a", "class": "c", "arg_7ec26292": "ja", "page_size": 5})
    assert not result.is_error, text(result)
    assert upstream.request.url.raw_path.split(b"?")[0] == b"/search/a"
    assert query(upstream.request) == [("class", "c"), ("page[size]", "5"), ("名前", "ja")]


def test_same_name_in_every_location(fixtures: Packages) -> None:
    gen = fixtures.fixture("same_name")
    op = gen.op("update_thing")
    assert {a.name: (a.wire, a.location) for a in op.arguments} == {
        "id_path": ("id", "path"),
        "id": ("id", "body"),  # body properties keep their names
        "id_query": ("id", "query"),
        "id_header": ("id", "header"),
        "id_cookie": ("id", "cookie"),
        "label": ("label", "body"),
    }
    upstream = Upstream(httpx.Response(200, json={"ok": True}))
    with client(gen, upstream) as c:
        c.things.update_thing(id_path="p/1", id="in-body", id_query=7, id_header="h", id_cookie="c", label="L")
    request = upstream.request
    assert request.method == "POST"
    assert request.url.raw_path == b"/things/p%2F1?id=7"
    assert request.headers["id"] == "h"
    assert request.headers["cookie"] == "id=c"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"id": "in-body", "label": "L"}


def test_recursive_schemas(fixtures: Packages) -> None:
    gen = fixtures.fixture("recursive")
    node = gen.op("create_node").tool.input_schema
    assert node["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert set(node["$defs"]) == {"Node"}
    person = gen.op("replace_person").tool.input_schema
    assert set(person["$defs"]) == {"Person"}
    employer = person["properties"]["employer"]
    assert employer["properties"]["staff"]["items"] == {"$ref": "#/$defs/Person"}
    assert person["$defs"]["Person"]["properties"]["employer"]["properties"]["staff"]["items"] == {
        "$ref": "#/$defs/Person"
    }
    assert len(json.dumps(person)) < 2000
    tree = {"name": "root", "children": [{"name": "leaf", "children": []}]}
    upstream = Upstream(httpx.Response(200, json=tree))
    with client(gen, upstream) as c:
        result = c.nodes.create_node(name="root", children=[{"name": "leaf", "children": []}])
    assert json.loads(upstream.request.content) == tree
    assert type(result).__name__ == "Node" and result.children[0].name == "leaf"


@pytest.mark.anyio
async def test_composition(fixtures: Packages) -> None:
    gen = fixtures.fixture("composition")
    create = gen.op("create_pet")
    assert [(a.name, a.location, a.required) for a in create.arguments] == [
        ("name", "body", True),
        ("tag", "body", False),
    ]  # allOf: flattened
    replace = gen.op("replace_pet")
    body = next(a for a in replace.arguments if a.name == "body")
    assert body.location == "whole" and len(body.schema["oneOf"]) == 2  # the typed client takes the union
    # the tool takes the union of the shapes' properties, flat; the discriminator is an enum
    tool = replace.tool
    assert tool.flat_body == ("pet_type", "name", "indoor", "breed")
    assert tool.input_schema["properties"]["pet_type"]["enum"] == ["cat", "dog"]
    assert set(tool.input_schema["required"]) == {"id", "pet_type", "name"}
    assert "Shapes by `pet_type`: dog: needs" not in tool.description and "Shapes by `pet_type`" in tool.description
    assert "discriminator" not in json.dumps(replace.tool.input_schema)
    assert gen.op("search_pets").arguments[0].schema["anyOf"]
    dog = {"pet_type": "dog", "name": "Rex", "breed": "collie"}
    upstream = Upstream(httpx.Response(200, json=dog))
    result = await call_tool(gen, upstream, "replace_pet", {"id": 3, **dog})
    assert not result.is_error, text(result)
    assert upstream.request.method == "PUT" and upstream.request.url.raw_path == b"/pets/3"
    assert json.loads(upstream.request.content) == dog
    refused = await call_tool(gen, upstream, "replace_pet", {"id": 3, "pet_type": "fish", "name": "x"})
    assert refused.is_error and "Nothing was sent" in text(refused)
    assert len(upstream.requests) == 1


def test_nullable_30(fixtures: Packages) -> None:
    gen = fixtures.fixture("nullable_30")
    props = gen.op("create_task").tool.input_schema["properties"]
    assert props["note"]["type"] == ["string", "null"]
    assert props["priority"]["enum"] == ["low", "high", None]
    assert props["owner"]["anyOf"][1] == {"type": "null"}
    assert props["weight"] == {"type": "number", "exclusiveMinimum": 0}
    upstream = Upstream(httpx.Response(200, json={"title": "t", "note": None}))
    with client(gen, upstream) as c:
        result = c.tasks.create_task(title="t", priority="high", owner={"email": "odd@address"}, weight=0.5)
    body = json.loads(upstream.request.content)
    assert body == {"title": "t", "priority": "high", "owner": {"email": "odd@address"}, "weight": 0.5}
    assert result.note is None
    assert gen.module("models").Owner(email="not-an-email").email == "not-an-email"  # no EmailStr


def test_type_arrays_31(fixtures: Packages) -> None:
    gen = fixtures.fixture("type_arrays_31")
    op = gen.op("create_record")
    props = op.tool.input_schema["properties"]
    assert props["note"] == {"type": ["string", "null"]}
    assert props["code"] == {"anyOf": [{"type": "integer"}, {"type": "string"}]}  # portable: no type array
    assert props["kind"] == {"const": "record"}
    types = {a.name: a.py_type for a in op.arguments}
    assert types == {
        "kind": "Literal['record']", "note": "str | None", "code": "int | str", "tags": "Sequence[str] | None"
    }  # fmt: skip
    upstream = Upstream(httpx.Response(200, json={"note": None, "code": "A1"}))
    with client(gen, upstream) as c:
        c.records.create_record(kind="record", code=12, tags=["a"])
    assert json.loads(upstream.request.content) == {"kind": "record", "code": 12, "tags": ["a"]}


def test_bodies_through_the_client(fixtures: Packages) -> None:
    gen = fixtures.fixture("bodies")
    assert {op.tool.name for op in gen.api.operations} == {
        "submit_form", "upload_file", "add_note", "post_xml", "set_counter", "post_batch", "post_charset",
    }  # fmt: skip
    cases: list[tuple[Callable[[Any], Any], str, str, bytes]] = [
        (
            lambda c: c.form.submit_form(name="a b&c", tags=["x", "y"], subscribe=True),
            "/form",
            "application/x-www-form-urlencoded",
            b"name=a+b%26c&tags=x&tags=y&subscribe=true",
        ),
        (
            lambda c: c.files.upload_file(name="r.bin", body=b"\x00\xff"),
            "/files/r.bin",
            "application/octet-stream",
            b"\x00\xff",
        ),
        (lambda c: c.notes.add_note(body="héllo"), "/notes", "text/plain", "héllo".encode()),
        (lambda c: c.xml.post_xml(body="<a>1</a>"), "/xml", "application/xml", b"<a>1</a>"),
        (lambda c: c.counter.set_counter(body=5), "/counter", "application/json", b"5"),
        (lambda c: c.batch.post_batch(body=["a", "b"]), "/batch", "application/json", b'["a", "b"]'),
        (
            lambda c: c.charset.post_charset(text="é"),
            "/charset",
            "application/json; charset=utf-8",
            '{"text": "é"}'.encode(),
        ),
    ]
    for call, path, media, content in cases:
        upstream = Upstream(httpx.Response(200, json={}))
        with client(gen, upstream) as c:
            call(c)
        request = upstream.request
        assert (request.url.raw_path.decode(), request.headers["content-type"], request.content) == (
            path,
            media,
            content,
        )


def test_text_response(fixtures: Packages) -> None:
    gen = fixtures.fixture("bodies")
    assert gen.op("add_note").response.kind == "text"
    upstream = Upstream(httpx.Response(200, text="noted", headers={"content-type": "text/plain"}))
    with client(gen, upstream) as c:
        assert c.notes.add_note(body="x") == "noted"


@pytest.mark.anyio
async def test_octet_stream_body_through_the_tool(fixtures: Packages) -> None:
    gen = fixtures.fixture("bodies")
    assert gen.op("upload_file").tool.input_schema["properties"]["body"]["required"] == ["filename", "content_base64"]
    upstream = Upstream(httpx.Response(204))
    content = base64.b64encode(b"\x00\x01binary").decode()
    result = await call_tool(
        gen, upstream, "upload_file", {"name": "a", "body": {"filename": "a", "content_base64": content}}
    )
    assert not result.is_error, text(result)
    assert upstream.request.content == b"\x00\x01binary"
    assert upstream.request.headers["content-type"] == "application/octet-stream"


def test_deprecated_operation(fixtures: Packages) -> None:
    gen = fixtures.fixture("deprecated")
    old, new = gen.op("old_way"), gen.op("new_way")
    assert old.deprecated and "Deprecated upstream." in old.tool.description
    assert not new.deprecated and "Deprecated" not in new.tool.description
    assert old.tool.read_only and old.tool.category == "read"


@pytest.mark.anyio
async def test_parameter_styles(fixtures: Packages) -> None:
    gen = fixtures.fixture("parameter_styles")
    events = gen.op("list_events")
    assert [(a.name, a.wire, a.location) for a in events.arguments] == [
        ("user_id", "user_id", "query"),  # the `filter` object, exploded
        ("email", "email", "query"),
        ("ids", "ids", "query"),
        ("fields", "fields", "query"),
        ("sort", "sort", "query"),  # pipeDelimited
    ]
    assert events.tool.exclusive == (("user_id", "email"),)
    assert "Give exactly one of `user_id`, `email`." in events.tool.description
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.events.list_events(user_id="u 1", ids=[1, 2], fields=["a", "b"], sort=["-created", "name"])
        c.search.search(where_name="n&m", where_age=3)
        c.exports.get_export(job_query="q", job_path="p/1")
    first, second, third = upstream.requests
    assert query(first) == [
        ("user_id", "u 1"),
        ("ids", "1"),
        ("ids", "2"),
        ("fields", "a,b"),
        ("sort", "-created|name"),
    ]
    assert b"fields=a,b&sort=-created%7Cname" in first.url.raw_path  # RFC 6570: the comma delimiter stays
    assert query(second) == [("where[name]", "n&m"), ("where[age]", "3")]
    assert third.url.raw_path == b"/exports/p%2F1?job=q"
    both = await call_tool(gen, upstream, "list_events", {"user_id": "u", "email": "e"})
    neither = await call_tool(gen, upstream, "list_events", {})
    assert both.is_error and "give exactly one of user_id, email" in text(both)
    assert neither.is_error and "Nothing was sent" in text(neither)
    assert len(upstream.requests) == 3


def test_tags_and_groups(fixtures: Packages) -> None:
    gen = fixtures.fixture("tags_and_groups")
    groups = {g.name: g.class_name for g in gen.api.groups}
    assert list(groups) == ["tickets", "request_", "sync", "_2_fa"]
    assert groups["tickets"] == "TicketsResource"
    assert groups["sync"] not in ("SyncResource", "AsyncResource") and groups["sync"].endswith("Resource")
    assert gen.op("list_tickets").tool.tags == ("tickets",)  # "02. Tickets"
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.tickets.list_tickets()
        c.request_.list_requests()
        c.sync.run_sync()
        c._2_fa.enable2fa()
        assert callable(c.request)  # still the client's own method
    assert [r.url.raw_path for r in upstream.requests] == [b"/tickets", b"/requests", b"/sync", b"/2fa"]


def test_messy_yaml(fixtures: Packages) -> None:
    gen = fixtures.fixture("messy_yaml")
    assert gen.api.version == "2024-01-31"
    op = gen.op("list_reports")
    props = op.tool.input_schema["properties"]
    assert props["since"]["default"] == "2024-01-31"
    assert "maximum" not in props["limit"]
    assert op.response.status == 200 and op.error_statuses == (404,)
    assert op.tool.output_schema is not None
    upstream = Upstream(httpx.Response(200, json={"since": "2024-02-01"}))
    with client(gen, upstream) as c:
        assert c.reports.list_reports(since="2024-02-01").since == "2024-02-01"
    assert query(upstream.request) == [("since", "2024-02-01")]


def test_schema_names(fixtures: Packages) -> None:
    gen = fixtures.fixture("schema_names")
    assert gen.op("get_user").response.py_type == "models.MicrosoftGraphUser"  # Microsoft.Graph.User
    user = {"name": "Ada", "manager": {"id": "m1"}, "kind": {"def": "x"}, "first": {"at": 1}}
    upstream = Upstream(httpx.Response(200, json=user))
    with client(gen, upstream) as c:
        result = c.users.get_user(id="u/1")
    assert type(result).__name__ == "MicrosoftGraphUser"
    assert (result.manager.id, result.first.at) == ("m1", 1)
    assert upstream.request.url.raw_path == b"/users/u%2F1"


def test_schema_violations_still_generate(fixtures: Packages) -> None:
    gen = fixtures.fixture("schema_violations")
    op = gen.op("list_items")
    assert op.tool.input_schema["properties"]["q"] == {"type": ["string", "null"]}
    assert gen.api.version == "2" and op.tool.tags == ("7",)
    upstream = Upstream(httpx.Response(200, json={"a": "b"}))
    with client(gen, upstream) as c:
        getattr(c, op.group).list_items(q="x")  # the group of tag 7
    assert query(upstream.request) == [("q", "x")]
