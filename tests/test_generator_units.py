"""Unit tests for the generator's small pure helpers and its IR.

* naming: identifiers, the product's tool-name rule, clipping to 64 characters;
* the collision policy (``generator.namer``), on its own and end to end through
  ``build_api`` with small in-memory documents;
* IR facts of the real Desk365 document that the curation exists for;
* load errors (snapshot-style checks of the messages) and safe generation of
  document text that would break naive code templates.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.curation import XApi, XTool
from generator.emit import apply
from generator.errors import Diagnostics, GenerationError
from generator.ir import Api, Operation
from generator.load import load_document
from generator.namer import Candidate, Namer
from generator.naming import (
    MAX_TOOL_NAME,
    TOOL_NAME_RE,
    clip,
    curated_tool_name,
    fallback_tool_name,
    pascal,
    py_identifier,
    snake,
    with_hash,
)
from generator.pipeline import build as build_ir
from generator.pipeline import run_document

ROOT = Path(__file__).resolve().parents[1]
DESK365 = ROOT / "openapi" / "desk365.yaml"

# The inventory's Desk365 tool names, in order (TOOL-INVENTORY.md): part of the
# product's interface, so pinned here rather than read back from the generator.
DESK365_TOOLS = [
    "list_all_desk_365_ping",
    "list_all_desk_365_tickets",
    "get_single_desk_365_ticket_by_id",
    "create_a_desk_365_ticket",
    "update_a_desk_365_ticket_by_id",
    "desk_365_tickets_create_with_attachment",
    "list_all_desk_365_ticket_conversations",
    "create_a_desk_365_ticket_reply",
    "desk_365_ticket_replies_create_with_attachment",
    "create_a_desk_365_ticket_note",
    "desk_365_ticket_notes_create_with_attachment",
    "list_all_desk_365_contacts",
    "get_single_desk_365_contact_by_id",
    "create_a_desk_365_contact",
    "desk_365_contacts_create_with_attachment",
    "update_a_desk_365_contact_by_id",
    "list_all_desk_365_companies",
    "get_single_desk_365_company_by_id",
    "create_a_desk_365_company",
    "desk_365_companies_create_with_attachment",
    "update_a_desk_365_company_by_id",
    "list_all_desk_365_time_entries",
    "get_single_desk_365_time_entry_by_id",
    "create_a_desk_365_time_entry",
    "list_all_desk_365_surveys",
    "get_single_desk_365_survey_by_id",
    "list_all_desk_365_survey_ratings",
    "list_all_desk_365_contracts",
    "get_single_desk_365_contract_by_id",
    "create_a_desk_365_contract",
    "update_a_desk_365_contract_by_id",
    "get_single_desk_365_kb_category_by_id",
    "create_a_desk_365_kb_category",
    "update_a_desk_365_kb_category_by_id",
    "delete_a_desk_365_kb_category_by_id",
    "get_single_desk_365_kb_folder_by_id",
    "create_a_desk_365_kb_folder",
    "update_a_desk_365_kb_folder_by_id",
    "delete_a_desk_365_kb_folder_by_id",
    "list_all_desk_365_kb_articles",
    "get_single_desk_365_kb_article_by_id",
    "create_a_desk_365_kb_article",
    "update_a_desk_365_kb_article_by_id",
    "delete_a_desk_365_kb_article_by_id",
]


# -- helpers ---------------------------------------------------------------------------


def build(tmp_path: Path, text: str, name: str = "doc.yaml") -> Api:
    """Load YAML ``text`` as a document file and build its IR (no models)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    doc = load_document(path)
    api = build_ir(doc, "pkg")
    return api


def load_error(tmp_path: Path, text: str) -> GenerationError:
    with pytest.raises(GenerationError) as info:
        build(tmp_path, text)
    return info.value


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


# -- naming ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GetTicketList", "get_ticket_list"),
        ("get-ticket list", "get_ticket_list"),
        ("getTicket_1", "get_ticket_1"),
        ("HTTPResponse", "http_response"),
        ("X-Request-Id", "x_request_id"),
        ("page[size]", "page_size"),
        ("café", "cafe"),
        ("__already__snake__", "already_snake"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ticket_replies", "TicketReplies"),
        ("list-tickets", "ListTickets"),
        ("kb_categories", "KbCategories"),
        ("GetTicketList", "GetTicketList"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),  # a soft keyword
        ("self", "self_"),
        ("X-Request-Id", "x_request_id"),
        ("page[size]", "page_size"),
        ("1st", "_1st"),
        ("365days", "_365days"),
        ("é", "e"),
        ("", "value"),
        ("???", "value"),
    ],
)
def test_py_identifier(text: str, expected: str) -> None:
    name = py_identifier(text)
    assert name == expected
    assert name.isidentifier()


