"""send error: why an enrollment's current step could not be sent

Revision ID: senderror
Revises: cwstatus
Create Date: 2026-12-05

A nullable column, added and dropped with plain ALTER TABLE on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "senderror"
down_revision = "cwstatus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enrollments", sa.Column("send_error", sa.Text(), nullable=True))


def downgrade() -> None:
    # Not batch mode: on SQLite that copies the table, which the tally triggers on
    # enrollments (million) refuse; ALTER TABLE DROP COLUMN needs SQLite 3.35 (Python 3.12
    # ships newer).
    op.drop_column("enrollments", "send_error")
