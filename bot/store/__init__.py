"""citebot's storage layer: knowledge versions and the question log, on SQLite or PostgreSQL.

    store = await Store.connect("sqlite:///data/citebot.db")   # or postgresql://user@host/db
    result = await store.sync(kb, author="cli")
    await store.close()

``Store.connect`` creates or migrates the schema when needed (alembic is only imported then).
PostgreSQL options such as the search path go through ``engine_options``, which is handed to
SQLAlchemy's ``create_async_engine``::

    await Store.connect(url, engine_options={"connect_args": {"server_settings": {"search_path": "citebot"}}})

Several processes on one PostgreSQL database converge on the live version: each sync announces the
new version id, and ``async with store.listen_versions(reload):`` calls ``reload(version_id)``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import CitebotError, StoreError, UnstorableError
from bot.store import audit as _audit
from bot.store import feedback as _feedback
from bot.store import gaps as _gaps
from bot.store import notify as _notify
from bot.store import question_log as _question_log
from bot.store import reload_failures as _reload_failures
from bot.store import versions as _versions
from bot.store.audit import AuditEntry
from bot.store.engine import (
    SCHEMA_HEAD,
    create_engine,
    ensure_schema,
    ensure_sqlite_directory,
    error_reason,
    is_data_error,
    mask_url,
    normalize_database_url,
)
from bot.store.feedback import FeedbackEntry
from bot.store.gaps import DeclinedQuestion, DislikedAnswer, Gaps
from bot.store.notify import VersionCallback
from bot.store.question_log import QuestionLogEntry
from bot.store.reload_failures import ReloadFailure
from bot.store.user_hash import hash_user_id, load_or_create_salt
from bot.store.versions import KbVersion, Record, SyncableKnowledge, SyncResult

__all__ = [
    "SCHEMA_HEAD",
    "AuditEntry",
    "DeclinedQuestion",
    "DislikedAnswer",
    "FeedbackEntry",
    "Gaps",
    "KbVersion",
    "QuestionLogEntry",
    "Record",
    "ReloadFailure",
    "Store",
    "StoreError",
    "SyncResult",
    "SyncableKnowledge",
    "VersionCallback",
    "hash_user_id",
    "load_or_create_salt",
    "mask_url",
    "normalize_database_url",
]

log = logging.getLogger(__name__)


class Store:
    """The one entry point to the database. Create it with :meth:`connect`; ``close`` it when done."""

    def __init__(self, engine: AsyncEngine, shown_url: str, engine_options: Mapping[str, Any] | None = None) -> None:
        self._engine = engine
        self._engine_options = dict(engine_options or {})  # the listening connection uses the same settings
        self.url = shown_url  # masked: safe to show and log

    @classmethod
    async def connect(cls, url: str, *, migrate: bool = True, engine_options: Mapping[str, Any] | None = None) -> Store:
        """Connect to ``url`` (``sqlite:///PATH`` or ``postgresql://...``), creating or migrating the schema.

        Raises :class:`StoreError` when the URL is not supported, the database cannot be reached, or
        its schema is out of date and ``migrate`` is false.
        """
        shown_url = mask_url(url)
        normalized = normalize_database_url(url)
        try:
            ensure_sqlite_directory(normalized)
            engine = create_engine(normalized, engine_options)
        except Exception as exc:
            raise StoreError(f"cannot reach the database at {shown_url}: {error_reason(exc)}") from exc
        try:
            async with engine.connect():
                pass
        except Exception as exc:
            await engine.dispose()
            raise StoreError(f"cannot reach the database at {shown_url}: {error_reason(exc)}") from exc
        try:
            await ensure_schema(engine, migrate=migrate, shown_url=shown_url)
        except BaseException as exc:
            await engine.dispose()
            if isinstance(exc, Exception) and not isinstance(exc, CitebotError):
                raise StoreError(f"cannot use the database at {shown_url}: {error_reason(exc)}") from exc
            raise
        log.info("connected to the database at %s", shown_url)
        return cls(engine, shown_url, engine_options)

    async def close(self) -> None:
        await self._engine.dispose()

    async def live_version(self) -> KbVersion | None:
        """The newest knowledge version, or ``None`` before the first sync."""
        async with self._failures("reading the live knowledge version"), self._engine.connect() as conn:
            return await _versions.live_version(conn)

    async def sync(
        self, kb: SyncableKnowledge, *, author: str, note: str | None = None, files: Mapping[str, str] | None = None
    ) -> SyncResult:
        """Store ``kb`` as a new live version if its content hash differs from the live one.

        The new version keeps its diff against the previous one, ``note`` (up to 500 characters, e.g.
        "rollback to version 3") and ``files``, the raw knowledge files as {file name: text}. On
        PostgreSQL other processes' :meth:`listen_versions` hear of it once it is committed.

        All or nothing: on any failure nothing is saved, the previous version stays live and
        :class:`StoreError` is raised.
        """
        return await _versions.sync(self._engine, kb, author=author, note=note, files=files)

    async def version(self, version_id: int) -> KbVersion | None:
        """Knowledge version ``version_id``, or ``None`` if there is none."""
        async with self._failures(f"reading knowledge version {version_id}"), self._engine.connect() as conn:
            return await _versions.version(conn, version_id)

    async def history(self, limit: int = 20) -> list[KbVersion]:
        """The newest ``limit`` knowledge versions, newest first."""
        async with self._failures("reading the knowledge history"), self._engine.connect() as conn:
            return await _versions.history(conn, limit)

    async def version_files(self, version_id: int) -> dict[str, str]:
        """The raw knowledge files synced with version ``version_id`` as {name: text}; empty if none were stored."""
        action = f"reading the files of knowledge version {version_id}"
        async with self._failures(action), self._engine.connect() as conn:
            return await _versions.version_files(conn, version_id)

    async def version_records(self, version_id: int) -> list[Record]:
        """Every entry of version ``version_id`` as (section, entry_id, data)."""
        async with self._failures(f"reading knowledge version {version_id}"), self._engine.connect() as conn:
            return await _versions.version_records(conn, version_id)

    async def log_question(self, entry: QuestionLogEntry) -> None:
        """Append ``entry`` to the question log. ``ValueError`` if it carries a raw id or a naive time."""
        _question_log.check_entry(entry)
        async with self._failures("logging a question"), self._engine.begin() as conn:
            await _question_log.log_question(conn, entry)

    async def log_questions(self, entries: list[QuestionLogEntry]) -> None:
        """Append ``entries`` in one transaction (all or none)."""
        for entry in entries:
            _question_log.check_entry(entry)
        async with self._failures("logging questions"), self._engine.begin() as conn:
            await _question_log.log_questions(conn, entries)

    async def record_feedback(self, *, answer_id: str, user_hash: str, vote: int, adapter: str) -> str:
        """One vote per user per answer, with the question and cited entries from the question log.

        Returns "new", "changed" or "same". ``user_hash`` comes from :func:`hash_user_id`.
        """
        async with self._failures("recording feedback"):
            return await _feedback.record_feedback(
                self._engine, answer_id=answer_id, user_hash=user_hash, vote=vote, adapter=adapter
            )

    async def feedback_for(self, answer_id: str) -> list[FeedbackEntry]:
        async with self._failures("reading feedback"), self._engine.connect() as conn:
            return await _feedback.feedback_for(conn, answer_id)

    async def recent_questions(self, limit: int = 100) -> list[QuestionLogEntry]:
        """The newest ``limit`` logged questions, newest first."""
        async with self._failures("reading the question log"), self._engine.connect() as conn:
            return await _question_log.recent_questions(conn, limit)

    async def audit(self, actor: str, action: str, detail: str, outcome: str) -> None:
        """Append to the audit log. ``actor`` is the platform display id as given ("discord:Alice#1", "cli");
        ``outcome`` is "ok", "refused" or "failed" (anything else, or an over-long field, is a ``ValueError``)."""
        _audit.check_audit(actor, action, outcome)
        async with self._failures("writing the audit log"), self._engine.begin() as conn:
            await _audit.audit(conn, actor, action, detail, outcome)

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]:
        """The newest ``limit`` audit entries, newest first."""
        async with self._failures("reading the audit log"), self._engine.connect() as conn:
            return await _audit.audit_log(conn, limit)

    async def record_reload_failure(self, failure: ReloadFailure) -> None:
        """Keep a refused reload (its error lines bounded in number and length), for every process's ``kb status``."""
        async with self._failures("recording a failed reload"), self._engine.begin() as conn:
            await _reload_failures.record(conn, failure)

    async def last_reload_failure(self) -> ReloadFailure | None:
        """The newest refused reload of any process, or ``None`` when none ever failed."""
        async with self._failures("reading the last failed reload"), self._engine.connect() as conn:
            return await _reload_failures.last(conn)

    async def gaps(self, limit: int = 10) -> Gaps:
        """The ``limit`` most often declined questions (grouped ignoring case, surrounding space and a
        trailing question mark) and the ``limit`` answers with the most 👎."""
        async with self._failures("reading the knowledge gaps"), self._engine.connect() as conn:
            return await _gaps.gaps(conn, limit)

    @property
    def supports_notify(self) -> bool:
        """Whether new versions are announced to other processes (PostgreSQL) or not (SQLite)."""
        return _notify.supports_notify(self._engine.dialect.name)

    async def notify_version(self, version_id: int) -> None:
        """Announce ``version_id`` to listening processes (``sync`` already does this); a no-op on SQLite."""
        if not self.supports_notify:
            return
        async with self._failures("announcing a knowledge version"), self._engine.begin() as conn:
            await _notify.notify_version(conn, version_id)

    def listen_versions(self, callback: VersionCallback,
                        lost: Callable[[], None] | None = None) -> AbstractAsyncContextManager[bool]:
        """``async with store.listen_versions(callback) as listening:`` — while the block runs, call
        ``callback(version_id)`` (plain or async) for each version another process (or this one) syncs.

        Uses its own PostgreSQL connection; on SQLite ``listening`` is false and nothing is heard.
        ``lost()`` is called if that connection closes (the database restarted): listen again.
        """
        return _notify.listen_versions(self._engine, self._engine_options, callback, shown_url=self.url, lost=lost)

    @asynccontextmanager
    async def _failures(self, action: str) -> AsyncIterator[None]:
        try:
            yield
        except CitebotError:
            raise
        except Exception as exc:
            kind = UnstorableError if is_data_error(exc) else StoreError
            raise kind(f"{action} failed at {self.url}: {error_reason(exc)}") from exc
