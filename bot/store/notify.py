"""New-version notifications between citebot processes sharing one PostgreSQL database.

A sync announces its version id with ``pg_notify`` inside its transaction, so listeners hear of it
only once it is committed. Listening needs a dedicated connection (a pooled one may be handed to
someone else), so :func:`listen_versions` opens its own raw asyncpg connection. On SQLite (one
process) both are no-ops.

Channels are database-wide, not per schema: processes using different schemas of one database
hear each other's version ids, so listeners should treat an id as "reload", not as "this id is new".
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.errors import StoreError
from bot.store.engine import error_reason

log = logging.getLogger(__name__)

CHANNEL = "citebot_kb"

VersionCallback = Callable[[int], Awaitable[None] | None]


def supports_notify(dialect_name: str) -> bool:
    return dialect_name == "postgresql"


async def notify_version(conn: AsyncConnection, version_id: int) -> None:
    """Queue a notification of ``version_id``; PostgreSQL sends it when ``conn``'s transaction commits."""
    if supports_notify(conn.dialect.name):
        await conn.execute(select(func.pg_notify(CHANNEL, str(int(version_id)))))


def _asyncpg_arguments(engine: AsyncEngine, engine_options: Mapping[str, Any] | None) -> dict[str, Any]:
    """asyncpg.connect() arguments for the server, user, database and search path the engine uses."""
    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    arguments: dict[str, Any] = {"dsn": dsn}
    connect_args = dict((engine_options or {}).get("connect_args") or {})
    for name in ("server_settings", "timeout", "ssl", "command_timeout"):
        if name in connect_args:
            arguments[name] = connect_args[name]
    arguments.setdefault("timeout", 10.0)
    return arguments


@asynccontextmanager
async def listen_versions(
    engine: AsyncEngine, engine_options: Mapping[str, Any] | None, callback: VersionCallback, *, shown_url: str,
    lost: Callable[[], None] | None = None,
) -> AsyncIterator[bool]:
    """Call ``callback(version_id)`` for each version announced while the block runs; yields whether listening.

    Coroutine callbacks are scheduled as tasks on the running loop (cancelled when the block ends);
    exceptions from callbacks are logged, never raised into the connection. :class:`StoreError` when
    the listening connection cannot be opened.
    """
    if not supports_notify(engine.dialect.name):
        yield False
        return
    import asyncpg  # only PostgreSQL installs need it

    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[Any]] = set()

    def _done(task: asyncio.Task[Any]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("knowledge version callback failed", exc_info=task.exception())

    def _on_notification(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            version_id = int(payload)
        except ValueError:
            log.warning("ignoring a %s notification with payload %r", CHANNEL, payload[:40])
            return
        try:
            result = callback(version_id)
        except Exception:
            log.exception("knowledge version callback failed")
            return
        if inspect.isawaitable(result):
            task = loop.create_task(_await(result))
            tasks.add(task)
            task.add_done_callback(_done)

    def _on_termination(_conn: Any) -> None:
        log.warning("the connection listening for knowledge versions was closed")
        if lost is not None:
            lost()

    try:
        connection = await asyncpg.connect(**_asyncpg_arguments(engine, engine_options))
    except Exception as exc:
        raise StoreError(f"cannot listen for knowledge versions at {shown_url}: {error_reason(exc)}") from exc
    try:
        connection.add_termination_listener(_on_termination)
        try:
            await connection.add_listener(CHANNEL, _on_notification)
        except Exception as exc:
            raise StoreError(f"cannot listen for knowledge versions at {shown_url}: {error_reason(exc)}") from exc
        log.info("listening for new knowledge versions on channel %s", CHANNEL)
        yield True
    finally:
        for task in list(tasks):
            task.cancel()
        connection.remove_termination_listener(_on_termination)
        try:
            if not connection.is_closed():
                await connection.remove_listener(CHANNEL, _on_notification)
        except Exception as exc:  # the server may be gone; closing below is what matters
            log.debug("could not stop listening cleanly: %s", exc)
        finally:
            await connection.close()


async def _await(awaitable: Awaitable[Any]) -> None:
    await awaitable