def test_py_identifier_fallback() -> None:
    assert py_identifier("日本", fallback="arg") == "arg"


@pytest.mark.parametrize(
    ("kind", "method", "expected"),
    [
        ("list", None, "list_all_desk_365_tickets"),
        ("get", None, "get_single_desk_365_ticket_by_id"),
        ("create", None, "create_a_desk_365_ticket"),
        ("update", None, "update_a_desk_365_ticket_by_id"),
        ("delete", None, "delete_a_desk_365_ticket_by_id"),
        ("custom", "create_with_attachment", "desk_365_tickets_create_with_attachment"),
    ],
)
def test_curated_tool_name(kind: str, method: str | None, expected: str) -> None:
    assert curated_tool_name("desk_365", kind, "tickets", "ticket", method) == expected


def test_curated_tool_name_says_a_not_an() -> None:
    # TOOL-INVENTORY.md: `create_a_intercom_ticket`, not `create_an_...`.
    name = curated_tool_name("intercom", "create", "tickets", "ticket", None)
    assert name == "create_a_intercom_ticket"


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("GetTicketList", "get", "/v3/tickets", "get_ticket_list"),
        ("listTickets", "get", "/v3/tickets", "list_tickets"),
        (None, "get", "/v3/tickets/{id}", "get_v3_tickets_id"),
        ("", "POST", "/v3/kb/article/", "post_v3_kb_article"),
        ("---", "delete", "/x", "delete_x"),
        (None, "get", "/", "get"),
    ],
)
def test_fallback_tool_name(operation_id: str | None, method: str, path: str, expected: str) -> None:
    assert fallback_tool_name(operation_id, method, path) == expected


def test_clip_leaves_short_names() -> None:
    name = "a" * MAX_TOOL_NAME
    assert clip(name) == name


def test_clip_is_bounded_stable_and_distinct() -> None:
    prefix = "list_all_some_very_long_application_name_" + "resources_" * 4
    a, b = prefix + "alpha", prefix + "beta"
    assert a[:MAX_TOOL_NAME] == b[:MAX_TOOL_NAME]  # a naive cut would merge them
    ca, cb = clip(a), clip(b)
    assert len(ca) <= MAX_TOOL_NAME and len(cb) <= MAX_TOOL_NAME
    assert ca != cb
    assert clip(a) == ca  # stable
    assert re.fullmatch(r".+_[0-9a-f]{8}", ca)
    assert TOOL_NAME_RE.match(ca) and TOOL_NAME_RE.match(cb)


def test_clip_respects_a_smaller_limit() -> None:
    assert len(clip("x" * 100, limit=20)) <= 20


def test_long_uncurated_operation_id_is_clipped(tmp_path: Path) -> None:
    long_id = "Get" + "VeryLong" * 12
    api = build(
        tmp_path,
        f"""
        openapi: 3.1.0
        info: {{title: T, version: '1'}}
        paths:
          /a:
            get:
              operationId: {long_id}
              responses:
                '200': {{description: ok}}
        """,
    )
    name = api.operations[0].tool.name
    assert TOOL_NAME_RE.match(name)
    assert name == clip(snake(long_id))


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


# -- IR facts of the Desk365 document --------------------------------------------------


@pytest.fixture(scope="module")
def desk365() -> Api:
    doc = load_document(DESK365)
    api = build_ir(doc, "desk365")
    return api


def _op(api: Api, name: str) -> Operation:
    return next(op for op in api.operations if op.tool.name == name)


def test_desk365_tool_inventory_order(desk365: Api) -> None:
    assert [op.tool.name for op in desk365.operations] == DESK365_TOOLS
    assert len(desk365.operations) == 44


def test_desk365_tool_names_are_valid(desk365: Api) -> None:
    for op in desk365.operations:
        assert TOOL_NAME_RE.match(op.tool.name), op.tool.name
        for name in op.tool.input_schema.get("properties", {}):
            assert re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name), (op.tool.name, name)


