"""The endpoint stores themselves: SQLite and PostgreSQL behind one contract (issue 17 parts 1, 2
and 4; issue 11 items 5 and 11).

Every contract test runs on both stores (PostgreSQL: the session's real server, a new
database per test). Then what only one of them has: PostgreSQL's migrations, its purge
under an advisory lock, its start-up errors; SQLite's tracking of the file at its path
(deleted, moved away and back, replaced, corrupted). No sleeps, no timing: expiry uses an
injected clock, and "costs the same" is checked as "does the same work" (a recording store).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from generated.desk365._runtime.endpoints import (
    Endpoint,
    EndpointRegistry,
    StoreUnavailable,
    StoreVersionError,
)
from generated.desk365._runtime.settings import file_clock
from generated.desk365._runtime.sqlitestore import SqliteEndpointStore
from generated.desk365._runtime.stores import masked, open_store, password_of
from generated.desk365.tools import TOOLS
from tests.endpoints_helpers import START, FakeClock
from tests.pgserver import PostgresServer

Opener = Callable[[str], Any]  # namespace -> an open store


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens stores (one per namespace asked) at one new location of the parametrized kind."""
    if request.param == "sqlite":
        location = str(tmp_path / "endpoints.sqlite3")
    else:
        location = request.getfixturevalue("postgres").create_database("stores")
    opened: list[Any] = []

    def open_(namespace: str = "desk365") -> Any:
        opened.append(open_store(location, namespace))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


# -- the contract, on both stores -------------------------------------------------------------


def test_add_find_list_remove_and_namespaces(opener: Opener) -> None:
    clock = FakeClock()
    desk, other = opener("desk365"), opener("intercom")
    registry = EndpointRegistry(desk, TOOLS, clock=clock)
    first = registry.create(name="first", methods=["read"], tags="tickets", expires_at=START + timedelta(hours=1))
    clock.now += timedelta(seconds=1)  # listed oldest first
    second = registry.create(name="second", require_api_token_auth=True)
    assert registry.resolve(first.token) == first.endpoint
    found = registry.resolve(second.token)
    assert found == second.endpoint and found.api_token_sha256 == second.endpoint.api_token_sha256
    assert found.expires_at is None and first.endpoint.expires_at == START + timedelta(hours=1)
    assert [e.id for e in registry.list()] == [first.endpoint.id, second.endpoint.id]
    assert EndpointRegistry(other, TOOLS, clock=clock).resolve(first.token) is None  # another API's token
    assert other.all() == []
    assert registry.revoke(first.endpoint.id) and not registry.revoke(first.endpoint.id)
    assert registry.resolve(first.token) is None
    assert [e.id for e in desk.all()] == [second.endpoint.id]


def test_resolving_only_reads_and_the_purge_deletes_expired_rows_once(opener: Opener) -> None:
    """Unknown, revoked and expired tokens do the same work (one lookup); rows go in a purge."""
    clock = FakeClock()
    recorder = Recording(opener())
    registry = EndpointRegistry(recorder, TOOLS, clock=clock)
    soon = registry.create(name="soon", expires_at=START + timedelta(minutes=5))
    later = registry.create(name="later", expires_at=START + timedelta(hours=5))
    revoked = registry.create(name="revoked")
    registry.revoke(revoked.endpoint.id)
    clock.now = START + timedelta(minutes=5)  # "soon" expires to the second
    recorder.calls.clear()
    for token in (soon.token, revoked.token, "u" * 43):
        assert registry.resolve(token) is None
    assert recorder.calls == ["find", "find", "find"]  # no delete on the request path
    assert len(recorder.store.all()) == 2
    assert registry.purge() == 1 and registry.purge() == 0
    assert [e.id for e in recorder.store.all()] == [later.endpoint.id]
    assert registry.resolve(later.token) == later.endpoint
    clock.now = START + timedelta(hours=6)
    assert registry.list() == [] and recorder.store.all() == []  # listing purges first


class Recording:
    """A store wrapper that records which methods were called."""

    def __init__(self, store: Any) -> None:
        self.store, self.calls = store, []  # type: ignore[var-annotated]

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.store, name)

        def recorded(*args: Any) -> Any:
            self.calls.append(name)
            return method(*args)

        return recorded


# -- PostgreSQL: migrations, the purge lock, start-up errors -----------------------------------


