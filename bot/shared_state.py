"""State that must hold across replicas, in Redis: conversation context and Slack events already answered.

Without ``redis_url`` each process keeps its own (fine for one process). With several Slack HTTP
replicas behind a load balancer, a follow-up or a retried event may reach another replica: then
configure Redis so every replica sees the same conversations and the same answered event ids.
"""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.core.conversation import Turn

PREFIX = "citebot:"


def connect(url: str) -> Redis:
    return Redis.from_url(url, decode_responses=True)


class RedisConversations:
    """ConversationMemory in Redis: the last turn per conversation, expiring after ``ttl_seconds``."""

    def __init__(self, redis: Redis, ttl_seconds: int = 3600) -> None:
        self.redis = redis
        self.ttl = ttl_seconds

    async def last_turn(self, conversation_id: str) -> Turn | None:
        raw = await self.redis.get(f"{PREFIX}turn:{conversation_id}")
        if raw is None:
            return None
        data = json.loads(raw)
        return Turn(data["intent"], tuple(data["people"]), tuple(data["terms"]), tuple(data["entry_ids"]))

    async def remember(self, conversation_id: str, turn: Turn) -> None:
        data = {"intent": turn.intent, "people": turn.people, "terms": turn.terms, "entry_ids": turn.entry_ids}
        await self.redis.set(f"{PREFIX}turn:{conversation_id}", json.dumps(data), ex=self.ttl)


class RedisSeenEvents:
    """Slack event ids answered by any replica (SET NX with an expiry: the first replica wins)."""

    def __init__(self, redis: Redis, ttl_seconds: int = 3600) -> None:
        self.redis = redis
        self.ttl = ttl_seconds

    async def first_time(self, event_id: str) -> bool:
        return bool(await self.redis.set(f"{PREFIX}event:{event_id}", "1", nx=True, ex=self.ttl))
