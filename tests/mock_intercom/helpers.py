"""Helpers of the Intercom mock's tests: the document, the request headers, the fixtures'
identifiers, a hand-moved :class:`Clock`, an independent schema validator, and the checks
and calls several tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from helpdesk_mock.intercom_fixtures import T0

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = yaml.safe_load((ROOT / "openapi" / "intercom.yaml").read_text())
HEADERS = {"Authorization": "Bearer tok-test", "Intercom-Version": "2.16"}
NOW = T0 + 3600
ME, BEN, CHLOE = "991267401", "991267402", "991267403"
SUPPORT, BILLING, ENGINEERING = "5810001", "5810002", "5810003"
MAYA, OMAR, JORDAN = "66f0c1d2e3a4b5c600000001", "66f0c1d2e3a4b5c600000002", "66f0c1d2e3a4b5c600000003"
MERGED = "66f0c1d2e3a4b5c60000000d"
NORTHWIND = "66f0c1d2e3a4b5c700000001"
REFUND, CHECKOUT, LONG = "10934855", "5099231", "10930077"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def schema_validator(name: str) -> jsonschema.Draft202012Validator:
    """An independent validator for ``#/components/schemas/<name>`` of the document."""
    registry: Registry[Any] = Registry().with_resource(
        "urn:intercom", Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
    )
    return jsonschema.Draft202012Validator({"$ref": f"urn:intercom#/components/schemas/{name}"}, registry=registry)


def assert_error(response: httpx.Response, status: int, code: str, text: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error.list"
    assert isinstance(body["request_id"], str) and len(body["request_id"]) == 36
    assert body["errors"][0]["code"] == code, body
    assert text in body["errors"][0]["message"], body
    schema_validator("Error").validate(body)
    return body


def part_types(conversation: dict[str, Any]) -> list[str]:
    return [p["part_type"] for p in conversation["conversation_parts"]["conversation_parts"]]


async def search(http: httpx.AsyncClient, path: str, query: dict[str, Any], **extra: Any) -> httpx.Response:
    return await http.post(path, json={"query": query, **extra})


async def conversation_ids(http: httpx.AsyncClient, query: dict[str, Any]) -> list[str]:
    response = await search(http, "/conversations/search", query, pagination={"per_page": 150})
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["conversations"]]
