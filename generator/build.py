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

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from . import describe
from .arguments import Candidate, assign_names, parameter_candidates
from .errors import Diagnostics, location
from .hooks import package_exports, package_plugins, read_hooks
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
    RESERVED_PY,
    TOOL_NAME_RE,
    clip,
    constant,
    curated_tool_name,
    fallback_tool_name,
    pascal,
    py_identifier,
    snake,
    tag_name,
    with_hash,
)  # fmt: skip
from .schema import FILE_SCHEMA, Converter, is_binary, media_kind, object_view, shape

__all__ = ["build_api"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
KINDS = ("list", "get", "create", "update", "delete", "custom")
_KIND_CATEGORY = {"list": "read", "get": "read", "create": "write", "update": "write",
                  "delete": "write", "custom": "custom"}  # fmt: skip
# Names a resource method must not take: client internals and the names its
# module's annotations use.
_RESERVED_METHODS = RESERVED_PY | {"close", "request"}
# Names a resource group (a client attribute) must not take: the client's own.
_RESERVED_GROUPS = RESERVED_PY | {
    "close", "aclose", "request", "base_url", "timeout", "max_response_bytes", "max_retries", "retry_deadline",
}  # fmt: skip


def build_api(doc: Document, package: str, model_classes: Mapping[str, str], diags: Diagnostics) -> Api:
    """Build the IR of ``doc`` for the generated package ``package``."""
    raw = doc.raw
    xapi: Mapping[str, Any] = raw.get("x-api") or {}
    info = raw.get("info") or {}
    app = str(xapi.get("app") or snake(package))
    env_prefix = snake(package).upper()
    conv = Converter(doc, model_classes)
    schemes = _auth_schemes(doc, diags)
    operations: list[Operation] = []
    for path, item in (raw.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        item = doc.resolve(item)
        for method in item:
            if method not in HTTP_METHODS:
                continue
            where = location("paths", path, method)
            try:
                op = _operation(doc, conv, app, path, method, item, where, schemes, diags)
            except Exception as exc:  # a shape of document this builder does not expect
                curated = isinstance(item[method], Mapping) and item[method].get("x-tool")
                report = diags.error if curated else diags.warning
                report(where, f"cannot be generated ({type(exc).__name__}: {exc}); operation skipped")
                continue
            if op is not None:
                operations.append(op)
    operations = _unique_tools(doc, operations, diags)
    client = str(xapi.get("client") or f"{pascal(package)}Client")
    if not client.isidentifier():  # a package called ``_2fa``
        client = f"Api{client}"
    credential = xapi.get("credential") or {}
    credential_env = str(credential.get("env") or f"{env_prefix}_API_KEY")
    servers = _servers(raw, xapi, env_prefix, {credential_env, f"{env_prefix}_BASE_URL"}, diags)
    choice = xapi.get("server_choice") or {}
    variables = _variable_args(servers, _credential_arg(credential_env, env_prefix), choice, package)
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
        exports=package_exports(operations),
        plugins=package_plugins(operations),
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


_CLIENT_KWARGS = {"self", "base_url", "timeout", "max_response_bytes", "max_retries", "retry_deadline", "headers",
                  "http_client"}  # fmt: skip


def _variable_args(
    servers: tuple[Server, ...], credential_arg: str, choice: Mapping[str, Any], package: str
) -> dict[str, tuple[str, str, str]]:
    """Server variable -> (name, client keyword, environment variable); a keyword the
    client constructor already has (``timeout``) gets a ``_var`` suffix."""
    taken = _CLIENT_KWARGS | {credential_arg}
    if choice.get("env"):
        taken.add(py_identifier(snake(str(choice["env"])).removeprefix(snake(package) + "_")))
    variables: dict[str, tuple[str, str, str]] = {}
    for server in servers:
        for name, _default, env in server.variables:
            if name not in variables:
                py = py_identifier(name)
                while py in taken:
                    py = py_identifier(py + "_var")
                taken.add(py)
                variables[name] = (name, py, env)
    return variables


def _credential_arg(env: str, prefix: str) -> str:
    """``DESK365_API_KEY`` -> ``api_key``; ``INTERCOM_ACCESS_TOKEN`` -> ``access_token``."""
    name = snake(env)
    stripped = name.removeprefix(snake(prefix) + "_")
    return py_identifier(stripped if stripped != name or "_" not in name else name) or "api_key"


def _servers(
    raw: Mapping[str, Any], xapi: Mapping[str, Any], prefix: str, taken_envs: set[str], diags: Diagnostics
) -> tuple[Server, ...]:
    """The usable servers. A relative URL (``/api/v3``) is resolved against the
    document's own address, which a generated client does not know: skipped, with
    a warning that says to pass it as ``base_url``. A ``{variable}`` the server does
    not declare is added with an empty default (and a warning), so the client asks
    for it instead of calling a URL with braces in it."""
    env_for = xapi.get("server_variables") or {}
    servers = raw.get("servers")
    out: list[Server] = []
    for i, server in enumerate(servers if isinstance(servers, list) else []):
        where = location("servers", i)
        if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
            diags.warning(where, "server has no url; skipped (pass a base URL at run time)")
            continue
        url = server["url"]
        if "://" not in url:
            diags.warning(where, f"relative server URL {url!r} skipped; pass the full URL as base_url at run time")
            continue
        declared = server.get("variables") if isinstance(server.get("variables"), Mapping) else {}
        specs = {str(name): spec for name, spec in declared.items()}
        for name in _TEMPLATE_VAR.findall(url):
            if name not in specs:
                diags.warning(where, f"server URL variable {{{name}}} is not declared; it has no default")
                specs[name] = {}
        variables = []
        for name, spec in specs.items():
            env = str(env_for.get(name) or f"{prefix}_{snake(name).upper()}")
            if env in taken_envs and name not in env_for:
                env += "_VAR"
            default = spec.get("default", "") if isinstance(spec, Mapping) else ""
            variables.append((name, str(default), env))
        out.append(Server(url, str(server.get("x-name") or f"server{i}"), tuple(variables)))
    if not out:
        diags.warning("servers", "no usable server URL; the client needs base_url or the BASE_URL variable")
    return tuple(out)


def _auth_schemes(doc: Document, diags: Diagnostics) -> tuple[AuthScheme, ...]:
    out: list[AuthScheme] = []
    schemes = (doc.raw.get("components") or {}).get("securitySchemes") or {}
    for name, spec in schemes.items():
        spec = doc.resolve(spec)
        kind = spec.get("type") if isinstance(spec, Mapping) else None
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
    out: list[Group] = []
    # Both class names of a group (``XResource`` and ``AsyncXResource``) share the
    # client module with every other group's and with the runtime's base classes.
    taken = {"SyncResource", "AsyncResource"}
    for name, ops in by_group.items():
        base = pascal(name) or "Default"
        if base[0].isdigit():
            base = "_" + base
        cls = base + "Resource"
        if cls in taken or "Async" + cls in taken:
            cls = f"{base}{with_hash('', name).lstrip('_')}Resource"
        taken |= {cls, "Async" + cls}
        out.append(Group(name, cls, name, tuple(ops)))
    return tuple(out)


def _unique_tools(doc: Document, operations: list[Operation], diags: Diagnostics) -> list[Operation]:
    """Drop or rename operations whose tool name, client method or constant is taken.

    A curated name that is taken is an error (the curator chose it); an uncurated
    one gets a short hash of its method and path, with a warning.
    """
    seen: dict[str, str] = {}
    methods: dict[tuple[str, str], str] = {}
    consts: set[str] = set()
    out: list[Operation] = []
    for op in operations:
        item = doc.resolve(doc.raw["paths"][op.path])
        curated = bool(item[op.method.lower()].get("x-tool"))
        salt = f"{op.method} {op.path}"
        name, py_method = op.tool.name, op.py_method
        if name in seen:
            if curated:
                diags.error(op.where, f"tool name {name!r} is already used by {seen[name]}")
                continue
            while name in seen:
                name = with_hash(name, salt)
                salt += "'"
            diags.warning(
                op.where, f"tool name {op.tool.name!r} is already used by {seen[op.tool.name]}; named {name!r}"
            )
        if (op.group, py_method) in methods:
            if curated:
                diags.error(
                    op.where,
                    f"client method {op.group}.{py_method} is already used by {methods[(op.group, py_method)]}",
                )
                continue
            py_method = py_identifier(name)
            while (op.group, py_method) in methods or py_method in _RESERVED_METHODS:
                py_method = with_hash(py_method, salt, limit=200)
                salt += "'"
        const = constant(name)
        while const in consts:
            const = constant(with_hash(const, salt, limit=200))
            salt += "'"
        seen[name] = op.where
        methods[(op.group, py_method)] = op.where
        consts.add(const)
        if (name, py_method, const) != (op.tool.name, op.py_method, op.const):
            op = replace(op, key=name, const=const, py_method=py_method, tool=replace(op.tool, name=name))
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
    servers = raw_op.get("servers") or item.get("servers")
    if servers not in (None, [], doc.raw.get("servers")):  # another host: the runtime has one base URL
        here = location(where if raw_op.get("servers") else where.rsplit(".", 1)[0], "servers")
        diags.warning(
            here, "servers of its own are not supported (calls would go to the document's server); operation skipped"
        )
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
    built = _arguments(doc, conv, raw_op, item, path, where, diags)
    if built is None:
        return None
    arguments, constants, body, exclusive = built
    category = (
        xtool.get("category")
        or _KIND_CATEGORY.get(str(kind))
        or ("read" if method in ("get", "head", "options") else "write")
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
    hooks = read_hooks(xtool, [a.name for a in arguments], response.output_schema, where, diags)
    if hooks.note:
        description += "\n" + hooks.note
    title = str(xtool.get("title") or describe.plain(raw_op.get("summary")) or name.replace("_", " ").capitalize())
    tool = Tool(
        name=name,
        title=title,
        category=category if category in ("read", "write", "custom") else "custom",
        tags=_tags(raw_op),
        description=description,
        input_schema=input_schema,
        output_schema=hooks.output_schema,
        read_only=read_only,
        destructive=bool(intent.get("destructive", method in ("delete", "put"))) and not read_only,
        idempotent=bool(intent.get("idempotent", method in ("get", "head", "options", "put", "delete"))),
        open_world=bool(intent.get("open_world", True)),
        exclusive=exclusive,
        transform=hooks.transform,
        error_hints=hooks.error_hints,
    )
    group = py_identifier(str(xtool.get("resource") or _fallback_group(raw_op, path)))
    if group in _RESERVED_GROUPS:
        group += "_"
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
        auth=_op_auth(doc.raw, raw_op, schemes, where, diags),
        deprecated=bool(raw_op.get("deprecated")),
        where=where,
        tool=tool,
        checks=hooks.checks,
    )


def _tags(raw_op: Mapping[str, Any]) -> tuple[str, ...]:
    tags = raw_op.get("tags")
    out: list[str] = []
    for tag in tags if isinstance(tags, list) else ():
        name = tag_name(tag)
        if name and name not in out:
            out.append(name)
    return tuple(out)


_VERSION_SEGMENT = re.compile(r"^(v\d+(_\d+)*|api|rest)$")  # snake-cased segments


def _fallback_group(raw_op: Mapping[str, Any], path: str) -> str:
    """The client group of an uncurated operation: its first tag, else its first
    path segment that is not a version (``/v3/tickets/{id}`` -> ``tickets``)."""
    tags = _tags(raw_op)
    if tags:
        return tags[0]
    segments = [snake(s) for s in path.split("/") if s and not s.startswith("{")]
    segments = [s for s in segments if s]
    named = [s for s in segments if not _VERSION_SEGMENT.match(s)]
    return (named or segments or ["default"])[0]


def _check_xtool(xtool: Mapping[str, Any], where: str, diags: Diagnostics) -> None:
    here = location(where, "x-tool")
    kind = xtool.get("kind")
    if kind not in KINDS:
        diags.error(here, f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if kind == "custom" and not xtool.get("method") and not xtool.get("name"):
        diags.error(here, "a custom kind needs `method`")
    if not xtool.get("resource"):
        diags.error(here, "`resource` is required")


def _op_auth(
    raw: Mapping[str, Any],
    raw_op: Mapping[str, Any],
    schemes: tuple[AuthScheme, ...],
    where: str,
    diags: Diagnostics,
) -> tuple[str, ...]:
    """The schemes to fill for one operation: its own ``security`` (an override,
    ``[]`` for none) or the document's; the first requirement the runtime can meet."""
    own = "security" in raw_op
    requirements = raw_op.get("security") if own else raw.get("security")
    if not isinstance(requirements, list) or not requirements:
        return ()
    known = {s.name for s in schemes}
    for requirement in requirements:
        if not isinstance(requirement, Mapping):
            continue
        if not requirement:  # {} means "no auth" is an accepted alternative
            return ()
        names = tuple(str(n) for n in requirement if n in known)
        if len(names) == len(requirement):
            return names
    wanted = " or ".join(" + ".join(map(str, r)) for r in requirements if isinstance(r, Mapping))
    diags.warning(
        location(where, "security") if own else "security",
        f"no supported security scheme meets the requirement ({wanted}); calls are sent without credentials",
    )
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
    doc: Document,
    conv: Converter,
    raw_op: Mapping[str, Any],
    item: Mapping[str, Any],
    path: str,
    where: str,
    diags: Diagnostics,
) -> tuple[list[Argument], list[Constant], Body | None, tuple[tuple[str, ...], ...]] | None:
    candidates: list[Candidate] = []
    constants: list[Constant] = []
    query_groups: list[tuple[str, ...]] = []
    for p, ploc in _param_list(doc, item, raw_op, where):
        if p.get("x-tool-hidden"):
            schema_node: Any = p.get("schema")
            if schema_node is None and isinstance(p.get("content"), Mapping) and p["content"]:
                schema_node = (next(iter(p["content"].values())) or {}).get("schema", {})
            default = doc.resolve(schema_node or {}).get("default")
            if default is None:
                diags.error(ploc, "x-tool-hidden needs a schema default to send")
            else:
                constants.append(Constant(p["in"], str(p["name"]), str(default)))
            continue
        got = parameter_candidates(doc, p, ploc, diags)
        if got is None:
            return None
        candidates += got[0]
        query_groups += got[1]
    candidates = _match_path_template(path, candidates, where, diags)
    body: Body | None = None
    body_groups: tuple[tuple[str, ...], ...] = ()
    raw_body = doc.resolve(raw_op.get("requestBody")) if raw_op.get("requestBody") else None
    if isinstance(raw_body, Mapping) and isinstance(raw_body.get("content"), Mapping) and raw_body["content"]:
        built = _body(doc, conv, raw_body, location(where, "requestBody"), diags)
        if built is None:
            return None
        body, body_candidates, body_groups = built
        candidates += body_candidates
    named = assign_names(candidates, diags, strict=bool(raw_op.get("x-tool")))
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
        elif encoding == "text":
            schema, py_type, encoding = {"type": "string"}, "str", "plain"
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
    in_body = {c.native: t for c, t, _ in named if c.location in ("body", "form", "file", "whole")}
    in_query = {c.native: t for c, t, _ in named if c.location == "query"}
    exclusive = tuple(tuple(in_body.get(n, n) for n in group) for group in body_groups) + tuple(
        tuple(in_query.get(n, n) for n in group) for group in query_groups
    )
    return arguments, constants, body, exclusive


_TEMPLATE_VAR = re.compile(r"\{([^{}]+)\}")


def _match_path_template(path: str, candidates: list[Candidate], where: str, diags: Diagnostics) -> list[Candidate]:
    """Make the path parameters and the ``{variables}`` of the path agree.

    A variable without a parameter becomes a required string argument (else the
    request would go out with a literal ``{id}``); a path parameter that is not in
    the template is left out (its value could go nowhere). Both are warnings.
    """
    variables = _TEMPLATE_VAR.findall(path)
    declared = {c.native for c in candidates if c.location == "path"}
    out = []
    for c in candidates:
        if c.location == "path" and c.native not in variables:
            diags.warning(c.where, f"path parameter {c.native!r} is not in the path {path!r}; parameter left out")
            continue
        out.append(c)
    for name in variables:
        if name not in declared:
            declared.add(name)
            also = [c.location for c in out if c.native == name]
            note = f" (the {also[0]} parameter of that name is sent as well)" if also else ""
            diags.warning(where, f"path variable {{{name}}} has no path parameter; added as a required string{note}")
            out.append(
                Candidate(
                    name,
                    "path",
                    where,
                    {"schema": {"type": "string"}, "required": True, "description": "", "encoding": "plain"},
                )
            )
    return out


def _body(
    doc: Document, conv: Converter, raw_body: Mapping[str, Any], bloc: str, diags: Diagnostics
) -> tuple[Body, list[Candidate], tuple[tuple[str, ...], ...]] | None:
    """The body's arguments: its top-level properties (``flat``) or one ``body`` argument.

    JSON objects and forms are flattened; scalar and array JSON, free-form maps and
    unions travel whole; text media take a string and any other media a file.
    A form that is not an object of fields cannot be sent: operation skipped.
    """
    media, spec, kind = _pick_media(raw_body["content"])
    body_required = bool(raw_body.get("required"))
    schema_node = (spec or {}).get("schema") or {} if isinstance(spec, Mapping) else {}
    resolved = conv.convert(schema_node, "request")
    here = location(bloc, "content", media)
    view = object_view(resolved) if kind in ("json", "multipart", "form") else None
    if kind == "json" and resolved.get("additionalProperties") not in (None, False):
        view = None
    candidates: list[Candidate] = []
    exclusive: tuple[tuple[str, ...], ...] = ()
    if view is not None:
        props, required, exclusive = view
        for name, sub in props.items():
            loc_kind, enc = ("body", "plain") if kind == "json" else ("form", "plain")
            if loc_kind == "form" and is_binary(sub):
                loc_kind, enc = "file", "file"
            elif loc_kind == "form" and sub.get("type") == "array" and is_binary(sub.get("items") or {}):
                loc_kind, enc = "file", "files"
            elif kind == "form" and sub.get("type") == "array" and shape(doc, sub.get("items") or {}) != "object":
                enc = "plain"  # exploded: name=a&name=b
            elif loc_kind == "form" and sub.get("type") in ("object", "array"):
                enc = "json"
            if kind == "form" and loc_kind == "file":
                diags.warning(
                    location(here, "schema", "properties", name),
                    "a file in an application/x-www-form-urlencoded body cannot be sent; operation skipped",
                )
                return None
            candidates.append(
                Candidate(
                    name,
                    loc_kind,
                    location(here, "schema", "properties", name),
                    {
                        "converted": sub,
                        "raw": _raw_property(doc, schema_node, name),
                        "required": body_required and name in required,
                        "description": sub.get("description", ""),
                        "encoding": enc,
                    },
                )
            )
        # multipart and urlencoded are sent by their bare media type; JSON as declared.
        return Body(media if kind == "json" else _kind_media(kind), "flat", body_required), candidates, exclusive
    if kind in ("multipart", "form"):
        diags.warning(here, "a form body must be an object with fixed properties; operation skipped")
        return None
    enc = {"json": "plain", "text": "text", "binary": "file"}[kind]
    if kind == "json" and is_binary(resolved):
        enc = "file"
    description = describe.plain(raw_body.get("description")) or "The request body."
    candidates.append(
        Candidate(
            "body",
            "whole",
            here,
            {
                "converted": resolved,
                "raw": schema_node,
                "required": body_required,
                "description": description,
                "encoding": enc,
            },
        )
    )
    sent_as = "application/octet-stream" if "*" in media else media
    return Body(sent_as, "whole", body_required), candidates, exclusive


def _kind_media(kind: str) -> str:
    return {"multipart": "multipart/form-data", "form": "application/x-www-form-urlencoded"}[kind]


def _raw_property(doc: Document, schema_node: Any, name: str) -> Any:
    node = doc.resolve(schema_node)
    if not isinstance(node, Mapping):
        return None
    for part in [node, *[doc.resolve(p) for p in node.get("allOf") or []]]:
        props = part.get("properties") if isinstance(part, Mapping) else None
        if isinstance(props, Mapping) and name in props:
            return props[name]
    return None


def _pick_media(content: Mapping[str, Any]) -> tuple[str, Any, str]:
    """The body media type to send: JSON first, then forms, then raw bytes, then text."""
    order = ("json", "multipart", "form", "binary", "text")
    kinds = [(str(media), spec, media_kind(str(media))) for media, spec in content.items()]
    return min(kinds, key=lambda k: order.index(k[2]))


_MODEL = re.compile(r"models\.\w+")


def _is_object_schema(schema: dict[str, Any]) -> bool:
    """Whether every value ``schema`` admits is a JSON object: ``type: object``, or no
    type and an ``allOf`` whose parts are all objects (vendor documents compose
    responses that way). MCP output schemas must say ``type: object`` at the top."""
    if "type" in schema:
        return schema["type"] == "object"
    if "anyOf" in schema or "oneOf" in schema:
        return False
    parts = schema.get("allOf")
    return bool(parts) and all(isinstance(p, dict) and _is_object_schema(p) for p in parts)


def _union(annotation: str) -> str:
    """``A | A | None`` -> ``A | None`` (top-level members only)."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(annotation + "|"):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            part = annotation[start:i].strip()
            if part not in parts:
                parts.append(part)
            start = i + 1
    return " | ".join(parts)


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
        if media_kind(str(media)) == "json":
            converted = conv.convert(schema_node, "response")
            py_type = conv.py_type(schema_node, "response")
            path, method = where.split(".", 1)[1].rsplit(".", 1)
            hoisted = conv.model_classes.get(f"inline {method} {path}")
            if hoisted and "$ref" not in schema_node:
                py_type = f"models.{hoisted}"
            model = py_type[len("models.") :] if _MODEL.fullmatch(py_type) else None
            if model is None and "models." in py_type:
                # The runtime parses one model class; a union or a list of models
                # arrives as plain JSON data and is typed as such.
                py_type = _union(_MODEL.sub("dict[str, Any]", py_type))
            output = None
            # MCP requires an output schema of type "object" exactly; a response that
            # may be something else (Desk365 deletes answer an object or a string)
            # gets none, and its result is text (plus structuredContent when a dict).
            if _is_object_schema(converted) and "properties" in converted:
                output = {"type": "object", **conv.output_schema(converted)}
            return Response(status, media, "json", py_type, model, output)
    media = str(next(iter(content)))
    if media_kind(media) == "text" or media == "*/*":
        return Response(status, media, "text", "str", None, None)
    return Response(status, media, "bytes", "bytes", None, None)
