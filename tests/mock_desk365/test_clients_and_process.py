"""The Desk365 mock under real clients: the sync transport serving threads, the generated typed
client (sync and async) round trips, and the mock as a real process (``helpdesk-mcp mock``)
that the generated MCP server talks to over stdio; the CLI refuses an unknown API.
In process through ``app.transport()`` unless said otherwise; the fixtures (``clock``, ``app``,
``http``) are in this folder's ``conftest.py``, the helpers in ``helpers.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client, StdioServerParameters

from generated.desk365 import AsyncDesk365Client, Desk365Client
from helpdesk_mock import MockApp
from tests.mock_desk365.helpers import BASE, KEY, ROOT

# -- the sync transport and the generated typed client -------------------------------------------


def test_sync_transport_serves_threads(app: MockApp) -> None:
    with httpx.Client(transport=app.sync_transport(), base_url=BASE, headers=KEY) as http:
        results: list[int] = []

        def work(n: int) -> None:
            for _ in range(5):
                results.append(
                    http.get("/v3/tickets/details", params={"ticket_number": str(17 + n)}).json()["ticket_number"]
                )

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == sorted([17, 18, 19, 20] * 5) and len(app.requests) == 20


def test_typed_client_round_trip(app: MockApp) -> None:
    http = httpx.Client(transport=app.sync_transport())
    with Desk365Client(api_key="k", base_url=BASE, http_client=http) as client:
        ticket = client.tickets.create(email="jane.doe@example.com", subject="Laptop fan noise", priority=5,
                                       custom_fields={"cf_Asset Tag": "LT-0042"})  # fmt: skip
        number = ticket.ticket_number
        assert client.tickets.get(ticket_number=number).subject == "Laptop fan noise"
        assert client.tickets.update(ticket_number=number, status="pending").status == "Pending"
        assert (
            client.ticket_replies.create(ticket_number=number, body="<p>On it</p>").to_email == "jane.doe@example.com"
        )
        note = client.ticket_notes.create_with_attachment(
            ticket_number=number,
            note_object={"body": "Logs", "private_note": 1},
            files=[("fan.wav", b"RIFF....", "audio/wav"), ("notes.txt", b"loud", "text/plain")],
        )
        assert [a.file_name for a in note.attachments or []] == ["fan.wav", "notes.txt"]
        talk = client.ticket_conversations.list(ticket_number=number)
        assert [m.type for m in talk.conversations or []] == ["reply", "note"]
        page = client.tickets.list(ticket_count="30", filters={"contact": ["jane.doe@example.com"]})
        assert number in [t.ticket_number for t in page.tickets or []]
        assert client.companies.get(name="R&D / Ops #1").name == "R&D / Ops #1"
    recorded = [(r.method, r.path, r.status) for r in app.requests]
    assert recorded[4] == ("POST", "/v3/tickets/add_note_with_attachment", 201)
    parts = app.requests[4].request
    assert parts is not None and [u.filename for u in parts.files["files"]] == ["fan.wav", "notes.txt"]
    assert parts.params["note_object"] == {"body": "Logs", "private_note": 1}
    assert all(r.status in (200, 201) for r in app.requests)


@pytest.mark.anyio
async def test_async_typed_client_round_trip(app: MockApp) -> None:
    async with AsyncDesk365Client(api_key="k", base_url=BASE,
                                  http_client=httpx.AsyncClient(transport=app.transport())) as client:  # fmt: skip
        category = await client.kb_categories.create(category_name="Onboarding", support_portal_visibility=2)
        assert category.category_name == "Onboarding"
        await client.kb_folders.create(category_name="Onboarding", folder_name="First week")
        article = await client.kb_articles.create(article_title="Day one", category_name="Onboarding",
                                                  folder_name="First week", article_content="<p>Hi</p>")  # fmt: skip
        assert article.folder_name == "First week"
        assert "Day one" in ((await client.kb_articles.list()).article_titles or [])
        await client.kb_articles.delete(article_name="Day one")
        assert "Day one" not in ((await client.kb_articles.list()).article_titles or [])


# -- a real process: the CLI, and the generated MCP server talking to it ------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def mock_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("mock") / "mock.log"
    cli = Path(sys.executable).with_name("helpdesk-mcp")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(cli), "mock", "desk365", "--port", str(port), "--log-level", "warning"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(f"the mock did not start:\n{log.read_text()}") from None
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log.read_text()
    assert f"http://127.0.0.1:{port}" in text and "DESK365_API_KEY=mock-key" in text


@pytest.mark.anyio
async def test_generated_mcp_server_against_the_mock_process(mock_process: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK365_")}
    env.update(DESK365_API_KEY="mock-key", PYTHONPATH=str(ROOT))
    params = StdioServerParameters(command=sys.executable, args=["-m", "generated.desk365", "--base-url", mock_process],
                                   env=env, cwd=str(ROOT))  # fmt: skip
    async with Client(params) as client:
        tools = (await client.list_tools()).tools
        assert len(tools) == 44
        result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 91})
        assert result.is_error is False
        assert result.structured_content is not None and result.structured_content["ticket_number"] == 91
        bad = await client.call_tool("get_single_desk_365_company_by_id", {"name": "No Such Co"})
        assert bad.is_error is True and "404" in bad.content[0].text
    with httpx.Client(base_url=mock_process, headers=KEY) as http:
        assert http.get("/v3/ping").text == "All good! Desk365 APIs are running fine"


def test_cli_refuses_an_unknown_api() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["mock", "nothing"])
    assert result.exit_code == 2 and "no mock for 'nothing'; choose one of desk365" in result.output
    assert "--ratelimit" in CliRunner().invoke(main, ["mock", "--help"]).output
