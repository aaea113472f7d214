"""mail sending: the in-flight send of an enrollment, and the IMAP inbox position

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Written by hand: nullable columns only, added in batch mode so SQLite (which cannot alter a
column in place) and PostgreSQL take the same path.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.store.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("send_state", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("send_message_id", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("send_started_at", app.store.models.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("email_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imap_uidvalidity", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("imap_last_uid", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("email_settings", schema=None) as batch_op:
        batch_op.drop_column("imap_last_uid")
        batch_op.drop_column("imap_uidvalidity")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("send_started_at")
        batch_op.drop_column("send_message_id")
        batch_op.drop_column("send_state")
