"""Failed reloads: each refused reload kept with its ``file:line: field`` errors, so every process can show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.models import AUTHOR_LENGTH, PROBLEM_LENGTH, PROBLEMS_KEPT, TRIGGER_LENGTH, KbReloadFailureRow


@dataclass(frozen=True, slots=True)
class ReloadFailure:
    at: datetime  # timezone-aware, UTC
    trigger: str  # what started the reload: "file watcher", "/kb reload", "/kb upload", "citebot kb sync", "start-up"
    author: str | None  # who asked, when someone did ("discord:alice (123)", "cli:alice"); None for the watcher
    problems: tuple[str, ...]  # the first PROBLEMS_KEPT error lines, each at most PROBLEM_LENGTH characters
    problem_count: int  # every error, kept or not

    @classmethod
    def of(cls, trigger: str, author: str | None, problems: Sequence[str], at: datetime | None = None) -> ReloadFailure:
        """A failure now, bounded to what the store keeps: long lines cut, at most PROBLEMS_KEPT of them."""
        kept = tuple(_cut(p, PROBLEM_LENGTH) for p in problems[:PROBLEMS_KEPT])
        return cls(at or datetime.now(UTC), _cut(trigger, TRIGGER_LENGTH),
                   _cut(author, AUTHOR_LENGTH) if author else None, kept, len(problems))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def record(conn: AsyncConnection, failure: ReloadFailure) -> None:
    """Keep ``failure``, bounded as :meth:`ReloadFailure.of` bounds it (whoever built it)."""
    bounded = ReloadFailure.of(failure.trigger, failure.author, failure.problems, failure.at)
    await conn.execute(insert(KbReloadFailureRow).values(
        at=bounded.at, trigger=bounded.trigger, author=bounded.author, problems=list(bounded.problems),
        problem_count=max(failure.problem_count, bounded.problem_count)))


async def last(conn: AsyncConnection) -> ReloadFailure | None:
    """The newest failed reload, or ``None`` when no reload ever failed."""
    query = (select(KbReloadFailureRow.__table__)
             .order_by(KbReloadFailureRow.at.desc(), KbReloadFailureRow.id.desc()).limit(1))
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    return ReloadFailure(row.at, row.trigger, row.author, tuple(row.problems), row.problem_count)
