"""Generic checks of the hand-curated OpenAPI documents in ``openapi/``.

They run on every ``openapi/*.yaml``: the document validates, its ``x-api`` is
complete, every operation carries a complete ``x-tool`` (``openapi/README.md``), and the
operation ids, tags and tool names it yields are valid and unique.

The differences from each vendor reference: ``test_openapi_parity.py``; the facts the
Desk365 curation exists for: ``test_openapi_desk365.py``; helpers in
``tests/openapi_helpers.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from generator.curation import HOUSE_REQUIRED, XTool
from tests.openapi_helpers import (
    OPENAPI_DIR,
    Doc,
    argument_names,
    body_schemas,
    load,
    no_problems,
    operations,
    properties,
    resolve,
    stem,
    strings,
    tool_name,
)

DOCUMENTS = sorted(OPENAPI_DIR.glob("*.yaml"))
KINDS = {"list", "get", "create", "update", "delete", "custom"}
SOURCES = {"vendor-reference", "recorded-response", "seed-inventory"}
REQUIRED = HOUSE_REQUIRED  # the house rule on top of the extension models (generator/curation.py)
X_TOOL_KEYS = set(XTool.model_fields)
INTENT_FLAGS = ("read_only", "destructive", "idempotent", "open_world")

TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------------- generic checks


@pytest.mark.parametrize("path", DOCUMENTS, ids=stem)
def test_document_validates(path: Path) -> None:
    doc = load(path)
    assert str(doc.get("openapi", "")).startswith("3.1"), "curated documents are 3.1"
    validate(doc)


@pytest.mark.parametrize("path", DOCUMENTS, ids=stem)
def test_x_api_is_complete(path: Path) -> None:
    doc = load(path)
    api = doc.get("x-api") or {}
    missing = [key for key in ("app", "title", "client") if not api.get(key)]
    problems = [f"x-api.{key} is missing" for key in missing]
    if api.get("name") != path.stem:
        problems.append("x-api.name must be the file's name")
    schemes = doc.get("components", {}).get("securitySchemes", {})
    credential = api.get("credential") or {}
    if not credential.get("env") or credential.get("scheme") not in schemes:
        problems.append("x-api.credential needs env and a scheme of securitySchemes")
    variables = {v for s in doc.get("servers", []) for v in s.get("variables") or {}}
    if set(api.get("server_variables") or {}) != variables:
        problems.append(f"x-api.server_variables must map exactly {sorted(variables)}")
    ratelimit = api.get("ratelimit") or {}
    if not {"limit", "remaining", "reset"} <= set(ratelimit):
        problems.append("x-api.ratelimit needs limit, remaining and reset")
    if ratelimit.get("reset_format") not in {"unix", "seconds"}:
        problems.append("x-api.ratelimit.reset_format must be unix or seconds")
    if "server_choice" in api:
        names = {s.get("x-name") for s in doc.get("servers", [])}
        if api["server_choice"].get("default") not in names:
            problems.append("x-api.server_choice.default must be a server's x-name")
    no_problems(problems)


def x_tool_problems(doc: Doc, item: dict, op: dict) -> list[str]:
    """Everything wrong with one operation's ``x-tool``, one line each."""
    xt = op.get("x-tool")
    if not isinstance(xt, dict):
        return ["no x-tool"]
    problems = [f"unknown key {key!r}" for key in xt if key not in X_TOOL_KEYS]
    problems += [f"{key} is missing" for key in REQUIRED if not xt.get(key)]
    for key in ("resource", "singular", "method", "client_method"):
        if key in xt and not SNAKE_RE.match(str(xt[key])):
            problems.append(f"{key} {xt[key]!r} is not snake case")
    if xt.get("kind") not in KINDS:
        problems.append(f"kind {xt.get('kind')!r} is not one of {sorted(KINDS)}")
    if (xt.get("kind") == "custom") != ("method" in xt):
        problems.append("method is required for kind custom and allowed only there")
    if xt.get("category", "read") not in {"read", "write", "custom"}:
        problems.append("category must be read, write or custom")
    for key in ("title", "usage", "access"):
        if key in xt and not strings([xt[key]]):
            problems.append(f"{key} must be a non-empty string")
    if not strings(xt.get("rules", [])):
        problems.append("rules must be a list of non-empty strings")

    intent = xt.get("intent") or {}
    for flag in INTENT_FLAGS:
        if not isinstance(intent.get(flag), bool):
            problems.append(f"intent.{flag} must be true or false")
    if intent.get("read_only") is True and intent.get("destructive") is True:
        problems.append("a read-only tool cannot be destructive")
    if not strings(intent.get("side_effects", [])):
        problems.append("intent.side_effects must be a list of sentences")

    names = argument_names(doc, item, op)
    for entry in xt.get("ids") or []:
        if not entry.get("source") or entry.get("argument") not in names:
            problems.append(f"ids entry {entry.get('argument')!r}: bad argument/source")
    paging = xt.get("paging")
    if paging is not None:
        style = paging.get("style")
        named = [paging.get("offset")] if style == "offset" else []
        if style in {"cursor", "scroll"}:
            named.append(paging.get("cursor"))
        if style not in {"offset", "cursor", "scroll"}:
            problems.append("paging.style must be offset, cursor or scroll")
        named += [paging["size"]] if "size" in paging else []
        # a dotted name (pagination.per_page) points into a top-level body property
        unknown = [n for n in named if str(n).split(".")[0] not in names]
        problems += [f"paging names unknown argument {n!r}" for n in unknown]
        fixed = paging.get("fixed_size", 1)
        if not (isinstance(fixed, int) and fixed > 0):
            problems.append("paging.fixed_size must be a positive integer")
    if xt.get("files") is not None:
        problems += files_problems(doc, op, xt["files"])

    provenance = xt.get("provenance") or {}
    if provenance.get("source") not in SOURCES:
        problems.append(f"provenance.source must be one of {sorted(SOURCES)}")
    if not strings(provenance.get("notes", [])):
        problems.append("provenance.notes must be a list of non-empty strings")
    if not isinstance(provenance.get("vendor_operation_id", ""), str | None):
        problems.append("provenance.vendor_operation_id must be a string")
    return problems


