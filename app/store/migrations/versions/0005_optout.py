"""opt-out and sending hygiene: the suppression list, pacing, domain cap, footers, bounce pause

Revision ID: optout
Revises: 0002
Create Date: 2026-12-05

Written by hand, in batch mode so SQLite and PostgreSQL take the same path. New columns have
server defaults, so rows that exist get the defaults the models give new ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.store.models

revision = "optout"
down_revision = "million"
branch_labels = None
depends_on = None


def _utc() -> app.store.models.UtcDateTime:
    return app.store.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("clockwork_person_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("lifted_at", _utc(), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.Column("lifted_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lifted_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email_key"),
    )
    op.create_index("ix_suppressions_clockwork_person_id", "suppressions", ["clockwork_person_id"])
    with op.batch_alter_table("email_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pacing_min_s", sa.Integer(), server_default="30"))
        batch_op.add_column(sa.Column("pacing_max_s", sa.Integer(), server_default="90"))
        batch_op.add_column(sa.Column("domain_cap", sa.Integer(), server_default="10"))
        batch_op.add_column(sa.Column("next_send_at", _utc(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "opt_out_to_clockwork", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column("dns_checked_for", sa.String(length=600), nullable=True))
        batch_op.add_column(sa.Column("dns_warnings", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("sequences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("footer_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("footer_text", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("paused_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("bounces_counted_from", _utc(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sequences", schema=None) as batch_op:
        batch_op.drop_column("bounces_counted_from")
        batch_op.drop_column("paused_reason")
        batch_op.drop_column("footer_text")
        batch_op.drop_column("footer_enabled")
    with op.batch_alter_table("email_settings", schema=None) as batch_op:
        for name in (
            "dns_warnings",
            "dns_checked_for",
            "opt_out_to_clockwork",
            "next_send_at",
            "domain_cap",
            "pacing_max_s",
            "pacing_min_s",
        ):
            batch_op.drop_column(name)
    op.drop_index("ix_suppressions_clockwork_person_id", table_name="suppressions")
    op.drop_table("suppressions")
