"""opt-out and sending hygiene: the suppression list, pacing, domain cap, footers, bounce pause

Revision ID: optout
Revises: million
Create Date: 2026-12-05

Written by hand with plain ALTER TABLE ADD/DROP COLUMN on SQLite and PostgreSQL alike. Not batch
mode: on SQLite that copies the table and drops the original, and with foreign keys on, dropping
`sequences` cascades to every step and enrollment (and a copy of a table million's tally
triggers name breaks them). New columns have server defaults, so rows that exist get the
defaults the models give new ones.
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
    for column in (
        sa.Column("pacing_min_s", sa.Integer(), server_default="30"),
        sa.Column("pacing_max_s", sa.Integer(), server_default="90"),
        sa.Column("domain_cap", sa.Integer(), server_default="10"),
        sa.Column("next_send_at", _utc(), nullable=True),
        sa.Column("opt_out_to_clockwork", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("dns_checked_for", sa.String(length=600), nullable=True),
        sa.Column("dns_warnings", sa.Text(), nullable=False, server_default=""),
    ):
        op.add_column("email_settings", column)
    for column in (
        sa.Column("footer_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("footer_text", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("paused_reason", sa.Text(), nullable=True),
        sa.Column("bounces_counted_from", _utc(), nullable=True),
    ):
        op.add_column("sequences", column)


def downgrade() -> None:
    for name in ("bounces_counted_from", "paused_reason", "footer_text", "footer_enabled"):
        op.drop_column("sequences", name)
    for name in (
        "dns_warnings",
        "dns_checked_for",
        "opt_out_to_clockwork",
        "next_send_at",
        "domain_cap",
        "pacing_max_s",
        "pacing_min_s",
    ):
        op.drop_column("email_settings", name)
    op.drop_index("ix_suppressions_clockwork_person_id", table_name="suppressions")
    op.drop_table("suppressions")
