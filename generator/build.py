"""Build layer: a loaded document -> the frozen IR (:mod:`generator.ir`).

Every decision is made here: names (via :mod:`naming` and the collision policy
in :mod:`arguments`), which arguments a tool takes and where each one goes, the
tool schemas (via :mod:`schema`), annotations and descriptions (via
:mod:`describe`). Curation extensions (``x-api``, ``x-tool``; see
``openapi/README.md``) override what the HTTP method implies. Problems are
collected as located diagnostics; an operation the generator cannot express is
skipped with a warning, never generated half-right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import describe
from .arguments import Candidate, assign_names
from .errors import Diagnostics, location
from .ir import (
    Api,
    Argument,
    AuthScheme,
    Body,
    Constant,
    Group,
    Operation,
    RateLimitHeaders,
    Response,
    Server,
    Tool,
)  # fmt: skip
from .load import Document
from .naming import (
    TOOL_NAME_RE,
    clip,
    constant,
    curated_tool_name,
    fallback_tool_name,
    pascal,
    py_identifier,
    snake,
)  # fmt: skip
from .schema import FILE_SCHEMA, Converter, is_binary, loosen, object_view

__all__ = ["build_api"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
KINDS = ("list", "get", "create", "update", "delete", "custom")
_KIND_CATEGORY = {"list": "read", "get": "read", "create": "write", "update": "write",
                  "delete": "write", "custom": "custom"}  # fmt: skip
# Names a resource method must not take: client internals and the names its
# module's annotations use.
_RESERVED_METHODS = {
    "close",
    "request",
    "str",
    "int",
    "float",
    "bool",
    "dict",
    "bytes",
    "builtins",
    "Any",
    "Literal",
    "Sequence",
    "cast",
    "models",
    "ops",
    "FileInput",
}


def build_api(doc: Document, package: str, model_classes: Mapping[str, str], diags: Diagnostics) -> Api:
    """Build the IR of ``doc`` for the generated package ``package``."""
    raw = doc.raw
    xapi: Mapping[str, Any] = raw.get("x-api") or {}
    info = raw.get("info") or {}
    app = str(xapi.get("app") or snake(package))
    env_prefix = snake(package).upper()
    conv = Converter(doc, model_classes)
    schemes = _auth_schemes(raw, diags)
    operations: list[Operation] = []
    for path, item in (raw.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        item = doc.resolve(item)
        for method in item:
            if method not in HTTP_METHODS:
                continue
            where = location("paths", path, method)
            op = _operation(doc, conv, app, path, method, item, where, schemes, diags)
            if op is not None:
                operations.append(op)
    operations = _unique_tools(operations, diags)
    client = str(xapi.get("client") or f"{pascal(package)}Client")
    credential = xapi.get("credential") or {}
    credential_env = str(credential.get("env") or f"{env_prefix}_API_KEY")
    servers = _servers(raw, xapi, env_prefix, diags)
    variables: dict[str, tuple[str, str, str]] = {}
    for server in servers:
        for name, _default, env in server.variables:
            variables.setdefault(name, (name, py_identifier(name), env))
    choice = xapi.get("server_choice") or {}
    return Api(
        package=package,
        app=app,
        title=str(xapi.get("title") or info.get("title") or package),
        version=str(info.get("version", "")),
        source=doc.source,
        sha256=doc.sha256,
        description=describe.plain(info.get("description", "")),
        client_class=client,
        async_client_class=f"Async{client}",
        credential_env=credential_env,
        credential_arg=_credential_arg(credential_env, env_prefix),
        variable_args=tuple(variables.values()),
        server_arg=py_identifier(snake(str(choice["env"])).removeprefix(snake(package) + "_"))
        if choice.get("env")
        else None,
        base_url_env=f"{env_prefix}_BASE_URL",
        client_doc=_client_doc(credential_env, env_prefix, tuple(variables.values()), choice, servers),
        server_choice_env=choice.get("env"),
        servers=servers,
        default_server=str(choice.get("default") or ""),
        auth_schemes=schemes,
        ratelimit=_ratelimit(xapi),
        operations=tuple(operations),
        groups=_groups(operations),
        model_classes=tuple(sorted(set(model_classes.values()))),
        warnings=tuple(str(d) for d in diags.warnings),
    )


# -- API level -----------------------------------------------------------------------


def _client_doc(
    credential_env: str,
    prefix: str,
    variables: tuple[tuple[str, str, str], ...],
    choice: Mapping[str, Any],
    servers: tuple[Server, ...],
) -> str:
    lines = [
        "Args:",
        f"    {_credential_arg(credential_env, prefix)}: the credential; default: the "
        f"{credential_env} environment variable.",
    ]
    for name, py, env in variables:
        lines.append(f"    {py}: the `{name}` of the server URL; default: {env}.")
    if choice.get("env"):
        names = ", ".join(s.name for s in servers)
        lines.append(
            f"    {py_identifier(snake(str(choice['env'])).removeprefix(snake(prefix).lower() + '_'))}: "
            f"which server ({names}); default: {choice['env']}, else {choice.get('default') or servers[0].name}."
        )
    lines += [
        f"    base_url: send requests here instead (a mock, a proxy); default: {prefix}_BASE_URL, else the server URL.",
        "    timeout: seconds for a whole call, the answer included (default 30).",
        "    max_response_bytes: refuse larger answers (default 8 MiB).",
        "    max_retries: retry 429/503 answers this many times, honouring Retry-After and the",
        "        rate-limit reset, with jitter (default 0: errors pass straight through).",
        "    retry_deadline: never retry past this many seconds after the first attempt.",
        "    headers: extra headers sent with every request.",
        "    http_client: an httpx client to send with (transports, proxies, tests).",
    ]
    return "\n".join(lines)


def _credential_arg(env: str, prefix: str) -> str:
    """``DESK365_API_KEY`` -> ``api_key``; ``INTERCOM_ACCESS_TOKEN`` -> ``access_token``."""
    name = snake(env)
    stripped = name.removeprefix(snake(prefix) + "_")
    return py_identifier(stripped if stripped != name or "_" not in name else name) or "api_key"


def _servers(raw: Mapping[str, Any], xapi: Mapping[str, Any], prefix: str, diags: Diagnostics) -> tuple[Server, ...]:
    env_for = xapi.get("server_variables") or {}
    out: list[Server] = []
    for i, server in enumerate(raw.get("servers") or []):
        if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
            diags.warning(location("servers", i), "server has no url; skipped (pass a base URL at run time)")
            continue
        variables = tuple(
            (
                str(name),
                str((spec or {}).get("default", "")),
                str(env_for.get(name) or f"{prefix}_{snake(name).upper()}"),
            )
            for name, spec in (server.get("variables") or {}).items()
        )
        out.append(Server(server["url"], str(server.get("x-name") or f"server{i}"), variables))
    if not out:
        diags.warning("servers", "no usable server URL; the client needs base_url or the BASE_URL variable")
    return tuple(out)


def _auth_schemes(raw: Mapping[str, Any], diags: Diagnostics) -> tuple[AuthScheme, ...]:
    out: list[AuthScheme] = []
    schemes = (raw.get("components") or {}).get("securitySchemes") or {}
    for name, spec in schemes.items():
        spec = spec or {}
        kind = spec.get("type")
        if kind == "apiKey" and spec.get("in") in ("header", "query", "cookie"):
            out.append(AuthScheme(name, spec["in"], str(spec.get("name", ""))))
        elif kind == "http" and str(spec.get("scheme", "")).lower() == "bearer":
            out.append(AuthScheme(name, "bearer", "Authorization"))
        elif kind == "http" and str(spec.get("scheme", "")).lower() == "basic":
            out.append(AuthScheme(name, "basic", "Authorization"))
        elif kind in ("oauth2", "openIdConnect"):
            out.append(AuthScheme(name, "bearer", "Authorization"))
        else:
            diags.warning(
                location("components", "securitySchemes", name), f"unsupported security scheme type {kind!r}; ignored"
            )
    return tuple(out)


def _ratelimit(xapi: Mapping[str, Any]) -> RateLimitHeaders:
    spec = xapi.get("ratelimit") or {}
    fmt = spec.get("reset_format", "seconds")
    return RateLimitHeaders(
        spec.get("limit"), spec.get("remaining"), spec.get("reset"), "unix" if fmt == "unix" else "seconds"
    )


def _groups(operations: list[Operation]) -> tuple[Group, ...]:
    by_group: dict[str, list[Operation]] = {}
    for op in operations:
        by_group.setdefault(op.group, []).append(op)
    return tuple(Group(name, pascal(name) + "Resource", name, tuple(ops)) for name, ops in by_group.items())


def _unique_tools(operations: list[Operation], diags: Diagnostics) -> list[Operation]:
    seen: dict[str, str] = {}
    methods: dict[tuple[str, str], str] = {}
    out: list[Operation] = []
    for op in operations:
        if op.tool.name in seen:
            diags.error(op.where, f"tool name {op.tool.name!r} is already used by {seen[op.tool.name]}")
            continue
        if (op.group, op.py_method) in methods:
            diags.error(
                op.where,
                f"client method {op.group}.{op.py_method} is already used by {methods[(op.group, op.py_method)]}",
            )
            continue
        seen[op.tool.name] = op.where
        methods[(op.group, op.py_method)] = op.where
        out.append(op)
    return out


# -- operations ---------------------------------------------------------------------


def _operation(
    doc: Document,
    conv: Converter,
    app: str,
    path: str,
    method: str,
    item: Mapping[str, Any],
    where: str,
    schemes: tuple[AuthScheme, ...],
    diags: Diagnostics,
) -> Operation | None:
    raw_op = item[method]
    if not isinstance(raw_op, Mapping):
        return None
    xtool: Mapping[str, Any] = raw_op.get("x-tool") or {}
    if xtool:
        _check_xtool(xtool, where, diags)
    kind = xtool.get("kind")
    if xtool.get("name"):
        name = str(xtool["name"])
    elif kind in KINDS and xtool.get("resource"):
        name = curated_tool_name(
            app, kind, str(xtool["resource"]), str(xtool.get("singular") or xtool["resource"]), xtool.get("method")
        )
    else:
        name = fallback_tool_name(raw_op.get("operationId"), method, path)
    if not TOOL_NAME_RE.match(name):
        fixed = clip(snake(name) or method)
        if xtool.get("name") or xtool.get("kind"):
            diags.error(location(where, "x-tool"), f"tool name {name!r} does not match ^[A-Za-z0-9._-]{{1,64}}$")
        name = fixed
    conv.begin()
    built = _arguments(doc, conv, raw_op, item, where, diags)
    if built is None:
        return None
    arguments, constants, body, exclusive = built
    category = (
        xtool.get("category") or _KIND_CATEGORY.get(str(kind)) or ("read" if method in ("get", "head") else "write")
    )
    intent = xtool.get("intent") or {}
    read_only = bool(intent.get("read_only", method in ("get", "head", "options")))
    arg_schemas = {a.name: a.schema for a in arguments}
    input_schema: dict[str, Any] = {"type": "object", "properties": arg_schemas}
    required = [a.name for a in arguments if a.required]
    if required:
        input_schema["required"] = required
    input_schema["additionalProperties"] = False
    input_schema = conv.finish(input_schema, "request")
    conv.begin()
    response = _response(doc, conv, raw_op, where)
    usage = describe.plain(xtool.get("usage") or raw_op.get("summary") or raw_op.get("description") or "")
    if xtool and raw_op.get("description") and not xtool.get("usage"):
        usage = describe.plain(raw_op["description"])
    description = describe.tool_description(
        usage=usage or f"{method.upper()} {path}",
        xtool=xtool,
        arguments=arg_schemas,
        json_query=[a.name for a in arguments if a.encoding == "json" and a.location == "query"],
        files=[(a.name, a.encoding) for a in arguments if a.location == "file"],
        deprecated=bool(raw_op.get("deprecated")),
    )
    file_args = {a.name for a in arguments if a.location == "file"}
    extra = [g for g in exclusive if not set(g) <= file_args]  # file groups: said under Files
    if extra:
        description += "\n" + " ".join(f"Give exactly one of {', '.join(f'`{n}`' for n in group)}." for group in extra)
    title = str(xtool.get("title") or describe.plain(raw_op.get("summary")) or name.replace("_", " ").capitalize())
    tool = Tool(
        name=name,
        title=title,
        category=category if category in ("read", "write", "custom") else "custom",
        tags=tuple(snake(str(t)) for t in raw_op.get("tags") or ()),
        description=description,
        input_schema=input_schema,
        output_schema=response.output_schema,
        read_only=read_only,
        destructive=bool(intent.get("destructive", method in ("delete", "put"))) and not read_only,
        idempotent=bool(intent.get("idempotent", method in ("get", "head", "options", "put", "delete"))),
        open_world=bool(intent.get("open_world", True)),
        exclusive=exclusive,
    )
    group = py_identifier(str(xtool.get("resource") or _fallback_group(raw_op, path)))
    py_method = py_identifier(
        str(
            xtool.get("client_method")
            or (xtool.get("method") if kind == "custom" else kind)
            or snake(raw_op.get("operationId") or "")
            or f"{method}_{path}"
        )
    )
    if py_method in _RESERVED_METHODS:
        py_method += "_"
    return Operation(
        key=name,
        const=constant(name),
        method=method.upper(),
        path=path,
        group=group,
        py_method=py_method,
        summary=title,
        docstring=_docstring(usage, arguments, raw_op),
        arguments=tuple(arguments),
        constants=tuple(constants),
        body=body,
        response=response,
        error_statuses=tuple(
            sorted(int(s) for s in (raw_op.get("responses") or {}) if str(s).isdigit() and int(s) >= 400)
        ),
        auth=_op_auth(doc.raw, raw_op, schemes),
        deprecated=bool(raw_op.get("deprecated")),
        where=where,
        tool=tool,
    )


def _fallback_group(raw_op: Mapping[str, Any], path: str) -> str:
    tags = raw_op.get("tags") or []
    if tags:
        return snake(str(tags[0])) or "default"
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    return snake(segments[0]) if segments else "default"


def _check_xtool(xtool: Mapping[str, Any], where: str, diags: Diagnostics) -> None:
    here = location(where, "x-tool")
    kind = xtool.get("kind")
    if kind not in KINDS:
        diags.error(here, f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if kind == "custom" and not xtool.get("method") and not xtool.get("name"):
        diags.error(here, "a custom kind needs `method`")
    if not xtool.get("resource"):
        diags.error(here, "`resource` is required")


def _op_auth(raw: Mapping[str, Any], raw_op: Mapping[str, Any], schemes: tuple[AuthScheme, ...]) -> tuple[str, ...]:
    requirements = raw_op.get("security", raw.get("security"))
    if not requirements:
        return ()
    known = {s.name for s in schemes}
    for requirement in requirements:
        if not requirement:  # {} means "no auth" is an accepted alternative
            return ()
        names = tuple(n for n in requirement if n in known)
        if len(names) == len(requirement):
            return names
    return ()


def _docstring(usage: str, arguments: list[Argument], raw_op: Mapping[str, Any]) -> str:
    lines = [usage or describe.plain(raw_op.get("summary")) or "Call the operation."]
    if arguments:
        lines += ["", "Args:"]
        for a in arguments:
            text = a.description.replace("\n", " ")
            lines.append(f"    {a.py_name}: {text}".rstrip() if text else f"    {a.py_name}: ({a.location} `{a.wire}`)")
    return "\n".join(lines)


# -- arguments and body ---------------------------------------------------------------


def _param_list(
    doc: Document, item: Mapping[str, Any], raw_op: Mapping[str, Any], where: str
) -> list[tuple[Mapping[str, Any], str]]:
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    for source, params in (
        ("parameters", item.get("parameters")),
        (location(where, "parameters"), raw_op.get("parameters")),
    ):
        for i, p in enumerate(params or []):
            p = doc.resolve(p)
            if isinstance(p, Mapping) and "name" in p and "in" in p:
                loc = (
                    location(source, i)
                    if source != "parameters"
                    else location(where.rsplit(".", 1)[0], "parameters", i)
                )
                merged[(str(p["name"]), str(p["in"]))] = (p, loc)
    return list(merged.values())


def _arguments(
    doc: Document, conv: Converter, raw_op: Mapping[str, Any], item: Mapping[str, Any], where: str, diags: Diagnostics
) -> tuple[list[Argument], list[Constant], Body | None, tuple[tuple[str, ...], ...]] | None:
    candidates: list[Candidate] = []
    constants: list[Constant] = []
    for p, ploc in _param_list(doc, item, raw_op, where):
        pin = p["in"]
        if pin not in ("path", "query", "header", "cookie"):
            diags.warning(ploc, f"parameter location {pin!r} is not supported; operation skipped")
            return None
        encoding = "plain"
        schema_node: Any = p.get("schema")
        if schema_node is None and isinstance(p.get("content"), Mapping) and p["content"]:
            media, spec = next(iter(p["content"].items()))
            if "json" not in media:
                diags.warning(ploc, f"parameter content {media!r} is not supported; operation skipped")
                return None
            schema_node, encoding = (spec or {}).get("schema", {}), "json"
        if p.get("x-tool-hidden"):
            default = doc.resolve(schema_node or {}).get("default")
            if default is None:
                diags.error(ploc, "x-tool-hidden needs a schema default to send")
            else:
                constants.append(Constant(pin, str(p["name"]), str(default)))
            continue
        candidates.append(
            Candidate(
                str(p["name"]),
                pin,
                ploc,
                {
                    "schema": schema_node or {},
                    "required": bool(p.get("required")) or pin == "path",
                    "description": p.get("description", ""),
                    "encoding": encoding,
                    "explode": p.get("explode", p.get("style", "form") == "form"),
                },
            )
        )
    body: Body | None = None
    exclusive: tuple[tuple[str, ...], ...] = ()
    raw_body = doc.resolve(raw_op.get("requestBody")) if raw_op.get("requestBody") else None
    if isinstance(raw_body, Mapping) and raw_body.get("content"):
        bloc = location(where, "requestBody")
        picked = _pick_media(raw_body["content"])
        if picked is None:
            diags.warning(
                bloc, f"request body media types {', '.join(raw_body['content'])} are not supported; operation skipped"
            )
            return None
        media, spec = picked
        body_required = bool(raw_body.get("required"))
        schema_node = (spec or {}).get("schema") or {}
        resolved = conv.convert(schema_node, "request")
        view = object_view(resolved) if media != "application/octet-stream" and not media.startswith("text/") else None
        if view is not None and not (resolved.get("additionalProperties") not in (None, False) and "json" in media):
            props, required, exclusive = view
            mode = "flat"
            for name, sub in props.items():
                loc_kind = "body" if "json" in media else "form"
                enc = "plain"
                if loc_kind == "form" and is_binary(sub):
                    loc_kind, enc = "file", "file"
                elif loc_kind == "form" and sub.get("type") == "array" and is_binary(sub.get("items") or {}):
                    loc_kind, enc = "file", "files"
                elif loc_kind == "form" and sub.get("type") in ("object", "array"):
                    enc = "json"
                candidates.append(
                    Candidate(
                        name,
                        loc_kind,
                        location(bloc, "content", media, "schema", "properties", name),
                        {
                            "converted": sub,
                            "raw": _raw_property(doc, schema_node, name),
                            "required": body_required and name in required,
                            "description": sub.get("description", ""),
                            "encoding": enc,
                        },
                    )
                )
        else:
            mode = "whole"
            enc = "plain"
            if media == "application/octet-stream" or is_binary(resolved):
                enc = "file"
            candidates.append(
                Candidate(
                    "body",
                    "whole",
                    location(bloc, "content", media),
                    {
                        "converted": resolved,
                        "raw": schema_node,
                        "required": body_required,
                        "description": describe.plain(raw_body.get("description")) or "The request body.",
                        "encoding": enc,
                    },
                )
            )
        body = Body(media, mode, body_required)
    named = assign_names(candidates, diags)
    arguments: list[Argument] = []
    for c, tool_name, py_name in named:
        payload = c.payload
        if "converted" in payload:
            schema = dict(payload["converted"])
            py_type = conv.py_type(payload["raw"], "request") if payload["raw"] is not None else "Any"
        else:
            schema = conv.convert(payload["schema"], "request")
            py_type = conv.py_type(payload["schema"], "request")
        encoding = payload["encoding"]
        if encoding == "file":
            schema, py_type = dict(FILE_SCHEMA), "FileInput"
        elif encoding == "files":
            schema = {"type": "array", "items": dict(FILE_SCHEMA), "minItems": 1}
            py_type = "Sequence[FileInput]"
        description = describe.plain(payload["description"])
        if description:
            schema["description"] = description
        arguments.append(
            Argument(
                name=tool_name,
                py_name=py_name,
                wire=c.native,
                location=c.location,  # type: ignore[arg-type]
                required=bool(payload["required"]),
                schema=schema,
                py_type=py_type,
                description=description,
                encoding=encoding,
                explode=bool(payload.get("explode", True)),
            )
        )
    # Required first keeps Python signatures readable; all arguments are keyword-only.
    arguments.sort(key=lambda a: not a.required)
    renamed = {c.native: t for c, t, _ in named}
    exclusive = tuple(tuple(renamed.get(n, n) for n in group) for group in exclusive)
    return arguments, constants, body, exclusive


def _raw_property(doc: Document, schema_node: Any, name: str) -> Any:
    node = doc.resolve(schema_node)
    if not isinstance(node, Mapping):
        return None
    for part in [node, *[doc.resolve(p) for p in node.get("allOf") or []]]:
        props = part.get("properties") if isinstance(part, Mapping) else None
        if isinstance(props, Mapping) and name in props:
            return props[name]
    return None


def _pick_media(content: Mapping[str, Any]) -> tuple[str, Any] | None:
    order = (
        "json",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "text/plain",
    )
    for want in order:
        for media, spec in content.items():
            if want == "json" and (media == "application/json" or media.endswith("+json")):
                return media, spec
            if media == want:
                return media, spec
    return None


def _response(doc: Document, conv: Converter, raw_op: Mapping[str, Any], where: str) -> Response:
    responses = raw_op.get("responses") or {}
    codes = sorted((str(c) for c in responses if str(c).startswith("2")), key=str)
    code = codes[0] if codes else ("default" if "default" in responses else None)
    if code is None:
        return Response(200, None, "empty", "None", None, None)
    spec = doc.resolve(responses[code]) or {}
    status = int(code) if code.isdigit() else 200
    content = spec.get("content") or {}
    if not content or status == 204:
        return Response(status, None, "empty", "None", None, None)
    for media, mspec in content.items():
        schema_node = (mspec or {}).get("schema") or {}
        if media == "application/json" or media.endswith("+json"):
            converted = conv.convert(schema_node, "response")
            py_type = conv.py_type(schema_node, "response")
            path, method = where.split(".", 1)[1].rsplit(".", 1)
            hoisted = conv.model_classes.get(f"inline {method} {path}")
            if hoisted and "$ref" not in schema_node:
                py_type = f"models.{hoisted}"
            model = py_type[len("models.") :] if py_type.startswith("models.") else None
            output = None
            # MCP requires an output schema of type "object" exactly; a response that
            # may be something else (Desk365 deletes answer an object or a string)
            # gets none, and its result is text (plus structuredContent when a dict).
            if converted.get("type", "object") == "object" and "properties" in converted:
                output = loosen(conv.finish(converted, "response"))
            return Response(status, media, "json", py_type, model, output)
    media = next(iter(content))
    if media.startswith("text/") or media == "*/*":
        return Response(status, media, "text", "str", None, None)
    return Response(status, media, "bytes", "bytes", None, None)
