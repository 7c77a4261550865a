"""What a poison question, a database outage and a Redis crash cost: the figures issue 12 asks for.

usage: python bench/faults.py [--questions 2000]

Everything runs on a throwaway PostgreSQL cluster and a throwaway redis-server started here on free loopback
ports (tests/faults), never on a shared server, and a SQLite file in a temp folder.

1. The poison question: one question no database can store as typed (a lone surrogate; NUL on PostgreSQL)
   is asked first, ``--questions`` more after it, and a vote on every 20th of those while they are being
   written. Printed: the later rows written and lost, the poison row (stored cleaned, or dropped), the
   votes written, readiness at the end. Once as shipped, once with both guards (the question's edge and
   the store's columns) switched off, so the database itself refuses the row and the writer must drop it alone.
2. The database outage: ``--questions`` questions from 6 tasks; PostgreSQL is crashed (``pg_ctl stop -m
   immediate``) after 30 % and started again after 70 %. Printed: asked, answered, rows written, duplicates.
3. Redis killed mid-run: ``--questions`` questions from 6 tasks, Redis SIGKILLed after 30 % and started
   again (empty) after 70 %. Printed: answered of asked, the slowest answer, and the turns in Redis after
   it came back (shared state used again).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.bootstrap import StoreSide, build_app  # noqa: E402
from bot.core.answerer import Answerer, Prepared, prepare  # noqa: E402
from bot.core.recording import Recorders  # noqa: E402
from bot.core.types import Answer, Question  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.recorder import StoreRecorder  # noqa: E402
from bot.service import Citebot  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.shared_state import connect  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.faults.conftest import ThrowawayPostgres, throwaway_cluster  # noqa: E402
from tests.faults.redis_server import ThrowawayRedis, redis_server_binary  # noqa: E402

QUESTIONS = ("Who is Jan Leike?", "When did Ilya Sutskever leave OpenAI?", "GPT-4o 是什么时候发布的？",
             "What is the price of Bitcoin today?")
POISONS = {"lone surrogate": "Who is Jan Leike \ud800?", "NUL": "Who is Jan\x00 Leike?"}
WORKERS = 6
PACE = 0.005  # seconds each task waits between questions: the run lasts long enough for the faults to matter
FLUSH_TIMEOUT = 60.0


def settings(data: Path, **more: object) -> Settings:
    configured = load_settings()
    return Settings(knowledge_dir=configured.knowledge_dir, data_dir=data,
                    rate_user_per_minute=0, rate_channel_per_minute=0, **more)


@contextlib.contextmanager
def guards_off() -> Iterator[None]:
    """The question's edge and the store's columns keep text as given, as for a character they do not know."""
    import bot.core.types
    import bot.store.models

    saved = bot.core.types.storable_text, bot.store.models.storable_text
    bot.core.types.storable_text = bot.store.models.storable_text = lambda text: text
    try:
        yield
    finally:
        bot.core.types.storable_text, bot.store.models.storable_text = saved


async def poison_run(prepared: Prepared, data: Path, url: str, poison: str, later: int, guarded: bool) -> str:
    store = await Store.connect(url)
    synced = await store.sync(prepared.kb, author="bench")
    side = StoreSide(store, synced, StoreRecorder(store, b"bench-salt", synced.version.id), b"bench-salt")
    citebot = Citebot(settings(data), Answerer(prepared), side)
    citebot.answerer.recorder = Recorders(side.recorder, citebot.metrics)
    with contextlib.nullcontext() if guarded else guards_off():
        try:
            first = await citebot.ask(Question(poison, user_id="bench:poison", adapter="bench"))
            answers: list[Answer] = []
            votes: list[asyncio.Task[str]] = []
            for n in range(later):
                answers.append(await citebot.ask(Question(QUESTIONS[n % 2], user_id=f"bench:{n}", adapter="bench")))
                if n % 20 == 19:  # a vote while the poisoned batch is being written
                    votes.append(asyncio.create_task(citebot.feedback(
                        answer_id=answers[-1].answer_id, user_id=f"bench:voter-{n}", vote=1, adapter="bench")))
                if n % 50 == 49:
                    await asyncio.sleep(0)  # the writer takes what is queued: the poison is inside the first batch
            began = time.monotonic()
            flushed = await side.recorder.flush(FLUSH_TIMEOUT) and await side.votes.flush(FLUSH_TIMEOUT)
            took = time.monotonic() - began
            await asyncio.wait(votes, timeout=FLUSH_TIMEOUT)
            logged = {e.answer_id: e.question for e in await store.recent_questions(limit=later + 10)}
            voted = sum([len(await store.feedback_for(a.answer_id)) for a in answers[19::20]])
            written = sum(a.answer_id in logged for a in answers)
            poison_row = (f"stored as {logged[first.answer_id]!r}" if first.answer_id in logged else
                          f"dropped alone ({side.recorder.unstorable_dropped} counted)")
            return (f"{written} of {later} later rows written ({later - written} lost); the poison {poison_row}; "
                    f"{voted} of {len(votes)} votes written; flushed {f'in {took:.2f} s' if flushed else 'NOT'}; "
                    f"degraded at the end: {side.degraded}")
        finally:
            await citebot.close()


async def poison_figures(prepared: Prepared, pg: ThrowawayPostgres, later: int) -> None:
    print(f"1. The poison question, then {later} more")
    for backend in ("sqlite", "postgresql"):
        for name, poison in POISONS.items():
            if backend == "sqlite" and name == "NUL":
                continue  # SQLite keeps NUL: not a poison there
            for guarded in (True, False):
                with tempfile.TemporaryDirectory() as data:
                    if backend == "sqlite":
                        url = f"sqlite:///{data}/citebot.db"
                    else:
                        database = f"bench_{secrets.token_hex(4)}"
                        await pg.execute(f'CREATE DATABASE "{database}"')
                        url = pg.url(database)
                    result = await poison_run(prepared, Path(data), url, poison, later, guarded)
                mode = "as shipped " if guarded else "guards off "
                print(f"   {backend:10} {name:14} {mode}: {result}")


async def stream(app: Citebot, count: int, question: Callable[[int], Question],
                 at: dict[float, Callable[[], object]]) -> tuple[dict[int, Answer], list[str], float]:
    """``count`` questions from ``WORKERS`` tasks at a steady pace; ``at[f]()`` runs (in a thread, one after
    another) once a fraction ``f`` of them is answered, while the questions keep coming."""
    answers: dict[int, Answer] = {}
    failures: list[str] = []
    slowest = 0.0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    reached = {fraction: asyncio.Event() for fraction in at}

    async def worker() -> None:
        nonlocal slowest
        while not queue.empty():
            i = queue.get_nowait()
            began = time.monotonic()
            try:
                answers[i] = await asyncio.wait_for(app.ask(question(i)), 10)
            except Exception as err:
                failures.append(f"{i}: {type(err).__name__}: {err}")
            slowest = max(slowest, time.monotonic() - began)
            for fraction, event in reached.items():
                if len(answers) + len(failures) >= fraction * count:
                    event.set()
            await asyncio.sleep(PACE)

    async def faults() -> None:
        for fraction, action in sorted(at.items()):
            await reached[fraction].wait()
            await asyncio.to_thread(action)

    controller = asyncio.create_task(faults())
    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    await controller
    return answers, failures, slowest


async def outage_figures(pg: ThrowawayPostgres, count: int) -> None:
    print(f"2. The database outage: {count} questions, PostgreSQL crashed after 30 %, back after 70 %")
    database = f"bench_{secrets.token_hex(4)}"
    await pg.execute(f'CREATE DATABASE "{database}"')
    with tempfile.TemporaryDirectory() as data:
        app = await build_app(settings(Path(data), database_url=pg.url(database)), author="bench")
        assert app.side is not None
        side, peak, done = app.side, 0, asyncio.Event()

        async def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, side.recorder.backlog)
                await asyncio.sleep(0.01)

        sampler = asyncio.create_task(sample())
        try:
            began = time.monotonic()
            answers, failures, slowest = await stream(
                app, count, lambda i: Question(QUESTIONS[i % len(QUESTIONS)], user_id=f"bench:{i}", adapter="bench"),
                {0.3: lambda: pg.stop("immediate"), 0.7: pg.start})
            took = time.monotonic() - began
            done.set()
            await sampler
            flushed = await app.side.recorder.flush(FLUSH_TIMEOUT)
            rows = await pg.fetch("SELECT answer_id FROM question_log", database)
            ids = [answer_id for (answer_id,) in rows]
            asked = {a.answer_id for a in answers.values()}
            print(f"   asked {count} in {took:.1f} s, answered {len(answers)} ({len(failures)} failed, slowest "
                  f"{slowest:.2f} s); up to {peak} rows buffered; rows written {len(set(ids) & asked)} (flushed: "
                  f"{flushed}), duplicates {len(ids) - len(set(ids))}, dropped {side.recorder.dropped}; degraded at "
                  f"the end: {side.degraded}")
        finally:
            pg.ensure_running()
            await app.close()


async def redis_figures(redis: ThrowawayRedis, count: int) -> None:
    print(f"3. Redis killed mid-run: {count} questions, SIGKILL after 30 %, started again (empty) after 70 %")
    with tempfile.TemporaryDirectory() as data:
        app = await build_app(settings(Path(data), database_url="", redis_url=redis.url), author="bench")
        assert app.shared is not None
        app.shared.retry_after = 0.2  # the default is 2 s; the run is short
        probe = connect(redis.url)
        try:
            answers, failures, slowest = await stream(
                app, count, lambda i: Question(QUESTIONS[i % len(QUESTIONS)], conversation_id=f"bench:conv-{i}",
                                               user_id=f"bench:{i}", adapter="bench"),
                {0.3: redis.kill, 0.7: redis.start})
            turns = len([key async for key in probe.scan_iter("citebot:turn:*")])  # written since the restart
            print(f"   answered {len(answers)} of {count} ({len(failures)} failed, slowest {slowest:.2f} s); "
                  f"{turns} conversations in Redis again after the restart; Redis failing at the end: "
                  f"{app.shared.failing}")
        finally:
            await probe.aclose()
            await app.close()


async def run(count: int) -> None:
    configured = load_settings()
    prepared = prepare(load_knowledge(configured.knowledge_dir))
    binary = redis_server_binary()
    if binary is None:
        raise SystemExit("redis-server not found (PATH or CITEBOT_REDIS_SERVER)")
    with throwaway_cluster() as pg:
        await poison_figures(prepared, pg, count)
        await outage_figures(pg, count)
    redis = ThrowawayRedis(binary)
    redis.start()
    try:
        await redis_figures(redis, count)
    finally:
        redis.kill()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="      log: %(name)s: %(message).160s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=2000)
    asyncio.run(run(parser.parse_args().questions))


if __name__ == "__main__":
    main()
