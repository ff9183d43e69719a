"""The Desk365 curation (``openapi/desk365.yaml``): the facts it exists for (``API-FACTS.md`` Part B).

The inventory's tool names and order, server and credential, identifiers in the query, 201
answers, page sizes, field names, list wrappers, errors and the rate-limit header, attachments,
closed request and lenient response schemas, intent. The inventory is read from a byte-identical
copy in ``tests/fixtures`` (a test checks it is current when ``../shared`` is present).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.openapi_helpers import (
    OPENAPI_DIR,
    ROOT,
    Doc,
    body_schemas,
    load,
    no_problems,
    operations,
    parameters,
    resolve,
    tool_name,
    walk_schema,
)

# A byte-identical copy of the product's tool inventory (../shared/TOOL-INVENTORY.md), so the
# inventory tests run on a fresh clone; test_inventory_copy_is_current compares the two.
INVENTORY = ROOT / "tests" / "fixtures" / "TOOL-INVENTORY.md"
SHARED_INVENTORY = ROOT.parent / "shared" / "TOOL-INVENTORY.md"


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
