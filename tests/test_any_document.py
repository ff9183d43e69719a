"""Any OpenAPI 3.0 / 3.1 document: the generator on documents without curation extensions.

Two layers, both generated for real (load -> build -> render -> format) into a
temporary folder and imported:

* **Feature fixtures** (``tests/fixtures/openapi/*.yaml``), one feature each: messy
  operationIds, awkward parameter names, one name in every location, recursion,
  composition, 3.0 ``nullable`` and 3.1 type arrays, every kind of body, parameter
  styles, servers, security overrides, deprecated operations, group names and YAML
  quirks. Each test pins the names the generator chose, the warnings it gave for
  what it skipped, and the exact request a call sends through ``httpx.MockTransport``
  (method, path with encoded path parameters, query, headers, body), through the
  typed client and through the MCP tool host.
* **The two full vendor documents**: ``test_any_document_vendor.py``; the fixtures of
  the defects found on large real documents (issue 14): ``test_any_document_defects.py``
  and ``test_any_document_encodings.py``. Shared helpers: ``tests/anydoc.py``.

Generation runs once per document and module, and one ``mypy --strict`` run here
checks every fixture package and both full vendor packages.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main as cli
from generator.naming import ARG_NAME_RE, TOOL_NAME_RE, clip, snake, with_hash
from tests.anydoc import BASE, DESK365, FIXTURES, INTERCOM, Packages, Upstream, call_tool, client, query, text


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- every fixture ---------------------------------------------------------------------------

# The warning of every document that declares no security scheme (defect 8 of issue 14).
NO_SECURITY = ("components.securitySchemes", "declares no security scheme: calls go without credentials and FX_")

# fixture -> (tools expected, located warnings expected: (where, words in the message))
EXPECTED: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "operation_ids": (8, [("paths./items/{id}.put", "'list_items' is already used by paths./items.get"), NO_SECURITY]),
    "parameter_names": (1, [NO_SECURITY]),
    "same_name": (1, [NO_SECURITY]),
    "recursive": (3, [NO_SECURITY]),
    "composition": (3, [NO_SECURITY]),
    "nullable_30": (1, [NO_SECURITY]),
    "type_arrays_31": (1, [NO_SECURITY]),
    "bodies": (
        7,
        [
            (
                "paths./form-with-file.post.requestBody.content.application/x-www-form-urlencoded.schema.properties.doc",
                "a file in an application/x-www-form-urlencoded body cannot be sent; operation skipped",
            ),
            (
                "paths./multipart-scalar.post.requestBody.content.multipart/form-data",
                "a form body must be an object with fixed properties; operation skipped",
            ),
            NO_SECURITY,
        ],
    ),
    "parameter_styles": (
        3,
        [
            ("paths./events.get.parameters[4]", "an object in the header with style 'simple' is not supported"),
            ("paths./events.get.parameters[5]", "header parameter 'Content-Type' is ignored"),
            ("paths./exports/{job}.get.parameters[1]", "path parameter 'stale' is not in the path"),
            ("paths./exports/{job}.get", "path variable {job} has no path parameter; added as a required string"),
            (
                "paths./matrix/{id}.get.parameters[0]",
                "path style 'matrix' is not supported (only simple); operation skipped",
            ),
            NO_SECURITY,
        ],
    ),
    "servers_variables": (1, [("servers[0]", "server URL variable {region} is not declared"), NO_SECURITY]),
    "servers_without_url": (
        1,
        [
            ("servers[0]", "server has no url; skipped"),
            ("servers[1]", "relative server URL '/api/v3' skipped; pass the full URL as base_url"),
            ("servers", "no usable server URL"),
            NO_SECURITY,
        ],
    ),
    "servers_per_operation": (
        1,
        [
            ("paths./uploads.servers", "servers of its own are not supported"),
            ("paths./exports.get.servers", "servers of its own are not supported (calls would go to the document's"),
            NO_SECURITY,
        ],
    ),
    "security": (
        4,
        [
            ("components.securitySchemes.mtls", "unsupported security scheme type 'mutualTLS'"),
            ("paths./certificates.get.security", "no supported security scheme meets the requirement (mtls)"),
        ],
    ),
    "deprecated": (2, [NO_SECURITY]),
    "search_by_post": (2, [NO_SECURITY]),
    "tags_and_groups": (4, [NO_SECURITY]),
    "messy_yaml": (1, [NO_SECURITY]),
    "schema_names": (1, [NO_SECURITY]),
    "path_segments": (2, [NO_SECURITY]),
    "schema_violations": (
        1,
        [
            ("info", "does not follow the OpenAPI schema (version: Input should be a valid string)"),
            ("paths./items.get.tags", "([0]: Input should be a valid string)"),
            ("paths./items.get.parameters[0].schema", "(type: Input should be 'string'"),
            ("paths./items.get.responses.200", "(description: Field required)"),
            ("paths./items.get.responses.200.content.application/json.schema", "(discriminator.propertyName: Field"),
            NO_SECURITY,
        ],
    ),
    # issue 14: the defects found on large real documents, one fixture each
    "shared_refs": (2, [NO_SECURITY]),
    "deep_object_unions": (
        1,
        [
            (
                "paths./charges.get.parameters[1].schema.oneOf[1]",
                "query parameter 'amount': an object with nested objects or arrays has no deepObject form; "
                "left out of the tool's schema",
            ),
            (
                "paths./charges.get.parameters[3]",
                "query parameter 'expand': an array has no deepObject form; parameter",
            ),
            NO_SECURITY,
        ],
    ),
    "form_encoding": (
        1,
        [
            (
                "paths./customers.post.requestBody.content.application/x-www-form-urlencoded.schema.properties.nested",
                "form field 'nested': an object with nested objects or arrays has no deepObject form; field left out",
            ),
            NO_SECURITY,
        ],
    ),
    "empty_form": (3, [NO_SECURITY]),
    "example_refs": (1, [NO_SECURITY]),
    "yaml_value_key": (1, [NO_SECURITY]),
    "contradictory_allof": (
        1,
        [
            (
                "components.schemas.Record.allOf",
                "property 'id' is integer in Base and string in Named: the parts cannot all hold, and the model "
                "leaves it untyped",
            ),
            NO_SECURITY,
        ],
    ),
    "multipart_files": (2, [NO_SECURITY]),
    "basic_auth": (1, []),
    "no_security": (1, [NO_SECURITY]),
    "path_level_parameters": (
        2,
        [("paths./things.parameters[0]", "header parameter 'X-Filter': an object in the header"), NO_SECURITY],
    ),
    "unevaluated_31": (1, [NO_SECURITY]),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_fixture_generates_imports_and_warns(fixtures: Packages, stem: str) -> None:
    gen = fixtures.fixture(stem)
    tools, warnings = EXPECTED[stem]
    assert len(gen.api.operations) == tools
    assert len(gen.module("tools").TOOLS) == tools
    gen.module("models")
    gen.module("server")
    for group in gen.api.groups:
        gen.module(f"resources.{group.module}")
    assert len(gen.warnings) == len(warnings), gen.warnings
    for (where, words), warning in zip(warnings, gen.warnings, strict=True):
        assert warning.startswith(f"warning: {where}: "), warning
        assert words in warning, warning


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_fixture_names_and_schemas_are_valid(fixtures: Packages, stem: str) -> None:
    from jsonschema import Draft202012Validator

    gen = fixtures.fixture(stem)
    names = [op.tool.name for op in gen.api.operations]
    assert len(set(names)) == len(names)
    for op in gen.api.operations:
        assert TOOL_NAME_RE.match(op.tool.name), op.tool.name
        args = [a.name for a in op.arguments]
        assert len(set(args)) == len(args)
        assert len({a.py_name for a in op.arguments}) == len(args)
        for a in op.arguments:
            assert ARG_NAME_RE.match(a.name), a.name
            assert a.py_name.isidentifier(), a.py_name
        Draft202012Validator.check_schema(op.tool.input_schema)
        if op.tool.output_schema is not None:
            Draft202012Validator.check_schema(op.tool.output_schema)


def test_mypy_strict_on_generated_output(fixtures: Packages, vendor: Packages, tmp_path: Path) -> None:
    """Every fixture package and both full vendor packages, in one mypy run."""
    for stem in EXPECTED:
        fixtures.fixture(stem)
    vendor.get(INTERCOM, "intercom_vendor")
    vendor.get(DESK365, "desk365_vendor")
    packages = [str(g.directory) for g in [*fixtures.done.values(), *vendor.done.values()]]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *packages],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


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


_SAMPLE = {"string": "s", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}


@pytest.mark.anyio
async def test_path_values_keep_to_their_segments_in_every_fixture(fixtures: Packages) -> None:
    """Issue 11, item 1, on documents without curation: whatever string fills a path
    placeholder, the request has exactly the template's segments, or nothing is sent."""
    from tests.test_path_segments import SPECIALS, segments_ok

    checked = []
    for stem in sorted(EXPECTED):
        gen = fixtures.fixture(stem)
        for tool in gen.module("tools").TOOLS:
            params = [p for p in tool.operation.params if p.location == "path"]
            schema = tool.input_schema
            if not params or any(schema["properties"][p.arg].get("type") != "string" for p in params):
                continue
            others = {a: _SAMPLE.get(schema["properties"][a].get("type"), "s") for a in schema.get("required", [])}
            for index, value in enumerate(["ok", *SPECIALS]):
                upstream = Upstream(httpx.Response(200, json={}))
                args = {**others, **{p.arg: value if p is params[index % len(params)] else "v" for p in params}}
                result = await call_tool(gen, upstream, tool.name, args)
                if value == "ok" and not upstream.requests:
                    break  # the sample arguments do not satisfy this tool's schema: not checkable here
                if not upstream.requests:
                    assert result.is_error and "Nothing was sent" in text(result), (tool.name, value, text(result))
                    continue
                raw = upstream.request.url.raw_path.decode().split("?")[0]
                base = httpx.URL(BASE).raw_path.decode().rstrip("/")
                filled = {p.wire: str(args[p.arg]) for p in params}
                problems = segments_ok(tool.operation.path, raw[len(base) :], filled)
                assert not problems and value not in (".", "..", ""), (tool.name, value, raw, problems)
            else:
                checked.append(f"{stem}.{tool.name}")
    assert "path_segments.delete_file" in checked and "path_segments.get_blob" in checked
    assert len(checked) >= 6, checked


def test_generate_command_writes_any_folder(tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(
        cli, ["generate", str(FIXTURES / "deprecated.yaml"), "--out", str(out), "--package", "my-api"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "my_api" / "__init__.py").is_file()
    assert "my_api: 2 tools" in result.stdout
    env = {**os.environ, "PYTHONPATH": str(out)}
    done = subprocess.run(
        [sys.executable, "-m", "my_api", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
