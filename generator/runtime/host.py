"""The MCP host of a generated package: tool calls on the SDK's low-level ``Server``.

:class:`ToolHost` owns what a server does per call: it holds the tool specs, the
async client and the options; it refuses tools outside the active filters,
validates arguments against the advertised schema (nothing is sent when they are
wrong), decodes files, calls the typed client's operation dispatch, and turns
every outcome into a ``CallToolResult``: ``structuredContent`` plus a JSON text
rendering on success, ``isError`` with a readable message otherwise, the
normalised rate limit in ``_meta`` either way. No exception escapes as a
JSON-RPC internal error.

Every result passes one last step, :meth:`ToolHost._redacted`, whatever made
it: its :class:`~.redact.Redactor` (the credential from the start; the hosting
part adds the admin token and the endpoint tokens it sees, and may give it a
way to recognise tokens by their hash) replaces secrets in every text, in
``structuredContent`` and in ``_meta``. An upstream that echoes the credential
in a 2xx body therefore shows it to nobody.

:func:`build_server` wraps a host in the SDK's low-level ``Server`` (with
``discovery``, behind the three tools of ``discovery`` that search, describe and
call its tools); :func:`select_tools` applies the start-up filters. This module is the *host*
part of the runtime: it uses the client part and knows nothing of transports,
which the *hosting* part (``server``, ``httpapp``, ``endpoints``) adds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .coerce import coerce_arguments
from .errors import ApiError, ArgumentError, ClientError, RateLimitError
from .files import DEFAULT_MAX_FILE_BYTES, file_from_tool
from .hooks import error_hint, transform_result
from .redact import Redactor
from .results import DEFAULT_BUDGET_TOKENS, fields_problem, shaped, to_text
from .spec import CATEGORIES, ApiSpec, ToolSpec

__all__ = ["ToolHost", "build_server", "select_tools"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".server")


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
            raise ValueError(f"unknown method category {', '.join(bad)}; use read, write or custom")
    if tags:
        known_tags = {tag for t in tools for tag in t.tags}
        bad = [g for g in tags if g not in known_tags]
        if bad:
            raise ValueError(f"unknown tag {', '.join(bad)}; known tags: {', '.join(sorted(known_tags))}")
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
            "path": {"type": "string", "description": "A file path relative to the server's allowed directory."},
        }
        out["required"] = []
        out["anyOf"] = [{"required": ["content_base64", "filename"]}, {"required": ["path"]}]
    return out


class ToolHost:
    """Executes tool calls for one API (see the module docstring).

    ``allowed_dir`` lets file arguments name local files inside it, each at most
    ``max_file_bytes`` long (also the cap of base64 files; None: no cap);
    ``redactor`` scrubs results (default: one that knows the client's credential).
    """

    def __init__(
        self,
        api: ApiSpec,
        tools: Sequence[ToolSpec],
        client: Any,
        *,
        allowed_dir: Path | None = None,
        max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
        redactor: Redactor | None = None,
        result_tokens: int | None = DEFAULT_BUDGET_TOKENS,
    ) -> None:
        self.api = api
        self.tools = {t.name: t for t in tools}
        self.client = client
        self.allowed_dir = allowed_dir
        self.max_file_bytes = max_file_bytes
        self.redactor = redactor or Redactor([getattr(client, "_credential", None)])
        # the result budget in bytes of JSON: a token is about four of them
        self.result_budget = result_tokens * 4 if result_tokens else None
        self._schemas = {t.name: (_with_paths(t.input_schema) if allowed_dir else t.input_schema) for t in tools}
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
    def _result(self, text: str, *, error: bool, structured: Any = None, meta: Mapping[str, Any] | None = None) -> Any:
        from mcp.types import CallToolResult, TextContent

        return CallToolResult(
            content=[TextContent(type="text", text=text)],
            structured_content=structured,
            is_error=error,
            _meta=dict(meta) if meta else None,
        )

    async def _redacted(self, result: Any) -> Any:
        """``result`` with every secret the redactor knows or recognises replaced, in every part."""
        texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
        also = await self.redactor.learn(*texts)  # only a redactor that can recognise tokens does anything
        scrubbed = [self.redactor.text(t, also) for t in texts]
        changed = scrubbed != texts
        structured = result.structured_content
        # A successful result's text is the JSON of its structuredContent, so a secret in one is
        # in the other (JSON-escaped forms are among those redacted); an error has no structuredContent.
        if structured is not None and changed:
            structured = self.redactor.value(structured, also)
        meta = result.meta
        if meta:
            meta = self.redactor.value(meta, also)
        if not changed and structured is result.structured_content and meta == result.meta:
            return result
        return self._result("\n".join(scrubbed), error=bool(result.is_error), structured=structured, meta=meta)

    async def call(
        self, name: str, arguments: Mapping[str, Any] | None, allowed: Callable[[str], bool] | None = None
    ) -> Any:
        """Run one tool call and return its ``CallToolResult``; never raises."""
        try:
            result = await self._call(name, arguments, allowed)
        except Exception as exc:  # the server must keep serving whatever happens
            logger.error("unexpected %s in tool %s", type(exc).__name__, name)
            result = self._result(
                f"{name} failed with an internal error ({type(exc).__name__}); the server is still running", error=True
            )
        return await self._redacted(result)

    async def _call(self, name: str, arguments: Mapping[str, Any] | None, allowed: Callable[[str], bool] | None) -> Any:
        spec = self.tools.get(name)
        if spec is None or (allowed is not None and not allowed(name)):
            return self._result(
                f"tool {name!r} is not available on this server "
                "(unknown, or outside this server's filters); nothing was sent",
                error=True,
            )
        args = dict(arguments or {})
        fields = spec.view.fields
        if fields and args.get(fields) is not None:  # the projection: read here, never sent upstream
            problem = fields_problem(args[fields])
            if problem:
                return self._result(f"invalid arguments for {name}: {fields} {problem}. Nothing was sent.", error=True)
            if isinstance(args[fields], list):
                args[fields] = ",".join(args[fields])
        from .validation import validate_arguments

        args = coerce_arguments(self._schemas[name], args)  # the unambiguous forms models write (coerce)
        problems = validate_arguments(
            self._schemas[name], args, spec.exclusive, spec.operation.checks, spec.at_least_one
        )
        if not problems:
            for arg, kind in spec.wire_types:  # an id given as the API returns it, sent as the operation takes it
                if kind == "integer" and isinstance(args.get(arg), str):
                    args[arg] = int(args[arg])
        if not problems and spec.flat_body and spec.body_schema is not None:
            # a union body given as flat arguments: assemble it, and check its shape's own rules
            body = {arg: args.pop(arg) for arg in spec.flat_body if arg in args}
            problems = validate_arguments(spec.body_schema, body)
            args[next(p.arg for p in spec.operation.params if p.location == "whole")] = body
        if problems:
            return self._result(
                f"invalid arguments for {name}: " + "; ".join(problems) + ". Nothing was sent.", error=True
            )
        try:
            for p in spec.operation.params:
                # A file part, or a whole body of raw bytes (application/octet-stream).
                if (p.location == "file" or p.encoding == "file") and args.get(p.arg) is not None:
                    value = args[p.arg]
                    cap, root = self.max_file_bytes, self.allowed_dir
                    if p.encoding == "files":
                        args[p.arg] = [file_from_tool(v, f"{p.arg}[{i}]", root, cap) for i, v in enumerate(value)]
                    else:
                        args[p.arg] = file_from_tool(value, p.arg, root, cap)
        except ArgumentError as exc:
            return self._result(f"invalid arguments for {name}: {exc}. Nothing was sent.", error=True)
        try:
            # the checks ran in validate_arguments above: the client does not run them again
            response = await self.client.request(spec.operation, args, checked=True)
        except ApiError as exc:
            return self._api_error(exc, error_hint(spec, exc.status, args))
        # the client's encoding rules (path segments, headers), raised before anything is sent
        except ArgumentError as exc:
            return self._result(f"invalid arguments for {name}: {exc}. Nothing was sent.", error=True)
        except ClientError as exc:  # anything else reaches call(), which keeps the server serving
            return self._result(f"{name} failed: {exc}", error=True)
        meta = response.ratelimit.as_fields()
        if response.data is None:  # 204, or an empty body: say what happened, not "null"
            done = f"Done: {self.api.title} answered HTTP {response.status} with no content."
            # a client checks structuredContent against a declared outputSchema: an empty object fits it
            return self._result(done, error=False, structured={} if spec.output_schema else None, meta=meta)
        data = transform_result(spec, response.data, args)  # x-tool.result (hooks); raw data without one
        if isinstance(data, bytes):
            text = f"(binary response of {len(data)} bytes)"
        elif isinstance(data, str):
            text = data
        else:
            data, text = shaped(spec.view, data, args, self.result_budget, spec.operation.paging)  # (results)
        structured = None
        if spec.output_schema is not None:
            structured = data if isinstance(data, dict) else {}
            mismatch = _output_mismatch(spec.output_schema, structured)
            if mismatch:  # clients reject structuredContent that breaks the advertised outputSchema
                return self._result(
                    f"{self.api.title} answered HTTP {response.status}, but the response does not match the "
                    f"documented shape ({mismatch}); the call may still have taken effect. Response: {text}",
                    error=True, meta=meta)  # fmt: skip
        elif isinstance(data, dict):
            structured = data
        return self._result(text, error=False, structured=structured, meta=meta)

    def _api_error(self, exc: ApiError, hint: str | None = None) -> Any:
        """One message per upstream error: the vendor's text once, what its body adds
        beyond that text, the headers that point somewhere, the rate limit."""
        fields = exc.ratelimit.as_fields()
        text = (hint + "\n" if hint else "") + f"{exc.api} answered HTTP {exc.status}"
        if exc.message:
            text += f": {exc.message}"
        details = _beyond(exc.body, exc.message, exc.status)
        if details is not None:
            body = to_text(details)
            text += f"\nDetails: {body if len(body) <= 600 else body[:597] + '...'}"
        for name in _POINTING_HEADERS:
            if exc.headers.get(name):
                text += f"\n{name.title()} header: {exc.headers[name]}"
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


# Headers an error answer may point with (Intercom's 410 for a merged contact names the
# contact it was merged into in ``Link``); tool descriptions tell the model to read them.
_POINTING_HEADERS = ("link", "location")


def _beyond(body: Any, message: str, status: int) -> Any:
    """What an error body says beyond its ``message`` (and the status), or None: the
    vendor's text is shown once, its codes and ids are kept."""
    if isinstance(body, list):
        rest = [r for r in (_beyond(b, message, status) for b in body) if r is not None]
        return rest or None
    if not isinstance(body, dict):
        return None
    out: dict[str, Any] = {}
    for key, value in body.items():
        if value is None or value == "" or value == status:
            continue
        if isinstance(value, str) and value.strip() and (value in message or message.startswith(value)):
            continue
        if isinstance(value, dict | list):
            value = _beyond(value, message, status)
            if value is None:
                continue
        out[key] = value
    if set(out) <= {"type"}:  # a bare ``{"type": "error.list"}`` adds nothing
        return None
    return out


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
    discovery: bool = False,
) -> Any:
    """A low-level MCP ``Server`` serving ``host``'s tools (``allowed`` narrows further);
    with ``discovery``, the three tools that search, describe and call them (``discovery``)."""
    from mcp.server import Server
    from mcp.types import ListToolsResult

    if discovery:
        from .discovery import Discovery

        meta = Discovery(host, allowed)

        async def list_meta(ctx: Any, params: Any) -> Any:
            return ListToolsResult(tools=meta.listing())

        async def call_meta(ctx: Any, params: Any) -> Any:
            return await meta.call(params.name, params.arguments)

        return Server(
            name,
            version=version,
            instructions=instructions,
            get_tool_input_schema=meta.input_schema,
            on_list_tools=list_meta,
            on_call_tool=call_meta,
        )

    async def on_list_tools(ctx: Any, params: Any) -> Any:
        tools = host.listing()
        if allowed is not None:
            tools = [t for t in tools if allowed(t.name)]
        return ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: Any) -> Any:
        return await host.call(params.name, params.arguments, allowed)

    def input_schema(tool: str) -> Mapping[str, Any] | None:  # nothing about a tool outside ``allowed``
        return host.input_schema(tool) if allowed is None or allowed(tool) else None

    return Server(
        name,
        version=version,
        instructions=instructions,
        get_tool_input_schema=input_schema,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )
