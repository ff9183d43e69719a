"""Safe generation of document text that would break naive code templates: quotes, triple
quotes, backslashes and escapes in every description, default and enum value render valid
Python and survive unchanged into the tools, the client's docstrings and the models.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.emit import apply
from generator.pipeline import run_document

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
