"""Shared fixtures. Store fixtures run every store test on SQLite and on PostgreSQL.

PostgreSQL: ``CITEBOT_TEST_POSTGRES_URL`` (default ``postgresql+asyncpg://postgres@127.0.0.1:5432/test``).
Each test gets its own schema (``citebot_test_<hex>``), dropped afterwards. When the server cannot be
reached the PostgreSQL cases are skipped, unless ``CITEBOT_REQUIRE_POSTGRES=1`` (CI) makes them fail.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The project is not pip-installed in the venv; make ``import bot`` work under plain ``pytest``.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Entry vectors are cached by content hash across test runs (and by every citebot the tests start), so the
# encoder embeds the knowledge once per machine, not once per test.
EMBEDDING_CACHE = Path(os.environ.setdefault("CITEBOT_EMBEDDING_CACHE_DIR", str(ROOT / ".cache" / "embeddings")))

from sqlalchemy import Row, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bot.store import Store, mask_url, normalize_database_url  # noqa: E402
from bot.store.engine import error_reason  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
POSTGRES_PROBE_TIMEOUT = 5.0


@dataclass(frozen=True)
class StoreTarget:
    """A database for one test: its URL plus the engine options ``Store.connect`` needs."""

    backend: str  # "sqlite" or "postgres"
    url: str
    engine_options: dict[str, Any] = field(default_factory=dict)
    schema: str | None = None  # PostgreSQL only

    async def connect(self, **kwargs: Any) -> Store:
        return await Store.connect(self.url, engine_options=self.engine_options, **kwargs)

    def engine(self) -> AsyncEngine:
        """A separate engine on the same database (and schema) for checking what the store wrote."""
        return create_async_engine(normalize_database_url(self.url), poolclass=NullPool, **self.engine_options)

    async def fetch(self, sql: str, **params: Any) -> list[Row[Any]]:
        engine = self.engine()
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(text(sql), params)).all())
        finally:
            await engine.dispose()


def _postgres_problem(url: str) -> str | None:
    """Why PostgreSQL at ``url`` cannot be used, or ``None`` when it can."""

    async def probe() -> None:
        engine = create_async_engine(
            normalize_database_url(url), poolclass=NullPool, connect_args={"timeout": POSTGRES_PROBE_TIMEOUT}
        )
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        # Its own thread and loop: this may be called from inside the test's running event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as exc:
        return f"PostgreSQL at {mask_url(url)} is unreachable ({error_reason(exc)})"
    return None


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test server's URL; skips (or fails with CITEBOT_REQUIRE_POSTGRES=1) when it is unreachable."""
    url = os.environ.get("CITEBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = _postgres_problem(url)
    if problem is not None:
        if os.environ.get("CITEBOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{problem}; CITEBOT_REQUIRE_POSTGRES=1 requires it", pytrace=False)
        pytest.skip(f"{problem}; set CITEBOT_TEST_POSTGRES_URL to run the PostgreSQL cases")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreTarget]:
    """A fresh, empty database: a SQLite file under a not-yet-existing data dir, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield StoreTarget("sqlite", f"sqlite:///{tmp_path / 'data' / 'citebot.db'}")
        return
    url: str = request.getfixturevalue("postgres_url")
    schema = f"citebot_test_{secrets.token_hex(6)}"
    admin = create_async_engine(normalize_database_url(url), poolclass=NullPool)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        options = {"connect_args": {"server_settings": {"search_path": schema}}}
        yield StoreTarget("postgres", url, options, schema)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def store_url(store_target: StoreTarget) -> str:
    return store_target.url


@pytest.fixture
async def store(store_target: StoreTarget) -> AsyncIterator[Store]:
    """A connected, migrated store on a fresh database."""
    connected = await store_target.connect()
    try:
        yield connected
    finally:
        await connected.close()


# --- the curated knowledge base, and the shared folder (the development question sets and their scorer) ---
# Only the eval tests need the shared folder; every other test runs in any clone.


def _shared_dir() -> Path | None:
    candidates = [os.environ.get("CITEBOT_SHARED_DIR"), ROOT.parent / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "seed" / "article-zh.txt").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repo; in CI (CITEBOT_SHARED_DIR set) its absence is a failure."""
    found = _shared_dir()
    if found is None:
        if os.environ.get("CITEBOT_SHARED_DIR"):
            pytest.fail(f"CITEBOT_SHARED_DIR={os.environ['CITEBOT_SHARED_DIR']} has no seed/article-zh.txt",
                        pytrace=False)
        pytest.skip("the shared folder (eval sets and their scorer) is not beside this checkout; "
                    "set CITEBOT_SHARED_DIR to run the eval tests")
    return found


@pytest.fixture(scope="session")
def quotes(curated_kb):
    """The product's own quote check (verbatim passages, fingerprints) over the curated knowledge."""
    from bot.knowledge.quotes import QuoteVerifier

    return QuoteVerifier.of(curated_kb)


@pytest.fixture(scope="session")
def curated_kb():
    """The curated knowledge, checked by the product's own check: every quote against its source."""
    from bot.knowledge.loader import check_knowledge

    report = check_knowledge(ROOT / "knowledge")
    assert report.kb is not None, "\n".join(str(p) for p in report.problems)
    return report.kb


@pytest.fixture(scope="session")
def embeddings():
    """The in-process encoder (as the bot runs by default), its vectors cached in EMBEDDING_CACHE."""
    from bot.semantic.loading import embeddings_from_settings
    from bot.settings import Settings

    return asyncio.run(embeddings_from_settings(Settings(embedding_cache_dir=EMBEDDING_CACHE)))


@pytest.fixture(scope="session")
def prepared(curated_kb, embeddings):
    from bot.core.answerer import prepare_all

    return asyncio.run(prepare_all(curated_kb, embeddings))


@pytest.fixture
def answerer(prepared, embeddings):
    from bot.core.answerer import Answerer

    return Answerer(prepared, embeddings=embeddings)


REDIS_URL = os.environ.get("CITEBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis() -> AsyncIterator:
    """A client of the test Redis; skips (or fails with CITEBOT_REQUIRE_REDIS=1) when it is unreachable."""
    from bot.shared_state import connect

    client = connect(REDIS_URL)
    try:
        await client.ping()
    except Exception as err:
        await client.aclose()
        if os.environ.get("CITEBOT_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable ({err}); CITEBOT_REQUIRE_REDIS=1 requires it")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({err})")
    yield client
    await client.aclose()
