"""The typed clients' page iterators (``*_pages``, ``_runtime/paging.py``) against the mocks.

Every paged list method has a ``*_pages`` twin with the same arguments that follows
the answer's next position to the last page: Desk365's offset (out of the
``next_page`` URL), Intercom's cursor at the top level and inside a search body.
The tests read whole collections through it, sync and async, and check that each
request kept the caller's page size, that nothing repeats or is skipped, and that
an API that hands back the same cursor is not followed for ever.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from generated.desk365 import AsyncDesk365Client, Desk365Client
from generated.desk365 import operations as desk365_ops
from generated.desk365._runtime.paging import next_arguments, pages
from generated.desk365._runtime.spec import Paging
from generated.intercom import AsyncIntercomClient, IntercomClient, models
from tests.mocks import create_app

pytestmark = pytest.mark.anyio


def desk365(app: Any) -> Desk365Client:
    return Desk365Client(api_key="k", base_url="http://m", http_client=httpx.Client(transport=app.sync_transport()))


def intercom(app: Any) -> IntercomClient:
    http = httpx.Client(transport=app.sync_transport())
    return IntercomClient(access_token="t", base_url="http://m", http_client=http)


def test_desk365_pages_read_every_ticket_once_at_the_callers_page_size() -> None:
    app = create_app("desk365")
    everything = sorted(app.state.tickets)
    seen = [t.ticket_number for page in desk365(app).tickets.list_pages(ticket_count="30") for t in page.tickets or []]
    assert sorted(seen) == everything and len(seen) == len(set(seen)) == 75
    sent = [dict(r.query) for r in app.requests]
    assert [q.get("offset") for q in sent] == [None, "30", "60"]  # out of each page's next_page URL
    assert {q["ticket_count"] for q in sent} == {"30"}


def test_desk365_pages_start_where_the_arguments_say_and_can_stop_early() -> None:
    app = create_app("desk365")
    pager = desk365(app).contacts.list_pages(offset="30")
    first = next(pager)
    assert len(first.content or []) == 10 and next(pager, None) is None  # 40 contacts: 30.. is the last page
    app = create_app("desk365")
    for _ in desk365(app).tickets.list_pages(ticket_count="50"):
        break
    assert len(app.requests) == 1  # a generator: no page is fetched before it is asked for


async def test_desk365_async_pages() -> None:
    app = create_app("desk365")
    client = AsyncDesk365Client(
        api_key="k", base_url="http://m", http_client=httpx.AsyncClient(transport=app.transport())
    )
    seen = [t.ticket_number async for page in client.tickets.list_pages(ticket_count="50") for t in page.tickets or []]
    assert sorted(seen) == sorted(app.state.tickets)
    assert [dict(r.query).get("offset") for r in app.requests] == [None, "50"]


def test_intercom_cursor_pages_keep_the_page_size() -> None:
    app = create_app("intercom")
    ids = [c.id for page in intercom(app).conversations.list_pages(per_page=4) for c in page.conversations or []]
    assert sorted(ids) == sorted(str(i) for i in app.state.conversations) and len(ids) == len(set(ids))
    sent = [dict(r.query) for r in app.requests]
    assert len(sent) == -(-len(ids) // 4) and {q["per_page"] for q in sent} == {"4"}
    assert "starting_after" not in sent[0] and all(q["starting_after"] for q in sent[1:])


@pytest.mark.parametrize("pagination", [{"per_page": 3}, models.SearchPagination(per_page=3)])
def test_intercom_search_pages_move_the_cursor_inside_the_body(pagination: Any) -> None:
    app = create_app("intercom")
    query = {"field": "role", "operator": "=", "value": "user"}
    found = [c.id for page in intercom(app).contacts.search_pages(query=query, pagination=pagination)
             for c in page.data or []]  # fmt: skip
    users = [k for k, c in app.state.contacts.items() if c["role"] == "user" and not c["_merged_into"]]
    assert sorted(found) == sorted(str(k) for k in users) and len(users) > 3
    bodies = [json.loads(r.body) for r in app.requests]
    assert all(b["pagination"]["per_page"] == 3 and b["query"] == query for b in bodies)
    assert "starting_after" not in bodies[0]["pagination"] and all(
        b["pagination"]["starting_after"] for b in bodies[1:]
    )


async def test_intercom_async_pages() -> None:
    app = create_app("intercom")
    http = httpx.AsyncClient(transport=app.transport())
    client = AsyncIntercomClient(access_token="t", base_url="http://m", http_client=http)
    ids = [c.id async for page in client.contacts.list_pages(per_page=5) for c in page.data or []]
    assert sorted(ids) == sorted(k for k, c in app.state.contacts.items() if not c["_merged_into"])


def test_a_cursor_that_repeats_is_not_followed_for_ever() -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.params.get("starting_after"))
        body = {"type": "conversation.list", "conversations": [{"type": "conversation", "id": "1"}],
                "pages": {"type": "pages", "next": {"starting_after": "same"}}}  # fmt: skip
        return httpx.Response(200, json=body)

    client = IntercomClient(
        access_token="t", base_url="http://m", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert len(list(client.conversations.list_pages())) == 2
    assert calls == [None, "same"]


def test_only_paged_lists_have_page_iterators_and_the_runtime_refuses_the_rest() -> None:
    client = Desk365Client(api_key="k", base_url="http://m")
    assert hasattr(client.tickets, "list_pages") and not hasattr(client.tickets, "get_pages")
    with pytest.raises(TypeError, match="does not page"):
        next(pages(client, desk365_ops.GET_SINGLE_DESK_365_TICKET_BY_ID, {"ticket_number": 1}, None))


def test_next_arguments_rules() -> None:
    url = Paging("offset", "offset", "ticket_count", 30, "next_page", text=True, items="tickets")
    assert next_arguments(url, {"tickets": [1], "next_page": "http://x/v3/tickets?offset=60"}, {}) == {"offset": "60"}
    assert next_arguments(url, {"tickets": [1] * 30, "next_page": None}, {}) is None  # the URL is the authority
    counted = Paging("offset", "offset", "limit", 10, None, items="rows")
    assert next_arguments(counted, {"rows": [0] * 10}, {"offset": 20}) == {"offset": 30}
    assert next_arguments(counted, {"rows": [0] * 10}, {"limit": "25"}) is None  # a short page is the last
    cursor = Paging("cursor", "pagination.starting_after", "pagination.per_page", None, "pages.next.starting_after")
    page = {"pages": {"next": {"starting_after": "c2"}}}
    assert next_arguments(cursor, page, {"pagination": {"per_page": 2}}) == {
        "pagination": {"per_page": 2, "starting_after": "c2"}
    }
    assert next_arguments(cursor, {"pages": {"next": None}}, {}) is None
