"""Build layer: a loaded document -> the frozen IR (:mod:`generator.ir`).

Every decision is made here, in this order:

1. a :class:`~generator.namer.Namer` for the package decides the package-level
   names (client classes, keywords, environment variables);
2. the models module's input is collected (:func:`generator.models.model_set`;
   the IR refers to models by schema pointer), contradictory ``allOf`` members
   settled (:func:`generator.compose.settle_contradictions`), and the security
   schemes read (:func:`.client.auth_schemes`);
3. each operation is drafted (:mod:`.operation`: parameters, bodies, responses,
   schemas, description, annotations, hooks) with the names it *wants*; its
   identifier arguments are then typed as the answers carry them (:mod:`.ids`);
4. the namer settles every operation's names at once, in document order, and the
   drafts become frozen :class:`~generator.ir.Operation` objects under them;
5. the API level (:mod:`.client`: servers, rate-limit headers, the client's
   documentation) completes the :class:`~generator.ir.Api`.

Curation extensions (``x-api``, ``x-tool``; typed in :mod:`generator.curation`,
see ``openapi/README.md``) override what the HTTP method implies. Problems are
collected as located diagnostics; an operation the generator cannot express is
skipped with a warning, never generated half-right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import describe
from ..compose import settle_contradictions
from ..curation import HTTP_METHODS
from ..errors import Diagnostics, location
from ..hooks import package_exports, package_plugins
from ..ir import Api, AuthScheme, Group, Operation
from ..load import Document
from ..models import model_set, schema_pointer
from ..namer import Namer
from ..runtime.http import CLIENT_OPTIONS
from ..schema import Converter
from . import client
from .ids import ReturnedIds
from .operation import Draft, draft

__all__ = ["build_api"]


def build_api(doc: Document, package: str, diags: Diagnostics) -> Api:
    """Build the IR of ``doc`` for the generated package ``package``."""
    raw = doc.raw
    xapi = doc.curation.api
    info = raw.get("info") or {}
    namer = Namer(package, xapi, diags)
    models, hoisted = model_set(raw, namer)
    models = settle_contradictions(models, doc, diags)
    components = (raw.get("components") or {}).get("schemas") or {}
    conv = Converter(doc, frozenset(schema_pointer(name) for name in components))
    schemes = client.auth_schemes(doc, diags)
    drafts: list[tuple[Draft, Any]] = []
    for path, item in (raw.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        item = doc.resolve(item)
        for method in item:
            if method not in HTTP_METHODS:
                continue
            try:
                found = draft(doc, conv, namer, path, method, item, schemes, hoisted.get((path, method)), diags)
            except Exception as exc:  # a shape of document this builder does not expect
                report = diags.error if doc.curation.tool(path, method) else diags.warning
                why = f"cannot be generated ({type(exc).__name__}: {exc}); operation skipped"
                report(location("paths", path, method), why)
                continue
            if found is not None:
                drafts.append((found, found.wanted))
    returned = ReturnedIds.of(doc)  # identifier arguments typed as the answers carry them
    drafts = [(d.declaring_ids(returned), wanted) for d, wanted in drafts]
    operations = [d.finish(names) for d, names in namer.operations(drafts)]
    servers = client.servers(raw, namer, diags)
    variables = namer.variable_args([(name, env) for s in servers for name, _, env in s.variables])
    if operations and not any(op.auth for op in operations):
        env = namer.credential_env
        if schemes:
            diags.warning(
                "security", f"no operation asks for a security scheme the client can fill; {env} is never sent"
            )
        else:
            diags.warning(
                "components.securitySchemes",
                f"the document declares no security scheme: calls go without credentials and {env} is not used",
            )
    return Api(
        package=package,
        app=namer.app,
        title=str(xapi.title or info.get("title") or package),
        version=str(info.get("version", "")),
        source=doc.source,
        sha256=doc.sha256,
        description=describe.plain(info.get("description", "")),
        client_class=namer.client_class,
        async_client_class=namer.async_client_class,
        credential_env=namer.credential_env,
        credential_arg=namer.credential_arg,
        variable_args=variables,
        server_arg=namer.server_arg,
        base_url_env=namer.base_url_env,
        client_doc=client.client_doc(
            namer, variables, xapi, [s.name for s in servers], basic=_uses_basic(operations, schemes)
        ),
        server_choice_env=namer.server_choice_env,
        servers=servers,
        default_server=str((xapi.server_choice.default if xapi.server_choice else None) or ""),
        auth_schemes=schemes,
        ratelimit=client.ratelimit(xapi),
        operations=tuple(operations),
        groups=_groups(operations, namer),
        models=models,
        client_options=CLIENT_OPTIONS,
        warnings=tuple(str(d) for d in diags.warnings),
        exports=package_exports(operations),
        plugins=package_plugins(operations),
    )


def _uses_basic(operations: list[Operation], schemes: tuple[AuthScheme, ...]) -> bool:
    basic = {s.name for s in schemes if s.kind == "basic"}
    return any(basic & set(op.auth) for op in operations)


def _groups(operations: list[Operation], namer: Namer) -> tuple[Group, ...]:
    by_group: dict[str, list[Operation]] = {}
    for op in operations:
        by_group.setdefault(op.group, []).append(op)
    classes = namer.group_classes(list(by_group))
    return tuple(Group(name, classes[name], name, tuple(ops)) for name, ops in by_group.items())
