"""Staggering the event labels of one lane into rows so that no two labels in a row overlap."""

from __future__ import annotations

from collections.abc import Sequence


def stack(extents: Sequence[tuple[float, float]], *, gap: float = 8.0, max_rows: int = 8) -> list[int]:
    """The row of each label, given its (left, right) extent in pixels, in the order the labels are given.

    A label takes the first row where it overlaps nothing (with ``gap`` to spare); past ``max_rows`` rows it
    takes the row where it overlaps least.
    """
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for left, right in extents:
        overlaps = [sum(_overlap((left, right), other, gap) for other in row) for row in rows]
        free = next((n for n, amount in enumerate(overlaps) if amount == 0), None)
        if free is None and len(rows) < max_rows:
            rows.append([])
            free = len(rows) - 1
        elif free is None:
            free = min(range(len(rows)), key=overlaps.__getitem__)
        rows[free].append((left, right))
        placed.append(free)
    return placed


def _overlap(a: tuple[float, float], b: tuple[float, float], gap: float) -> float:
    return max(0.0, min(a[1], b[1]) + gap - max(a[0], b[0]))
