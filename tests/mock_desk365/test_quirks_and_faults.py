"""The Desk365 mock's quirks and settings: contracts that answer 403 until enabled, the
rate-limit bucket on an injected clock, every request recorded, the fault settings (a
client timeout fires on latency and trickle), strict responses that turn drift into a loud
500, and fixture answers that conform to the document (an independent validator).
In process through ``app.transport()`` unless said otherwise; the fixtures (``clock``, ``app``,
``http``) are in this folder's ``conftest.py``, the helpers in ``helpers.py``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generated.desk365 import AsyncDesk365Client, Desk365Client, ResponseError, TimeoutError_
from helpdesk_mock import MockApp, MockResponse, Recorded
from tests.mock_desk365.helpers import BASE, Clock, vendor_error

# -- quirks -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_contracts_answer_403_until_enabled(app: MockApp, http: httpx.AsyncClient) -> None:
    assert "help@desk365.io" in vendor_error(await http.get("/v3/contracts"), 403)
    vendor_error(await http.post("/v3/contracts/create", json={"name": "X"}), 403)
    app.settings.features.add("contracts")
    assert (await http.get("/v3/contracts")).json()["count"] == 4
    active = (await http.get("/v3/contracts", params={"include_inactive_contracts": "0"})).json()
    assert "Northwind Legacy Support" not in [c["name"] for c in active["contracts"]]
    created = await http.post("/v3/contracts/create", json={
        "name": "Globex Hours", "company": "Contoso", "contract_type": 2, "reference_number": "CT-2000",
        "block_hours": {"contract_hours": 10, "min_increment": 15, "rollover_unused_hours": True},
    })  # fmt: skip
    assert created.json()["block_hours"]["rollover_unused_hours"] is True and created.json()["block_tickets"] is None
    updated = await http.put("/v3/contracts/update", params={"reference_number": "CT-2000"},
                             json={"contract_category": "Gold", "setup_fees": 100})  # fmt: skip
    assert updated.json()["contract_category"] == "Gold" and updated.json()["setup_fees"] == 100
    got = (await http.get("/v3/contracts/details", params={"contract_name": "globex hours"})).json()
    assert got["category"] == "Gold" and got["total_available_mins"] == 600
    vendor_error(await http.get("/v3/contracts/details"), 404)


@pytest.mark.anyio
async def test_rate_limit_bucket_on_an_injected_clock(app: MockApp, http: httpx.AsyncClient, clock: Clock) -> None:
    app.settings.ratelimit, app.settings.ratelimit_window = 3, 60.0
    remaining = [(await http.get("/v3/ping")).headers["x-rate-limit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = await http.post("/v3/tickets/create", json={"subject": "one too many"})
    assert "Rate limit exceeded" in vendor_error(refused, 429)
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert len(app.state.tickets) == 75  # the handler did not run
    assert vendor_error(await http.get("/v3/nope"), 404) and app.requests[-1].status == 404
    clock.now += 59.9
    vendor_error(await http.get("/v3/ping"), 429)
    clock.now += 0.2  # the window is over: full again, without sleeping
    again = await http.get("/v3/ping")
    assert again.status_code == 200 and again.headers["x-rate-limit-remaining"] == "2"
    app.settings.ratelimit = None
    assert "x-rate-limit-remaining" not in (await http.get("/v3/ping")).headers


# -- recording, reset, faults, strictness ------------------------------------------------------


@pytest.mark.anyio
async def test_every_request_is_recorded(app: MockApp, http: httpx.AsyncClient) -> None:
    await http.get("/v3/companies/details", params=[("name", "R&D / Ops #1")])
    await http.get("/v3/tickets", params=[("ticket_count", "10"), ("offset", "0")])
    await http.post("/v3/nowhere", content=b"\x00raw", headers={"content-type": "application/octet-stream"})
    await http.post("/v3/tickets/add_note", params={"ticket_number": "91"}, json={"body": "é"})
    assert all(isinstance(r, Recorded) for r in app.requests)
    first, bad, unknown, note = app.requests
    assert (first.method, first.path, first.query, first.status, first.operation_id) == (
        "GET",
        "/v3/companies/details",
        [("name", "R&D / Ops #1")],
        200,
        "getCompany",
    )
    assert first.headers["authorization"] == "mock-key" and first.body == b"" and first.content_type is None
    assert (bad.query, bad.status, bad.operation_id) == ([("ticket_count", "10"), ("offset", "0")], 400, "listTickets")
    assert (unknown.status, unknown.operation_id, unknown.body) == (404, None, b"\x00raw")
    assert (note.status, note.content_type, json.loads(note.body)) == (201, "application/json", {"body": "é"})
    assert bad.request is None and note.request is not None and note.request.json == {"body": "é"}
    assert note.request.params == {"ticket_number": 91}
    app.reset()
    assert app.requests == [] and len(app.state.conversations[91]) == 5


@pytest.mark.anyio
async def test_faults(app: MockApp, http: httpx.AsyncClient) -> None:
    app.settings.fault_status = 503
    assert "fault injected" in vendor_error(await http.get("/v3/tickets/details", params={"ticket_number": "91"}), 503)
    app.settings.fault_status = None
    app.settings.fault = "non_json"
    page = await http.get("/v3/ping")
    assert page.headers["content-type"] == "application/json" and page.text.startswith("<html>")
    app.settings.fault = "truncated"
    cut = await http.get("/v3/tickets/details", params={"ticket_number": "91"})
    assert (
        cut.status_code == 200
        and cut.text.startswith('{"ticket_number": 91')
        and int(cut.headers["content-length"]) == len(cut.content)
    )
    with pytest.raises(ValueError):
        cut.json()
    app.settings.fault, app.settings.fault_size = "huge", 200_000
    huge = await http.get("/v3/surveys")
    assert len(huge.content) == 200_000 and huge.json()["count"] == 3
    assert [r.status for r in app.requests] == [503, 200, 200, 200]  # recorded before the fault shaped the answer
    app.settings.fault = "truncated"
    async with AsyncDesk365Client(
        api_key="k", base_url=BASE, http_client=httpx.AsyncClient(transport=app.transport())
    ) as client:
        with pytest.raises(ResponseError, match="not valid JSON"):
            await client.tickets.get(ticket_number=91)


@pytest.mark.anyio
async def test_latency_lets_a_client_timeout_fire(app: MockApp) -> None:
    app.settings.fault, app.settings.fault_delay = "latency", 30.0
    started = time.monotonic()
    async with AsyncDesk365Client(api_key="k", base_url=BASE, timeout=0.2,
                                  http_client=httpx.AsyncClient(transport=app.transport())) as client:  # fmt: skip
        with pytest.raises(TimeoutError_):
            await client.ping.list()
    assert time.monotonic() - started < 5
    assert app.requests[0].status == 200


def test_trickle_lets_a_sync_client_timeout_fire(app: MockApp) -> None:
    app.settings.fault, app.settings.fault_delay = "trickle", 0.05
    started = time.monotonic()
    http = httpx.Client(transport=app.sync_transport())
    with Desk365Client(api_key="k", base_url=BASE, timeout=0.3, http_client=http) as client:
        with pytest.raises(TimeoutError_):
            client.kb_articles.list()
    assert time.monotonic() - started < 5


@pytest.mark.anyio
async def test_strict_responses_turn_drift_into_a_loud_500(
    app: MockApp, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def answer(handler: Any) -> httpx.Response:
        monkeypatch.setitem(app.plugin.handlers, "getSurvey", handler)
        return await http.get("/v3/surveys/details", params={"survey_name": "x"})

    drift = await answer(lambda request, state: MockResponse(body={"survey_type": "one"}))
    assert 'response.survey_type must be an integer or null; got "one"' in vendor_error(drift, 500)
    undeclared = await answer(lambda request, state: MockResponse(status=202, body={}))
    assert "status 202 is not declared" in vendor_error(undeclared, 500)
    wrong_type = await answer(lambda request, state: MockResponse(body="text", content_type="text/html"))
    assert "content type text/html is not declared" in vendor_error(wrong_type, 500)
    crash = await answer(lambda request, state: 1 / 0)
    assert "ZeroDivisionError: division by zero" in vendor_error(crash, 500)
    app.settings.strict_responses = False
    assert (await answer(lambda request, state: MockResponse(status=202, body={}))).status_code == 202


def _independent_validator(document: Any, pointer: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    return Draft202012Validator({"$ref": f"urn:doc#{pointer}"}, registry=registry)


@pytest.mark.anyio
async def test_fixture_answers_conform_to_the_document(app: MockApp, http: httpx.AsyncClient) -> None:
    app.settings.features.add("contracts")
    app.settings.strict_responses = False  # checked here, independently of the mock's own check
    ids = {"ticket_number": "91", "primary_email": "jane.doe@example.com", "name": "Contoso", "id": "5001",
           "survey_name": "Customer Satisfaction", "category_name": "Help Center", "folder_name": "User Guides",
           "article_name": "How to reset your password", "contract_name": "Contoso Premium Support 2025"}  # fmt: skip
    checked = 0
    for op in app.spec.operations.values():
        if op.method != "GET":
            continue
        params = {p.name: ids[p.name] for p in op.params if p.name in ids and (p.required or p.name == "contract_name")}
        extra = [{}]
        if op.operation_id == "listTickets":
            extra = [
                {"include_description": "1", "include_custom_fields": "1", "include_survey_details": "1"},
                {"nested_fields": "1", "include_custom_fields": "1", "include_survey_details": "1"},
            ]
        for offset in ("0", "30", "60") if any(p.name == "offset" for p in op.params) else ("",):
            for more in extra:
                query = {**params, **more, **({"offset": offset} if offset else {})}
                response = await http.get(op.path, params=query)
                assert response.status_code == 200, (op.path, response.text)
                media = next(iter(op.responses["200"][1]["content"]))
                pointer = f"{op.responses['200'][0]}/content/{media.replace('/', '~1')}/schema"
                data = response.json() if "json" in media else response.text
                errors = list(_independent_validator(app.document, pointer).iter_errors(data))
                assert not errors, (op.path, query, errors[0].message)
                checked += 1
    assert checked >= 30
