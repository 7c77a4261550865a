"""Under a burst a process answers ``answer_concurrency`` questions at once, and platform acks go first."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.service import ACK_BURST, ACK_PRIORITY_WAIT, ACK_WINDOW, Citebot
from bot.settings import Settings


def make_citebot(prepared, tmp_path: Path, concurrency: int) -> Citebot:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url="", answer_concurrency=concurrency)
    return Citebot(settings, Answerer(prepared))


class Concurrency:
    """Wraps the answerer's ``ask`` (each answer made a little slow) and records the most answered at once."""

    def __init__(self, citebot: Citebot, monkeypatch: pytest.MonkeyPatch, delay: float) -> None:
        self.running = self.most = 0
        self._ask, self._delay = citebot.answerer.ask, delay
        monkeypatch.setattr(citebot.answerer, "ask", self.ask)

    async def ask(self, question: Question):  # type: ignore[no-untyped-def]
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(self._delay)
        try:
            return await self._ask(question)
        finally:
            self.running -= 1


@contextlib.asynccontextmanager
async def flood_of_acks(citebot: Citebot) -> AsyncIterator[None]:
    """Acks that never stop coming (one a millisecond) while the block runs."""
    stop = asyncio.Event()

    async def flood() -> None:
        while not stop.is_set():
            with citebot.acknowledging():
                pass
            await asyncio.sleep(0.001)

    flooding = asyncio.create_task(flood())
    try:
        yield
    finally:
        stop.set()
        await flooding


async def test_a_burst_is_answered_a_few_at_a_time_and_every_question_gets_its_answer(prepared, tmp_path, monkeypatch):
    citebot = make_citebot(prepared, tmp_path, concurrency=2)
    concurrency = Concurrency(citebot, monkeypatch, delay=0.01)
    answers = await asyncio.gather(*(citebot.ask(Question("Who is Jan Leike?")) for _ in range(12)))
    assert concurrency.most == 2
    assert all(a.answered and "Leike" in a.text for a in answers)


async def test_an_adapter_holding_a_slot_for_question_and_delivery_does_not_deadlock(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, concurrency=1)
    async with citebot.answering():  # the adapter's slot covers the ask inside it
        answer = await asyncio.wait_for(citebot.ask(Question("Who is Ilya Sutskever?")), timeout=2)
    assert answer.answered


async def test_during_a_burst_of_acks_answers_wait_for_it_to_pass(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, concurrency=4)
    for _ in range(ACK_BURST):  # a burst: ACK_BURST requests acknowledged just now
        with citebot.acknowledging():
            pass
    loop = asyncio.get_running_loop()
    started = loop.time()
    answer = await citebot.ask(Question("Who is Jan Leike?"))
    waited = loop.time() - started
    assert answer.answered and ACK_WINDOW * 0.5 <= waited <= ACK_PRIORITY_WAIT + 0.1


async def test_at_a_steady_pace_acks_do_not_hold_answers_back(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, concurrency=4)
    loop = asyncio.get_running_loop()
    for _ in range(5):
        with citebot.acknowledging():  # a request acked now and then, as under any steady load
            started = loop.time()
            await citebot.ask(Question("Who is Jan Leike?"))
            assert loop.time() - started < ACK_WINDOW / 2
        await asyncio.sleep(0.03)


async def test_a_stream_of_acks_cannot_starve_answers(prepared, tmp_path):
    citebot = make_citebot(prepared, tmp_path, concurrency=1)
    async with flood_of_acks(citebot):
        answer = await asyncio.wait_for(citebot.ask(Question("Who is Jan Leike?")), timeout=ACK_PRIORITY_WAIT + 1)
    assert answer.answered


async def test_under_a_burst_longer_than_the_wait_answers_go_on_one_at_a_time(prepared, tmp_path, monkeypatch):
    citebot = make_citebot(prepared, tmp_path, concurrency=4)
    concurrency = Concurrency(citebot, monkeypatch, delay=0.02)
    async with flood_of_acks(citebot):  # acks keep coming for longer than answers wait for them
        await asyncio.sleep(ACK_WINDOW)  # the burst under way before the questions come
        answers = await asyncio.wait_for(asyncio.gather(*(citebot.ask(Question("Who is Jan Leike?"))
                                                          for _ in range(6))), timeout=ACK_PRIORITY_WAIT + 3)
    assert concurrency.most == 1  # not the 4 slots at once: the acks keep the CPU
    assert all(a.answered for a in answers)


def test_answer_concurrency_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        Settings(data_dir=tmp_path, answer_concurrency=0)
