"""Diagnostics: problems found in a document, collected and reported together.

Every layer appends :class:`Diagnostic` values instead of raising on the first
problem, so one run shows every issue with its location in the document
(``paths./v3/tickets.get.parameters[0]``). Warnings mark what the generator
skipped; errors stop generation before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Diagnostic", "Diagnostics", "GenerationError", "location"]


def location(*parts: str | int) -> str:
    """Join document path segments into a readable location.

    Integers become ``[i]`` indexes: ``location("paths", "/a", "get", "parameters", 0)``
    gives ``paths./a.get.parameters[0]``.
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located in the source document."""

    severity: Literal["error", "warning"]
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


@dataclass
class Diagnostics:
    """An accumulator passed through the layers."""

    source: str = ""
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self._add(Diagnostic("error", where, message))

    def warning(self, where: str, message: str) -> None:
        self._add(Diagnostic("warning", where, message))

    def _add(self, diagnostic: Diagnostic) -> None:
        # Once each: a path-level parameter is read again for every operation of its path.
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise GenerationError(self.source, self.errors)


class GenerationError(Exception):
    """Raised when a document cannot be generated; carries every error found."""

    def __init__(self, source: str, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.diagnostics = diagnostics
        lines = [f"{source}: {len(diagnostics)} error(s)"]
        lines += [f"  {d.where}: {d.message}" for d in diagnostics]
        super().__init__("\n".join(lines))
