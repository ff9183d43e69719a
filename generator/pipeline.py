"""The whole pipeline for one document or for every curated document.

``run_document`` loads once, builds the IR once, renders, and plans the output
tree (formatting only what changed, see :mod:`generator.emit`); the caller
then writes the plan or reports it. ``run_all`` does this for every document in
``openapi/`` and also owns the root of ``generated/``: a package folder with no
document behind it is an orphan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import build_api
from .emit import Manifest, Plan, plan_tree, sha
from .errors import Diagnostics
from .ir import Api
from .load import Document, load_document
from .models import class_map, generate_models, models_input, models_key
from .naming import py_identifier, snake
from .render import models_header, render_package, render_root

__all__ = ["Result", "run_document", "run_all", "tools_list_payload", "curated_documents", "load_api"]


@dataclass
class Result:
    """One document's outcome: the IR, the planned tree and figures to print."""

    api: Api
    plan: Plan
    tools_list_bytes: int


def curated_documents(openapi_dir: Path) -> list[Path]:
    """The curated documents, in name order."""
    return sorted(p for p in openapi_dir.glob("*.y*ml") if p.is_file())


def package_name(doc: Document, path: Path) -> str:
    name = (doc.raw.get("x-api") or {}).get("name") or snake(path.stem)
    return py_identifier(str(name))


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


def load_api(
    doc: Document, package: str, previous: Manifest | None, pkg_dir: Path | None, *, with_models: bool = True
) -> tuple[Api, str, str]:
    """Build the IR, reusing checked-in models when their input is unchanged.

    Without ``with_models`` no models are generated (listing tools needs none)."""
    schemas, hoisted = models_input(doc.raw)
    key = models_key(schemas, doc.raw) if with_models else ""
    models_src = None if with_models else ""
    if previous is not None and pkg_dir is not None and previous.models_key == key:
        try:
            disk = (pkg_dir / "models.py").read_bytes()
            if sha(disk) == previous.files.get("models.py", {}).get("sha"):
                models_src = disk.decode()
        except OSError:
            pass
    diags = Diagnostics(doc.source, list(doc.warnings))
    if models_src is None:
        try:
            models_src = generate_models(schemas, doc.raw, models_header(doc.source))
        except Exception as exc:  # datamodel-code-generator refuses some schema sets
            # Results are then typed as plain JSON data; every tool still works.
            diags.warning(
                "components.schemas",
                f"pydantic models could not be generated ({type(exc).__name__}: {_first_line(exc)}); "
                "client methods return plain JSON data",
            )
            models_src = models_header(doc.source) + "\nfrom __future__ import annotations\n"
            schemas, key = {}, ""  # no key: the next run tries again (and warns again)
    classes = class_map(models_src, schemas)
    for (path, method), name in hoisted.items():
        ref = f"#/components/schemas/{name}"
        if ref in classes:
            classes[f"inline {method} {path}"] = classes.pop(ref)
    api = build_api(doc, package, classes, diags)
    diags.raise_if_errors()
    return api, models_src, key


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no message"


def run_document(
    path: Path, out_root: Path, *, package: str | None = None, source: str | None = None, use_cache: bool = True
) -> Result:
    """Load, build, render and plan one document into ``out_root/<package>``."""
    doc = load_document(path, source=source)
    package = py_identifier(package) if package else package_name(doc, path)
    pkg_dir = out_root / package
    previous = Manifest.read(pkg_dir) if use_cache else None
    api, models_src, key = load_api(doc, package, previous, pkg_dir)
    rendered = render_package(api, models_src, api.version)
    manifest = Manifest(doc.sha256, key)
    plan = plan_tree(pkg_dir, rendered, previous, manifest)
    size = len(json.dumps({"tools": tools_list_payload(api)}, separators=(",", ":"), ensure_ascii=False).encode())
    return Result(api, plan, size)


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
