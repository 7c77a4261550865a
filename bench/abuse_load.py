"""10,000 questions through Slack's HTTP path and 10,000 through Discord's gateway, abusers mixed in.

usage: python bench/abuse_load.py [--questions 10000] [--abusers 5] [--flood 1000] [--rate 100]

Everything runs on 127.0.0.1 against the fakes in tests/fakes, driven by the real slack-bolt and
discord.py, with the default limits (10 questions a minute per user, 60 per channel). Normal users
ask 5 questions each, 5 users to a channel; each abuser floods ``--flood`` questions into one of
those channels. For each platform prints how many questions were answered, rate-limited, failed
(an apology) and lost (no reply at all: must be 0), and the p50 / p99 time from the question
leaving the platform to the reply reaching it. Questions are offered at ``--rate`` a second (0: all
at once, a burst); for scale, Slack delivers at most 30,000 events an hour (8 a second) to a workspace.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.adapters.discord import CitebotDiscord  # noqa: E402
from bot.adapters.slack import SlackCredentials, build_slack_app, http_app  # noqa: E402
from bot.bootstrap import build_app  # noqa: E402
from bot.service import Citebot  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fakes.discord_server import FakeDiscord  # noqa: E402
from tests.fakes.slack_server import JSON, FakeSlack, app_mention_event, event_callback, json_body, sign  # noqa: E402

SECRET = "bench-secret"
QUESTIONS = ["Who is Jan Leike?", "When was GPT-4o announced?", "Why did Jan Leike resign?",
             "超级对齐团队是什么时候解散的？", "What is the price of Bitcoin today?", "Who is Ilya Sutskever?"]
PER_USER, USERS_PER_CHANNEL = 5, 5


@dataclass(frozen=True)
class Ask:
    key: str  # identifies the question in the reply (Slack thread ts / Discord message id, set later)
    user: int
    channel: int
    text: str
    abuser: bool


def workload(total: int, abusers: int, flood: int) -> list[Ask]:
    normal_total = total - abusers * flood
    users = normal_total // PER_USER
    asks = [Ask("", user, user // USERS_PER_CHANNEL, QUESTIONS[(user + n) % len(QUESTIONS)], False)
            for n in range(PER_USER) for user in range(users)]
    channels = max(1, users // USERS_PER_CHANNEL)
    for a in range(abusers):  # interleaved with everyone else, in normal users' channels
        for n in range(flood):
            asks.insert((n * len(asks)) // flood, Ask("", users + a, a % channels, QUESTIONS[n % len(QUESTIONS)], True))
    return asks


class Stamped(list):  # type: ignore[type-arg]
    """A fake's request list that notes when each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item: Any) -> None:
        self.times.append(time.perf_counter())
        super().append(item)


@dataclass
class Tally:
    answered: int = 0
    limited: int = 0
    failed: int = 0
    lost: int = 0
    latencies: list[float] | None = None

    def show(self, name: str, total: int, elapsed: float) -> None:
        lat = sorted(self.latencies or [0.0])
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
        print(f"{name:<8} {total} questions in {elapsed:5.1f} s: answered {self.answered}, rate-limited "
              f"{self.limited}, failed {self.failed}, lost {self.lost}; reply p50 {statistics.median(lat):.0f} ms, "
              f"p99 {p99:.0f} ms")


async def wait_until(done: Callable[[], bool], timeout: float = 300) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # noqa: ASYNC110  (polls the fake's records)
        await asyncio.sleep(0.2)


async def paced(n: int, started: float, rate: float) -> None:
    """Wait until question ``n`` is due when questions are offered at ``rate`` a second."""
    if rate:
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))


