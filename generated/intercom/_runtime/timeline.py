# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""A conversation as one flat, chronological timeline.

Intercom returns a conversation as a ``source`` (the opening message, timed by
the conversation's ``created_at``) plus ``conversation_parts``: comments,
notes, assignments, state changes and other events, each with HTML bodies and
nested authors. Nothing guarantees that the parts arrive in time order, and a
model reading raw JSON easily takes payload order for conversation order. This
module flattens the thread into :class:`TimelineEntry` values: the source first,
then every part sorted by ``created_at`` (a stable sort, so parts with the same
time keep their payload order; parts without a time go last), each with its
time as ISO 8601 UTC and as Unix seconds, its author, Intercom's ``part_type``
and the body as plain text.

The function is pure and takes the raw conversation either as a dict (the JSON
answer) or as the generated pydantic model; the MCP tool adds the result to its
answer under ``timeline`` (the ``conversation_timeline`` result transform of this
quirk plug-in, see ``hooks``), and library users call :func:`conversation_timeline` themselves.
HTML is turned into text with the standard library's ``html.parser``: tags
dropped, entities decoded, paragraphs, list items and ``<br>`` kept as line
breaks, links written as ``label (url)`` like Intercom's own plain-text mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from .spec import Check, Transform

__all__ = [
    "CHECKS", "TIMELINE_ENTRY_SCHEMA", "TRANSFORMS", "TimelineAuthor", "TimelineEntry", "conversation_timeline",
    "html_to_text",
]  # fmt: skip

SOURCE_PART_TYPE = "source"

_BLOCK_TAGS = frozenset(
    "p div section article header footer blockquote pre ul ol li table thead tbody tr h1 h2 h3 h4 h5 h6 hr".split()
)
_SKIP_TAGS = frozenset(("script", "style", "head", "title"))

# The tool's result is compacted (null members dropped) before it is sent, so the output
# schema types each member without null.
_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}
TIMELINE_ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "position": {"type": "integer"},
        "part_type": {"type": "string"},
        "id": _STRING,
        "created_at": _INTEGER,
        "time": _STRING,
        "author": {
            "type": "object",
            "properties": {
                "type": _STRING,
                "id": _STRING,
                "name": _STRING,
                "email": _STRING,
            },
        },
        "body": _STRING,
        "assigned_to": {
            "type": "object",
            "properties": {"type": _STRING, "id": _STRING},
        },
        "attachments": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["position", "part_type"],  # the rest may be null, and null members are dropped
}
"""The JSON Schema of one :meth:`TimelineEntry.to_dict` (used in tool output schemas)."""


@dataclass(frozen=True)
class TimelineAuthor:
    """Who wrote a part: ``type`` is ``user``, ``lead``, ``admin``, ``bot`` or ``team``."""

    type: str | None = None
    id: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a conversation, in time order.

    ``position`` is 0 for the source message and counts up in time order;
    ``part_type`` is ``"source"`` for the opening message, else Intercom's own
    value (``comment``, ``note``, ``assignment``, ``open``, ``close``,
    ``snoozed``, ...). ``created_at`` is Unix seconds and ``time`` the same
    instant as ISO 8601 UTC (both ``None`` when Intercom sent no time). ``body``
    is plain text, ``None`` for events without text. ``assigned_to`` is the
    admin or team an assignment went to; ``attachments`` the attachment names.
    """

    position: int
    part_type: str
    id: str | None
    created_at: int | None
    time: str | None
    author: TimelineAuthor
    body: str | None
    assigned_to: tuple[str | None, str | None] | None = None
    attachments: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the shape of the tool's ``timeline`` items)."""
        return {
            "position": self.position,
            "part_type": self.part_type,
            "id": self.id,
            "created_at": self.created_at,
            "time": self.time,
            "author": {
                "type": self.author.type,
                "id": self.author.id,
                "name": self.author.name,
                "email": self.author.email,
            },
            "body": self.body,
            "assigned_to": None
            if self.assigned_to is None
            else {"type": self.assigned_to[0], "id": self.assigned_to[1]},
            "attachments": list(self.attachments),
        }


def conversation_timeline(conversation: Any, *, html: bool = True) -> list[TimelineEntry]:
    """The source message and every conversation part of ``conversation``, in time order.

    ``conversation`` is the raw conversation: the JSON answer of
    ``GET /conversations/{id}`` as a dict, or the client's ``models.Conversation``.
    With ``html=False`` bodies are taken as plain text already (a conversation
    fetched with ``display_as="plaintext"``). The conversation is not changed.
    """
    data = _as_mapping(conversation)
    entries: list[tuple[str, int | None, Mapping[str, Any], str | None]] = []
    source = _as_mapping(data.get("source"))
    source_entry = None
    if source:
        source_entry = (SOURCE_PART_TYPE, _unix(data.get("created_at", source.get("created_at"))), source, None)
    raw_parts = data.get("conversation_parts")
    parts: Sequence[Any] = ()
    if isinstance(raw_parts, Mapping):
        parts = raw_parts.get("conversation_parts") or ()
    elif isinstance(raw_parts, list):
        parts = raw_parts
    for raw in parts:
        part = _as_mapping(raw)
        if part:
            kind = part.get("part_type")
            entries.append((str(kind) if kind else "unknown", _unix(part.get("created_at")), part, None))
    # Stable sort: equal times keep the payload order; parts without a time go last.
    entries.sort(key=lambda e: (e[1] is None, e[1] or 0))
    ordered = ([source_entry] if source_entry else []) + entries
    return [_entry(i, kind, when, item, html) for i, (kind, when, item, _) in enumerate(ordered)]


