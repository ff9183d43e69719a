"""Checks for the hand-curated OpenAPI documents in ``openapi/``.

Generic checks run on every ``openapi/*.yaml``: the document validates as OpenAPI, every
operation carries a complete ``x-tool`` (see ``openapi/README.md``), the tool names derived from
it are valid and unique, and each ``tests/parity/<name>.yaml`` lists exactly the differences
between the curated document and its vendor reference.

The Desk365 checks at the end pin the facts the curation exists for (API-FACTS.md Part B):
the tool inventory's names and order, 201 answers, page sizes, response field names, errors,
attachments, and so on. Files outside the repository (``../shared``) are optional: tests that
need them skip with a reason when they are missing.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
OPENAPI_DIR = ROOT / "openapi"
PARITY_DIR = ROOT / "tests" / "parity"
INVENTORY = ROOT.parent / "shared" / "TOOL-INVENTORY.md"

DOCUMENTS = sorted(OPENAPI_DIR.glob("*.yaml"))
PARITY_FILES = sorted(PARITY_DIR.glob("*.yaml"))

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
KINDS = {"list", "get", "create", "update", "delete", "custom"}
CATEGORIES = {"read", "write", "custom"}
PROVENANCE_SOURCES = {"vendor-reference", "recorded-response", "seed-inventory"}
PAGING_STYLES = {"offset", "cursor", "scroll"}
PARITY_CHANGES = {
    "operation-added",
    "operation-omitted",
    "parameter-added",
    "parameter-removed",
    "parameter-moved",
}
X_TOOL_REQUIRED = ("resource", "singular", "kind", "title", "usage", "intent", "provenance")
X_TOOL_KEYS = set(X_TOOL_REQUIRED) | {
    "method",
    "name",
    "client_method",
    "category",
    "ids",
    "paging",
    "files",
    "access",
    "rules",
}
INTENT_FLAGS = ("read_only", "destructive", "idempotent", "open_world")
# OpenAPI ignores header parameters with these names; so does the parity comparison.
IGNORED_HEADERS = {"accept", "content-type", "authorization"}

TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEMPLATE_RE = re.compile(r"\{[^}/]+\}")


# --------------------------------------------------------------------------- helpers


@functools.cache
def load(path: Path) -> Any:
    """Load a JSON or YAML file (cached: tests must not mutate the result)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains (``#/...``) until a node without ``$ref``."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local $refs are supported: {ref}"
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict, dict]]:
    """Yield (METHOD, path, path item, operation) in document order."""
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item)
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item, item[method]


def parameters(doc: dict[str, Any], item: dict, op: dict) -> list[dict[str, Any]]:
    """Resolved parameters of an operation, path-item parameters included.

    Operation-level parameters override path-level ones with the same name and location.
    """
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(item.get("parameters", [])) + list(op.get("parameters", [])):
        param = resolve(doc, raw)
        merged[(param["name"], param["in"])] = param
    return list(merged.values())


def body_schemas(doc: dict[str, Any], op: dict) -> dict[str, dict[str, Any]]:
    """Resolved request body schema per media type."""
    body = resolve(doc, op.get("requestBody") or {})
    return {
        media: resolve(doc, content.get("schema") or {})
        for media, content in (body.get("content") or {}).items()
    }


