"""Response conformance: the mock checks its own answers against the document.

With ``MockSettings.strict_responses`` (the default) the core passes every answer
of a routed operation through :func:`response_problems` before sending it: the
status must be declared (exactly, as ``2XX``, or as ``default``), the content type
must be one the response declares, a JSON or text body must match the schema,
and declared response headers must be present when required and well-typed when
sent. Any problem becomes a loud 500 naming it, so a handler or fixture that
drifts from the document fails the test that hit it instead of slipping through.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .document import Operation, Spec, _escape, _follow
from .validate import coerce, schema_errors

__all__ = ["response_problems"]


def _declared(op: Operation, status: int) -> tuple[str, Mapping[str, Any]] | None:
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in op.responses:
            return op.responses[key]
    return None


def response_problems(spec: Spec, op: Operation, status: int, headers: Mapping[str, str], body: bytes) -> list[str]:
    """What is wrong with an answer of ``op`` (empty when it conforms); ``headers`` lower-case."""
    found = _declared(op, status)
    if found is None:
        return [f"status {status} is not declared for {op.method} {op.path}"]
    pointer, response = found
    problems: list[str] = []
    for name, header in (response.get("headers") or {}).items():
        header, header_ptr = _follow(spec.raw, header, f"{pointer}/headers/{_escape(name)}")
        value = headers.get(name.lower())
        if value is None:
            if header.get("required"):
                problems.append(f"the required header {name} is missing")
            continue
        schema, schema_ptr = _follow(spec.raw, header.get("schema") or {}, f"{header_ptr}/schema")
        problems += schema_errors(spec, schema_ptr, f"header {name}", coerce(value, schema))
    content = response.get("content") or {}
    if not content:
        if body:
            problems.append(f"status {status} declares no body; got {len(body)} bytes")
        return problems
    sent = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    media = next((m for m in content if m.lower() == sent or m == "*/*"), None)
    if media is None:
        return problems + [f"content type {sent or 'none'} is not declared; expected {', '.join(content)}"]
    media_obj = content[media] or {}
    if "schema" not in media_obj:
        return problems
    schema_ptr = f"{pointer}/content/{_escape(media)}/schema"
    if "json" in media:
        try:
            value = json.loads(body)
        except ValueError:
            return problems + [f"the {media} body is not valid JSON"]
    elif media.startswith("text/"):
        value = body.decode("utf-8", "replace")
    else:
        return problems
    return problems + schema_errors(spec, schema_ptr, "response", value)
