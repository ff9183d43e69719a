"""Plain-text tables for the benchmark report.

A :class:`Table` is a list of sections, each a list of rows of cells already
turned into text. A cell longer than ``max_cell`` (a failure message, usually)
is cut and its full text moved to a numbered note printed under the table, so
the columns stay readable and nothing is lost. The first column, the row's
label, is never cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Table"]


@dataclass
class Table:
    """Rows under a header, grouped in titled sections."""

    header: tuple[str, ...]
    max_cell: int = 46
    rows: list[tuple[str, ...] | str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        self.rows.append(title)

    def add(self, *cells: str) -> None:
        if len(cells) != len(self.header):
            raise ValueError(f"a row needs {len(self.header)} cells, got {len(cells)}")
        self.rows.append((cells[0], *(self._fit(c) for c in cells[1:])))

    def note(self, text: str) -> str:
        """Add a note under the table; returns its marker."""
        self.notes.append(text)
        return f"[{len(self.notes)}]"

    def _fit(self, cell: str) -> str:
        if len(cell) <= self.max_cell:
            return cell
        marker = self.note(cell)
        return cell[: self.max_cell - len(marker) - 2] + "… " + marker

    def render(self) -> str:
        cells = [r for r in self.rows if isinstance(r, tuple)]
        widths = [max(len(row[i]) for row in [self.header, *cells]) for i in range(len(self.header))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

        out = [line(self.header), "  ".join("-" * w for w in widths)]
        for row in self.rows:
            out.append(f"\n{row}" if isinstance(row, str) else line(row))
        if self.notes:
            out.append("")
            out += [f"[{i}] {text}" for i, text in enumerate(self.notes, 1)]
        return "\n".join(out)