def object_properties(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Top-level properties of an object schema, including those of its ``allOf`` parts."""
    props = dict(schema.get("properties") or {})
    for part in schema.get("allOf", []):
        props.update(object_properties(doc, resolve(doc, part)))
    return props


def body_properties(doc: dict[str, Any], op: dict) -> set[str]:
    names: set[str] = set()
    for schema in body_schemas(doc, op).values():
        names |= set(object_properties(doc, schema))
    return names


def argument_names(doc: dict[str, Any], item: dict, op: dict) -> set[str]:
    """The names an ``x-tool`` entry may refer to: parameters and top-level body properties."""
    return {p["name"] for p in parameters(doc, item, op)} | body_properties(doc, op)


def tool_name(app: str, xt: dict[str, Any]) -> str:
    """The MCP tool name the naming rule of TOOL-INVENTORY.md derives from ``x-tool``."""
    if xt.get("name"):
        return xt["name"]
    kind = xt["kind"]
    if kind == "list":
        return f"list_all_{app}_{xt['resource']}"
    if kind == "get":
        return f"get_single_{app}_{xt['singular']}_by_id"
    if kind == "create":
        return f"create_a_{app}_{xt['singular']}"
    if kind == "update":
        return f"update_a_{app}_{xt['singular']}_by_id"
    if kind == "delete":
        return f"delete_a_{app}_{xt['singular']}_by_id"
    return f"{app}_{xt['resource']}_{xt['method']}"


def walk_schema(
    doc: dict[str, Any],
    schema: Any,
    visit: Callable[[dict[str, Any], str], None],
    where: str,
    seen: set[str] | None = None,
) -> None:
    """Call ``visit(node, where)`` on a schema and every subschema, following ``$ref``s once."""
    if not isinstance(schema, dict):
        return
    seen = set() if seen is None else seen
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen:
            return
        seen.add(ref)
        walk_schema(doc, resolve(doc, schema), visit, ref, seen)
        return
    visit(schema, where)
    for name, sub in (schema.get("properties") or {}).items():
        walk_schema(doc, sub, visit, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties", "not", "contains", "propertyNames"):
        walk_schema(doc, schema.get(key), visit, f"{where}/{key}", seen)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key) or []):
            walk_schema(doc, sub, visit, f"{where}/{key}/{index}", seen)


def doc_id(path: Path) -> str:
    return path.stem


# --------------------------------------------------------------------------- generic checks


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_document_validates(path: Path) -> None:
    doc = load(path)
    assert str(doc.get("openapi", "")).startswith("3.1"), "curated documents are OpenAPI 3.1"
    validate(doc)


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_x_api_is_complete(path: Path) -> None:
    doc = load(path)
    api = doc.get("x-api")
    assert isinstance(api, dict), "the document root needs an x-api object"
    problems = [
        f"x-api.{key} is missing or empty"
        for key in ("name", "app", "title", "client")
        if not isinstance(api.get(key), str) or not api.get(key)
    ]
    assert api.get("name") == path.stem, "x-api.name must match the file name"
    credential = api.get("credential") or {}
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    if not credential.get("env"):
        problems.append("x-api.credential.env is missing")
    if credential.get("scheme") not in schemes:
        problems.append(f"x-api.credential.scheme {credential.get('scheme')!r} is not a security scheme")
    variables = {
        name for server in doc.get("servers", []) for name in (server.get("variables") or {})
    }
    for variable, env in (api.get("server_variables") or {}).items():
        if variable not in variables:
            problems.append(f"x-api.server_variables names unknown server variable {variable!r}")
        if not env:
            problems.append(f"x-api.server_variables.{variable} needs an environment variable")
    missing_env = variables - set(api.get("server_variables") or {})
    if missing_env:
        problems.append(f"server variables without an environment variable: {sorted(missing_env)}")
    ratelimit = api.get("ratelimit")
    if not isinstance(ratelimit, dict):
        problems.append("x-api.ratelimit is missing")
    else:
        for key in ("limit", "remaining", "reset"):
            if key not in ratelimit:
                problems.append(f"x-api.ratelimit.{key} is missing (use null for none)")
        if ratelimit.get("reset_format") not in {"unix", "seconds"}:
            problems.append("x-api.ratelimit.reset_format must be unix or seconds")
    if "server_choice" in api:
        choice = api["server_choice"]
        names = {server.get("x-name") for server in doc.get("servers", [])}
        if not choice.get("env") or choice.get("default") not in names:
            problems.append("x-api.server_choice needs env and a default naming a server's x-name")
    assert not problems, "\n".join(problems)


def x_tool_problems(doc: dict[str, Any], item: dict, op: dict) -> list[str]:
    """Everything wrong with one operation's x-tool, as readable lines."""
    xt = op.get("x-tool")
    if not isinstance(xt, dict):
        return ["no x-tool"]
    problems = [f"unknown x-tool key {key!r}" for key in xt if key not in X_TOOL_KEYS]
    problems += [f"x-tool.{key} is missing" for key in X_TOOL_REQUIRED if key not in xt]
    for key in ("resource", "singular"):
        if key in xt and not SNAKE_RE.match(str(xt[key])):
            problems.append(f"x-tool.{key} {xt[key]!r} is not snake case")
    kind = xt.get("kind")
    if kind not in KINDS:
        problems.append(f"x-tool.kind {kind!r} is not one of {sorted(KINDS)}")
    if kind == "custom" and not SNAKE_RE.match(str(xt.get("method", ""))):
        problems.append("a custom x-tool needs a snake-case method")
    if kind != "custom" and "method" in xt:
        problems.append("only custom x-tools have a method")
    if "client_method" in xt and not SNAKE_RE.match(str(xt["client_method"])):
        problems.append("x-tool.client_method must be snake case")
    if "category" in xt and xt["category"] not in CATEGORIES:
        problems.append(f"x-tool.category must be one of {sorted(CATEGORIES)}")
    for key in ("title", "usage"):
        if key in xt and (not isinstance(xt[key], str) or not xt[key].strip()):
            problems.append(f"x-tool.{key} must be a non-empty string")

    intent = xt.get("intent")
    if isinstance(intent, dict):
        for flag in INTENT_FLAGS:
            if not isinstance(intent.get(flag), bool):
                problems.append(f"x-tool.intent.{flag} must be true or false")
        if intent.get("read_only") is True and intent.get("destructive") is True:
            problems.append("a read-only tool cannot be destructive")
        effects = intent.get("side_effects", [])
        if not isinstance(effects, list) or not all(isinstance(e, str) and e for e in effects):
            problems.append("x-tool.intent.side_effects must be a list of sentences")
    elif "intent" in xt:
        problems.append("x-tool.intent must be an object")

    names = argument_names(doc, item, op)
    for entry in xt.get("ids", []) or []:
        if not isinstance(entry, dict) or not entry.get("argument") or not entry.get("source"):
            problems.append(f"x-tool.ids entry {entry!r} needs argument and source")
        elif entry["argument"] not in names:
            problems.append(f"x-tool.ids argument {entry['argument']!r} is no parameter or body property")

    paging = xt.get("paging")
    if paging is not None:
        style = paging.get("style")
        if style not in PAGING_STYLES:
            problems.append(f"x-tool.paging.style must be one of {sorted(PAGING_STYLES)}")
        if style == "offset" and paging.get("offset") not in names:
            problems.append(f"x-tool.paging.offset {paging.get('offset')!r} is no parameter")
        if style in {"cursor", "scroll"}:
            cursor = str(paging.get("cursor", ""))
            if cursor.split(".")[0] not in names:
                problems.append(f"x-tool.paging.cursor {cursor!r} is no parameter or body property")
        if "size" in paging and paging["size"] not in names:
            problems.append(f"x-tool.paging.size {paging['size']!r} is no parameter")
        if "fixed_size" in paging and not (
            isinstance(paging["fixed_size"], int) and paging["fixed_size"] > 0
        ):
            problems.append("x-tool.paging.fixed_size must be a positive integer")

    files = xt.get("files")
    if files is not None:
        multipart = body_schemas(doc, op).get("multipart/form-data")
        if multipart is None:
            problems.append("x-tool.files needs a multipart/form-data request body")
        else:
            props = object_properties(doc, multipart)
            one, many = files.get("one"), files.get("many")
            if one is None and many is None:
                problems.append("x-tool.files needs one and/or many")
            if one is not None:
                schema = resolve(doc, props.get(one, {}))
                if schema.get("format") != "binary":
                    problems.append(f"x-tool.files.one {one!r} is no binary body property")
            if many is not None:
                schema = resolve(doc, props.get(many, {}))
                items = resolve(doc, schema.get("items", {}))
                if schema.get("type") != "array" or items.get("format") != "binary":
                    problems.append(f"x-tool.files.many {many!r} is no array of binary")

    if "access" in xt and (not isinstance(xt["access"], str) or not xt["access"].strip()):
        problems.append("x-tool.access must be a non-empty string")
    rules = xt.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) and r.strip() for r in rules):
        problems.append("x-tool.rules must be a list of non-empty strings")

    provenance = xt.get("provenance")
    if isinstance(provenance, dict):
        if provenance.get("source") not in PROVENANCE_SOURCES:
            problems.append(f"x-tool.provenance.source must be one of {sorted(PROVENANCE_SOURCES)}")
        notes = provenance.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) and n.strip() for n in notes):
            problems.append("x-tool.provenance.notes must be a list of non-empty strings")
        vendor_id = provenance.get("vendor_operation_id")
        if vendor_id is not None and not isinstance(vendor_id, str):
            problems.append("x-tool.provenance.vendor_operation_id must be a string")
    elif "provenance" in xt:
        problems.append("x-tool.provenance must be an object")
    return problems


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_every_operation_has_a_complete_x_tool(path: Path) -> None:
    doc = load(path)
    problems = [
        f"{method} {route}: {problem}"
        for method, route, item, op in operations(doc)
        for problem in x_tool_problems(doc, item, op)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_operation_ids_and_tags(path: Path) -> None:
    doc = load(path)
    seen: dict[str, str] = {}
    problems = []
    for method, route, _item, op in operations(doc):
        op_id = op.get("operationId")
        if not op_id:
            problems.append(f"{method} {route}: no operationId")
        elif op_id in seen:
            problems.append(f"{method} {route}: operationId {op_id} repeats {seen[op_id]}")
        else:
            seen[op_id] = f"{method} {route}"
        if not op.get("tags"):
            problems.append(f"{method} {route}: no tags")
        for tag in op.get("tags", []):
            if not SNAKE_RE.match(tag):
                problems.append(f"{method} {route}: tag {tag!r} is not a short snake-case word")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_tool_names_are_valid_and_unique(path: Path) -> None:
    doc = load(path)
    app = doc["x-api"]["app"]
    names: dict[str, str] = {}
    client_methods: dict[tuple[str, str], str] = {}
    problems = []
    for method, route, _item, op in operations(doc):
        xt = op["x-tool"]
        where = f"{method} {route}"
        name = tool_name(app, xt)
        if not TOOL_NAME_RE.match(name):
            problems.append(f"{where}: tool name {name!r} does not match {TOOL_NAME_RE.pattern}")
        if name in names:
            problems.append(f"{where}: tool name {name} repeats {names[name]}")
        names[name] = where
        default = xt.get("method") if xt["kind"] == "custom" else xt["kind"]
        key = (xt["resource"], xt.get("client_method") or default)
        if key in client_methods:
            problems.append(f"{where}: client.{key[0]}.{key[1]} repeats {client_methods[key]}")
        client_methods[key] = where
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- vendor parity


def normalise_path(path: str) -> str:
    return TEMPLATE_RE.sub("{}", path)


def operation_key(text: str) -> tuple[str, str]:
    method, _, path = text.strip().partition(" ")
    return method.upper(), normalise_path(path.strip())


def compared_parameters(doc: dict[str, Any], item: dict, op: dict) -> dict[tuple[str, str], str]:
    """(casefolded name, location) -> name, for the parameters the parity check compares.

    Path parameters are left out: matching the normalised path already pairs them up, so a
    renamed path parameter is not a difference.
    """
    result = {}
    for param in parameters(doc, item, op):
        name, location = param["name"], param["in"]
        if location == "path" or (location == "header" and name.lower() in IGNORED_HEADERS):
            continue
        result[(name.casefold(), location)] = name
    return result


Difference = tuple[str, str, str, "str | None"]  # (METHOD, normalised path, change, parameter)


def parity_differences(
    curated: dict[str, Any], vendor: dict[str, Any], scope: str
) -> dict[Difference, str]:
    """Every difference between the two documents, with a readable description."""
    ours = {(m, normalise_path(p)): (p, item, op) for m, p, item, op in operations(curated)}
    theirs = {(m, normalise_path(p)): (p, item, op) for m, p, item, op in operations(vendor)}
    found: dict[Difference, str] = {}
    for key in ours.keys() - theirs.keys():
        found[(*key, "operation-added", None)] = f"{key[0]} {ours[key][0]}: operation-added"
    if scope == "all":
        for key in theirs.keys() - ours.keys():
            found[(*key, "operation-omitted", None)] = (
                f"{key[0]} {theirs[key][0]}: operation-omitted"
            )
    for key in ours.keys() & theirs.keys():
        route, item, op = ours[key]
        mine = compared_parameters(curated, item, op)
        _, vendor_item, vendor_op = theirs[key]
        yours = compared_parameters(vendor, vendor_item, vendor_op)
        added = {k: mine[k] for k in mine.keys() - yours.keys()}
        removed = {k: yours[k] for k in yours.keys() - mine.keys()}
        moved = {name for name, _ in added} & {name for name, _ in removed}
        where = f"{key[0]} {route}"
        for (folded, location), name in added.items():
            if folded in moved:
                old = sorted(loc for n, loc in removed if n == folded)
                found[(*key, "parameter-moved", folded)] = (
                    f"{where}: parameter-moved {name} ({', '.join(old)} -> {location})"
                )
            else:
                found[(*key, "parameter-added", folded)] = (
                    f"{where}: parameter-added {name} (in {location})"
                )
        for (folded, location), name in removed.items():
            if folded not in moved:
                found[(*key, "parameter-removed", folded)] = (
                    f"{where}: parameter-removed {name} (in {location})"
                )
    return found


def parity_file_problems(parity: Any) -> list[str]:
    if not isinstance(parity, dict):
        return ["the parity file must be a mapping"]
    problems = []
    if not parity.get("vendor"):
        problems.append("vendor (path of the vendor reference) is missing")
    if parity.get("scope") not in {"all", "curated"}:
        problems.append("scope must be all or curated")
    entries = parity.get("differences") or []
    if not isinstance(entries, list):
        return problems + ["differences must be a list"]
    for index, entry in enumerate(entries):
        where = f"differences[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping")
            continue
        change = entry.get("change")
        if change not in PARITY_CHANGES:
            problems.append(f"{where}: change {change!r} is not one of {sorted(PARITY_CHANGES)}")
        if not re.match(r"^[A-Za-z]+ /", str(entry.get("operation", ""))):
            problems.append(f"{where}: operation must read 'METHOD /path'")
        parameter = entry.get("parameter")
        if str(change).startswith("parameter-") and not parameter:
            problems.append(f"{where}: a {change} entry names its parameter")
        if str(change).startswith("operation-") and parameter:
            problems.append(f"{where}: an {change} entry has parameter: null")
        if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
            problems.append(f"{where}: every difference needs a reason")
    return problems


