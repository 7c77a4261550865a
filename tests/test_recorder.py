"""The question log keeps up with a busy bot: concurrent questions share transactions, none is lost."""

from __future__ import annotations

import asyncio

from bot.core.types import Answer, Question
from bot.recorder import StoreRecorder


class CountingStore:
    def __init__(self) -> None:
        self.batches: list[int] = []
        self.rows: list[str] = []

    async def log_questions(self, entries) -> None:
        await asyncio.sleep(0.01)  # a transaction takes time; others queue meanwhile
        self.batches.append(len(entries))
        self.rows += [e.question for e in entries]


async def test_concurrent_questions_are_written_together_and_all_arrive():
    store = CountingStore()
    recorder = StoreRecorder(store, b"salt", 1)  # type: ignore[arg-type]
    answer = Answer(text="x", language="en", intent="who", answered=True, confidence=1.0, answer_id="a" * 32)
    await asyncio.gather(*(recorder.record(Question(f"q{n}", user_id="discord:1"), None, answer, 1.0)  # type: ignore[arg-type]
                           for n in range(300)))
    assert sorted(store.rows) == sorted(f"q{n}" for n in range(300))
    assert len(store.batches) <= 3  # not 300 transactions


async def test_a_failed_write_is_reported_to_every_waiting_question():
    class Down(CountingStore):
        async def log_questions(self, entries) -> None:
            raise RuntimeError("database down")

    recorder = StoreRecorder(Down(), b"salt", 1)  # type: ignore[arg-type]
    answer = Answer(text="x", language="en", intent="who", answered=True, confidence=1.0, answer_id="b" * 32)
    results = await asyncio.gather(*(recorder.record(Question("q"), None, answer, 1.0) for _ in range(5)),  # type: ignore[arg-type]
                                   return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
