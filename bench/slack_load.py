"""The Slack HTTP path under load, beside a bare slack-bolt app that only acks the same requests.

usage: python bench/slack_load.py [--requests 2000] [--concurrency 50] [--rounds 3] [--profile FILE]

Four processes, as close to production as one machine gets: the app under test (the bare bolt app,
then citebot) serves HTTP on 127.0.0.1 in a process of its own; the load generator (signed
app_mention events, the same for both) runs in another; the fake Slack Web API (tests/fakes), which
receives citebot's answers, runs in a third at low priority, since in production Slack's servers do
that work on their own machines; this process only orchestrates. Prints requests/second and ack
latency p50/p99 for each, the ratio, CPU time per request, and for citebot the time until every
answer was posted (answers are composed after the ack, a few at a time: see ``answer_concurrency``).
``--profile FILE`` writes a cProfile of the citebot server process.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.slack_server import JSON, FakeSlack, app_mention_event, event_callback, json_body, sign  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = ["Who is Jan Leike?", "When was GPT-4o announced?", "Why did Jan Leike resign?",
             "超级对齐团队是什么时候解散的？", "What is the price of Bitcoin today?"]


# ---- the app under test, in its own process --------------------------------------------------------------------

async def _serve(kind: str, api_url: str, conn: Connection) -> None:
    from aiohttp import web

    if kind == "bare":
        from slack_bolt.async_app import AsyncApp
        from slack_sdk.web.async_client import AsyncWebClient

        bolt = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET)

        @bolt.event("app_mention")
        async def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
            await ack()

        application, citebot = bolt.web_app(path="/slack/events"), None
    else:
        from bot.adapters.slack import SlackCredentials, build_slack_app, http_app
        from bot.bootstrap import build_app
        from bot.settings import Settings

        data = tempfile.mkdtemp(prefix="citebot-bench-")
        settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=Path(data), database_url="",
                            rate_user_per_minute=0, rate_channel_per_minute=0)  # throughput, not limits
        citebot = await build_app(settings, author="bench")
        application = http_app(build_slack_app(citebot, SlackCredentials("xoxb-bench", SECRET, None),
                                               base_url=api_url), citebot)
    from bot.bootstrap import settle_heap

    settle_heap()  # as `citebot slack` does; the bare app gets the same
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    conn.send(f"http://{host}:{port}/slack/events")
    while await asyncio.to_thread(conn.recv) == "cpu":  # CPU seconds so far, until told to stop
        conn.send(time.process_time())
    if citebot is not None:
        await citebot.close()
    await runner.cleanup()
    conn.send("stopped")


def serve_process(kind: str, api_url: str, conn: Connection, profile: str | None) -> None:
    if profile:
        import cProfile

        cProfile.runctx("asyncio.run(_serve(kind, api_url, conn))", globals(), locals(), profile)
    else:
        asyncio.run(_serve(kind, api_url, conn))


# ---- the load generator, in its own process ---------------------------------------------------------------------

async def _load(url: str, total: int, concurrency: int, offset: int) -> tuple[float, list[float]]:
    import aiohttp

    bodies = [json_body(event_callback(app_mention_event(QUESTIONS[n % len(QUESTIONS)], ts=f"17{offset + n:08d}.0001"),
                                       event_id=f"EvBench{offset + n:08d}"))
              for n in range(total)]
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                headers = {"Content-Type": JSON, **sign(SECRET, body, int(time.time()))}
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    assert response.status == 200, response.status
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, sorted(latencies)


def load_process(url: str, total: int, concurrency: int, offset: int, conn: Connection) -> None:
    conn.send(asyncio.run(_load(url, total, concurrency, offset)))


# ---- the fake Slack, in its own process at low priority ---------------------------------------------------------

async def _fake(conn: Connection) -> None:
    async with FakeSlack() as fake:
        conn.send(fake.api_url)
        while await asyncio.to_thread(conn.recv) != "stop":  # "count": answers posted and CPU so far
            conn.send((sum(call.method == "chat.postMessage" for call in fake.calls), time.process_time()))


def fake_process(conn: Connection) -> None:
    os.nice(10)  # it stands in for Slack's servers: it must not take the CPU the app under test needs
    asyncio.run(_fake(conn))


class RemoteFake:
    """The orchestrator's handle on the fake Slack process."""

    def __init__(self) -> None:
        self._conn, theirs = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=fake_process, args=(theirs,))
        self._process.start()
        self.api_url: str = self._conn.recv()

    async def count(self) -> tuple[int, float]:
        self._conn.send("count")
        return await asyncio.to_thread(self._conn.recv)

    def stop(self) -> None:
        self._conn.send("stop")
        self._process.join()


