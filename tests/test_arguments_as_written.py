"""Arguments as assistants write them (``_runtime/coerce.py``), the rules APIs enforce checked
first, and errors that lead to the fix (issue 13): each rule on its own, then through the
tools against the mocks, where the request that leaves is the exact one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generated.desk365 import API as DESK365_API
from generated.desk365 import AsyncDesk365Client
from generated.desk365._runtime.coerce import coerce_arguments
from generated.desk365._runtime.host import ToolHost
from generated.desk365.tools import TOOLS as DESK365_TOOLS
from generated.intercom import API as INTERCOM_API
from generated.intercom import AsyncIntercomClient
from generated.intercom._runtime.host import ToolHost as IntercomHost
from generated.intercom.tools import TOOLS as INTERCOM_TOOLS
from helpdesk_mock.app import MockApp
from tests.mocks import create_app

pytestmark = pytest.mark.anyio

SCHEMA = {
    "type": "object",
    "properties": {
        "n": {"type": "integer"},
        "x": {"type": "number"},
        "s": {"type": "string"},
        "size": {"type": "string", "enum": ["30", "50", "100"]},
        "flag": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "obj": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "either": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "ref": {"$ref": "#/$defs/Id"},
    },
    "$defs": {"Id": {"type": "integer"}},
}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"n": "8992"}, {"n": 8992}),
        ({"n": "-3"}, {"n": -3}),
        ({"x": "2.5"}, {"x": 2.5}),
        ({"s": 8992}, {"s": "8992"}),
        ({"size": 30}, {"size": "30"}),
        ({"flag": "true"}, {"flag": True}),
        ({"flag": "False"}, {"flag": False}),
        ({"tags": "vip"}, {"tags": ["vip"]}),
        ({"obj": '{"id": "7"}'}, {"obj": {"id": 7}}),
        ({"obj": {"id": "7"}}, {"obj": {"id": 7}}),
        ({"either": "12"}, {"either": 12}),
        ({"ref": "5"}, {"ref": 5}),
    ],
)
def test_unambiguous_forms_become_the_declared_ones(given: dict[str, Any], expected: dict[str, Any]) -> None:
    assert coerce_arguments(SCHEMA, given) == expected


@pytest.mark.parametrize(
    "given",
    [
        {"n": 2.5},  # no float truncation
        {"n": "007"},  # a leading zero: an id or a number written that way is ambiguous
        {"n": " 8"},
        {"n": "1,000"},  # no locale parsing
        {"n": True},
        {"flag": 1},  # a number is not a boolean
        {"flag": "yes"},
        {"s": 2.5},
        {"mixed": "12"},  # already one of the union's types: left as given
        {"unknown": "1"},
    ],
)
def test_ambiguous_forms_are_left_for_validation_to_refuse(given: dict[str, Any]) -> None:
    assert coerce_arguments(SCHEMA, given) == given


# -- through the tools --------------------------------------------------------------------


def desk365() -> tuple[ToolHost, MockApp]:
    app = create_app("desk365")
    client = AsyncDesk365Client(
        api_key="k", base_url="http://m", http_client=httpx.AsyncClient(transport=app.transport())
    )
    return ToolHost(DESK365_API, DESK365_TOOLS, client), app


def intercom() -> tuple[IntercomHost, MockApp]:
    app = create_app("intercom")
    http = httpx.AsyncClient(transport=app.transport())
    client = AsyncIntercomClient(access_token="t", base_url="http://m", http_client=http)
    return IntercomHost(INTERCOM_API, INTERCOM_TOOLS, client), app


async def test_the_seeds_own_calls_are_accepted_and_sent_exactly() -> None:
    host, app = desk365()
    ticket = await host.call("get_single_desk_365_ticket_by_id", {"ticket_number": "91"})
    assert not ticket.is_error and ticket.structured_content["ticket_number"] == 91
    page = await host.call("list_all_desk_365_tickets", {"ticket_count": 30, "offset": 30})
    assert not page.is_error
    assert [r.query for r in app.requests] == [[("ticket_number", "91")], [("ticket_count", "30"), ("offset", "30")]]


async def test_intercom_ids_pass_from_one_tool_to_the_next_in_either_form() -> None:
    host, app = intercom()
    found = await host.call("list_all_intercom_search_conversations",
                            {"query": {"field": "state", "operator": "=", "value": "open"}})  # fmt: skip
    conversation_id = found.structured_content["conversations"][0]["id"]
    assert isinstance(conversation_id, str)
    me = (await host.call("intercom_admins_me", {})).structured_content
    read = await host.call("get_single_intercom_conversation_by_id", {"conversation_id": conversation_id})
    assert not read.is_error
    for admin_id in (me["id"], int(me["id"])):  # a string in one answer, a number in another
        note = {"conversation_id": int(conversation_id), "message_type": "note", "type": "admin",
                "admin_id": admin_id, "body": "checked"}  # fmt: skip
        replied = await host.call("intercom_conversations_reply", note)
        assert not replied.is_error, replied.content[0].text
    update = await host.call("update_a_intercom_ticket_by_id", {"ticket_id": "1", "admin_id": me["id"], "open": "true"})
    assert "must be" not in update.content[0].text  # coerced; the mock's answer decides the rest
    assert app.requests[-1].request is not None  # the mock found the request valid


async def test_rules_the_api_enforces_are_checked_first() -> None:
    host, app = desk365()
    empty = await host.call("create_a_desk_365_ticket_reply", {"ticket_number": 91})
    assert empty.is_error and "body is required" in empty.content[0].text
    untitled = await host.call("create_a_desk_365_kb_article", {"article_content": "<p>x</p>"})
    assert untitled.is_error and "article_title is required" in untitled.content[0].text
    date = await host.call("list_all_desk_365_tickets", {"updated_since": "2025-11-28"})
    assert date.is_error and "yyyy-mm-dd hh:mm:ss" in date.content[0].text
    assert app.requests == []
    ic, ic_app = intercom()
    snooze = {"conversation_id": "10934855", "message_type": "snoozed", "admin_id": "991267401",
              "snoozed_until": 1796642987000}  # fmt: skip
    ms = await ic.call("intercom_conversations_manage", snooze)
    assert ms.is_error and "milliseconds" in ms.content[0].text
    anyone = await ic.call("create_a_intercom_contact", {"name": "No identity"})
    assert anyone.is_error and "give at least one of" in anyone.content[0].text
    assert ic_app.requests == []


async def test_errors_lead_to_the_fix() -> None:
    host, _ = desk365()
    typo = await host.call("get_single_desk_365_ticket_by_id", {"ticket_numbr": 91})
    assert "did you mean: ticket_numbr -> ticket_number?" in typo.content[0].text
    missing = await host.call("get_single_desk_365_ticket_by_id", {"ticket_number": 8992})
    text = missing.content[0].text
    assert text.count("The resource you were trying to reach is not found") == 1  # the vendor's text once
    ic, _ = intercom()
    gone = await ic.call("get_single_intercom_contact_by_id", {"contact_id": "66f0c1d2e3a4b5c6000000ff"})
    assert gone.is_error and "HTTP 4" in gone.content[0].text


async def test_a_410_shows_its_link_and_a_204_is_a_plain_confirmation() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(204)
        body = {"type": "error.list", "errors": [{"code": "contact_merged", "message": "Contact was merged"}]}
        return httpx.Response(410, json=body, headers={"Link": "</contacts/abc>; rel=merged"})

    client = AsyncIntercomClient(access_token="t", base_url="http://m", http_client=httpx.AsyncClient(
        transport=httpx.MockTransport(answer)))  # fmt: skip
    host = IntercomHost(INTERCOM_API, INTERCOM_TOOLS, client)
    merged = await host.call("get_single_intercom_contact_by_id", {"contact_id": "x1"})
    text = merged.content[0].text
    assert "HTTP 410: Contact was merged" in text and "Link header: </contacts/abc>; rel=merged" in text
    assert text.count("Contact was merged") == 1 and "contact_merged" in text  # the code is kept, once
    deleted = await host.call("delete_a_intercom_tag_by_id", {"tag_id": "8100001"})
    assert not deleted.is_error and deleted.content[0].text == "Done: Intercom answered HTTP 204 with no content."
