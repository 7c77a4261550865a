"""The audit log: operator actions, newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store


async def test_audit_entries_round_trip_newest_first(store: Store) -> None:
    before = datetime.now(UTC)
    await store.audit("discord:Alice#1", "reload", "version 2 → 3", "ok")
    await store.audit("cli", "rollback", "to version 1", "refused")
    await store.audit("slack:U42", "upload", "people.yaml: bad date on line 3", "failed")

    entries = await store.audit_log()
    assert [(e.actor, e.action, e.detail, e.outcome) for e in entries] == [
        ("slack:U42", "upload", "people.yaml: bad date on line 3", "failed"),
        ("cli", "rollback", "to version 1", "refused"),
        ("discord:Alice#1", "reload", "version 2 → 3", "ok"),
    ]
    assert all(before - timedelta(seconds=1) <= e.at <= datetime.now(UTC) for e in entries)
    assert entries[0].at.tzinfo is not None
    assert [e.action for e in await store.audit_log(limit=1)] == ["upload"]


@pytest.mark.parametrize(
    ("actor", "action", "outcome"),
    [("", "reload", "ok"), ("a" * 201, "reload", "ok"), ("cli", "x" * 65, "ok"), ("cli", "reload", "maybe")],
)
async def test_bad_audit_fields_are_refused(store: Store, actor: str, action: str, outcome: str) -> None:
    with pytest.raises(ValueError):
        await store.audit(actor, action, "detail", outcome)
    assert await store.audit_log() == []
