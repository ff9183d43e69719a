"""Fixtures of the Intercom mock's tests: ``clock`` (moved by hand, at ``NOW``), ``app`` (a
fresh mock on that clock) and ``http`` (an httpx client on ``app.transport()`` with the
Intercom headers)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from helpdesk_mock.app import MockApp
from tests.mock_intercom.helpers import HEADERS, NOW, Clock
from tests.mocks import create_app


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(clock: Clock) -> MockApp:
    return create_app("intercom", clock=clock)


@pytest.fixture
async def http(app: MockApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock", headers=HEADERS) as client:
        yield client
