"""Knowledge gaps: the questions citebot most often declined, and the answers users most often disliked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.models import FeedbackRow, QuestionLogRow

_SPACE = " \t\r\n"
_TRAILING = _SPACE + "?？"


@dataclass(frozen=True, slots=True)
class DeclinedQuestion:
    question: str  # the latest wording asked
    times: int  # how often it (or the same words in other case, spacing or question mark) was declined
    last_asked: datetime  # timezone-aware, UTC


@dataclass(frozen=True, slots=True)
class DislikedAnswer:
    answer_id: str
    question: str | None
    downvotes: int
    upvotes: int
    cited_entry_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gaps:
    declined: list[DeclinedQuestion] = field(default_factory=list)  # most asked first
    disliked: list[DislikedAnswer] = field(default_factory=list)  # most 👎 first, ties by latest vote


def _normalized(question: ColumnElement[Any]) -> ColumnElement[str]:
    """lower-cased, surrounding white space and trailing ?/？ removed — the same in SQLite and PostgreSQL."""
    return func.rtrim(func.ltrim(func.lower(question), _SPACE), _TRAILING)


async def gaps(conn: AsyncConnection, limit: int) -> Gaps:
    return Gaps(declined=await _declined(conn, limit), disliked=await _disliked(conn, limit))


async def _declined(conn: AsyncConnection, limit: int) -> list[DeclinedQuestion]:
    asked = (
        select(_normalized(QuestionLogRow.question).label("key"), QuestionLogRow.asked_at)
        .where(QuestionLogRow.answered.is_(False))
        .subquery()
    )
    times = func.count().label("times")
    last_asked = func.max(asked.c.asked_at).label("last_asked")
    query = (
        select(asked.c.key, times, last_asked)
        .where(asked.c.key != "")
        .group_by(asked.c.key)
        .order_by(times.desc(), last_asked.desc(), asked.c.key)
        .limit(limit)
    )
    groups = (await conn.execute(query)).all()
    if not groups:
        return []
    # The latest wording of each group: the rows asked at each group's last time (an indexed look-up).
    wording_query = (
        select(_normalized(QuestionLogRow.question).label("key"), QuestionLogRow.question)
        .where(QuestionLogRow.answered.is_(False), QuestionLogRow.asked_at.in_({g.last_asked for g in groups}))
        .order_by(QuestionLogRow.id.desc())
    )
    wording: dict[str, str] = {}
    for row in (await conn.execute(wording_query)).all():
        wording.setdefault(row.key, row.question.strip())
    return [DeclinedQuestion(wording.get(g.key, g.key), int(g.times), g.last_asked) for g in groups]


async def _disliked(conn: AsyncConnection, limit: int) -> list[DislikedAnswer]:
    downvotes = func.sum(case((FeedbackRow.vote < 0, 1), else_=0)).label("downvotes")
    upvotes = func.sum(case((FeedbackRow.vote > 0, 1), else_=0)).label("upvotes")
    latest = func.max(FeedbackRow.voted_at).label("latest")
    query = (
        select(FeedbackRow.answer_id, downvotes, upvotes, latest)
        .group_by(FeedbackRow.answer_id)
        .having(func.sum(case((FeedbackRow.vote < 0, 1), else_=0)) > 0)
        .order_by(downvotes.desc(), latest.desc(), FeedbackRow.answer_id)
        .limit(limit)
    )
    answers = (await conn.execute(query)).all()
    if not answers:
        return []
    details_query = (
        select(FeedbackRow.answer_id, FeedbackRow.question, FeedbackRow.cited_entry_ids)
        .where(FeedbackRow.answer_id.in_([a.answer_id for a in answers]))
        .order_by(FeedbackRow.voted_at.desc(), FeedbackRow.id.desc())
    )
    details: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for row in (await conn.execute(details_query)).all():
        known = details.get(row.answer_id)
        if known is None or (known[0] is None and row.question is not None):
            details[row.answer_id] = (row.question, tuple(row.cited_entry_ids or ()))
    return [
        DislikedAnswer(
            answer_id=a.answer_id,
            question=details.get(a.answer_id, (None, ()))[0],
            downvotes=int(a.downvotes),
            upvotes=int(a.upvotes),
            cited_entry_ids=details.get(a.answer_id, (None, ()))[1],
        )
        for a in answers
    ]