@pytest.mark.parametrize("parity_path", PARITY_FILES, ids=doc_id)
def test_parity_file_format(parity_path: Path) -> None:
    problems = parity_file_problems(load(parity_path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("parity_path", PARITY_FILES, ids=doc_id)
def test_vendor_parity(parity_path: Path) -> None:
    parity = load(parity_path)
    assert not parity_file_problems(parity), "see test_parity_file_format"
    curated_path = OPENAPI_DIR / f"{parity_path.stem}.yaml"
    if not curated_path.exists():
        pytest.skip(f"openapi/{curated_path.name} does not exist yet")
    vendor_path = (ROOT / parity["vendor"]).resolve()
    if not vendor_path.exists():
        pytest.skip(
            f"vendor reference {parity['vendor']} not found (relative to the repository root; "
            "is ../shared present?)"
        )
    found = parity_differences(load(curated_path), load(vendor_path), parity["scope"])

    listed: dict[Difference, str] = {}
    for entry in parity.get("differences") or []:
        method, path = operation_key(entry["operation"])
        parameter = entry.get("parameter")
        key = (method, path, entry["change"], parameter.casefold() if parameter else None)
        text = f"{entry['operation']}: {entry['change']}" + (f" {parameter}" if parameter else "")
        assert key not in listed, f"listed twice: {text}"
        listed[key] = text

    unlisted = sorted(found[k] for k in found.keys() - listed.keys())
    stale = sorted(listed[k] for k in listed.keys() - found.keys())
    message = []
    if unlisted:
        message.append(
            f"differences from the vendor reference not listed in tests/parity/{parity_path.name}"
            " (add each with its reason, or align the document):"
        )
        message += [f"  + {line}" for line in unlisted]
    if stale:
        message.append(f"stale entries in tests/parity/{parity_path.name} (no such difference):")
        message += [f"  - {line}" for line in stale]
    assert not message, "\n".join(message)


def test_parity_comparison_detects_every_kind_of_change() -> None:
    """The comparison itself, on two tiny documents (no files needed)."""

    def document(paths: dict[str, Any]) -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {}}}
            },
        }

    def op(*params: tuple[str, str]) -> dict[str, Any]:
        return {"parameters": [{"name": n, "in": loc, "schema": {}} for n, loc in params]}

    vendor = document(
        {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {}},
                    {"$ref": "#/components/parameters/Limit"},
                ],
                "get": op(("version", "header"), ("gone", "query"), ("Accept", "header")),
            },
            "/old": {"get": op()},
        }
    )
    curated = document(
        {
            "/items/{item_id}": {
                "get": op(
                    ("item_id", "path"), ("limit", "query"), ("version", "query"), ("new", "query")
                )
            },
            "/fresh": {"post": op()},
        }
    )
    found = set(parity_differences(curated, vendor, "all"))
    assert found == {
        ("GET", "/items/{}", "parameter-moved", "version"),
        ("GET", "/items/{}", "parameter-removed", "gone"),
        ("GET", "/items/{}", "parameter-added", "new"),
        ("POST", "/fresh", "operation-added", None),
        ("GET", "/old", "operation-omitted", None),
    }
    curated_only = set(parity_differences(curated, vendor, "curated"))
    assert ("GET", "/old", "operation-omitted", None) not in curated_only


