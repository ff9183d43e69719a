"""The generator on the vendors' full documents, without curation.

``tests/fixtures/vendor`` holds byte-identical copies of the vendors' own files
(Intercom 2.16, 231 operations; Desk365 v3, 41): every operation yields a tool,
the package imports, and a sample of tools round-trips exactly.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from mcp.types import ListToolsResult

from generator.cli import main as cli
from generator.pipeline import tools_list_payload
from tests.anydoc import (
    DESK365,
    INTERCOM,
    ROOT,
    VENDOR,
    Packages,
    Upstream,
    call_tool,
    client,
    count_operations,
    query,
    text,
)

# -- the full vendor documents -------------------------------------------------------------


def _raw(path: Path) -> dict[str, Any]:
    from generator.load import load_document

    return dict(load_document(path).raw)


@pytest.mark.parametrize(
    ("doc", "package", "operations"), [(INTERCOM, "intercom_vendor", 231), (DESK365, "desk365_vendor", 41)]
)
def test_vendor_generation(vendor: Packages, doc: Path, package: str, operations: int) -> None:
    gen = vendor.get(doc, package)
    wanted = count_operations(_raw(doc))
    assert len(wanted) == operations
    assert sorted((op.method, op.path) for op in gen.api.operations) == sorted(wanted)  # one tool per operation
    assert len(gen.module("tools").TOOLS) == operations
    gen.module("server")
    gen.module("models")
    for group in gen.api.groups:
        gen.module(f"resources.{group.module}")
    py_files = [p.relative_to(gen.directory).as_posix() for p in gen.directory.rglob("*.py")]
    copied = [p for p in py_files if p.startswith("_runtime/") and p != "_runtime/quirks.py"]
    # every rendered module went through the formatter; the runtime is copied as it is,
    # and models.py comes formatted from datamodel-code-generator
    assert gen.formatted == len(py_files) - len(copied) - 1
    payload = tools_list_payload(gen.api)
    assert len(payload) == operations
    # What the SDK's client accepts: every output schema is an object schema.
    listed = ListToolsResult.model_validate({"tools": payload})
    assert len(listed.tools) == operations
    assert all(t.output_schema is None or t.output_schema["type"] == "object" for t in listed.tools)
    size = len(json.dumps({"tools": payload}, separators=(",", ":"), ensure_ascii=False).encode())
    assert size < 2_000_000  # FastMCP sends 3.2 MB for Intercom 2.16


def test_vendor_warnings(vendor: Packages) -> None:
    intercom = vendor.get(INTERCOM, "intercom_vendor")
    # The vendor declares `job_identifier` in the query of a path that has {job_identifier}.
    assert intercom.warnings == [
        f"warning: paths./{kind}/reporting_data/{{job_identifier}}.get: path variable {{job_identifier}} has no "
        "path parameter; added as a required string (the query parameter of that name is sent as well)"
        for kind in ("export", "download")
    ]
    desk365 = vendor.get(DESK365, "desk365_vendor")
    assert desk365.warnings == [
        "warning: servers[0]: server has no url; skipped (pass a base URL at run time)",
        "warning: servers: no usable server URL; the client needs base_url or the BASE_URL variable",
    ]


@pytest.mark.parametrize(("doc", "operations"), [(INTERCOM, 231), (DESK365, 41)])
def test_tools_command_lists_every_operation(doc: Path, operations: int) -> None:
    result = CliRunner().invoke(cli, ["tools", str(doc), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == operations
    assert len({r["name"] for r in rows}) == operations


def test_intercom_vendor_round_trips(vendor: Packages) -> None:
    gen = vendor.get(INTERCOM, "intercom_vendor")
    upstream = Upstream(
        httpx.Response(200, json={"type": "contact", "id": "c/1", "role": "user"}),
        httpx.Response(200),
        httpx.Response(200, json={"type": "list", "data": [], "total_count": 0}),
        httpx.Response(200, content=b"id,name\n", headers={"content-type": "application/octet-stream"}),
    )
    with client(gen, upstream) as c:
        found = c.contacts.show_contact(contact_id="c/1 x", include_merge_history=True, intercom_version="2.16")
        c.tags.delete_tag(tag_id="42")
        c.content.search_content(query="refund policy", states=["published", "draft"], tag_ids=[1, 2], per_page=5)
        c.reporting_data_export.get_download_reporting_data_job_identifier(
            accept="application/octet-stream", app_id="app 1", job_identifier_query="j1", job_identifier_path="j/1"
        )
    assert found.id == "c/1"
    show, delete, search, download = upstream.requests
    assert (show.method, show.url.raw_path) == ("GET", b"/contacts/c%2F1%20x?include_merge_history=true")
    assert show.headers["authorization"] == "Bearer secret-key"
    assert show.headers["intercom-version"] == "2.16"
    assert (delete.method, delete.url.raw_path, delete.content) == ("DELETE", b"/tags/42", b"")
    assert query(search) == [
        ("query", "refund policy"), ("per_page", "5"), ("states", "published,draft"), ("tag_ids", "1,2"),
    ]  # fmt: skip
    assert download.url.raw_path == b"/download/reporting_data/j%2F1?app_id=app%201&job_identifier=j1"
    assert download.headers["accept"] == "application/octet-stream"


@pytest.mark.anyio
async def test_intercom_vendor_tool_round_trips(vendor: Packages) -> None:
    gen = vendor.get(INTERCOM, "intercom_vendor")
    upstream = Upstream(
        httpx.Response(200, json={"type": "list", "data": []}),
        httpx.Response(200, json={"type": "event.summary", "events": []}),
    )
    query_body = {"field": "email", "operator": "=", "value": "a@b.c"}
    result = await call_tool(
        gen,
        upstream,
        "search_contacts",
        {"query": query_body, "pagination": {"per_page": 5}, "Intercom-Version": "2.16"},
    )
    assert not result.is_error, text(result)
    events = await call_tool(gen, upstream, "lis_data_events", {"type": "user", "email": "a@b.c"})
    assert not events.is_error, text(events)
    search, listing = upstream.requests
    assert (search.method, search.url.raw_path) == ("POST", b"/contacts/search")
    assert json.loads(search.content) == {"query": query_body, "pagination": {"per_page": 5}}
    assert search.headers["intercom-version"] == "2.16"
    assert (listing.method, query(listing)) == ("GET", [("type", "user"), ("email", "a@b.c")])


def test_desk365_vendor_round_trips(vendor: Packages) -> None:
    gen = vendor.get(DESK365, "desk365_vendor")
    upstream = Upstream(httpx.Response(200, json={"ticket_number": 8}))
    with client(gen, upstream) as c:
        c.tickets.get_ticket_details(ticket_number="R&D #1")
        c.tickets.update_ticket_from_api(ticket_number="8", subject="New", priority=10)
        c.tickets.create_new_ticket_with_attachment_from_api(
            ticket_object='{"subject": "s"}', file=("log.txt", b"line\n", "text/plain")
        )
        c.kb_articles.delete_kb_article(article_name="How to / why")
    details, update, create, delete = upstream.requests
    assert (details.method, details.url.raw_path) == ("GET", b"/v3/tickets/details?ticket_number=R%26D%20%231")
    assert details.headers["authorization"] == "secret-key"  # apiKey in the Authorization header, as declared
    assert (update.method, query(update), json.loads(update.content)) == (
        "PUT",
        [("ticket_number", "8")],
        {"subject": "New", "priority": 10},
    )
    assert create.method == "POST" and query(create) == [("ticket_object", '{"subject": "s"}')]
    assert create.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="log.txt"' in create.content and b"line\n" in create.content
    assert (delete.method, delete.url.raw_path) == (
        "DELETE",
        b"/v3/kb/article/delete?article_name=How%20to%20%2F%20why",
    )


@pytest.mark.anyio
async def test_desk365_vendor_file_upload_through_the_tool(vendor: Packages) -> None:
    gen = vendor.get(DESK365, "desk365_vendor")
    upstream = Upstream(httpx.Response(200, json={"ticket_number": 9}))
    content = base64.b64encode(b"\x89PNG\r\n").decode()
    result = await call_tool(
        gen,
        upstream,
        "create_new_ticket_with_attachment_from_api",
        {"ticket_object": "{}", "file": {"filename": "s.png", "content_type": "image/png", "content_base64": content}},
    )
    assert not result.is_error, text(result)
    request = upstream.request
    assert (request.method, query(request)) == ("POST", [("ticket_object", "{}")])
    assert b'name="file"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n' in request.content


def test_vendor_fixtures_are_the_vendor_files() -> None:
    shared = ROOT.parent / "shared" / "reference"
    if not shared.is_dir():
        pytest.skip("../shared/reference is not available (a fresh clone)")
    for name in (INTERCOM.name, DESK365.name):
        assert (VENDOR / name).read_bytes() == (shared / name).read_bytes(), name
