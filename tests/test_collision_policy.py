"""The collision policy of argument and tool names (``generator.namer``).

On its own (``Namer.arguments``) and end to end through ``build_api`` with small in-memory
documents: one name in several locations, names that clash once normalised, Python
keywords, and clashes that cannot be resolved (an error naming both locations when
curated, a stable hash and a located warning when not); duplicate tool names likewise.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.curation import XApi
from generator.errors import Diagnostics
from generator.ir import Operation
from generator.namer import Candidate, Namer
from generator.naming import (
    with_hash,
)
from tests.generator_helpers import build, load_error


def args_of(op: Operation) -> dict[str, tuple[str, str, str]]:
    """Tool argument name -> (python name, wire name, location)."""
    return {a.name: (a.py_name, a.wire, a.location) for a in op.arguments}


def one_operation(tmp_path: Path, parameters: str, body: str = "") -> Operation:
    """Build a document with one ``POST /a`` operation; YAML snippets are indented."""
    text = (
        "openapi: 3.1.0\n"
        "info: {title: T, version: '1'}\n"
        "paths:\n"
        "  /a/{id}:\n"
        "    post:\n"
        "      operationId: doIt\n"
        "      parameters:\n" + textwrap.indent(textwrap.dedent(parameters).strip(), " " * 8) + "\n"
    )
    if body:
        text += (
            "      requestBody:\n"
            "        content:\n"
            "          application/json:\n"
            "            schema:\n"
            "              type: object\n"
            "              properties:\n" + textwrap.indent(textwrap.dedent(body).strip(), " " * 16) + "\n"
        )
    text += "      responses:\n        '200': {description: ok}\n"
    api = build(tmp_path, text)
    assert len(api.operations) == 1
    return api.operations[0]


# -- the collision policy --------------------------------------------------------------


def _candidate(native: str, location: str) -> Candidate:
    return Candidate(native, location, f"{location}:{native}", {})


def _namer(diags: Diagnostics) -> Namer:
    return Namer("pkg", XApi(), diags)


def test_assign_names_unit() -> None:
    diags = Diagnostics("unit")
    named = _namer(diags).arguments(
        [
            _candidate("id", "path"),
            _candidate("name", "query"),
            _candidate("name", "header"),
            _candidate("class", "query"),
            _candidate("id", "body"),
        ],
        strict=True,
    )
    assert not diags.items
    assert [(c.native, c.location, t, p) for c, t, p in named] == [
        ("id", "path", "id_path", "id_path"),
        ("name", "query", "name_query", "name_query"),
        ("name", "header", "name_header", "name_header"),
        ("class", "query", "class", "class_"),
        ("id", "body", "id", "id"),
    ]


def test_assign_names_unresolvable_clash_is_an_error() -> None:
    diags = Diagnostics("unit")
    _namer(diags).arguments(
        [
            _candidate("name", "query"),
            _candidate("name", "header"),
            _candidate("name_query", "query"),
        ],
        strict=True,
    )
    assert len(diags.errors) == 1
    error = diags.errors[0]
    assert error.where == "query:name_query"
    assert "query:name" in error.message and "'name_query'" in error.message


def test_name_in_path_and_body(tmp_path: Path) -> None:
    op = one_operation(
        tmp_path,
        "- {name: id, in: path, required: true, schema: {type: string}}",
        "id: {type: string}\ntitle: {type: string}",
    )
    args = args_of(op)
    assert args["id_path"] == ("id_path", "id", "path")
    assert args["id"] == ("id", "id", "body")
    assert args["title"] == ("title", "title", "body")
    assert set(op.tool.input_schema["properties"]) == {"id_path", "id", "title"}
    assert "id_path" in op.tool.input_schema["required"]


def test_same_name_in_query_and_header(tmp_path: Path) -> None:
    op = one_operation(
        tmp_path,
        """
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: name, in: query, schema: {type: string}}
        - {name: name, in: header, schema: {type: string}}
        """,
    )
    args = args_of(op)
    assert args["name_query"] == ("name_query", "name", "query")
    assert args["name_header"] == ("name_header", "name", "header")
    assert "name" not in args
    assert args["id"] == ("id", "id", "path")  # no clash: no suffix


def test_normalisation_clash_between_parameters(tmp_path: Path) -> None:
    op = one_operation(
        tmp_path,
        """
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: dry-run, in: query, schema: {type: boolean}}
        - {name: dry_run, in: header, schema: {type: boolean}}
        """,
    )
    by_wire = {(a.wire, a.location): a for a in op.arguments}
    query, header = by_wire[("dry-run", "query")], by_wire[("dry_run", "header")]
    assert header.name == "dry_run_header" and header.py_name == "dry_run_header"
    assert query.py_name == "dry_run"
    assert len({a.name for a in op.arguments}) == len(op.arguments)
    assert len({a.py_name for a in op.arguments}) == len(op.arguments)


def test_normalisation_clash_with_body_suffixes_the_parameter(tmp_path: Path) -> None:
    # Body properties keep their names; the parameter takes the location suffix.
    op = one_operation(
        tmp_path,
        """
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: dry-run, in: query, schema: {type: boolean}}
        """,
        "dry_run: {type: string}",
    )
    by_wire = {(a.wire, a.location): a for a in op.arguments}
    assert by_wire[("dry_run", "body")].name == "dry_run"
    assert by_wire[("dry_run", "body")].py_name == "dry_run"
    query = by_wire[("dry-run", "query")]
    assert query.py_name == "dry_run_query"
    assert query.name.endswith("_query")


CLASH = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: clash
      parameters:
        - {name: name, in: query, schema: {type: string}}
        - {name: name, in: header, schema: {type: string}}
        - {name: name_query, in: query, schema: {type: string}}
      responses:
        '200': {description: ok}
"""


