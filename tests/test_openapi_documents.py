"""Checks for the hand-curated OpenAPI documents in ``openapi/``.

Generic checks run on every ``openapi/*.yaml``: the document validates, every
operation carries a complete ``x-tool`` (``openapi/README.md``), the tool names it
yields are valid and unique, and each ``tests/parity/<name>.yaml`` lists exactly the
differences between the curated document and its vendor reference.

The Desk365 checks pin the facts the curation exists for (``API-FACTS.md`` Part B): the
inventory's tool names and order, 201 answers, page sizes, field names, errors,
attachments. The vendor documents and the tool inventory are read from byte-identical copies
in ``tests/fixtures`` so everything runs on a fresh clone; when ``../shared`` is present, a
test checks the copies are current.
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

from generator.curation import HOUSE_REQUIRED, XTool

ROOT = Path(__file__).resolve().parents[1]
OPENAPI_DIR = ROOT / "openapi"
PARITY_DIR = ROOT / "tests" / "parity"
# A byte-identical copy of the product's tool inventory (../shared/TOOL-INVENTORY.md), so the
# inventory tests run on a fresh clone; test_inventory_copy_is_current compares the two.
INVENTORY = ROOT / "tests" / "fixtures" / "TOOL-INVENTORY.md"
SHARED_INVENTORY = ROOT.parent / "shared" / "TOOL-INVENTORY.md"
DOCUMENTS = sorted(OPENAPI_DIR.glob("*.yaml"))
PARITY_FILES = sorted(PARITY_DIR.glob("*.yaml"))

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
KINDS = {"list", "get", "create", "update", "delete", "custom"}
SOURCES = {"vendor-reference", "recorded-response", "seed-inventory"}
CHANGES = {
    "operation-added",
    "operation-omitted",
    "parameter-added",
    "parameter-removed",
    "parameter-moved",
}
REQUIRED = HOUSE_REQUIRED  # the house rule on top of the extension models (generator/curation.py)
X_TOOL_KEYS = set(XTool.model_fields)
INTENT_FLAGS = ("read_only", "destructive", "idempotent", "open_world")
IGNORED_HEADERS = {("header", h) for h in ("accept", "content-type", "authorization")}

TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEMPLATE_RE = re.compile(r"\{[^}/]+\}")

Doc = dict[str, Any]


# ---------------------------------------------------------------------------- helpers


@functools.cache
def load(path: Path) -> Any:
    """Load a JSON or YAML file (cached: callers must not mutate the result)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def resolve(doc: Doc, node: Any) -> Any:
    """Follow local ``$ref`` chains until a node without ``$ref``."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/") and ref not in seen, f"unsupported $ref {ref}"
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations(doc: Doc) -> Iterator[tuple[str, str, dict, dict]]:
    """Yield (METHOD, path, path item, operation) in document order."""
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item)
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item, item[method]


def parameters(doc: Doc, item: dict, op: dict) -> list[dict[str, Any]]:
    """Resolved parameters, path-item ones included; the operation's win on a clash."""
    merged = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = resolve(doc, raw)
        merged[(param["name"], param["in"])] = param
    return list(merged.values())


def body_schemas(doc: Doc, op: dict) -> dict[str, dict[str, Any]]:
    """Resolved request body schema per media type."""
    content = resolve(doc, op.get("requestBody") or {}).get("content") or {}
    return {media: resolve(doc, c.get("schema") or {}) for media, c in content.items()}


def properties(doc: Doc, schema: dict[str, Any]) -> dict[str, Any]:
    """Top-level properties of an object schema, with those of its allOf/oneOf/anyOf."""
    props = dict(schema.get("properties") or {})
    for part in [
        *schema.get("allOf", []),
        *schema.get("oneOf", []),
        *schema.get("anyOf", []),
    ]:
        props.update(properties(doc, resolve(doc, part)))
    return props


def argument_names(doc: Doc, item: dict, op: dict) -> set[str]:
    """What an ``x-tool`` entry may name: parameters and top-level body properties."""
    names = {p["name"] for p in parameters(doc, item, op)}
    for schema in body_schemas(doc, op).values():
        names |= set(properties(doc, schema))
    return names


