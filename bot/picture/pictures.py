"""Timeline pictures for the adapters and the CLI: drawn in a worker thread, cached per knowledge version and filter."""

from __future__ import annotations

import asyncio
import struct
from collections import OrderedDict
from dataclasses import dataclass

from bot.core.answerer import Prepared
from bot.core.timeline import Timeline, build_timeline
from bot.knowledge.base import KnowledgeBase
from bot.picture.chart import Chart, build_chart
from bot.picture.fonts import picture_language

FILENAME = "timeline.png"
CACHE_SIZE = 32  # pictures (a few hundred kB each)

Key = tuple[str, str | None, str | None, str | None, str]  # version, person id, since, until, language


@dataclass(frozen=True)
class TimelinePicture:
    png: bytes
    timeline: Timeline  # what the message beside the picture lists, its numbered citations included
    chart: Chart  # what the picture draws; its labels may be English where Chinese could not be drawn

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels, from the PNG's header."""
        width, height = struct.unpack(">II", self.png[16:24])
        return width, height

    def alt_text(self) -> str:
        return f"{self.chart.title}: {len(self.timeline.entries)} events"


async def draw_timeline(prepared: Prepared, *, person: str | None = None, since: str | None = None,
                        until: str | None = None, language: str = "en") -> TimelinePicture:
    """The timeline and its picture, drawn now (the event loop goes on meanwhile)."""
    timeline = build_timeline(prepared, person=person, since=since, until=until, language=language)
    return await _draw(prepared, timeline, since, until)


async def _draw(prepared: Prepared, timeline: Timeline, since: str | None, until: str | None) -> TimelinePicture:
    return await asyncio.to_thread(_draw_blocking, prepared.kb, timeline, since, until)


def _draw_blocking(kb: KnowledgeBase, timeline: Timeline, since: str | None, until: str | None) -> TimelinePicture:
    """In a worker thread: finding the fonts (the first time) and drawing both block."""
    from bot.picture.png import render_png  # matplotlib is imported on the first picture, not at start

    chart = build_chart(timeline, kb, language=picture_language(timeline.language), since=since, until=until)
    return TimelinePicture(render_png(chart), timeline, chart)


class TimelinePictures:
    """The last ``size`` pictures drawn; asking again for one being drawn waits for that drawing."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._done: OrderedDict[Key, TimelinePicture] = OrderedDict()
        self._drawing: dict[Key, asyncio.Task[TimelinePicture]] = {}

    async def get(self, prepared: Prepared, *, person: str | None = None, since: str | None = None,
                  until: str | None = None, language: str = "en") -> TimelinePicture:
        timeline = build_timeline(prepared, person=person, since=since, until=until, language=language)
        key: Key = (prepared.version, timeline.person_id, since, until, language)
        if key in self._done:
            self._done.move_to_end(key)
            return self._done[key]
        task = self._drawing.get(key)
        if task is None:
            task = asyncio.create_task(_draw(prepared, timeline, since, until))
            self._drawing[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)  # a waiter that gives up does not stop the drawing for the others

    def _settle(self, key: Key, task: asyncio.Task[TimelinePicture]) -> None:
        self._drawing.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return
        self._done[key] = task.result()
        while len(self._done) > self.size:
            self._done.popitem(last=False)
