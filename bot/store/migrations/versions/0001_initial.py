"""Initial schema: knowledge versions, their entries, and the question log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "kb_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("counts", _json(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_versions")),
    )
    op.create_index(op.f("ix_kb_versions_content_hash"), "kb_versions", ["content_hash"], unique=False)

    op.create_table(
        "kb_entries",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("section", sa.String(length=32), nullable=False),
        sa.Column("data", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["kb_versions.id"],
            name=op.f("fk_kb_entries_version_id_kb_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "entry_id", name=op.f("pk_kb_entries")),
    )

    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("cited_entry_ids", _json(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=True),
        sa.Column("conversation_hash", sa.String(length=64), nullable=True),
        sa.Column("kb_version_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_log")),
    )
    op.create_index(op.f("ix_question_log_asked_at"), "question_log", ["asked_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_question_log_asked_at"), table_name="question_log")
    op.drop_table("question_log")
    op.drop_table("kb_entries")
    op.drop_index(op.f("ix_kb_versions_content_hash"), table_name="kb_versions")
    op.drop_table("kb_versions")
