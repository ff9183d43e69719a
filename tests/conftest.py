"""Fixtures shared across test modules.

``anyio_backend``: every async test runs on asyncio (a module may still say so itself).

``postgres`` starts the server once per test session (``tests.pgserver``:
``initdb`` in a temporary folder, ``pg_ctl`` on a free loopback port) and stops it
at the end; a test that needs its own database calls ``create_database()``. The
tests that need it are skipped, with the reason, only where the PostgreSQL
binaries are absent; ``.ci/run`` installs them, so in CI they run.

``fixtures`` and ``vendor`` hold the packages the any-document tests generate
(``tests/anydoc.py``): the feature fixtures and the vendors' full documents, each once
per session (per worker under pytest-xdist), however many modules use them.

``clean_desk365_env`` clears the Desk365 client's environment variables (the client tests
``tests/test_client_desk365*.py`` use it for every test, through ``pytestmark``).

``stub`` is the Desk365 mock served over real HTTP (``tests/upstream.py``), once per module:
the upstream of the server processes and HTTP apps under test. ``desk`` is a token-scoped
endpoints deployment in front of it (``tests/endpoints_helpers.py``), fresh for each test.

The mock suites keep their own fixtures (``app``, ``http``, ``clock``) in their folders'
``conftest.py``: ``tests/mock_desk365/`` and ``tests/mock_intercom/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.anydoc import Packages, packages_in
from tests.pgserver import PostgresServer, find_binaries, postgres_server

if TYPE_CHECKING:  # imported by the fixtures that use them: a broken generated package fails only those tests
    from tests.endpoints_helpers import Deployment
    from tests.upstream import Desk365Upstream


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if find_binaries() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql (.ci/run does)")
    with postgres_server() as server:
        yield server


# -- the any-document tests (tests/anydoc.py): generated packages, one folder per session -----


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    """The feature fixtures of ``tests/fixtures/openapi``, generated on demand, once per session."""
    yield from packages_in(tmp_path_factory.mktemp("fixtures"))


@pytest.fixture(scope="session")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    """The vendors' full documents, generated on demand, once per session (the full Intercom
    document takes seconds, and several modules use it)."""
    yield from packages_in(tmp_path_factory.mktemp("vendor"))


# -- the Desk365 client tests (tests/test_client_desk365*.py) ----------------------------------


@pytest.fixture
def clean_desk365_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Desk365 credential, subdomain or base URL from the environment."""
    for name in ("DESK365_API_KEY", "DESK365_SUBDOMAIN", "DESK365_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# -- the Desk365 mock over real HTTP, and endpoints in front of it --------------------------------


@pytest.fixture(scope="module")
def stub() -> Iterator[Desk365Upstream]:
    """The Desk365 mock on a random loopback port, for the module (``stub.clear()`` reseeds it)."""
    from tests.upstream import desk365_upstream

    with desk365_upstream() as s:
        yield s


@pytest.fixture
def desk(stub: Desk365Upstream, tmp_path: Path) -> Iterator[Deployment]:
    """The endpoints app over a fresh store file, served, with an admin token (``ADMIN``)."""
    from tests.endpoints_helpers import ADMIN, deploy

    with deploy(stub.url, tmp_path / "endpoints.sqlite3", admin_token=ADMIN) as d:
        yield d