def tool_name(app: str, xt: dict[str, Any]) -> str:
    """The tool name TOOL-INVENTORY.md's naming rule derives from an ``x-tool``."""
    if xt.get("name"):
        return xt["name"]
    return {
        "list": f"list_all_{app}_{xt['resource']}",
        "get": f"get_single_{app}_{xt['singular']}_by_id",
        "create": f"create_a_{app}_{xt['singular']}",
        "update": f"update_a_{app}_{xt['singular']}_by_id",
        "delete": f"delete_a_{app}_{xt['singular']}_by_id",
    }.get(xt["kind"]) or f"{app}_{xt['resource']}_{xt.get('method')}"


Visit = Callable[[dict[str, Any], str], None]


def walk_schema(doc: Doc, schema: Any, visit: Visit, where: str, seen: Any = None):
    """Call ``visit(node, where)`` on a schema and all subschemas, each $ref once."""
    if not isinstance(schema, dict):
        return
    seen = set() if seen is None else seen
    if "$ref" in schema:
        if schema["$ref"] not in seen:
            seen.add(schema["$ref"])
            walk_schema(doc, resolve(doc, schema), visit, schema["$ref"], seen)
        return
    visit(schema, where)
    for name, sub in (schema.get("properties") or {}).items():
        walk_schema(doc, sub, visit, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties", "not", "contains", "propertyNames"):
        walk_schema(doc, schema.get(key), visit, f"{where}/{key}", seen)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key) or []):
            walk_schema(doc, sub, visit, f"{where}/{key}/{index}", seen)


