"""The generated Desk365 client: errors, retries, and the key kept secret.

Vendor errors as ``ApiError`` with the body, rate limits (``RateLimitError``, the parsed
headers of both APIs), answers that are not JSON or too large, transport errors and
timeouts; retries on 429 and 503 (waits recorded, never slept) that resend the same
attachment; and no error, repr or str that shows the API key. Against
``httpx.MockTransport`` (helpers: ``tests/client_desk365_helpers.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generated.desk365 import (
    API,
    ApiError,
    ClientError,
    Desk365Client,
    RateLimitError,
    ResponseError,
    ResponseTooLargeError,
    TimeoutError_,
    TransportError,
)
from generated.desk365._runtime import http as runtime_http
from generated.desk365._runtime.ratelimit import parse_ratelimit
from generated.desk365._runtime.spec import RateLimitSpec
from tests.client_desk365_helpers import (
    API_KEY,
    BASE,
    LOG,
    NOT_FOUND,
    NOTE_OBJECT,
    Part,
    Recorder,
    make_async_client,
    make_client,
    parse_multipart,
)

pytestmark = pytest.mark.usefixtures("clean_desk365_env")


# ---------------------------------------------------------------------------- errors


def test_404_raises_api_error_with_the_vendor_body() -> None:
    recorder = Recorder(httpx.Response(404, json=NOT_FOUND))
    with pytest.raises(ApiError) as info:
        make_client(recorder).tickets.get(ticket_number=404404)
    error = info.value
    assert type(error) is ApiError
    assert error.status == 404
    assert error.body == NOT_FOUND
    assert "The resource you were trying to reach is not found" in error.message
    assert str(error).startswith("Desk365 answered HTTP 404: The resource you were trying to reach is not found")
    assert error.ratelimit.remaining is None


def test_error_with_a_text_body() -> None:
    recorder = Recorder(httpx.Response(500, text="Internal Server Error\n"))
    with pytest.raises(ApiError) as info:
        make_client(recorder).ping.list()
    assert info.value.status == 500
    assert info.value.body == "Internal Server Error\n"
    assert info.value.message == "Internal Server Error"


def test_error_without_a_body_uses_the_reason_phrase() -> None:
    with pytest.raises(ApiError) as info:
        make_client(Recorder(httpx.Response(403))).contracts.list()
    assert info.value.status == 403
    assert info.value.body is None
    assert info.value.message == "Forbidden"


def test_429_raises_rate_limit_error_with_the_remaining_count() -> None:
    recorder = Recorder(
        httpx.Response(429, json={"status": 429, "error": "Too Many Requests"}, headers={"X-Rate-Limit-Remaining": "0"})
    )
    with pytest.raises(RateLimitError) as info:
        make_client(recorder).tickets.list()
    error = info.value
    assert isinstance(error, ApiError)
    assert error.status == 429
    assert error.ratelimit.remaining == 0
    assert error.ratelimit.limit is None
    assert error.ratelimit.reset is None
    assert error.message == "Too Many Requests"
    assert len(recorder.requests) == 1


def test_429_with_retry_after_gives_the_reset() -> None:
    recorder = Recorder(httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0", "Retry-After": "17"}))
    with pytest.raises(RateLimitError) as info:
        make_client(recorder).tickets.list()
    assert info.value.ratelimit.remaining == 0
    assert info.value.ratelimit.reset == 17


def test_parse_ratelimit_desk365_headers() -> None:
    limit = parse_ratelimit({"X-Rate-Limit-Remaining": "48"}, API.ratelimit, now=1_700_000_000.0)
    assert (limit.limit, limit.remaining, limit.reset) == (None, 48, None)
    assert limit.as_fields() == {"ratelimit-remaining": 48}


def test_parse_ratelimit_intercom_unix_reset_is_seconds_from_now() -> None:
    now = 1_763_640_000.0
    spec = RateLimitSpec("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "unix")
    headers = {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "9998", "X-RateLimit-Reset": str(int(now) + 42)}
    limit = parse_ratelimit(headers, spec, now=now)
    assert (limit.limit, limit.remaining, limit.reset) == (10000, 9998, 42)
    assert limit.as_fields() == {"ratelimit-limit": 10000, "ratelimit-remaining": 9998, "ratelimit-reset": 42}
    # a reset already in the past is "now", never negative
    past = parse_ratelimit({**headers, "X-RateLimit-Reset": str(int(now) - 5)}, spec, now=now)
    assert past.reset == 0


def test_parse_ratelimit_recognises_a_unix_reset_without_being_told() -> None:
    now = 1_763_640_000.0
    limit = parse_ratelimit({"x-ratelimit-reset": str(int(now) + 60)}, API.ratelimit, now=now)
    assert limit.reset == 60
    seconds = parse_ratelimit({"x-ratelimit-reset": "60"}, API.ratelimit, now=now)
    assert seconds.reset == 60


def test_non_json_success_raises_response_error() -> None:
    recorder = Recorder(httpx.Response(200, text="<html>maintenance</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(ResponseError) as info:
        make_client(recorder).tickets.get(ticket_number=1)
    assert not isinstance(info.value, ApiError)
    assert info.value.status == 200
    assert "not valid JSON" in str(info.value)


def test_response_larger_than_the_limit_declared_by_content_length() -> None:
    recorder = Recorder(httpx.Response(200, json={"tickets": [{"subject": "x" * 500}]}))
    with pytest.raises(ResponseTooLargeError) as info:
        make_client(recorder, max_response_bytes=100).tickets.list()
    assert isinstance(info.value, ResponseError)
    assert "100-byte limit" in str(info.value)


def test_response_larger_than_the_limit_without_content_length() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"tickets": ['
        for _ in range(50):
            yield b'{"subject": "xxxxxxxxxxxxxxxx"},'
        yield b"{}]}"

    recorder = Recorder(httpx.Response(200, content=chunks()))
    with pytest.raises(ResponseTooLargeError):
        make_client(recorder, max_response_bytes=256).tickets.list()


def test_response_at_the_limit_is_accepted() -> None:
    body = json.dumps({"subject": "y" * 80}).encode()
    recorder = Recorder(httpx.Response(200, content=body))
    ticket = make_client(recorder, max_response_bytes=len(body)).tickets.get(ticket_number=1)
    assert ticket.subject == "y" * 80


def test_connect_error_raises_transport_error() -> None:
    recorder = Recorder(httpx.ConnectError("Connection refused"))
    with pytest.raises(TransportError) as info:
        make_client(recorder).ping.list()
    assert not isinstance(info.value, TimeoutError_)
    assert str(info.value) == "Desk365 at acme.desk365.io:443: could not connect (Connection refused)"


def test_read_timeout_raises_timeout_error() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(TimeoutError_) as info:
        make_client(recorder, timeout=5).ping.list()
    assert isinstance(info.value, TransportError)
    assert "5 s" in str(info.value)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the retry waits instead of sleeping them."""
    waits: list[float] = []
    monkeypatch.setattr(runtime_http.time, "sleep", waits.append)
    return waits


