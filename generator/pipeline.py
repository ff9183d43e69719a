"""The whole pipeline for one document or for every curated document.

The stages run once each, in order: :func:`~generator.load.load_document`
(text -> checked document with typed curation), :func:`build` (-> the frozen IR,
every name decided), :func:`~generator.render.render_package` (-> source texts,
the models module included, through the emit stage's model cache), and
:func:`~generator.emit.plan_tree` (-> the formatted tree and how it differs from
disk, formatting only what changed). The caller then writes the plan or reports
it. ``run_all`` does this for every document in ``openapi/`` and also owns the
root of ``generated/``: a package folder with no document behind it is an
orphan. No stage reads back another's output.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import build_api
from .curation import update_reference
from .emit import DiskModelCache, Manifest, Plan, plan_tree
from .errors import Diagnostics
from .ir import Api
from .load import Document, load_document
from .naming import py_identifier, snake
from .render import render_package, render_root

__all__ = [
    "DISCOVERY_BYTES", "DISCOVERY_TOOLS", "Result", "build", "curated_documents", "discovery_bytes", "listing_bytes",
    "package_name", "plan_reference", "run_all", "run_document", "tools_list_payload",
]  # fmt: skip


# Above either, the generator recommends discovery mode (``--discovery``): tool selection
# gets worse past about a hundred tools, and a big listing is paid on every turn.
DISCOVERY_TOOLS = 100
DISCOVERY_BYTES = 128 * 1024


@dataclass
class Result:
    """One document's outcome: the IR as rendered (model references resolved, every
    warning included), the planned tree and figures to print: the ``tools/list``
    size, and in discovery mode."""

    api: Api
    plan: Plan
    tools_list_bytes: int
    discovery_bytes: int = 0

    @property
    def recommend_discovery(self) -> bool:
        return len(self.api.operations) > DISCOVERY_TOOLS or self.tools_list_bytes > DISCOVERY_BYTES


def curated_documents(openapi_dir: Path) -> list[Path]:
    """The curated documents, in name order."""
    return sorted(p for p in openapi_dir.glob("*.y*ml") if p.is_file())


def package_name(doc: Document, path: Path) -> str:
    """The package a document generates: ``x-api.name``, else the file's name."""
    return py_identifier(str(doc.curation.api.name or snake(path.stem)))


def build(doc: Document, package: str) -> Api:
    """The IR of a loaded document (raises :class:`GenerationError` on errors).

    Schemas are converted recursively, a few frames per level of nesting; a document
    whose references chain hundreds of levels deep needs more than Python's default
    recursion limit (Python 3.11 calls between Python functions use no C stack)."""
    diags = Diagnostics(doc.source, list(doc.warnings))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        api = build_api(doc, package, diags)
    finally:
        sys.setrecursionlimit(limit)
    diags.raise_if_errors()
    return api


def tools_list_payload(api: Api) -> list[dict[str, Any]]:
    """The ``tools`` array a server sends for every tool of ``api`` (wire form)."""
    out = []
    for op in api.operations:
        t = op.tool
        entry: dict[str, Any] = {
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "inputSchema": t.input_schema,
        }
        if t.output_schema is not None:
            entry["outputSchema"] = t.output_schema
        entry["annotations"] = {
            "readOnlyHint": t.read_only,
            "destructiveHint": t.destructive,
            "idempotentHint": t.idempotent,
            "openWorldHint": t.open_world,
        }
        out.append(entry)
    return out


def run_document(
    path: Path, out_root: Path, *, package: str | None = None, source: str | None = None, use_cache: bool = True
) -> Result:
    """Load, build, render and plan one document into ``out_root/<package>``."""
    doc = load_document(path, source=source)
    package = py_identifier(package) if package else package_name(doc, path)
    api = build(doc, package)
    pkg_dir = out_root / package
    previous = Manifest.read(pkg_dir) if use_cache else None
    rendered = render_package(api, DiskModelCache(pkg_dir, previous))
    manifest = Manifest(doc.sha256, rendered.models.key, dict(rendered.models.classes))
    plan = plan_tree(pkg_dir, rendered.files, previous, manifest, verbatim=rendered.verbatim)
    return Result(rendered.api, plan, listing_bytes(tools_list_payload(api)), discovery_bytes(api))


def listing_bytes(tools: list[dict[str, Any]]) -> int:
    """The bytes of a ``tools/list`` result holding ``tools`` (compact JSON)."""
    return len(json.dumps({"tools": tools}, separators=(",", ":"), ensure_ascii=False).encode())


def discovery_bytes(api: Api) -> int:
    """The bytes of ``api``'s ``tools/list`` in discovery mode (runtime ``discovery``)."""
    from .runtime.discovery import listing_payload

    return listing_bytes(listing_payload(api.title, len(api.operations)))


def run_all(
    openapi_dir: Path, generated_dir: Path, *, use_cache: bool = True, root_label: str = ""
) -> tuple[list[Result], Plan]:
    """Every curated document into ``generated_dir``; plus the plan of its root."""
    results = []
    for path in curated_documents(openapi_dir):
        label = f"{root_label}{path.name}" if root_label else path.name
        results.append(run_document(path, generated_dir, source=label, use_cache=use_cache))
    root = plan_tree(generated_dir, render_root(), None, None, owned=False)
    packages = {r.api.package for r in results}
    if generated_dir.is_dir():
        for child in sorted(generated_dir.iterdir()):
            if child.is_dir() and child.name not in packages and child.name != "__pycache__":
                root.orphans += [
                    p.relative_to(generated_dir).as_posix()
                    for p in sorted(child.rglob("*"))
                    if p.is_file() and "__pycache__" not in p.parts
                ]
            elif child.is_file() and child.name not in root.files:
                root.orphans.append(child.name)
    return results, root


def plan_reference(openapi_dir: Path) -> Plan:
    """``openapi/README.md`` with its curation reference rendered from the typed extensions
    (:func:`generator.curation.update_reference`), planned like generated files."""
    readme = openapi_dir / "README.md"
    try:
        text = readme.read_text()
    except OSError:
        return Plan(openapi_dir, {})
    return plan_tree(openapi_dir, {"README.md": update_reference(text)}, None, None, owned=False)