def strings(value: Any) -> bool:
    """A list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def no_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def stem(path: Path) -> str:
    return path.stem


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


# ----------------------------------------------------------------------- vendor parity

Difference = tuple[str, str, str, Any]  # (METHOD, normalised path, change, parameter)


def operation_key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), TEMPLATE_RE.sub("{}", path)


def compared_parameters(doc: Doc, item: dict, op: dict) -> dict[tuple[str, str], str]:
    """(casefolded name, location) -> name of the parameters the parity check compares.

    Path parameters are left out: the normalised path already pairs them, so renaming a
    path parameter is no difference.
    """
    return {
        (p["name"].casefold(), p["in"]): p["name"]
        for p in parameters(doc, item, op)
        if p["in"] != "path" and (p["in"], p["name"].lower()) not in IGNORED_HEADERS
    }


def parity_differences(curated: Doc, vendor: Doc, scope: str) -> dict[Difference, str]:
    """Every difference between the two documents, with a readable line each."""
    ours = {operation_key(m, p): (p, i, o) for m, p, i, o in operations(curated)}
    theirs = {operation_key(m, p): (p, i, o) for m, p, i, o in operations(vendor)}
    found: dict[Difference, str] = {}
    for key in ours.keys() - theirs.keys():
        found[(*key, "operation-added", None)] = f"{key[0]} {ours[key][0]}: added"
    for key in theirs.keys() - ours.keys() if scope == "all" else ():
        found[(*key, "operation-omitted", None)] = f"{key[0]} {theirs[key][0]}: omitted"
    for key in ours.keys() & theirs.keys():
        route, item, op = ours[key]
        mine = compared_parameters(curated, item, op)
        yours = compared_parameters(vendor, *theirs[key][1:])
        added = {k: mine[k] for k in mine.keys() - yours.keys()}
        removed = {k: yours[k] for k in yours.keys() - mine.keys()}
        moved = {folded for folded, _ in added} & {folded for folded, _ in removed}
        for (folded, _), name in added.items():
            change = "parameter-moved" if folded in moved else "parameter-added"
            found[(*key, change, folded)] = f"{key[0]} {route}: {change} {name}"
        for (folded, _), name in removed.items():
            if folded not in moved:
                change = "parameter-removed"
                found[(*key, change, folded)] = f"{key[0]} {route}: {change} {name}"
    return found


def parity_file_problems(parity: Any) -> list[str]:
    if not isinstance(parity, dict):
        return ["a parity file is a mapping"]
    problems = [] if parity.get("vendor") else ["vendor (the reference) is missing"]
    if parity.get("scope") not in {"all", "curated"}:
        problems.append("scope must be all or curated")
    for index, entry in enumerate(parity.get("differences") or []):
        change, parameter = entry.get("change"), entry.get("parameter")
        where = f"differences[{index}]"
        if change not in CHANGES:
            problems.append(f"{where}: change must be one of {sorted(CHANGES)}")
        if not re.match(r"^[A-Za-z]+ /", str(entry.get("operation", ""))):
            problems.append(f"{where}: operation must read 'METHOD /path'")
        if str(change).startswith("parameter-") != bool(parameter):
            problems.append(f"{where}: parameter is for parameter-* changes only")
        if not strings([entry.get("reason")]):
            problems.append(f"{where}: every difference needs a reason")
    return problems


@pytest.mark.parametrize("parity_path", PARITY_FILES, ids=stem)
def test_vendor_parity(parity_path: Path) -> None:
    parity = load(parity_path)
    no_problems(parity_file_problems(parity))
    curated_path = OPENAPI_DIR / f"{parity_path.stem}.yaml"
    if not curated_path.exists():
        pytest.skip(f"openapi/{curated_path.name} does not exist yet")
    vendor_path = (ROOT / parity["vendor"]).resolve()
    if not vendor_path.exists():
        pytest.fail(f"vendor reference {parity['vendor']} not found")
    found = parity_differences(load(curated_path), load(vendor_path), parity["scope"])
    listed: dict[Difference, str] = {}
    for entry in parity.get("differences") or []:
        method, _, path = entry["operation"].partition(" ")
        parameter = entry.get("parameter")
        folded = parameter.casefold() if parameter else None
        key = (*operation_key(method, path.strip()), entry["change"], folded)
        text = f"{entry['operation']}: {entry['change']} {parameter or ''}".strip()
        assert key not in listed, f"listed twice: {text}"
        listed[key] = text
    unlisted = sorted(found[k] for k in found.keys() - listed.keys())
    stale = sorted(listed[k] for k in listed.keys() - found.keys())
    name = f"tests/parity/{parity_path.name}"
    message = [f"unlisted differences (add them to {name}):"] * bool(unlisted)
    message += [f"  + {line}" for line in unlisted]
    message += [f"stale entries in {name} (no such difference):"] * bool(stale)
    message += [f"  - {line}" for line in stale]
    no_problems(message)


def test_parity_comparison_finds_every_kind_of_change() -> None:
    """Path-item and $ref parameters count; path renames and Accept headers do not."""

    def doc(paths: dict[str, Any]) -> Doc:
        limit = {"name": "limit", "in": "query"}
        return {"paths": paths, "components": {"parameters": {"Limit": limit}}}

    def op(*params: str) -> dict[str, Any]:
        pairs = [p.split("@") for p in params]
        return {"parameters": [{"name": name, "in": loc} for name, loc in pairs]}

    vendor = doc(
        {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path"},
                    {"$ref": "#/components/parameters/Limit"},
                ],
                "get": op("v@header", "gone@query", "Accept@header", "c@cookie"),
            },
            "/old": {"get": op()},
        }
    )
    items = op("item_id@path", "limit@query", "v@query", "n@query")
    curated = doc(
        {
            "/items/{item_id}": {"get": items},
            "/fresh": {"post": op()},
        }
    )
    assert set(parity_differences(curated, vendor, "all")) == {
        ("GET", "/items/{}", "parameter-moved", "v"),
        ("GET", "/items/{}", "parameter-removed", "gone"),
        ("GET", "/items/{}", "parameter-removed", "c"),
        ("GET", "/items/{}", "parameter-added", "n"),
        ("POST", "/fresh", "operation-added", None),
        ("GET", "/old", "operation-omitted", None),
    }
    curated_scope = parity_differences(curated, vendor, "curated")
    assert ("GET", "/old", "operation-omitted", None) not in curated_scope


# ---------------------------------------------------------------------------- Desk365

DESK365 = OPENAPI_DIR / "desk365.yaml"
RATE = "X-Rate-Limit-Remaining"
HTML_RE = re.compile(
    r"</?(a|b|i|p|br|ul|ol|li|em|div|pre|span|code|strong|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def desk() -> Doc:
    if not DESK365.exists():
        pytest.skip("openapi/desk365.yaml does not exist")
    return load(DESK365)


def by_id(doc: Doc) -> dict[str, tuple[str, str, dict, dict]]:
    return {op["operationId"]: (m, p, i, op) for m, p, i, op in operations(doc)}


def param(doc: Doc, operation_id: str, name: str) -> dict[str, Any]:
    _m, _p, item, op = by_id(doc)[operation_id]
    (found,) = [p for p in parameters(doc, item, op) if p["name"] == name]
    return found


def response_schema(doc: Doc, operation_id: str, status: str = "200") -> dict[str, Any]:
    response = resolve(doc, by_id(doc)[operation_id][3]["responses"][status])
    return resolve(doc, response["content"]["application/json"]["schema"])


def x_tool(doc: Doc, operation_id: str) -> dict[str, Any]:
    return by_id(doc)[operation_id][3]["x-tool"]


def inventory_desk365() -> list[tuple[str, str]]:
    """(tool, "METHOD path") rows of the inventory's Desk365 table, in order."""
    text = INVENTORY.read_text(encoding="utf-8")
    section = text.split("\n## Desk365", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        tool = cells[0] if line.startswith("|") and len(cells) > 1 else ""
        if re.fullmatch(r"[a-z0-9_]+", tool) and tool != "tool":
            rows.append((tool, re.sub(r"\s*\(.*\)\s*$", "", cells[1])))
    return rows


def test_desk365_tools_are_the_inventory_in_order(desk: Doc) -> None:
    inventory = inventory_desk365()
    assert len(inventory) == 44, "the inventory's Desk365 table lists 44 tools"
    app = desk["x-api"]["app"]
    ops = list(operations(desk))
    ours = [(tool_name(app, op["x-tool"]), f"{m} {p}") for m, p, _, op in ops]
    assert [tool for tool, _ in ours] == [tool for tool, _ in inventory]
    assert ours == inventory, "each tool sits on the inventory's endpoint"


def test_desk365_server_security_and_x_api(desk: Doc) -> None:
    (server,) = desk["servers"]
    assert server["url"] == "https://{subdomain}.desk365.io/apis"
    assert server["variables"]["subdomain"]["default"] == "yoursubdomain"
    assert server["variables"]["subdomain"]["description"]
    assert desk["security"] == [{"APIKey": []}]
    scheme = desk["components"]["securitySchemes"]["APIKey"]
    assert {k: scheme[k] for k in ("type", "in", "name")} == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    assert "scheme" not in scheme and "bearerFormat" not in scheme
    api = desk["x-api"]
    assert (api["name"], api["app"], api["title"]) == ("desk365", "desk_365", "Desk365")
    assert api["client"] == "Desk365Client"
    assert api["credential"] == {"env": "DESK365_API_KEY", "scheme": "APIKey"}
    assert api["server_variables"] == {"subdomain": "DESK365_SUBDOMAIN"}
    assert api["ratelimit"] == {
        "limit": None,
        "remaining": RATE,
        "reset": None,
        "reset_format": "seconds",
    }


def test_desk365_identifiers_are_query_parameters(desk: Doc) -> None:
    paths = list(desk["paths"])
    assert all(p.startswith("/v3/") and "{" not in p for p in paths)
    assert "/v3/kb/article/" in paths, "the article list keeps its trailing slash"
    for method, path, item, op in operations(desk):
        assert {p["in"] for p in parameters(desk, item, op)} <= {"query"}, method + path
    required = {
        "getTicket": "ticket_number",
        "createTicketReplyWithAttachment": "ticket_number",
        "getContact": "primary_email",
        "updateContact": "primary_email",
        "getCompany": "name",
        "updateCompany": "company_name",
        "getTimeEntry": "id",
        "getSurvey": "survey_name",
        "getKbCategory": "category_name",
        "deleteKbFolder": "folder_name",
        "updateKbArticle": "article_name",
    }
    for operation_id, name in required.items():
        assert param(desk, operation_id, name)["required"] is True, operation_id
    for operation_id in ("getContract", "updateContract"):
        for name in ("reference_number", "contract_name"):
            assert param(desk, operation_id, name)["required"] is False
        rules = " ".join(x_tool(desk, operation_id)["rules"])
        assert "reference_number or contract_name" in rules


def test_desk365_ticket_numbers_are_positive_integers(desk: Doc) -> None:
    schemas = [
        p["schema"]
        for _m, _p, item, op in operations(desk)
        for p in parameters(desk, item, op)
        if p["name"] == "ticket_number"
    ]
    assert len(schemas) == 8
    assert all(s["type"] == "integer" and s["minimum"] == 1 for s in schemas)
    time_entry_id = param(desk, "getTimeEntry", "id")["schema"]
    assert (time_entry_id["type"], time_entry_id["format"]) == ("integer", "int64")


def test_desk365_paging(desk: Doc) -> None:
    for operation_id, size, extra in [
        ("listTickets", "ticket_count", {"default_size": 30, "next": "next_page"}),
        ("listTimeEntries", "time_entries_count", {}),
    ]:
        schema = param(desk, operation_id, size)["schema"]
        assert schema == {
            "type": "string",
            "enum": ["30", "50", "100"],
            "default": "30",
        }
        paging = {"style": "offset", "offset": "offset", "size": size, **extra}
        assert x_tool(desk, operation_id)["paging"] == paging
    for operation_id in (
        "listContacts",
        "listCompanies",
        "listContracts",
        "listSurveyRatings",
    ):
        paging = {"style": "offset", "offset": "offset", "fixed_size": 30}
        assert x_tool(desk, operation_id)["paging"] == paging
        assert "offset + 30" in param(desk, operation_id, "offset")["description"]
    offset = param(desk, "listTickets", "offset")["description"]
    assert "Item offset" in offset
    assert "offset + ticket_count" in " ".join(offset.split())
    assert "next_page" in response_schema(desk, "listTickets")["properties"]


def test_desk365_replies_and_notes_answer_201(desk: Doc) -> None:
    expected = {
        "createTicketReply": {"cc_emails", "bcc_emails", "from_email"},
        "createTicketNote": {"notify_emails", "private_note"},
    }
    for operation_id, fields in expected.items():
        responses = by_id(desk)[operation_id][3]["responses"]
        assert "201" in responses and "200" not in responses
        common = {"body", "to_email", "ticket_number", "attachments"}
        answer = response_schema(desk, operation_id, "201")
        assert set(answer["properties"]) == common | fields
        assert x_tool(desk, operation_id)["provenance"]["source"] == "recorded-response"
    note = desk["components"]["schemas"]["AddNoteRequest"]["properties"]["private_note"]
    assert note["enum"] == [0, 1] and note["default"] == 1
    assert "1 (default) makes a private note" in " ".join(note["description"].split())


def test_desk365_response_and_request_field_names(desk: Doc) -> None:
    schemas = desk["components"]["schemas"]
    ticket = set(schemas["Ticket"]["properties"])
    assert {"assigned_to", "subcategory"} <= ticket
    assert not {"assign_to", "sub_category"} & ticket
    for request in ("CreateTicketRequest", "UpdateTicketRequest"):
        fields = set(schemas[request]["properties"])
        assert {"assign_to", "sub_category"} <= fields
        assert not {"assigned_to", "subcategory"} & fields
    for operation_id in ("getTicket", "createTicket", "updateTicket"):
        assert response_schema(desk, operation_id) is schemas["Ticket"]
    assert {"type", "public_note"} <= set(schemas["ConversationMessage"]["properties"])


def test_desk365_list_wrappers(desk: Doc) -> None:
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
        assert set(response_schema(desk, operation_id)["properties"]) == keys
    titles = response_schema(desk, "listKbArticles")["properties"]["article_titles"]
    assert titles["items"] == {"type": "string"}
    # companies' domains: a list in the list, a string in the details
    items = response_schema(desk, "listCompanies")["properties"]["content"]["items"]
    listed = resolve(desk, items)["properties"]["domains"]
    details = response_schema(desk, "getCompany")["properties"]["domains"]
    assert "array" in listed["type"] and listed["items"] == {"type": "string"}
    assert "string" in details["type"] and "array" not in details["type"]


def test_desk365_request_codes_and_lists(desk: Doc) -> None:
    schemas = desk["components"]["schemas"]
    for request in ("CreateTicketRequest", "UpdateTicketRequest"):
        priority = schemas[request]["properties"]["priority"]
        assert priority["type"] == "integer" and priority["enum"] == [1, 5, 10, 20]
    create = schemas["CreateTicketRequest"]["properties"]
    for field in ("watchers", "share_to"):
        assert create[field]["type"] == "array"
        assert create[field]["items"] == {"type": "string"}
        assert "properties" not in create[field]
        change = schemas["UpdateTicketRequest"]["properties"][field]
        assert set(resolve(desk, change)["properties"]) == {"add", "remove"}
    source = schemas["Ticket"]["properties"]["source"]["description"]
    assert all(code in source for code in ("Email=1", "Web Widget=13", "API=15"))


def test_desk365_filters_is_a_json_query_parameter(desk: Doc) -> None:
    filters = param(desk, "listTickets", "filters")
    assert "schema" not in filters
    schema = resolve(desk, filters["content"]["application/json"]["schema"])
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "status", "priority", "type", "group", "assigned_to", "category",
        "subcategory", "source", "contact",
    }  # fmt: skip
    for prop in schema["properties"].values():
        assert prop["type"] == "array" and prop["items"] == {"type": "string"}
    assert '"--" stands for unassigned' in " ".join(schema["description"].split())


