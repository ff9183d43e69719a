# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""File arguments: what a caller may pass for a multipart file part.

Library users pass bytes, a path, an open binary file, a ``(filename, content[,
content_type])`` tuple or a :class:`File`. MCP callers pass
``{filename, content_type, content_base64}`` objects; a local ``path`` is accepted
only when the server was started with an allowed directory, and must resolve
inside it (symlinks and ``..`` included).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Union

from .errors import ArgumentError

__all__ = ["File", "FileInput", "to_file", "file_from_tool"]


@dataclass(frozen=True)
class File:
    """A file ready to upload."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


FileInput = Union[File, bytes, str, "os.PathLike[str]", IO[bytes], tuple[str, bytes], tuple[str, bytes, str]]


def _guess(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def to_file(value: Any, arg: str) -> File:
    """Normalise one :data:`FileInput` to a :class:`File`."""
    if isinstance(value, File):
        return value
    if isinstance(value, bytes | bytearray):
        return File("file", bytes(value))
    if isinstance(value, tuple) and len(value) in (2, 3):
        name, content = str(value[0]), value[1]
        if not isinstance(content, bytes | bytearray):
            raise ArgumentError(f"{arg}: the second item of a file tuple must be bytes")
        ctype = str(value[2]) if len(value) == 3 else _guess(name)
        return File(name, bytes(content), ctype)
    if isinstance(value, str | os.PathLike):
        path = Path(value)
        try:
            return File(path.name, path.read_bytes(), _guess(path.name))
        except OSError as exc:
            raise ArgumentError(f"{arg}: cannot read {path.name!r}: {exc.strerror}") from None
    if hasattr(value, "read"):
        content = value.read()
        if not isinstance(content, bytes):
            raise ArgumentError(f"{arg}: open the file in binary mode")
        name = os.path.basename(str(getattr(value, "name", "file")))
        return File(name, content, _guess(name))
    raise ArgumentError(f"{arg}: expected bytes, a path, a binary file or a File; got {type(value).__name__}")


def file_from_tool(value: Mapping[str, Any], arg: str, allowed_dir: Path | None) -> File:
    """Decode an MCP file object (``content_base64`` or an allowed ``path``)."""
    if "path" in value:
        if allowed_dir is None:
            raise ArgumentError(
                f"{arg}.path is not accepted: this server allows no local files; send content_base64 instead"
            )
        root = allowed_dir.resolve()
        target = (root / str(value["path"])).resolve()
        if target != root and root not in target.parents:
            raise ArgumentError(f"{arg}.path is outside the allowed directory")
        if not target.is_file():
            raise ArgumentError(f"{arg}.path does not name a file in the allowed directory")
        name = str(value.get("filename") or target.name)
        return File(name, target.read_bytes(), str(value.get("content_type") or _guess(name)))
    try:
        content = base64.b64decode(str(value.get("content_base64", "")), validate=True)
    except (binascii.Error, ValueError):
        raise ArgumentError(f"{arg}.content_base64 is not valid base64") from None
    name = str(value.get("filename") or "file")
    return File(name, content, str(value.get("content_type") or _guess(name)))
