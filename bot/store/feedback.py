"""Feedback on answers: one vote per user per answer, kept with the question and the entries it cited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store.models import FeedbackRow, QuestionLogRow


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    answer_id: str
    user_hash: str
    vote: int  # +1 or -1
    adapter: str
    voted_at: dt.datetime
    question: str | None = None
    cited_entry_ids: tuple[str, ...] = ()


async def record_feedback(engine: AsyncEngine, *, answer_id: str, user_hash: str, vote: int, adapter: str) -> str:
    """Store the vote: "new", "changed" (the user changed their mind) or "same" (a repeated click)."""
    if vote not in (1, -1):
        raise ValueError("vote must be +1 or -1")
    now = dt.datetime.now(dt.UTC)
    for _ in range(2):  # a concurrent first vote by the same user loses the insert race and updates instead
        try:
            async with engine.begin() as conn:
                return await _upsert(conn, answer_id, user_hash, vote, adapter, now)
        except IntegrityError:
            continue
    raise RuntimeError("could not record the vote")


async def _upsert(
    conn: AsyncConnection, answer_id: str, user_hash: str, vote: int, adapter: str, now: dt.datetime
) -> str:
    existing = (
        await conn.execute(
            select(FeedbackRow.id, FeedbackRow.vote).where(
                FeedbackRow.answer_id == answer_id, FeedbackRow.user_hash == user_hash
            )
        )
    ).first()
    if existing is not None:
        if existing.vote == vote:
            return "same"
        await conn.execute(update(FeedbackRow).where(FeedbackRow.id == existing.id).values(vote=vote, voted_at=now))
        return "changed"
    asked = (
        await conn.execute(
            select(QuestionLogRow.question, QuestionLogRow.cited_entry_ids)
            .where(QuestionLogRow.answer_id == answer_id)
            .limit(1)
        )
    ).first()
    await conn.execute(
        insert(FeedbackRow).values(
            answer_id=answer_id,
            user_hash=user_hash,
            vote=vote,
            adapter=adapter,
            voted_at=now,
            question=asked.question if asked else None,
            cited_entry_ids=list(asked.cited_entry_ids) if asked else [],
        )
    )
    return "new"


async def feedback_for(conn: AsyncConnection, answer_id: str) -> list[FeedbackEntry]:
    rows = (
        await conn.execute(
            select(FeedbackRow.__table__).where(FeedbackRow.answer_id == answer_id).order_by(FeedbackRow.id)
        )
    ).all()
    return [
        FeedbackEntry(r.answer_id, r.user_hash, r.vote, r.adapter, r.voted_at, r.question, tuple(r.cited_entry_ids))
        for r in rows
    ]