# --------------------------------------------------------------------------- Desk365


DESK365 = OPENAPI_DIR / "desk365.yaml"
ERROR_STATUSES = ("400", "401", "403", "404", "429", "500")
RATE_HEADER = "X-Rate-Limit-Remaining"
HTML_TAG_RE = re.compile(
    r"</?(a|b|i|p|br|hr|ul|ol|li|em|div|pre|span|code|strong|table|tr|td|th|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def desk() -> dict[str, Any]:
    if not DESK365.exists():
        pytest.skip("openapi/desk365.yaml does not exist")
    return load(DESK365)


def desk_operations(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict, dict]]:
    """operationId -> (METHOD, path, path item, operation)."""
    return {op["operationId"]: (m, p, item, op) for m, p, item, op in operations(doc)}


def param(doc: dict[str, Any], operation_id: str, name: str) -> dict[str, Any]:
    _m, _p, item, op = desk_operations(doc)[operation_id]
    matches = [p for p in parameters(doc, item, op) if p["name"] == name]
    assert len(matches) == 1, f"{operation_id} has no single parameter {name}"
    return matches[0]


def response_schema(doc: dict[str, Any], operation_id: str, status: str) -> dict[str, Any]:
    response = resolve(doc, desk_operations(doc)[operation_id][3]["responses"][status])
    return resolve(doc, response["content"]["application/json"]["schema"])


