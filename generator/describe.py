"""Descriptions: the rules an assistant needs, rendered from the curated document.

A model sees only a tool's name, description and schema, so the description
carries every rule that the schema alone does not make obvious: what the tool is
for, which argument names the resource and where to get it, how paging moves,
how files and JSON-in-query objects are given, special access and side effects.
Sentences are built from ``x-tool`` data in a fixed order, so the output is
deterministic and a document change shows up as a readable diff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .curation import Paging, XTool

__all__ = ["tool_description", "plain", "quote_list"]

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t]+")


def plain(text: Any) -> str:
    """Document text as plain, single-spaced text (HTML tags removed)."""
    if not isinstance(text, str):
        return ""
    text = _TAG.sub(" ", text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def quote_list(values: Sequence[Any]) -> str:
    """``["30", "50", "100"]`` -> ``"30", "50" or "100"``."""
    items = [f'"{v}"' if isinstance(v, str) else str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def tool_description(
    *,
    usage: str,
    xtool: XTool | None,
    arguments: Mapping[str, Mapping[str, Any]],
    json_query: Sequence[str],
    files: Sequence[tuple[str, str]],
    deprecated: bool,
) -> str:
    """The tool description; ``arguments`` maps tool argument names to schemas."""
    parts: list[str] = [_sentence(usage)] if usage else []
    for entry in xtool.ids if xtool else ():
        if not entry.argument:
            continue
        text = f"ID: the exact `{entry.argument}` from {entry.source or 'an earlier response'}"
        note = entry.note
        parts.append(_sentence(text) + (f" {_sentence(note[:1].upper() + note[1:])}" if note else ""))
    if xtool and xtool.paging:
        parts.append(_paging(xtool.paging, arguments))
    if files:
        one = [name for name, kind in files if kind == "file"]
        many = [name for name, kind in files if kind == "files"]
        how = " or ".join([f"`{n}` (one file)" for n in one] + [f"`{n}` (several)" for n in many])
        parts.append(
            f"Files: give {'exactly one of ' if one and many else ''}{how}, each an object "
            "{filename, content_type, content_base64}; sent as multipart/form-data."
        )
    for name in json_query:
        parts.append(f"`{name}` is an object, sent as a JSON string in the query.")
    for rule in xtool.rules if xtool else ():
        parts.append(_sentence(str(rule)))
    if xtool and xtool.access:
        parts.append("Access: " + _sentence(plain(xtool.access)))
    effects = xtool.intent.side_effects if xtool else []
    if effects:
        parts.append("Side effects: " + " ".join(_sentence(str(e)) for e in effects))
    if deprecated:
        parts.append("Deprecated upstream.")
    return "\n".join(p for p in parts if p)


def _paging(paging: Paging, arguments: Mapping[str, Mapping[str, Any]]) -> str:
    """The page-size rule; the next call's arguments are in each answer's ``next`` (see the
    result view's sentence), and a scroll says how it goes on."""
    size = paging.size
    if paging.style == "scroll":
        cursor = paging.cursor or "scroll_param"
        return f"Paging: scroll; pass back the `{cursor}` of the previous answer to get the next batch."
    if size:
        enum = arguments[size].get("enum") if size in arguments else None
        if enum:
            return f"Paging: `{size}` must be exactly {quote_list(enum)} (no other value)."
        return f"Paging: `{size}` sets the page size."
    if paging.fixed_size:
        return f"Paging: {paging.fixed_size} items a page."
    return ""
