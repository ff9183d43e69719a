"""Models: pydantic v2 classes for every component schema, by datamodel-code-generator.

Inline object schemas of success responses are hoisted into the schema set under
a deterministic name (``<Tool>Response``) first, so every typed client method can
name its result class. datamodel-code-generator's own class naming is kept
(it renames hazards such as Python keywords); :func:`class_map` reads the class
names back from its output instead of guessing them. The package is imported
only when models actually need to be generated: the warm path reuses the
checked-in output (see :mod:`generator.emit`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from .naming import pascal
from .schema import media_kind

__all__ = ["models_input", "models_key", "generate_models", "class_map"]

_CLASS = re.compile(r"^class (\w+)\(", re.M)
DCG_OPTIONS: dict[str, Any] = {
    "use_annotated": True,
    "field_constraints": True,
    "snake_case_field": True,
    "allow_population_by_field_name": True,
    "use_schema_description": True,
    "use_field_description": True,
    "disable_timestamp": True,
    "use_double_quotes": True,
    "extra_fields": "allow",
    "enum_field_as_literal": "all",
    "use_standard_collections": True,
    "use_union_operator": True,
    # Explicit: otherwise the formatter takes the line length from the nearest
    # pyproject.toml of the working directory, so output would depend on the cwd.
    "builtin_format_line_length": 88,  # black's default, like the rest of the package
    # pydantic's EmailStr needs the email-validator package, which generated code
    # does not depend on; and an answer is not worth refusing over an odd address.
    # AnyUrl and UUID would normalise what a library user passes in a model
    # ("https://x.io" becomes "https://x.io/"; found by fuzzing): keep the text as given.
    "type_mappings": ["email=string", "idn-email=string", "uri=string", "uri-reference=string", "uuid=string"],
}


def models_input(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The schema set to generate: component schemas plus hoisted inline responses.

    Returns the schemas and, for each hoisted response, ``(path, method) -> name``.
    """
    schemas = dict((raw.get("components") or {}).get("schemas") or {})
    hoisted: dict[tuple[str, str], str] = {}
    for path, item in (raw.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method, op in item.items():
            if not isinstance(op, Mapping) or "responses" not in op:
                continue
            schema = _success_schema(op)
            if (
                isinstance(schema, Mapping)
                and "$ref" not in schema
                and (schema.get("type") == "object" or "properties" in schema)
            ):
                base = pascal(op.get("operationId") or f"{method} {path}") + "Response"
                name, n = base, 2
                while name in schemas:
                    name, n = f"{base}{n}", n + 1
                schemas[name] = schema
                hoisted[(path, method)] = name
    return schemas, hoisted


def _success_schema(op: Mapping[str, Any]) -> Any:
    codes = sorted(str(c) for c in (op.get("responses") or {}) if str(c).startswith("2"))
    if not codes:
        return None
    resp = op["responses"][codes[0]]
    if not isinstance(resp, Mapping):
        return None
    for media, spec in (resp.get("content") or {}).items():
        if media_kind(str(media)) == "json":
            return (spec or {}).get("schema") if isinstance(spec, Mapping) else None
    return None


def models_key(schemas: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    """A hash of everything that determines the models module."""
    import importlib.metadata as md

    payload = {
        "schemas": schemas,
        "openapi": raw.get("openapi"),
        "options": DCG_OPTIONS,
        "dcg": md.version("datamodel-code-generator"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def generate_models(schemas: Mapping[str, Any], raw: Mapping[str, Any], header: str) -> str:
    """Run datamodel-code-generator on ``schemas``; returns the module source."""
    import warnings

    from datamodel_code_generator import DataModelType, InputFileType, generate
    from datamodel_code_generator.format import Formatter, PythonVersion

    real = _dcg_safe(schemas)
    if not real:
        return header + "\nfrom __future__ import annotations\n"
    document = {
        "openapi": raw.get("openapi", "3.1.0"),
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": real},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = generate(
            json.dumps(document),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            formatters=[Formatter.BUILTIN],
            custom_file_header=header.rstrip("\n"),
            **DCG_OPTIONS,
        )
    assert isinstance(out, str)
    return out


_PREFIX = "#/components/schemas/"


def _dcg_name(name: str) -> str:
    """The schema name datamodel-code-generator is given: it reads a dot as a module
    path and fails on ``Foo.Bar``, so dots become underscores."""
    return name.replace(".", "_")


def _dcg_safe(schemas: Mapping[str, Any]) -> dict[str, Any]:
    """``schemas`` under :func:`_dcg_name` names, with every ``$ref`` to them rewritten."""
    if not any("." in name for name in schemas):
        return dict(schemas)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                out["$ref"] = _PREFIX + _dcg_name(ref[len(_PREFIX) :])
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    return {_dcg_name(name): rewrite(schema) for name, schema in schemas.items()}


def class_map(source: str, schemas: Mapping[str, Any]) -> dict[str, str]:
    """``#/components/schemas/<name>`` -> generated class name, for names found."""
    classes = set(_CLASS.findall(source))
    out: dict[str, str] = {}
    for name in schemas:
        safe = _dcg_name(name)
        for candidate in (name, pascal(name), name[:1].upper() + name[1:], safe[:1].upper() + safe[1:]):
            if candidate in classes:
                out[f"#/components/schemas/{name}"] = candidate
                break
    return out