def inventory_desk365() -> list[tuple[str, str]]:
    """(tool name, "METHOD path") rows of TOOL-INVENTORY.md's Desk365 table, in order."""
    text = INVENTORY.read_text(encoding="utf-8")
    section = text.split("\n## Desk365", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] != "tool" and re.fullmatch(r"[a-z0-9_]+", cells[0]):
            rows.append((cells[0], re.sub(r"\s*\(.*\)\s*$", "", cells[1])))
    return rows


def test_desk365_tools_are_the_inventory_in_order(desk: dict[str, Any]) -> None:
    if not INVENTORY.exists():
        pytest.skip(f"{INVENTORY} not found (../shared is absent)")
    inventory = inventory_desk365()
    assert len(inventory) == 44, "the inventory's Desk365 table should list 44 tools"
    app = desk["x-api"]["app"]
    ours = [(tool_name(app, op["x-tool"]), f"{m} {p}") for m, p, _item, op in operations(desk)]
    assert [name for name, _ in ours] == [name for name, _ in inventory]
    assert ours == inventory, "each tool must sit on the inventory's endpoint"


def test_desk365_server_and_security(desk: dict[str, Any]) -> None:
    (server,) = desk["servers"]
    assert server["url"] == "https://{subdomain}.desk365.io/apis"
    variable = server["variables"]["subdomain"]
    assert variable["default"] and variable["description"]
    assert desk["security"] == [{"APIKey": []}]
    scheme = desk["components"]["securitySchemes"]["APIKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "scheme" not in scheme and "bearerFormat" not in scheme
    assert "bearer" not in scheme["description"].lower().replace('"bearer"', "")
    assert desk["x-api"]["credential"] == {"env": "DESK365_API_KEY", "scheme": "APIKey"}
    assert desk["x-api"]["server_variables"] == {"subdomain": "DESK365_SUBDOMAIN"}
    assert desk["x-api"]["ratelimit"] == {
        "limit": None,
        "remaining": RATE_HEADER,
        "reset": None,
        "reset_format": "seconds",
    }


def test_desk365_paths_keep_v3_and_have_no_templates(desk: dict[str, Any]) -> None:
    paths = list(desk["paths"])
    assert all(path.startswith("/v3/") for path in paths)
    assert not [path for path in paths if "{" in path], "Desk365 identifiers are query parameters"
    assert "/v3/kb/article/" in paths, "the article list keeps its trailing slash"
    for method, path, item, op in operations(desk):
        located = {p["in"] for p in parameters(desk, item, op)}
        assert located <= {"query"}, f"{method} {path} has non-query parameters"


@pytest.mark.parametrize(
    ("operation_id", "name", "required"),
    [
        ("getTicket", "ticket_number", True),
        ("updateTicket", "ticket_number", True),
        ("listTicketConversations", "ticket_number", True),
        ("createTicketReply", "ticket_number", True),
        ("createTicketReplyWithAttachment", "ticket_number", True),
        ("createTicketNote", "ticket_number", True),
        ("createTicketNoteWithAttachment", "ticket_number", True),
        ("getContact", "primary_email", True),
        ("updateContact", "primary_email", True),
        ("getCompany", "name", True),
        ("updateCompany", "company_name", True),
        ("getTimeEntry", "id", True),
        ("getSurvey", "survey_name", True),
        ("getContract", "reference_number", False),
        ("getContract", "contract_name", False),
        ("updateContract", "reference_number", False),
        ("updateContract", "contract_name", False),
        ("getKbCategory", "category_name", True),
        ("deleteKbFolder", "folder_name", True),
        ("updateKbArticle", "article_name", True),
    ],
)
def test_desk365_identifiers_are_the_real_query_parameters(
    desk: dict[str, Any], operation_id: str, name: str, required: bool
) -> None:
    parameter = param(desk, operation_id, name)
    assert parameter["in"] == "query"
    assert bool(parameter.get("required")) is required


def test_desk365_ticket_numbers_are_positive_integers(desk: dict[str, Any]) -> None:
    seen = 0
    for _m, _p, item, op in operations(desk):
        for parameter in parameters(desk, item, op):
            if parameter["name"] == "ticket_number":
                seen += 1
                assert parameter["schema"]["type"] == "integer"
                assert parameter["schema"]["minimum"] == 1
    assert seen == 8
    time_entry_id = param(desk, "getTimeEntry", "id")["schema"]
    assert (time_entry_id["type"], time_entry_id["format"]) == ("integer", "int64")


@pytest.mark.parametrize(
    ("operation_id", "size"),
    [("listTickets", "ticket_count"), ("listTimeEntries", "time_entries_count")],
)
def test_desk365_page_sizes_are_30_50_100(
    desk: dict[str, Any], operation_id: str, size: str
) -> None:
    schema = param(desk, operation_id, size)["schema"]
    assert schema["type"] == "string"
    assert schema["enum"] == ["30", "50", "100"]
    assert schema["default"] == "30"
    paging = desk_operations(desk)[operation_id][3]["x-tool"]["paging"]
    assert paging == {"style": "offset", "offset": "offset", "size": size}


@pytest.mark.parametrize(
    "operation_id", ["listContacts", "listCompanies", "listContracts", "listSurveyRatings"]
)
def test_desk365_fixed_pages_of_30(desk: dict[str, Any], operation_id: str) -> None:
    paging = desk_operations(desk)[operation_id][3]["x-tool"]["paging"]
    assert paging == {"style": "offset", "offset": "offset", "fixed_size": 30}
    assert "30" in param(desk, operation_id, "offset")["description"]


def test_desk365_offset_counts_items(desk: dict[str, Any]) -> None:
    description = param(desk, "listTickets", "offset")["description"].lower()
    assert "item offset" in description and "offset + ticket_count" in description
    next_page = response_schema(desk, "listTickets", "200")["properties"]["next_page"]
    assert "null" in next_page["type"]


@pytest.mark.parametrize("operation_id", ["createTicketReply", "createTicketNote"])
def test_desk365_reply_and_note_answer_201(desk: dict[str, Any], operation_id: str) -> None:
    op = desk_operations(desk)[operation_id][3]
    assert "201" in op["responses"] and "200" not in op["responses"]
    assert op["x-tool"]["provenance"]["source"] == "recorded-response"


def test_desk365_reply_and_note_bodies(desk: dict[str, Any]) -> None:
    reply = response_schema(desk, "createTicketReply", "201")["properties"]
    note = response_schema(desk, "createTicketNote", "201")["properties"]
    assert set(reply) == {
        "body", "cc_emails", "bcc_emails", "from_email", "to_email", "ticket_number", "attachments"
    }  # fmt: skip
    assert set(note) == {
        "body", "notify_emails", "to_email", "ticket_number", "private_note", "attachments"
    }  # fmt: skip
    private_note = resolve(desk, desk["components"]["schemas"]["AddNoteRequest"])["properties"][
        "private_note"
    ]
    assert private_note["enum"] == [0, 1] and private_note["default"] == 1
    assert "private" in private_note["description"] and "public" in private_note["description"]


def test_desk365_ticket_field_names_differ_between_requests_and_responses(
    desk: dict[str, Any],
) -> None:
    schemas = desk["components"]["schemas"]
    ticket = schemas["Ticket"]["properties"]
    assert {"assigned_to", "subcategory"} <= set(ticket)
    assert not {"assign_to", "sub_category"} & set(ticket)
    for request in ("CreateTicketRequest", "UpdateTicketRequest"):
        fields = set(schemas[request]["properties"])
        assert {"assign_to", "sub_category"} <= fields
        assert not {"assigned_to", "subcategory"} & fields
    for operation_id in ("getTicket", "createTicket", "updateTicket"):
        assert response_schema(desk, operation_id, "200") is schemas["Ticket"]
    messages = schemas["ConversationMessage"]["properties"]
    assert {"type", "public_note"} <= set(messages)


def test_desk365_list_wrappers(desk: dict[str, Any]) -> None:
    expected = {
        "listTickets": {"count", "tickets", "next_page"},
        "listContacts": {"count", "content"},
        "listCompanies": {"count", "content"},
        "listTimeEntries": {"count", "content"},
        "listSurveys": {"count", "surveys"},
        "listSurveyRatings": {"count", "survey_ratings"},
        "listContracts": {"count", "contracts"},
        "listKbArticles": {"count", "article_titles"},
    }
    for operation_id, keys in expected.items():
        assert set(response_schema(desk, operation_id, "200")["properties"]) == keys
    titles = response_schema(desk, "listKbArticles", "200")["properties"]["article_titles"]
    assert titles["items"] == {"type": "string"}


def test_desk365_company_domains_list_versus_details(desk: dict[str, Any]) -> None:
    listed = response_schema(desk, "listCompanies", "200")["properties"]["content"]["items"]
    item = resolve(desk, listed)["properties"]["domains"]
    details = response_schema(desk, "getCompany", "200")["properties"]["domains"]
    assert "array" in item["type"] and item["items"] == {"type": "string"}
    assert "string" in details["type"] and "array" not in details["type"]


def test_desk365_request_codes(desk: dict[str, Any]) -> None:
    schemas = desk["components"]["schemas"]
    for request in ("CreateTicketRequest", "UpdateTicketRequest"):
        priority = schemas[request]["properties"]["priority"]
        assert priority["type"] == "integer" and priority["enum"] == [1, 5, 10, 20]
        assert "Urgent=20" in priority["description"]
    create = schemas["CreateTicketRequest"]["properties"]
    for field in ("watchers", "share_to"):
        assert create[field] == {**create[field], "type": "array", "items": {"type": "string"}}
        assert "properties" not in create[field]
    update = schemas["UpdateTicketRequest"]["properties"]
    change = resolve(desk, update["watchers"])
    assert update["watchers"] == update["share_to"]
    assert set(change["properties"]) == {"add", "remove"}
    source = schemas["Ticket"]["properties"]["source"]["description"]
    assert all(code in source for code in ("Email=1", "Support Portal=6", "Web Widget=13", "API=15"))


def test_desk365_filters_is_a_json_query_parameter(desk: dict[str, Any]) -> None:
    filters = param(desk, "listTickets", "filters")
    assert "schema" not in filters
    schema = resolve(desk, filters["content"]["application/json"]["schema"])
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "status", "priority", "type", "group", "assigned_to", "category", "subcategory",
        "source", "contact",
    }  # fmt: skip
    for prop in schema["properties"].values():
        assert prop["type"] == "array" and prop["items"] == {"type": "string"}
    assert '"--"' in schema["description"]


