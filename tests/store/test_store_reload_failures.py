"""Failed reloads: kept with their error lines (bounded), time, trigger and author; the newest is read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import ReloadFailure, Store
from bot.store.models import PROBLEM_LENGTH, PROBLEMS_KEPT


async def test_the_newest_failed_reload_comes_back_with_its_problems_trigger_and_author(store: Store) -> None:
    assert await store.last_reload_failure() is None
    earlier = datetime.now(UTC) - timedelta(minutes=5)
    await store.record_reload_failure(ReloadFailure.of("file watcher", None, ["a.yaml:3: date: bad"], at=earlier))
    problems = ["later.yaml:4: date: not a date: '2024-05-99'", "later.yaml:9: people: unknown people id 'nobody'"]
    await store.record_reload_failure(ReloadFailure.of("/kb reload", "discord:alice (123)", problems))
    last = await store.last_reload_failure()
    assert last is not None
    assert (last.trigger, last.author, last.problems, last.problem_count) == (
        "/kb reload", "discord:alice (123)", tuple(problems), 2)
    assert earlier < last.at <= datetime.now(UTC) and last.at.tzinfo is not None


async def test_a_failure_with_thousands_of_long_problems_is_kept_bounded_with_its_full_count(store: Store) -> None:
    problems = [f"huge.yaml:{n}: text: {'x' * 5000}" for n in range(1, 3001)]
    await store.record_reload_failure(ReloadFailure(datetime.now(UTC), "file watcher", None, tuple(problems), 3000))
    last = await store.last_reload_failure()
    assert last is not None and last.author is None and last.problem_count == 3000
    assert len(last.problems) == PROBLEMS_KEPT and all(len(p) <= PROBLEM_LENGTH for p in last.problems)
    assert last.problems[0].startswith("huge.yaml:1: text: xxx") and last.problems[0].endswith("…")
