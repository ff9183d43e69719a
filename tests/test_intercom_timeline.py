"""Intercom's conversation timeline, as the generated client and MCP server give it.

The conversation tool returns the raw conversation with a ``timeline`` first: every part in
time order (out-of-order and same-second parts, parts without a time last), with plain-text
bodies (``html_to_text``), authors, assignments and attachment names; the library function
``conversation_timeline`` gives the same from a dict or the model and tolerates odd
payloads; and every conversation of the mock (``helpdesk_mock``) has an ordered timeline.
Helpers (the recording upstream, ``connect``, ``mock_session``): ``tests/intercom_quirks_helpers.py``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from generated.intercom import (
    TimelineEntry,
    conversation_timeline,
    models,
)
from generated.intercom._runtime.results import compact
from generated.intercom._runtime.timeline import html_to_text
from tests.intercom_quirks_helpers import (
    T0,
    TOOL_SPECS,
    Upstream,
    connect,
    mock_session,
    sync_client,
    text_of,
)

# -- the conversation timeline ------------------------------------------------------------

CUSTOMER = {"type": "user", "id": "c1", "name": "Dana Customer", "email": "dana@example.com"}
AGENT = {"type": "admin", "id": "7", "name": "Sam Agent", "email": "sam@acme.io"}
BOT = {"type": "bot", "id": "99", "name": "Fin", "email": None}
TEAM = {"type": "team", "id": "5", "name": "Billing"}

# (id, part_type, seconds after T0 or None, author, body): the raw payload order, with
# 100 and 103/102 and 108/107 out of order, and 105/104 at the same second.
PARTS: list[tuple[Any, str, int | None, dict[str, Any], str | None]] = [
    ("101", "assignment", 10, BOT, None),
    ("103", "comment", 120, AGENT, "<p>Sorry about that! Checking now.</p>"),
    ("102", "note", 90, AGENT, "<p>Looks like a <b>duplicate</b> charge &mdash; see Stripe.</p>"),
    ("105", "quick_reply", 200, BOT, "<p>Was this helpful?</p>"),
    ("104", "comment", 200, CUSTOMER, "<p>Thanks,<br>it was invoice #4521.</p>"),
    ("106", "snoozed", 300, AGENT, None),
    ("108", "comment", 500, CUSTOMER, "<p>Any news?</p>"),
    ("107", "unsnoozed", 450, BOT, None),
    ("109", "open", 510, AGENT, None),
    ("110", "note", 600, AGENT, "<p>Refund steps:</p><ul><li>check invoice</li><li>refund &amp; notify</li></ul>"),
    ("111", "assignment", 650, AGENT, "<p>Over to you</p>"),
    (112, "comment", 700, AGENT, '<p>See our <a href="https://example.com/refunds">refund policy</a>.</p>'),
    ("113", "conversation_attribute_updated_by_admin", 710, AGENT, None),
    ("114", "comment", 800, CUSTOMER, "<p>Got it &lt;3</p>"),
    ("115", "close", 900, AGENT, "<p>Closing: refund issued.</p><p></p>"),
    ("116", "comment", 950, CUSTOMER, "<div>One more thing</div><div>the receipt?</div>"),
    ("118", "note", 960, AGENT, "<p>Customer asks for receipt</p>"),
    ("119", "close", 1000, AGENT, None),
    ("120", "custom_action_started", None, BOT, None),
    ("100", "comment", 30, BOT, "<p>Hi Dana, a teammate will reply soon.</p>"),
]
EXPECTED_ORDER = ["src-1", "101", "100", "102", "103", "105", "104", "106", "107", "108", "109", "110", "111",
                  "112", "113", "114", "115", "116", "118", "119", "120"]  # fmt: skip


def conversation_payload() -> dict[str, Any]:
    parts = []
    for part_id, part_type, offset, author, body in PARTS:
        part: dict[str, Any] = {
            "type": "conversation_part",
            "id": part_id,
            "part_type": part_type,
            "body": body,
            "created_at": None if offset is None else T0 + offset,
            "updated_at": None if offset is None else T0 + offset,
            "author": author,
            "attachments": [],
            "redacted": False,
        }
        if part_id == "101":
            part["assigned_to"] = {"type": "team", "id": "5"}
        if part_id == "111":
            part["assigned_to"] = {"type": "admin", "id": "8"}
        if part_id == 112:
            part["attachments"] = [{"type": "upload", "name": "refund.pdf", "url": "https://files/refund.pdf"}]
        parts.append(part)
    return {
        "type": "conversation",
        "id": "4242",
        "title": None,
        "created_at": T0,
        "updated_at": T0 + 1000,
        "state": "closed",
        "open": False,
        "source": {
            "type": "conversation",
            "id": "src-1",
            "delivered_as": "customer_initiated",
            "subject": "",
            "body": "<p>I was charged twice for my <b>March</b> invoice &amp; need a refund.</p>",
            "author": CUSTOMER,
            "attachments": [],
        },
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c1"}]},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts, "total_count": 20},
        "statistics": None,
        "ai_agent": None,
    }


def iso(offset: int) -> str:
    return datetime.fromtimestamp(T0 + offset, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_timeline(timeline: list[dict[str, Any]], compacted: bool = False) -> None:
    """The assertions shared by the tool and the library function; the tool's result is
    ``compacted`` (null and empty members dropped), so a missing member reads as None."""
    if compacted:
        assert not any(v is None or v == [] for e in timeline for v in e.values())
        timeline = [{"assigned_to": None, "attachments": [], "body": None, "time": None, "created_at": None, **e,
                     "author": {"email": None, **e.get("author", {})}} for e in timeline]  # fmt: skip
    assert len(PARTS) == 20
    assert [e["id"] for e in timeline] == EXPECTED_ORDER
    assert [e["position"] for e in timeline] == list(range(21))
    by_id = {e["id"]: e for e in timeline}
    types = {str(p[0]): p[1] for p in PARTS}
    assert all(by_id[i]["part_type"] == t for i, t in types.items())
    first = timeline[0]
    assert first == {
        "position": 0, "part_type": "source", "id": "src-1", "created_at": T0, "time": "2023-11-14T22:13:20Z",
        "author": CUSTOMER, "body": "I was charged twice for my March invoice & need a refund.",
        "assigned_to": None, "attachments": [],
    }  # fmt: skip
    for part_id, _, offset, author, _ in PARTS:
        entry = by_id[str(part_id)]
        assert entry["author"] == {"email": None, **author}
        assert entry["created_at"] == (None if offset is None else T0 + offset)
        assert entry["time"] == (None if offset is None else iso(offset))
    assert by_id["102"]["body"] == "Looks like a duplicate charge \u2014 see Stripe."
    assert by_id["104"]["body"] == "Thanks,\nit was invoice #4521."
    assert by_id["110"]["body"] == "Refund steps:\n- check invoice\n- refund & notify"
    assert by_id["112"]["body"] == "See our refund policy (https://example.com/refunds)."
    assert by_id["112"]["attachments"] == ["refund.pdf"]
    assert by_id["114"]["body"] == "Got it <3"
    assert by_id["115"]["body"] == "Closing: refund issued."
    assert by_id["116"]["body"] == "One more thing\nthe receipt?"
    assert by_id["106"]["body"] is None and by_id["113"]["body"] is None
    assert by_id["101"]["assigned_to"] == {"type": "team", "id": "5"}
    assert by_id["111"]["assigned_to"] == {"type": "admin", "id": "8"}
    assert by_id["120"]["time"] is None and timeline[-1]["id"] == "120"


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_conversation_tool_returns_the_raw_conversation_and_a_timeline(mode: str) -> None:
    payload = conversation_payload()
    upstream = Upstream(lambda r: httpx.Response(200, json=payload))
    async with connect(upstream, mode) as c:
        result = await c.call_tool("get_single_intercom_conversation_by_id", {"conversation_id": 4242})
    assert result.is_error is False, text_of(result)
    assert upstream.requests[0].url.path == "/conversations/4242"
    data = result.structured_content
    assert list(data)[0] == "timeline"  # read first in the JSON text too
    assert json.loads(text_of(result)) == data
    check_timeline(data["timeline"], compacted=True)
    raw = {k: v for k, v in data.items() if k != "timeline"}
    # the conversation itself, compacted; its raw parts only on request (the timeline has them in order)
    assert raw == {k: v for k, v in compact(payload).items() if k != "conversation_parts"}
    async with connect(upstream, mode) as c:
        everything = await c.call_tool(
            "get_single_intercom_conversation_by_id", {"conversation_id": 4242, "fields": "*"}
        )
    assert everything.structured_content["conversation_parts"] == compact(payload)["conversation_parts"]
    spec = TOOL_SPECS["get_single_intercom_conversation_by_id"]
    assert spec.transform == "conversation_timeline"
    assert spec.output_schema is not None and "timeline" in spec.output_schema["properties"]
    assert not list(Draft202012Validator(spec.output_schema).iter_errors(data))


@pytest.mark.anyio
async def test_conversation_tool_with_plaintext_bodies_keeps_them_as_text() -> None:
    payload = conversation_payload()
    payload["source"]["body"] = "Is 3 < 4 and <b> literal?\nSecond line"
    upstream = Upstream(lambda r: httpx.Response(200, json=payload))
    async with connect(upstream) as c:
        result = await c.call_tool(
            "get_single_intercom_conversation_by_id", {"conversation_id": 4242, "display_as": "plaintext"}
        )
    assert result.is_error is False, text_of(result)
    assert upstream.requests[0].url.params["display_as"] == "plaintext"
    assert result.structured_content["timeline"][0]["body"] == "Is 3 < 4 and <b> literal?\nSecond line"


def test_conversation_timeline_function_takes_a_dict_or_the_model() -> None:
    payload = conversation_payload()
    from_dict = conversation_timeline(payload)
    assert all(isinstance(e, TimelineEntry) for e in from_dict)
    check_timeline([e.to_dict() for e in from_dict])
    model = models.Conversation.model_validate(payload)
    assert conversation_timeline(model) == from_dict
    assert payload == conversation_payload()  # the input is not changed
    assert from_dict[2].author.name == "Fin" and from_dict[2].time == iso(30)


def test_typed_client_keeps_the_raw_model() -> None:
    upstream = Upstream(lambda r: httpx.Response(200, json=conversation_payload()))
    with sync_client(upstream) as client:
        conversation = client.conversations.get(conversation_id=4242)
    assert isinstance(conversation, models.Conversation)
    assert "timeline" not in conversation.model_dump()
    parts = conversation.conversation_parts
    assert parts is not None and [str(p.id) for p in parts.conversation_parts or []] == [str(p[0]) for p in PARTS]
    assert [e.id for e in conversation_timeline(conversation)] == EXPECTED_ORDER


@pytest.mark.parametrize(
    ("conversation", "ids"),
    [
        ({}, []),
        ({"source": None, "conversation_parts": None}, []),
        ({"created_at": "1700000000", "source": {"id": "s", "body": None}}, ["s"]),
        ({"conversation_parts": [{"id": 1, "part_type": "note", "created_at": 5}, {"id": 2, "created_at": 1}]},
         ["2", "1"]),
        ({"conversation_parts": {"conversation_parts": ["junk", {"id": "x", "created_at": True}]}}, ["x"]),
    ],
)  # fmt: skip
def test_conversation_timeline_tolerates_odd_payloads(conversation: dict[str, Any], ids: list[str]) -> None:
    entries = conversation_timeline(conversation)
    assert [e.id for e in entries] == ids
    for entry in entries:
        assert isinstance(entry.to_dict()["author"], dict)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hi <b>there</b>,</p><p>Thanks &amp; bye&nbsp;&lt;3</p>", "Hi there,\nThanks & bye <3"),
        ("<p>one<br>two</p><p></p><p>three</p>", "one\ntwo\nthree"),
        ("<p>a<br><br>b</p>", "a\n\nb"),
        ('<a href="https://x.io/a">docs</a> and <a href="https://y.io">https://y.io</a>', "docs (https://x.io/a) and https://y.io"),
        ('<a href="mailto:a@b.io">a@b.io</a>', "a@b.io"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ("<pre>code\n  indented</pre>", "code\n  indented"),
        ('<img src="https://img/x.png" alt="screenshot">', "[image: screenshot]"),
        ("<style>p {color: red}</style><p>shown</p>", "shown"),
        ("  spaced \n  out  ", "spaced out"),
        ("a &lt; b &#8212; c", "a < b \u2014 c"),
    ],
)  # fmt: skip
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.anyio
async def test_every_mock_conversation_has_an_ordered_timeline() -> None:
    async with mock_session([float(T0)]) as c:
        listed = await c.call_tool("list_all_intercom_conversations", {"per_page": 150})
        ids = [item["id"] for item in listed.structured_content["conversations"]]
        results = [
            await c.call_tool("get_single_intercom_conversation_by_id", {"conversation_id": i, "fields": "*"})
            for i in ids
        ]
    assert ids
    for result in results:
        assert result.is_error is False, text_of(result)
        timeline = result.structured_content["timeline"]
        parts = (result.structured_content.get("conversation_parts") or {}).get("conversation_parts") or []
        assert len(timeline) == 1 + len(parts) and timeline[0]["part_type"] == "source"
        times = [e["created_at"] for e in timeline[1:]]
        assert times == sorted(times)
        assert not any(re.search(r"</?[a-zA-Z][^>]*>", e.get("body", "")) for e in timeline)  # no HTML left
