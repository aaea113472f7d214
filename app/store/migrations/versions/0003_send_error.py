"""send error: why an enrollment's current step could not be sent

Revision ID: senderror
Revises: oauth
Create Date: 2026-12-05

A nullable column added in batch mode, so SQLite and PostgreSQL take the same path.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "senderror"
down_revision = "oauth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("send_error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("send_error")
