"""Unit tests of the generator's naming helpers (``generator.naming``).

Identifiers (``snake``, ``pascal``, ``py_identifier``), the product's tool-name rule for
curated operations and the fallback for uncurated ones, and clipping a name to 64
characters (bounded, stable and distinct), also end to end through ``build_api``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.naming import (
    MAX_TOOL_NAME,
    TOOL_NAME_RE,
    clip,
    curated_tool_name,
    fallback_tool_name,
    pascal,
    py_identifier,
    snake,
)
from tests.generator_helpers import build

# -- naming ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GetTicketList", "get_ticket_list"),
        ("get-ticket list", "get_ticket_list"),
        ("getTicket_1", "get_ticket_1"),
        ("HTTPResponse", "http_response"),
        ("X-Request-Id", "x_request_id"),
        ("page[size]", "page_size"),
        ("café", "cafe"),
        ("__already__snake__", "already_snake"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ticket_replies", "TicketReplies"),
        ("list-tickets", "ListTickets"),
        ("kb_categories", "KbCategories"),
        ("GetTicketList", "GetTicketList"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),  # a soft keyword
        ("self", "self_"),
        ("X-Request-Id", "x_request_id"),
        ("page[size]", "page_size"),
        ("1st", "_1st"),
        ("365days", "_365days"),
        ("é", "e"),
        ("", "value"),
        ("???", "value"),
    ],
)
def test_py_identifier(text: str, expected: str) -> None:
    name = py_identifier(text)
    assert name == expected
    assert name.isidentifier()


def test_py_identifier_fallback() -> None:
    assert py_identifier("日本", fallback="arg") == "arg"


@pytest.mark.parametrize(
    ("kind", "method", "expected"),
    [
        ("list", None, "list_all_desk_365_tickets"),
        ("get", None, "get_single_desk_365_ticket_by_id"),
        ("create", None, "create_a_desk_365_ticket"),
        ("update", None, "update_a_desk_365_ticket_by_id"),
        ("delete", None, "delete_a_desk_365_ticket_by_id"),
        ("custom", "create_with_attachment", "desk_365_tickets_create_with_attachment"),
    ],
)
def test_curated_tool_name(kind: str, method: str | None, expected: str) -> None:
    assert curated_tool_name("desk_365", kind, "tickets", "ticket", method) == expected


def test_curated_tool_name_says_a_not_an() -> None:
    # TOOL-INVENTORY.md: `create_a_intercom_ticket`, not `create_an_...`.
    name = curated_tool_name("intercom", "create", "tickets", "ticket", None)
    assert name == "create_a_intercom_ticket"


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("GetTicketList", "get", "/v3/tickets", "get_ticket_list"),
        ("listTickets", "get", "/v3/tickets", "list_tickets"),
        (None, "get", "/v3/tickets/{id}", "get_v3_tickets_id"),
        ("", "POST", "/v3/kb/article/", "post_v3_kb_article"),
        ("---", "delete", "/x", "delete_x"),
        (None, "get", "/", "get"),
    ],
)
def test_fallback_tool_name(operation_id: str | None, method: str, path: str, expected: str) -> None:
    assert fallback_tool_name(operation_id, method, path) == expected


def test_clip_leaves_short_names() -> None:
    name = "a" * MAX_TOOL_NAME
    assert clip(name) == name


def test_clip_is_bounded_stable_and_distinct() -> None:
    prefix = "list_all_some_very_long_application_name_" + "resources_" * 4
    a, b = prefix + "alpha", prefix + "beta"
    assert a[:MAX_TOOL_NAME] == b[:MAX_TOOL_NAME]  # a naive cut would merge them
    ca, cb = clip(a), clip(b)
    assert len(ca) <= MAX_TOOL_NAME and len(cb) <= MAX_TOOL_NAME
    assert ca != cb
    assert clip(a) == ca  # stable
    assert re.fullmatch(r".+_[0-9a-f]{8}", ca)
    assert TOOL_NAME_RE.match(ca) and TOOL_NAME_RE.match(cb)


def test_clip_respects_a_smaller_limit() -> None:
    assert len(clip("x" * 100, limit=20)) <= 20


def test_long_uncurated_operation_id_is_clipped(tmp_path: Path) -> None:
    long_id = "Get" + "VeryLong" * 12
    api = build(
        tmp_path,
        f"""
        openapi: 3.1.0
        info: {{title: T, version: '1'}}
        paths:
          /a:
            get:
              operationId: {long_id}
              responses:
                '200': {{description: ok}}
        """,
    )
    name = api.operations[0].tool.name
    assert TOOL_NAME_RE.match(name)
    assert name == clip(snake(long_id))
