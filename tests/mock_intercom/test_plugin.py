"""The Intercom mock as a whole: a handler for every operation, deterministic fixtures that
conform to the document, and the vendor-wide quirks (rate-limit headers and 429, the
``Intercom-Version`` header, the ``error.list`` shape).
Over HTTP in process (``create_app("intercom")`` through httpx and ``app.transport()``, an
injected clock, strict responses); the fixtures are in this folder's ``conftest.py``, the
helpers in ``helpers.py``.
"""

from __future__ import annotations

import httpx
import pytest

from helpdesk_mock import MockSettings
from helpdesk_mock.app import MockApp
from helpdesk_mock.intercom import PLUGIN
from tests.mock_intercom.helpers import (
    BEN,
    DOCUMENT,
    HEADERS,
    LONG,
    MAYA,
    NORTHWIND,
    NOW,
    Clock,
    assert_error,
    schema_validator,
)
from tests.mocks import create_app

pytestmark = pytest.mark.anyio


# -- the plugin as a whole -------------------------------------------------------------------------


def test_every_operation_has_a_handler() -> None:
    operations = {
        op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values() if "operationId" in op
    }
    assert len(operations) == 92
    assert set(PLUGIN.handlers) == operations


def test_fixtures_are_deterministic(clock: Clock) -> None:
    first, second = create_app("intercom", clock=clock), create_app("intercom", clock=Clock(0))
    render = [first.state.render_conversation(c, parts=True) for c in first.state.conversations.values()]
    assert render == [second.state.render_conversation(c, parts=True) for c in second.state.conversations.values()]
    assert first.state.contacts == second.state.contacts and first.state.tickets == second.state.tickets


READS = [
    ("/conversations", "ConversationList"), (f"/conversations/{LONG}", "Conversation"),
    ("/ticket_types", "TicketTypeList"), ("/ticket_types/2002", "TicketType"), ("/tickets/3847201", "Ticket"),
    ("/visitors?user_id=3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83", "Visitor"), ("/contacts", "ContactList"),
    (f"/contacts/{MAYA}", "Contact"), ("/companies", "CompanyList"), (f"/companies/{NORTHWIND}", "Company"),
    ("/companies/scroll", "CompanyScroll"), ("/admins", "AdminList"), (f"/admins/{BEN}", "Admin"),
    ("/me", "AdminWithApp"), ("/teams", "TeamList"), ("/articles", "ArticleList"), ("/articles/7700001", "Article"),
    ("/articles/search?phrase=refund&highlight=true", "ArticleSearchResponse"),
    ("/help_center/help_centers", "HelpCenterList"), ("/help_center/help_centers/3001", "HelpCenter"),
    ("/help_center/collections", "CollectionList"), ("/help_center/collections/9003", "Collection"),
    ("/tags", "TagList"), ("/tags/8100002", "Tag"), ("/news/news_items", "NewsItemList"),
    ("/news/news_items/3300001", "NewsItem"), ("/news/newsfeeds", "NewsfeedList"), ("/news/newsfeeds/5501", "Newsfeed"),
    ("/news/newsfeeds/5501/items", "NewsItemList"),
]  # fmt: skip


async def test_fixture_reads_conform_to_the_document(http: httpx.AsyncClient, app: MockApp) -> None:
    assert app.settings.strict_responses
    for path, schema in READS:
        response = await http.get(path)
        assert response.status_code == 200, (path, response.text)
        schema_validator(schema).validate(response.json())
    assert [r.status for r in app.requests] == [200] * len(READS)


# -- vendor-wide quirks ----------------------------------------------------------------------------


async def test_rate_limit_headers_and_429(clock: Clock) -> None:
    app = create_app("intercom", settings=MockSettings(ratelimit=2, ratelimit_window=10), clock=clock)
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock", headers=HEADERS) as http:
        first = await http.get("/admins")
        assert first.headers["X-RateLimit-Limit"] == "2" and first.headers["X-RateLimit-Remaining"] == "1"
        reset = int(first.headers["X-RateLimit-Reset"])
        assert reset == NOW + 10  # a Unix time, not a delay
        await http.get("/teams")
        limited = await http.get("/me")
        assert_error(limited, 429, "rate_limit_exceeded")
        assert (limited.headers["X-RateLimit-Remaining"], limited.headers["X-RateLimit-Reset"]) == ("0", str(reset))
        clock.now += 10
        assert (await http.get("/me")).status_code == 200
    assert [r.status for r in app.requests] == [200, 200, 429, 200]


async def test_intercom_version_is_read(app: MockApp) -> None:
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock",
                                 headers={"Authorization": "Bearer t"}) as http:  # fmt: skip
        assert (await http.get("/me")).status_code == 200
        assert app.state.intercom_version is None  # no header: the workspace's 2.16
        assert (await http.get("/me", headers={"Intercom-Version": "2.11"})).status_code == 200
        assert app.state.intercom_version == "2.11"
        # (GET /admins: the document declares no 400 for GET /me)
        assert_error(await http.get("/admins", headers={"Intercom-Version": "2.99"}), 400, "intercom_version_invalid")
        assert (await http.get("/contacts", headers={"Intercom-Version": "1.4"})).status_code == 200
    assert app.state.intercom_version == "1.4"
    assert app.state.versions_seen == [("identifyAdmin", None), ("identifyAdmin", "2.11"), ("listContacts", "1.4")]
    assert [r.status for r in app.requests] == [200, 200, 400, 200]  # 2.99 is refused before check() runs
    assert app.requests[2].headers["intercom-version"] == "2.99"


def test_check_refuses_an_unknown_version(app: MockApp) -> None:
    from helpdesk_mock import MockError, MockRequest

    request = MockRequest("GET", "/me", "/me", "identifyAdmin", {}, [], {}, {"intercom-version": "Unstable"})
    with pytest.raises(MockError) as refused:
        PLUGIN.check(request, app.state, app.settings)
    assert (refused.value.status, refused.value.code) == (400, "intercom_version_invalid")
    assert app.state.versions_seen == [("identifyAdmin", "Unstable")]


async def test_errors_have_the_error_list_shape(http: httpx.AsyncClient) -> None:
    assert_error(await http.get("/conversations/123"), 404, "not_found", "Resource Not Found")
    assert_error(await http.post("/tickets", json={"contacts": []}), 400, "parameter_invalid")
    async with httpx.AsyncClient(transport=http._transport, base_url="http://mock") as anonymous:
        assert_error(await anonymous.get("/me"), 401, "unauthorized")
