"""Logs every question to the store, with the user id hashed and the conversation id hashed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from bot.core.types import Answer, Question
from bot.core.understand import Understanding
from bot.store import QuestionLogEntry, Store, hash_user_id

BATCH_MAX = 500


class StoreRecorder:
    """The store-backed ``QuestionRecorder``; raw user and conversation ids never leave this object.

    ``record`` returns once the question is written. Questions recorded meanwhile by other tasks wait
    for one writer, which writes them together in one transaction: a busy bot does not open a
    transaction (and take a pooled connection) per question.
    """

    def __init__(self, store: Store, salt: bytes, kb_version_id: int | None) -> None:
        self._store = store
        self._salt = salt
        self.kb_version_id = kb_version_id
        self.version_of: Callable[[], int | None] = lambda: self.kb_version_id  # the live version, once wired
        self._pending: list[tuple[QuestionLogEntry, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None:
        entry = QuestionLogEntry(
            asked_at=dt.datetime.now(dt.UTC), question=question.text, language=answer.language,
            intent=answer.intent, answered=answer.answered, confidence=answer.confidence,
            cited_entry_ids=answer.entry_ids, latency_ms=latency_ms, adapter=question.adapter,
            user_hash=self._hash(question.user_id), conversation_hash=self._hash(question.conversation_id),
            kb_version_id=self.version_of(), answer_id=answer.answer_id,
        )
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((entry, written))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await written

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:BATCH_MAX], self._pending[BATCH_MAX:]
            try:
                await self._store.log_questions([entry for entry, _ in batch])
            except Exception as err:
                for _, written in batch:
                    if not written.done():
                        written.set_exception(err)
            else:
                for _, written in batch:
                    if not written.done():
                        written.set_result(None)

    def _hash(self, raw: str | None) -> str | None:
        return hash_user_id(raw, self._salt) if raw else None
