"""Formatting generated Python: the pinned ruff, one run over many files.

Generated modules are laid out in black's style at black's line length (88), by
``ruff format``, a native program that formats a whole folder in parallel where
black, run in Python file by file, took most of a large document's generation
time. The models module also gets its imports sorted (``ruff check --select I``):
datamodel-code-generator writes it unformatted, and its own formatter took a third
of its time and most of its memory on large documents. The emit stage formats
rendered modules; the models stage formats the models module before caching it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["LINE_LENGTH", "format_sources", "formatter_version"]

# black's style at black's line length: the same layout every generated package always had.
LINE_LENGTH = 88  # black's
_RUFF_ARGS = ("format", "--isolated", "--no-cache", "--line-length", str(LINE_LENGTH), "--target-version", "py311")
_ISORT_ARGS = ("check", "--isolated", "--no-cache", "--select", "I", "--fix", "--exit-zero", "--quiet",
               "--target-version", "py311")  # fmt: skip


def formatter_version() -> str:
    import importlib.metadata as md

    return "ruff " + md.version("ruff")


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return os.fsdecode(find_ruff_bin())


def format_sources(texts: Mapping[str, str], *, sort_imports: bool = False) -> dict[str, str]:
    """Format Python ``texts`` (relative path -> source) with the pinned ruff, in one run;
    with ``sort_imports``, sort their imports first (isort's rules, ``ruff check --select I``).

    Raises ValueError naming the file when a text does not parse (ruff's parser is
    Python's grammar; ``compile`` also catches what only the compiler refuses)."""
    if not texts:
        return {}
    with tempfile.TemporaryDirectory(prefix="helpdesk-mcp-format-") as tmp:
        root = Path(tmp)
        for rel, text in texts.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if sort_imports:
            done = subprocess.run([_ruff(), *_ISORT_ARGS, "."], cwd=root, capture_output=True, text=True)
            if done.returncode != 0:
                raise ValueError(f"generated code does not parse: {_ruff_problem(done.stderr, root)}")
        done = subprocess.run([_ruff(), *_RUFF_ARGS, "."], cwd=root, capture_output=True, text=True)
        if done.returncode != 0:
            raise ValueError(f"generated code does not parse: {_ruff_problem(done.stderr, root)}")
        out = {rel: (root / rel).read_text(encoding="utf-8") for rel in texts}
    for rel, text in out.items():
        try:
            compile(text, rel, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise ValueError(f"generated {rel} does not parse: {exc}") from None
    return out


def _ruff_problem(stderr: str, root: Path) -> str:
    text = stderr.replace(str(root) + os.sep, "").strip()
    return re.sub(r"\x1b\[[0-9;]*m", "", text)[:2000] or "ruff failed without a message"
