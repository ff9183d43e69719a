"""The generated Desk365 client, every method once, against ``httpx.MockTransport``.

Black-box: each test builds a client on a mock transport, calls the public API and
asserts the exact request that reached the transport (method, URL path, decoded query
values, ``Authorization`` header, JSON body or multipart parts) and what the call
returned or raised. Nothing touches the network and nothing sleeps.

The table ``CALLS`` (``tests/client_desk365_calls.py``) calls every client method once;
``test_table_covers_every_operation`` fails when an operation is added to
``generated.desk365.operations`` without a row there. The rest of the client's behaviour:
``test_client_desk365_requests.py`` (base URL, credentials, query encoding, files,
responses), ``test_client_desk365_errors.py`` (errors, retries, the key kept secret) and
``test_client_desk365_async.py``; helpers in ``tests/client_desk365_helpers.py``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from tests.client_desk365_calls import CALLS
from tests.client_desk365_helpers import (
    ALL_OPERATIONS,
    API_KEY,
    Multipart,
    Recorder,
    _success,
    make_client,
    parse_multipart,
    query_pairs,
    resolve,
)

pytestmark = pytest.mark.usefixtures("clean_desk365_env")


def test_table_covers_every_operation() -> None:
    names = [row[0] for row in CALLS]
    assert len(names) == len(set(names)), "an operation is listed twice"
    assert set(names) == set(ALL_OPERATIONS)
    methods = [row[1] for row in CALLS]
    assert len(methods) == len(set(methods)), "a client method is listed twice"


def test_table_covers_every_client_method() -> None:
    client = make_client(Recorder())
    public = set()
    for resource in (
        "ping tickets ticket_conversations ticket_replies ticket_notes contacts companies time_entries "
        "surveys survey_ratings contracts kb_categories kb_folders kb_articles"
    ).split():
        group = getattr(client, resource)
        public |= {f"{resource}.{m}" for m in dir(group) if not m.startswith("_") and callable(getattr(group, m))}
    pagers = {m for m in public if m.endswith("_pages")}  # the page iterators: tests/test_client_paging.py
    assert {m.removesuffix("_pages") for m in pagers} <= {row[1] for row in CALLS}
    assert public - pagers == {row[1] for row in CALLS}


@pytest.mark.parametrize(
    ("op_name", "method", "kwargs", "http_method", "path", "query", "body", "result_type"),
    CALLS,
    ids=[row[1] for row in CALLS],
)
def test_every_method_sends_the_exact_request(
    op_name: str,
    method: str,
    kwargs: dict[str, Any],
    http_method: str,
    path: str,
    query: list[tuple[str, str]],
    body: Any,
    result_type: type,
) -> None:
    op = ALL_OPERATIONS[op_name]
    recorder = Recorder(_success(op))
    client = make_client(recorder)

    result = resolve(client, method)(**kwargs)

    request = recorder.request
    assert request.method == http_method == op.method
    assert request.url.scheme == "https"
    assert request.url.host == "acme.desk365.io"
    assert request.url.path == path == "/apis" + op.path
    assert query_pairs(request) == query
    assert list(request.url.params.multi_items()) == query
    assert request.headers["authorization"] == API_KEY
    if body is None:
        assert request.content == b""
        assert "content-type" not in request.headers
    elif isinstance(body, Multipart):
        assert parse_multipart(request) == list(body.parts)
        for name, value in query:
            if name.endswith("_object"):
                assert json.loads(value) == kwargs[name]
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body

    assert isinstance(result, result_type)
    if isinstance(result, BaseModel):
        assert result.model_extra == {"echo": op_name}
    elif isinstance(result, dict):  # an answer no model class can type (an object or a string)
        assert result == {"echo": op_name}
    else:
        assert result == "All good! Desk365 APIs are running fine"
