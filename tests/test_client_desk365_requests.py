"""The generated Desk365 client: what a call sends and what it returns.

The base URL from the subdomain, an argument or the environment; credentials and extra
headers; arguments left out or sent by alias; query values that arrive decoded
unchanged, JSON ones too; files from a path, an open file, bytes or a tuple, as
multipart parts; typed answers that keep extra fields, and the delete and ping answers.
Against ``httpx.MockTransport`` (helpers: ``tests/client_desk365_helpers.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from generated.desk365 import (
    ClientError,
    Desk365Client,
    File,
    models,
)
from tests.client_desk365_helpers import (
    API_KEY,
    LOG,
    NOTE_OBJECT,
    PNG,
    REPLY_OBJECT,
    TICKET_BODY,
    TICKET_OBJECT,
    Part,
    Recorder,
    jq,
    make_client,
    parse_multipart,
    query_pairs,
)

pytestmark = pytest.mark.usefixtures("clean_desk365_env")


# ---------------------------------------------------------------------------- base URL and credentials


def test_subdomain_builds_the_base_url() -> None:
    recorder = Recorder(httpx.Response(200, text="ok"))
    client = make_client(recorder, subdomain="acme")
    assert client.base_url == "https://acme.desk365.io/apis"
    client.ping.list()
    assert str(recorder.request.url) == "https://acme.desk365.io/apis/v3/ping"


def test_base_url_overrides_the_server() -> None:
    recorder = Recorder(httpx.Response(200, json={"ticket_number": 7}))
    client = make_client(recorder, base_url="http://127.0.0.1:8080/mock/apis/")
    client.tickets.get(ticket_number=7)
    assert str(recorder.request.url) == "http://127.0.0.1:8080/mock/apis/v3/tickets/details?ticket_number=7"


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_BASE_URL", "http://mock.test/apis")
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder).ping.list()
    assert str(recorder.request.url) == "http://mock.test/apis/v3/ping"


def test_credentials_and_subdomain_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_API_KEY", "env-key-42")
    monkeypatch.setenv("DESK365_SUBDOMAIN", "envco")
    recorder = Recorder(httpx.Response(200, json={}))
    client = Desk365Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.tickets.get(ticket_number=1)
    request = recorder.request
    assert str(request.url) == "https://envco.desk365.io/apis/v3/tickets/details?ticket_number=1"
    assert request.headers["authorization"] == "env-key-42"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK365_API_KEY", "env-key-42")
    monkeypatch.setenv("DESK365_SUBDOMAIN", "envco")
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder, api_key="arg-key", subdomain="argco").ping.list()
    assert recorder.request.url.host == "argco.desk365.io"
    assert recorder.request.headers["authorization"] == "arg-key"


def test_extra_headers_are_sent() -> None:
    recorder = Recorder(httpx.Response(200, text="ok"))
    make_client(recorder, headers={"X-Trace": "t-1"}).ping.list()
    assert recorder.request.headers["x-trace"] == "t-1"
    assert recorder.request.headers["authorization"] == API_KEY


def test_none_leaves_arguments_out() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).tickets.list(ticket_count="30", offset=None, filters=None)
    assert query_pairs(recorder.request) == [("ticket_count", "30")]


def test_update_sends_only_the_given_fields() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).tickets.update(ticket_number=5, status="closed")
    assert json.loads(recorder.request.content) == {"status": "closed"}


# ---------------------------------------------------------------------------- query encoding

AWKWARD = [
    "R&D / Ops #1",
    "a+b=c@x.io",
    "Zoë & Søn",
    "what? 100% sure",
    "x=1&y=2#frag",
    "  leading and trailing  ",
    "日本語 ✓",
    "semi;colon,comma",
]


@pytest.mark.parametrize("value", AWKWARD)
def test_query_values_arrive_decoded_unchanged(value: str) -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_client(recorder).contacts.list(company=value, offset="0")
    request = recorder.request
    assert request.url.path == "/apis/v3/contacts"
    assert query_pairs(request) == [("offset", "0"), ("company", value)]
    assert request.url.params["company"] == value
    assert request.url.fragment == ""
    raw = request.url.query.decode("ascii")
    assert re.fullmatch(r"[A-Za-z0-9_.~%=&-]*", raw), raw  # everything else percent-encoded


def test_awkward_values_in_the_reference_examples() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder)
    client.contacts.list(company="R&D / Ops #1")
    client.contacts.get(primary_email="a+b=c@x.io")
    client.companies.get(name="Zoë & Søn")
    first, second, third = recorder.requests
    assert first.url.query == b"company=R%26D%20%2F%20Ops%20%231"
    assert second.url.query == b"primary_email=a%2Bb%3Dc%40x.io"
    assert third.url.query == b"name=Zo%C3%AB%20%26%20S%C3%B8n"
    assert second.url.params["primary_email"] == "a+b=c@x.io"
    assert third.url.params["name"] == "Zoë & Søn"


def test_json_query_values_keep_awkward_text() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    filters = {"company": ["R&D / Ops #1", "Zoë & Søn"], "contact": ["a+b=c@x.io"]}
    make_client(recorder).tickets.list(filters=filters)
    (name, value), *_ = query_pairs(recorder.request)
    assert name == "filters"
    assert json.loads(value) == filters
    assert value == '{"company":["R&D / Ops #1","Zoë & Søn"],"contact":["a+b=c@x.io"]}'


def test_model_arguments_are_sent_by_alias_and_only_when_set() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    ticket = models.CreateTicketRequest(email="zoe@example.com", subject="Hi")
    make_client(recorder).tickets.create_with_attachment(ticket_object=ticket, file=b"x")
    (name, value), *_ = query_pairs(recorder.request)
    assert name == "ticket_object"
    assert json.loads(value) == {"email": "zoe@example.com", "subject": "Hi"}


# ---------------------------------------------------------------------------- files


def test_file_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(LOG)
    recorder = Recorder(httpx.Response(201, json={}))
    make_client(recorder).ticket_notes.create_with_attachment(ticket_number=8992, note_object=NOTE_OBJECT, file=path)
    assert parse_multipart(recorder.request) == [Part("file", "notes.txt", "text/plain", LOG)]


def test_file_from_a_path_string(tmp_path: Path) -> None:
    path = tmp_path / "screen.png"
    path.write_bytes(PNG)
    recorder = Recorder(httpx.Response(201, json={}))
    make_client(recorder).ticket_notes.create_with_attachment(
        ticket_number=8992, note_object=NOTE_OBJECT, file=str(path)
    )
    assert parse_multipart(recorder.request) == [Part("file", "screen.png", "image/png", PNG)]


def test_file_from_an_open_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\xff binary")
    recorder = Recorder(httpx.Response(201, json={}))
    with path.open("rb") as fh:
        make_client(recorder).ticket_replies.create_with_attachment(
            ticket_number=8992, reply_object=REPLY_OBJECT, file=fh
        )
    assert parse_multipart(recorder.request) == [
        Part("file", "report.pdf", "application/pdf", b"%PDF-1.7\n\x00\xff binary")
    ]


def test_file_from_bytes_and_a_tuple() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder)
    client.tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=PNG)
    client.tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=("dump.bin", LOG, "application/x-dump"))
    assert parse_multipart(recorder.requests[0]) == [Part("file", "file", "application/octet-stream", PNG)]
    assert parse_multipart(recorder.requests[1]) == [Part("file", "dump.bin", "application/x-dump", LOG)]


def test_several_files_of_every_kind(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"plain text")
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    recorder = Recorder(httpx.Response(200, json={}))
    with (tmp_path / "report.pdf").open("rb") as fh:
        make_client(recorder).tickets.create_with_attachment(
            ticket_object=TICKET_OBJECT,
            file=("cover.png", PNG, "image/png"),
            files=[
                b"raw",
                tmp_path / "notes.txt",
                fh,
                ("crash.log", LOG, "text/plain"),
                File("a.json", b"{}", "application/json"),
            ],
        )
    request = recorder.request
    assert parse_multipart(request) == [
        Part("file", "cover.png", "image/png", PNG),
        Part("files", "file", "application/octet-stream", b"raw"),
        Part("files", "notes.txt", "text/plain", b"plain text"),
        Part("files", "report.pdf", "application/pdf", b"%PDF"),
        Part("files", "crash.log", "text/plain", LOG),
        Part("files", "a.json", "application/json", b"{}"),
    ]
    assert query_pairs(request) == [("ticket_object", jq(TICKET_OBJECT))]
    assert json.loads(request.url.params["ticket_object"]) == TICKET_OBJECT


def test_a_missing_file_is_an_argument_error_and_sends_nothing(tmp_path: Path) -> None:
    recorder = Recorder()
    with pytest.raises(ClientError, match="cannot read 'missing.log'") as info:
        make_client(recorder).tickets.create_with_attachment(ticket_object=TICKET_OBJECT, file=tmp_path / "missing.log")
    assert isinstance(info.value, ValueError)
    assert recorder.requests == []


# ---------------------------------------------------------------------------- responses


def test_get_returns_a_model_that_keeps_extra_fields() -> None:
    recorder = Recorder(httpx.Response(200, json=TICKET_BODY))
    ticket = make_client(recorder).tickets.get(ticket_number=8992)
    assert isinstance(ticket, models.Ticket)
    assert ticket.ticket_number == 8992
    assert ticket.assigned_to == "agent@acme.io"
    assert ticket.subcategory == "Printer"
    assert ticket.priority == 10
    assert ticket.model_extra == {"cf_Employee ID": "E-42", "brand_new_field": {"nested": [1, 2]}}
    assert ticket.model_dump(by_alias=True, exclude_unset=True) == TICKET_BODY


def test_list_returns_typed_items() -> None:
    body = {"count": 2, "tickets": [{"ticket_number": 1, "subject": "a"}, {"ticket_number": 2, "extra": True}]}
    page = make_client(Recorder(httpx.Response(200, json=body))).tickets.list(ticket_count="30")
    assert page.tickets is not None
    assert [t.ticket_number for t in page.tickets] == [1, 2]
    assert all(isinstance(t, models.Ticket) for t in page.tickets)
    assert page.tickets[1].model_extra == {"extra": True}


@pytest.mark.parametrize("body", [{"message": "KB Article successfully deleted."}, "KB Article successfully deleted."])
def test_a_delete_answers_an_object_or_a_plain_string(body: Any) -> None:
    """``DeleteConfirmation`` is ``type: [object, string]``: no model class can type it, so the
    method returns the JSON value as sent (a model would refuse the string form)."""
    recorder = Recorder(httpx.Response(200, json=body))
    assert make_client(recorder).kb_articles.delete(article_name="Printer") == body


def test_ping_returns_the_text() -> None:
    recorder = Recorder(httpx.Response(200, text="All good! Desk365 APIs are running fine"))
    assert make_client(recorder).ping.list() == "All good! Desk365 APIs are running fine"
