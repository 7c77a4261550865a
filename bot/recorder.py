"""Logs every question to the store, with the user id hashed and the conversation id hashed."""

from __future__ import annotations

import datetime as dt

from bot.core.types import Answer, Question
from bot.core.understand import Understanding
from bot.store import QuestionLogEntry, Store, hash_user_id


class StoreRecorder:
    """The store-backed ``QuestionRecorder``; raw user and conversation ids never leave this object."""

    def __init__(self, store: Store, salt: bytes, kb_version_id: int | None) -> None:
        self._store = store
        self._salt = salt
        self.kb_version_id = kb_version_id

    async def record(self, question: Question, understanding: Understanding, answer: Answer, latency_ms: float) -> None:
        await self._store.log_question(
            QuestionLogEntry(
                asked_at=dt.datetime.now(dt.UTC),
                question=question.text,
                language=answer.language,
                intent=answer.intent,
                answered=answer.answered,
                confidence=answer.confidence,
                cited_entry_ids=answer.entry_ids,
                latency_ms=latency_ms,
                adapter=question.adapter,
                user_hash=self._hash(question.user_id),
                conversation_hash=self._hash(question.conversation_id),
                kb_version_id=self.kb_version_id,
                answer_id=answer.answer_id,
            )
        )

    def _hash(self, raw: str | None) -> str | None:
        return hash_user_id(raw, self._salt) if raw else None

