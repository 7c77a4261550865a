from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from bot.store import QuestionLogEntry, Store, hash_user_id

if TYPE_CHECKING:
    from conftest import StoreTarget

SALT = b"test-salt-not-secret"
RAW_USER_ID = "discord:918273645546372819"
RAW_CHANNEL_ID = "discord-channel:555000111222333444"
ASKED_AT = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=UTC)


def _entry(**changes: object) -> QuestionLogEntry:
    entry = QuestionLogEntry(
        asked_at=ASKED_AT,
        question="Why did Jan Leike leave OpenAI?",
        language="en",
        intent="why",
        answered=True,
        confidence=0.82,
        cited_entry_ids=("leike-resigns", "compute-promise"),
        latency_ms=41.5,
        adapter="discord",
        user_hash=hash_user_id(RAW_USER_ID, SALT),
        conversation_hash=hash_user_id(RAW_CHANNEL_ID, SALT),
        kb_version_id=None,
    )
    return replace(entry, **changes)  # type: ignore[arg-type]


async def test_logged_question_round_trips(store: Store) -> None:
    await store.log_question(_entry())
    [stored] = await store.recent_questions()

    assert stored.id is not None
    assert replace(stored, id=None) == _entry()
    assert stored.asked_at == ASKED_AT
    assert stored.asked_at.tzinfo is not None


async def test_question_log_keeps_only_hashes_of_user_and_conversation_ids(
    store: Store, store_target: StoreTarget
) -> None:
    await store.log_question(_entry())
    rows = await store_target.fetch("SELECT * FROM question_log")
    assert len(rows) == 1
    row = rows[0]._mapping

    assert row["user_hash"] == hash_user_id(RAW_USER_ID, SALT)
    assert len(row["user_hash"]) == 64
    stored_text = " ".join(str(value) for value in row.values())
    for raw in (RAW_USER_ID, RAW_CHANNEL_ID, "918273645546372819", "555000111222333444"):
        assert raw not in stored_text


@pytest.mark.parametrize("field", ["user_hash", "conversation_hash"])
@pytest.mark.parametrize("value", [RAW_USER_ID, "918273645546372819", "A" * 64, ""])
async def test_raw_ids_are_refused_and_not_echoed(store: Store, field: str, value: str) -> None:
    with pytest.raises(ValueError, match=field) as caught:
        await store.log_question(_entry(**{field: value}))
    if value:
        assert value not in str(caught.value)
    assert await store.recent_questions() == []


@pytest.mark.parametrize(("field", "limit"), [("language", 16), ("intent", 64), ("adapter", 32)])
async def test_over_long_fields_are_refused_on_every_backend(store: Store, field: str, limit: int) -> None:
    with pytest.raises(ValueError, match=field):
        await store.log_question(_entry(**{field: "x" * (limit + 1)}))
    await store.log_question(_entry(**{field: "x" * limit}))
    assert len(await store.recent_questions()) == 1


async def test_anonymous_entries_and_kb_version_are_kept(store: Store) -> None:
    await store.log_question(_entry(user_hash=None, conversation_hash=None, kb_version_id=3, adapter="cli"))
    [stored] = await store.recent_questions()
    assert (stored.user_hash, stored.conversation_hash, stored.kb_version_id, stored.adapter) == (None, None, 3, "cli")


async def test_times_in_other_zones_are_stored_as_utc_and_naive_times_refused(store: Store) -> None:
    beijing = timezone(timedelta(hours=8))
    await store.log_question(_entry(asked_at=datetime(2026, 11, 25, 17, 30, 15, 123456, tzinfo=beijing)))
    [stored] = await store.recent_questions()
    assert stored.asked_at == ASKED_AT
    assert stored.asked_at.utcoffset() == timedelta(0)

    with pytest.raises(ValueError, match="timezone-aware"):
        await store.log_question(_entry(asked_at=datetime(2026, 11, 25, 9, 30)))


async def test_recent_questions_are_newest_first_and_limited(store: Store) -> None:
    for minutes in (5, 1, 9, 3):
        await store.log_question(_entry(asked_at=ASKED_AT + timedelta(minutes=minutes), question=f"q{minutes}"))

    assert [entry.question for entry in await store.recent_questions()] == ["q9", "q5", "q3", "q1"]
    assert [entry.question for entry in await store.recent_questions(limit=2)] == ["q9", "q5"]


async def test_cited_entry_ids_may_be_given_as_a_list(store: Store) -> None:
    await store.log_question(_entry(cited_entry_ids=["a", "b"], answered=False, confidence=0.0))
    [stored] = await store.recent_questions()
    assert stored.cited_entry_ids == ("a", "b")
    assert stored.answered is False


async def test_many_concurrent_question_log_writes_all_arrive(store_target):
    """A busy bot logs questions concurrently; on SQLite writers wait for each other, none is lost."""
    import asyncio
    import datetime as dt

    from bot.store import QuestionLogEntry

    store = await store_target.connect()
    try:
        entries = [QuestionLogEntry(asked_at=dt.datetime.now(dt.UTC), question=f"q{n}", language="en", intent="who",
                                    answered=True, confidence=1.0, cited_entry_ids=(), latency_ms=1.0,
                                    adapter="slack") for n in range(200)]
        await asyncio.gather(*(store.log_question(e) for e in entries))
        assert len(await store.recent_questions(500)) == 200
    finally:
        await store.close()
