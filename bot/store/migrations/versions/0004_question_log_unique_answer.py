"""One question-log row per answer: a unique index on ``question_log.answer_id``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

A batch whose COMMIT reached the database just before the connection died is retried by the
recorder; with this index the retry skips the rows already there (``ON CONFLICT DO NOTHING``)
instead of logging the questions twice. Rows without an answer id (from before 0002) stay as they
are: NULLs are distinct in a unique index. Duplicates from before this revision are removed first,
keeping the earliest row of each answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM question_log WHERE answer_id IS NOT NULL AND id NOT IN "
        "(SELECT MIN(id) FROM question_log WHERE answer_id IS NOT NULL GROUP BY answer_id)"
    )
    with op.batch_alter_table("question_log", recreate="never") as batch:
        batch.drop_index(batch.f("ix_question_log_answer_id"))
        batch.create_index(batch.f("ix_question_log_answer_id"), ["answer_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("question_log", recreate="never") as batch:
        batch.drop_index(batch.f("ix_question_log_answer_id"))
        batch.create_index(batch.f("ix_question_log_answer_id"), ["answer_id"], unique=False)
