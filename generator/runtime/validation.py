"""Tool-argument validation with messages a model can act on.

The low-level MCP server passes arguments through unchecked, so every call is
validated here against the exact schema the tool advertises, before anything is
sent. Each problem is reported with the argument's path and the rule, e.g.
``ticket_count must be one of "30", "50", "100"; got "10"``. Validators are
compiled on a tool's first call and cached; jsonschema is imported lazily so it
costs nothing at start-up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["validate_arguments"]

_cache: dict[int, Any] = {}
_TYPE_WORDS = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
    "object": "an object", "array": "an array", "null": "null",
}  # fmt: skip


def _validator(schema: Mapping[str, Any]) -> Any:
    key = id(schema)
    found = _cache.get(key)
    if found is None or found[0] is not schema:
        from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

        found = (schema, Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER))
        _cache[key] = found
    return found[1]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _path(parts: Sequence[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "arguments"


def _message(error: Any) -> str:
    where = _path(list(error.absolute_path))
    kind = error.validator
    value = error.validator_value
    inst = error.instance
    if kind == "required":
        missing = [r for r in value if isinstance(inst, Mapping) and r not in inst]
        prefix = "" if where == "arguments" else where + "."
        return "; ".join(f"{prefix}{m} is required" for m in missing)
    if kind == "additionalProperties" and isinstance(inst, Mapping):
        allowed = set((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in inst if k not in allowed)
        names = ", ".join(extra)
        if where == "arguments":
            return f"unknown argument(s) {names}; allowed: {', '.join(sorted(allowed))}"
        return f"{where} does not accept {names}; allowed: {', '.join(sorted(allowed)) or 'nothing else'}"
    if kind == "enum":
        return f"{where} must be one of {', '.join(_show(v) for v in value)}; got {_show(inst)}"
    if kind == "const":
        return f"{where} must be {_show(value)}; got {_show(inst)}"
    if kind == "type":
        types = value if isinstance(value, list) else [value]
        return f"{where} must be {' or '.join(_TYPE_WORDS.get(str(t), str(t)) for t in types)}; got {_show(inst)}"
    bounds = {
        "minimum": "must be >= {v}", "maximum": "must be <= {v}", "exclusiveMinimum": "must be > {v}",
        "exclusiveMaximum": "must be < {v}", "minLength": "must be at least {v} characters long",
        "maxLength": "must be at most {v} characters long", "minItems": "must have at least {v} item(s)",
        "maxItems": "must have at most {v} item(s)", "pattern": "must match the pattern {v}",
        "format": "must be a valid {v}", "multipleOf": "must be a multiple of {v}",
        "uniqueItems": "must not repeat items", "minProperties": "must have at least {v} key(s)",
        "maxProperties": "must have at most {v} key(s)",
    }  # fmt: skip
    if kind in bounds:
        return f"{where} {bounds[kind].format(v=value)}; got {_show(inst)}"
    if kind in ("oneOf", "anyOf"):
        return _union_message(error, where)
    return f"{where}: {error.message}"


def _union_message(error: Any, where: str) -> str:
    inst = error.instance
    branches = error.validator_value or []
    # A discriminated union (a property that is a const in every branch): name the allowed values.
    if isinstance(inst, Mapping) and branches:
        for key in branches[0].get("properties") or {}:
            consts = [((b.get("properties") or {}).get(key) or {}).get("const") for b in branches]
            if all(c is not None for c in consts):
                if inst.get(key) not in consts:
                    name = key if where == "arguments" else f"{where}.{key}"
                    allowed = ", ".join(_show(c) for c in consts)
                    return f"{name} must be one of {allowed}; got {_show(inst.get(key))}"
                sub = [e for e in error.context if e.schema_path and e.schema_path[0] == consts.index(inst.get(key))]
                if sub:
                    return "; ".join(_message(e) for e in sub)
    if error.validator == "oneOf" and not error.context:
        return f"{where} matches more than one allowed shape; make it unambiguous"
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

    best = best_match(error.context) if error.context else None
    hint = f" (closest: {_message(best)})" if best is not None else ""
    return f"{where} matches none of the allowed shapes{hint}"


def validate_arguments(
    schema: Mapping[str, Any], arguments: Mapping[str, Any], exclusive: Sequence[Sequence[str]] = ()
) -> list[str]:
    """Every problem with ``arguments``, as readable messages; empty when valid."""
    errors = sorted(
        _validator(schema).iter_errors(arguments), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    )
    messages = [_message(e) for e in errors]
    for group in exclusive:
        given = [g for g in group if arguments.get(g) is not None]
        if len(given) != 1:
            names = ", ".join(group)
            messages.append(f"give exactly one of {names}; got {', '.join(given) if given else 'none'}")
    out: list[str] = []
    for m in messages:
        if m and m not in out:
            out.append(m)
    return out
