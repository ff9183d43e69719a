"""The size budgets of a tool's schemas: what does not fit is summarised.

Every byte of a tool schema is read by the model on every turn it is listed (or
each time it is described, in discovery mode), and a schema of hundreds of
kilobytes helps no model build a call. :func:`summarise` shrinks a schema to a
budget by replacing its largest parts, one at a time, by a summary that keeps
their type and description and says how much was left out. What is summarised
is still validated as far as the summary goes (its type) and is checked by the
API itself; the caller warns with the operation's location.

Every argument and every part of one is a candidate, largest first; a summarised
argument keeps its name, type and (shortened) description, so a call can still be
made; ``$defs`` that nothing refers to any more are dropped
(:func:`generator.defs.prune_defs`).

An output schema is only checked against results, never read to build a call, and
is already loosened to one object level (:mod:`generator.loosen`); what can still
outgrow its budget is width (an answer with thousands of members).
:func:`summarise_output` therefore only ever loosens further: first every member
keeps its name and bare type, then, if that is still too large, the schema says
only "an object". A looser output schema accepts every result the full one did.
"""

from __future__ import annotations

import json
from typing import Any

from .defs import prune_defs

__all__ = ["summarise", "summarise_output"]

_KEEP = ("type", "description", "enum", "const")


def _size(node: Any) -> int:
    return len(json.dumps(node, separators=(",", ":"), default=str))


def _candidates(root: dict[str, Any]) -> list[tuple[str, dict[str, Any], str, Any]]:
    """(label, parent, key, subschema) for every subschema of the arguments and ``$defs``."""
    out: list[tuple[str, dict[str, Any], str, Any]] = []
    stack: list[tuple[str, Any, int]] = []
    for name, schema in (root.get("properties") or {}).items():
        out.append((name, root["properties"], name, schema))
        stack.append((name, schema, 0))
    for name, schema in (root.get("$defs") or {}).items():
        out.append((f"$defs.{name}", root["$defs"], name, schema))
        stack.append((f"$defs.{name}", schema, 0))
    while stack:
        label, node, depth = stack.pop()
        if not isinstance(node, dict) or depth > 64:
            continue
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                out.append((f"{label}.{key}", node, key, node[key]))
                stack.append((f"{label}.{key}", node[key], depth + 1))
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for i, sub in enumerate(node.get(key) or []):
                if isinstance(sub, dict):
                    stack.append((f"{label}.{key}[{i}]", sub, depth + 1))
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                out.append((f"{label}.{name}", node["properties"], name, sub))
                stack.append((f"{label}.{name}", sub, depth + 1))
    return out


_NOTE = "summarised to fit the tool's size budget; see the API's documentation"


def _summary(node: dict[str, Any], size: int) -> dict[str, Any]:
    out = {k: node[k] for k in _KEEP if k in node and len(json.dumps(node[k], default=str)) <= 400}
    note = f"(Schema of {size:,} bytes {_NOTE}.)"
    text = out.get("description")
    if isinstance(text, str) and len(text) > 200:
        text = text[:197].rstrip() + "..."
    out["description"] = f"{text} {note}" if isinstance(text, str) else note
    return out


def summarise(root: dict[str, Any], budget: int) -> tuple[dict[str, Any], list[str]]:
    """``root`` (a copy) within ``budget`` bytes of JSON, and the labels of the parts
    summarised, largest first (see the module docstring).

    Each pass measures every part once and summarises the largest ones until what
    they free covers the excess (a part inside one already taken is skipped), so a
    schema far over the budget takes a few passes, not one per part."""
    root = json.loads(json.dumps(root, default=str))
    done: list[str] = []
    while (excess := _size(root) - budget) > 0:
        found = sorted(
            (
                (size, label, parent, key)
                for label, parent, key, sub in _candidates(root)
                if (size := _size(sub)) > 600 and _NOTE not in str(sub.get("description"))  # never twice
            ),
            key=lambda f: (-f[0], f[1]),
        )  # a summary of a small part saves nothing
        if not found:
            break
        taken: list[str] = []
        for size, label, parent, key in found:
            if any(label.startswith(t + ".") for t in taken):
                continue
            summary = _summary(parent[key], size)
            parent[key] = summary
            taken.append(label)
            excess -= size - _size(summary)
            if excess <= 0:
                break
        done += taken
        root = prune_defs(root)
    return root, done


def summarise_output(root: dict[str, Any], budget: int) -> tuple[dict[str, Any], list[str]]:
    """A loosened output schema ``root`` within ``budget`` bytes of JSON, and what was
    summarised (see the module docstring); ``root`` itself is left as it was."""
    props = root.get("properties")
    if isinstance(props, dict):
        bare = {k: v for k, v in root.items() if k not in ("properties", "$defs")}
        bare["properties"] = {
            name: {"type": sub["type"]} if isinstance(sub, dict) and "type" in sub else {}
            for name, sub in props.items()
        }
        if _size(bare) <= budget:
            return bare, ["every member's schema (names and types kept)"]
    return {"type": "object"}, ["every member (an object, unchecked)"]
