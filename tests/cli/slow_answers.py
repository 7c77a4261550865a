"""`python -m tests.cli.slow_answers chat ...`: the real `citebot` command, except that a question with "slowly"
in it takes a minute to answer, so a test can press Ctrl-C while an answer is under way."""

from __future__ import annotations

import asyncio
import sys

from bot.cli.main import main
from bot.core.types import Answer, Question
from bot.service import Citebot

SLOW_WORD = "slowly"
_real_ask = Citebot.ask


async def _slow_ask(self: Citebot, question: Question) -> Answer:
    if SLOW_WORD in question.text:
        await asyncio.sleep(60)
    return await _real_ask(self, question)


if __name__ == "__main__":
    Citebot.ask = _slow_ask  # type: ignore[method-assign]
    sys.exit(main(sys.argv[1:]))