ATTACHMENT_OPERATIONS = {
    # operationId: (JSON-in-query parameter, JSON sibling operation, ticket_number in the query)
    "createTicketWithAttachment": ("ticket_object", "createTicket", False),
    "createTicketReplyWithAttachment": ("reply_object", "createTicketReply", True),
    "createTicketNoteWithAttachment": ("note_object", "createTicketNote", True),
    "createContactWithAttachment": ("contact_object", "createContact", False),
    "createCompanyWithAttachment": ("company_object", "createCompany", False),
}


@pytest.mark.parametrize("operation_id", list(ATTACHMENT_OPERATIONS))
def test_desk365_attachment_operations(desk: dict[str, Any], operation_id: str) -> None:
    object_param, sibling, with_ticket = ATTACHMENT_OPERATIONS[operation_id]
    ops = desk_operations(desk)
    _m, _p, item, op = ops[operation_id]

    parameter = param(desk, operation_id, object_param)
    assert parameter["in"] == "query" and parameter["required"] is True
    assert "schema" not in parameter
    sibling_body = ops[sibling][3]["requestBody"]["content"]["application/json"]["schema"]
    assert parameter["content"]["application/json"]["schema"] == sibling_body
    names = {p["name"] for p in parameters(desk, item, op)}
    assert ("ticket_number" in names) is with_ticket

    body = resolve(desk, op["requestBody"])
    assert body["required"] is True and list(body["content"]) == ["multipart/form-data"]
    schema = resolve(desk, body["content"]["multipart/form-data"]["schema"])
    props = schema["properties"]
    assert props["file"]["type"] == "string" and props["file"]["format"] == "binary"
    assert props["files"]["type"] == "array" and props["files"]["items"]["format"] == "binary"
    assert schema["oneOf"] == [{"required": ["file"]}, {"required": ["files"]}]
    assert op["x-tool"]["files"] == {"one": "file", "many": "files"}
    assert op["x-tool"]["kind"] == "custom" and op["x-tool"]["method"] == "create_with_attachment"


