"""The store's tables as SQLAlchemy typed declarative models.

Migrations in ``bot/store/migrations`` create exactly these tables; ``tests/store`` checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.storable import storable_text

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_LENGTH = 64  # hex SHA-256
# Column lengths, checked by the store before writing so SQLite and PostgreSQL refuse the same values.
AUTHOR_LENGTH = 200
ENTRY_ID_LENGTH = 128
SECTION_LENGTH = 32
LANGUAGE_LENGTH = 16
INTENT_LENGTH = 64
ADAPTER_LENGTH = 32
ANSWER_ID_LENGTH = 32  # uuid4 hex
NOTE_LENGTH = 500
FILE_NAME_LENGTH = 255
ACTOR_LENGTH = 200
ACTION_LENGTH = 64
OUTCOME_LENGTH = 32
TRIGGER_LENGTH = 32
PROBLEMS_KEPT = 50  # error lines kept with a failed reload (the count says how many there were)
PROBLEM_LENGTH = 500  # characters kept of each

# JSON everywhere, stored as JSONB on PostgreSQL.
JsonType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite keeps no zone, so values are converted to UTC on the way in and tagged UTC on the way out.
    Naive datetimes are refused: they are a bug at the caller.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given; the store keeps timezone-aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _Storable(TypeDecorator[str]):
    """Text kept as given, less what no database can keep (NUL, lone surrogates: ``bot.storable``).
    Each subclass says ``cache_ok`` itself: SQLAlchemy does not inherit it."""

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else storable_text(value)


class StorableString(_Storable):
    impl = String
    cache_ok = True


class StorableText(_Storable):
    impl = Text
    cache_ok = True


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class KbVersionRow(Base):
    """One synced snapshot of the knowledge base; the newest (highest id) is live."""

    __tablename__ = "kb_versions"

    # Assigned by the store as the highest id + 1, so version numbers have no gaps after failed syncs.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content_hash: Mapped[str] = mapped_column(StorableString(HASH_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    author: Mapped[str] = mapped_column(StorableString(AUTHOR_LENGTH))
    counts: Mapped[dict[str, int]] = mapped_column(JsonType)
    entry_count: Mapped[int] = mapped_column(Integer)
    # {"added": [...], "changed": [...], "removed": [...]} entry ids against the previous version.
    # The server default only fills rows that existed before migration 0003 (which backfills them).
    diff: Mapped[dict[str, list[str]]] = mapped_column(JsonType, server_default="{}")
    note: Mapped[str | None] = mapped_column(StorableString(NOTE_LENGTH))


class KbVersionFileRow(Base):
    """One raw knowledge file (name and text) as it was when a version was synced."""

    __tablename__ = "kb_version_files"

    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("kb_versions.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(StorableString(FILE_NAME_LENGTH), primary_key=True)
    text: Mapped[str] = mapped_column(StorableText())


class KbEntryRow(Base):
    """One knowledge entry as it was in one version."""

    __tablename__ = "kb_entries"

    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("kb_versions.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(StorableString(ENTRY_ID_LENGTH), primary_key=True)
    section: Mapped[str] = mapped_column(StorableString(SECTION_LENGTH))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)


class QuestionLogRow(Base):
    """One question asked and how it was answered. Users appear only as salted hashes."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    question: Mapped[str] = mapped_column(StorableText())
    language: Mapped[str] = mapped_column(StorableString(LANGUAGE_LENGTH))
    intent: Mapped[str] = mapped_column(StorableString(INTENT_LENGTH))
    answered: Mapped[bool] = mapped_column(Boolean)
    confidence: Mapped[float] = mapped_column(Float)
    cited_entry_ids: Mapped[list[str]] = mapped_column(JsonType)
    latency_ms: Mapped[float] = mapped_column(Float)
    adapter: Mapped[str] = mapped_column(StorableString(ADAPTER_LENGTH))
    user_hash: Mapped[str | None] = mapped_column(StorableString(HASH_LENGTH))
    conversation_hash: Mapped[str | None] = mapped_column(StorableString(HASH_LENGTH))
    kb_version_id: Mapped[int | None] = mapped_column(Integer)
    answer_id: Mapped[str | None] = mapped_column(StorableString(ANSWER_ID_LENGTH), index=True, unique=True)


class FeedbackRow(Base):
    """A 👍 / 👎 on one answer by one user (as a salted hash), with the question and the entries it cited."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("answer_id", "user_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(StorableString(ANSWER_ID_LENGTH), index=True)
    user_hash: Mapped[str] = mapped_column(StorableString(HASH_LENGTH))
    vote: Mapped[int] = mapped_column(Integer)  # +1 or -1
    question: Mapped[str | None] = mapped_column(StorableText())
    cited_entry_ids: Mapped[list[str]] = mapped_column(JsonType)
    adapter: Mapped[str] = mapped_column(StorableString(ADAPTER_LENGTH))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditLogRow(Base):
    """One operator action (reload, rollback, upload, ...): who, what, and how it ended."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(StorableString(ACTOR_LENGTH))  # the platform display id as given, e.g. "cli"
    action: Mapped[str] = mapped_column(StorableString(ACTION_LENGTH))
    detail: Mapped[str] = mapped_column(StorableText())
    outcome: Mapped[str] = mapped_column(StorableString(OUTCOME_LENGTH))  # ok / refused / failed


class KbReloadFailureRow(Base):
    """A reload that was refused: when, what started it, who (when known), and its ``file:line: field`` errors."""

    __tablename__ = "kb_reload_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    trigger: Mapped[str] = mapped_column(StorableString(TRIGGER_LENGTH))  # file watcher, /kb reload, start-up, ...
    author: Mapped[str | None] = mapped_column(StorableString(AUTHOR_LENGTH))  # None: nobody known (the watcher)
    problems: Mapped[list[str]] = mapped_column(JsonType)  # the first PROBLEMS_KEPT error lines
    problem_count: Mapped[int] = mapped_column(Integer)  # every error, kept or not
