"""The picture's time axis: one column per month, wider where more days have events, so clusters stay legible.

Within a month the scale is linear, so a month-precision event spans its whole column and a day sits at its
place in it; the renderer labels and grids every month so the widths read as what they are.

The axis lays out at most ``MOST_MONTHS`` months (drawing costs about a millisecond and a few kB a month: an event
dated 0001 beside the story's 2024 would be 24,000 of them): past that it shows the busiest stretch, and the events
outside it are drawn at its edges (``outside`` counts them, for the picture's note).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.picture.chart import Mark

EMPTY_MONTH = 0.6  # width of a month without a dated day, against one more unit per such day
PER_DAY = 1.5
MOST_MONTHS = 120  # ten years: on the picture's ~950 px axis, more would leave a month under 8 px


@dataclass(frozen=True)
class MonthScale:
    months: tuple[tuple[int, int], ...]  # (year, month), first to last, none skipped
    edges: tuple[float, ...]  # where each month starts, in 0..1; one more than months (the end, 1.0)
    outside: int = 0  # events not wholly on the axis (it was cut to ``MOST_MONTHS``): drawn at its edges

    @classmethod
    def of(cls, marks: Iterable[Mark], most: int = MOST_MONTHS) -> MonthScale:
        marks = list(marks)
        if not marks:
            today = dt.date.today()
            return cls(((today.year, today.month),), (0.0, 1.0))
        first, last = _busiest(marks, most)
        outside = len({m.event_id for m in marks if _month(m.start) < first or _month(m.end) > last})
        days = Counter((d.year, d.month) for d in {m.start for m in marks if not m.is_span})
        months = [(n // 12, n % 12 + 1) for n in range(first, last + 1)]
        weights = [EMPTY_MONTH + PER_DAY * days[m] for m in months]
        total, edges, at = sum(weights), [0.0], 0.0
        for weight in weights:
            at += weight
            edges.append(at / total)
        edges[-1] = 1.0
        return cls(tuple(months), tuple(edges), outside)

    def x(self, day: dt.date) -> float:
        """Where ``day`` begins, in 0..1 (clamped to the axis)."""
        key = (day.year, day.month)
        if key < self.months[0]:
            return 0.0
        if key > self.months[-1]:
            return 1.0
        n = self.months.index(key)
        length = calendar.monthrange(day.year, day.month)[1]
        return self.edges[n] + (self.edges[n + 1] - self.edges[n]) * (day.day - 1) / length

    def x_end(self, day: dt.date) -> float:
        """Where ``day`` ends: the start of the next day."""
        return self.x(day + dt.timedelta(days=1)) if day < dt.date.max else 1.0

    def center(self, day: dt.date) -> float:
        return (self.x(day) + self.x_end(day)) / 2

    def column(self, n: int) -> tuple[float, float]:
        """Where month ``n`` starts and ends."""
        return self.edges[n], self.edges[n + 1]


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _busiest(marks: list[Mark], most: int) -> tuple[int, int]:
    """The first and last month of the axis: all the marks' months when they are at most ``most``, else the
    window of ``most`` months that the most marks reach into (the latest of equals), narrowed to those marks
    (but for marks that reach past both its ends: they say nothing of where the story is)."""
    starts = sorted(_month(m.start) for m in marks)
    ends = sorted(_month(m.end) for m in marks)
    first, last = starts[0], ends[-1]
    if last - first < most:
        return first, last

    def reaching(lo: int) -> int:  # marks that reach into [lo, lo + most - 1]
        return bisect.bisect_right(starts, lo + most - 1) - bisect.bisect_left(ends, lo)

    candidates = {min(max(n, first), last - most + 1) for n in (*starts, *(e - most + 1 for e in ends))}
    lo = max(sorted(candidates, reverse=True), key=reaching)  # max keeps the first of equals: the latest
    hi = lo + most - 1
    months = [(_month(m.start), _month(m.end)) for m in marks]
    inside = [(a, b) for a, b in months if a <= hi and b >= lo and not (a < lo and b > hi)] or [(lo, hi)]
    return max(lo, min(a for a, _ in inside)), min(hi, max(b for _, b in inside))
