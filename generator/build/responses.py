"""The success response of an operation -> :class:`~generator.ir.Response`.

The first 2xx response (else ``default``) decides how the runtime decodes the
answer (JSON, text, bytes or nothing), the Python result type of the client
method, and the tool's output schema. A JSON object answer is typed by its model
(a model reference, resolved at render); a union or a list of models arrives as
plain JSON data and is typed as such, since the runtime parses one model class.
MCP requires an output schema of type ``object`` exactly, so an answer that may be
something else gets none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import MODEL_TOKEN, Response, model_ref, union
from ..load import Document
from ..schema import Converter
from ..shapes import media_kind

__all__ = ["success_response"]


def success_response(doc: Document, conv: Converter, raw_op: Mapping[str, Any], hoisted: str | None) -> Response:
    """The operation's success response; ``hoisted`` is the model-set pointer of its inline
    object schema, when the models module holds one for it."""
    responses = raw_op.get("responses") or {}
    codes = sorted((str(c) for c in responses if str(c).startswith("2")), key=str)
    code = codes[0] if codes else ("default" if "default" in responses else None)
    if code is None:
        return Response(200, None, "empty", "None", None, None)
    spec = doc.resolve(responses[code]) or {}
    status = int(code) if code.isdigit() else 200
    content = spec.get("content") or {}
    if not content or status == 204:
        return Response(status, None, "empty", "None", None, None)
    for media, mspec in content.items():
        schema_node = (mspec or {}).get("schema") or {}
        if media_kind(str(media)) == "json":
            converted = conv.convert(schema_node, "response")
            py_type = conv.py_type(schema_node, "response")
            if hoisted and "$ref" not in schema_node:
                py_type = model_ref(hoisted)
            whole = MODEL_TOKEN.fullmatch(py_type)
            model = whole[1] if whole else None
            if model is None and "⟦" in py_type:
                # The runtime parses one model class; a union or a list of models
                # arrives as plain JSON data and is typed as such.
                py_type = union(MODEL_TOKEN.sub("dict[str, Any]", py_type))
            output = None
            # MCP requires an output schema of type "object" exactly; a response that
            # may be something else (Desk365 deletes answer an object or a string)
            # gets none, and its result is text (plus structuredContent when a dict).
            if _is_object_schema(converted) and "properties" in converted:
                output = {"type": "object", **conv.output_schema(converted)}
            return Response(status, media, "json", py_type, model, output)
    media = str(next(iter(content)))
    if media_kind(media) == "text" or media == "*/*":
        return Response(status, media, "text", "str", None, None)
    return Response(status, media, "bytes", "bytes", None, None)


def _is_object_schema(schema: dict[str, Any]) -> bool:
    """Whether every value ``schema`` admits is a JSON object: ``type: object``, or no
    type and an ``allOf`` whose parts are all objects (vendor documents compose
    responses that way). MCP output schemas must say ``type: object`` at the top."""
    if "type" in schema:
        return bool(schema["type"] == "object")
    if "anyOf" in schema or "oneOf" in schema:
        return False
    parts = schema.get("allOf")
    return isinstance(parts, list) and bool(parts) and all(isinstance(p, dict) and _is_object_schema(p) for p in parts)
