"""Identifier arguments declared as the API returns them (``generator/build/ids.py``).

Unit rules on small documents (what decides the returned type, what changes and
what never does), the curated Intercom package (every id argument takes what the
answers carry, in every tool), and the round trip: an id copied from a result as a
string goes out as the integer the operation takes, and a non-id is refused with
words that name the fix.
"""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict
from typing import Any

import httpx
import pytest

from generated.intercom import API, AsyncIntercomClient
from generated.intercom._runtime.host import ToolHost
from generated.intercom.tools import TOOLS
from generator.build.ids import DIGITS, ReturnedIds
from generator.load import load_text
from generator.pipeline import build as build_ir
from tests.mocks import create_app

pytestmark = pytest.mark.anyio


DOC = """
openapi: 3.0.3
info: {title: Ids, version: '1'}
servers: [{url: 'https://api.example.test'}]
paths:
  /threads/{id}:
    get:
      operationId: getThread
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thread'}}}}
  /threads/{thread_id}/posts:
    post:
      operationId: addPost
      parameters:
        - {name: thread_id, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                author_id: {type: integer}
                editor_id: {type: integer, nullable: true}
                label_id: {type: string}
                either_id: {oneOf: [{type: string}, {type: integer}]}
                count: {type: integer}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Post'}}}}
components:
  schemas:
    Thread:
      type: object
      properties:
        type: {type: string, enum: [thread]}
        id: {type: string}
    Post:
      type: object
      properties:
        id: {type: string}
        author_id: {type: integer}
        label_id: {type: integer}
"""


def ir(text: str = DOC) -> Any:
    return build_ir(load_text(textwrap.dedent(text).encode(), "ids.yaml"), "pkg")


def test_what_the_answers_carry() -> None:
    doc = load_text(textwrap.dedent(DOC).encode(), "ids.yaml")
    ids = ReturnedIds.of(doc)
    assert ids.returned("id", "thread") == "string"  # the Thread object's own id
    assert ids.returned("thread_id", None) == "string"  # <resource>_id: the id of a thread
    assert ids.returned("author_id", None) == "integer"  # a member of that name, as answered
    assert ids.returned("editor_id", None) == "string"  # nothing says: the API's ids in general
    assert ids.returned("count", None) is None  # not an id


def test_integer_ids_become_digit_strings_and_nothing_else_changes() -> None:
    api = ir()
    get, add = (op.tool for op in api.operations)
    assert get.input_schema["properties"]["id"] == {"type": "string", "pattern": DIGITS}
    assert get.wire_types == (("id", "integer"),)
    props = add.input_schema["properties"]
    assert props["thread_id"]["type"] == "string" and props["author_id"] == {"type": "integer"}
    assert props["editor_id"]["type"] == ["string", "null"]  # nullable stays nullable
    assert props["label_id"] == {"type": "string"}  # never narrowed to the integer answers carry
    assert "anyOf" in props["either_id"] or "oneOf" in props["either_id"]  # both forms, sent as given
    assert props["count"] == {"type": "integer"}
    assert add.wire_types == (("thread_id", "integer"), ("editor_id", "integer"))


def test_an_api_of_integer_ids_is_left_alone() -> None:
    text = DOC.replace("id: {type: string}", "id: {type: integer}")
    assert all(not op.tool.wire_types for op in ir(text).operations)


def test_every_intercom_id_argument_takes_what_the_answers_carry() -> None:
    forms: dict[str, set[str]] = defaultdict(set)
    for tool in TOOLS:
        for name, schema in tool.input_schema["properties"].items():
            if name == "id" or name.endswith("_id"):
                types = schema.get("type") or [b.get("type") for b in schema.get("anyOf", [])]
                forms[name].add(json.dumps(types))
    integers = {name for name, seen in forms.items() if any("integer" in f and "string" not in f for f in seen)}
    assert integers == {"author_id", "sender_id"}  # the two members Intercom's answers carry as numbers
    assert forms["conversation_id"] <= {'"string"', '["string", "integer"]'}  # a union takes both, as given
    assert forms["article_id"] == {'"string"'}


TICKET = "3847201"


def host() -> tuple[ToolHost, Any]:
    app = create_app("intercom")
    http = httpx.AsyncClient(transport=app.transport())
    return ToolHost(API, TOOLS, AsyncIntercomClient(access_token="t", base_url="http://m", http_client=http)), app


async def test_a_copied_string_id_goes_out_as_the_operations_integer() -> None:
    tools, app = host()
    listed = await tools.call("list_all_intercom_conversations", {"per_page": 1})
    conversation = json.loads(listed.content[0].text)["conversations"][0]["id"]
    assert isinstance(conversation, str)
    got = await tools.call("get_single_intercom_conversation_by_id", {"conversation_id": conversation})
    assert not got.is_error, got.content[0].text
    ticket = await tools.call("update_a_intercom_ticket_by_id", {"ticket_id": TICKET, "admin_id": "991267401",
                                                                  "open": False})  # fmt: skip
    sent = json.loads(app.requests[-1].body)
    assert sent["admin_id"] == 991267401, ticket.content[0].text  # the document's integer, exactly
    bad = await tools.call("get_single_intercom_conversation_by_id", {"conversation_id": "abc"})
    assert bad.is_error and 'conversation_id must be an id made of digits, e.g. "10934855"' in bad.content[0].text
    assert len(app.requests) == 3
