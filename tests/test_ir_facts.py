"""Facts of the IR (``generator.ir``) that the curation and the generator promise.

For the real Desk365 document: the inventory's tool names in order, valid names, closed
input schemas, the attachment arguments, a 201 answer, the annotations and the ID
arguments named in descriptions; a recursive schema kept finite through ``$defs``; and
the ID note of a tool description read as its own sentence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.curation import XTool
from generator.ir import Api, Operation
from generator.load import load_document
from generator.naming import (
    TOOL_NAME_RE,
)
from generator.pipeline import build as build_ir
from tests.generator_helpers import build

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


def test_id_note_is_its_own_sentence() -> None:
    from generator.describe import tool_description

    xtool = XTool.model_validate({
        "resource": "conversations", "kind": "get",
        "ids": [{"argument": "conversation_id", "source": "`list_conversations`", "note": "a numeric id"}],
    })  # fmt: skip
    text = tool_description(usage="Reads one.", xtool=xtool, arguments={}, json_query=(), files=(), deprecated=False)
    assert text.splitlines()[1] == "ID: the exact `conversation_id` from `list_conversations`. A numeric id."
