"""Running the packaged alembic migrations. Imports alembic lazily: only call this when needed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """A programmatic alembic config whose script location is the package's migrations folder."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Run ``alembic upgrade head`` on ``engine`` in one transaction (shared with env.py)."""
    config = alembic_config()
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, config)


def _upgrade(connection: Connection, config: Config) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, "head")
