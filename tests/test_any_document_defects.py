"""The defects large real documents found (issue 14), one fixture document each.

A payments API (417 operations), a code-hosting API (771), a helpdesk API (492)
and an OpenAPI 3.1 example hung the generator, were refused, or sent wrong
requests. Each test here generates its minimal reproduction from
``tests/fixtures/openapi`` and pins the fix: conversion linear in the document
(``shared_refs``), optional empty form bodies (``empty_form``), references inside
data (``example_refs``), YAML's value key (``yaml_value_key``), contradictory
``allOf`` (``contradictory_allof``) and the smaller ones (``multipart_files``,
``basic_auth``, ``no_security``, ``path_level_parameters``, ``unevaluated_31``).
The encodings (deepObject unions, form ``encoding``) are in
``test_any_document_encodings.py``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from generator.load import load_document, load_text
from generator.pipeline import build, run_document
from generator.runtime.validation import output_problem
from generator.schema import INLINE_MAX, OUTPUT_BUDGET, REQUEST_BUDGET, Converter
from tests.anydoc import FIXTURES, Packages, Upstream, call_tool, client, query, text

# -- 1. shared $refs: linear conversion, bounded schemas -----------------------------------------


def test_shared_refs_convert_in_linear_time() -> None:
    doc = load_document(FIXTURES / "shared_refs.yaml")
    started = time.perf_counter()
    api = build(doc, "fx_shared_refs")
    assert time.perf_counter() - started < 3  # was 17.9 s and 213 MB: 2^18 copies of S17
    put = next(op for op in api.operations if op.tool.name == "put_tree")
    schema = put.tool.input_schema
    size = len(json.dumps(schema))
    assert size < 20_000, size
    Draft202012Validator.check_schema(schema)
    assert set(schema["$defs"]) <= {f"S{i}" for i in range(18)}
    assert all(len(json.dumps(d)) <= INLINE_MAX for d in schema["$defs"].values())
    get = next(op for op in api.operations if op.tool.name == "get_tree")
    assert get.tool.output_schema is not None and get.tool.output_schema["type"] == "object"
    assert "$defs" not in get.tool.output_schema  # nothing a loosened output refers to is kept


def test_each_schema_is_converted_once_per_direction() -> None:
    doc = load_document(FIXTURES / "shared_refs.yaml")
    conv = Converter(doc, ())
    conv.begin()
    conv.finish(conv.convert({"$ref": "#/components/schemas/S0"}, "request"), "request")
    conv.begin()
    conv.output_schema(conv.convert({"$ref": "#/components/schemas/S0"}, "response"))
    assert len(conv._entries) == 2 * 18  # noqa: SLF001 - the memo is what makes it linear


def test_a_dense_cycle_goes_to_defs() -> None:
    """Twelve schemas that all refer to each other: unrolled, every path would be a copy."""
    schemas = {f"C{i}": {"type": "object", "properties": {f"p{j}": {"$ref": f"#/components/schemas/C{j}"}
               for j in range(12)}} for i in range(12)}  # fmt: skip
    document = {
        "openapi": "3.1.0", "info": {"title": "Dense", "version": "1"},
        "paths": {"/c": {"post": {"operationId": "post_c", "responses": {"204": {"description": "ok"}},
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/C0"}}}}}}},
        "components": {"schemas": schemas},
    }  # fmt: skip
    api = build(load_text(json.dumps(document).encode(), "dense.json", json_input=True), "dense")
    schema = api.operations[0].tool.input_schema
    assert schema["properties"]["p1"] == {"$ref": "#/$defs/C1"}
    assert set(schema["$defs"]) == {f"C{i}" for i in range(12)}
    Draft202012Validator.check_schema(schema)


def test_an_input_schema_over_the_budget_is_summarised_with_a_warning() -> None:
    long = "x" * 400
    props = {f"field_{i}": {"type": "object", "description": long, "properties": {"a": {"type": "string",
             "description": long}, "b": {"type": "integer", "description": long}}} for i in range(80)}  # fmt: skip
    document = {
        "openapi": "3.1.0", "info": {"title": "Big", "version": "1"},
        "paths": {"/big": {"post": {"operationId": "post_big", "responses": {"204": {"description": "ok"}},
                  "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                                                                               "properties": props}}}}}}},
    }  # fmt: skip
    api = build(load_text(json.dumps(document).encode(), "big.json", json_input=True), "big")
    schema = api.operations[0].tool.input_schema
    assert len(json.dumps(schema, separators=(",", ":"))) <= REQUEST_BUDGET
    assert set(schema["properties"]) == set(props)  # every argument stays
    warning = next(w for w in api.warnings if "budget" in w)
    assert warning.startswith("warning: paths./big.post: the tool's input schema (")
    assert "summarised: field_" in warning
    summarised = [p for p in schema["properties"].values() if "summarised to fit" in json.dumps(p)]
    assert summarised and all(p["type"] == "object" for p in summarised)


def _wide_answer(members: int) -> dict[str, Any]:
    """A document whose one GET answers an object of ``members`` members, each a list of objects."""
    item = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    props = {f"member_{i}": {"type": "array", "items": item} for i in range(members)}
    return {
        "openapi": "3.1.0", "info": {"title": "Wide", "version": "1"},
        "paths": {"/wide": {"get": {"operationId": "get_wide", "responses": {"200": {"description": "ok",
                  "content": {"application/json": {"schema": {"type": "object", "properties": props}}}}}}}},
    }  # fmt: skip


@pytest.mark.parametrize(("members", "kept"), [(400, True), (4000, False)])
def test_an_output_schema_over_the_budget_is_loosened_with_a_warning(members: int, kept: bool) -> None:
    """Loosened further, never narrowed: every answer the full schema accepted still passes."""
    api = build(load_text(json.dumps(_wide_answer(members)).encode(), "wide.json", json_input=True), "wide")
    schema = api.operations[0].tool.output_schema
    assert schema is not None and schema["type"] == "object"
    assert len(json.dumps(schema, separators=(",", ":"))) <= OUTPUT_BUDGET
    warning = next(w for w in api.warnings if "output schema" in w)
    assert warning.startswith("warning: paths./wide.get: the tool's output schema (")
    assert f"over the budget of {OUTPUT_BUDGET:,} bytes; summarised: every member" in warning
    if kept:  # names and bare types
        assert schema["properties"]["member_7"] == {"type": "array"} and len(schema["properties"]) == members
    else:
        assert schema == {"type": "object"}
    Draft202012Validator.check_schema(schema)
    answer = {f"member_{i}": [{"a": "x", "b": i, "extra": [1]}] for i in range(0, members, 7)}
    assert output_problem(schema, answer) is None


def test_an_output_schema_within_the_budget_is_left_alone() -> None:
    api = build(load_text(json.dumps(_wide_answer(20)).encode(), "wide.json", json_input=True), "wide")
    schema = api.operations[0].tool.output_schema
    assert schema is not None and len(schema["properties"]) == 20
    assert not [w for w in api.warnings if "output schema" in w]


def test_a_reference_chain_hundreds_deep_generates(tmp_path: Path) -> None:
    """300 schemas each pointing at the next: past MAX_NEST copies the chain continues in
    $defs, so the tool schema stays a literal Python can parse (it allows 200 nested brackets)."""
    schemas = {f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
               for i in range(299)}  # fmt: skip
    schemas["S299"] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}
    document = {"openapi": "3.0.3", "info": {"title": "Chain", "version": "1"},
                "paths": {"/c": {"post": {"operationId": "post_c", "requestBody": body,
                                          "responses": {"204": {"description": "ok"}}}}},
                "components": {"schemas": schemas}}  # fmt: skip
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(document))
    result = run_document(path, tmp_path / "out", package="chain")
    schema = result.api.operations[0].tool.input_schema
    assert "$defs" in schema and not [w for w in result.api.warnings if "cannot be generated" in w]

    def depth(node: Any) -> int:
        return 1 + max((depth(v) for v in node.values() if isinstance(v, dict)), default=0)

    assert depth({k: v for k, v in schema.items() if k != "$defs"}) < 100
    assert all(depth(d) < 100 for d in schema["$defs"].values())
    assert result.plan.formatted > 0  # every module parsed (the formatter refuses what does not)


def test_reference_graph_components_match_reachability() -> None:
    """refgraph's iterative Tarjan against reachability, on random graphs explored in random order."""
    import random

    from generator.refgraph import RefGraph

    rng = random.Random(14)
    for _ in range(200):
        n = rng.randint(1, 9)
        edges = {i: [j for j in range(n) if rng.random() < 0.25] for i in range(n)}
        schemas = {f"S{i}": {"properties": {f"p{j}": {"$ref": f"#/components/schemas/S{j}"} for j in edges[i]}}
                   for i in range(n)}  # fmt: skip
        document = {"openapi": "3.1.0", "info": {"title": "G", "version": "1"}, "paths": {},
                    "components": {"schemas": schemas}}  # fmt: skip
        graph = RefGraph(load_text(json.dumps(document).encode(), "g.json", json_input=True))
        reach: dict[int, set[int]] = {}
        for i in range(n):
            seen: set[int] = set()
            stack = list(edges[i])
            while stack:
                j = stack.pop()
                if j not in seen:
                    seen.add(j)
                    stack.extend(edges[j])
            reach[i] = seen
        order = rng.sample(range(n), n)
        refs = {i: f"#/components/schemas/S{i}" for i in order}
        for i in order:
            assert graph.cyclic(refs[i]) == (i in reach[i])
        for i in range(n):
            for j in range(n):
                same = graph.component(refs[i]) == graph.component(refs[j])
                assert same == (i == j or (j in reach[i] and i in reach[j]))