ATTACHMENTS = {  # operationId: (JSON-in-query parameter, JSON sibling, ticket_number)
    "createTicketWithAttachment": ("ticket_object", "createTicket", False),
    "createTicketReplyWithAttachment": ("reply_object", "createTicketReply", True),
    "createTicketNoteWithAttachment": ("note_object", "createTicketNote", True),
    "createContactWithAttachment": ("contact_object", "createContact", False),
    "createCompanyWithAttachment": ("company_object", "createCompany", False),
}


@pytest.mark.parametrize("operation_id", list(ATTACHMENTS))
def test_desk365_attachment_operations(desk: Doc, operation_id: str) -> None:
    object_param, sibling, with_ticket = ATTACHMENTS[operation_id]
    _m, _p, item, op = by_id(desk)[operation_id]
    parameter = param(desk, operation_id, object_param)
    assert parameter["required"] is True and "schema" not in parameter
    sibling_body = by_id(desk)[sibling][3]["requestBody"]["content"]["application/json"]
    assert parameter["content"]["application/json"]["schema"] == sibling_body["schema"]
    names = {p["name"] for p in parameters(desk, item, op)}
    assert names == {object_param} | ({"ticket_number"} if with_ticket else set())
    assert op["requestBody"]["required"] is True
    schema = body_schemas(desk, op)["multipart/form-data"]
    file, files = schema["properties"]["file"], schema["properties"]["files"]
    assert (file["type"], file["format"]) == ("string", "binary")
    assert files["type"] == "array" and files["items"]["format"] == "binary"
    assert schema["oneOf"] == [{"required": ["file"]}, {"required": ["files"]}]
    xt = op["x-tool"]
    assert xt["files"] == {"one": "file", "many": "files"}
    assert (xt["kind"], xt["method"]) == ("custom", "create_with_attachment")


