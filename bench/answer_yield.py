"""How long the event loop's other tasks wait while one task asks questions back to back through the facade.

usage: python bench/answer_yield.py [--questions 2000]
A ticker task records the gap between its turns while ``Citebot.ask`` answers ``--questions`` questions in a
row; prints the answers' total time, the ticker's turns and its longest wait (before the fix: one turn, and a
wait as long as the whole run).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answerer import Answerer, prepare  # noqa: E402
from bot.core.types import Question  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.service import Citebot  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

QUESTIONS = ("Who is Jan Leike?", "When was GPT-4o announced?", "超级对齐团队是什么时候解散的？")


async def run(count: int) -> None:
    configured = load_settings()
    prepared = prepare(load_knowledge(configured.knowledge_dir))
    with tempfile.TemporaryDirectory() as data:
        citebot = Citebot(Settings(data_dir=Path(data), database_url=""), Answerer(prepared))
        turns, longest, last = 0, 0.0, time.perf_counter()

        async def ticker() -> None:
            nonlocal turns, longest, last
            while True:
                now = time.perf_counter()
                turns, longest, last = turns + 1, max(longest, now - last), now
                await asyncio.sleep(0)

        running = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        started = time.perf_counter()
        for n in range(count):
            await citebot.ask(Question(QUESTIONS[n % len(QUESTIONS)]))
        took = time.perf_counter() - started
        longest = max(longest, time.perf_counter() - last)  # the wait still going on, if the ticker never ran
        running.cancel()
        print(f"{count} questions in {took:.2f} s; the ticker ran {turns} times, longest wait {longest * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=2000)
    asyncio.run(run(parser.parse_args().questions))


if __name__ == "__main__":
    main()
