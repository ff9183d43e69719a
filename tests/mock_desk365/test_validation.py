"""The Desk365 mock: the document drives the core. A handler for every operation; unknown paths
(404) and wrong methods (405); the credential (401); document violations as vendor-shaped 400s,
multipart bodies included; and hostile input that is never a 500.
In process through ``app.transport()`` unless said otherwise; the fixtures (``clock``, ``app``,
``http``) are in this folder's ``conftest.py``, the helpers in ``helpers.py``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from helpdesk_mock import MockApp
from tests.mock_desk365.helpers import vendor_error

# -- the document drives the core ---------------------------------------------------------


def test_every_operation_has_a_handler(app: MockApp) -> None:
    assert len(app.spec.operations) == 44
    assert sorted(app.spec.operations) == sorted(app.plugin.handlers)


@pytest.mark.anyio
async def test_unknown_path_is_404_and_wrong_method_405(http: httpx.AsyncClient) -> None:
    assert "no such path: /v3/agents" in vendor_error(await http.get("/v3/agents"), 404)
    response = await http.delete("/v3/tickets/details", params={"ticket_number": "91"})
    assert "use GET" in vendor_error(response, 405)
    assert response.headers["allow"] == "GET"
    assert (await http.get("/v3/kb/article/")).status_code == 200  # the trailing slash is part of the path
    vendor_error(await http.get("/v3/kb/article"), 404)


@pytest.mark.anyio
async def test_missing_credential_is_401(app: MockApp, http: httpx.AsyncClient) -> None:
    message = vendor_error(await http.get("/v3/ping", headers={"Authorization": ""}), 401)
    assert "Authorization header" in message
    app.settings.credential = "the-one"
    assert "not valid" in vendor_error(await http.get("/v3/ping"), 401)
    assert (await http.get("/v3/ping", headers={"Authorization": "the-one"})).status_code == 200


@pytest.mark.anyio
async def test_document_violations_are_vendor_shaped_400s(app: MockApp, http: httpx.AsyncClient) -> None:
    cases: list[tuple[httpx.Response, str]] = [
        (await http.get("/v3/tickets", params={"ticket_count": "10"}),
         'ticket_count must be one of "30", "50", "100"; got "10"'),
        (await http.get("/v3/time_entries", params={"time_entries_count": "10"}),
         'time_entries_count must be one of "30", "50", "100"; got "10"'),
        (await http.get("/v3/tickets/details"), "ticket_number is required"),
        (await http.get("/v3/tickets/details", params={"ticket_number": "abc"}),
         'ticket_number must be an integer; got "abc"'),
        (await http.get("/v3/tickets/details", params=[("ticket_number", "1"), ("ticket_number", "2")]),
         "ticket_number is given 2 times"),
        (await http.get("/v3/tickets/details", params={"ticket_number": "0"}), "ticket_number must be >= 1"),
        (await http.get("/v3/tickets", params={"page": "2"}), "unknown query parameter(s) page"),
        (await http.get("/v3/tickets", params={"filters": "{status: Open}"}), "filters must be JSON text"),
        (await http.get("/v3/tickets", params={"filters": '{"status": "Open"}'}), "filters.status must be an array"),
        (await http.get("/v3/tickets", params={"filters": '{"colour": ["red"]}'}), "filters does not accept colour"),
        (await http.post("/v3/tickets/create", json={"subject": 5}), "body.subject must be a string"),
        (await http.post("/v3/tickets/create", json={"priority": 3}), "body.priority must be one of 1, 5, 10, 20"),
        (await http.post("/v3/tickets/create", json={"subjekt": "x"}), "body does not accept subjekt"),
        (await http.post("/v3/tickets/create", content=b"{", headers={"content-type": "application/json"}),
         "not valid JSON"),
        (await http.post("/v3/tickets/create", data={"subject": "x"}), "Content-Type must be application/json"),
        (await http.post("/v3/tickets/create"), "a request body is required"),
        (await http.request("GET", "/v3/ping", content=b"x"), "takes no request body"),
    ]  # fmt: skip
    for response, expected in cases:
        assert expected in vendor_error(response, 400), (response.request.url, expected)
    assert len(app.state.tickets) == 75  # nothing was created


@pytest.mark.anyio
async def test_multipart_is_validated(http: httpx.AsyncClient) -> None:
    url = "/v3/tickets/add_note_with_attachment"
    query = {"ticket_number": "91", "note_object": json.dumps({"body": "<p>logs</p>"})}
    one = ("a.log", b"spooler crashed", "text/plain")
    cases: list[tuple[dict[str, Any], Any, str]] = [
        (query, [("file", one), ("files", one)], "give exactly one of file, files; got file, files"),
        (query, {"x": "1"}, "give exactly one of file, files; got none"),
        (query, [("file", one), ("file", one)], "body.file is given 2 times"),
        (query, [("file", one), ("extra", one)], "body does not accept extra"),
        ({**query, "note_object": '{"private_note": 2}'}, [("file", one)],
         "note_object.private_note must be one of 0, 1"),
        ({**query, "note_object": "nope"}, [("file", one)], "note_object must be JSON text"),
        ({"ticket_number": "91"}, [("file", one)], "note_object is required"),
    ]  # fmt: skip
    for params, files, expected in cases:
        if isinstance(files, dict):
            response = await http.post(url, params=params, data=files, files=[("dummy", ("d", b"", "text/plain"))])
        else:
            response = await http.post(url, params=params, files=files)
        assert expected in vendor_error(response, 400), expected
    text_for_file = await http.post(url, params=query, content=_multipart([("file", None, b"plain text")]),
                                    headers={"content-type": "multipart/form-data; boundary=XyZ"})  # fmt: skip
    assert "body.file must be a file part" in vendor_error(text_for_file, 400)
    garbage = await http.post(url, params=query, content=b"garbage", headers={"content-type": "multipart/form-data"})
    assert "cannot parse the multipart body" in vendor_error(garbage, 400)


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--XyZ\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return out + b"--XyZ--\r\n"


@pytest.mark.anyio
async def test_hostile_input_is_never_a_500(http: httpx.AsyncClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    statuses = [
        (await http.post("/v3/tickets/create", content=deep, headers={"content-type": "application/json"})).status_code,
        (
            await http.post("/v3/tickets/create", content=b"\xff\xfe", headers={"content-type": "application/json"})
        ).status_code,
        (await http.get("/v3/companies/details?name=%FF%FE")).status_code,
        (await http.get("/v3/tickets/details", params={"ticket_number": "9" * 40})).status_code,
        (await http.get("/v3/tickets%2Fdetails", params={"ticket_number": "91"})).status_code,
        (await http.request("HEAD", "/v3/ping")).status_code,
    ]
    assert statuses == [400, 400, 400, 400, 404, 405]
    lone = await http.post("/v3/tickets/create", content=b'{"subject": "\\ud800 broken"}',
                           headers={"content-type": "application/json"})  # fmt: skip
    assert lone.status_code == 200 and lone.json()["subject"] == "\ud800 broken"