@pytest.mark.anyio
async def test_shared_refs_round_trip(fixtures: Packages) -> None:
    gen = fixtures.fixture("shared_refs")
    tree = {"a": {"a": {"a": {"label": "deep"}}, "label": "one"}, "label": "root"}
    upstream = Upstream(httpx.Response(204))
    result = await call_tool(gen, upstream, "put_tree", tree)
    assert not result.is_error, text(result)
    assert json.loads(upstream.request.content) == tree
    refused = await call_tool(gen, upstream, "put_tree", {"a": {"a": {"a": {"label": {"text": "deep"}}}}})
    assert refused.is_error and "Nothing was sent" in text(refused)
    assert len(upstream.requests) == 1


# -- 4. an optional form body that declares no field ---------------------------------------------


@pytest.mark.anyio
async def test_empty_optional_form_body_is_not_sent(fixtures: Packages) -> None:
    gen = fixtures.fixture("empty_form")
    assert [op.tool.name for op in gen.api.operations] == ["retrieve_charge", "capture_charge", "add_note"]
    assert [a.name for a in gen.op("retrieve_charge").arguments] == ["charge"]
    upstream = Upstream()
    with client(gen, upstream) as c:
        c.charges.retrieve_charge(charge="ch_1")
        c.charges.capture_charge(charge="ch_1")
        c.notes.add_note()
        c.notes.add_note(text="hi there")
    retrieve, capture, empty_note, note = upstream.requests
    assert (retrieve.method, retrieve.url.raw_path, retrieve.content) == ("GET", b"/charges/ch_1", b"")
    assert "content-type" not in retrieve.headers
    assert (capture.content, capture.headers["content-type"]) == (b"", "application/x-www-form-urlencoded")
    assert empty_note.content == b"" and "content-type" not in empty_note.headers  # optional, nothing given
    assert note.content == b"text=hi+there"
    upstream = Upstream()
    result = await call_tool(gen, upstream, "retrieve_charge", {"charge": "ch_2"})
    assert not result.is_error, text(result)
    assert (upstream.request.url.raw_path, upstream.request.content) == (b"/charges/ch_2", b"")


