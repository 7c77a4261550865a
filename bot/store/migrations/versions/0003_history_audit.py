"""Version diffs, notes and raw files, and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

The new ``kb_versions`` columns are added in place (no table copy on SQLite: copying would drop
``kb_versions`` and, with foreign keys on, cascade-delete every ``kb_entries`` row). Existing
versions get their diff computed from their entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("kb_versions", recreate="never") as batch:
        batch.add_column(sa.Column("diff", _json(), server_default="{}", nullable=False))
        batch.add_column(sa.Column("note", sa.String(length=500), nullable=True))
    _backfill_diffs()

    op.create_table(
        "kb_version_files",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["kb_versions.id"],
            name=op.f("fk_kb_version_files_version_id_kb_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "name", name=op.f("pk_kb_version_files")),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)


def _backfill_diffs() -> None:
    """Each existing version's diff against the one before it (version by version, two in memory at once)."""
    bind = op.get_bind()
    versions = sa.table("kb_versions", sa.column("id", sa.Integer()), sa.column("diff", _json()))
    entries = sa.table(
        "kb_entries", sa.column("version_id", sa.Integer()), sa.column("entry_id"), sa.column("data", _json())
    )
    previous: dict[str, Any] = {}
    for version_id in bind.execute(sa.select(versions.c.id).order_by(versions.c.id)).scalars().all():
        query = sa.select(entries.c.entry_id, entries.c.data).where(entries.c.version_id == version_id)
        current = {row.entry_id: row.data for row in bind.execute(query)}
        diff = {
            "added": sorted(current.keys() - previous.keys()),
            "changed": sorted(key for key in current.keys() & previous.keys() if current[key] != previous[key]),
            "removed": sorted(previous.keys() - current.keys()),
        }
        bind.execute(sa.update(versions).where(versions.c.id == version_id).values(diff=diff))
        previous = current


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("kb_version_files")
    # In place on SQLite too (ALTER TABLE DROP COLUMN, SQLite 3.35+): a table copy would cascade-delete kb_entries.
    with op.batch_alter_table("kb_versions", recreate="never") as batch:
        batch.drop_column("note")
        batch.drop_column("diff")