def test_desk365_seed_operations_are_marked(desk: dict[str, Any]) -> None:
    seeded = {
        op["operationId"]
        for _m, _p, _item, op in operations(desk)
        if op["x-tool"]["provenance"]["source"] == "seed-inventory"
    }
    assert seeded == {"createContactWithAttachment", "createCompanyWithAttachment", "createTimeEntry"}


def test_desk365_errors_on_every_operation(desk: dict[str, Any]) -> None:
    responses = desk["components"]["responses"]
    problems = []
    for method, path, _item, op in operations(desk):
        for status in ERROR_STATUSES:
            ref = (op["responses"].get(status) or {}).get("$ref", "")
            name = ref.removeprefix("#/components/responses/")
            if not ref.startswith("#/components/responses/") or name not in responses:
                problems.append(f"{method} {path}: {status} does not refer to a shared response")
                continue
            schema = responses[name]["content"]["application/json"]["schema"]
            if schema != {"$ref": "#/components/schemas/Error"}:
                problems.append(f"{method} {path}: {status} does not use the Error schema")
    assert not problems, "\n".join(problems)
    error = desk["components"]["schemas"]["Error"]
    assert {k: v["type"] for k, v in error["properties"].items()} == {
        "status": "integer",
        "error": "string",
        "message": "string",
    }


