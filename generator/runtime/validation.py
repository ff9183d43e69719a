"""Tool-argument validation with messages a model can act on.

The low-level MCP server passes arguments through unchecked, so every call is
validated here against the exact schema the tool advertises, before anything is
sent. Each problem is reported with the argument's path and the rule, e.g.
``ticket_count must be one of "30", "50", "100"; got "10"``. Validators are
compiled on a tool's first call and cached; jsonschema is imported lazily so it
costs nothing at start-up.

Most calls are valid, and jsonschema's general machinery is the larger part of a
valid call's overhead. So each schema is also compiled once into a plain-Python
predicate for the keywords tool schemas mostly use (types, properties, required,
closed objects, items, enums, bounds, lengths, patterns, int32/int64). It answers
only "surely valid" or "not sure": a value it accepts is valid, and anything else
(a keyword outside that subset, a float where an integer is declared, a failed
check) goes through jsonschema, which stays the only source of error messages.

:func:`output_problem` checks a successful answer against the tool's output
schema the way the SDK client will, with a validator compiled once per schema.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["ID_DIGITS", "describe_error", "output_problem", "validate_arguments"]

_cache: dict[int, Any] = {}
_output_cache: dict[int, Any] = {}
_TYPE_WORDS = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
    "object": "an object", "array": "an array", "null": "null",
}  # fmt: skip


def _validator(schema: Mapping[str, Any]) -> Any:
    key = id(schema)
    found = _cache.get(key)
    if found is None or found[0] is not schema:
        from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

        found = (schema, Draft202012Validator(schema, format_checker=_format_checker()))
        _cache[key] = found
    return found[1]


_INT_BITS = {"int32": 32, "int64": 64}
UNIX_TIME = "unix-time"
"""A format curated documents give a Unix time in seconds (with ``minimum`` and ``maximum``):
the bounds do the checking, the format lets a message say what a too-large value probably is."""
_ANNOTATION_FORMATS = frozenset({UNIX_TIME})
ID_DIGITS = "^-?(0|[1-9][0-9]*)$"
"""The pattern of an integer id that a tool declares as a string, as the API returns it
(``generator.build.ids``): exactly what converts back to the integer the operation takes."""


def _format_checker() -> Any:
    """JSON Schema's format checks plus OpenAPI's ``int32`` / ``int64``, which bound the
    value (an out-of-range id would otherwise be sent; found by fuzzing)."""
    from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped,unused-ignore]

    checker = FormatChecker(())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    for name, bits in _INT_BITS.items():
        checker.checks(name)(
            lambda v, b=bits: not isinstance(v, int) or isinstance(v, bool) or -(2 ** (b - 1)) <= v < 2 ** (b - 1)
        )
    return checker


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _path(parts: Sequence[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "arguments"


def describe_error(error: Any) -> str:
    """One jsonschema validation error as a sentence that names the argument and the rule
    (``ticket_count must be one of "30", "50", "100"; got "10"``). The mock words its
    400 answers with it too, so a tool and the mock say the same thing."""
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
        hints = [f"{e} -> {c[0]}" for e in extra if (c := difflib.get_close_matches(e, sorted(allowed), 1, 0.6))]
        hint = f" (did you mean: {'; '.join(hints)}?)" if hints else ""
        if where == "arguments":
            return f"unknown argument(s) {names}{hint}; allowed: {', '.join(sorted(allowed))}"
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
    if kind == "format" and value in _INT_BITS:
        top = 2 ** (_INT_BITS[value] - 1)
        return f"{where} must be a {_INT_BITS[value]}-bit integer (from {-top} to {top - 1}); got {_show(inst)}"
    if kind == "maximum" and error.schema.get("format") == UNIX_TIME and isinstance(inst, int | float):
        hint = " (that looks like milliseconds: divide by 1000)" if inst / 1000 <= value else ""
        return f"{where} must be a Unix time in seconds, at most {value} (the year 2100); got {_show(inst)}{hint}"
    described = error.schema.get("description")
    if kind == "pattern" and value == ID_DIGITS:  # an integer id declared as the API returns it (a string)
        return f'{where} must be an id made of digits, e.g. "10934855"; got {_show(inst)}'
    if kind == "pattern" and isinstance(described, str) and len(described) < 160:
        return f"{where} must be written as described ({described.rstrip('.')}); got {_show(inst)}"
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
                    return "; ".join(describe_error(e) for e in sub)
    if error.validator == "oneOf" and not error.context:
        return f"{where} matches more than one allowed shape; make it unambiguous"
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

    best = best_match(error.context) if error.context else None
    hint = f" (closest: {describe_error(best)})" if best is not None else ""
    return f"{where} matches none of the allowed shapes{hint}"


def output_problem(schema: Mapping[str, Any], value: Any) -> str | None:
    """Why ``value`` breaks the output ``schema`` (checked as the SDK client checks it:
    Draft 2020-12, no format assertions), or None."""
    if _surely_valid(schema, value, formats=False):
        return None
    key = id(schema)
    found = _output_cache.get(key)
    if found is None or found[0] is not schema:
        from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

        found = (schema, Draft202012Validator(schema))
        _output_cache[key] = found
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

    error = best_match(found[1].iter_errors(value))
    if error is None:
        return None
    where = ".".join(str(part) for part in error.absolute_path) or "response"
    return f"{where}: {error.message}"


# -- the fast path ------------------------------------------------------------------------
Check = Callable[[Any], bool]
_ANNOTATIONS = frozenset({
    "description", "title", "default", "examples", "deprecated", "contentEncoding", "contentMediaType", "$comment",
})  # fmt: skip
_COMPILED = _ANNOTATIONS | {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems",
    "$defs",
}  # fmt: skip
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "null": (type(None),),
    "object": (dict,), "array": (list,),
}  # fmt: skip
_SCALARS = (str, int, float, bool, type(None))
_BOUNDS: tuple[tuple[str, Callable[[Any, Any], bool]], ...] = (
    ("minimum", lambda v, b: v >= b),
    ("maximum", lambda v, b: v <= b),
    ("exclusiveMinimum", lambda v, b: v > b),
    ("exclusiveMaximum", lambda v, b: v < b),
)
_sure: dict[tuple[int, bool], Any] = {}


def _surely_valid(schema: Mapping[str, Any], value: Any, *, formats: bool) -> bool:
    """True when the compiled predicate of ``schema`` accepts ``value`` (see the module
    docstring); False means "not sure": jsonschema decides."""
    key = (id(schema), formats)
    found = _sure.get(key)
    if found is None or found[0] is not schema:
        found = (schema, _compile(schema, formats))
        _sure[key] = found
    check = found[1]
    return check is not None and bool(check(value))


def _accept(value: Any) -> bool:
    return True


def _compile(node: Any, formats: bool) -> Check | None:
    """A predicate that returns True only for values ``node`` accepts, or None when
    ``node`` uses a keyword outside the compiled subset. It is exact where it says
    True and conservative elsewhere: classes are matched exactly (``True`` is no
    integer, ``3.0`` falls through), enums must hold scalars of the value's class."""
    if node is True:
        return _accept
    if not isinstance(node, Mapping) or not set(node) <= _COMPILED:
        return None
    if set(node) <= _ANNOTATIONS | {"$defs"}:
        return _accept
    fmt = node.get("format")
    bits = None
    if fmt is not None and formats and fmt not in _ANNOTATION_FORMATS:
        if fmt not in _INT_BITS:
            return None
        bits = _INT_BITS[fmt]
    declared = node.get("type")
    allowed: frozenset[type] | None = None
    if declared is not None:
        names = [declared] if isinstance(declared, str) else declared
        if not isinstance(names, list) or not names or not all(n in _PY_TYPES for n in names):
            return None
        allowed = frozenset(t for n in names for t in _PY_TYPES[n])
    choices = node.get("enum")
    has_const, const = "const" in node, node.get("const")
    if (choices is not None and not (isinstance(choices, list) and all(type(c) in _SCALARS for c in choices))) or (
        has_const and type(const) not in _SCALARS
    ):
        return None
    bounds = [(node[k], op) for k, op in _BOUNDS if k in node]
    min_len, max_len = node.get("minLength"), node.get("maxLength")
    min_items, max_items = node.get("minItems"), node.get("maxItems")
    try:
        pattern = re.compile(node["pattern"]) if isinstance(node.get("pattern"), str) else None
    except re.error:
        return None  # not a Python pattern: jsonschema reports it
    props: dict[str, Check | None] = {
        name: _compile(sub, formats) for name, sub in (node.get("properties") or {}).items()
    }
    required = tuple(node.get("required") or ())
    extra = node.get("additionalProperties", True)
    extra_check = None if isinstance(extra, bool) else _compile(extra, formats)
    if not isinstance(extra, bool) and extra_check is None:
        return None
    items = _compile(node["items"], formats) if "items" in node else _accept
    if items is None:
        return None

    def check(value: Any) -> bool:
        kind = type(value)
        if allowed is not None and kind not in allowed:
            return False
        if choices is not None and not any(type(c) is kind and c == value for c in choices):
            return False
        if has_const and not (type(const) is kind and const == value):
            return False
        if kind is int or kind is float:
            if not all(op(value, limit) for limit, op in bounds):
                return False
            if bits is not None and kind is int and not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
                return False
        elif kind is str:
            if (min_len is not None and len(value) < min_len) or (max_len is not None and len(value) > max_len):
                return False
            if pattern is not None and not pattern.search(value):
                return False
        elif kind is dict:
            for name in required:
                if name not in value:
                    return False
            for name, sub in value.items():
                if name in props:
                    sub_check = props[name]
                    if sub_check is None or not sub_check(sub):
                        return False
                elif extra is False or (extra_check is not None and not extra_check(sub)):
                    return False
        elif kind is list:
            if (min_items is not None and len(value) < min_items) or (max_items is not None and len(value) > max_items):
                return False
            if items is not _accept and not all(items(v) for v in value):
                return False
        return True

    return check


