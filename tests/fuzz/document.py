"""Does a translated call break the curated document? An independent referee.

Schemathesis's negative cases are meant to violate the document, but a violation
can vanish on the way to tool arguments (a number in a path segment is text
anyway). When the tool accepts or rejects a negative case, this module decides
who is right by validating the typed values against the document's own parameter
and body schemas (JSON Schema 2020-12, format checks on, like the tool layer),
without looking at the generated code.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .targets import Target

__all__ = ["document_violations", "value_problems"]

# JSON Schema's format vocabulary plus OpenAPI's integer formats, which bound the value.
FORMATS = FormatChecker(())
FORMATS.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
for _name, _bits in (("int32", 32), ("int64", 64)):
    FORMATS.checks(_name)(
        lambda v, b=_bits: not isinstance(v, int) or isinstance(v, bool) or -(2 ** (b - 1)) <= v < 2 ** (b - 1)
    )

_validators: dict[int, tuple[Any, Any]] = {}


def _validator(schema: dict[str, Any], target: Target) -> Any:
    found = _validators.get(id(schema))
    if found is None or found[0] is not schema:
        rooted = {**schema, "components": target.components}  # so "#/components/..." resolves
        found = (schema, Draft202012Validator(rooted, format_checker=FORMATS))
        _validators[id(schema)] = found
    return found[1]


def value_problems(schema: dict[str, Any], value: Any, target: Target, where: str = "value") -> list[str]:
    """How ``value`` breaks ``schema`` (a schema of ``target``'s document)."""
    return [f"{where}: {e.message[:160]}" for e in _validator(schema, target).iter_errors(value)]


def document_violations(target: Target, components: dict[str, Any]) -> list[str]:
    """Every way ``components`` (typed path / query / body values) break the document."""
    from schemathesis.core import NOT_SET

    out: list[str] = [f"{u} is not in the document" for u in components.get("unknown", ())]
    for p in target.params:
        if p.hidden or p.location not in ("path", "query"):
            continue
        given = components[p.location]
        if p.name not in given:
            if p.required:
                out.append(f"{p.location}:{p.name}: required but missing")
            continue
        out += value_problems(p.schema, given[p.name], target, f"{p.location}:{p.name}")
    if target.body_schema is not None:
        body = components["body"]
        out += value_problems(target.body_schema, {} if body is NOT_SET else body, target, "body")
    return out
