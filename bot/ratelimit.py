"""Rate limits per user and per channel, shared by replicas through Redis (or one process's memory).

The algorithm is GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp a key):
``limit`` questions per ``period`` seconds, all of them allowed in a burst, then one every
``period / limit`` seconds. A refused hit costs nothing, so a spammer who keeps trying is not
punished further, and the answer says exactly when to try again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.settings import Settings
    from bot.shared_state import SharedRedis

PERIOD = 60.0  # settings give limits per minute


class Bucket(Protocol):
    async def hit(self, key: str, limit: int, period: float) -> float:
        """0.0 when allowed (and counted), else the seconds until the next hit would be allowed."""
        ...


class MemoryBuckets:
    """GCRA in this process: enough for one process (a replica set needs Redis).

    Times are whole nanoseconds, so the edge of an allowance is exact: with floats, ``tat + interval - now``
    could come out a hair over ``period`` and refuse a request GCRA allows (with a limit of 1 a minute, a
    first request). The interval is rounded down, so a burst of ``limit`` always fits in ``period``."""

    def __init__(self, size: int = 100_000) -> None:
        self._tat: dict[str, int] = {}  # key -> theoretical arrival time, monotonic nanoseconds
        self._size = size

    async def hit(self, key: str, limit: int, period: float) -> float:
        now = time.monotonic_ns()
        period_ns = round(period * 1e9)
        interval = period_ns // limit
        tat = max(self._tat.get(key, now), now)
        if tat + interval - now > period_ns:
            return (tat + interval - period_ns - now) / 1e9
        self._tat[key] = tat + interval
        if len(self._tat) > self._size:  # forget keys whose bucket is full again
            self._tat = {k: t for k, t in self._tat.items() if t > now}
        return 0.0


# One round trip, atomic, on Redis's own clock (replicas' clocks may differ). The arithmetic is in whole
# microseconds (Redis's TIME; exact in Lua's doubles), for the same exact edge as MemoryBuckets; the value
# kept is still seconds, written with all six decimals (tostring kept only four, so a burst's stored times
# crept up and its last request was refused), and read back to the microsecond.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local tat = now
local kept = redis.call('GET', KEYS[1])
if kept then tat = math.floor(tonumber(kept) * 1000000 + 0.5) end
if tat < now then tat = now end
if tat + interval - now > period then
  return tat + interval - period - now
end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d.%06d', math.floor(tat / 1000000), tat % 1000000),
           'PX', math.ceil(period / 1000) + 1000)
return 0
"""


class RedisBuckets:
    """GCRA in Redis: every replica sees the same buckets. While Redis fails, this process's own buckets
    count instead (each replica then allows the limit on its own), until Redis is back."""

    def __init__(self, redis: Redis | SharedRedis, prefix: str = "citebot:rate:") -> None:
        from bot.shared_state import SharedRedis

        self.shared = SharedRedis.of(redis)
        self._script = self.shared.redis.register_script(_GCRA)
        self._prefix = prefix
        self.local = MemoryBuckets()

    async def hit(self, key: str, limit: int, period: float) -> float:
        async def shared() -> float:
            period_us = round(period * 1e6)
            wait_us = await self._script(keys=[self._prefix + key], args=[period_us // limit, period_us])
            return int(wait_us) / 1e6

        return await self.shared.run(shared, lambda: self.local.hit(key, limit, period))


@dataclass(frozen=True)
class RateLimits:
    """Questions per minute for one user and for one channel (0 turns a limit off)."""

    buckets: Bucket
    per_user: int
    per_channel: int

    @classmethod
    def from_settings(cls, settings: Settings, buckets: Bucket | None = None) -> RateLimits:
        return cls(buckets or MemoryBuckets(), settings.rate_user_per_minute, settings.rate_channel_per_minute)

    async def wait_for(self, user_id: str | None, channel_id: str | None) -> float:
        """0.0 when the question may be answered, else the seconds to wait. The user's limit is checked
        first, so one user's flood does not use up the channel's allowance for everyone else."""
        if user_id and self.per_user:
            wait = await self.buckets.hit(f"user:{user_id}", self.per_user, PERIOD)
            if wait:
                return wait
        if channel_id and self.per_channel:
            return await self.buckets.hit(f"channel:{channel_id}", self.per_channel, PERIOD)
        return 0.0
