"""Where questions and their answers are logged: the recorder protocol, and a buffer in front of one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.core.types import Answer, Question
    from bot.core.understand import Understanding

log = logging.getLogger(__name__)


class QuestionRecorder(Protocol):
    """Logs each asked question with its answer; the store implements it (bot.recorder.StoreRecorder)."""

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None: ...


class BufferedRecorder:
    """Holds records until a real recorder can take them (after the answer is shown, for instance)."""

    def __init__(self) -> None:
        self.pending: list[tuple[Question, Understanding, Answer, float]] = []

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None:
        self.pending.append((question, understanding, answer, latency_ms))

    async def flush(self, target: QuestionRecorder) -> None:
        """Hand every pending record to ``target``, oldest first; a failure keeps the rest pending."""
        while self.pending:
            await target.record(*self.pending[0])
            self.pending.pop(0)


class Recorders:
    """Several recorders as one (the store's question log and the metrics, say); one failing spares the rest."""

    def __init__(self, *recorders: QuestionRecorder) -> None:
        self.recorders = list(recorders)

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None:
        for recorder in self.recorders:
            try:
                await recorder.record(question, understanding, answer, latency_ms)
            except Exception:
                log.exception("a question recorder failed")
