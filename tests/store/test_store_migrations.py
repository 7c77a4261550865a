from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.store import SCHEMA_HEAD
from bot.store.migrate import alembic_config
from bot.store.models import Base

if TYPE_CHECKING:
    from conftest import StoreTarget


def test_schema_head_constant_matches_the_newest_migration() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD]


def _schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(store_target: StoreTarget) -> None:
    await (await store_target.connect()).close()
    engine = store_target.engine()
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_differences) == []
    finally:
        await engine.dispose()


def _run(connection: Connection, revision: str, *, down: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    (command.downgrade if down else command.upgrade)(config, revision)


async def test_migrations_downgrade_to_nothing_and_upgrade_again(store_target: StoreTarget) -> None:
    await (await store_target.connect()).close()
    engine = store_target.engine()
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run, "base", down=True)
        assert await store_target.fetch("SELECT COUNT(*) FROM alembic_version") == [(0,)]
        async with engine.begin() as conn:
            await conn.run_sync(_run, "head", down=False)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_differences) == []
    finally:
        await engine.dispose()
