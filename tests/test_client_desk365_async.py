"""The generated async Desk365 client: the same requests as the sync one (every row of the
table ``CALLS``), errors, retries and uploads. Against ``httpx.MockTransport`` (helpers:
``tests/client_desk365_helpers.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from generated.desk365 import (
    ApiError,
    RateLimitError,
    ResponseError,
    ResponseTooLargeError,
    TimeoutError_,
    TransportError,
    models,
)
from tests.client_desk365_calls import CALLS
from tests.client_desk365_helpers import (
    ALL_OPERATIONS,
    API_KEY,
    LOG,
    NOT_FOUND,
    NOTE_OBJECT,
    PNG,
    REPLY_OBJECT,
    TICKET_BODY,
    Part,
    Recorder,
    _success,
    jq,
    make_async_client,
    make_client,
    parse_multipart,
    query_pairs,
    resolve,
)

pytestmark = pytest.mark.usefixtures("clean_desk365_env")


# ---------------------------------------------------------------------------- async


@pytest.mark.anyio
async def test_async_list_get_create_and_upload() -> None:
    responses = [
        httpx.Response(200, json={"count": 1, "tickets": [{"ticket_number": 8992}]}),
        httpx.Response(200, json=TICKET_BODY),
        httpx.Response(200, json={"ticket_number": 9000}),
        httpx.Response(201, json={"echo": "note"}),
        httpx.Response(200, text="All good! Desk365 APIs are running fine"),
    ]
    recorder = Recorder(*responses)
    async with make_async_client(recorder) as client:
        page = await client.tickets.list(ticket_count="30", offset="0", filters={"status": ["open"]})
        ticket = await client.tickets.get(ticket_number=8992)
        created = await client.tickets.create(email="a+b=c@x.io", subject="Zoë & Søn #1")
        note = await client.ticket_notes.create_with_attachment(
            ticket_number=8992, note_object=NOTE_OBJECT, files=[("crash.log", LOG, "text/plain"), PNG]
        )
        pong = await client.ping.list()

    assert page.tickets is not None and page.tickets[0].ticket_number == 8992
    assert isinstance(ticket, models.Ticket)
    assert (ticket.ticket_number, ticket.assigned_to, ticket.subcategory) == (8992, "agent@acme.io", "Printer")
    assert ticket.model_extra == {"cf_Employee ID": "E-42", "brand_new_field": {"nested": [1, 2]}}
    assert isinstance(created, models.Ticket) and created.ticket_number == 9000
    assert isinstance(note, models.TicketNote) and note.model_extra == {"echo": "note"}
    assert pong == "All good! Desk365 APIs are running fine"

    listing, getting, creating, uploading, pinging = recorder.requests
    for request in recorder.requests:
        assert request.headers["authorization"] == API_KEY
        assert request.url.host == "acme.desk365.io"
    assert (listing.method, listing.url.path) == ("GET", "/apis/v3/tickets")
    assert query_pairs(listing) == [("ticket_count", "30"), ("offset", "0"), ("filters", '{"status":["open"]}')]
    assert (getting.method, getting.url.path, query_pairs(getting)) == (
        "GET",
        "/apis/v3/tickets/details",
        [("ticket_number", "8992")],
    )
    assert (creating.method, creating.url.path, query_pairs(creating)) == ("POST", "/apis/v3/tickets/create", [])
    assert json.loads(creating.content) == {"email": "a+b=c@x.io", "subject": "Zoë & Søn #1"}
    assert (uploading.method, uploading.url.path) == ("POST", "/apis/v3/tickets/add_note_with_attachment")
    assert query_pairs(uploading) == [("ticket_number", "8992"), ("note_object", jq(NOTE_OBJECT))]
    assert parse_multipart(uploading) == [
        Part("files", "crash.log", "text/plain", LOG),
        Part("files", "file", "application/octet-stream", PNG),
    ]
    assert (pinging.method, pinging.url.path) == ("GET", "/apis/v3/ping")


@pytest.mark.anyio
async def test_async_sends_the_same_requests_as_sync() -> None:
    for row in CALLS:
        op_name, method, kwargs = row[0], row[1], row[2]
        op = ALL_OPERATIONS[op_name]
        sync_recorder, async_recorder = Recorder(_success(op)), Recorder(_success(op))
        sync_result = resolve(make_client(sync_recorder), method)(**kwargs)
        async_result = await resolve(make_async_client(async_recorder), method)(**kwargs)
        assert async_result == sync_result
        sync_request, async_request = sync_recorder.request, async_recorder.request
        assert (async_request.method, async_request.url.path, query_pairs(async_request)) == (
            sync_request.method,
            sync_request.url.path,
            query_pairs(sync_request),
        )
        assert async_request.headers["authorization"] == API_KEY
        if "multipart" in sync_request.headers.get("content-type", ""):
            assert parse_multipart(async_request) == parse_multipart(sync_request)
        else:
            assert async_request.content == sync_request.content


@pytest.mark.anyio
async def test_async_errors() -> None:
    with pytest.raises(ApiError) as info:
        await make_async_client(Recorder(httpx.Response(404, json=NOT_FOUND))).tickets.get(ticket_number=1)
    assert (info.value.status, info.value.body) == (404, NOT_FOUND)

    with pytest.raises(RateLimitError) as limited:
        await make_async_client(Recorder(httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0"}))).tickets.list()
    assert limited.value.ratelimit.remaining == 0

    with pytest.raises(TransportError):
        await make_async_client(Recorder(httpx.ConnectError("refused"))).ping.list()
    with pytest.raises(TimeoutError_):
        await make_async_client(Recorder(httpx.ReadTimeout("slow"))).ping.list()
    with pytest.raises(ResponseError):
        await make_async_client(Recorder(httpx.Response(200, text="nope"))).tickets.list()
    with pytest.raises(ResponseTooLargeError):
        await make_async_client(
            Recorder(httpx.Response(200, content=b"{}" * 100)), max_response_bytes=10
        ).tickets.list()


@pytest.mark.anyio
async def test_async_retry_then_success() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json={"ticket_number": 3})
    )
    ticket = await make_async_client(recorder, max_retries=2).tickets.get(ticket_number=3)
    assert ticket.ticket_number == 3
    assert len(recorder.requests) == 2


@pytest.mark.anyio
async def test_async_retry_resends_the_same_attachment(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json={}))
    with path.open("rb") as fh:
        await make_async_client(recorder, max_retries=1).ticket_replies.create_with_attachment(
            ticket_number=8992, reply_object=REPLY_OBJECT, file=fh
        )
    assert len(recorder.requests) == 2
    for request in recorder.requests:
        assert parse_multipart(request) == [Part("file", "notes.txt", "text/plain", LOG)]