def test_retry_waits_out_a_429_then_succeeds(sleeps: list[float]) -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "0", "X-Rate-Limit-Remaining": "0"}),
        httpx.Response(200, json={"ticket_number": 8992}),
    )
    ticket = make_client(recorder, max_retries=2).tickets.get(ticket_number=8992)
    assert ticket.ticket_number == 8992
    assert len(recorder.requests) == 2
    assert [str(r.url) for r in recorder.requests] == [f"{BASE}/apis/v3/tickets/details?ticket_number=8992"] * 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.1


def test_retry_also_covers_503(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200, text="ok"))
    assert make_client(recorder, max_retries=1).ping.list() == "ok"
    assert len(recorder.requests) == 2


def test_retry_gives_up_after_max_retries(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}))
    with pytest.raises(RateLimitError):
        make_client(recorder, max_retries=2).tickets.list()
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


def test_no_retry_by_default_and_with_zero(sleeps: list[float]) -> None:
    for options in ({}, {"max_retries": 0}):
        recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json={}))
        with pytest.raises(RateLimitError):
            make_client(recorder, **options).tickets.list()
        assert len(recorder.requests) == 1
    assert sleeps == []


def test_other_errors_are_not_retried(sleeps: list[float]) -> None:
    recorder = Recorder(httpx.Response(404, json=NOT_FOUND), httpx.Response(200, json={}))
    with pytest.raises(ApiError):
        make_client(recorder, max_retries=3).tickets.get(ticket_number=1)
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_retry_resends_the_same_attachment(tmp_path: Path, sleeps: list[float]) -> None:
    path = tmp_path / "crash.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json={}))
    with path.open("rb") as fh:
        make_client(recorder, max_retries=1).ticket_notes.create_with_attachment(
            ticket_number=8992, note_object=NOTE_OBJECT, file=fh
        )
    assert len(recorder.requests) == 2
    for request in recorder.requests:
        assert parse_multipart(request) == [Part("file", "crash.txt", "text/plain", LOG)]


# ---------------------------------------------------------------------------- the key stays secret


def test_the_api_key_never_leaks() -> None:
    client = make_client(Recorder())
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert API_KEY not in repr(make_async_client(Recorder()))

    failures: list[tuple[httpx.Response | Exception, Callable[[Desk365Client], Any]]] = [
        (httpx.Response(404, json=NOT_FOUND), lambda c: c.tickets.get(ticket_number=1)),
        (httpx.Response(401, json={"status": 401, "error": "Unauthorized"}), lambda c: c.ping.list()),
        (httpx.Response(429, headers={"X-Rate-Limit-Remaining": "0"}), lambda c: c.tickets.list()),
        (httpx.Response(200, text="not json"), lambda c: c.tickets.list()),
        (httpx.Response(200, json=["not", "an", "object"]), lambda c: c.tickets.list()),
        (httpx.Response(200, content=b"x" * 200), lambda c: c.tickets.list()),
        (httpx.ConnectError("refused"), lambda c: c.ping.list()),
        (httpx.ReadTimeout("slow"), lambda c: c.ping.list()),
    ]
    seen = set()
    for answer, call in failures:
        with pytest.raises(ClientError) as info:
            call(make_client(Recorder(answer), max_response_bytes=100))
        error = info.value
        seen.add(type(error))
        for text in (str(error), repr(error), *map(str, error.args)):
            assert API_KEY not in text
        assert API_KEY not in repr(vars(error))
    assert seen == {ApiError, RateLimitError, ResponseError, ResponseTooLargeError, TransportError, TimeoutError_}
