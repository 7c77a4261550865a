"""The audit log: who did what to the bot's knowledge (reload, rollback, upload, ...) and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.models import ACTION_LENGTH, ACTOR_LENGTH, OUTCOME_LENGTH, AuditLogRow

OUTCOMES = ("ok", "refused", "failed")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime  # timezone-aware, UTC
    actor: str  # the platform display id as the caller gave it, e.g. "discord:Alice#1" or "cli"
    action: str  # reload / rollback / upload / status / history / gaps
    detail: str
    outcome: str  # ok / refused / failed


def check_audit(actor: str, action: str, outcome: str) -> None:
    """Refuse empty or over-long fields and unknown outcomes (caller bugs: ``ValueError``)."""
    for name, value, limit in (("actor", actor, ACTOR_LENGTH), ("action", action, ACTION_LENGTH)):
        if not 0 < len(value) <= limit:
            raise ValueError(f"audit {name} must be 1 to {limit} characters")
    if outcome not in OUTCOMES or len(outcome) > OUTCOME_LENGTH:
        raise ValueError(f"audit outcome must be one of {', '.join(OUTCOMES)}, not {outcome[:40]!r}")


async def audit(conn: AsyncConnection, actor: str, action: str, detail: str, outcome: str) -> None:
    await conn.execute(
        insert(AuditLogRow).values(at=datetime.now(UTC), actor=actor, action=action, detail=detail, outcome=outcome)
    )


async def audit_log(conn: AsyncConnection, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    query = select(AuditLogRow.__table__).order_by(AuditLogRow.at.desc(), AuditLogRow.id.desc()).limit(limit)
    return [
        AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail, outcome=r.outcome)
        for r in (await conn.execute(query)).all()
    ]
