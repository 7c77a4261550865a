"""New-version notifications: PostgreSQL announces each synced version to listening processes."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from store_fakes import SAMPLE, FakeKnowledge, entry

from bot.store import Store

if TYPE_CHECKING:
    from conftest import StoreTarget


async def test_sqlite_neither_notifies_nor_listens(store: Store, store_target: StoreTarget) -> None:
    if store_target.backend != "sqlite":
        pytest.skip("SQLite behaviour")
    assert not store.supports_notify
    heard: list[int] = []
    async with store.listen_versions(heard.append) as listening:
        await store.sync(SAMPLE, author="cli")
        await store.notify_version(1)
    assert listening is False and heard == []


@pytest.mark.postgres
async def test_a_version_synced_by_one_process_reaches_the_other(store_target: StoreTarget) -> None:
    if store_target.backend != "postgres":
        pytest.skip("PostgreSQL only")
    listener, syncer = await store_target.connect(), await store_target.connect()
    try:
        assert listener.supports_notify
        heard: list[int] = []
        arrived = asyncio.Event()

        async def on_version(version_id: int) -> None:
            heard.append(version_id)
            if version_id == 2:
                arrived.set()

        async with listener.listen_versions(on_version) as listening:
            assert listening
            await syncer.sync(SAMPLE, author="cli")
            await syncer.sync(SAMPLE, author="cli")  # unchanged: no version, no notification
            await syncer.sync(FakeKnowledge([*SAMPLE.rows, entry("topics", "t")]), author="cli")
            await asyncio.wait_for(arrived.wait(), timeout=2)
        assert heard == [1, 2]
    finally:
        await listener.close()
        await syncer.close()


@pytest.mark.postgres
async def test_plain_callbacks_and_explicit_notify(store_target: StoreTarget) -> None:
    if store_target.backend != "postgres":
        pytest.skip("PostgreSQL only")
    store = await store_target.connect()
    try:
        arrived = asyncio.Event()
        heard: list[int] = []

        def on_version(version_id: int) -> None:
            heard.append(version_id)
            arrived.set()

        async with store.listen_versions(on_version):
            await store.notify_version(7)
            await asyncio.wait_for(arrived.wait(), timeout=2)
        assert heard == [7]
    finally:
        await store.close()
