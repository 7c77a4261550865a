"""Citebot: the one object an adapter talks to. Everything here is platform-free."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from bot.core.answerer import Answerer, Prepared
from bot.core.browse import Profile, SourceInfo, build_profile, list_sources, match_people
from bot.core.timeline import Timeline, build_timeline
from bot.core.types import Answer, Question
from bot.live import LiveKnowledge

if TYPE_CHECKING:
    from bot.bootstrap import StoreSide
    from bot.settings import Settings


ACK_PRIORITY_WAIT = 0.25  # seconds an answer lets platform acknowledgements go first, at most
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
        self._acks_in_flight = 0
        self._acks_done = asyncio.Event()
        self._acks_done.set()

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
        async with self._slots:
            if self._acks_in_flight:  # platform acks first, but an answer never waits long for them
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._acks_done.wait(), ACK_PRIORITY_WAIT)
            token = _HOLDING_SLOT.set(True)
            try:
                yield
            finally:
                _HOLDING_SLOT.reset(token)

    @contextlib.contextmanager
    def acknowledging(self) -> Iterator[None]:
        """An adapter acknowledging a platform request (Slack's 3-second ack): answers wait meanwhile."""
        self._acks_in_flight += 1
        self._acks_done.clear()
        try:
            yield
        finally:
            self._acks_in_flight -= 1
            if not self._acks_in_flight:
                self._acks_done.set()

    async def ask(self, question: Question) -> Answer:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            async with self.answering():
                return await self.answerer.ask(question)
        finally:
            if task is not None:
                self._in_flight.discard(task)

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
        redis = getattr(self.answerer.memory, "redis", None)
        if redis is not None:
            await redis.aclose()
        if self.side is not None:
            await self.side.close()