def validate_arguments(
    schema: Mapping[str, Any],
    arguments: Mapping[str, Any],
    exclusive: Sequence[Sequence[str]] = (),
    checks: Sequence[tuple[str, str]] = (),
    at_least_one: Sequence[Sequence[str]] = (),
) -> list[str]:
    """Every problem with ``arguments``, as readable messages; empty when valid.

    ``exclusive`` groups need exactly one of their arguments, ``at_least_one`` groups
    one or more.

    ``checks`` are the operation's named checks (``hooks.CHECKS``); an argument they
    find fault with is reported with their messages, which name the API's rule,
    instead of the schema's more generic ones.
    """
    from .hooks import argument_problems

    checked: list[str] = []
    faulty: set[str] = set()
    for argument, name in checks:
        found = argument_problems([(argument, name)], arguments)
        if found:
            faulty.add(argument)
            checked += found
    errors = (
        []
        if _surely_valid(schema, arguments, formats=True)
        else sorted(
            (
                e
                for e in _validator(schema).iter_errors(arguments)
                if not (e.absolute_path and e.absolute_path[0] in faulty)
            ),
            key=lambda e: (list(map(str, e.absolute_path)), e.validator),
        )
    )
    messages = checked + [describe_error(e) for e in errors]
    for group in exclusive:
        given = [g for g in group if arguments.get(g) is not None]
        if len(given) != 1:
            names = ", ".join(group)
            messages.append(f"give exactly one of {names}; got {', '.join(given) if given else 'none'}")
    for group in at_least_one:
        if not any(arguments.get(g) is not None for g in group):
            messages.append(f"give at least one of {', '.join(group)}")
    out: list[str] = []
    for m in messages:
        if m and m not in out:
            out.append(m)
    return out
