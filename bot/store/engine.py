"""Database URLs, engine creation and the start-up schema check.

Importing this module must stay cheap: alembic (about 0.6 s to import) is only loaded by
:mod:`bot.store.migrate`, and only when the database's schema revision differs from ``SCHEMA_HEAD``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.errors import StoreError
from bot.storable import storable

log = logging.getLogger(__name__)

# The newest migration in bot/store/migrations/versions; tests/store checks it matches alembic's head.
SCHEMA_HEAD = "0005"

SQLITE_DRIVER = "sqlite+aiosqlite"
SQLITE_BUSY_TIMEOUT = 30.0
POSTGRES_DRIVER = "postgresql+asyncpg"
_DRIVERS = {
    "sqlite": SQLITE_DRIVER,
    SQLITE_DRIVER: SQLITE_DRIVER,
    "postgresql": POSTGRES_DRIVER,
    "postgres": POSTGRES_DRIVER,
    POSTGRES_DRIVER: POSTGRES_DRIVER,
}
# Seconds asyncpg waits for the server before giving up (its own default is 60).
POSTGRES_CONNECT_TIMEOUT = 10.0
_MAX_REASON_CHARS = 300
# Greedy up to the last "@" on the line: a password holding a stray "@", a space or anything else is still
# hidden whole (masking too much is safe).
_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-zA-Z][\w+.-]*://[^/:@\s]*:)(?P<password>.*)@")
_DRIVER_CLASS_PREFIX = re.compile(r"^<class '[\w.]+'>:\s*")


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, safe to show and log."""
    return _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}***@", url)


def normalize_database_url(url: str) -> str:
    """The async-driver form of ``url``: ``sqlite:`` → ``sqlite+aiosqlite:``, ``postgres(ql):`` →
    ``postgresql+asyncpg:``; async URLs are returned unchanged. Other schemes raise :class:`StoreError`."""
    url = url.strip()
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(f"not a database URL: {mask_url(url)!r}") from None
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise StoreError(
            f"unsupported database URL scheme {parsed.drivername!r} in {mask_url(url)}; "
            "use sqlite:///PATH or postgresql://USER@HOST/DB"
        )
    if parsed.drivername == driver:
        return url
    return driver + url[len(parsed.drivername) :]


def ensure_sqlite_directory(url: str) -> None:
    """Create the folder of a SQLite database file if it is missing (first run)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("uri") == "true":
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


_dumps = partial(json.dumps, allow_nan=False, ensure_ascii=False)


def json_serializer(value: Any) -> str:
    """Strict JSON on every backend (PostgreSQL rejects NaN; SQLite would keep it), readable non-ASCII text,
    and strings every backend can keep (PostgreSQL's JSONB refuses ``\\u0000``; no backend takes a lone surrogate)."""
    return _dumps(storable(value))


def create_engine(url: str, engine_options: Mapping[str, Any] | None = None) -> AsyncEngine:
    """An async engine for a normalized ``url``; ``engine_options`` go to ``create_async_engine``."""
    options = dict(engine_options or {})
    options.setdefault("json_serializer", json_serializer)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", POSTGRES_CONNECT_TIMEOUT)
        options["connect_args"] = connect_args
        # A pooled connection is checked before use: after the server restarts (or fails over), the first
        # request gets a fresh connection instead of failing on a dead one (tests/faults).
        options.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "sqlite":
        # Writers wait for each other (up to 30 s) instead of failing with "database is locked".
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
        options["connect_args"] = connect_args
    engine = create_async_engine(url, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer, nor it them
        # In WAL mode NORMAL is safe against corruption and loses nothing when the bot crashes; only a power
        # cut can roll back the last commits. It saves an fsync per commit (SQLite's own advice for WAL).
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


async def schema_revision(conn: AsyncConnection) -> str | None:
    """The alembic revision recorded in the database, or ``None`` when it has no schema yet."""
    if not await conn.run_sync(_has_version_table):
        return None
    rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    if len(rows) != 1:
        return ",".join(sorted(rows)) or None
    return str(rows[0])


def _has_version_table(conn: Connection) -> bool:
    return inspect(conn).has_table("alembic_version")


async def ensure_schema(engine: AsyncEngine, *, migrate: bool, shown_url: str) -> None:
    """Bring the schema to ``SCHEMA_HEAD``; alembic is imported only when there is work to do.

    ``shown_url`` is the masked URL used in messages.
    """
    async with engine.connect() as conn:
        revision = await schema_revision(conn)
    if revision == SCHEMA_HEAD:
        log.debug("database schema is at %s", revision)
        return
    if not migrate:
        raise StoreError(
            f"the database at {shown_url} has schema revision {revision or 'none'}, "
            f"this citebot needs {SCHEMA_HEAD}; connect with migrations enabled to upgrade it"
        )
    log.info("migrating the database at %s from schema %s to %s", shown_url, revision or "none", SCHEMA_HEAD)
    from bot.store.migrate import upgrade_to_head  # lazy: imports alembic

    try:
        await upgrade_to_head(engine)
    except Exception as exc:
        if await _revision_or_none(engine) == SCHEMA_HEAD:  # another process migrated at the same moment
            log.info("the database schema was brought to %s by another process", SCHEMA_HEAD)
            return
        raise StoreError(
            f"cannot migrate the database at {shown_url} from schema {revision or 'none'} to {SCHEMA_HEAD}: "
            f"{error_reason(exc)}"
        ) from exc


async def _revision_or_none(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as conn:
            return await schema_revision(conn)
    except Exception:
        return None


def is_data_error(exc: BaseException) -> bool:
    """Whether ``exc`` says the values cannot be stored (trying again cannot help), rather than that the
    database is unreachable or failing: a value the driver cannot send, or SQLSTATE class 22 (data
    exception) or 23 (integrity violation) from the server."""
    if isinstance(exc, DataError | IntegrityError):
        return True
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError):
        exc = exc.orig  # raised while binding the parameters, before the database saw them
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return isinstance(sqlstate, str) and sqlstate[:2] in ("22", "23")
    return isinstance(exc, ValueError | TypeError)  # UnicodeEncodeError is a ValueError


def error_reason(exc: BaseException) -> str:
    """One short line describing ``exc`` for users: the driver's message, no SQL, no parameters, no password."""
    if isinstance(exc, StatementError) and exc.orig is not None:
        exc = exc.orig
    message = str(exc).strip()
    line = message.splitlines()[0] if message else type(exc).__name__
    line = _DRIVER_CLASS_PREFIX.sub("", line).strip() or type(exc).__name__
    line = mask_url(line)
    if len(line) > _MAX_REASON_CHARS:
        line = line[: _MAX_REASON_CHARS - 1] + "…"
    return line