def test_desk365_seed_operations_are_marked(desk: Doc) -> None:
    seeded = {
        op["operationId"]
        for _m, _p, _i, op in operations(desk)
        if op["x-tool"]["provenance"]["source"] == "seed-inventory"
    }
    assert seeded == {
        "createContactWithAttachment",
        "createCompanyWithAttachment",
        "createTimeEntry",
    }


def test_desk365_errors_and_rate_limit_header(desk: Doc) -> None:
    components = desk["components"]
    error = {"$ref": "#/components/schemas/Error"}
    header = {"$ref": f"#/components/headers/{RATE}"}
    props = components["schemas"]["Error"]["properties"]
    assert {k: v["type"] for k, v in props.items()} == {
        "status": "integer",
        "error": "string",
        "message": "string",
    }
    assert components["headers"][RATE]["schema"]["type"] == "integer"
    assert components["responses"]["TooManyRequests"]["headers"][RATE] == header
    problems = []
    for method, path, _item, op in operations(desk):
        for status in ("400", "401", "403", "404", "429", "500"):
            ref = op["responses"].get(status, {}).get("$ref", "")
            shared = components["responses"].get(ref.rpartition("/")[2], {})
            if not ref.startswith("#/components/responses/") or not shared:
                problems.append(f"{method} {path}: {status} is no shared response")
            elif shared["content"]["application/json"]["schema"] != error:
                problems.append(f"{method} {path}: {status} does not use Error")
        for status, response in op["responses"].items():
            has_header = response.get("headers", {}).get(RATE) == header
            exempt = op["operationId"] == "ping"  # ping answers carry no header
            if status.startswith("2") and not has_header and not exempt:
                problems.append(f"{method} {path}: {status} lacks {RATE}")
    no_problems(problems)


