"""API-level IR: the servers, security schemes and rate-limit headers the client is built from.

Relative server URLs are skipped (a generated client does not know the
document's own address); a ``{variable}`` a server does not declare gets an empty
default (and a warning) so the client asks for it instead of calling a URL with
braces in it. Security schemes the runtime can fill from one credential are kept:
API keys in a header, query or cookie, and bearer or basic HTTP auth (OAuth2 and
OpenID Connect tokens are sent as bearer tokens). :func:`client_doc` writes the
client's constructor documentation from the namer's keywords and the one table
of client options (:data:`generator.runtime.http.CLIENT_OPTIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..curation import XApi
from ..errors import Diagnostics, location
from ..ir import AuthScheme, RateLimitHeaders, Server
from ..load import Document
from ..namer import Namer
from ..runtime.http import CLIENT_OPTIONS
from .parameters import TEMPLATE_VAR

__all__ = ["auth_schemes", "client_doc", "operation_auth", "ratelimit", "servers"]


def servers(raw: Mapping[str, Any], namer: Namer, diags: Diagnostics) -> tuple[Server, ...]:
    """The usable servers of the document (see the module docstring)."""
    found = raw.get("servers")
    out: list[Server] = []
    for i, server in enumerate(found if isinstance(found, list) else []):
        where = location("servers", i)
        if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
            diags.warning(where, "server has no url; skipped (pass a base URL at run time)")
            continue
        url = server["url"]
        if "://" not in url:
            diags.warning(where, f"relative server URL {url!r} skipped; pass the full URL as base_url at run time")
            continue
        declared = server.get("variables")
        specs = {str(name): spec for name, spec in declared.items()} if isinstance(declared, Mapping) else {}
        for name in TEMPLATE_VAR.findall(url):
            if name not in specs:
                diags.warning(where, f"server URL variable {{{name}}} is not declared; it has no default")
                specs[name] = {}
        variables = []
        for name, spec in specs.items():
            default = spec.get("default", "") if isinstance(spec, Mapping) else ""
            variables.append((name, str(default), namer.server_variable_env(name)))
        out.append(Server(url, str(server.get("x-name") or f"server{i}"), tuple(variables)))
    if not out:
        diags.warning("servers", "no usable server URL; the client needs base_url or the BASE_URL variable")
    return tuple(out)


def auth_schemes(doc: Document, diags: Diagnostics) -> tuple[AuthScheme, ...]:
    """The security schemes the runtime can fill from the one credential."""
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


def operation_auth(
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


def ratelimit(xapi: XApi) -> RateLimitHeaders:
    """Which vendor headers carry the rate limit."""
    spec = xapi.ratelimit
    return RateLimitHeaders(spec.limit, spec.remaining, spec.reset, spec.reset_format)


def client_doc(
    namer: Namer, variables: tuple[tuple[str, str, str], ...], xapi: XApi, names: list[str], basic: bool = False
) -> str:
    """The ``Args:`` section of the client classes' docstring; ``names`` are the servers';
    ``basic`` says an operation sends the credential as HTTP Basic."""
    lines = [
        "Args:",
        f"    {namer.credential_arg}: the credential; default: the {namer.credential_env} environment variable.",
    ]
    if basic:
        lines.append(
            "        HTTP Basic takes it as `user:password`; without a colon it is the user, with no password."
        )
    for name, py, env in variables:
        lines.append(f"    {py}: the `{name}` of the server URL; default: {env}.")
    choice = xapi.server_choice
    if choice is not None:
        lines.append(
            f"    {namer.server_arg}: which server ({', '.join(names)}); default: {choice.env}, "
            f"else {choice.default or names[0]}."
        )
    for option in CLIENT_OPTIONS:
        first, *rest = (line.format(base_url_env=namer.base_url_env) for line in option.doc)
        lines += [f"    {option.name}: {first}", *(f"    {line}" for line in rest)]
    return "\n".join(lines)
