"""The mocks the tests use: :mod:`helpdesk_mock` apps serving the curated documents.

The mock takes the document it serves as an argument; every test serves the
checked-in ``openapi/<api>.yaml``, so this module passes it once for all of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpdesk_mock import MockApp
from helpdesk_mock import create_app as _create_app

__all__ = ["OPENAPI", "create_app", "document"]

OPENAPI = Path(__file__).resolve().parents[1] / "openapi"


def document(api: str) -> Path:
    """The curated document of ``api``."""
    return OPENAPI / f"{api}.yaml"


def create_app(api: str, **options: Any) -> MockApp:
    """A fresh mock of ``api`` serving its curated document (options as for :func:`helpdesk_mock.create_app`)."""
    return _create_app(api, document=document(api), **options)
