from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from store_fakes import SAMPLE, FakeKnowledge, Row, entry

from bot.errors import KnowledgeError, StoreError
from bot.store import Store
from bot.store import versions as versions_module

if TYPE_CHECKING:
    from conftest import StoreTarget


def _changed() -> FakeKnowledge:
    rows = [*SAMPLE.rows[:3], entry("claims", "compute-promise", "OpenAI promised 20% of its secured compute.")]
    return FakeKnowledge([*rows, entry("topics", "superalignment", "The team to steer superintelligent AI.")])


async def test_live_version_is_none_before_the_first_sync(store: Store) -> None:
    assert await store.live_version() is None


async def test_first_sync_creates_version_1_with_hash_counts_time_and_author(store: Store) -> None:
    before = datetime.now(UTC)
    result = await store.sync(SAMPLE, author="cli")
    after = datetime.now(UTC)

    assert result.created
    version = result.version
    assert version.id == 1
    assert version.content_hash == SAMPLE.content_hash
    assert version.counts == {"people": 2, "events": 1, "claims": 1}
    assert version.entry_count == 4
    assert version.author == "cli"
    assert version.created_at.tzinfo is not None
    assert before - timedelta(seconds=1) <= version.created_at <= after + timedelta(seconds=1)
    # What the store reads back is what it reported.
    assert await store.live_version() == version


async def test_syncing_the_same_content_again_creates_nothing(store: Store, store_target: StoreTarget) -> None:
    first = await store.sync(SAMPLE, author="cli")
    again = await store.sync(FakeKnowledge(list(SAMPLE.rows)), author="file watcher")

    assert not again.created
    assert again.version == first.version
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_versions") == [(1,)]
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries") == [(4,)]


async def test_changed_content_creates_version_2_with_its_own_entries(store: Store) -> None:
    await store.sync(SAMPLE, author="cli")
    changed = _changed()
    result = await store.sync(changed, author="alice")

    assert result.created
    assert result.version.id == 2
    assert result.version.author == "alice"
    assert result.version.content_hash == changed.content_hash
    assert (await store.live_version()) == result.version

    records = await store.version_records(2)
    assert sorted(records) == sorted(changed.rows)
    compute = dict(((section, entry_id), data) for section, entry_id, data in records)[("claims", "compute-promise")]
    assert compute["text"]["en"] == "OpenAI promised 20% of its secured compute."
    # Version 1 is kept as it was.
    assert sorted(await store.version_records(1)) == sorted(SAMPLE.rows)


async def test_entry_data_round_trips_unicode_and_nesting(store: Store) -> None:
    data = {"text": {"en": "“quoted”", "zh": "超级对齐团队"}, "citations": [{"source": "s", "quote": "q"}], "n": 2.5}
    await store.sync(FakeKnowledge([("topics", "superalignment", data)]), author="cli")
    assert await store.version_records(1) == [("topics", "superalignment", data)]


async def test_version_records_of_an_unknown_version_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no knowledge version 42"):
        await store.version_records(42)


class _BadKnowledge(FakeKnowledge):
    """Yields some good entries, then a bad row (or raises) partway through."""

    def __init__(self, bad: Row | Exception) -> None:
        good = [entry("claims", f"claim-{i}") for i in range(7)]
        super().__init__(good)
        self.bad = bad

    def records(self):  # type: ignore[override]
        yield from self.rows[:5]
        if isinstance(self.bad, Exception):
            raise self.bad
        yield self.bad
        yield from self.rows[5:]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param(("claims", "claim-3", {"text": "again"}), "appears more than once", id="duplicate-id"),
        pytest.param(("claims", "odd", {"when": {1, 2}}), "'odd' .* cannot be stored as JSON", id="not-json"),
        pytest.param(("claims", "nan", {"value": float("nan")}), "'nan' .* cannot be stored as JSON", id="nan"),
        pytest.param(("claims", "listy", ["not", "a", "mapping"]), "not a mapping", id="not-a-mapping"),
        pytest.param(("claims", "x" * 129, {}), "has 129 characters", id="entry-id-too-long"),
        pytest.param(("c" * 33, "long-section", {}), "section name", id="section-too-long"),
        pytest.param(RuntimeError("disk on fire"), "disk on fire", id="records-raises"),
    ],
)
async def test_failed_sync_saves_nothing_and_the_previous_version_stays_live(
    store: Store, store_target: StoreTarget, monkeypatch: pytest.MonkeyPatch, bad: Row | Exception, reason: str
) -> None:
    # Small batches, so some entries really reach the database before the failure.
    monkeypatch.setattr(versions_module, "INSERT_BATCH_SIZE", 2)
    live = (await store.sync(SAMPLE, author="cli")).version

    with pytest.raises(StoreError, match=reason) as caught:
        await store.sync(_BadKnowledge(bad), author="cli")

    message = str(caught.value)
    assert "\n" not in message
    assert "version 1 stays live" in message
    assert await store.live_version() == live
    assert await store_target.fetch("SELECT id FROM kb_versions") == [(1,)]
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries") == [(4,)]
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries WHERE version_id <> 1") == [(0,)]
    # The store is still usable: a good sync afterwards becomes version 2.
    assert (await store.sync(_changed(), author="cli")).version.id == 2


async def test_failed_first_sync_leaves_no_version(store: Store, store_target: StoreTarget) -> None:
    with pytest.raises(StoreError, match="no version is live"):
        await store.sync(_BadKnowledge(("claims", "claim-0", {})), author="cli")
    assert await store.live_version() is None
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries") == [(0,)]


async def test_author_must_fit(store: Store) -> None:
    with pytest.raises(StoreError, match="author"):
        await store.sync(SAMPLE, author="a" * 201)
    with pytest.raises(StoreError, match="author"):
        await store.sync(SAMPLE, author="")
    assert await store.live_version() is None


async def test_knowledge_errors_from_records_pass_through_unchanged(store: Store) -> None:
    with pytest.raises(KnowledgeError):
        await store.sync(_BadKnowledge(KnowledgeError("claims.yaml:3: bad date")), author="cli")
    assert await store.live_version() is None


async def test_syncing_ten_thousand_entries_is_fast(store: Store) -> None:
    big = FakeKnowledge([entry("claims", f"claim-{i:05d}", "x" * 300) for i in range(10_000)])
    started = time.perf_counter()
    result = await store.sync(big, author="cli")
    elapsed = time.perf_counter() - started

    assert result.version.entry_count == 10_000
    assert len(await store.version_records(result.version.id)) == 10_000
    assert elapsed < 10, f"syncing 10,000 entries took {elapsed:.1f} s"
