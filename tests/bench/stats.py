"""Sample series and their printed form (min / median / max), plus outcomes that failed.

A figure is either a :class:`Series` (repeated measurements, printed as
``min / median / max``), a single count (bytes, tools), or a :class:`Failed`
step whose message is printed instead of a number, so one broken step never
hides the rest of the table. Ratios are taken between medians.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

__all__ = ["Series", "Failed", "Figure", "ratio", "fmt_bytes", "fmt_figure"]

UNITS = {"s": (1.0, "s"), "ms": (1e3, "ms"), "us": (1e6, "µs"), "MiB": (1 / 1024, "MiB")}


@dataclass(frozen=True)
class Series:
    """Repeated measurements in base units (seconds, or KiB for memory) shown in ``unit``."""

    values: tuple[float, ...]
    unit: str = "ms"

    @classmethod
    def of(cls, values: list[float], unit: str = "ms") -> Series:
        if not values:
            raise ValueError("a series needs at least one value")
        return cls(tuple(values), unit)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self) -> str:
        scale, label = UNITS[self.unit]
        lo, mid, hi = (v * scale for v in (min(self.values), self.median, max(self.values)))
        digits = 0 if max(abs(lo), abs(hi)) >= 100 else (1 if max(abs(lo), abs(hi)) >= 10 else 2)
        if self.unit == "s":
            digits = 2
        return f"{lo:.{digits}f} / {mid:.{digits}f} / {hi:.{digits}f} {label}"


@dataclass(frozen=True)
class Failed:
    """A step that did not produce a figure: what went wrong, and after how long."""

    message: str
    after: float | None = None

    def text(self) -> str:
        when = f" after {self.after:.2f} s" if self.after is not None else ""
        return f"FAILED{when}: {self.message}"


Figure = Series | Failed | int | str | None


def fmt_bytes(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.2f} MiB ({n:,} B)"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.1f} KiB ({n:,} B)"
    return f"{n:,} B"


def fmt_figure(figure: Figure, *, as_bytes: bool = False) -> str:
    if figure is None:
        return "-"
    if isinstance(figure, Series | Failed):
        return figure.text()
    if isinstance(figure, int) and as_bytes:
        return fmt_bytes(figure)
    if isinstance(figure, int):
        return f"{figure:,}"
    return figure


def _value(figure: Figure) -> float | None:
    if isinstance(figure, Series):
        return figure.median
    if isinstance(figure, int | float) and not isinstance(figure, bool):
        return float(figure)
    return None


def ratio(ours: Figure, peer: Figure) -> float | None:
    """ours / peer between medians (or counts); None when either side has no figure."""
    a, b = _value(ours), _value(peer)
    if a is None or b is None or b == 0:
        return None
    return a / b
