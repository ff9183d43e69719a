"""Models: pydantic v2 classes for every schema, by datamodel-code-generator (dcg).

Two stages meet here. In the IR stage, :func:`model_set` collects what the models
module holds: the component schemas, plus each operation's inline object success
response, hoisted under a name the namer chooses (``<OperationId>Response``), so
every typed client method can name its result class. The IR refers to a model by
its schema pointer (:func:`generator.ir.model_ref`).

In the render stage, :func:`render_models` runs dcg on that set and reads the
class it made for each schema from dcg's own model metadata (``source_ref`` ->
``class_name``). dcg owns those names: it renames a class when an inline model
took the name first (Intercom's ``NewsfeedAssignment`` becomes
``NewsfeedAssignmentModel``), and its metadata says so exactly, where reading
class names back from the source text would guess. dcg runs only when the input
changed: a cache (given by the emit stage, which owns the disk) returns the
previous module and its class map for the same key (:func:`models_key`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .formatting import format_sources, formatter_version
from .ir import ModelSet
from .namer import Namer
from .shapes import media_kind

__all__ = ["ModelCache", "Models", "model_set", "models_key", "render_models", "schema_pointer"]

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
    # pydantic's EmailStr needs the email-validator package, which generated code
    # does not depend on; and an answer is not worth refusing over an odd address.
    # AnyUrl and UUID would normalise what a library user passes in a model
    # ("https://x.io" becomes "https://x.io/"; found by fuzzing): keep the text as given.
    "type_mappings": ["email=string", "idn-email=string", "uri=string", "uri-reference=string", "uuid=string"],
}
_PREFIX = "#/components/schemas/"


def schema_pointer(name: str) -> str:
    """The pointer of a model-set schema (``Ticket`` -> ``#/components/schemas/Ticket``)."""
    return _PREFIX + name.replace("~", "~0").replace("/", "~1")


# -- IR stage ---------------------------------------------------------------------------------


def model_set(raw: Mapping[str, Any], namer: Namer) -> tuple[ModelSet, dict[tuple[str, str], str]]:
    """The models module's input, and for each hoisted response ``(path, method) -> pointer``."""
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
                name = namer.hoisted_response(op.get("operationId"), method, path, schemas.__contains__)
                schemas[name] = schema
                hoisted[(path, method)] = schema_pointer(name)
    return ModelSet(schemas, str(raw.get("openapi", "3.1.0"))), hoisted


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


# -- render stage -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Models:
    """The models module: its source, and the class dcg made for each schema pointer."""

    source: str
    classes: Mapping[str, str]
    key: str


class ModelCache(Protocol):
    """Where a previous run's models module is found (the emit stage implements it)."""

    def get(self, key: str) -> Models | None:
        """The models generated from the input with this key, if still on disk unchanged."""


def models_key(models: ModelSet) -> str:
    """A hash of everything that determines the models module."""
    import importlib.metadata as md

    payload = {
        "schemas": models.schemas,
        "openapi": models.openapi,
        "options": DCG_OPTIONS,
        "dcg": md.version("datamodel-code-generator"),
        "formatter": formatter_version(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def render_models(models: ModelSet, header: str, cache: ModelCache | None = None) -> Models:
    """The models module of ``models`` (from the cache when its input is unchanged).

    Raises whatever dcg raises when it refuses the schema set; the caller falls back
    to plain JSON types (every model reference resolves to ``dict[str, Any]``)."""
    models = ModelSet(
        {name: _without_object_defaults(schema) for name, schema in models.schemas.items()}, models.openapi
    )
    key = models_key(models)
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return cached
    real, originals = _dcg_safe(models.schemas)
    if not real:
        return Models(header + "\nfrom __future__ import annotations\n", {}, key)
    source, metadata = _run_dcg(real, models.openapi, header)
    classes = {}
    for entry in metadata.get("models", []):
        ref = entry.get("source_ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX) and ref[len(_PREFIX) :] in originals:
            classes[schema_pointer(originals[ref[len(_PREFIX) :]])] = str(entry["class_name"])
    return Models(source, dict(sorted(classes.items())), key)


def _run_dcg(schemas: Mapping[str, Any], openapi: str, header: str) -> tuple[str, dict[str, Any]]:
    """dcg's module text and its model metadata (written to a private temporary file:
    dcg has no in-memory form of it)."""
    import warnings

    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    document = {
        "openapi": openapi,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    with tempfile.TemporaryDirectory(prefix="helpdesk-mcp-models-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metadata_file = Path(tmp) / "models.json"
        out = generate(
            json.dumps(document),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            formatters=[],  # formatted below, by ruff: dcg's own formatter took a third of its time
            custom_file_header=header.rstrip("\n"),
            emit_model_metadata=metadata_file,
            **DCG_OPTIONS,
        )
        metadata = json.loads(metadata_file.read_text())
    assert isinstance(out, str)
    return format_sources({"models.py": out}, sort_imports=True)["models.py"], metadata


_SUBSCHEMA = ("items", "additionalProperties", "not", "propertyNames", "contains", "unevaluatedProperties")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")


def _object_data(value: Any) -> bool:
    return isinstance(value, Mapping) or (isinstance(value, list) and any(isinstance(v, Mapping) for v in value))


def _without_object_defaults(schema: Any) -> Any:
    """``schema`` without the ``default`` values that are objects (or lists of them).

    dcg writes such a default as a dict literal where the field's type is a model
    class (``members: list[Member] = [{"$ref": "..."}]``), which fails ``mypy
    --strict``; the default is the API's business when the field is left out. The
    schema is copied only where something is dropped."""
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] | None = None

    def put(key: str, value: Any) -> None:
        nonlocal out
        if out is None:
            out = dict(schema)
        out[key] = value

    if "default" in schema and _object_data(schema["default"]):
        put("default", None)
        assert out is not None
        del out["default"]
    for key in _SUBSCHEMA:
        if key in schema and (new := _without_object_defaults(schema[key])) is not schema[key]:
            put(key, new)
    for key in _SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            new_list = [_without_object_defaults(v) for v in schema[key]]
            if any(a is not b for a, b in zip(new_list, schema[key], strict=True)):
                put(key, new_list)
    for key in _SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), Mapping):
            new_map = {k: _without_object_defaults(v) for k, v in schema[key].items()}
            if any(new_map[k] is not v for k, v in schema[key].items()):
                put(key, new_map)
    return schema if out is None else out


def _dcg_safe(schemas: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``schemas`` under names dcg accepts, with every ``$ref`` to them rewritten, and
    each new name's original. dcg reads a dot as a module path and fails on ``Foo.Bar``,
    so dots become underscores."""
    originals = {name.replace(".", "_"): name for name in schemas}
    if not any("." in name for name in schemas):
        return dict(schemas), originals

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                out["$ref"] = _PREFIX + ref[len(_PREFIX) :].replace(".", "_")
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    return {name.replace(".", "_"): rewrite(schema) for name, schema in schemas.items()}, originals
