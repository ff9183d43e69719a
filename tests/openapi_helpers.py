"""Helpers of the checks of the curated OpenAPI documents (``tests/test_openapi_*.py``).

:func:`load` reads a JSON or YAML file (cached), :func:`resolve` follows local ``$ref``
chains, :func:`operations` walks a document's operations in order and
:func:`parameters`, :func:`body_schemas`, :func:`properties` and :func:`walk_schema` read
their parts; :func:`tool_name` is TOOL-INVENTORY.md's naming rule; :func:`no_problems`
fails with every problem found, one a line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OPENAPI_DIR = ROOT / "openapi"


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


Doc = dict[str, Any]


# ---------------------------------------------------------------------------- helpers


@functools.cache
def load(path: Path) -> Any:
    """Load a JSON or YAML file (cached: callers must not mutate the result)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def resolve(doc: Doc, node: Any) -> Any:
    """Follow local ``$ref`` chains until a node without ``$ref``."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/") and ref not in seen, f"unsupported $ref {ref}"
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations(doc: Doc) -> Iterator[tuple[str, str, dict, dict]]:
    """Yield (METHOD, path, path item, operation) in document order."""
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item)
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item, item[method]


def parameters(doc: Doc, item: dict, op: dict) -> list[dict[str, Any]]:
    """Resolved parameters, path-item ones included; the operation's win on a clash."""
    merged = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = resolve(doc, raw)
        merged[(param["name"], param["in"])] = param
    return list(merged.values())


def body_schemas(doc: Doc, op: dict) -> dict[str, dict[str, Any]]:
    """Resolved request body schema per media type."""
    content = resolve(doc, op.get("requestBody") or {}).get("content") or {}
    return {media: resolve(doc, c.get("schema") or {}) for media, c in content.items()}


def properties(doc: Doc, schema: dict[str, Any]) -> dict[str, Any]:
    """Top-level properties of an object schema, with those of its allOf/oneOf/anyOf."""
    props = dict(schema.get("properties") or {})
    for part in [
        *schema.get("allOf", []),
        *schema.get("oneOf", []),
        *schema.get("anyOf", []),
    ]:
        props.update(properties(doc, resolve(doc, part)))
    return props


def argument_names(doc: Doc, item: dict, op: dict) -> set[str]:
    """What an ``x-tool`` entry may name: parameters and top-level body properties."""
    names = {p["name"] for p in parameters(doc, item, op)}
    for schema in body_schemas(doc, op).values():
        names |= set(properties(doc, schema))
    return names


def tool_name(app: str, xt: dict[str, Any]) -> str:
    """The tool name TOOL-INVENTORY.md's naming rule derives from an ``x-tool``."""
    if xt.get("name"):
        return xt["name"]
    return {
        "list": f"list_all_{app}_{xt['resource']}",
        "get": f"get_single_{app}_{xt['singular']}_by_id",
        "create": f"create_a_{app}_{xt['singular']}",
        "update": f"update_a_{app}_{xt['singular']}_by_id",
        "delete": f"delete_a_{app}_{xt['singular']}_by_id",
    }.get(xt["kind"]) or f"{app}_{xt['resource']}_{xt.get('method')}"


Visit = Callable[[dict[str, Any], str], None]


def walk_schema(doc: Doc, schema: Any, visit: Visit, where: str, seen: Any = None):
    """Call ``visit(node, where)`` on a schema and all subschemas, each $ref once."""
    if not isinstance(schema, dict):
        return
    seen = set() if seen is None else seen
    if "$ref" in schema:
        if schema["$ref"] not in seen:
            seen.add(schema["$ref"])
            walk_schema(doc, resolve(doc, schema), visit, schema["$ref"], seen)
        return
    visit(schema, where)
    for name, sub in (schema.get("properties") or {}).items():
        walk_schema(doc, sub, visit, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties", "not", "contains", "propertyNames"):
        walk_schema(doc, schema.get(key), visit, f"{where}/{key}", seen)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key) or []):
            walk_schema(doc, sub, visit, f"{where}/{key}/{index}", seen)


def strings(value: Any) -> bool:
    """A list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def no_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def stem(path: Path) -> str:
    return path.stem
