"""Timeline pictures for the adapters and the CLI: drawn in a worker thread, cached per knowledge version and filter.

A picture costs about half a second of CPU, so the cache is keyed on the filter as understood (the person's id, the
period's first and last day), not as typed; drawings take turns in one slot, a few at most waiting for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import struct
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.answerer import Prepared
from bot.core.timeline import Timeline, build_timeline
from bot.errors import CitebotError
from bot.knowledge.base import KnowledgeBase
from bot.picture.chart import Chart, build_chart
from bot.picture.fonts import picture_language

FILENAME = "timeline.png"
CACHE_SIZE = 32  # pictures (a few hundred kB each)
DRAWINGS_MOST = 4  # drawings under way at once: one drawn, the others waiting for the slot; past that, refused

Key = tuple[str, str | None, dt.date | None, dt.date | None, str]  # version, person id, first day, last day, language
Admit = Callable[[], Awaitable[None]]  # called before a new drawing starts; raises PictureRefused to refuse it


class PictureRefused(CitebotError):
    """No new picture now: too many are being drawn, or the asker has had their share (the timeline stands)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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
    return await _draw(prepared, timeline)


async def _draw(prepared: Prepared, timeline: Timeline) -> TimelinePicture:
    return await asyncio.to_thread(_draw_blocking, prepared.kb, timeline)


def _draw_blocking(kb: KnowledgeBase, timeline: Timeline) -> TimelinePicture:
    """In a worker thread: finding the fonts (the first time) and drawing both block."""
    from bot.picture.png import render_png  # matplotlib is imported on the first picture, not at start

    chart = build_chart(timeline, kb, language=picture_language(timeline.language))
    return TimelinePicture(render_png(chart), timeline, chart)


class TimelinePictures:
    """The last ``size`` pictures drawn; asking again for one being drawn waits for that drawing. Drawings take
    turns (one thread, one figure in memory at a time); with ``most`` under way, another one is refused."""

    def __init__(self, size: int = CACHE_SIZE, most: int = DRAWINGS_MOST) -> None:
        self.size, self.most = size, most
        self._done: OrderedDict[Key, TimelinePicture] = OrderedDict()
        self._drawing: dict[Key, asyncio.Task[TimelinePicture]] = {}
        self._slot = asyncio.Semaphore(1)

    async def get(self, prepared: Prepared, *, person: str | None = None, since: str | None = None,
                  until: str | None = None, language: str = "en", admit: Admit | None = None) -> TimelinePicture:
        timeline = build_timeline(prepared, person=person, since=since, until=until, language=language)
        key: Key = (prepared.version, timeline.person_id, timeline.start, timeline.end, language)
        task = self._known(key)
        if task is None and admit is not None:
            self._check_room()
            await admit()  # the asker's allowance is spent on drawings only, never on a picture already drawn
            task = self._known(key)  # drawn, or started, while it was checked
        if isinstance(task, TimelinePicture):
            return task
        if task is None:
            self._check_room()
            task = asyncio.create_task(self._draw_in_turn(prepared, timeline))
            self._drawing[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)  # a waiter that gives up does not stop the drawing for the others

    def _known(self, key: Key) -> TimelinePicture | asyncio.Task[TimelinePicture] | None:
        if key in self._done:
            self._done.move_to_end(key)
            return self._done[key]
        return self._drawing.get(key)

    def _check_room(self) -> None:
        if len(self._drawing) >= self.most:
            raise PictureRefused(f"{len(self._drawing)} timeline pictures are being drawn; try again in a moment")

    async def _draw_in_turn(self, prepared: Prepared, timeline: Timeline) -> TimelinePicture:
        async with self._slot:
            return await _draw(prepared, timeline)

    def _settle(self, key: Key, task: asyncio.Task[TimelinePicture]) -> None:
        self._drawing.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return
        self._done[key] = task.result()
        while len(self._done) > self.size:
            self._done.popitem(last=False)
