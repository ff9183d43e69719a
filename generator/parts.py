"""The runtime's parts: which module of ``generator/runtime`` belongs where, and what a package carries.

The runtime (``generator/runtime``, copied into each package as ``_runtime``)
is layered; a module may import only modules of its own layer or of a lower
one, so the imports go one way (``tests/test_runtime_parts.py`` checks every
``import`` statement, the lazy ones inside functions included):

1. ``core``     static descriptions and the shapes every other part uses
2. ``quirks``   vendor plug-ins (each imports ``core`` only) and their index
3. ``client``   the typed client's behaviour: encoding, sending, named hooks
4. ``host``     MCP tool calls on the SDK's low-level server
5. ``hosting``  the command line, HTTP transports and token-scoped endpoints

``core`` + ``quirks`` + ``client`` is what a library user of the typed client
runs; ``host`` and ``hosting`` are the MCP server. Every package carries every
part except the plug-ins: only those its document names (``x-tool.checks``,
``x-tool.result``) are copied, and the ``quirks`` index is written to list
exactly them (:func:`runtime_modules`).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LAYERS", "PLUGINS", "INDEX", "OPTIONAL", "layer_of", "runtime_modules"]

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("__init__", "version", "spec", "errors", "ratelimit", "wire", "redact", "files")),
    ("quirks", ("quirks", "scroll", "search", "timeline")),
    ("client", ("hooks", "httpstack", "body", "serialize", "encode", "interpret", "http", "paging")),
    ("host", ("coerce", "validation", "results", "host", "discovery")),
    (
        "hosting",
        (
            "settings",
            "limits",
            "logs",
            "hostguard",
            "sessions",
            "connections",
            "endpoints",
            "sqlitestore",
            "pgstore",
            "stores",
            "endpoints_cli",
            "asgi",
            "management",
            "httpapp",
            "startup",
            "server",
        ),
    ),
)
"""The runtime's layers, lowest first, with their modules."""

OPTIONAL: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "postgres": (("psycopg", "psycopg_pool"), ("psycopg[binary,pool]",)),
}
"""Optional runtime features: name -> (the top-level modules only that feature imports, the
requirements that provide them). ``pgstore`` imports psycopg, but only a ``postgresql://``
endpoint store imports ``pgstore``, so a vendored copy gets psycopg only when asked
(``helpdesk-mcp vendor --with postgres``); the ``postgres`` extra of ``pyproject.toml`` is
the same set for this project."""

INDEX = "quirks"
"""The module that lists the plug-ins a package carries (written per package)."""

PLUGINS: tuple[str, ...] = tuple(m for name, modules in LAYERS if name == "quirks" for m in modules if m != INDEX)
"""The quirk plug-in modules; a package carries only those it uses."""


def layer_of(module: str) -> int:
    """The position of ``module``'s layer in :data:`LAYERS` (KeyError when it has none)."""
    for position, (_, modules) in enumerate(LAYERS):
        if module in modules:
            return position
    raise KeyError(module)


def runtime_modules(plugins: Iterable[str]) -> list[str]:
    """The runtime modules a package carries, given the plug-ins it uses, in layer order."""
    used = set(plugins)
    return [m for _, modules in LAYERS for m in modules if m not in PLUGINS or m in used]
