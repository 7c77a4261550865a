"""Find the dates and periods a question names, in English or Chinese.

Written as patterns rather than with dateparser: dateparser turns a whole string into one date,
it does not find "April 2024" inside a question, nor keep the precision a person typed ("May"
means the month, not May 1st), and it costs half a second to import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.knowledge.dates import MONTHS, PartialDate

_MONTH_NAMES = {name.lower(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NAMES |= {name[:3].lower(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NAMES["sept"] = 9
_MON = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A month named alone: "Jan" before a capitalised word is a first name ("before Jan Leike posted"), not January.
_MON_ALONE = _MON.replace("jan(?:uary)?", r"jan(?:uary|(?=\.)|(?!\s+(?-i:[A-Z])))")
_ORD = r"(?:st|nd|rd|th)?"
_ZH_NUM = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_ZH_MONTH = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"

# Each pattern yields (year, month, day) groups; order matters: most specific first.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b"), "ymd"),
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MON},?\s+(\d{{4}})\b", re.I), "dmy"),
    (re.compile(r"(\d{4})\s*年\s*" + _ZH_MONTH + r"\s*月\s*(\d{1,2})\s*[日号]"), "zh-ymd"),
    (re.compile(r"\b(\d{4})-(\d{1,2})\b(?!-)"), "ym"),
    (re.compile(rf"\b{_MON},?\s+(?:of\s+)?(\d{{4}})\b", re.I), "my"),
    (re.compile(r"(\d{4})\s*年\s*" + _ZH_MONTH + r"\s*月"), "zh-ym"),
    (re.compile(r"(?<!\d)" + _ZH_MONTH + r"\s*月\s*(\d{1,2})\s*[日号]"), "zh-md"),
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}}){_ORD}\b(?!\s*,?\s*\d{{4}})", re.I), "md"),
    (re.compile(r"(\d{4})\s*年"), "zh-y"),
    (re.compile(r"(?<![\d年])" + _ZH_MONTH + r"\s*月(?!\s*\d)"), "zh-m"),
    (re.compile(rf"\b(?:in|during|of|since|until|before|after|by)\s+{_MON_ALONE}\b(?!\s*\d)", re.I), "m"),
    (re.compile(r"\b((?:19|20)\d{2})\b"), "y"),
]

_RANGE_WORDS = re.compile(
    r"\b(between|from|since|after|until|till|before|by)\b|从|自|以来|之后|以后|之前|以前|到|至|[-–~]|\.\.", re.I
)


@dataclass(frozen=True)
class Period:
    """A span of days a question asks about, with the precision the person typed at each end."""

    start: dt.date
    end: dt.date
    label_start: PartialDate | None
    label_end: PartialDate | None

    def contains(self, date: PartialDate) -> bool:
        return date.overlaps(self.start, self.end)


@dataclass(frozen=True)
class DateMention:
    year: int | None
    month: int | None
    day: int | None
    span: tuple[int, int]

    def periods(self, years: Iterable[int]) -> list[tuple[dt.date, dt.date]]:
        out = []
        years = [self.year] if self.year else sorted(set(years))
        if self.day is not None and self.month is not None:
            # A day without a year (February 29) is looked for only in the years that have it;
            # 2024, the leap year ``_valid`` checks against, when none of the story's years does.
            years = [y for y in years if self.day <= calendar.monthrange(y, self.month)[1]] or [2024]
        for year in years:
            month_first, month_last = (self.month, self.month) if self.month else (1, 12)
            last = calendar.monthrange(year, month_last)[1]
            start = dt.date(year, month_first, self.day or 1)
            end = dt.date(year, month_last, self.day or last)
            out.append((start, end))
        return out

    def partial(self) -> PartialDate | None:
        return PartialDate(self.year, self.month, self.day) if self.year else None


def _month(token: str) -> int:
    token = token.lower().rstrip(".")
    if token in _ZH_NUM:
        return _ZH_NUM[token]
    if token.isdigit():
        return int(token)
    return _MONTH_NAMES.get(token, _MONTH_NAMES.get(token[:3], 0))


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year or 2024, month)[1]):
        return False
    return year is None or 1900 <= year <= 2100


def find_dates(text: str) -> list[DateMention]:
    """Date mentions in order of appearance, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, shape in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            g = match.groups()
            year = month = day = None
            if shape in ("ymd", "zh-ymd"):
                year, month, day = int(g[0]), _month(g[1]), int(g[2])
            elif shape == "mdy":
                month, day, year = _month(g[0]), int(g[1]), int(g[2])
            elif shape == "dmy":
                day, month, year = int(g[0]), _month(g[1]), int(g[2])
            elif shape in ("ym", "zh-ym"):
                year, month = int(g[0]), _month(g[1])
            elif shape == "my":
                month, year = _month(g[0]), int(g[1])
            elif shape in ("zh-md", "md"):
                month, day = _month(g[0]), int(g[1])
            elif shape in ("zh-y", "y"):
                year = int(g[0])
            elif shape in ("zh-m", "m"):
                month = _month(g[0])
            if shape == "m":
                span = (match.start(1), match.end(1))
            if not _valid(year, month, day):
                continue
            taken.append(span)
            found.append(DateMention(year, month, day, span))
    return sorted(found, key=lambda m: m.span)


def period_of(text: str, mentions: list[DateMention], years: Iterable[int]) -> Period | None:
    """The period a question asks about: one date, or a range ("between X and Y", "since X", "X到Y")."""
    if not mentions:
        return None
    years = list(years) or [dt.date.today().year]
    first = mentions[0]
    lo = min(p[0] for p in first.periods(years))
    hi = max(p[1] for p in first.periods(years))
    label_start = label_end = first.partial()
    before = text[: first.span[0]].lower()
    after_first = text[first.span[1] :].lower()
    if len(mentions) >= 2 and _RANGE_WORDS.search(text[first.span[1] : mentions[1].span[0]] + before[-12:]):
        second = mentions[1]
        hi = max(p[1] for p in second.periods(years))
        label_end = second.partial()
    elif (
        re.search(r"\b(since|after|from)\s*$", before)
        or re.match(r"\s*(以来|之后|以后|起)", after_first)
        or re.search(r"(从|自)\s*$", before)
    ):
        hi = dt.date.max
        label_end = None
    elif re.search(r"\b(until|till|before|by)\s*$", before) or re.match(r"\s*(之前|以前|前)", after_first):
        lo = dt.date.min
        label_start = None
    return Period(lo, hi, label_start, label_end)
