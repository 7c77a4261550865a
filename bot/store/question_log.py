"""The question log: what was asked, how it was answered, by whom (as a salted hash only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.models import ADAPTER_LENGTH, INTENT_LENGTH, LANGUAGE_LENGTH, QuestionLogRow

_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class QuestionLogEntry:
    asked_at: datetime  # timezone-aware
    question: str
    language: str
    intent: str
    answered: bool
    confidence: float
    cited_entry_ids: tuple[str, ...]
    latency_ms: float
    adapter: str  # cli / discord / slack / http
    user_hash: str | None = None  # hash_user_id(...) — never a raw user id
    conversation_hash: str | None = None
    kb_version_id: int | None = None
    answer_id: str | None = None  # the core's Answer.answer_id: what feedback refers to
    id: int | None = None  # set by the store on entries it returns

    def __post_init__(self) -> None:
        if not isinstance(self.cited_entry_ids, tuple):
            object.__setattr__(self, "cited_entry_ids", tuple(self.cited_entry_ids))


def check_entry(entry: QuestionLogEntry) -> None:
    """Refuse entries with a raw id, a zone-less time or an over-long field (caller bugs: ``ValueError``)."""
    for field in ("user_hash", "conversation_hash"):
        value = getattr(entry, field)
        # The value is deliberately not echoed: it may be the raw id we refuse to keep.
        if value is not None and not _HEX_DIGEST.fullmatch(value):
            raise ValueError(f"{field} must be a 64-character hex digest from hash_user_id(), never a raw id")
    if entry.asked_at.tzinfo is None or entry.asked_at.utcoffset() is None:
        raise ValueError("asked_at must be timezone-aware")
    for field, limit in (("language", LANGUAGE_LENGTH), ("intent", INTENT_LENGTH), ("adapter", ADAPTER_LENGTH)):
        if len(getattr(entry, field)) > limit:
            raise ValueError(f"{field} is longer than {limit} characters")


def _row(entry: QuestionLogEntry) -> dict[str, Any]:
    return {
        "asked_at": entry.asked_at, "question": entry.question, "language": entry.language, "intent": entry.intent,
        "answered": entry.answered, "confidence": entry.confidence, "cited_entry_ids": list(entry.cited_entry_ids),
        "latency_ms": entry.latency_ms, "adapter": entry.adapter, "user_hash": entry.user_hash,
        "conversation_hash": entry.conversation_hash, "kb_version_id": entry.kb_version_id,
        "answer_id": entry.answer_id,
    }


async def log_question(conn: AsyncConnection, entry: QuestionLogEntry) -> None:
    await conn.execute(insert(QuestionLogRow).values(**_row(entry)))


async def log_questions(conn: AsyncConnection, entries: list[QuestionLogEntry]) -> None:
    """Many entries in one statement (executemany): a busy bot's log in few transactions. A retried batch
    whose first attempt did commit adds nothing: rows whose answer id is already logged are skipped."""
    dialect = conn.dialect.name
    statement: Any = insert(QuestionLogRow)
    if dialect in ("postgresql", "sqlite"):
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(QuestionLogRow)
        statement = statement.on_conflict_do_nothing(index_elements=["answer_id"])
    await conn.execute(statement, [_row(e) for e in entries])


async def recent_questions(conn: AsyncConnection, limit: int) -> list[QuestionLogEntry]:
    """The newest ``limit`` entries, newest first."""
    query = select(QuestionLogRow.__table__).order_by(QuestionLogRow.asked_at.desc(), QuestionLogRow.id.desc())
    rows = (await conn.execute(query.limit(limit))).all()
    return [_to_entry(row) for row in rows]


def _to_entry(row: Row[Any]) -> QuestionLogEntry:
    return QuestionLogEntry(
        id=row.id,
        asked_at=row.asked_at,
        question=row.question,
        language=row.language,
        intent=row.intent,
        answered=bool(row.answered),
        confidence=row.confidence,
        cited_entry_ids=tuple(row.cited_entry_ids),
        latency_ms=row.latency_ms,
        adapter=row.adapter,
        user_hash=row.user_hash,
        conversation_hash=row.conversation_hash,
        kb_version_id=row.kb_version_id,
        answer_id=row.answer_id,
    )
