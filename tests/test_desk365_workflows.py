"""The two Desk365 workflows of seed 000, end to end, tool call by tool call, as an
assistant writes them (issue 13).

MCP client (in process, both protocol eras) -> the generated Desk365 MCP server ->
the generated ``AsyncDesk365Client`` -> the Desk365 mock (``app.transport()``).
The seed writes ``ticket_number: "8992"``, a string: the mock's newest ticket is 91,
so the calls say ``"91"`` the same way, and the tools accept it.

1. VIP ticket triage: read the ticket, check the customer in the contacts, read the
   thread, reply with an apology, set the ticket to pending.
2. A knowledge-base article after an outage: look for an article by title, find that
   the category does not exist (a 404 the model reads), create the category and a
   folder in it, publish the article.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client

from generated.desk365 import AsyncDesk365Client
from generated.desk365.server import create_server
from helpdesk_mock.app import MockApp
from tests.mocks import create_app

KEY = "desk365-workflow-key"
MODES = ["auto", "legacy"]

pytestmark = pytest.mark.anyio


@pytest.fixture
def app() -> MockApp:
    return create_app("desk365")


@asynccontextmanager
async def connect(app: MockApp, mode: str) -> AsyncIterator[Client]:
    http = httpx.AsyncClient(transport=app.transport())
    client = AsyncDesk365Client(api_key=KEY, base_url="http://desk365.mock", http_client=http)
    try:
        async with Client(create_server(client), mode=mode) as mcp_client:
            yield mcp_client
    finally:
        await client.aclose()


async def call(c: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await c.call_tool(tool, args)
    text = "\n".join(getattr(part, "text", "") for part in result.content)
    assert not result.is_error, f"{tool} failed: {text}"
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def sent(app: MockApp) -> list[tuple[str, str, list[tuple[str, str]], Any]]:
    return [(r.method, r.path, r.query, json.loads(r.body) if r.body else None) for r in app.requests]


@pytest.mark.parametrize("mode", MODES)
async def test_vip_ticket_triage(app: MockApp, mode: str) -> None:
    async with connect(app, mode) as c:
        # 1. the ticket, by the number the customer quoted (a string, as the seed writes it)
        ticket = await call(c, "get_single_desk_365_ticket_by_id", {"ticket_number": "91"})
        assert ticket["ticket_number"] == 91 and ticket["priority"] in (1, 5, 10, 20)
        email = ticket["contact_email"]

        # 2. the customer, by that email
        contact = await call(c, "get_single_desk_365_contact_by_id", {"primary_email": email})
        assert contact["primary_email"] == email

        # 3. the thread
        thread = await call(c, "list_all_desk_365_ticket_conversations", {"ticket_number": "91"})
        assert thread["conversations"] and all("body" in m or "body_text" in m for m in thread["conversations"])

        # 4. a reply without its body is refused before anything is sent (it would email nothing)
        empty = await c.call_tool("create_a_desk_365_ticket_reply", {"ticket_number": "91"})
        assert empty.is_error and "body is required" in empty.content[0].text
        assert len(app.requests) == 3

        # 5. the apology, then the new status
        body = "<p>Sorry for the delay: we have found the cause and a fix is on its way today.</p>"
        replied = await call(c, "create_a_desk_365_ticket_reply", {"ticket_number": "91", "body": body})
        assert replied["ticket_number"] == 91 and "body" not in replied  # a confirmation, not an echo
        updated = await call(c, "update_a_desk_365_ticket_by_id", {"ticket_number": 91, "status": "Pending"})
        assert (updated["ticket_number"], updated["status"]) == (91, "Pending")

    assert [(m, p, q) for m, p, q, _ in sent(app)] == [
        ("GET", "/v3/tickets/details", [("ticket_number", "91")]),
        ("GET", "/v3/contacts/details", [("primary_email", email)]),
        ("GET", "/v3/tickets/conversations", [("ticket_number", "91")]),
        ("POST", "/v3/tickets/add_reply", [("ticket_number", "91")]),
        ("PUT", "/v3/tickets/update", [("ticket_number", "91")]),
    ]
    assert sent(app)[3][3] == {"body": body} and sent(app)[4][3] == {"status": "Pending"}
    assert all(r.headers["authorization"] == KEY for r in app.requests)


@pytest.mark.parametrize("mode", MODES)
async def test_knowledge_base_article_after_an_outage(app: MockApp, mode: str) -> None:
    title = "VPN Connectivity Issues"
    async with connect(app, mode) as c:
        # 1. is there an article already? (the list holds the titles of the live articles)
        articles = await call(c, "list_all_desk_365_kb_articles", {})
        titles = articles["article_titles"]
        assert "Printer shows offline" in titles and title not in titles

        # 2. the category the user named does not exist: the 404 says so
        missing = await c.call_tool(
            "get_single_desk_365_kb_category_by_id", {"category_name": "Network Troubleshooting"}
        )
        assert missing.is_error and "HTTP 404" in missing.content[0].text

        # 3. so create it, and a folder in it (there is no list of categories in v3)
        category = await call(c, "create_a_desk_365_kb_category", {"category_name": "Network Troubleshooting"})
        assert category == {"category_name": "Network Troubleshooting"}
        folder = await call(c, "create_a_desk_365_kb_folder",
                            {"category_name": "Network Troubleshooting", "folder_name": "VPN"})  # fmt: skip
        assert folder["category_name"] == "VPN" and folder["parent_category_name"] == "Network Troubleshooting"

        # 4. the article, published (status 1)
        content = "<p>The outage came from an expired certificate on the VPN gateway; it was renewed.</p>"
        article = {"article_title": title, "article_content": content, "category_name": "Network Troubleshooting",
                   "folder_name": "VPN", "status": "1"}  # fmt: skip
        created = await call(c, "create_a_desk_365_kb_article", article)
        assert created == {"article_title": title, "category_name": "Network Troubleshooting",
                           "folder_name": "VPN", "status": 1}  # fmt: skip

    stored = app.state.kb_articles[title.lower()]
    assert (stored["folder_name"], stored["status"]) == ("VPN", 1)
    assert sent(app)[-1][3] == {**article, "status": 1}  # "1" as the model wrote it, sent as the number
