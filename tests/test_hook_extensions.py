"""The generator side of the hook extensions: ``x-tool.result`` (a transform), ``x-tool.checks``
and ``x-tool.errors`` reach the IR (output schema, description, error hints, exports), and a
wrong one fails generation naming its location.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.errors import GenerationError
from generator.load import load_document
from generator.pipeline import build as build_ir

# -- the generator side of the hook extensions ------------------------------------------------

HOOKED = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      x-tool:
        resource: things
        kind: get
{hooks}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {response}
"""
OBJECT = "{type: object, properties: {id: {type: string}}}"


def build_hooked(tmp_path: Path, hooks: str, response: str = OBJECT) -> Any:
    path = tmp_path / "doc.yaml"
    path.write_text(HOOKED.format(hooks=textwrap.indent(textwrap.dedent(hooks).strip(), " " * 8), response=response))
    api = build_ir(load_document(path), "pkg")
    return api


def test_hook_extensions_reach_the_ir(tmp_path: Path) -> None:
    api = build_hooked(
        tmp_path,
        """
        result: {transform: conversation_timeline}
        checks: {id: search_query}
        errors:
          - {status: [404, 410], given: id, message: "Gone:   look it up again."}
          - {status: 400, absent: id, message: Bad.}
        """,
    )
    (op,) = api.operations
    assert op.checks == (("id", "search_query"),)
    assert op.tool.transform == "conversation_timeline"
    assert list(op.tool.output_schema["properties"]) == ["timeline", "id"]
    assert "`timeline`" in op.tool.description
    assert [(h.status, h.message, h.given, h.absent) for h in op.tool.error_hints] == [
        ((404, 410), "Gone: look it up again.", "id", None),
        ((400,), "Bad.", None, "id"),
    ]
    assert api.exports == (("timeline", "TimelineEntry"), ("timeline", "conversation_timeline"))


@pytest.mark.parametrize(
    ("hooks", "response", "message"),
    [
        ("result: {transform: nope}", OBJECT, "unknown transform 'nope'; known: conversation_timeline, scroll_next"),
        ("result: {transform: scroll_next}", "{type: string}", "a result transform needs a JSON object response"),
        ("checks: {q: search_query}", OBJECT, "'q' is not an argument of this tool"),
        ("checks: {id: spelling}", OBJECT, "unknown check 'spelling'; known: search_query"),
        ("errors: [{status: 200, message: x}]", OBJECT, "status must be an HTTP error status (400-599) or a list"),
        ("errors: [{status: 404}]", OBJECT, "x-tool.errors[0].message: is required"),
        ("errors: [{status: 404, given: nope, message: x}]", OBJECT, "'nope' is not an argument of this tool"),
    ],
)
def test_bad_hook_extensions_fail_generation(tmp_path: Path, hooks: str, response: str, message: str) -> None:
    with pytest.raises(GenerationError) as info:
        build_hooked(tmp_path, hooks, response)
    assert message in str(info.value)
    assert "paths./things/{id}.get.x-tool" in str(info.value)
