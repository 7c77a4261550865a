"""What the timeline picture draws: lanes of people and their events as day marks or spans, in one language.

A pure function of a core ``Timeline`` and the knowledge it came from; the renderer adds no facts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot.core.timeline import Timeline
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Event

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_IN_WORD = re.compile(r"[^\W_]|['’-]")  # a letter or digit, or an apostrophe or hyphen within a word
_DANGLING = " ,;:·、，；：—–-([{“‘「『（《\"'"  # stripped before the ellipsis of a cut title

GENERAL = ""  # the lane key of events that name no individual
LABEL_MAX = {"en": 44, "zh": 22}  # characters of an event title on the picture (the message has it whole)
_LATIN_GLOSS = re.compile(r"[(（][A-Za-z][A-Za-z .'’-]*[)）]")  # "萨姆·奥特曼(Sam Altman)": the picture keeps the name

WORDS: dict[str, dict[str, str]] = {
    "en": {"timeline": "Timeline", "of": "Timeline of {name}", "general": "Others", "since": "from {d}",
           "until": "until {d}", "none": "No events match.", "footer": "Knowledge base version {v}",
           "sources": "Sources [n] are listed with this picture.", "day": "a day", "span": "a month or a year",
           "approximate day": "a day, approximate", "approximate span": "a month or a year, approximate",
           "scale": "Months with more events are drawn wider.",
           "cut": "The axis shows {first} to {last}; events beyond it ({n}) are drawn at its edges, ◀ or ▶."},
    "zh": {"timeline": "时间线", "of": "{name}的时间线", "general": "其他", "since": "自 {d}", "until": "至 {d}",
           "none": "没有符合条件的事件。", "footer": "知识库版本 {v}", "sources": "来源 [n] 列在图片所附的消息中。",
           "day": "具体日期", "span": "只知道月份或年份", "approximate day": "大约的日期",
           "approximate span": "大约的月份或年份", "scale": "事件较多的月份画得较宽。",
           "cut": "时间轴只显示 {first} 至 {last}；范围外的事件（{n} 个）画在两端，标有 ◀ 或 ▶。"},
}


@dataclass(frozen=True)
class Lane:
    key: str  # a person id, or GENERAL
    label: str


@dataclass(frozen=True)
class Mark:
    """One event in one lane: a day (start == end) or a span over every day the date allows."""

    lane: int  # index into Chart.lanes
    event_id: str
    start: dt.date
    end: dt.date  # inclusive
    precision: str  # "day", "month" or "year", of the event's date
    approximate: bool
    label: str
    citation_numbers: tuple[int, ...]

    @property
    def is_span(self) -> bool:
        return self.end > self.start


@dataclass(frozen=True)
class Chart:
    language: str  # of every label on the picture
    title: str
    period: str | None  # "from 2024-05 · until 2024-05", when the timeline is filtered on dates (as understood)
    version: str
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]

    def words(self) -> dict[str, str]:
        return WORDS[self.language]

    def marks_in(self, lane: int) -> tuple[Mark, ...]:
        return tuple(m for m in self.marks if m.lane == lane)

    def legend(self) -> tuple[str, ...]:
        """The kinds of mark the picture draws, each once, in the legend's order (keys of ``words()``)."""
        kinds = {(m.is_span, m.approximate) for m in self.marks}
        order = {(False, False): "day", (True, False): "span", (False, True): "approximate day",
                 (True, True): "approximate span"}
        return tuple(word for kind, word in order.items() if kind in kinds)


