"""The question log keeps up with a busy bot and survives a store outage: batched, buffered, nothing lost."""

from __future__ import annotations

import asyncio

from bot.core.types import Answer, Question
from bot.recorder import StoreRecorder

ANSWER = Answer(text="x", language="en", intent="who", answered=True, confidence=1.0, answer_id="a" * 32)


class CountingStore:
    def __init__(self) -> None:
        self.batches: list[int] = []
        self.rows: list[str] = []
        self.down = False

    async def log_questions(self, entries) -> None:
        await asyncio.sleep(0.01)  # a transaction takes time; others queue meanwhile
        if self.down:
            raise ConnectionRefusedError("database down")
        self.batches.append(len(entries))
        self.rows += [e.question for e in entries]


async def record(recorder: StoreRecorder, text: str) -> None:
    await recorder.record(Question(text, user_id="discord:1"), None, ANSWER, 1.0)  # type: ignore[arg-type]


async def test_concurrent_questions_are_written_together_and_all_arrive():
    store = CountingStore()
    recorder = StoreRecorder(store, b"salt", 1)  # type: ignore[arg-type]
    await asyncio.gather(*(record(recorder, f"q{n}") for n in range(300)))
    assert await recorder.flush(timeout=5)
    assert sorted(store.rows) == sorted(f"q{n}" for n in range(300))
    assert len(store.batches) <= 3  # not 300 transactions
    assert recorder.written == 300 and recorder.backlog == 0


async def test_recording_does_not_wait_for_the_store():
    store = CountingStore()
    store.down = True
    recorder = StoreRecorder(store, b"salt", 1)  # type: ignore[arg-type]
    await asyncio.wait_for(record(recorder, "q"), timeout=0.005)  # far less than one write takes
    assert recorder.backlog == 1
    await recorder.close(timeout=0.05)


async def test_questions_asked_while_the_store_is_down_arrive_when_it_is_back():
    store = CountingStore()
    store.down = True
    recorder = StoreRecorder(store, b"salt", 1)  # type: ignore[arg-type]
    for n in range(20):
        await record(recorder, f"q{n}")
    await asyncio.sleep(0.3)  # a few failed attempts
    assert recorder.backlog == 20 and recorder.last_error and "database down" in recorder.last_error
    store.down = False
    assert await recorder.flush(timeout=10)
    assert store.rows == [f"q{n}" for n in range(20)]  # all of them, in order, once
    assert recorder.last_error is None


async def test_beyond_the_buffer_questions_are_dropped_and_counted_not_the_waiting_ones():
    store = CountingStore()
    store.down = True
    recorder = StoreRecorder(store, b"salt", 1, buffer_max=10)  # type: ignore[arg-type]
    for n in range(15):
        await record(recorder, f"q{n}")
    assert recorder.backlog == 10 and recorder.dropped == 5
    store.down = False
    assert await recorder.flush(timeout=10)
    assert store.rows == [f"q{n}" for n in range(10)]
