"""Two dated events compared: which came first, and how long lay between them, at the precision their
dates are known to (a month against a day is an order only when the months differ; days are counted
only between two days)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.compose import date_phrase
from bot.knowledge.dates import PartialDate
from bot.knowledge.models import Event

_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()


@dataclass(frozen=True)
class Dated:
    event: Event
    markers: str  # its citation markers, "[1]"

    @property
    def date(self) -> PartialDate:
        return self.event.date


def order(a: PartialDate, b: PartialDate) -> int | None:
    """-1 when ``a`` is earlier, 1 when later, 0 on the same day; None when the precision cannot tell."""
    if a.last_day < b.first_day:
        return -1
    if b.last_day < a.first_day:
        return 1
    if a.day is not None and b.day is not None:
        return 0
    return None


def written_first(a: PartialDate, b: PartialDate, between: bool) -> bool:
    """Whether ``order_text`` (or, with ``between``, ``between_text``) names ``b`` before ``a``."""
    return b.first_day < a.first_day if between else order(a, b) == 1


def _label(item: Dated, language: str) -> str:
    return f"{item.event.title.get(language)}{'' if language == 'zh' else ' '}({date_phrase(item.event, language)})"


def order_text(a: Dated, b: Dated, language: str, asks: str = "") -> str:
    """Which came first; asked whether ``a`` was "before" or "after" ``b``, the yes or the no first, where the
    dates tell (not for one day, nor where their precision cannot order them)."""
    zh = language == "zh"
    result = order(a.date, b.date)
    said = _order_said(a, b, language, result)
    if asks and result:
        yes = (result < 0) == (asks == "before")
        return ("是的：" if yes else "不是：") + said if zh else ("Yes — " if yes else "No — ") + said
    return said


def _order_said(a: Dated, b: Dated, language: str, result: int | None) -> str:
    zh = language == "zh"
    if result is None:
        if zh:
            return (f"资料无法判断孰先孰后:{_label(a, language)}{a.markers},{_label(b, language)}{b.markers},"
                    "两者的日期精度不足以排序。")
        return (f"My sources can't tell which came first: {_label(a, language)} {a.markers} and "
                f"{_label(b, language)} {b.markers} are not dated precisely enough to order.")
    if result == 0:
        day = a.date.human(language)
        if zh:
            both = f"{a.event.text.get(language)}{a.markers}{b.event.text.get(language)}{b.markers}"
            return f"两件事发生在同一天({day}):{both}"
        return (f"Both happened on the same day, {day}: {a.event.title.get(language)} {a.markers}, and "
                f"{b.event.title.get(language)} {b.markers}.")
    first, then = (a, b) if result < 0 else (b, a)
    days = (then.date.first_day - first.date.first_day).days if first.date.day and then.date.day else None
    if zh:
        gap = f",比后者早{days}天" if days else ""
        return f"{_label(first, language)}在先{first.markers}{gap};{_label(then, language)}在后{then.markers}。"
    gap = "the day" if days == 1 else f"{days} days" if days else ""
    return (f"{_label(first, language)} came first {first.markers}, {gap + ' ' if gap else ''}before "
            f"{_label(then, language)} {then.markers}.")


def between_text(a: Dated, b: Dated, language: str) -> str:
    zh = language == "zh"
    first, then = (a, b) if a.date.first_day <= b.date.first_day else (b, a)
    if first.date.day is None or then.date.day is None:
        months = _months(first.date, then.date)
        if months is None or months == 0:
            if zh:
                return (f"资料的日期不够精确,无法计算相隔多久:{_label(first, language)}{first.markers},"
                        f"{_label(then, language)}{then.markers}。")
            return (f"My sources' dates are not precise enough to count the time between them: "
                    f"{_label(first, language)} {first.markers}, {_label(then, language)} {then.markers}.")
        if zh:
            return (f"大约 {months} 个月:{_label(first, language)}{first.markers},"
                    f"{_label(then, language)}{then.markers}(日期只精确到月)。")
        return (f"About {months} month{'s' if months != 1 else ''} (the dates are known only to the month): "
                f"{_label(first, language)} {first.markers}, {_label(then, language)} {then.markers}.")
    days = (then.date.first_day - first.date.first_day).days
    if days == 0:  # "0 days" is no answer a person gives
        return order_text(first, then, language)
    approx = _approximately(days, language)
    if zh:
        return f"相隔{days}天{approx}:{_label(first, language)}{first.markers},{_label(then, language)}{then.markers}。"
    unit = "day" if days == 1 else "days"
    return (f"{days} {unit}{approx}: {_label(first, language)} {first.markers}, then "
            f"{_label(then, language)} {then.markers}.")


def _approximately(days: int, language: str) -> str:
    if days < 45:
        return ""
    months = round(days / 30.44)
    if language == "zh":
        return f"(约 {months} 个月)" if months != 6 else "(约半年,六个月)"
    word = _NUMBERS[months] if months < len(_NUMBERS) else str(months)
    return f" (about {word} months)"


def _months(first: PartialDate, then: PartialDate) -> int | None:
    if first.month is None or then.month is None:
        return None
    return (then.year - first.year) * 12 + then.month - first.month
