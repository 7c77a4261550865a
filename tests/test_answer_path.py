"""The facade's answer path: the length limit holds for the text the core reads, and answers let other tasks run."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.service import Citebot
from bot.settings import Settings

LIGATURE = "\ufdfa"  # ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: one character, 18 after NFKC


def make_citebot(prepared, tmp_path: Path, **settings: object) -> Citebot:  # type: ignore[no-untyped-def]
    return Citebot(Settings(data_dir=tmp_path, database_url="", **settings), Answerer(prepared))


async def test_a_question_that_normalisation_makes_too_long_is_refused_with_the_limit_named(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, question_max_chars=100)
    typed = "Who is Jan Leike? " + LIGATURE * 10  # 28 characters typed, 198 read
    assert len(typed) < 100
    refused = await citebot.ask(Question(typed, adapter="slack", user_id="slack:T1:U1"))
    assert refused.refusal == "too_long" and not refused.answered
    assert "the limit is 100" in refused.text and "(198 characters" in refused.text
    assert (await citebot.ask(Question("Who is Jan Leike? " + LIGATURE, adapter="slack"))).refusal is None


async def test_questions_back_to_back_let_other_tasks_run_between_answers(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path)
    ticks = 0

    async def ticker() -> None:  # another task on the loop: a heartbeat, an ack, a health check
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    running = asyncio.create_task(ticker())
    try:
        await asyncio.sleep(0)
        seen = [ticks]
        for question in itertools.islice(itertools.cycle(("Who is Jan Leike?", "GPT-4o 是什么时候发布的？")), 200):
            assert (await citebot.ask(Question(question))).answered
            seen.append(ticks)
    finally:
        running.cancel()
    assert all(later > earlier for earlier, later in itertools.pairwise(seen))  # the ticker ran during every answer
