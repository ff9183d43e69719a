"""Serving the mock: the command line (``helpdesk-mcp mock API``, ``python -m helpdesk_mock API``)
and :func:`serve_in_thread` for tests and benchmarks.

The command builds the app with the chosen settings and document, prints the
base URL, the credential to use and a command that starts the matching
generated MCP server against it (with the very interpreter that runs the mock,
so it works without an activated virtualenv), then serves with uvicorn until
interrupted.
"""

from __future__ import annotations

import shlex
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .app import available_apis, create_app
from .plugin import MockSettings

__all__ = ["command", "serve", "serve_in_thread"]


def serve(api: str, *, document: Path, host: str, port: int, settings: MockSettings, log_level: str) -> None:
    """Run the mock of ``api`` on ``host:port`` (blocks until interrupted)."""
    import uvicorn

    app = create_app(api, document=document, settings=settings)
    x_api = app.document.get("x-api") or {}
    env = (x_api.get("credential") or {}).get("env") or "API_KEY"
    package = x_api.get("name") or api
    url = f"http://{host}:{port}"
    credential = settings.credential or "mock-key"
    rule = "only this value" if settings.credential else "any non-empty value works"
    python = shlex.quote(sys.executable)
    click.echo(f"{x_api.get('title') or api} mock ({len(app.spec.operations)} operations) on {url}", err=True)
    click.echo(f"credential: {credential!r} ({rule})", err=True)
    click.echo(f"try: {env}={shlex.quote(credential)} {python} -m generated.{package} --base-url {url}", err=True)
    if settings.features:
        click.echo(f"features: {', '.join(sorted(settings.features))}", err=True)
    if settings.ratelimit is not None:
        click.echo(f"rate limit: {settings.ratelimit} requests per {settings.ratelimit_window:g} s", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, lifespan="on")


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Run the ASGI ``app`` under uvicorn on 127.0.0.1 (a random free port) in a daemon
    thread; yield its base URL. Used wherever a real HTTP hop is under test."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, access_log=False, ws="none", lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:  # wait for start-up, not for timing
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@click.command(name="mock", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("api")
@click.option("--document", type=click.Path(dir_okay=False, path_type=Path),
              help="The OpenAPI document to serve (default: openapi/API.yaml in the current directory).")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=4010, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--ratelimit", type=click.IntRange(min=0), help="Requests allowed per window (default: no limit).")
@click.option("--ratelimit-window", default=60.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Length of the rate-limit window in seconds.")  # fmt: skip
@click.option("--enable", "features", multiple=True, metavar="FEATURE",
              help="Turn on a tenant feature (Desk365: contracts). Repeatable.")  # fmt: skip
@click.option("--credential", help="Accept only this API key or token (default: any non-empty one).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))  # fmt: skip
def command(api: str, document: Path | None, host: str, port: int, ratelimit: int | None, ratelimit_window: float,
            features: tuple[str, ...], credential: str | None, log_level: str) -> None:  # fmt: skip
    """Run a stateful mock of API (e.g. desk365) that validates every request against
    the curated document and answers with realistic fixtures."""
    import logging

    known = available_apis()
    if api not in known:
        raise click.BadParameter(f"no mock for {api!r}; choose one of {', '.join(known) or 'none'}", param_hint="API")
    document = document or Path("openapi") / f"{api}.yaml"
    if not document.is_file():
        raise click.BadParameter(
            f"no OpenAPI document at {document}; run from the project's root or pass --document PATH",
            param_hint="--document",
        )
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s: %(name)s: %(message)s")
    settings = MockSettings(ratelimit=ratelimit, ratelimit_window=ratelimit_window, features=set(features),
                            credential=credential)  # fmt: skip
    serve(api, document=document, host=host, port=port, settings=settings, log_level=log_level)
