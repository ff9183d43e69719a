"""A real PostgreSQL server for tests and the load run: ``initdb`` in a temporary folder,
``pg_ctl`` on a free loopback port, stopped at the end.

The binaries come from the machine: ``initdb`` / ``pg_ctl`` on ``PATH``, else the
newest ``/usr/lib/postgresql/<version>/bin`` (where Debian's ``postgresql``
package puts them; ``.ci/run`` installs it when they are absent). PostgreSQL
refuses to run as root, so under root (CI and the development machines) both
commands run as the ``postgres`` system user that the Debian package creates,
and the cluster's folder is handed to that user.

The cluster is built for speed, not durability (``fsync``, ``full_page_writes``
and ``synchronous_commit`` off): it lives for one test session. It listens on
127.0.0.1 only (no Unix socket outside its own folder) and trusts local
connections, so URLs carry no password. :meth:`PostgresServer.stop` and
:meth:`PostgresServer.start` let a test take the database away mid-run and bring
it back on the same port with the same data.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PostgresServer", "find_binaries", "postgres_server"]

USER = "helpdesk"


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One throw-away cluster: :attr:`port`, :meth:`url` of a database, :meth:`create_database`."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir, self.root = bindir, root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._databases = 0

    def _run(self, *argv: str) -> None:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(argv[:2])} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}")

    def init(self) -> None:
        """``initdb`` the cluster (trust authentication, superuser :data:`USER`)."""
        if self._as_postgres:
            self.root.chmod(0o755)  # postgres must reach its folder inside root's temporary one
            self.data.mkdir(mode=0o700)
            shutil.chown(self.data, "postgres", "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8",
                  "--no-instructions")  # fmt: skip

    def start(self) -> None:
        """Start (or restart) the server on :attr:`port`; returns once it accepts connections."""
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.data} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server at once (``-m fast``: open connections are closed)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A started :class:`PostgresServer`, stopped and deleted at the end (RuntimeError when the
    binaries are missing)."""
    bindir = find_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb / pg_ctl)")
    with tempfile.TemporaryDirectory(prefix="helpdesk-pg-") as tmp:
        server = PostgresServer(bindir, Path(tmp))
        server.init()
        server.start()
        try:
            yield server
        finally:
            try:
                server.stop()
            except RuntimeError:
                pass  # already stopped by a test that failed half-way
