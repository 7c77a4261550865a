"""Rate limits and question length: a flood is slowed down politely, admins are not, replicas agree."""

from __future__ import annotations

import uuid
from pathlib import Path

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