def test_desk365_ping_is_text(desk: Doc) -> None:
    (media,) = by_id(desk)["ping"][3]["responses"]["200"]["content"].items()
    assert media[0] == "text/plain" and media[1]["schema"] == {"type": "string"}
    assert "headers" not in by_id(desk)["ping"][3]["responses"]["200"]


def test_desk365_contracts_need_special_access(desk: Doc) -> None:
    rule = "For special access to contract-related API endpoints, please email help@"
    (tag,) = [t for t in desk["tags"] if t["name"] == "contracts"]
    assert rule in " ".join(tag["description"].split())
    ops = [op for _m, p, _i, op in operations(desk) if p.startswith("/v3/contracts")]
    assert len(ops) == 4
    for op in ops:
        assert "help@desk365.io" in op["x-tool"]["access"]
        assert op["responses"]["403"] == {"$ref": "#/components/responses/Forbidden"}


def test_desk365_request_schemas_are_closed(desk: Doc) -> None:
    """Request-side objects forbid unknown properties; only free-form maps stay open."""
    problems: list[str] = []

    def visit(node: dict[str, Any], where: str) -> None:
        if "properties" in node and node.get("additionalProperties") is not False:
            problems.append(f"{where} is not closed")

    for method, path, item, op in operations(desk):
        for media, content in (op.get("requestBody") or {}).get("content", {}).items():
            walk_schema(desk, content["schema"], visit, f"{method} {path} {media}")
        for p in parameters(desk, item, op):
            for content in (p.get("content") or {}).values():
                where = f"{method} {path} {p['name']}"
                walk_schema(desk, content["schema"], visit, where)
    no_problems(sorted(set(problems)))
    custom_fields = desk["components"]["schemas"]["CustomFields"]
    assert "properties" not in custom_fields and custom_fields["additionalProperties"]