# -- 5. $ref keys in examples and extensions -------------------------------------------------------


def test_references_inside_data_are_data(fixtures: Packages) -> None:
    gen = fixtures.fixture("example_refs")
    op = gen.op("get_group")
    assert op.response.py_type == "models.Group"
    upstream = Upstream(httpx.Response(200, json={"displayName": "Admins", "members": [{"value": "92b5"}]}))
    with client(gen, upstream) as c:
        group = c.groups.get_group(id="g/1")
    assert group.display_name == "Admins" and group.members[0].value == "92b5"
    assert upstream.request.url.raw_path == b"/Groups/g%2F1"


def test_a_reference_to_an_example_is_still_checked() -> None:
    raw = (FIXTURES / "example_refs.yaml").read_text().replace("'#/components/examples/Group'", "'#/nowhere'")
    from generator.errors import GenerationError

    with pytest.raises(GenerationError, match=r"examples\.stored\.\$ref: reference '#/nowhere' does not resolve"):
        load_text(raw.encode(), "broken.yaml")


# -- 6. YAML's value key --------------------------------------------------------------------------


def test_yaml_value_key_is_a_string(fixtures: Packages) -> None:
    gen = fixtures.fixture("yaml_value_key")
    schema = gen.op("list_rules").tool.input_schema["properties"]["operator"]
    assert schema["enum"] == ["=", "!=", "<", ">"] and schema["default"] == "="
    upstream = Upstream(httpx.Response(200, json={"change": "="}))
    with client(gen, upstream) as c:
        assert c.rules.list_rules(operator="=").change == "="
    assert upstream.request.url.raw_path == b"/rules?operator=%3D"


