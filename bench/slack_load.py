"""The Slack HTTP path under load, beside a bare slack-bolt app that only acks the same requests.

usage: python bench/slack_load.py [--requests 2000] [--concurrency 50]
Both apps run on 127.0.0.1 against the fake Slack Web API (tests/fakes); the load is signed
app_mention events. Prints requests/second and ack latency p50/p99 for each, the ratio, and for
citebot the time until every answer was posted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.adapters.slack import SlackCredentials, build_slack_app, http_app  # noqa: E402
from bot.bootstrap import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fakes.slack_server import JSON, FakeSlack, app_mention_event, event_callback, json_body, sign  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = ["Who is Jan Leike?", "When was GPT-4o announced?", "Why did Jan Leike resign?",
             "超级对齐团队是什么时候解散的？", "What is the price of Bitcoin today?"]


async def serve(application: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/slack/events"


async def load(url: str, total: int, concurrency: int) -> tuple[float, list[float]]:
    bodies = [json_body(event_callback(app_mention_event(QUESTIONS[n % len(QUESTIONS)], ts=f"1716{n:06d}.0001")))
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


def report(name: str, total: int, elapsed: float, latencies: list[float]) -> float:
    rps = total / elapsed
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(f"{name:<22} {rps:8.0f} req/s   ack p50 {statistics.median(latencies):6.1f} ms   p99 {p99:6.1f} ms")
    return rps


async def main(total: int, concurrency: int) -> None:
    async with FakeSlack() as fake:
        bare = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=fake.api_url), signing_secret=SECRET)

        @bare.event("app_mention")
        async def ack_only(ack) -> None:  # type: ignore[no-untyped-def]
            await ack()

        runner, url = await serve(bare.web_app(path="/slack/events"))
        await load(url, 100, concurrency)  # warm up
        bare_rps = report("bare slack-bolt (ack)", total, *await load(url, total, concurrency))
        await runner.cleanup()

        with tempfile.TemporaryDirectory() as data:
            settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=Path(data), database_url="")
            citebot = await build_app(settings, author="bench")
            ours = build_slack_app(citebot, SlackCredentials("xoxb-bench", SECRET, None), base_url=fake.api_url)
            runner, url = await serve(http_app(ours))
            await load(url, 100, concurrency)
            posted_before = len(fake.calls_to("chat.postMessage"))
            started = time.perf_counter()
            elapsed, latencies = await load(url, total, concurrency)
            our_rps = report("citebot", total, elapsed, latencies)
            await fake.wait_for("chat.postMessage",
                                lambda _c: len(fake.calls_to("chat.postMessage")) >= posted_before + total,
                                timeout=120)
            answered = time.perf_counter() - started
            print(f"{'':<22} every answer posted after {answered:.1f} s ({total / answered:.0f} answers/s)")
            await runner.cleanup()
            await citebot.close()
    print(f"citebot / bare throughput: {our_rps / bare_rps:.2f} (target ≥ 0.70)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.concurrency))
