"""State that must hold across replicas, in Redis: conversation context and Slack events already answered.

Without ``redis_url`` each process keeps its own (fine for one process). With several Slack HTTP
replicas behind a load balancer, a follow-up or a retried event may reach another replica: then
configure Redis so every replica sees the same conversations and the same answered event ids.

Redis going away costs no answer: while it fails, each use falls back to this process's own memory
(``SharedRedis.run``), the outage is logged once and listed in ``/readyz``, and Redis is tried again
every ``RETRY_AFTER`` seconds until it is back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bot.core.conversation import ConversationMemory, InMemoryConversations, Turn

if TYPE_CHECKING:
    from bot.adapters.slack.dedupe import SeenEvents

log = logging.getLogger(__name__)

PREFIX = "citebot:"
TIMEOUT = 0.5  # seconds a Redis call may take (a healthy one takes a millisecond) before this process goes local
RETRY_AFTER = 2.0  # seconds between tries while Redis fails; meanwhile every call is local at once

Result = TypeVar("Result")


def connect(url: str) -> Redis:
    """A client that fails fast: short timeouts, one retry on a fresh connection (a restarted server)."""
    return Redis.from_url(url, decode_responses=True, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                          retry=Retry(NoBackoff(), 1))


class SharedRedis:
    """The one Redis client of a process, and whether it answers.

    ``run(shared, local)`` awaits ``shared()`` while Redis works and ``local()`` while it fails; the
    first failure is logged (once per outage), and one call every ``retry_after`` seconds tries Redis
    again (the others stay local meanwhile, so nobody waits for a dead server twice).
    """

    def __init__(self, redis: Redis, *, retry_after: float = RETRY_AFTER) -> None:
        self.redis = redis
        self.retry_after = retry_after
        self.failing = False
        self._retry_at = 0.0
        self._trying = False

    @classmethod
    def of(cls, redis: Redis | SharedRedis) -> SharedRedis:
        return redis if isinstance(redis, SharedRedis) else cls(redis)

    @property
    def degraded(self) -> str | None:
        """What ``/readyz`` lists while Redis fails (the kind only; the error is in the log)."""
        return "redis: unreachable; conversations, rate limits and Slack event ids are per process" if self.failing \
            else None

    async def run(self, shared: Callable[[], Awaitable[Result]], local: Callable[[], Awaitable[Result]]) -> Result:
        trying = self.failing
        if trying:
            if self._trying or time.monotonic() < self._retry_at:
                return await local()
            self._trying = True
        try:
            async with asyncio.timeout(2 * TIMEOUT):  # the client's own timeouts, plus its one retry, bounded
                result = await shared()
        except (RedisError, OSError, TimeoutError) as err:
            self._failed(err)
            return await local()
        finally:
            if trying:
                self._trying = False
        if self.failing:
            self.failing = False
            log.info("Redis is back: conversations, rate limits and Slack event ids are shared again")
        return result

    async def check(self) -> bool:
        """Whether Redis answers a PING (while it is failing, only when a retry is due)."""

        async def down() -> bool:
            return False

        return await self.run(self.redis.ping, down)

    def _failed(self, err: BaseException) -> None:
        self._retry_at = time.monotonic() + self.retry_after
        if not self.failing:
            self.failing = True
            log.warning("Redis failed (%s: %s); conversations, rate limits and Slack event ids are kept in this "
                        "process until it is back", type(err).__name__, err)

    async def aclose(self) -> None:
        await self.redis.aclose()


async def _nothing() -> None:
    return None


class RedisConversations:
    """ConversationMemory in Redis: the last turn per conversation, expiring after ``ttl_seconds``.

    Every turn is also kept in this process (bounded), which answers while Redis fails: a follow-up
    asked during an outage still has its context when it reaches the same process."""

    def __init__(self, redis: Redis | SharedRedis, ttl_seconds: int = 3600,
                 local: ConversationMemory | None = None) -> None:
        self.shared = SharedRedis.of(redis)
        self.ttl = ttl_seconds
        self.local = local or InMemoryConversations(ttl_seconds=ttl_seconds)

    @property
    def redis(self) -> Redis:
        return self.shared.redis

    async def last_turn(self, conversation_id: str) -> Turn | None:
        return await self.shared.run(lambda: self._read(conversation_id), lambda: self.local.last_turn(conversation_id))

    async def remember(self, conversation_id: str, turn: Turn) -> None:
        await self.local.remember(conversation_id, turn)
        await self.shared.run(lambda: self._write(conversation_id, turn), _nothing)

    async def _read(self, conversation_id: str) -> Turn | None:
        raw = await self.redis.get(f"{PREFIX}turn:{conversation_id}")
        if raw is None:
            return None
        data = json.loads(raw)
        return Turn(data["intent"], tuple(data["people"]), tuple(data["terms"]), tuple(data["entry_ids"]),
                    tuple(data.get("subject", ())))

    async def _write(self, conversation_id: str, turn: Turn) -> None:
        data = {"intent": turn.intent, "people": turn.people, "terms": turn.terms, "entry_ids": turn.entry_ids}
        await self.redis.set(f"{PREFIX}turn:{conversation_id}", json.dumps(data), ex=self.ttl)


class RedisSeenEvents:
    """Slack event ids answered by any replica (SET NX with an expiry: the first replica wins).

    This process also remembers the ids it saw, and goes by that memory alone while Redis fails."""

    def __init__(self, redis: Redis | SharedRedis, ttl_seconds: int = 3600, local: SeenEvents | None = None) -> None:
        from bot.adapters.slack.dedupe import SeenEvents

        self.shared = SharedRedis.of(redis)
        self.ttl = ttl_seconds
        self.local = local or SeenEvents(ttl_seconds)

    async def first_time(self, event_id: str) -> bool:
        here = await self.local.first_time(event_id)

        async def anywhere() -> bool:
            return bool(await self.shared.redis.set(f"{PREFIX}event:{event_id}", "1", nx=True, ex=self.ttl))

        async def locally() -> bool:
            return here

        return await self.shared.run(anywhere, locally)