def test_unresolvable_clash_names_both_locations(tmp_path: Path) -> None:
    # Curated: the curator must rename; generation fails naming both sources.
    curated = CLASH.replace("operationId: clash", "operationId: clash\n      x-tool: {kind: list, resource: things}")
    error = load_error(tmp_path, curated)
    text = str(error)
    assert "'name_query'" in text and "clashes" in text
    assert "paths./a.get.parameters[0]" in text
    assert "paths./a.get.parameters[2]" in text


def test_unresolvable_clash_in_an_uncurated_operation_gets_a_hash(tmp_path: Path) -> None:
    api = build(tmp_path, CLASH)
    (op,) = api.operations
    renamed = with_hash("name_query", "query name_query")
    assert [(a.name, a.wire, a.location) for a in op.arguments] == [
        ("name_query", "name", "query"),
        ("name_header", "name", "header"),
        (renamed, "name_query", "query"),
    ]
    assert [w for w in api.warnings if "servers" not in w and "security" not in w] == [  # no servers, no security
        f"warning: paths./a.get.parameters[2]: argument name clashes with paths./a.get.parameters[0]; named {renamed!r}"
    ]


def test_python_keyword_parameter(tmp_path: Path) -> None:
    op = one_operation(
        tmp_path,
        """
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: from, in: query, schema: {type: string}}
        - {name: class, in: header, schema: {type: string}}
        """,
    )
    args = args_of(op)
    assert args["from"] == ("from_", "from", "query")
    assert args["class"] == ("class_", "class", "header")
    assert "from" in op.tool.input_schema["properties"]


DUPLICATE = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: same
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: same
      responses: {'200': {description: ok}}
"""


def test_duplicate_tool_name_fails(tmp_path: Path) -> None:
    # Curated names are the curator's choice: a duplicate is an error.
    curated = DUPLICATE.replace(
        "operationId: same", "operationId: same\n      x-tool: {kind: custom, resource: a, name: same}"
    )
    error = load_error(tmp_path, curated)
    assert "paths./b.get" in str(error) and "'same'" in str(error)


def test_duplicate_uncurated_tool_name_gets_a_stable_hash(tmp_path: Path) -> None:
    api = build(tmp_path, DUPLICATE)
    assert [op.tool.name for op in api.operations] == ["same", with_hash("same", "GET /b")]
    assert api.operations[1].tool.name == "same_db789e"
    assert [w for w in api.warnings if "servers" not in w and "security" not in w] == [
        "warning: paths./b.get: tool name 'same' is already used by paths./a.get; named 'same_db789e'"
    ]