def test_desk365_response_schemas_are_lenient(desk: Doc) -> None:
    """Responses allow extra fields and null, with no enums and no date-time formats."""
    problems: list[str] = []

    def visit(node: dict[str, Any], where: str) -> None:
        if node.get("additionalProperties") is False or "enum" in node:
            problems.append(f"{where}: additionalProperties false or enum")
        if node.get("format") in {"date-time", "date"}:
            problems.append(f"{where}: format {node['format']}")

    for method, path, _item, op in operations(desk):
        for status, response in op["responses"].items():
            for content in (resolve(desk, response).get("content") or {}).values():
                where = f"{method} {path} {status}"
                walk_schema(desk, content.get("schema"), visit, where)
    no_problems(sorted(set(problems)))
    ticket = desk["components"]["schemas"]["Ticket"]["properties"]
    for field in ("assigned_to", "subcategory", "resolved_on", "priority", "status"):
        assert "null" in ticket[field]["type"], f"Ticket.{field} must allow null"


def test_desk365_names_and_text_are_clean(desk: Doc) -> None:
    declared = {tag["name"] for tag in desk["tags"]}
    for method, path, _item, op in operations(desk):
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", op["operationId"]), op["operationId"]
        assert set(op["tags"]) <= declared, f"{method} {path} uses an undeclared tag"
    for name in desk["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) and not name.endswith("Model")
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in {"example", "examples"}:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")
        elif isinstance(node, str) and HTML_RE.search(node):
            problems.append(f"{where}: HTML in {node[:60]!r}")

    walk(desk, "#")
    no_problems(problems)
    text = DESK365.read_text(encoding="utf-8")
    assert "apps.desk365.io" not in text, "no legacy host"
    assert not re.search(r"\bcurl\s+-", text), "no legacy curl samples"


def test_desk365_intent_is_consistent(desk: Doc) -> None:
    expected = {  # kind: (read_only, destructive, idempotent)
        "list": (True, False, True),
        "get": (True, False, True),
        "create": (False, False, False),
        "update": (False, True, True),
        "delete": (False, True, True),
        "custom": (False, False, False),  # every Desk365 custom tool creates something
    }
    for method, path, _item, op in operations(desk):
        intent, kind = op["x-tool"]["intent"], op["x-tool"]["kind"]
        got = (intent["read_only"], intent["destructive"], intent["idempotent"])
        assert got == expected[kind] and intent["open_world"], f"{method} {path}"
    effects = x_tool(desk, "createTicketReply")["intent"]["side_effects"]
    assert any("email" in effect.lower() for effect in effects)


def test_inventory_copy_is_current() -> None:
    if not SHARED_INVENTORY.exists():
        pytest.skip("../shared is absent (a fresh clone): the copy in tests/fixtures is used as it is")
    assert INVENTORY.read_bytes() == SHARED_INVENTORY.read_bytes()
