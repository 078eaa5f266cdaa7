"""Text output: aligned tables, and the targets each figure is held to."""

from __future__ import annotations

from dataclasses import dataclass


def table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """Columns padded to width. ``align`` has one letter per column, ``l`` or ``r``; by
    default the first column is left-aligned and the others right-aligned (numbers)."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    align = align or "l" + "r" * (len(header) - 1)

    def line(row: list[str]) -> str:
        cells = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


@dataclass(frozen=True)
class Check:
    """One figure held to a target. ``passed`` None: reported only, no target."""

    figure: str
    measured: str
    target: str
    passed: bool | None
    #: What limits the figure, or why it misses.
    note: str = ""

    @property
    def result(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "MISS"


def targets_table(checks: list[Check]) -> str:
    rows = [[c.figure, c.measured, c.target, c.result, c.note] for c in checks]
    return table(["figure", "measured", "target", "result", "note"], rows, align="lrlll")