def test_postgres_schema_is_migrated_once_and_a_newer_one_is_refused(postgres: PostgresServer) -> None:
    import psycopg

    url = postgres.create_database("schema")
    for _ in range(2):  # a second process starting finds the schema current
        open_store(url, "desk365").close()
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM mcp_schema_migrations").fetchall() == [(1,)]
        conn.execute("INSERT INTO mcp_schema_migrations (version) VALUES (2)")
    with pytest.raises(StoreVersionError, match="schema is version 2, newer than this server's 1: upgrade"):
        open_store(url, "desk365")


def test_postgres_holds_hashes_only(postgres: PostgresServer) -> None:
    import psycopg

    url = postgres.create_database("hashes")
    store = open_store(url, "desk365")
    try:
        made = EndpointRegistry(store, TOOLS).create(name="secret", require_api_token_auth=True)
    finally:
        store.close()
    with psycopg.connect(url) as conn:
        dump = repr(conn.execute("SELECT * FROM mcp_endpoints").fetchall())
    assert made.token not in dump and str(made.api_token) not in dump
    assert made.endpoint.token_sha256 in dump and str(made.endpoint.api_token_sha256) in dump


def test_postgres_purge_is_skipped_while_another_process_purges(postgres: PostgresServer) -> None:
    import psycopg

    from generated.desk365._runtime.pgstore import _lock_key

    url = postgres.create_database("purge")
    store = open_store(url, "desk365")
    try:
        clock = FakeClock()
        registry = EndpointRegistry(store, TOOLS, clock=clock)
        registry.create(name="short", expires_at=START + timedelta(minutes=1))
        clock.now = START + timedelta(minutes=1)
        with psycopg.connect(url) as other:  # another process, in the middle of its purge
            other.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("endpoint purge desk365"),))
            assert registry.purge() is None and len(store.all()) == 1  # skipped at once, nothing deleted
        assert registry.purge() == 1 and store.all() == []
    finally:
        store.close()


def test_postgres_unreachable_at_start_says_why_without_the_password() -> None:
    url = "postgresql://someone:s3cret-pw@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(StoreUnavailable) as info:
        open_store(url, "desk365")
    message = str(info.value)
    assert "cannot use the endpoint store postgresql://someone:***@127.0.0.1:1/nowhere" in message
    assert "s3cret-pw" not in message and "refused" in message.lower()
    assert password_of(url) == "s3cret-pw" and password_of("/tmp/x.sqlite3") is None
    assert masked("/tmp/x.sqlite3") == "/tmp/x.sqlite3"


def test_a_postgres_url_without_psycopg_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "generated.desk365._runtime.pgstore", raising=False)
    with pytest.raises(StoreUnavailable, match=r"needs psycopg 3 with its pool .*--with postgres"):
        open_store("postgresql://u@127.0.0.1:1/x", "desk365")


# -- SQLite: the file at the path is the truth (issue 11 item 5) --------------------------------


def sqlite_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def test_a_deleted_sqlite_file_fails_closed_until_a_new_one_is_created(tmp_path: Path) -> None:
    path = tmp_path / "endpoints.sqlite3"
    server = EndpointRegistry(SqliteEndpointStore(path, "desk365"), TOOLS)
    old = server.create(name="before")
    for f in sqlite_files(path):  # the operator deletes the store (and its journal files)
        f.unlink()
    for token in (old.token, "u" * 43):
        with pytest.raises(StoreUnavailable, match="is missing .deleted or moved away"):
            server.resolve(token)
    assert not path.exists()  # failing closed did not create an empty file behind the operator's back
    cli = EndpointRegistry(SqliteEndpointStore(path, "desk365"), TOOLS)  # `endpoints create` starts a new one
    new = cli.create(name="after")
    assert server.resolve(new.token) == new.endpoint  # the server follows the new file
    assert server.resolve(old.token) is None
    assert server.revoke(new.endpoint.id) and cli.resolve(new.token) is None  # one truth for both
    server.store.close()
    cli.store.close()


