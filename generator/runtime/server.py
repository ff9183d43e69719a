"""The command line of a generated MCP server: ``python -m <package>``.

:func:`main` serves the package's tools over stdio (default) or streamable HTTP,
with start-up filters, a base-URL override for mocks, and an allowed directory
for local files. HTTP mode serves either one endpoint at ``--path`` or, with
``--endpoints``, many token-scoped endpoints at ``/mcp/<token>`` from an
endpoint store (``endpoints``, ``httpapp``); ``python -m <package> endpoints
...`` creates, lists and revokes them (``endpoints_cli``).

This module belongs to the *hosting* layer of the runtime (transports and
endpoints), the top of its five one-way layers (core <- quirks <- client <- host
<- hosting; ``generator/parts.py`` is the table). It re-exports the host's
:class:`ToolHost`, :func:`build_server` and :func:`select_tools`, which the
generated ``server.py`` imports from here. What only HTTP needs is imported
only when HTTP is asked for. What a person reads at start-up (a problem as one
line, the warning for a missing credential, the line an HTTP server prints once
it listens, ``--version``) is worded in ``startup``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import limits
from .host import ToolHost, build_server, select_tools
from .settings import default_store, mcp_env
from .spec import ApiSpec, ToolSpec
from .startup import credential_warning, guarded, http_url, serve_http, server_url_problem, version_line

__all__ = ["ToolHost", "build_server", "main", "select_tools"]


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _parser(api: ApiSpec, prog: str, version: str = "") -> argparse.ArgumentParser:
    variables = sorted({env for s in api.servers for _, _, env in s.variables})
    env_lines = [f"  {api.credential_env}  the API credential (required for the real API)"]
    env_lines += [f"  {env}  server URL variable" for env in variables]
    if api.server_choice_env:
        names = ", ".join(s.name for s in api.servers)
        env_lines.append(f"  {api.server_choice_env}  which server to use ({names})")
    env_lines.append(f"  {api.base_url_env}  override the base URL (a mock, a proxy)")
    env_lines.append(f"  {mcp_env(api, 'ENDPOINTS_DB')}  the endpoint store (see --endpoints-db)")
    env_lines.append(f"  {mcp_env(api, 'ADMIN_TOKEN')}  enables the management API (see --admin-token-file)")
    env_lines.append(f"  {mcp_env(api, 'PUBLIC_URL')}  base of endpoint URLs (see --public-url)")
    env_lines += limits.env_help(api)
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"MCP server for the {api.title} API (generated). Serves one tool per API "
        "operation over stdio (default) or streamable HTTP.",
        epilog=f"command:\n  {prog} endpoints create|list|revoke  manage token-scoped HTTP endpoints "
        f"(see {prog} endpoints --help)\n\nenvironment:\n" + "\n".join(env_lines),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--transport", choices=("stdio", "http"), default="stdio", help="stdio (default) or streamable HTTP"
    )
    parser.add_argument("--host", default="127.0.0.1", help="HTTP: address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="HTTP: port (default 8000)")
    parser.add_argument("--path", help="HTTP: the single endpoint's path (default /mcp; not with --endpoints)")
    parser.add_argument(
        "--endpoints",
        action="store_true",
        help="HTTP: serve the token-scoped endpoints of the store at /mcp/<token> instead of one endpoint at --path",
    )
    parser.add_argument(
        "--endpoints-db",
        help=f"the endpoint store: a SQLite file, or a postgresql:// URL shared by several processes; "
        f"default ${mcp_env(api, 'ENDPOINTS_DB')}, else {default_store(api)}",
    )
    parser.add_argument(
        "--admin-token-file",
        type=Path,
        help="with --endpoints: serve the management API (POST/GET /endpoints, DELETE /endpoints/{id}) to "
        f"requests bearing the token in this file; also ${mcp_env(api, 'ADMIN_TOKEN')}; none: API disabled",
    )
    parser.add_argument(
        "--public-url",
        help="with --endpoints: base of the URLs the management API returns (default: the request's own)",
    )
    parser.add_argument(
        "--json-response", action="store_true", help="HTTP: answer with plain JSON instead of an SSE stream"
    )
    parser.add_argument("--stateless", action="store_true", help="HTTP: no sessions (each request stands alone)")
    parser.add_argument("--methods", help="only tools of these categories: read,write,custom")
    parser.add_argument("--tags", help="only tools carrying one of these tags (comma-separated)")
    parser.add_argument("--tools", help="only these tools (comma-separated names)")
    parser.add_argument(
        "--discovery",
        action="store_true",
        help="list three tools that search, describe and call the API's tools, instead of one tool per "
        "operation (for large APIs); the filters and endpoint scopes still apply",
    )
    parser.add_argument(
        "--base-url", help=f"send requests here instead of the real API (e.g. a mock); also {api.base_url_env}"
    )
    parser.add_argument("--allow-dir", type=Path, help="let file arguments name local files inside this directory")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per upstream call (default 30)")
    parser.add_argument(
        "--max-response-bytes",
        type=int,
        default=8 * 1024 * 1024,
        help="refuse upstream answers larger than this (default 8 MiB)",
    )
    parser.add_argument("--list-tools", action="store_true", help="print the selected tool names and exit")
    parser.add_argument(
        "--log-level",
        default="warning",
        type=_log_level,
        metavar="LEVEL",
        help=f"log level on stderr: {', '.join(LOG_LEVELS)} (default warning)",
    )
    limits.add_options(parser)
    if version:
        parser.add_argument("--version", action="version", version=version)
    return parser


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
_TRACE = 5  # uvicorn's level below DEBUG (raw protocol events)


def _log_level(text: str) -> str:
    """A ``--log-level`` value, lower-cased; an unknown one is a usage error (exit 2)."""
    level = text.strip().lower()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"unknown level {text!r}; use one of {', '.join(LOG_LEVELS)}")
    return level


def _port(text: str) -> int:
    """A ``--port`` value: 0-65535 (a usage error otherwise, not a traceback from bind)."""
    if not text.strip().isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def _missing_config(api: ApiSpec, base_url: str | None, credential: bool = True) -> list[str]:
    """What must be set to reach the real API; ``credential``: whether any tool sends it."""
    if base_url or os.environ.get(api.base_url_env):
        return []
    missing = []
    if credential and not os.environ.get(api.credential_env):
        missing.append(api.credential_env)
    for server in api.servers[:1]:
        missing += [env for _, _, env in server.variables if not os.environ.get(env)]
    return missing


def main(
    api: ApiSpec,
    tools: Sequence[ToolSpec],
    client_factory: Callable[..., Any],
    *,
    version: str,
    prog: str,
    argv: Sequence[str] | None = None,
    source: str = "",
) -> int:
    """The command line of a generated server (see ``--help``); ``version`` is the document's,
    ``source`` its file name. A problem found while starting is one line on stderr (``startup``)."""
    return guarded(prog, lambda: _run(api, tools, client_factory, version=version, prog=prog, argv=argv, source=source))


def _run(
    api: ApiSpec,
    tools: Sequence[ToolSpec],
    client_factory: Callable[..., Any],
    *,
    version: str,
    prog: str,
    argv: Sequence[str] | None,
    source: str,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["endpoints"]:
        from .endpoints_cli import run as endpoints_command

        return endpoints_command(api, tools, f"{prog} endpoints", argv[1:])
    args = _parser(api, prog, version_line(api.package, source, version) if source else "").parse_args(argv)
    logging.addLevelName(_TRACE, "TRACE")
    logging.basicConfig(
        level=_TRACE if args.log_level == "trace" else args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        bounds = limits.from_args(args, api)
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    try:
        selected = select_tools(tools, methods=_csv(args.methods), tags=_csv(args.tags), names=_csv(args.tools))
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.list_tools:
        print("\n".join(t.name for t in selected))
        return 0
    no_url = server_url_problem(api, args.base_url)
    if no_url:
        print(f"{prog}: {no_url}", file=sys.stderr)
        return 2
    missing = _missing_config(api, args.base_url, any(t.operation.auth for t in selected))
    if missing:
        print(
            f"{prog}: set {', '.join(missing)} to reach the real {api.title} API, or pass --base-url to use a mock",
            file=sys.stderr,
        )
        return 2
    if args.allow_dir is not None and not args.allow_dir.is_dir():
        print(f"{prog}: --allow-dir {args.allow_dir} is not a directory", file=sys.stderr)
        return 2
    problem = _http_option_problem(args)
    if problem:
        print(f"{prog}: {problem}", file=sys.stderr)
        return 2
    admin_token = None
    if args.endpoints:
        try:
            admin_token = _admin_token(api, args.admin_token_file)
        except (OSError, ValueError) as exc:
            print(f"{prog}: {exc}", file=sys.stderr)
            return 2
    client = client_factory(base_url=args.base_url, timeout=args.timeout, max_response_bytes=args.max_response_bytes)
    warning = credential_warning(api, args.base_url, selected)
    if warning:
        print(f"{prog}: {warning}", file=sys.stderr, flush=True)
    host = ToolHost(api, selected, client, allowed_dir=args.allow_dir, max_file_bytes=bounds.max_file_bytes,
                    result_tokens=bounds.max_result_tokens)  # fmt: skip
    if args.transport == "stdio":
        import anyio
        from mcp.server.stdio import stdio_server

        from .logs import install_redaction

        # an upstream may echo the credential (a header, an error body) and debug logs print response headers
        install_redaction(redactor=host.redactor)
        server = build_server(host, name=f"{api.package}-mcp", version=version, discovery=args.discovery)

        async def run() -> None:
            async with stdio_server() as (read, write):
                await server.run(read, write, server.create_initialization_options())

        anyio.run(run)
        return 0
    from .httpapp import single_endpoint_app

    app: Any
    store_secrets: list[str] = []
    registry: Any = None
    if args.endpoints:
        from .endpoints import StoreUnavailable
        from .httpapp import endpoints_app

        try:
            registry, store_secrets, where = _endpoint_registry(api, tools, args.endpoints_db)
            active = len(registry.list())
        except StoreUnavailable as exc:  # unreachable, unreadable, a newer schema: say why and stop
            print(f"{prog}: {exc}", file=sys.stderr)
            return 1
        served, path, detail = f"{active} active endpoint{'s' * (active != 1)}", "/mcp/<token>", f" (store: {where})"
        app = endpoints_app(
            host, registry, name=f"{api.package}-mcp", version=version,
            json_response=args.json_response, stateless=args.stateless, bind_host=args.host,
            admin_token=admin_token, public_url=args.public_url or os.environ.get(mcp_env(api, "PUBLIC_URL")),
            limits=bounds, discovery=args.discovery,
        )  # fmt: skip
    else:
        app = single_endpoint_app(
            host, name=f"{api.package}-mcp", version=version, path=args.path or "/mcp",
            json_response=args.json_response, stateless=args.stateless, bind_host=args.host, limits=bounds,
            discovery=args.discovery,
        )  # fmt: skip
        served, path, detail = f"{len(selected)} tools", args.path or "/mcp", ""
    try:
        _serve_http(app, args, host, [admin_token or "", *store_secrets], bounds, prog,
                    announce=lambda port: f"{prog}: serving {served} at {http_url(args.host, port, path)} "
                    f"over streamable HTTP{detail}; Ctrl-C stops")  # fmt: skip
    finally:
        if registry is not None:  # the last connection to a SQLite store takes its -wal and -shm files with it
            registry.store.close()
    return 0


def _serve_http(app: Any, args: argparse.Namespace, host: ToolHost, secrets: list[str],
                bounds: limits.Limits, prog: str, announce: Callable[[int], str]) -> None:  # fmt: skip
    """Run ``app`` under uvicorn with the connection timeouts, quiet logs and, for an
    unauthenticated endpoint beyond loopback, a warning nobody can miss; ``announce(port)``
    is printed once the socket listens (``startup.serve_http``)."""
    from .connections import uvicorn_options
    from .hostguard import exposure_warning, host_policy
    from .logs import install_redaction

    policy = host_policy(args.host, hosts=bounds.allowed_hosts, origins=bounds.allowed_origins)
    warning = exposure_warning(args.host, authenticated=args.endpoints, policy=policy)
    if warning:
        print(f"{prog}: {warning}", file=sys.stderr, flush=True)
    # uvicorn logs through the root handlers (log_config=None), whose formatter drops tokens and secrets
    for secret in secrets:  # the admin token, a PostgreSQL URL's password
        host.redactor.add(secret, token=False)
    install_redaction(redactor=host.redactor)
    timeouts = uvicorn_options(keep_alive_timeout=bounds.keep_alive_timeout, header_timeout=bounds.header_timeout,
                               body_timeout=bounds.body_timeout)  # fmt: skip
    serve_http(app, announce, host=args.host, port=args.port, log_level=args.log_level, log_config=None, ws="none",
               **timeouts)  # fmt: skip


def _http_option_problem(args: argparse.Namespace) -> str | None:
    """Why the HTTP options do not fit together, or None."""
    if args.endpoints and args.transport != "http":
        return "--endpoints needs --transport http"
    if args.endpoints and args.path is not None:
        return "--path does not apply with --endpoints (each endpoint is served at /mcp/<token>)"
    if not args.endpoints and (args.admin_token_file or args.public_url or args.endpoints_db):
        return "--admin-token-file, --public-url and --endpoints-db need --endpoints"
    return None


def _admin_token(api: ApiSpec, path: Path | None) -> str | None:
    """The management API's admin token (file, else environment), or None: API disabled."""
    env = mcp_env(api, "ADMIN_TOKEN")
    token = path.read_text().strip() if path is not None else (os.environ.get(env) or "").strip()
    if not token:
        if path is not None:
            raise ValueError(f"--admin-token-file {path} is empty")
        return None
    if len(token) < 32:
        source = f"--admin-token-file {path}" if path is not None else env
        raise ValueError(
            f"{source}: the admin token must be at least 32 characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return token


# -- the endpoint store ---------------------------------------------------------------------


def _endpoint_registry(api: ApiSpec, tools: Sequence[ToolSpec], given: str | None) -> tuple[Any, list[str], str]:
    """The ``--endpoints`` registry over the store ``given`` names (``stores.open_store``), the
    secrets to keep out of logs (a database password) and the store as it may be shown. Raises
    ``StoreUnavailable``."""
    from .endpoints import EndpointRegistry, utc_now
    from .settings import injected_clock, store_location
    from .stores import masked, open_store, password_of

    location = store_location(api, given)
    store = open_store(location, api.package)
    password = password_of(location)
    registry = EndpointRegistry(store, tools, clock=injected_clock(api) or utc_now)
    return registry, [password] if password else [], masked(location)
