"""Union request bodies as flat tool arguments: one argument policy for every tool.

Vendors describe some bodies as a ``oneOf`` / ``anyOf`` of object shapes (Intercom's
reply: an admin reply or a contact reply; manage: close, snooze, open or assign).
Taken whole, such a body is one ``body`` argument holding an object, which for a
reply holds another ``body`` (the message): not how a model reads "reply to the
conversation with this text". So a tool takes the *union of the branches'
properties* as flat arguments, like every other tool:

* a property the branches spell alike is one argument; one they spell differently
  is one argument whose schema admits each spelling (string constants and enums
  are merged into one ``enum``, so the discriminator, ``message_type``, is a plain
  choice);
* an argument every branch requires is required;
* each branch's own rules (what it requires, which constants it takes, what it
  does not accept) are checked before anything is sent: the tool host assembles
  the body from the flat arguments and validates it against the union itself
  (``body_schema``), whose errors name the branch the values point to;
* the description states the branches in one sentence (:func:`variants_sentence`).

The typed client keeps its typed models: only the tool is flat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FlatUnion", "flat_union", "flatten_body"]


@dataclass(frozen=True)
class FlatUnion:
    """The flat arguments of a union body and what the description says about them."""

    properties: dict[str, Any]
    required: tuple[str, ...]
    sentence: str


def flat_union(schema: Mapping[str, Any], taken: Sequence[str], defs: Mapping[str, Any]) -> FlatUnion | None:
    """The flat form of a converted union body ``schema``, or None when it has none (a
    branch that is not an object with properties, or a property that would take the name
    of another argument in ``taken``). ``defs`` resolves the tool schema's ``$ref``s."""
    branches = schema.get("oneOf") or schema.get("anyOf")
    if not isinstance(branches, list) or len(branches) < 2:
        return None
    resolved = [_resolve(b, defs) for b in branches]
    if not all(isinstance(b, Mapping) and isinstance(b.get("properties"), Mapping) and b["properties"]
               and b.get("type", "object") == "object" for b in resolved):  # fmt: skip
        return None
    merged: dict[str, list[Any]] = {}
    for branch in resolved:
        for name, sub in branch["properties"].items():
            merged.setdefault(name, []).append(sub)
    if any(name in taken for name in merged):
        return None
    properties = {name: _merge(subs) for name, subs in merged.items()}
    required = tuple(name for name in merged if all(name in (b.get("required") or ()) for b in resolved))
    return FlatUnion(properties, required, variants_sentence(resolved, required))


def _resolve(node: Any, defs: Mapping[str, Any]) -> Any:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        return defs.get(node["$ref"][len("#/$defs/") :], node)
    return node


def _values(sub: Any) -> list[Any] | None:
    """The values a property schema allows when it is a constant or an enum, else None."""
    if not isinstance(sub, Mapping):
        return None
    if "const" in sub:
        return [sub["const"]]
    if isinstance(sub.get("enum"), list):
        return list(sub["enum"])
    return None


def _merge(subs: list[Any]) -> Any:
    """One argument schema for the ways the branches spell one property."""
    bare = [{k: v for k, v in s.items() if k != "description"} if isinstance(s, Mapping) else s for s in subs]
    description = next((s["description"] for s in subs if isinstance(s, Mapping) and s.get("description")), None)
    distinct: list[Any] = []
    for b in bare:
        if not any(json.dumps(b, sort_keys=True) == json.dumps(d, sort_keys=True) for d in distinct):
            distinct.append(b)
    values = [_values(b) for b in distinct]
    if len(distinct) == 1:
        out = dict(distinct[0])
    elif all(v is not None for v in values) and all(isinstance(b, Mapping) and b.get("type") == "string"
                                                   for b in distinct):  # fmt: skip
        allowed: list[Any] = []
        for v in values:
            allowed += [x for x in v or () if x not in allowed]
        out = {"type": "string", "enum": allowed}
    else:
        out = {"anyOf": distinct}
    if description:
        out["description"] = description
    return out


def variants_sentence(branches: Sequence[Mapping[str, Any]], required: Sequence[str]) -> str:
    """``Shapes by `message_type`: close: `type`=admin, needs `admin_id`; ...``: each branch
    by its discriminating constants and what it needs beyond the arguments all need."""
    key = _discriminator(branches)
    parts = []
    for branch in branches:
        props = branch["properties"]
        label = "|".join(str(v) for v in _values(props.get(key)) or []) if key else ""
        consts = [f"`{n}`={'|'.join(map(str, v))}" for n, s in props.items()
                  if n != key and (v := _values(s)) is not None and len(v) <= 3]  # fmt: skip
        needs = [f"`{n}`" for n in branch.get("required") or () if n not in required and n != key
                 and _values(props.get(n)) is None]  # fmt: skip
        text = ", ".join(consts + ([f"needs {', '.join(needs)}"] if needs else []))
        parts.append(f"{label}: {text}" if label and text else label or text)
    head = f"Shapes by `{key}`" if key else "Give the arguments of one shape"
    return f"{head}: " + "; ".join(p for p in parts if p) + "; other arguments are refused."


def _discriminator(branches: Sequence[Mapping[str, Any]]) -> str | None:
    """The constant-valued property that tells the most branches apart."""
    best, seen = None, 1
    for name in branches[0]["properties"]:
        values = [_values(b["properties"].get(name)) for b in branches]
        if any(v is None for v in values):
            continue
        distinct = len({json.dumps(v) for v in values})
        if distinct > seen:
            best, seen = name, distinct
    return best


def flatten_body(
    input_schema: dict[str, Any], whole: str, whole_required: bool, others: Sequence[str]
) -> tuple[dict[str, Any], tuple[str, ...], dict[str, Any], str] | None:
    """``input_schema`` with its ``whole`` body argument replaced by the flat arguments of
    its union, the names of those arguments, the schema the assembled body is checked
    against, and the description's sentence; None when the body has no flat form."""
    props = input_schema["properties"]
    defs = input_schema.get("$defs") or {}
    union = flat_union(props[whole], others, defs)
    if union is None:
        return None
    flat_props = {name: sub for name, sub in props.items() if name != whole} | union.properties
    required = [r for r in input_schema.get("required") or () if r != whole]
    required += [r for r in union.required if whole_required and r not in required]
    schema: dict[str, Any] = {"type": "object", "properties": flat_props}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    body_schema = {k: v for k, v in props[whole].items() if k != "description"}
    if defs:
        schema["$defs"] = defs
        body_schema["$defs"] = defs
    return schema, tuple(union.properties), body_schema, union.sentence
