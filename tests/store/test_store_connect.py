from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from bot.errors import StoreError
from bot.store import SCHEMA_HEAD, Store

if TYPE_CHECKING:
    from conftest import StoreTarget

ROOT = Path(__file__).resolve().parents[2]

_CONNECT_AND_REPORT = """
import asyncio, json, sys
from bot.store import Store

async def main() -> None:
    store = await Store.connect(sys.argv[1], engine_options=json.loads(sys.argv[2]))
    await store.close()

asyncio.run(main())
print(json.dumps({"alembic_imported": "alembic" in sys.modules}))
"""


def _connect_in_subprocess(target: StoreTarget) -> dict[str, bool]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _CONNECT_AND_REPORT, target.url, json.dumps(target.engine_options)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


async def test_first_connect_creates_the_schema(store_target: StoreTarget, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    if store_target.backend == "sqlite":
        assert not data_dir.exists()

    store = await store_target.connect()
    await store.close()

    if store_target.backend == "sqlite":
        assert (data_dir / "citebot.db").is_file()
    assert await store_target.fetch("SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    for table in ("kb_versions", "kb_entries", "question_log"):
        assert await store_target.fetch(f"SELECT COUNT(*) FROM {table}") == [(0,)]


async def test_reconnect_skips_migrations_and_never_imports_alembic(store_target: StoreTarget) -> None:
    assert _connect_in_subprocess(store_target) == {"alembic_imported": True}  # first run migrates
    assert _connect_in_subprocess(store_target) == {"alembic_imported": False}
    assert await store_target.fetch("SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]


def test_importing_the_store_does_not_import_alembic() -> None:
    code = "import sys, bot.store; print('alembic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.strip() == "False"


async def test_connect_without_migrations_refuses_an_empty_database(store_target: StoreTarget) -> None:
    with pytest.raises(StoreError, match=f"needs {SCHEMA_HEAD}"):
        await store_target.connect(migrate=False)


async def test_connect_without_migrations_accepts_a_current_database(store_target: StoreTarget) -> None:
    await (await store_target.connect()).close()
    store = await store_target.connect(migrate=False)
    assert await store.live_version() is None
    await store.close()


async def test_database_from_a_newer_citebot_gives_a_store_error(store_target: StoreTarget) -> None:
    await (await store_target.connect()).close()
    engine = store_target.engine()
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        await engine.dispose()

    with pytest.raises(
        StoreError, match=rf"cannot migrate the database .* from schema 9999 to {SCHEMA_HEAD}"
    ) as caught:
        await store_target.connect()
    assert "\n" not in str(caught.value)
    assert await store_target.fetch("SELECT version_num FROM alembic_version") == [("9999",)]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://citebot:s3cret-pw@127.0.0.1:1/citebot",
        "postgres://citebot:s3cret-pw@127.0.0.1:1/citebot",
    ],
)
async def test_unreachable_database_gives_a_one_line_error_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        await Store.connect(url)
    message = str(caught.value)
    assert message.startswith("cannot reach the database at postgres")
    assert "127.0.0.1:1" in message
    assert "s3cret-pw" not in message
    assert "\n" not in message


async def test_sqlite_file_that_cannot_be_created_gives_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(StoreError, match="cannot reach the database at sqlite"):
        await Store.connect(f"sqlite:///{blocker / 'citebot.db'}")


@pytest.mark.parametrize("url", ["mysql://root:s3cret-pw@db/citebot", "mongodb://db/citebot", "citebot.db"])
async def test_bad_url_scheme_gives_a_store_error(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        await Store.connect(url)
    assert "s3cret-pw" not in str(caught.value)
    assert "\n" not in str(caught.value)
