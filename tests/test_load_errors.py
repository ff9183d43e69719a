"""Documents the generator refuses, with their located messages (snapshot-style checks):
external and dangling references (several reported together), Swagger 2.0 and other
versions, a document that is not a mapping, and YAML that does not parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generator_helpers import load_error

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
