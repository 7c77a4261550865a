"""Answer ids in the question log, and the feedback table (one vote per user per answer).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question_log") as batch:
        batch.add_column(sa.Column("answer_id", sa.String(length=32), nullable=True))
        batch.create_index(batch.f("ix_question_log_answer_id"), ["answer_id"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.String(length=32), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("vote", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("cited_entry_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("answer_id", "user_hash", name=op.f("uq_feedback_answer_id")),
    )
    op.create_index(op.f("ix_feedback_answer_id"), "feedback", ["answer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_feedback_answer_id"), table_name="feedback")
    op.drop_table("feedback")
    with op.batch_alter_table("question_log") as batch:
        batch.drop_index(batch.f("ix_question_log_answer_id"))
        batch.drop_column("answer_id")
