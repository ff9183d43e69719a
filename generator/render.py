"""Render layer: IR -> unformatted Python source, one text per generated file.

Templates (``generator/templates``) see only the IR and two filters: ``py``
turns a value into a Python literal with ``repr`` (the only way document text
reaches code, so a quote or a newline in a description can never break out of
its string), and ``docstring`` escapes text for a triple-quoted docstring.
The runtime (``generator/runtime``) is copied in as ``_runtime`` with a header:
the parts every package carries and the quirk plug-ins this one uses
(:mod:`generator.parts`), with the plug-in index written to list just those.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .ir import Api
from .parts import INDEX, runtime_modules

__all__ = ["render_package", "render_root", "RUNTIME_DIR"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
RUNTIME_DIR = Path(__file__).parent / "runtime"
_env: Any = None


def _py(value: Any) -> str:
    return repr(value)


def _docstring(text: str) -> str:
    body = str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" in body:
        return f'"""{body}\n"""'
    return f'"""{body}"""'


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
    return _env


def _render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def render_package(api: Api, models_source: str, version: str) -> dict[str, str]:
    """Every file of one generated package, keyed by path relative to the package."""
    files: dict[str, str] = {
        "__init__.py": _render("package_init.py.j2", api=api),
        "__main__.py": _render("main.py.j2", api=api),
        "client.py": _render("client.py.j2", api=api),
        "operations.py": _render("operations.py.j2", api=api),
        "server.py": _render("server.py.j2", api=api, version=version),
        "models.py": models_source,
        "resources/__init__.py": _render("resources_init.py.j2", api=api),
        "tools/__init__.py": _render("tools_init.py.j2", api=api),
        "py.typed": "",
    }
    for group in api.groups:
        files[f"resources/{group.module}.py"] = _render("resource.py.j2", api=api, group=group)
        files[f"tools/{group.module}.py"] = _render("tools_group.py.j2", api=api, group=group)
    header = f"# Copied from generator/runtime by helpdesk-mcp for {api.source}. Do not edit; run `make generate`.\n"
    for module in sorted(runtime_modules(api.plugins)):
        if module == INDEX:  # lists exactly the plug-ins this package carries
            files[f"_runtime/{module}.py"] = _render("runtime_quirks.py.j2", api=api)
        else:
            files[f"_runtime/{module}.py"] = header + (RUNTIME_DIR / f"{module}.py").read_text()
    return files


def models_header(source: str) -> str:
    """The header of ``models.py`` (rendered before the IR exists)."""
    return _render("models_header.j2", source=source)


def render_root() -> dict[str, str]:
    """Files at the root of ``generated/``."""
    return {"__init__.py": _render("generated_init.py.j2")}
