# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""File arguments: what a caller may pass for a multipart file part.

Library users pass bytes, a path, an open binary file, a ``(filename, content[,
content_type])`` tuple or a :class:`File`. MCP callers pass
``{filename, content_type, content_base64}`` objects; a local ``path`` is accepted
only when the server was started with an allowed directory, and must resolve
inside it (symlinks and ``..`` included).

Files from MCP callers are capped (``max_bytes``, the server's
``--max-file-bytes``; :data:`DEFAULT_MAX_FILE_BYTES` by default) and the cap is
checked before anything is read or decoded: a local file's size comes from
``stat``, a base64 text's from its length. A local file is then not read into
memory at all: :class:`LocalFile` hands the HTTP client a reader
(:class:`BoundedReader`) that streams it from disk in the client's chunks, never
past the size that was checked, so a 200 MB file costs a 64 KiB buffer instead
of 200 MB (multipart parts; a whole raw body is read, bounded by the cap). A
file that changes size between the check and the send is refused mid-send
rather than sent different from what was checked. Paths, names and media types
are checked for control characters and syntax (``wire``) before they reach a
part header.
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

from .errors import ArgumentError, ClientError
from .wire import media_type, no_control_characters

__all__ = [
    "DEFAULT_MAX_FILE_BYTES", "BoundedReader", "File", "FileInput", "LocalFile", "to_file", "file_from_tool",
]  # fmt: skip

DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024
"""The largest file an MCP caller may attach, unless the server says otherwise (25 MiB)."""


@dataclass(frozen=True)
class File:
    """A file ready to upload."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class LocalFile:
    """A file in the server's allowed directory, checked (``size`` is its size when checked)
    and sent by streaming it from disk: :meth:`open` for a multipart part, :meth:`read`
    for a whole body."""

    filename: str
    path: Path
    size: int
    content_type: str = "application/octet-stream"

    def open(self) -> BoundedReader:
        """A reader of exactly ``size`` bytes, opened lazily (see :class:`BoundedReader`)."""
        return BoundedReader(self.path, self.size)

    def read(self) -> bytes:
        """The whole content (``size`` bytes at most)."""
        reader = self.open()
        try:
            return reader.read()
        finally:
            reader.close()


class BoundedReader:
    """A binary file object over ``path`` that yields exactly ``size`` bytes.

    The HTTP client learns the length from ``seek(0, 2)`` (so the request carries
    a ``Content-Length``), rewinds with ``seek(0)`` for a retry and reads in
    chunks. The file is opened on the first read (without following a symlink
    put in its place since the check) and closed at the end or by :meth:`close`;
    a file found shorter or longer than ``size`` raises :class:`ClientError`.
    """

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self._position = 0
        self._handle: IO[bytes] | None = None

    def _open(self) -> IO[bytes]:
        if self._handle is None:
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            try:
                self._handle = os.fdopen(os.open(self.path, flags), "rb", buffering=0)
            except OSError as exc:
                raise ClientError(f"cannot read {self.path.name!r}: {exc.strerror}") from None
        return self._handle

    def read(self, n: int = -1) -> bytes:
        left = self.size - self._position
        if left <= 0:
            if self._handle is not None:
                extra = self._handle.read(1)
                self.close()
                if extra:
                    raise ClientError(f"{self.path.name!r} grew while it was being sent; nothing more was sent")
            return b""
        want = left if n is None or n < 0 else min(n, left)
        data = self._open().read(want) or b""
        if not data:
            self.close()
            raise ClientError(f"{self.path.name!r} shrank while it was being sent; the upload is incomplete")
        self._position += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END and offset == 0:
            return self.size  # the length, asked without reading (httpx's peek_filelike_length)
        if whence == os.SEEK_SET and 0 <= offset <= self.size:
            if self._handle is not None:
                self._handle.seek(offset)
            self._position = offset
            return offset
        raise OSError("BoundedReader seeks only to a position within the file or to its end")

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()

    def __del__(self) -> None:  # a send that failed midway leaves the reader unreferenced
        self.close()


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


def file_from_tool(
    value: Mapping[str, Any], arg: str, allowed_dir: Path | None, max_bytes: int | None = DEFAULT_MAX_FILE_BYTES
) -> File | LocalFile:
    """Decode an MCP file object (``content_base64`` or an allowed ``path``), at most
    ``max_bytes`` long (None: no cap); see the module docstring."""
    name = str(value.get("filename") or "")
    no_control_characters(name, f"{arg}.filename")
    ctype = str(value.get("content_type") or "")
    if ctype:
        ctype = media_type(ctype, f"{arg}.content_type")
    if "path" in value:
        if allowed_dir is None:
            raise ArgumentError(
                f"{arg}.path is not accepted: this server allows no local files; send content_base64 instead"
            )
        target, size = _allowed_file(str(value["path"]), arg, allowed_dir)
        if max_bytes is not None and size > max_bytes:
            raise ArgumentError(f"{arg}.path: the file has {size} bytes, above this server's limit of {max_bytes}")
        name = name or target.name
        return LocalFile(name, target, size, ctype or _guess(name))
    text = str(value.get("content_base64", ""))
    # valid base64 of this length decodes to at least (len // 4) * 3 - 2 bytes
    if max_bytes is not None and (len(text) // 4) * 3 - 2 > max_bytes:
        raise ArgumentError(
            f"{arg}.content_base64: the file has more than {max_bytes} bytes, above this server's limit"
        )
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ArgumentError(f"{arg}.content_base64 is not valid base64") from None
    if max_bytes is not None and len(content) > max_bytes:
        raise ArgumentError(
            f"{arg}.content_base64: the file has {len(content)} bytes, above this server's limit of {max_bytes}"
        )
    name = name or "file"
    return File(name, content, ctype or _guess(name))


def _allowed_file(given: str, arg: str, allowed_dir: Path) -> tuple[Path, int]:
    """The regular file ``given`` names inside ``allowed_dir`` (resolved) and its size, or ArgumentError."""
    # a NUL byte would make the OS calls below raise ValueError
    no_control_characters(given, f"{arg}.path")
    root = allowed_dir.resolve()
    try:
        target = (root / given).resolve()
        inside = target == root or root in target.parents
        is_file = inside and target.is_file()
        size = target.stat().st_size if is_file else 0
    # too long, a symlink loop, gone meanwhile, ...
    except (OSError, ValueError, RuntimeError):
        raise ArgumentError(f"{arg}.path cannot be read") from None
    if not inside:
        raise ArgumentError(f"{arg}.path is outside the allowed directory")
    if not is_file:
        raise ArgumentError(f"{arg}.path does not name a file in the allowed directory")
    return target, size
