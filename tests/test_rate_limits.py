"""Rate limits and question length: a flood is slowed down politely, admins are not, replicas agree."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from bot import ratelimit
from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.ratelimit import MemoryBuckets, RateLimits, RedisBuckets
from bot.service import Citebot
from bot.settings import Settings


def make_citebot(prepared, tmp_path: Path, **settings: object) -> Citebot:  # type: ignore[no-untyped-def]
    return Citebot(Settings(data_dir=tmp_path, database_url="", **settings), Answerer(prepared))


def asked(text: str, user: str = "slack:T1:U1", channel: str = "slack:T1:C1", **more: object) -> Question:
    return Question(text, adapter="slack", user_id=user, channel_id=channel, **more)  # type: ignore[arg-type]


async def test_gcra_allows_a_burst_then_one_per_interval_and_says_how_long_to_wait():
    buckets = MemoryBuckets()
    assert [await buckets.hit("u", 3, 60.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = await buckets.hit("u", 3, 60.0)
    assert 19.0 < wait <= 20.0  # one question every 20 s after the burst
    assert await buckets.hit("someone else", 3, 60.0) == 0.0


class StoppedClock:
    """This process's monotonic clock, stopped at a reading a test sets: a burst that arrives within one
    tick of a coarse clock, or a host that booted a little while ago."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def monotonic(self) -> float:
        return self.seconds

    def monotonic_ns(self) -> int:
        return round(self.seconds * 1e9)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> StoppedClock:
    stopped = StoppedClock(0.0)
    monkeypatch.setattr(ratelimit, "time", stopped)
    return stopped


async def test_with_a_limit_of_one_a_minute_every_first_request_is_allowed(clock):
    buckets = MemoryBuckets()
    refused = []
    for n in range(1000):
        clock.seconds = 0.5 + n * 0.3719  # the first six minutes after the host booted
        if await buckets.hit(f"user:{n}", 1, 60.0):
            refused.append(clock.seconds)
    assert refused == []
    assert await buckets.hit(f"user:{n}", 1, 60.0) == 60.0  # and a second one at once is not


async def test_a_burst_at_a_limit_of_n_allows_exactly_n_even_within_one_tick_of_the_clock(clock):
    clock.seconds = 3 * 86_400 + 0.123  # up three days
    allowed = {}
    for limit in range(1, 121):
        buckets = MemoryBuckets()
        allowed[limit] = sum([await buckets.hit("user:U1", limit, 60.0) == 0.0 for _ in range(limit + 1)])
    assert allowed == {limit: limit for limit in range(1, 121)}


async def test_a_burst_at_a_limit_of_n_through_redis_allows_exactly_n(redis):
    prefix = f"citebot:test:{uuid.uuid4().hex}:"
    buckets = RedisBuckets(redis, prefix=prefix)
    await asyncio.gather(*[redis.ping() for _ in range(60)])  # connections ready: Redis runs the burst µs apart
    keys, allowed = [], []
    for limit in [1, 2, 3, 9, 28, 36, 39, 42, 51] * 2:  # all at once, as from many replicas
        keys.append(f"user:{len(keys)}")
        waits = await asyncio.gather(*[buckets.hit(keys[-1], limit, 60.0) for _ in range(limit + 1)])
        allowed.append((limit, sum(wait == 0.0 for wait in waits)))
    assert allowed == [(limit, limit) for limit, _ in allowed]
    counted = [prefix + key for key in keys]
    assert await redis.exists(*counted) == len(keys)  # counted in Redis, not by this process's fallback
    await redis.delete(*counted)


async def test_a_user_over_the_limit_is_told_to_slow_down_in_their_language(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, rate_user_per_minute=2, rate_channel_per_minute=0)
    answers = [await citebot.ask(asked("Who is Jan Leike?")) for _ in range(2)]
    assert all(a.answered for a in answers)
    slow = await citebot.ask(asked("Who is Jan Leike?"))
    assert slow.refusal == "rate_limited" and not slow.answered and not slow.citations
    assert slow.retry_after == 30.0 and "try again in 30 s" in slow.text
    chinese = await citebot.ask(asked("简·雷克是谁？"))
    assert chinese.refusal == "rate_limited" and "秒后再试" in chinese.text
    other_user = await citebot.ask(asked("Who is Jan Leike?", user="slack:T1:U2"))
    assert other_user.answered
    metrics = citebot.metrics.exposition().decode()
    assert 'outcome="rate_limited"' in metrics


async def test_a_busy_channel_is_limited_across_users_and_admins_are_exempt(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, rate_user_per_minute=0, rate_channel_per_minute=3)
    for n in range(3):
        assert (await citebot.ask(asked("Who is Jan Leike?", user=f"slack:T1:U{n}"))).answered
    assert (await citebot.ask(asked("Who is Jan Leike?", user="slack:T1:U9"))).refusal == "rate_limited"
    assert (await citebot.ask(asked("Who is Jan Leike?", user="slack:T1:UADMIN", exempt=True))).answered
    assert (await citebot.ask(asked("Who is Jan Leike?", channel="slack:T1:C2"))).answered


async def test_the_command_line_is_never_rate_limited(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, rate_user_per_minute=1)
    for _ in range(3):
        assert (await citebot.ask(Question("Who is Jan Leike?", user_id="cli:me"))).answered


async def test_a_too_long_question_is_refused_with_the_limit_named(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, question_max_chars=100)
    english = await citebot.ask(asked("Who is Jan Leike? " + "really " * 30))
    assert english.refusal == "too_long" and "the limit is 100" in english.text
    chinese = await citebot.ask(asked("简·雷克是谁？" * 30))
    assert chinese.refusal == "too_long" and "上限 100" in chinese.text
    assert (await citebot.ask(asked("Who is Jan Leike?"))).answered  # a refusal costs no allowance


async def test_replicas_share_the_limits_through_redis(prepared, tmp_path, redis):
    prefix = f"citebot:test:{uuid.uuid4().hex}:"
    replicas = []
    for n in range(2):
        citebot = make_citebot(prepared, tmp_path / str(n))
        citebot.limits = RateLimits(RedisBuckets(redis, prefix=prefix), per_user=3, per_channel=0)
        replicas.append(citebot)
    outcomes = [await replicas[n % 2].ask(asked("Who is Jan Leike?")) for n in range(5)]
    assert [a.refusal for a in outcomes] == [None, None, None, "rate_limited", "rate_limited"]
    assert 0 < (outcomes[-1].retry_after or 0) <= 20
    assert await redis.pttl(f"{prefix}user:slack:T1:U1") > 0  # buckets expire on their own