def test_desk365_rate_limit_header(desk: dict[str, Any]) -> None:
    header_ref = {"$ref": f"#/components/headers/{RATE_HEADER}"}
    assert desk["components"]["headers"][RATE_HEADER]["schema"]["type"] == "integer"
    assert desk["components"]["responses"]["TooManyRequests"]["headers"][RATE_HEADER] == header_ref
    problems = []
    for method, path, _item, op in operations(desk):
        if op["operationId"] == "ping":
            continue  # recorded ping answers carry no rate-limit header
        for status, response in op["responses"].items():
            if status.startswith("2") and response.get("headers", {}).get(RATE_HEADER) != header_ref:
                problems.append(f"{method} {path}: {status} does not declare {RATE_HEADER}")
    assert not problems, "\n".join(problems)


def test_desk365_ping_is_text(desk: dict[str, Any]) -> None:
    ping = desk_operations(desk)["ping"][3]
    assert ping["responses"]["200"]["content"] == {
        "text/plain": {**ping["responses"]["200"]["content"]["text/plain"], "schema": {"type": "string"}}
    }
    assert ping["x-tool"]["kind"] == "list" and ping["x-tool"]["resource"] == "ping"


def test_desk365_contracts_need_special_access(desk: dict[str, Any]) -> None:
    rule = "For special access to contract-related API endpoints, please email help@desk365.io."
    (tag,) = [t for t in desk["tags"] if t["name"] == "contracts"]
    assert rule in tag["description"]
    contract_ops = [op for _m, p, _i, op in operations(desk) if p.startswith("/v3/contracts")]
    assert len(contract_ops) == 4
    for op in contract_ops:
        assert "help@desk365.io" in op["x-tool"]["access"]
        assert op["responses"]["403"] == {"$ref": "#/components/responses/Forbidden"}


def test_desk365_request_bodies_are_closed(desk: dict[str, Any]) -> None:
    """Request-side object schemas forbid unknown properties; only free-form maps stay open."""
    problems: list[str] = []

    def visit(node: dict[str, Any], where: str) -> None:
        if "properties" in node and node.get("additionalProperties") is not False:
            problems.append(f"{where} is not closed (additionalProperties: false)")

    for method, path, item, op in operations(desk):
        for media, schema in body_schemas(desk, op).items():
            raw = resolve(desk, op["requestBody"])["content"][media]["schema"]
            walk_schema(desk, raw, visit, f"{method} {path} body")
            assert schema
        for parameter in parameters(desk, item, op):
            for content in (parameter.get("content") or {}).values():
                walk_schema(desk, content["schema"], visit, f"{method} {path} {parameter['name']}")
    assert not problems, "\n".join(sorted(set(problems)))
    custom = desk["components"]["schemas"]["CustomFields"]
    assert "properties" not in custom and custom["additionalProperties"] is not False


def test_desk365_response_schemas_are_lenient(desk: dict[str, Any]) -> None:
    """Responses allow extra fields, use no enums the vendor may extend, and no date-time."""
    problems: list[str] = []

    def visit(node: dict[str, Any], where: str) -> None:
        if node.get("additionalProperties") is False:
            problems.append(f"{where}: additionalProperties false")
        if "enum" in node:
            problems.append(f"{where}: enum")
        if node.get("format") in {"date-time", "date"}:
            problems.append(f"{where}: format {node['format']}")

    for method, path, _item, op in operations(desk):
        for status, response in op["responses"].items():
            for content in (resolve(desk, response).get("content") or {}).values():
                walk_schema(desk, content.get("schema"), visit, f"{method} {path} {status}")
    assert not problems, "\n".join(sorted(set(problems)))
    ticket = desk["components"]["schemas"]["Ticket"]["properties"]
    for field in ("assigned_to", "subcategory", "resolved_on", "priority", "source", "status"):
        assert "null" in ticket[field]["type"], f"Ticket.{field} must allow null"


def test_desk365_operation_ids_and_tags_are_clean(desk: dict[str, Any]) -> None:
    declared = {tag["name"] for tag in desk["tags"]}
    for method, path, _item, op in operations(desk):
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", op["operationId"]), op["operationId"]
        assert set(op["tags"]) <= declared, f"{method} {path} uses an undeclared tag"
    for name in desk["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name
        assert not name.endswith("Model"), f"{name}: vendor-style component name"


def test_desk365_text_is_plain(desk: dict[str, Any]) -> None:
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"example", "examples"}:
                    continue
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")
        elif isinstance(node, str) and HTML_TAG_RE.search(node):
            problems.append(f"{where}: HTML in {node[:60]!r}")

    walk(desk, "#")
    assert not problems, "\n".join(problems)
    text = DESK365.read_text(encoding="utf-8")
    assert "apps.desk365.io" not in text, "no legacy host or curl samples"
    assert not re.search(r"\bcurl\s+-", text), "no legacy curl samples"


def test_desk365_intent_is_consistent(desk: dict[str, Any]) -> None:
    expected = {
        "list": (True, False, True),
        "get": (True, False, True),
        "create": (False, False, False),
        "update": (False, True, True),
        "delete": (False, True, True),
        "custom": (False, False, False),  # every Desk365 custom tool creates something
    }
    for method, path, _item, op in operations(desk):
        xt = op["x-tool"]
        intent = xt["intent"]
        got = (intent["read_only"], intent["destructive"], intent["idempotent"])
        assert got == expected[xt["kind"]], f"{method} {path}: intent {got}"
        assert intent["open_world"] is True
    reply = desk_operations(desk)["createTicketReply"][3]["x-tool"]["intent"]["side_effects"]
    assert any("email" in effect.lower() for effect in reply)
