"""Version history: diffs against the previous version, notes, the raw files, and look-ups by id."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from alembic import command
from sqlalchemy.engine import Connection
from store_fakes import SAMPLE, FakeKnowledge, entry

from bot.errors import StoreError
from bot.store import Store
from bot.store.migrate import alembic_config

if TYPE_CHECKING:
    from conftest import StoreTarget

V2 = FakeKnowledge(
    [
        *SAMPLE.rows[:2],  # jan-leike, ilya-sutskever unchanged
        entry("events", "leike-resigns", "Jan Leike resigned on 17 May 2024."),  # changed
        entry("topics", "superalignment", "The team to steer superintelligent AI."),  # added
        # compute-promise removed
    ]
)
V3 = FakeKnowledge([*V2.rows[:3], entry("claims", "compute-promise", "OpenAI promised 20% of its compute.")])


async def test_diffs_of_versions_1_2_and_3(store: Store) -> None:
    first = (await store.sync(SAMPLE, author="cli")).version
    second = (await store.sync(V2, author="alice")).version
    third = (await store.sync(V3, author="cli", note="restore compute-promise")).version

    assert first.diff == {
        "added": ["compute-promise", "ilya-sutskever", "jan-leike", "leike-resigns"],
        "changed": [],
        "removed": [],
    }
    assert second.diff == {"added": ["superalignment"], "changed": ["leike-resigns"], "removed": ["compute-promise"]}
    assert third.diff == {"added": ["compute-promise"], "changed": [], "removed": ["superalignment"]}
    assert (first.note, second.note, third.note) == (None, None, "restore compute-promise")
    # What is read back is what sync reported.
    assert [await store.version(n) for n in (1, 2, 3)] == [first, second, third]


async def test_data_equal_after_json_counts_as_unchanged(store: Store) -> None:
    await store.sync(FakeKnowledge([("topics", "t", {"tags": ["a", "b"], "n": 1})]), author="cli")
    same_as_json = FakeKnowledge([("topics", "t", {"n": 1, "tags": ("a", "b")}), entry("topics", "u")])
    assert (await store.sync(same_as_json, author="cli")).version.diff == {"added": ["u"], "changed": [], "removed": []}


async def test_files_round_trip(store: Store) -> None:
    files = {"people.yaml": "- id: jan-leike\n  name: Jan Leike  # “quoted” 中文\n", "claims.yaml": ""}
    version = (await store.sync(SAMPLE, author="cli", files=files)).version
    assert await store.version_files(version.id) == files
    second = (await store.sync(V2, author="cli")).version
    assert await store.version_files(second.id) == {}
    assert await store.version_files(99) == {}


async def test_a_bad_file_saves_nothing(store: Store, store_target: StoreTarget) -> None:
    with pytest.raises(StoreError, match="file name"):
        await store.sync(SAMPLE, author="cli", files={"x" * 256: "text"})
    assert await store.live_version() is None
    assert await store_target.fetch("SELECT COUNT(*) FROM kb_version_files") == [(0,)]


async def test_note_must_fit(store: Store) -> None:
    with pytest.raises(StoreError, match="note"):
        await store.sync(SAMPLE, author="cli", note="n" * 501)
    assert await store.live_version() is None


async def test_version_and_history(store: Store) -> None:
    assert await store.version(1) is None
    assert await store.history() == []
    versions = [(await store.sync(kb, author="cli")).version for kb in (SAMPLE, V2, V3)]

    assert await store.history() == versions[::-1]
    assert [v.id for v in await store.history(limit=2)] == [3, 2]
    assert await store.version(2) == versions[1]
    assert await store.version(4) is None


def _run(connection: Connection, revision: str, *, down: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    (command.downgrade if down else command.upgrade)(config, revision)


async def test_upgrading_from_0002_keeps_entries_and_backfills_diffs(store: Store, store_target: StoreTarget) -> None:
    for kb in (SAMPLE, V2):
        await store.sync(kb, author="cli")
    await store.close()
    engine = store_target.engine()
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run, "0002", down=True)
        assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries") == [(8,)]
        async with engine.begin() as conn:
            await conn.run_sync(_run, "head", down=False)
    finally:
        await engine.dispose()

    upgraded = await store_target.connect()
    try:
        assert await store_target.fetch("SELECT COUNT(*) FROM kb_entries") == [(8,)]
        second = await upgraded.version(2)
        assert second is not None and second.note is None
        assert second.diff == {
            "added": ["superalignment"],
            "changed": ["leike-resigns"],
            "removed": ["compute-promise"],
        }
        assert (await upgraded.sync(V3, author="cli")).version.diff["removed"] == ["superalignment"]
    finally:
        await upgraded.close()
