"""candidate status: read back per candidacy, the stop set, the status on reply, why stopped

Revision ID: cwstatus
Revises: optout
Create Date: 2026-12-05

Nullable columns only, added and dropped with plain ALTER TABLE on SQLite and PostgreSQL alike:
batch mode would copy and drop the tables on SQLite, which breaks million's tally triggers
(they name enrollments) and, with foreign keys on, cascades to the rows that refer to them.
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
    op.add_column("candidacies", sa.Column("status", sa.String(length=100), nullable=True))
    op.add_column("candidacies", sa.Column("status_seen_at", _utc(), nullable=True))
    op.add_column("clockwork_settings", sa.Column("stop_statuses", sa.Text(), nullable=True))
    op.add_column("clockwork_settings", sa.Column("reply_status", sa.String(100), nullable=True))
    op.add_column("enrollments", sa.Column("stop_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("enrollments", "stop_reason")
    op.drop_column("clockwork_settings", "reply_status")
    op.drop_column("clockwork_settings", "stop_statuses")
    op.drop_column("candidacies", "status_seen_at")
    op.drop_column("candidacies", "status")


def _utc() -> app.store.models.UtcDateTime:
    return app.store.models.UtcDateTime(timezone=True)
