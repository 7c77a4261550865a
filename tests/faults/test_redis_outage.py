"""Redis is killed mid-run and comes back: every question is still answered (conversations and rate limits
fall back to this process's memory), /readyz lists the degradation, the outage is logged once, and the
shared state is used again once Redis returns. Against a throwaway redis-server (tests/faults/redis_server.py)
killed with SIGKILL and started again on the same port; the shared test Redis is never touched."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.http import add_routes
from bot.bootstrap import build_app
from bot.core.types import Answer, Question
from bot.service import Citebot
from bot.settings import Settings
from bot.shared_state import RedisSeenEvents, connect
from tests.fakes.network_guard import loopback_only  # noqa: F401  (fixture)
from tests.faults.redis_server import ThrowawayRedis, redis_server_binary

pytestmark = pytest.mark.usefixtures("loopback_only")

ROOT = Path(__file__).resolve().parents[2]
ASKED = 200  # questions asked while Redis is killed under them
WORKERS = 6
ANSWER_TIMEOUT = 2.0  # seconds any one question may take, outage or not


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("CITEBOT_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server not found; CITEBOT_REQUIRE_REDIS=1 requires it", pytrace=False)
        pytest.skip("redis-server not found (PATH or CITEBOT_REDIS_SERVER)")
    server = ThrowawayRedis(binary)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
async def app(throwaway_redis: ThrowawayRedis, tmp_path: Path) -> AsyncIterator[Citebot]:
    settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data", database_url="",
                        redis_url=throwaway_redis.url,
                        rate_user_per_minute=5, rate_channel_per_minute=0)
    citebot = await build_app(settings, author="fault-test")
    assert citebot.shared is not None
    citebot.shared.retry_after = 0.2  # try Redis again soon (default 2 s)
    try:
        yield citebot
    finally:
        await citebot.close()


@pytest.fixture
async def client(app: Citebot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(add_routes(web.Application(), app, "token"), host="127.0.0.1")) as client:
        yield client


@pytest.fixture
async def probe(throwaway_redis: ThrowawayRedis) -> AsyncIterator:
    """A client of our own, to see what reached Redis."""
    client = connect(throwaway_redis.url)
    yield client
    await client.aclose()


async def ask(app: Citebot, text: str, n: int) -> Answer:
    return await asyncio.wait_for(app.ask(Question(text, conversation_id=f"fault:conv-{n}", user_id=f"fault:user-{n}",
                                                   adapter="fault-test")), ANSWER_TIMEOUT)


async def readyz(client: TestClient) -> dict:
    response = await client.get("/readyz")
    assert response.status == 200, await response.text()  # Redis down never takes the bot out
    return await response.json()


async def turns_in(redis) -> int:
    return len([key async for key in redis.scan_iter("citebot:turn:*")])


async def test_redis_killed_mid_run_every_question_is_answered_and_shared_state_comes_back(
        app, client, throwaway_redis, probe, caplog):
    caplog.set_level("INFO", "bot.shared_state")
    # Redis up: conversations and rate limits live in Redis.
    for n in range(10):
        assert (await ask(app, "Who is Jan Leike?", n)).answered
    assert await turns_in(probe) == 10
    assert [key async for key in probe.scan_iter("citebot:rate:user:*")]
    body = await readyz(client)
    assert body["redis"] == "ok" and body["degraded"] == []

    # Killed while questions keep coming, from several tasks at once.
    answers: dict[int, Answer] = {}
    failures: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    forty = asyncio.Event()
    for i in range(100, 100 + ASKED):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            try:
                answers[i] = await ask(app, "When did Ilya Sutskever leave OpenAI?", i)
                if len(answers) >= 40:
                    forty.set()
            except Exception as err:  # every failure is reported by the test
                failures.append(f"question {i}: {type(err).__name__}: {err}")

    workers = [asyncio.create_task(worker()) for _ in range(WORKERS)]
    await asyncio.wait_for(forty.wait(), 30)
    throwaway_redis.kill()
    await asyncio.gather(*workers)
    assert not failures, failures[:5]
    assert len(answers) == ASKED and all(a.answered and "Sutskever" in a.text for a in answers.values())

    # During the outage: follow-ups keep their context (this process remembered it too), limits still count
    # (in this process), /readyz lists the degradation, and the outage was logged once, not per question.
    began = time.monotonic()
    follow = await ask(app, "and when did he leave?", 3)
    assert follow.answered and "May 14, 2024" in follow.text
    flood = [await ask(app, "Who is Jan Leike?", 999) for _ in range(6)]
    assert [a.refusal for a in flood] == [None] * 5 + ["rate_limited"]
    assert time.monotonic() - began < 1.5, "a dead Redis is not waited for on every question"
    body = await readyz(client)
    assert body["redis"] == "unreachable" and body["ready"]
    assert [d for d in body["degraded"] if d.startswith("redis: unreachable")], body
    failed = [r for r in caplog.records if r.getMessage().startswith("Redis failed")]
    assert len(failed) == 1

    # Redis is back (empty, as a lost cache node comes back): the shared state is used again.
    throwaway_redis.start()
    await asyncio.sleep(0.3)  # past retry_after
    assert (await ask(app, "Who is Greg Brockman?", 500)).answered
    assert (await ask(app, "Who is Greg Brockman?", 501)).answered
    assert await turns_in(probe) == 2, "new turns are written to Redis again"
    assert [key async for key in probe.scan_iter("citebot:rate:user:*")]
    body = await readyz(client)
    assert body["redis"] == "ok" and body["degraded"] == []
    assert [r for r in caplog.records if r.getMessage().startswith("Redis is back")]


async def test_slack_events_are_answered_once_through_the_outage(app, throwaway_redis, probe):
    seen = RedisSeenEvents(app.shared)
    assert await seen.first_time("Ev1") and not await seen.first_time("Ev1")
    throwaway_redis.kill()
    assert not await seen.first_time("Ev1"), "seen before the outage: still a repeat"
    assert await seen.first_time("Ev2") and not await seen.first_time("Ev2")  # this process's memory
    throwaway_redis.start()
    await asyncio.sleep(0.3)
    assert await seen.first_time("Ev3") and not await seen.first_time("Ev3")
    assert await probe.exists("citebot:event:Ev3"), "event ids are shared again"
