"""Failed reloads: ``kb_reload_failures`` keeps each refused reload with its problems, time, trigger and author.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

So that ``kb status`` in any process (the command line, another bot) shows the running bots' last failed
reload, not only the failures of its own process.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_reload_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("problems", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_reload_failures")),
    )
    op.create_index(op.f("ix_kb_reload_failures_at"), "kb_reload_failures", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kb_reload_failures_at"), table_name="kb_reload_failures")
    op.drop_table("kb_reload_failures")
