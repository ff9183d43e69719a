"""Every bug fuzzing found, kept as an explicit case run through the same round trip.

Each case is a schemathesis ``Case`` built by hand on the curated document's
operation and checked by the fuzz harness exactly like a generated one
(``check_positive``: MCP tool, sync client with models, async client with dicts,
request and result compared with the mock; ``check_negative``: a tool error and
nothing sent). The tests after the table pin the fixed behaviour directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.fuzz.roundtrip import BASE_URL
from tests.fuzz.runner import check_negative, check_positive, close_sessions, fixtures_for, session_for
from tests.fuzz.targets import Target, targets


@pytest.fixture(scope="module", autouse=True)
def _sessions() -> Iterator[None]:
    yield
    close_sessions()


def target_of(api: str, tool: str) -> Target:
    return next(t for t in targets(api) if t.tool.name == tool)


def known(api: str, tool: str, field: str = "id") -> Any:
    """The first value of ``field`` in the seeded mock's answer to ``tool``."""
    pool = fixtures_for(api).pool((tool,), field)
    assert pool, (tool, field)
    return pool[0]


@dataclass(frozen=True)
class Regression:
    name: str
    api: str
    tool: str
    mode: str  # positive / negative
    components: Any  # a callable giving the Case keyword arguments (ids come from the mock)
    found: str  # what went wrong before the fix


REGRESSIONS = [
    Regression(
        "int32-ticket-number-overflow", "desk365", "get_single_desk_365_ticket_by_id", "negative",
        lambda: {"query": {"ticket_number": 626634698865719508992}},
        "format int32 was not checked: the tool sent ticket_number=626634698865719508992 upstream",
    ),
    Regression(
        "int32-overflow-next-to-a-file", "desk365", "desk_365_ticket_replies_create_with_attachment", "negative",
        lambda: {
            "query": {"ticket_number": 2**31, "reply_object": json.dumps({"body": "hi"})},
            "body": {"file": b"%PDF-1.4\n"}, "media_type": "multipart/form-data",
        },
        "the same, on a multipart operation",
    ),
    Regression(
        "int32-negative-overflow-in-a-filter", "desk365", "list_all_desk_365_time_entries", "negative",
        lambda: {"query": {"ticket_number": -(2**31) - 1}},
        "the lower bound of int32 was not checked either",
    ),
    Regression(
        "int64-overflow", "desk365", "get_single_desk_365_time_entry_by_id", "negative",
        lambda: {"query": {"id": 2**63}},
        "format int64 was not checked",
    ),
    Regression(
        "custom-field-key-without-cf-prefix-in-a-query-object",
        "desk365",
        "desk_365_tickets_create_with_attachment",
        "negative",
        lambda: {
            "query": {"ticket_object": json.dumps({"custom_fields": {"": None}})},
            "body": {"file": b"GIF87a"},
            "media_type": "multipart/form-data",
        },
        "propertyNames (custom-field keys start with cf_) was dropped from the tool schema: the tool sent it",
    ),
    Regression(
        "custom-field-key-without-cf-prefix-in-a-body",
        "desk365",
        "create_a_desk_365_ticket",
        "negative",
        lambda: {"body": {"subject": "Printer", "custom_fields": {"Employee ID": 5}}, "media_type": "application/json"},
        "the same, on a JSON body",
    ),
    Regression(
        "explicit-null-moves-a-collection-to-the-top", "intercom",
        "update_a_intercom_help_center_collection_by_id", "positive",
        lambda: {
            "path_parameters": {"collection_id": known("intercom", "list_all_intercom_help_center_collections")},
            "body": {"parent_id": None}, "media_type": "application/json",
        },
        "a null body property was dropped: the tool sent {} instead of {\"parent_id\": null}",
    ),
    Regression(
        "explicit-null-detaches-the-company", "intercom", "update_a_intercom_conversation_by_id", "positive",
        lambda: {
            "path_parameters": {"conversation_id": known("intercom", "list_all_intercom_conversations")},
            "body": {"read": False, "company_id": None}, "media_type": "application/json",
        },
        "company_id: null (documented: detaches the company) never reached Intercom",
    ),
    Regression(
        "explicit-null-next-to-values", "intercom", "create_a_intercom_help_center_collection", "positive",
        lambda: {"body": {"name": "FAQ", "parent_id": None, "help_center_id": None}, "media_type": "application/json"},
        "the nulls were dropped from a create as well",
    ),
    Regression(
        "url-kept-as-given-in-a-model", "intercom", "intercom_conversations_reply", "positive",
        lambda: {
            "path_parameters": {"conversation_id": "0"},
            "body": {"admin_id": 0, "message_type": "note", "type": "admin", "attachment_urls": ["https://0.com"]},
            "media_type": "application/json",
        },
        "the typed model (pydantic AnyUrl) sent https://0.com/ for https://0.com",
    ),
]  # fmt: skip


@pytest.mark.parametrize("regression", REGRESSIONS, ids=lambda r: r.name)
def test_regression_round_trip(regression: Regression) -> None:
    target = target_of(regression.api, regression.tool)
    case = target.operation().Case(**regression.components())
    if regression.mode == "positive":
        assert check_positive(target, case) is None, regression.found
    else:
        assert check_negative(target, case) is None, regression.found


# -- the fixed behaviour, pinned directly -----------------------------------------------


def test_an_out_of_range_int32_is_refused_naming_the_rule() -> None:
    target = target_of("desk365", "get_single_desk_365_ticket_by_id")
    session = session_for("desk365")
    session.forget()
    result = session.call_tool(target, {"ticket_number": 2**40})
    text = result.content[0].text
    assert result.is_error
    assert "ticket_number must be a 32-bit integer (from -2147483648 to 2147483647); got 1099511627776" in text
    assert session.app.requests == []


def test_a_tool_sends_an_explicit_null_but_the_typed_client_treats_none_as_not_given() -> None:
    target = target_of("intercom", "update_a_intercom_help_center_collection_by_id")
    collection = int(known("intercom", "list_all_intercom_help_center_collections"))  # ids are sent as text
    session = session_for("intercom")
    session.reset()
    result = session.call_tool(target, {"collection_id": collection, "parent_id": None})
    assert not result.is_error, result.content[0].text
    assert json.loads(session.app.requests[-1].body) == {"parent_id": None}
    session.reset()
    with session.sync_client(target) as client:
        client.help_center_collections.update(collection_id=collection, parent_id=None, name="Renamed")
    assert json.loads(session.app.requests[-1].body) == {"name": "Renamed"}


def test_model_arguments_keep_urls_and_uuids_as_given() -> None:
    from generated.intercom import IntercomClient, models

    given = {
        "admin_id": 1, "message_type": "quick_reply", "type": "admin", "attachment_urls": ["https://EXAMPLE.com"],
        "reply_options": [{"text": "Yes", "uuid": "0F8FAD5B-D9CB-469F-A165-70867728950E"}],
    }  # fmt: skip
    reply = models.ConversationAdminReply.model_validate(given)
    sent: list[Any] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(404, json={"type": "error.list", "errors": [{"code": "not_found", "message": "nope"}]})

    http = httpx.Client(transport=httpx.MockTransport(upstream))
    with IntercomClient(access_token="t", base_url=BASE_URL, http_client=http) as client:
        with pytest.raises(Exception, match="nope"):
            client.conversations.reply(conversation_id="1", body=reply)
    assert sent == [given]
