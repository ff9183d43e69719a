"""Render layer: IR -> unformatted Python source, one text per generated file.

The models module comes first (:func:`generator.models.render_models`, through
the emit stage's cache): its class names are datamodel-code-generator's, so the
IR's model references are resolved against the class map it reports
(:func:`generator.ir.resolve_type`) before any template sees the IR. When dcg
refuses the schema set, every model reference resolves to plain JSON types and a
located warning says so; every tool still works.

Templates (``generator/templates``) see only the (resolved) IR and three filters:
``py`` turns a value into a Python literal with ``repr`` (the only way document
text reaches code, so a quote or a newline in a description can never break out
of its string), ``docstring`` escapes text for a triple-quoted docstring, and
``parameter`` writes a method parameter the way the formatter would leave it.
The runtime (``generator/runtime``) is copied in as ``_runtime`` with a header,
byte for byte (``make lint`` keeps it formatted in the repository, so emit does
not format it again): the parts every package carries and the quirk plug-ins
this one uses (:mod:`generator.parts`), with the plug-in index written to list
just those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import Diagnostic
from .formatting import LINE_LENGTH
from .ir import Api, Argument, Operation, resolve_type, union_members
from .models import ModelCache, Models, render_models
from .parts import INDEX, runtime_modules

__all__ = ["RUNTIME_DIR", "Rendered", "render_package", "render_root"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
RUNTIME_DIR = Path(__file__).parent / "runtime"
_env: Any = None


@dataclass(frozen=True)
class Rendered:
    """One package's files (path relative to the package -> text), its models module, and
    the IR as rendered: model references resolved, render's own warnings added.
    ``verbatim`` names the files copied as they are (the hand-written runtime, kept
    formatted in the repository): emit never formats them."""

    files: dict[str, str]
    models: Models
    api: Api
    verbatim: frozenset[str] = frozenset()


def _py(value: Any) -> str:
    return repr(value)


def _docstring(text: str) -> str:
    body = str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" in body:
        return f'"""{body}\n"""'
    return f'"""{body}"""'


# Where a parameter of a generated method starts once formatted (``def`` in a class, exploded).
_PARAMETER_INDENT = 8


def _parameter(argument: Argument) -> str:
    """One keyword parameter of a client method: ``name: annotation = default``.

    A union annotation too long for its line is parenthesised here, as black lays it
    out: the formatter keeps parentheses it is given but would otherwise break the
    union over lines without them (a single subscript splits inside its brackets)."""
    annotation = argument.py_type
    default = ""
    if not argument.required:
        annotation += "" if annotation.endswith("| None") else " | None"
        default = " = None"
    too_long = _PARAMETER_INDENT + len(f"{argument.py_name}: {annotation}{default},") > LINE_LENGTH
    if too_long and len(union_members(annotation)) > 1:
        annotation = f"({annotation})"
    return f"{argument.py_name}: {annotation}{default}"


def environment() -> Any:
    """The Jinja2 environment (StrictUndefined: a missing IR field is an error)."""
    global _env
    if _env is None:
        import jinja2

        _env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        _env.filters["py"] = _py
        _env.filters["docstring"] = _docstring
        _env.filters["parameter"] = _parameter
    return _env


def _render(name: str, **context: Any) -> str:
    return str(environment().get_template(name).render(**context))


def render_package(api: Api, cache: ModelCache | None = None) -> Rendered:
    """Every file of one generated package, keyed by path relative to the package."""
    header = _render("models_header.j2", source=api.source)
    warnings: list[Diagnostic] = []
    try:
        models = render_models(api.models, header, cache)
    except Exception as exc:  # datamodel-code-generator refuses some schema sets
        text = str(exc).strip().splitlines()
        first = text[0][:200] if text else "no message"
        warnings.append(
            Diagnostic(
                "warning",
                "components.schemas",
                f"pydantic models could not be generated ({type(exc).__name__}: {first}); "
                "client methods return plain JSON data",
            )
        )
        # No key: the next run tries again (and warns again).
        models = Models(header + "\nfrom __future__ import annotations\n", {}, "")
    api = replace(_resolved(api, models), warnings=api.warnings + tuple(str(w) for w in warnings))
    files: dict[str, str] = {
        "__init__.py": _render("package_init.py.j2", api=api),
        "__main__.py": _render("main.py.j2", api=api),
        "client.py": _render("client.py.j2", api=api),
        "operations.py": _render("operations.py.j2", api=api),
        "server.py": _render("server.py.j2", api=api, version=api.version),
        "models.py": models.source,
        "resources/__init__.py": _render("resources_init.py.j2", api=api),
        "tools/__init__.py": _render("tools_init.py.j2", api=api),
        "py.typed": "",
    }
    for group in api.groups:
        files[f"resources/{group.module}.py"] = _render("resource.py.j2", api=api, group=group)
        files[f"tools/{group.module}.py"] = _render("tools_group.py.j2", api=api, group=group)
    runtime_header = (
        f"# Copied from generator/runtime by helpdesk-mcp for {api.source}. Do not edit; run `make generate`.\n"
    )
    verbatim = set()
    for module in sorted(runtime_modules(api.plugins)):
        if module == INDEX:  # lists exactly the plug-ins this package carries
            files[f"_runtime/{module}.py"] = _render("runtime_quirks.py.j2", api=api)
        else:
            files[f"_runtime/{module}.py"] = runtime_header + _runtime_source(module)
            verbatim.add(f"_runtime/{module}.py")
    return Rendered(files, models, api, frozenset(verbatim))


_RUNTIME_SOURCES: dict[str, str] = {}


def _runtime_source(module: str) -> str:
    """The text of one runtime module, read once per process."""
    if module not in _RUNTIME_SOURCES:
        _RUNTIME_SOURCES[module] = (RUNTIME_DIR / f"{module}.py").read_text(encoding="utf-8")
    return _RUNTIME_SOURCES[module]


def _resolved(api: Api, models: Models) -> Api:
    """``api`` with every model reference resolved against the models module's classes."""
    classes = models.classes

    def operation(op: Operation) -> Operation:
        response = op.response
        model = classes.get(response.model) if response.model else None
        return replace(
            op,
            arguments=tuple(replace(a, py_type=resolve_type(a.py_type, classes)) for a in op.arguments),
            response=replace(response, py_type=resolve_type(response.py_type, classes), model=model),
        )

    operations = {op.key: operation(op) for op in api.operations}
    groups = tuple(replace(g, operations=tuple(operations[op.key] for op in g.operations)) for g in api.groups)
    return replace(api, operations=tuple(operations.values()), groups=groups)


def render_root() -> dict[str, str]:
    """Files at the root of ``generated/``."""
    return {"__init__.py": _render("generated_init.py.j2")}
