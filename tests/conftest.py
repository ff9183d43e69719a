"""Fixtures shared across test modules: one real PostgreSQL server for the whole run.

``postgres`` starts the server once per test session (``tests.pgserver``:
``initdb`` in a temporary folder, ``pg_ctl`` on a free loopback port) and stops it
at the end; a test that needs its own database calls ``create_database()``. The
tests that need it are skipped, with the reason, only where the PostgreSQL
binaries are absent; ``.ci/run`` installs them, so in CI they run.

``fixtures`` and ``vendor`` hold the packages the any-document tests generate
(``tests/anydoc.py``): the feature fixtures per module, the vendors' full
documents once per session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.anydoc import Packages, packages_in
from tests.pgserver import PostgresServer, find_binaries, postgres_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if find_binaries() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql (.ci/run does)")
    with postgres_server() as server:
        yield server


# -- the any-document tests (tests/anydoc.py): generated packages, one folder per module ------


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    """The feature fixtures of ``tests/fixtures/openapi``, generated on demand."""
    yield from packages_in(tmp_path_factory.mktemp("fixtures"))


@pytest.fixture(scope="session")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    """The vendors' full documents, generated on demand, once per session (the full Intercom
    document takes seconds, and several modules use it)."""
    yield from packages_in(tmp_path_factory.mktemp("vendor"))
