"""A synthetic large document for the benchmark: the Intercom vendor document, replicated.

The issue's largest document (a code-hosting API, 771 operations) is not here, so
the benchmark builds a stand-in of the same size from the largest document that
is: the vendor's full Intercom 2.16 (231 operations, 338 schemas). Copy ``k`` of
it serves every path under ``/v<k>`` (copy 0 as it is), renames each
operationId and tag with a ``_v<k>`` suffix, and renames every component (schemas,
parameters, responses, request bodies, examples, headers, security schemes) with
a ``V<k>`` prefix, rewriting every ``$ref`` into the copy's own components; the
last copy keeps only as many paths as the target needs. So the model set, the
schema conversion and the output grow with the operations, as in a real document
of that size, and every operation is a real one. It is written as JSON (what the
large public documents are published as).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .catalogue import METHODS, load_any, vendor_path

__all__ = ["large_document", "write_large_document"]

_COMPONENT_SECTIONS = ("schemas", "parameters", "responses", "requestBodies", "examples", "headers", "securitySchemes")


def _rewrite(node: Any, prefix: str) -> Any:
    """``node`` with every ``#/components/<section>/<Name>`` reference renamed to ``<prefix><Name>``."""
    if isinstance(node, dict):
        out = {k: _rewrite(v, prefix) for k, v in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            _, _, section, name = ref.split("/", 3)
            out["$ref"] = f"#/components/{section}/{prefix}{name}"
        return out
    if isinstance(node, list):
        return [_rewrite(v, prefix) for v in node]
    return node


def _operations(paths: dict[str, Any]) -> int:
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in METHODS)


def large_document(operations: int = 771, source: Path | None = None) -> dict[str, Any]:
    """The vendor Intercom document, replicated to exactly ``operations`` operations."""
    base = load_any(source or vendor_path("intercom", "intercom-2.16.vendor.openapi.yaml"))
    out: dict[str, Any] = {k: v for k, v in base.items() if k not in ("paths", "components", "tags", "security")}
    out["info"] = {**base["info"], "title": f"{base['info']['title']} x{operations}"}
    out["paths"], out["components"], out["tags"] = {}, {}, []
    out["security"] = []
    copy = 0
    while _operations(out["paths"]) < operations:
        prefix, suffix = (f"V{copy}", f"_v{copy}") if copy else ("", "")
        for section in _COMPONENT_SECTIONS:
            for name, value in ((base.get("components") or {}).get(section) or {}).items():
                out["components"].setdefault(section, {})[prefix + name] = _rewrite(value, prefix)
        out["tags"] += [{**t, "name": t["name"] + suffix} for t in base.get("tags") or []]
        out["security"] += [{prefix + k: v for k, v in req.items()} for req in base.get("security") or []]
        for path, item in base["paths"].items():
            count = _operations(out["paths"])
            if count >= operations:
                break
            item = _rewrite(item, prefix)
            for method in [m for m in item if m in METHODS]:
                if count >= operations:
                    del item[method]
                    continue
                count += 1
                op = item[method]
                if isinstance(op.get("operationId"), str):
                    op["operationId"] += suffix
                op["tags"] = [t + suffix for t in op.get("tags") or []]
                if "security" in op:
                    op["security"] = [{prefix + k: v for k, v in req.items()} for req in op["security"]]
            out["paths"][(f"/v{copy}" if copy else "") + path] = item
        copy += 1
    return out


def write_large_document(path: Path, operations: int = 771) -> Path:
    """Write :func:`large_document` to ``path`` (JSON) and return it."""
    path.write_text(json.dumps(large_document(operations), ensure_ascii=False), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m tests.bench.largedoc OUT.json [OPERATIONS]
    target = write_large_document(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 771)
    print(f"{target}: {_operations(json.loads(target.read_text())['paths'])} operations")
