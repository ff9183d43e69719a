"""Helpers of the Desk365 mock's tests: the checkout's root, the mock's credential and base
URL, a hand-moved :class:`Clock`, and :func:`vendor_error`, the check of Desk365's error shape."""

from __future__ import annotations

from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
KEY = {"Authorization": "mock-key"}
BASE = "http://127.0.0.1:4010"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_767_225_600.0  # 2026-01-01, after every fixture

    def __call__(self) -> float:
        return self.now


def vendor_error(response: httpx.Response, status: int) -> str:
    """Assert the Desk365 error shape; return the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "error", "message"}
    assert body["status"] == status and isinstance(body["error"], str) and body["message"]
    return str(body["message"])