def test_desk365_ticket_count_enum(desk365: Api) -> None:
    schema = _op(desk365, "list_all_desk_365_tickets").tool.input_schema
    assert schema["properties"]["ticket_count"]["enum"] == ["30", "50", "100"]
    assert schema["additionalProperties"] is False


def test_desk365_every_tool_schema_is_closed(desk365: Api) -> None:
    for op in desk365.operations:
        schema = op.tool.input_schema
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert set(schema.get("required", [])) <= set(schema["properties"])


ATTACHMENT_TOOLS = {
    "desk_365_tickets_create_with_attachment": "ticket_object",
    "desk_365_ticket_replies_create_with_attachment": "reply_object",
    "desk_365_ticket_notes_create_with_attachment": "note_object",
    "desk_365_contacts_create_with_attachment": "contact_object",
    "desk_365_companies_create_with_attachment": "company_object",
}


@pytest.mark.parametrize(("tool", "object_arg"), sorted(ATTACHMENT_TOOLS.items()))
def test_desk365_attachment_arguments(desk365: Api, tool: str, object_arg: str) -> None:
    op = _op(desk365, tool)
    args = {a.name: a for a in op.arguments}
    assert (args["file"].location, args["file"].encoding) == ("file", "file")
    assert (args["files"].location, args["files"].encoding) == ("file", "files")
    assert (args[object_arg].location, args[object_arg].encoding) == ("query", "json")
    assert op.body is not None and op.body.media_type == "multipart/form-data"
    assert f"`{object_arg}`" in op.tool.description


def test_desk365_add_reply_answers_201(desk365: Api) -> None:
    op = _op(desk365, "create_a_desk_365_ticket_reply")
    assert (op.method, op.path) == ("POST", "/v3/tickets/add_reply")
    assert op.response.status == 201


def test_desk365_annotations(desk365: Api) -> None:
    for op in desk365.operations:
        tool = op.tool
        if op.method == "GET":
            assert tool.read_only and not tool.destructive, tool.name
            assert tool.category == "read", tool.name
        else:
            assert not tool.read_only, tool.name
        if op.method == "DELETE":
            assert tool.destructive and tool.category == "write", tool.name


def test_desk365_descriptions_mention_id_arguments(desk365: Api) -> None:
    import yaml

    raw = yaml.safe_load(DESK365.read_text())
    checked = 0
    for op in desk365.operations:
        xtool = raw["paths"][op.path][op.method.lower()].get("x-tool") or {}
        for entry in xtool.get("ids") or []:
            assert f"`{entry['argument']}`" in op.tool.description, op.tool.name
            assert entry["argument"] in op.tool.input_schema["properties"], op.tool.name
            checked += 1
    assert checked >= 20


RECURSIVE = """
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /nodes:
    post:
      operationId: createNode
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
"""