def clip(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut where a word ends (in Chinese, between any two characters,
    but never inside a Latin word such as "OpenAI"), with an ellipsis. A single word longer than half the room
    is cut inside, as no boundary would leave enough of it."""
    if len(text) <= limit:
        return text
    room = limit - 1  # the ellipsis takes one
    cut = max((n for n in range(1, room + 1) if not _inside_word(text, n)), default=0)
    if cut < room / 2:
        cut = room
    return text[:cut].rstrip(_DANGLING) + "…"


def _inside_word(text: str, n: int) -> bool:
    """Whether a cut before ``text[n]`` falls inside a word: between two letters or digits of a script that
    spaces its words (a Chinese character is a word of its own)."""
    before, after = text[n - 1], text[n]
    return all(_IN_WORD.match(ch) and not _HAN.match(ch) for ch in (before, after))


def build_chart(timeline: Timeline, kb: KnowledgeBase, *, language: str | None = None) -> Chart:
    """The chart of ``timeline`` with labels in ``language`` (default: the timeline's own).

    One lane per individual the events name, in the knowledge base's order, and a last lane for events that
    name none (organisations only, or nobody); filtered on a person, the one lane of that person.
    """
    language = language or timeline.language
    words = WORDS.get(language, WORDS["en"])
    events = [_event(kb, entry.event_id) for entry in timeline.entries]
    if timeline.person_id:
        keys = [timeline.person_id]
    else:
        named = {p for event in events for p in event.people if _individual(kb, p)}
        keys = [p.id for p in kb.people if p.id in named]
        if any(not any(_individual(kb, p) for p in event.people) for event in events):
            keys.append(GENERAL)
    lanes = tuple(Lane(key, _lane_label(kb, key, language, words)) for key in keys)
    index = {lane.key: n for n, lane in enumerate(lanes)}
    marks = []
    for entry, event in zip(timeline.entries, events, strict=True):
        in_lanes = [index[p] for p in event.people if p in index] or [index[GENERAL]]
        end = event.end.last_day if event.end else event.date.last_day
        label = _label(event.title.get(language), language)
        marks += [Mark(lane, event.id, event.date.first_day, end, event.date.precision.value, event.approximate,
                       label, entry.citation_numbers) for lane in sorted(set(in_lanes))]
    name = kb.person(timeline.person_id) if timeline.person_id else None
    title = words["of"].format(name=_lane_label(kb, name.id, language, words)) if name else words["timeline"]
    bounds = (("since", timeline.start and _from(timeline.start)), ("until", timeline.end and _to(timeline.end)))
    period = " · ".join(words[k].format(d=v) for k, v in bounds if v) or None
    return Chart(language, title, period, kb.version, lanes, tuple(marks))


def _from(day: dt.date) -> str:
    """The shortest date that starts on ``day``: since "2024-01-01", "2024-01" or "2024" all read "2024"."""
    if day.day != 1:
        return day.isoformat()
    return f"{day.year:04d}" if day.month == 1 else f"{day.year:04d}-{day.month:02d}"


def _to(day: dt.date) -> str:
    """The shortest date that ends on ``day``."""
    if day.day != calendar.monthrange(day.year, day.month)[1]:
        return day.isoformat()
    return f"{day.year:04d}" if day.month == 12 else f"{day.year:04d}-{day.month:02d}"


def _label(title: str, language: str) -> str:
    title = _LATIN_GLOSS.sub("", title) if language == "zh" else _latin(title)
    return clip(title, LABEL_MAX.get(language, LABEL_MAX["en"]))


def _latin(text: str) -> str:
    """``text`` with any Chinese characters in it read out in pinyin ("核子可乐" -> "Hezikele"), so an English
    label needs no CJK font: each run of characters one capitalised word."""
    if not _HAN.search(text):
        return text
    from pypinyin import lazy_pinyin  # its dictionary loads on first use

    return _HAN.sub(lambda run: "".join(lazy_pinyin(run.group())).capitalize(), text)


def _event(kb: KnowledgeBase, event_id: str) -> Event:
    event = kb.get(event_id)
    assert isinstance(event, Event), event_id
    return event


def _individual(kb: KnowledgeBase, person_id: str) -> bool:
    person = kb.person(person_id)
    return person is not None and person.kind == "person"


def _lane_label(kb: KnowledgeBase, key: str, language: str, words: dict[str, str]) -> str:
    """The person's name in the picture's language; in English, a name written in Chinese characters (a pen
    name) by its Latin alias, so an English picture needs no CJK font ("Hezi Kele (pen name)"), or in pinyin
    when it has none."""
    person = kb.person(key) if key else None
    if person is None:
        return words["general"]
    name = person.name.get(language)
    latin = next((a for a in person.aliases if a.isascii() and a.strip()), None)
    if language != "zh" and latin is not None and _HAN.search(name):
        name = _HAN.sub(latin, name, count=1)
        name = _HAN.sub("", name).strip()
    return name if language == "zh" else _latin(name)
