"""SIGTERM: the bot stops taking questions, finishes the answers in flight and logs their questions."""

from __future__ import annotations

import asyncio
import os
import signal

from bot.cli.platforms import until_stopped
from bot.core.types import Question


async def test_sigterm_finishes_the_answers_in_flight_and_logs_them(citebot, monkeypatch):
    real_ask = citebot.answerer.ask
    started = asyncio.Event()

    async def slow(question):
        started.set()
        await asyncio.sleep(0.3)
        return await real_ask(question)

    monkeypatch.setattr(citebot.answerer, "ask", slow)
    in_flight = asyncio.create_task(citebot.ask(Question("Who is Greg Brockman?", adapter="discord")))
    platform_stopped = asyncio.Event()

    async def platform() -> None:  # stands in for the Discord client / Slack server: runs until cancelled
        try:
            await asyncio.Event().wait()
        finally:
            platform_stopped.set()

    async def terminate() -> None:
        await started.wait()
        os.kill(os.getpid(), signal.SIGTERM)

    killer = asyncio.create_task(terminate())
    async with asyncio.timeout(5):  # awaited directly: its signal handlers are in place before the kill runs
        await until_stopped(citebot, platform())
    await killer
    assert platform_stopped.is_set()
    assert in_flight.done() and in_flight.result().answered  # finished, not cut off
    [logged] = await citebot.side.store.recent_questions()
    assert logged.question == "Who is Greg Brockman?" and logged.adapter == "discord"