# ---- this process: the orchestration ----------------------------------------------------------------------------

async def run_load(url: str, total: int, concurrency: int, offset: int) -> tuple[float, list[float]]:
    mine, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=load_process, args=(url, total, concurrency, offset, theirs))
    process.start()
    result = await asyncio.to_thread(mine.recv)
    await asyncio.to_thread(process.join)
    return result


async def measure(kind: str, fake: RemoteFake, total: int, concurrency: int, profile: str | None) -> float:
    mine, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve_process, args=(kind, fake.api_url, theirs, profile))
    server.start()
    url = await asyncio.to_thread(mine.recv)
    warm_from = (await fake.count())[0]  # the fake lives across rounds: count this round's answers only
    await run_load(url, 100, concurrency, offset=0)  # warm up
    if kind != "bare":
        await _posted(fake, warm_from + 100)  # the warm-up's answers done before the burst, in every round
    posted_before, fake_cpu = await fake.count()
    mine.send("cpu")
    server_cpu = await asyncio.to_thread(mine.recv)
    started = time.perf_counter()
    elapsed, latencies = await run_load(url, total, concurrency, offset=100)
    rps = report("bare slack-bolt (ack)" if kind == "bare" else "citebot", total, elapsed, latencies)
    if kind != "bare":
        await _posted(fake, posted_before + total)
        answered = time.perf_counter() - started
        print(f"{'':<22} every answer posted after {answered:.1f} s ({total / answered:.0f} answers/s)")
    mine.send("cpu")
    server_cpu = await asyncio.to_thread(mine.recv) - server_cpu
    fake_cpu = (await fake.count())[1] - fake_cpu
    print(f"{'':<22} CPU per request: app {server_cpu / total * 1000:.2f} ms, "
          f"fake Slack {fake_cpu / total * 1000:.2f} ms")
    mine.send("stop")
    await asyncio.to_thread(mine.recv)
    await asyncio.to_thread(server.join)
    return rps


async def _posted(fake: RemoteFake, count: int, timeout: float = 120) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while (posted := (await fake.count())[0]) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {posted} of {count} answers were posted")
        await asyncio.sleep(0.1)


def report(name: str, total: int, elapsed: float, latencies: list[float]) -> float:
    rps = total / elapsed
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(f"{name:<22} {rps:8.0f} req/s   ack p50 {statistics.median(latencies):6.1f} ms   p99 {p99:6.1f} ms")
    return rps


async def main(total: int, concurrency: int, profile: str | None, rounds: int) -> None:
    """Bare and citebot alternate, ``rounds`` times each: a shared machine's drift hits both alike."""
    fake = RemoteFake()
    ratios = []
    try:
        for n in range(1, rounds + 1):
            print(f"-- round {n} of {rounds}")
            bare_rps = await measure("bare", fake, total, concurrency, None)
            our_rps = await measure("citebot", fake, total, concurrency, profile if n == 1 else None)
            ratios.append(our_rps / bare_rps)
            print(f"citebot / bare throughput: {ratios[-1]:.2f}")
    finally:
        fake.stop()
    print(f"median of {rounds} round(s): citebot / bare throughput {statistics.median(ratios):.2f} "
          f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}; target ≥ 0.70)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--profile", help="write a cProfile of the citebot server process to this file")
    parser.add_argument("--rounds", type=int, default=3, help="bare / citebot pairs; the median ratio is reported")
    arguments = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    asyncio.run(main(arguments.requests, arguments.concurrency, arguments.profile, arguments.rounds))
