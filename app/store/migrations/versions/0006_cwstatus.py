"""candidate status: read back per candidacy, the stop set, the status on reply, why stopped

Revision ID: cwstatus
Revises: 0002
Create Date: 2026-12-05

Nullable columns only, added in batch mode so SQLite and PostgreSQL take the same path.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.store.models

revision = "cwstatus"
down_revision = "optout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidacies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("status_seen_at", app.store.models.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("clockwork_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stop_statuses", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reply_status", sa.String(length=100), nullable=True))
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stop_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("stop_reason")
    with op.batch_alter_table("clockwork_settings", schema=None) as batch_op:
        batch_op.drop_column("reply_status")
        batch_op.drop_column("stop_statuses")
    with op.batch_alter_table("candidacies", schema=None) as batch_op:
        batch_op.drop_column("status_seen_at")
        batch_op.drop_column("status")
