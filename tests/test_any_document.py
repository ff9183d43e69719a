"""Any OpenAPI 3.0 / 3.1 document: the generator on documents without curation extensions.

Two layers, both generated for real (load -> build -> render -> format) into a
temporary folder and imported:

* **Feature fixtures** (``tests/fixtures/openapi/*.yaml``), one feature each: messy
  operationIds, awkward parameter names, one name in every location, recursion,
  composition, 3.0 ``nullable`` and 3.1 type arrays, every kind of body, parameter
  styles, servers, security overrides, deprecated operations, group names and YAML
  quirks. Here, for every fixture (``EXPECTED``): it generates, imports and warns as
  expected, its names and schemas are valid, and path values keep to their segments;
  one ``mypy --strict`` run checks every fixture package and both full vendor packages;
  and the ``generate`` command writes any folder. The names the generator chose, the
  warnings it gave for what it skipped, and the exact request a call sends through
  ``httpx.MockTransport``, per feature: ``test_any_document_features.py`` (and
  ``test_any_document_servers.py``).
* **The two full vendor documents**: ``test_any_document_vendor.py``; the fixtures of
  the defects found on large real documents (issue 14): ``test_any_document_defects.py``
  and ``test_any_document_encodings.py``. Shared helpers: ``tests/anydoc.py``.

Generation runs once per document and test session (the ``fixtures`` and ``vendor``
fixtures of ``conftest.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main as cli
from generator.naming import ARG_NAME_RE, TOOL_NAME_RE
from tests.anydoc import BASE, DESK365, FIXTURES, INTERCOM, Packages, Upstream, call_tool, text

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
            ("paths./events.get.parameters[4]", "header style 'form' is not supported (OpenAPI gives a header simple)"),
            ("paths./events.get.parameters[5]", "header parameter 'Content-Type' is ignored"),
            ("paths./exports/{job}.get.parameters[1]", "path parameter 'stale' is not in the path"),
            ("paths./exports/{job}.get", "path variable {job} has no path parameter; added as a required string"),
            (
                "paths./formstyle/{id}.get.parameters[0]",
                "path style 'form' is not supported (OpenAPI gives a path simple, label, matrix); operation skipped",
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
    "path_header_styles": (
        4,
        [
            (
                "paths./maps/{point}.get.parameters[0].schema.anyOf[2]",
                "path parameter 'point': an array of objects or arrays has no standard form; left out of the tool's",
            ),
            NO_SECURITY,
        ],
    ),
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
        [
            (
                "paths./things.parameters[0]",
                "header parameter 'X-Filter': an object with nested objects or arrays has no simple form",
            ),
            NO_SECURITY,
        ],
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