def files_problems(doc: Doc, op: dict, files: dict[str, str]) -> list[str]:
    """``x-tool.files`` must name binary parts of a multipart body."""
    multipart = body_schemas(doc, op).get("multipart/form-data")
    if multipart is None:
        return ["files needs a multipart/form-data request body"]
    props = properties(doc, multipart)
    problems = [] if files.get("one") or files.get("many") else ["files: one or many"]
    one = resolve(doc, props.get(files.get("one"), {}))
    if "one" in files and one.get("format") != "binary":
        problems.append(f"files.one {files['one']!r} is no binary body property")
    if "many" in files:
        many = resolve(doc, props.get(files["many"], {}))
        if resolve(doc, many.get("items", {})).get("format") != "binary":
            problems.append(f"files.many {files['many']!r} is no array of binary parts")
    return problems


@pytest.mark.parametrize("path", DOCUMENTS, ids=stem)
def test_every_operation_has_a_complete_x_tool(path: Path) -> None:
    doc = load(path)
    no_problems(
        [
            f"{method} {route}: x-tool: {problem}"
            for method, route, item, op in operations(doc)
            for problem in x_tool_problems(doc, item, op)
        ]
    )


@pytest.mark.parametrize("path", DOCUMENTS, ids=stem)
def test_operation_ids_tags_and_tool_names(path: Path) -> None:
    doc = load(path)
    app = doc["x-api"]["app"]
    seen: dict[Any, str] = {}
    problems = []
    for method, route, _item, op in operations(doc):
        where, xt = f"{method} {route}", op["x-tool"]
        name = tool_name(app, xt)
        default = xt.get("method") if xt["kind"] == "custom" else xt["kind"]
        client = f"client.{xt['resource']}.{xt.get('client_method') or default}"
        for key in (f"operationId {op.get('operationId')}", f"tool {name}", client):
            if key in seen:
                problems.append(f"{where}: {key} repeats {seen[key]}")
            seen[key] = where
        if not op.get("operationId"):
            problems.append(f"{where}: no operationId")
        if not TOOL_NAME_RE.match(name):
            problems.append(f"{where}: tool name {name!r} is invalid")
        if not op.get("tags") or not all(SNAKE_RE.match(t) for t in op["tags"]):
            problems.append(f"{where}: tags must be short snake-case words")
    no_problems(problems)
