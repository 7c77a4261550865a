"""The picture's time axis: one column per month, wider where more days have events, so clusters stay legible.

Within a month the scale is linear, so a month-precision event spans its whole column and a day sits at its
place in it; the renderer labels and grids every month so the widths read as what they are.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.picture.chart import Mark

EMPTY_MONTH = 0.6  # width of a month without a dated day, against one more unit per such day
PER_DAY = 1.5


@dataclass(frozen=True)
class MonthScale:
    months: tuple[tuple[int, int], ...]  # (year, month), first to last, none skipped
    edges: tuple[float, ...]  # where each month starts, in 0..1; one more than months (the end, 1.0)

    @classmethod
    def of(cls, marks: Iterable[Mark]) -> MonthScale:
        marks = list(marks)
        if not marks:
            today = dt.date.today()
            return cls(((today.year, today.month),), (0.0, 1.0))
        first, last = min(m.start for m in marks), max(m.end for m in marks)
        days = Counter((d.year, d.month) for d in {m.start for m in marks if not m.is_span})
        months = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        weights = [EMPTY_MONTH + PER_DAY * days[m] for m in months]
        total, edges, at = sum(weights), [0.0], 0.0
        for weight in weights:
            at += weight
            edges.append(at / total)
        edges[-1] = 1.0
        return cls(tuple(months), tuple(edges))

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