# -- 7. a contradictory allOf ---------------------------------------------------------------------


def test_contradictory_all_of_makes_a_model_that_holds(fixtures: Packages) -> None:
    gen = fixtures.fixture("contradictory_allof")
    models = gen.module("models")
    fields = models.Record.model_fields
    assert set(fields) == {"id", "created", "name", "size"}
    assert fields["id"].annotation == Any | None  # type: ignore[comparison-overlap]
    upstream = Upstream(httpx.Response(200, json={"id": "r-1", "name": "n", "size": 3}))
    with client(gen, upstream) as c:
        record = c.records.get_record(id="r-1")
    assert (record.id, record.name, record.size) == ("r-1", "n", 3)
    # mypy --strict on this package: test_any_document.py::test_mypy_strict_on_generated_output


# -- 8. the smaller ones --------------------------------------------------------------------------


@pytest.mark.anyio
async def test_file_array_max_items_and_optional_file(fixtures: Packages) -> None:
    gen = fixtures.fixture("multipart_files")
    photos = gen.op("add_photos").tool.input_schema["properties"]["photos"]
    assert (photos["minItems"], photos["maxItems"]) == (1, 3)
    file = {"filename": "p.jpg", "content_type": "image/jpeg", "content_base64": base64.b64encode(b"jpg").decode()}
    upstream = Upstream()
    four = await call_tool(gen, upstream, "add_photos", {"id": "a1", "photos": [file] * 4})
    assert four.is_error and "Nothing was sent" in text(four) and not upstream.requests
    three = await call_tool(gen, upstream, "add_photos", {"id": "a1", "photos": [file] * 3})
    assert not three.is_error, text(three)
    assert upstream.request.content.count(b'name="photos"; filename="p.jpg"') == 3
    upstream = Upstream()
    nothing = await call_tool(gen, upstream, "set_cover", {"id": "a1"})
    assert not nothing.is_error, text(nothing)
    assert (upstream.request.method, upstream.request.content) == ("PUT", b"")  # no body with zero parts
    assert "content-type" not in upstream.request.headers


def test_basic_auth_from_one_credential(fixtures: Packages) -> None:
    gen = fixtures.fixture("basic_auth")
    seen = []
    for credential in ("sk_test_123", "user:pa:ss"):
        upstream = Upstream()
        with client(gen, upstream, **{gen.api.credential_arg: credential}) as c:
            c.balance.get_balance()
        seen.append(base64.b64decode(upstream.request.headers["authorization"].removeprefix("Basic ")))
    assert seen == [b"sk_test_123:", b"user:pa:ss"]
    doc = getattr(gen.package, gen.api.client_class).__doc__
    assert "HTTP Basic takes it as `user:password`; without a colon it is the user, with no password." in doc


def test_no_security_warns_and_the_server_starts_without_a_credential(fixtures: Packages) -> None:
    gen = fixtures.fixture("no_security")
    assert gen.warnings == [
        "warning: components.securitySchemes: the document declares no security scheme: calls go without "
        "credentials and FX_NO_SECURITY_API_KEY is not used"
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FX_NO_SECURITY")}
    env["PYTHONPATH"] = str(gen.directory.parent)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from fx_no_security.server import main; sys.exit(main(['--list-tools']))"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.split() == ["get_status"], done.stderr
    server = gen.module("_runtime.server")
    assert server._missing_config(gen.package.API, None, False) == []  # noqa: SLF001
    assert server._missing_config(gen.package.API, None, True) == ["FX_NO_SECURITY_API_KEY"]  # noqa: SLF001


def test_a_path_level_warning_is_given_once(fixtures: Packages) -> None:
    gen = fixtures.fixture("path_level_parameters")
    assert [w for w in gen.warnings if "X-Filter" in w] == [
        "warning: paths./things.parameters[0]: header parameter 'X-Filter': an object with nested objects or "
        "arrays has no simple form; parameter left out"
    ]


def test_boolean_schemas_of_31_are_valid(fixtures: Packages) -> None:
    gen = fixtures.fixture("unevaluated_31")
    assert not [w for w in gen.warnings if "does not follow the OpenAPI schema" in w]
    props = gen.op("create_item").tool.input_schema["properties"]
    assert props["extra"] == {}  # `true`: anything
    upstream = Upstream(httpx.Response(200, json={}))
    with client(gen, upstream) as c:
        c.items.create_item(name="n", extra=[1])
    assert json.loads(upstream.request.content) == {"name": "n", "extra": [1]}
    assert query(upstream.request) == []