async def slack(citebot: Citebot, asks: list[Ask], rate: float, concurrency: int = 50) -> None:
    async with FakeSlack() as fake:
        fake.calls = Stamped()
        app = http_app(build_slack_app(citebot, SlackCredentials("xoxb-bench", SECRET, None), base_url=fake.api_url),
                       citebot)
        from aiohttp import web

        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        url = f"http://{host}:{port}/slack/events"
        sent: dict[str, float] = {}
        queue = list(enumerate(asks))
        started = time.perf_counter()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
            async def worker() -> None:
                while queue:
                    n, ask = queue.pop(0)
                    await paced(n, started, rate)
                    ts = f"{1_700_000_000 + n}.000100"
                    event = app_mention_event(ask.text, ts=ts, user=f"U{ask.user}", channel=f"C{ask.channel}")
                    body = json_body(event_callback(event, event_id=f"Ev{n:08d}"))
                    sent[ts] = time.perf_counter()
                    async with session.post(url, data=body,
                                            headers={"Content-Type": JSON, **sign(SECRET, body, int(time.time()))}
                                            ) as response:
                        await response.read()

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        replied = lambda: len({c.args.get("thread_ts") for c in fake.calls  # noqa: E731
                               if c.method in ("chat.postMessage", "chat.postEphemeral")})
        await wait_until(lambda: replied() >= len(asks))
        elapsed = time.perf_counter() - started
        await runner.cleanup()
        tally, seen = Tally(latencies=[]), set()
        for call, at in zip(fake.calls, fake.calls.times, strict=True):
            ts = call.args.get("thread_ts")
            if call.method not in ("chat.postMessage", "chat.postEphemeral") or ts in seen or call.status != 200:
                continue
            seen.add(ts)
            text = call.args.get("text", "")
            if call.method == "chat.postEphemeral":
                tally.limited += 1
            elif text.startswith("Sorry") or text.startswith("抱歉"):
                tally.failed += 1
            else:
                tally.answered += 1
            tally.latencies.append((at - sent[ts]) * 1000)  # type: ignore[union-attr]
        tally.lost = len(asks) - len(seen)
        tally.show("Slack", len(asks), elapsed)


async def discord(citebot: Citebot, asks: list[Ask], rate: float) -> None:
    import pytest

    with pytest.MonkeyPatch.context() as monkeypatch:
        async with FakeDiscord() as fake:
            fake.patch(monkeypatch)
            fake.requests = Stamped()
            threads = {c: int(fake.add_thread(name=f"t{c}")["id"]) for c in sorted({a.channel for a in asks})}
            users = {u: fake.make_user(9_000_000_000 + u, f"user{u}") for u in sorted({a.user for a in asks})}
            async with fake.connected(CitebotDiscord(citebot, guild_ready_timeout=0.05), timeout=30):
                sent: dict[str, float] = {}
                started = time.perf_counter()
                for n, ask in enumerate(asks):
                    await paced(n, started, rate)
                    at = time.perf_counter()
                    message = await fake.message_create(ask.text, mentions_bot=True, channel_id=threads[ask.channel],
                                                        author=users[ask.user])
                    sent[message["id"]] = at

                def replies() -> int:
                    return sum(1 for r in fake.requests
                               if (r.method == "POST" and r.path.endswith("/messages") and r.ok)
                               or (r.method == "PUT" and "/reactions/" in r.path))

                await wait_until(lambda: replies() >= len(asks))
                elapsed = time.perf_counter() - started
            tally, seen = Tally(latencies=[]), set()
            for request, at in zip(fake.requests, fake.requests.times, strict=True):
                if request.method == "PUT" and "/reactions/" in request.path:
                    question = request.path.split("/messages/")[1].split("/")[0]
                    kind = "limited"
                elif request.method == "POST" and request.path.endswith("/messages") and request.ok:
                    question = str((request.json.get("message_reference") or {}).get("message_id"))
                    text = str(request.json)
                    kind = ("limited" if "try again in" in text or "秒后再试" in text else
                            "failed" if "Sorry" in text else "answered")
                else:
                    continue
                if question in seen or question not in sent:
                    continue
                seen.add(question)
                setattr(tally, kind, getattr(tally, kind) + 1)
                tally.latencies.append((at - sent[question]) * 1000)  # type: ignore[union-attr]
            tally.lost = len(asks) - len(seen)
            tally.show("Discord", len(asks), elapsed)


async def main(total: int, abusers: int, flood: int, rate: float) -> None:
    asks = workload(total, abusers, flood)
    normal = sum(not a.abuser for a in asks)
    print(f"{len(asks)} questions a platform: {normal} from {normal // PER_USER} users ({PER_USER} each), "
          f"{len(asks) - normal} from {abusers} abusers; limits 10/min a user, 60/min a channel; "
          f"offered {'all at once' if not rate else f'{rate:g} a second'}")
    for run in (slack, discord):
        with tempfile.TemporaryDirectory() as data:
            citebot = await build_app(Settings(knowledge_dir=ROOT / "knowledge", data_dir=Path(data),
                                               database_url=""), author="bench")
            try:
                await run(citebot, asks, rate)
                await citebot.side.recorder.flush(60)  # type: ignore[union-attr]
                logged = len(await citebot.side.store.recent_questions(limit=len(asks) + 10))  # type: ignore[union-attr]
                print(f"{'':<8} question log rows: {logged} (the answered and declined; refusals are not logged)")
            finally:
                await citebot.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--abusers", type=int, default=5)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="questions offered a second (0: a burst)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.questions, arguments.abusers, arguments.flood, arguments.rate))