def test_recursive_schema_uses_defs(tmp_path: Path) -> None:
    api = build(tmp_path, RECURSIVE)
    tool = api.operations[0].tool
    schema = tool.input_schema
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    node = schema["$defs"]["Node"]
    assert node["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert len(json.dumps(schema)) < 2000  # finite, and small
    output = tool.output_schema
    assert output is not None
    refs = re.findall(r'"#/\$defs/(\w+)"', json.dumps(output))  # every reference it keeps resolves
    assert all(name in output.get("$defs", {}) for name in refs)
    assert output["properties"]["children"]["type"] == "array"


# -- load errors -----------------------------------------------------------------------


def test_external_ref_is_refused_with_location(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              parameters:
                - $ref: 'other.yaml#/components/parameters/P'
              responses:
                '200': {description: ok}
        """,
    )
    assert len(error.diagnostics) == 1
    diag = error.diagnostics[0]
    assert diag.where == "paths./a.get.parameters[0].$ref"
    assert "external reference 'other.yaml#/components/parameters/P'" in diag.message
    assert "paths./a.get.parameters[0].$ref" in str(error)


def test_dangling_ref_is_reported(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              responses:
                '200': {$ref: '#/components/responses/Nope'}
        """,
    )
    assert [(d.where, d.message) for d in error.diagnostics] == [
        (
            "paths./a.get.responses.200.$ref",
            "reference '#/components/responses/Nope' does not resolve",
        )
    ]


def test_several_errors_are_reported_together(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              parameters:
                - $ref: 'https://example.com/p.yaml'
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Missing'}
          /b:
            get:
              responses:
                '200': {$ref: '#/components/responses/Nope'}
        """,
    )
    wheres = [d.where for d in error.diagnostics]
    assert wheres == [
        "paths./a.get.parameters[0].$ref",
        "paths./a.get.responses.200.content.application/json.schema.$ref",
        "paths./b.get.responses.200.$ref",
    ]
    assert str(error).startswith("doc.yaml: 3 error(s)\n")


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """
        swagger: '2.0'
        info: {title: T, version: '1'}
        paths: {}
        """,
    )
    assert len(error.diagnostics) == 1
    assert "Swagger 2.0" in str(error) and "OpenAPI 3.0 or 3.1" in str(error)


@pytest.mark.parametrize("version", ["2.0", "4.0.0", "3.2.0"])
def test_other_versions_are_refused(tmp_path: Path, version: str) -> None:
    error = load_error(
        tmp_path,
        f"""
        openapi: '{version}'
        info: {{title: T, version: '1'}}
        paths: {{}}
        """,
    )
    assert f"unsupported OpenAPI version '{version}'" in str(error)


def test_not_a_mapping_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "- just\n- a list\n")
    assert "not a mapping" in str(error)


def test_bad_yaml_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "openapi: [3.1.0\n")
    assert "cannot parse" in str(error)


# -- safe generation of hostile text ---------------------------------------------------

NASTY = 'Say """hi""" to C:\\new\\table, \'single\', "double", \\x00 and \\N{BULLET} \\'
NASTY_YAML = json.dumps(NASTY)  # a JSON string is a valid YAML scalar

HOSTILE = f"""
openapi: 3.1.0
info:
  title: {NASTY_YAML}
  version: '1'
  description: {NASTY_YAML}
paths:
  /things:
    post:
      operationId: makeThing
      summary: {NASTY_YAML}
      description: {NASTY_YAML}
      parameters:
        - name: q
          in: query
          description: {NASTY_YAML}
          schema: {{type: string, default: {NASTY_YAML}}}
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Thing'}}
      responses:
        '200':
          description: {NASTY_YAML}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Thing:
      type: object
      description: {NASTY_YAML}
      properties:
        label:
          type: string
          description: {NASTY_YAML}
          enum: [{NASTY_YAML}, plain]
"""


@pytest.fixture
def hostile_package(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    doc = tmp_path / "hostile.yaml"
    doc.write_text(HOSTILE)
    out = tmp_path / "out"
    result = run_document(doc, out, package="hostile_pkg", source=doc.name)
    apply(result.plan)
    sys.path.insert(0, str(out))
    try:
        yield out / "hostile_pkg", importlib.import_module("hostile_pkg")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "hostile_pkg"]:
            del sys.modules[name]


def test_hostile_text_renders_valid_python(hostile_package: tuple[Path, Any]) -> None:
    pkg_dir, _ = hostile_package
    files = sorted(pkg_dir.rglob("*.py"))
    assert files
    for path in files:
        compile(path.read_text(), str(path), "exec", dont_inherit=True)


def test_hostile_text_survives_unchanged(hostile_package: tuple[Path, Any]) -> None:
    _, package = hostile_package
    tools = importlib.import_module("hostile_pkg.tools").TOOLS
    (tool,) = tools
    assert NASTY in tool.description
    schema = tool.input_schema
    assert schema["properties"]["q"]["description"] == NASTY
    assert schema["properties"]["q"]["default"] == NASTY
    assert NASTY in schema["properties"]["label"]["enum"]
    client = package.HostilePkgClient(api_key="k", base_url="http://127.0.0.1:9")
    try:
        method = client.things.make_thing
        assert NASTY.split("\n")[0] in inspect.getdoc(method)
    finally:
        client.close()
    models = importlib.import_module("hostile_pkg.models")
    assert models.Thing(label=NASTY).label == NASTY


def test_id_note_is_its_own_sentence() -> None:
    from generator.describe import tool_description

    xtool = XTool.model_validate({
        "resource": "conversations", "kind": "get",
        "ids": [{"argument": "conversation_id", "source": "`list_conversations`", "note": "a numeric id"}],
    })  # fmt: skip
    text = tool_description(usage="Reads one.", xtool=xtool, arguments={}, json_query=(), files=(), deprecated=False)
    assert text.splitlines()[1] == "ID: the exact `conversation_id` from `list_conversations`. A numeric id."
