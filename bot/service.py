"""Citebot: the one object an adapter talks to. Everything here is platform-free."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from functools import cached_property
from typing import TYPE_CHECKING

from bot.core import refusals
from bot.core.answerer import Answerer, Prepared
from bot.core.browse import Profile, SourceInfo, build_profile, list_sources, match_people
from bot.core.text import clean
from bot.core.timeline import Timeline, build_timeline
from bot.core.types import Answer, Question
from bot.live import LiveKnowledge
from bot.ratelimit import RateLimits

if TYPE_CHECKING:
    from bot.bootstrap import StoreSide
    from bot.picture import TimelinePicture, TimelinePictures
    from bot.settings import Settings
    from bot.shared_state import SharedRedis


ACK_PRIORITY_WAIT = 1.0  # seconds an answer lets platform acknowledgements go first, at most (Slack allows 3)
ACK_BURST, ACK_WINDOW = 20, 0.1  # 20 acks within 0.1 s (200 a second) is a burst; at a steady pace answers never wait
_HOLDING_SLOT: ContextVar[bool] = ContextVar("holding an answer slot", default=False)


class Citebot:
    def __init__(self, settings: Settings, answerer: Answerer, side: StoreSide | None = None,
                 live: LiveKnowledge | None = None) -> None:
        self.settings = settings
        self.answerer = answerer
        self.side = side
        if live is None:
            live = LiveKnowledge(settings, answerer, side.store if side else None)
            live.version_id = side.synced.version.id if side else None
        self.live = live
        from bot.metrics import Metrics

        self.metrics = Metrics(live)
        self._in_flight: set[asyncio.Task[object]] = set()
        self._closers: list[Callable[[], Awaitable[object]]] = []
        self._slots = asyncio.Semaphore(settings.answer_concurrency)
        self._burst_lane = asyncio.Semaphore(1)  # answers under a long burst of acks: progress, not a stampede
        self.limits = RateLimits.from_settings(settings)  # bootstrap shares them through Redis when configured
        self.shared: SharedRedis | None = None  # Redis, when configured: conversations, limits, Slack event ids
        self._recent_acks: deque[float] = deque(maxlen=ACK_BURST)

    @property
    def prepared(self) -> Prepared:
        return self.answerer.prepared

    @property
    def version(self) -> str:
        """The live knowledge version's short content hash (shown in footers)."""
        return self.prepared.version

    @contextlib.asynccontextmanager
    async def answering(self) -> AsyncIterator[None]:
        """Hold one of the ``answer_concurrency`` answer slots: an adapter wraps a question *and* the
        delivery of its answer in this, so a burst queues here while acks and heartbeats go on.
        ``ask`` takes a slot itself unless its task already holds one."""
        if _HOLDING_SLOT.get():
            yield
            return
        async with self._slots, contextlib.AsyncExitStack() as lanes:
            if self._acks_burst():  # platform acks first, but never for long
                deadline = time.monotonic() + ACK_PRIORITY_WAIT
                while self._acks_burst() and time.monotonic() < deadline:  # noqa: ASYNC110  (a rate, not an event)
                    await asyncio.sleep(ACK_WINDOW / 4)
                if self._acks_burst():  # a burst longer than that: answers go on, but one at a time
                    await lanes.enter_async_context(self._burst_lane)
            token = _HOLDING_SLOT.set(True)
            try:
                yield
            finally:
                _HOLDING_SLOT.reset(token)

    @contextlib.contextmanager
    def acknowledging(self) -> Iterator[None]:
        """An adapter acknowledging a platform request (Slack's 3-second ack). During a burst of them
        (``ACK_BURST`` within ``ACK_WINDOW``) answers wait for the burst to pass, at most ``ACK_PRIORITY_WAIT``;
        under a longer burst they are answered one at a time until it passes, so acks keep the CPU they need
        and answers still progress."""
        self._recent_acks.append(time.monotonic())
        yield

    def _acks_burst(self) -> bool:
        acks = self._recent_acks
        return len(acks) == ACK_BURST and time.monotonic() - acks[0] < ACK_WINDOW

    async def ask(self, question: Question) -> Answer:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            refused = await self._refusal(question)
            if refused is not None:
                self.metrics.refused(question, refused)
                return refused
            async with self.answering():
                return await self.answerer.ask(question)
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def _refusal(self, question: Question) -> Answer | None:
        """A too-long question or one over a rate limit gets a plain refusal (not logged as a question)."""
        limit = self.settings.question_max_chars
        text = question.text
        if len(text) <= limit:  # the core reads the normalised text, and NFKC can make one character 18
            text = clean(text)
        if len(text) > limit:
            return refusals.too_long(text, limit, question.language_hint)
        if question.exempt or question.adapter == "cli":
            return None
        wait = await self.limits.wait_for(question.user_id, question.channel_id)
        return refusals.rate_limited(question.text, wait, question.language_hint) if wait else None

    async def drain(self, grace_seconds: float = 10.0) -> int:
        """Let the answers in flight finish (and their questions be logged); returns how many were waited for."""
        waiting = {t for t in self._in_flight if t is not asyncio.current_task()}
        if waiting:
            await asyncio.wait(waiting, timeout=grace_seconds)
        if self.side is not None:
            await self.side.recorder.flush(grace_seconds)
        return len(waiting)

    def timeline(self, *, person: str | None = None, since: str | None = None, until: str | None = None,
                 language: str = "en") -> Timeline:
        return build_timeline(self.prepared, person=person, since=since, until=until, language=language)

    def profile(self, name: str, language: str = "en") -> Profile:
        return build_profile(self.prepared, name, language)

    def sources(self) -> tuple[SourceInfo, ...]:
        return list_sources(self.prepared)

    def people(self, typed: str, language: str = "en") -> list[tuple[str, str]]:
        return match_people(self.prepared, typed, language)

    async def feedback(self, *, answer_id: str, user_id: str, vote: int, adapter: str) -> str:
        """Store a 👍 (+1) / 👎 (-1) once per user per answer: "new", "changed" or "same"."""
        if self.side is None:
            return "new"
        return await self.side.feedback(answer_id=answer_id, user_id=user_id, vote=vote, adapter=adapter)

    def on_close(self, closer: Callable[[], Awaitable[object]]) -> None:
        """Have ``close`` also close an adapter's resource (an HTTP session, say), first, in reverse order."""
        self._closers.append(closer)

    async def close(self) -> None:
        while self._closers:
            await self._closers.pop()()
        await self.live.stop()
        if self.shared is not None:
            await self.shared.aclose()
        if self.side is not None:
            await self.side.close()

    @cached_property
    def pictures(self) -> TimelinePictures:
        """The timeline pictures drawn lately, per knowledge version and filter."""
        from bot.picture import TimelinePictures

        return TimelinePictures()

    async def timeline_picture(self, *, person: str | None = None, since: str | None = None,
                               until: str | None = None, language: str = "en",
                               user_id: str | None = None) -> TimelinePicture:
        """The timeline drawn as a PNG (in a worker thread, or from the cache), with the timeline it draws:
        the message beside the picture lists that timeline's numbered citations. A new drawing counts against
        ``user_id``'s picture allowance (``rate_user_per_minute``, a bucket of its own); over it, or while the
        drawing slot is full, ``PictureRefused``."""
        from bot.picture import PictureRefused

        async def admit() -> None:
            wait = await self.limits.wait_for(f"picture:{user_id}", None) if user_id else 0.0
            if wait:
                raise PictureRefused(f"one asker's timeline pictures are over their limit; try again in "
                                     f"{max(1, round(wait))} s", retry_after=wait)

        return await self.pictures.get(self.prepared, person=person, since=since, until=until, language=language,
                                       admit=admit)