def test_a_sqlite_file_moved_away_and_back_loses_nothing_and_a_replaced_one_is_reopened(tmp_path: Path) -> None:
    path = tmp_path / "endpoints.sqlite3"
    store = SqliteEndpointStore(path, "desk365")
    registry = EndpointRegistry(store, TOOLS)
    kept = registry.create(name="kept")
    aside = tmp_path / "aside.sqlite3"
    path.rename(aside)
    with pytest.raises(StoreUnavailable):
        registry.resolve(kept.token)
    aside.rename(path)
    assert registry.resolve(kept.token) == kept.endpoint  # back: nothing lost
    backup = tmp_path / "backup.sqlite3"  # a restore: another file moved over the path
    other = EndpointRegistry(SqliteEndpointStore(backup, "desk365"), TOOLS)
    restored = other.create(name="restored")
    other.store.close()
    os.replace(backup, path)
    assert registry.resolve(restored.token) == restored.endpoint
    assert registry.resolve(kept.token) is None
    store.close()


def test_a_corrupted_sqlite_file_fails_closed_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "endpoints.sqlite3"
    path.write_bytes(b"this is not a database, " * 200)
    with pytest.raises(StoreUnavailable, match=r"cannot be read \(file is not a database\); it may be corrupted"):
        SqliteEndpointStore(path, "desk365")
    good = tmp_path / "good.sqlite3"
    store = SqliteEndpointStore(good, "desk365")
    registry = EndpointRegistry(store, TOOLS)
    known = registry.create(name="known")
    os.replace(path, good)  # the file the server uses is now garbage (a bad restore, a disk fault)
    errors = []
    for token in (known.token, "u" * 43):  # known and unknown tokens fail alike
        with pytest.raises(StoreUnavailable) as info:
            registry.resolve(token)
        errors.append(str(info.value))
    assert errors[0] == errors[1] and "may be corrupted" in errors[0]
    store.close()


def test_the_file_clock_reads_the_instant_written_in_its_file(tmp_path: Path) -> None:
    clock_file = tmp_path / "now"
    clock = file_clock(clock_file)
    clock_file.write_text("2026-11-21T12:00:00Z\n")
    assert clock() == START
    clock_file.write_text((START + timedelta(seconds=1)).isoformat())
    assert clock() == START + timedelta(seconds=1)
    clock_file.write_text("2026-11-21T12:00:00")
    with pytest.raises(ValueError, match="needs a UTC offset"):
        clock()


def test_endpoints_round_trip_equal(opener: Opener) -> None:
    """What a store gives back is what was stored, field for field (instants in UTC)."""
    store = opener()
    made = EndpointRegistry(store, TOOLS, clock=FakeClock()).create(
        name="all fields", methods="read,custom", tags=["tickets"], tools=None, require_api_token_auth=True,
        expires_at="2026-11-21T14:30:00+01:00",
    )  # fmt: skip
    [back] = store.all()
    assert isinstance(back, Endpoint) and back == made.endpoint
    assert back.expires_at is not None and back.expires_at.utcoffset() == timedelta(0)


# -- the command line and the HTTP app around the stores ----------------------------------------


def test_the_server_refuses_to_start_on_an_unreachable_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generated.desk365.server import main as desk365_main

    monkeypatch.setenv("DESK365_BASE_URL", "http://127.0.0.1:9")
    url = "postgresql://mcp:pw-4f9a@127.0.0.1:1/mcp?connect_timeout=2"
    for argv in (["--transport", "http", "--endpoints", "--endpoints-db", url], ["endpoints", "list",
                                                                                   "--endpoints-db", url]):  # fmt: skip
        assert desk365_main(argv) == 1
        err = capsys.readouterr().err
        assert "cannot use the endpoint store postgresql://mcp:***@127.0.0.1:1/mcp" in err and "pw-4f9a" not in err


@pytest.mark.anyio
async def test_the_http_app_purges_expired_records_periodically(tmp_path: Path) -> None:
    import anyio

    from generated.desk365._runtime.httpapp import EndpointsApp

    clock = FakeClock()
    store = SqliteEndpointStore(tmp_path / "endpoints.sqlite3", "desk365")
    registry = EndpointRegistry(store, TOOLS, clock=clock)
    registry.create(name="short", expires_at=START + timedelta(minutes=1))
    clock.now = START + timedelta(minutes=1)
    app = EndpointsApp(registry, lambda endpoint: None, purge_every=0.01)
    with anyio.fail_after(10):  # a bound, not a measurement: the purge loop runs off the request path
        async with anyio.create_task_group() as tg:
            tg.start_soon(app._purge_periodically)
            while store.all():
                await anyio.sleep(0.01)
            tg.cancel_scope.cancel()
    store.close()
