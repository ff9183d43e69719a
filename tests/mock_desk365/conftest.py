"""Fixtures of the Desk365 mock's tests: ``clock`` (moved by hand), ``app`` (a fresh mock on
that clock, default settings) and ``http`` (an httpx client on ``app.transport()`` with the
mock's credential)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from helpdesk_mock import MockApp, MockSettings
from tests.mock_desk365.helpers import BASE, KEY, Clock
from tests.mocks import create_app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> MockApp:
    return create_app("desk365", settings=MockSettings(), clock=clock)


@pytest.fixture
async def http(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=app.transport(), base_url=BASE, headers=KEY) as client:
        yield client
