# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""The MCP server of a generated package, on the SDK's low-level ``Server``.

:class:`ToolHost` owns what a server does per call: it holds the tool specs, the
async client and the options; it refuses tools outside the active filters,
validates arguments against the advertised schema (nothing is sent when they are
wrong), decodes files, calls the typed client's operation dispatch, and turns
every outcome into a ``CallToolResult``: ``structuredContent`` plus a JSON text
rendering on success, ``isError`` with a readable message otherwise, the
normalised rate limit in ``_meta`` either way. No exception escapes as a
JSON-RPC internal error, and the credential is scrubbed from every text.

:func:`main` is the command line of ``python -m <package>``: stdio (default) or
streamable HTTP, start-up filters, a base-URL override for mocks, and an allowed
directory for local files. HTTP mode serves either one endpoint at ``--path``
or, with ``--endpoints``, many token-scoped endpoints at ``/mcp/<token>`` from
an endpoint store (``endpoints``, ``httpapp``); ``python -m <package> endpoints
...`` creates, lists and revokes them (``endpoints_cli``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import ApiError, ArgumentError, ClientError, RateLimitError
from .files import file_from_tool
from .hooks import error_hint, transform_result
from .spec import ApiSpec, ToolSpec

__all__ = ["ToolHost", "select_tools", "build_server", "main"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".server")
CATEGORIES = ("read", "write", "custom")


def select_tools(
    tools: Sequence[ToolSpec],
    *,
    methods: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
) -> list[ToolSpec]:
    """The tools that pass every given filter (filters combine with AND).

    ``methods`` keeps tools whose category (read / write / custom) is listed;
    ``tags`` keeps tools carrying at least one listed tag; ``names`` keeps the
    listed tools. An unknown category or tool name is an error, not a silent
    empty server.
    """
    if methods:
        bad = [m for m in methods if m not in CATEGORIES]
        if bad:
            raise ValueError(
                f"unknown method category {', '.join(bad)}; use read, write or custom"
            )
    if tags:
        known_tags = {tag for t in tools for tag in t.tags}
        bad = [g for g in tags if g not in known_tags]
        if bad:
            raise ValueError(
                f"unknown tag {', '.join(bad)}; known tags: {', '.join(sorted(known_tags))}"
            )
    if names:
        known = {t.name for t in tools}
        bad = [n for n in names if n not in known]
        if bad:
            raise ValueError(f"unknown tool {', '.join(bad)}")
    out = []
    for t in tools:
        if methods and t.category not in methods:
            continue
        if tags and not set(tags) & set(t.tags):
            continue
        if names and t.name not in names:
            continue
        out.append(t)
    return out


def _with_paths(schema: Any) -> Any:
    """Let file objects name a local ``path`` (only used with an allowed directory)."""
    if isinstance(schema, list):
        return [_with_paths(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _with_paths(v) for k, v in schema.items()}
    props = out.get("properties")
    if isinstance(props, dict) and "content_base64" in props and "filename" in props:
        out["properties"] = {
            **props,
            "path": {
                "type": "string",
                "description": "A file path relative to the server's allowed directory.",
            },
        }
        out["required"] = []
        out["anyOf"] = [
            {"required": ["content_base64", "filename"]},
            {"required": ["path"]},
        ]
    return out


class ToolHost:
    """Executes tool calls for one API (see the module docstring)."""

    def __init__(
        self,
        api: ApiSpec,
        tools: Sequence[ToolSpec],
        client: Any,
        *,
        allowed_dir: Path | None = None,
    ) -> None:
        self.api = api
        self.tools = {t.name: t for t in tools}
        self.client = client
        self.allowed_dir = allowed_dir
        self._schemas = {
            t.name: (_with_paths(t.input_schema) if allowed_dir else t.input_schema)
            for t in tools
        }
        self._listing: list[Any] | None = None

    # -- listing ------------------------------------------------------------------------
    def listing(self) -> list[Any]:
        """The ``Tool`` objects of this host, built once."""
        if self._listing is None:
            from mcp.types import Tool, ToolAnnotations

            self._listing = [
                Tool(
                    name=t.name,
                    title=t.title,
                    description=t.description,
                    input_schema=self._schemas[t.name],
                    output_schema=t.output_schema,
                    annotations=ToolAnnotations(  # the title is the tool's own ``title``, not repeated here
                        read_only_hint=t.read_only,
                        destructive_hint=t.destructive,
                        idempotent_hint=t.idempotent,
                        open_world_hint=t.open_world,
                    ),
                )
                for t in self.tools.values()
            ]
        return self._listing

    def input_schema(self, name: str) -> Mapping[str, Any] | None:
        return self._schemas.get(name)

    # -- calling ------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        secret = getattr(self.client, "_credential", None)
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
        return text

    def _result(
        self,
        text: str,
        *,
        error: bool,
        structured: Any = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Any:
        from mcp.types import CallToolResult, TextContent

        return CallToolResult(
            content=[TextContent(type="text", text=self._scrub(text))],
            structured_content=structured,
            is_error=error,
            _meta=dict(meta) if meta else None,
        )

    async def call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        allowed: Callable[[str], bool] | None = None,
    ) -> Any:
        """Run one tool call and return its ``CallToolResult``; never raises."""
        spec = self.tools.get(name)
        if spec is None or (allowed is not None and not allowed(name)):
            return self._result(
                f"tool {name!r} is not available on this server "
                "(unknown, or outside this server's filters); nothing was sent",
                error=True,
            )
        args = dict(arguments or {})
        from .validation import validate_arguments

        problems = validate_arguments(
            self._schemas[name], args, spec.exclusive, spec.operation.checks
        )
        if problems:
            return self._result(
                f"invalid arguments for {name}: "
                + "; ".join(problems)
                + ". Nothing was sent.",
                error=True,
            )
        try:
            for p in spec.operation.params:
                # A file part, or a whole body of raw bytes (application/octet-stream).
                if (p.location == "file" or p.encoding == "file") and args.get(
                    p.arg
                ) is not None:
                    value = args[p.arg]
                    if p.encoding == "files":
                        args[p.arg] = [
                            file_from_tool(v, f"{p.arg}[{i}]", self.allowed_dir)
                            for i, v in enumerate(value)
                        ]
                    else:
                        args[p.arg] = file_from_tool(value, p.arg, self.allowed_dir)
        except ArgumentError as exc:
            return self._result(
                f"invalid arguments for {name}: {exc}. Nothing was sent.", error=True
            )
        try:
            response = await self.client.request(spec.operation, args)
        except ApiError as exc:
            return self._api_error(exc, error_hint(spec, exc.status, args))
        except ClientError as exc:
            return self._result(f"{name} failed: {exc}", error=True)
        except Exception as exc:  # the server must keep serving whatever happens
            logger.error("unexpected %s in tool %s", type(exc).__name__, name)
            return self._result(
                f"{name} failed with an internal error ({type(exc).__name__}); the server is still running",
                error=True,
            )
        meta = response.ratelimit.as_fields()
        data = transform_result(
            spec, response.data, args
        )  # x-tool.result (hooks); raw data without one
        if isinstance(data, bytes):
            text = f"(binary response of {len(data)} bytes)"
        elif isinstance(data, str):
            text = data
        else:
            text = json.dumps(data, ensure_ascii=False)
        structured = None
        if spec.output_schema is not None:
            structured = data if isinstance(data, dict) else {}
            mismatch = _output_mismatch(spec.output_schema, structured)
            if (
                mismatch
            ):  # clients reject structuredContent that breaks the advertised outputSchema
                return self._result(
                    f"{self.api.title} answered HTTP {response.status}, but the response does not match the "
                    f"documented shape ({mismatch}); the call may still have taken effect. Response: {text}",
                    error=True, meta=meta)  # fmt: skip
        elif isinstance(data, dict):
            structured = data
        return self._result(text, error=False, structured=structured, meta=meta)

    def _api_error(self, exc: ApiError, hint: str | None = None) -> Any:
        fields = exc.ratelimit.as_fields()
        text = (hint + "\n" if hint else "") + f"{exc.api} answered HTTP {exc.status}"
        if exc.message:
            text += f": {exc.message}"
        if isinstance(exc.body, dict | list):
            body = json.dumps(exc.body, ensure_ascii=False)
            if len(body) <= 600:
                text += f"\nUpstream error body: {body}"
        if fields:
            text += "\n" + ", ".join(f"{k}: {v}" for k, v in fields.items())
        if isinstance(exc, RateLimitError):
            wait = exc.ratelimit.reset
            text += "\nRate limited: the call was not retried. " + (
                f"Wait {wait} s (ratelimit-reset) before calling again."
                if wait is not None
                else "Wait before calling again."
            )
        return self._result(text, error=True, meta=fields)


def _output_mismatch(schema: Mapping[str, Any], value: Any) -> str | None:
    """Why ``value`` breaks ``schema`` (checked as the SDK client checks it), or None."""
    from .validation import output_problem

    return output_problem(schema, value)


def build_server(
    host: ToolHost,
    *,
    name: str,
    version: str,
    instructions: str | None = None,
    allowed: Callable[[str], bool] | None = None,
) -> Any:
    """A low-level MCP ``Server`` serving ``host``'s tools (``allowed`` narrows further)."""
    from mcp.server import Server
    from mcp.types import ListToolsResult

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        tools = host.listing()
        if allowed is not None:
            tools = [t for t in tools if allowed(t.name)]
        return ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        return await host.call(params.name, params.arguments, allowed)

    def input_schema(
        tool: str,
    ) -> Mapping[str, Any] | None:  # nothing about a tool outside ``allowed``
        return host.input_schema(tool) if allowed is None or allowed(tool) else None

    return Server(
        name,
        version=version,
        instructions=instructions,
        get_tool_input_schema=input_schema,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


def _csv(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def mcp_env(api: ApiSpec, setting: str) -> str:
    """The environment variable of a server setting, e.g. ``DESK365_MCP_ADMIN_TOKEN``."""
    return f"{api.package.upper()}_MCP_{setting}"


def store_path(api: ApiSpec, given: Path | None) -> Path:
    """The endpoint store: ``given``, else ``$<PACKAGE>_MCP_ENDPOINTS_DB``, else ``./<package>-endpoints.sqlite3``."""
    return given or Path(
        os.environ.get(mcp_env(api, "ENDPOINTS_DB"))
        or f"{api.package}-endpoints.sqlite3"
    )


def _parser(api: ApiSpec, prog: str) -> argparse.ArgumentParser:
    variables = sorted({env for s in api.servers for _, _, env in s.variables})
    env_lines = [
        f"  {api.credential_env}  the API credential (required for the real API)"
    ]
    env_lines += [f"  {env}  server URL variable" for env in variables]
    if api.server_choice_env:
        names = ", ".join(s.name for s in api.servers)
        env_lines.append(f"  {api.server_choice_env}  which server to use ({names})")
    env_lines.append(f"  {api.base_url_env}  override the base URL (a mock, a proxy)")
    env_lines.append(
        f"  {mcp_env(api, 'ENDPOINTS_DB')}  the endpoint store (see --endpoints-db)"
    )
    env_lines.append(
        f"  {mcp_env(api, 'ADMIN_TOKEN')}  enables the management API (see --admin-token-file)"
    )
    env_lines.append(
        f"  {mcp_env(api, 'PUBLIC_URL')}  base of endpoint URLs (see --public-url)"
    )
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"MCP server for the {api.title} API (generated). Serves one tool per API "
        "operation over stdio (default) or streamable HTTP.",
        epilog=f"command:\n  {prog} endpoints create|list|revoke  manage token-scoped HTTP endpoints "
        f"(see {prog} endpoints --help)\n\nenvironment:\n" + "\n".join(env_lines),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default) or streamable HTTP",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="HTTP: address to bind (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="HTTP: port (default 8000)"
    )
    parser.add_argument(
        "--path",
        help="HTTP: the single endpoint's path (default /mcp; not with --endpoints)",
    )
    parser.add_argument(
        "--endpoints",
        action="store_true",
        help="HTTP: serve the token-scoped endpoints of the store at /mcp/<token> instead of one endpoint at --path",
    )
    parser.add_argument(
        "--endpoints-db",
        type=Path,
        help=f"the endpoint store (SQLite file); default ${mcp_env(api, 'ENDPOINTS_DB')}, "
        f"else ./{api.package}-endpoints.sqlite3",
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
        "--json-response",
        action="store_true",
        help="HTTP: answer with plain JSON instead of an SSE stream",
    )
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="HTTP: no sessions (each request stands alone)",
    )
    parser.add_argument(
        "--methods", help="only tools of these categories: read,write,custom"
    )
    parser.add_argument(
        "--tags", help="only tools carrying one of these tags (comma-separated)"
    )
    parser.add_argument("--tools", help="only these tools (comma-separated names)")
    parser.add_argument(
        "--base-url",
        help=f"send requests here instead of the real API (e.g. a mock); also {api.base_url_env}",
    )
    parser.add_argument(
        "--allow-dir",
        type=Path,
        help="let file arguments name local files inside this directory",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds per upstream call (default 30)",
    )
    parser.add_argument(
        "--max-response-bytes",
        type=int,
        default=8 * 1024 * 1024,
        help="refuse upstream answers larger than this (default 8 MiB)",
    )
    parser.add_argument(
        "--list-tools",
        action="store_true",
        help="print the selected tool names and exit",
    )
    parser.add_argument(
        "--log-level", default="WARNING", help="log level on stderr (default WARNING)"
    )
    return parser


def _missing_config(api: ApiSpec, base_url: str | None) -> list[str]:
    if base_url or os.environ.get(api.base_url_env):
        return []
    missing = []
    if not os.environ.get(api.credential_env):
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
) -> int:
    """The command line of a generated server (see ``--help``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["endpoints"]:
        from .endpoints_cli import run as endpoints_command

        return endpoints_command(api, tools, f"{prog} endpoints", argv[1:])
    args = _parser(api, prog).parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        selected = select_tools(
            tools,
            methods=_csv(args.methods),
            tags=_csv(args.tags),
            names=_csv(args.tools),
        )
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.list_tools:
        print("\n".join(t.name for t in selected))
        return 0
    missing = _missing_config(api, args.base_url)
    if missing:
        print(
            f"{prog}: set {', '.join(missing)} to reach the real {api.title} API, or pass --base-url to use a mock",
            file=sys.stderr,
        )
        return 2
    if args.allow_dir is not None and not args.allow_dir.is_dir():
        print(
            f"{prog}: --allow-dir {args.allow_dir} is not a directory", file=sys.stderr
        )
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
    client = client_factory(
        base_url=args.base_url,
        timeout=args.timeout,
        max_response_bytes=args.max_response_bytes,
    )
    host = ToolHost(api, selected, client, allowed_dir=args.allow_dir)
    if args.transport == "stdio":
        import anyio
        from mcp.server.stdio import stdio_server

        from .httpapp import install_redaction

        # an upstream may echo the credential (a header, an error body) and debug logs print response headers
        install_redaction([getattr(client, "_credential", None) or ""])
        server = build_server(host, name=f"{api.package}-mcp", version=version)

        async def run() -> None:
            async with stdio_server() as (read, write):
                await server.run(read, write, server.create_initialization_options())

        anyio.run(run)
        return 0
    import uvicorn

    from .httpapp import install_redaction, single_endpoint_app

    app: Any
    if args.endpoints:
        import sqlite3

        from .endpoints import EndpointRegistry, SqliteEndpointStore
        from .httpapp import endpoints_app

        try:
            store = SqliteEndpointStore(store_path(api, args.endpoints_db), api.package)
        except (OSError, sqlite3.Error) as exc:
            print(f"{prog}: cannot open the endpoint store: {exc}", file=sys.stderr)
            return 1
        app = endpoints_app(
            host, EndpointRegistry(store, tools), name=f"{api.package}-mcp", version=version,
            json_response=args.json_response, stateless=args.stateless, bind_host=args.host,
            admin_token=admin_token, public_url=args.public_url or os.environ.get(mcp_env(api, "PUBLIC_URL")),
        )  # fmt: skip
    else:
        app = single_endpoint_app(
            host, name=f"{api.package}-mcp", version=version, path=args.path or "/mcp",
            json_response=args.json_response, stateless=args.stateless, bind_host=args.host,
        )  # fmt: skip
    # uvicorn logs through the root handlers (log_config=None), whose formatter drops tokens and secrets
    install_redaction([getattr(client, "_credential", None) or "", admin_token or ""])
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level.lower(),
        log_config=None,
        ws="none",
    )
    return 0


def _http_option_problem(args: argparse.Namespace) -> str | None:
    """Why the HTTP options do not fit together, or None."""
    if args.endpoints and args.transport != "http":
        return "--endpoints needs --transport http"
    if args.endpoints and args.path is not None:
        return "--path does not apply with --endpoints (each endpoint is served at /mcp/<token>)"
    if not args.endpoints and (
        args.admin_token_file or args.public_url or args.endpoints_db
    ):
        return "--admin-token-file, --public-url and --endpoints-db need --endpoints"
    return None


def _admin_token(api: ApiSpec, path: Path | None) -> str | None:
    """The management API's admin token (file, else environment), or None: API disabled."""
    env = mcp_env(api, "ADMIN_TOKEN")
    token = (
        path.read_text().strip()
        if path is not None
        else (os.environ.get(env) or "").strip()
    )
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
