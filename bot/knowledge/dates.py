"""Dates as the knowledge base knows them: a day, a month or a year, never more precise than that."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only: int() reads "٢٠٢٤" too


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (YAML may hand us ints and dates too)."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        text = str(value).strip()
        match = _PATTERN.fullmatch(text)
        if not match:
            raise ValueError(f"malformed date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year == 0:  # four digits cannot pass 9999, but year 0 is not on the calendar (dt.MINYEAR is 1)
            raise ValueError(f"malformed date {text!r}: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"malformed date {text!r}: month {month} is not 1-12")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"malformed date {text!r}: day {day} is not in {MONTHS[month - 1]} {year}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.first_day <= end and start <= self.last_day

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    def human(self, language: str) -> str:
        """The date as a person writes it, at exactly its precision."""
        if language == "zh":
            if self.day is not None:
                return f"{self.year}年{self.month}月{self.day}日"
            if self.month is not None:
                return f"{self.year}年{self.month}月"
            return f"{self.year}年"
        if self.day is not None:
            assert self.month is not None
            return f"{MONTHS[self.month - 1]} {self.day}, {self.year}"
        if self.month is not None:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def human_range(self, end: PartialDate, language: str) -> str:
        """From this date to ``end`` as a person writes a range: "November 21–22, 2023", "2023年11月21日至22日";
        what the two share (the year, the month) is said once."""
        if self.precision is not end.precision or self.year != end.year or end.iso() == self.iso():
            if end.iso() == self.iso():
                return self.human(language)
            return f"{self.human(language)}至{end.human(language)}" if language == "zh" else \
                f"{self.human(language)} – {end.human(language)}"
        if language == "zh":
            if self.day is not None and self.month == end.month:
                return f"{self.human(language)}至{end.day}日"
            if self.day is not None:
                return f"{self.human(language)}至{end.month}月{end.day}日"
            return f"{self.human(language)}至{end.month}月" if self.month is not None else self.human(language)
        if self.day is not None and self.month == end.month:
            return f"{MONTHS[self.month - 1]} {self.day}–{end.day}, {self.year}"  # type: ignore[index,operator]
        if self.day is not None:
            return f"{MONTHS[self.month - 1]} {self.day} – {MONTHS[end.month - 1]} {end.day}, {self.year}"  # type: ignore[index,operator]
        if self.month is not None:
            return f"{MONTHS[self.month - 1]}–{MONTHS[end.month - 1]} {self.year}"  # type: ignore[index,operator]
        return self.human(language)