def _entry(position: int, kind: str, when: int | None, item: Mapping[str, Any], html: bool) -> TimelineEntry:
    author = _as_mapping(item.get("author"))
    assigned = _as_mapping(item.get("assigned_to"))
    body = item.get("body")
    text = (html_to_text(body) if html else _plain(body)) if isinstance(body, str) else None
    names = []
    for attachment in item.get("attachments") or ():
        a = _as_mapping(attachment)
        label = a.get("name") or a.get("url")
        if label:
            names.append(str(label))
    return TimelineEntry(
        position=position,
        part_type=kind,
        id=_text(item.get("id")),
        created_at=when,
        time=_iso(when),
        author=TimelineAuthor(
            _text(author.get("type")), _text(author.get("id")), _text(author.get("name")), _text(author.get("email"))
        ),
        body=text or None,
        assigned_to=(_text(assigned.get("type")), _text(assigned.get("id"))) if assigned else None,
        attachments=tuple(names),
    )


def _as_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)  # a pydantic model of the generated client
    if callable(dump):
        dumped = dump(mode="json", by_alias=True)
        return dumped if isinstance(dumped, Mapping) else {}
    return {}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value)


def _unix(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _iso(when: int | None) -> str | None:
    if when is None:
        return None
    try:
        return datetime.fromtimestamp(when, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def _plain(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _squeeze(lines)


def _squeeze(lines: list[str]) -> str:
    """Drop leading and trailing blank lines and keep at most one blank line in a row."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skip = 0
        self.pre = 0
        self.links: list[tuple[str | None, int, int]] = []

    def _newline(self, force: bool = False) -> None:
        self.lines[-1] = self.lines[-1].rstrip()
        if force or self.lines[-1]:
            self.lines.append("")

    def _write(self, text: str) -> None:
        line = self.lines[-1]
        if self.pre:
            first, *rest = text.split("\n")
            self.lines[-1] = line + first
            self.lines.extend(rest)
            return
        words = " ".join(text.split())
        if line and not line.endswith(" ") and text[:1].isspace():
            words = " " + words if words else " "
        if words and text[-1:].isspace() and not words.endswith(" "):
            words += " "
        self.lines[-1] = line + words

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self._newline(force=True)
        elif tag == "img":
            values = dict(attrs)
            label = values.get("alt") or values.get("src")
            if label:
                self._write(f"[image: {label}]")
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.lines) - 1, len(self.lines[-1])))
        elif tag in _BLOCK_TAGS:
            self._newline()
            if tag == "pre":
                self.pre += 1
            elif tag == "li":
                self._write("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.links:
            href, row, col = self.links.pop()
            label = "\n".join(self.lines[row:])[col:].strip()
            shown = (href or "").removeprefix("mailto:")
            if href and not href.startswith(("#", "javascript:")) and shown != label:
                self._write(f" ({shown})" if label else shown)
        elif tag in _BLOCK_TAGS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skip and data:
            self._write(data)


def html_to_text(body: str) -> str:
    """Intercom's HTML body as plain text (tags dropped, entities decoded, line breaks kept)."""
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    return _squeeze([line.rstrip() for line in parser.lines])


def _timeline(data: Any, arguments: Mapping[str, Any], tool: str) -> Any:
    if not isinstance(data, dict):
        return data
    html = arguments.get("display_as") != "plaintext"
    # `timeline` first, so a reader of the JSON text meets the ordered thread before the raw parts.
    return {"timeline": [e.to_dict() for e in conversation_timeline(data, html=html)], **data}


CHECKS: dict[str, Check] = {}
TRANSFORMS: dict[str, Transform] = {
    "conversation_timeline": Transform(
        _timeline,
        adds={"timeline": {"type": "array", "items": TIMELINE_ENTRY_SCHEMA}},
        note=(
            "The result also has `timeline`: the source message (position 0) and then every conversation part "
            "sorted by time, each with `time` (ISO 8601 UTC) and `created_at` (Unix seconds), `author` (type, "
            "id, name, email), `part_type` and `body` as plain text; read the thread in that order."
        ),
        exports=(("timeline", "TimelineEntry"), ("timeline", "conversation_timeline")),
    ),
}
"""The plug-in's contributions, by the names a curated document uses."""
