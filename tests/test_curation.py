"""The typed curation extensions (``generator/curation.py``): every misspelled or mistyped
key of ``x-api`` / ``x-tool`` stops generation naming its location, and the reference in
``openapi/README.md`` is the one the models render."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.curation import reference_markdown, update_reference
from generator.errors import GenerationError
from generator.load import load_text

ROOT = Path(__file__).resolve().parents[1]

DOC = """\
openapi: 3.1.0
info: {{title: Things, version: '1'}}
servers: [{{url: 'https://api.example.test'}}]
{root}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}{param}}}
      x-tool:
        resource: things
        kind: get
{tool}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: object}}}}}}}}
"""


def document(tool: str = "", root: str = "", param: str = "") -> bytes:
    return DOC.format(tool=textwrap.indent(tool, " " * 8), root=root, param=param).encode()


def errors(tool: str = "", root: str = "", param: str = "") -> list[str]:
    with pytest.raises(GenerationError) as info:
        load_text(document(tool, root, param), "doc.yaml")
    return [f"{d.where}: {d.message}" for d in info.value.diagnostics]


def test_a_curated_document_loads() -> None:
    doc = load_text(document("usage: Reads a thing."), "doc.yaml")
    xtool = doc.curation.tool("/things/{id}", "get")
    assert xtool is not None and xtool.usage == "Reads a thing." and xtool.kind == "get"


@pytest.mark.parametrize(
    ("tool", "expected"),
    [
        ("usgae: Reads a thing.", "paths./things/{id}.get.x-tool.usgae: unknown key; did you mean 'usage'?"),
        ("intnet: {read_only: true}", "paths./things/{id}.get.x-tool.intnet: unknown key; did you mean 'intent'?"),
        (
            "intent: {read_only: 'yes'}",
            "paths./things/{id}.get.x-tool.intent.read_only: must be true or false; got a string 'yes'",
        ),
        ("intent: {side_efects: [x]}", "x-tool.intent.side_efects: unknown key; did you mean 'side_effects'?"),
        ("paging: {style: pages}", "x-tool.paging.style: input should be 'offset', 'cursor' or 'scroll'; got 'pages'"),
        ("ids: [{source: x}]", "paths./things/{id}.get.x-tool.ids[0].argument: is required"),
        ("rules: 'one rule'", "paths./things/{id}.get.x-tool.rules: must be a list; got a string 'one rule'"),
        ("method: close", "paths./things/{id}.get.x-tool: `method` applies to the custom kind only"),
        ("singular: Thing", "paths./things/{id}.get.x-tool.singular: must be snake case; got 'Thing'"),
    ],
)
def test_misspelled_or_mistyped_x_tool_keys_are_located_errors(tool: str, expected: str) -> None:
    found = errors(tool)
    assert any(expected in line for line in found), found


def test_x_api_keys_and_near_misses_are_checked() -> None:
    found = errors(root="x-api: {nmae: things, credential: {env: lower_case}}")
    assert "x-api.nmae: unknown key; did you mean 'name'?" in found
    assert any(line.startswith("x-api.credential.env: ") for line in found), found
    found = errors(root="x-tol: {}")
    assert found == ["x-tol: unknown extension; did you mean 'x-tool'?"]
    found = errors(param=", x-tool-hidden: 'yes'")
    assert found == ["paths./things/{id}.get.parameters[0].x-tool-hidden: must be true or false"]


def test_make_check_fails_naming_the_location(tmp_path: Path) -> None:
    """The regeneration gate loads every curated document: a typo fails it with its place."""
    shutil.copytree(ROOT / "openapi", tmp_path / "openapi")
    desk = tmp_path / "openapi" / "desk365.yaml"
    desk.write_text(desk.read_text().replace("        usage: >-\n", "        usgae: >-\n", 1))
    result = CliRunner().invoke(
        main, ["check", "--openapi-dir", str(tmp_path / "openapi"), "--out", str(ROOT / "generated")]
    )
    assert result.exit_code == 1
    assert ".x-tool.usgae: unknown key; did you mean 'usage'?" in result.output


def test_readme_reference_is_the_models() -> None:
    readme = (ROOT / "openapi" / "README.md").read_text()
    assert update_reference(readme) == readme  # `make check` enforces it too
    assert reference_markdown() in readme
    for key in ("`x-tool`", "`intent.side_effects`", "`paging.style`", "`credential.env`", "`errors.status`"):
        assert key in readme
