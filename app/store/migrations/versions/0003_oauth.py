"""mail sign-in: password or OAuth per server, and the signed-in account (never its tokens)

Revision ID: oauth
Revises: 0002
Create Date: 2026-12-05

Written by hand, in batch mode so SQLite and PostgreSQL take the same path. Tokens are not
here: the refresh token lives in the keyring only, the access token in memory only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "oauth"
down_revision = "0002"
branch_labels = None
depends_on = None

_PASSWORD = sa.text("'password'")


def upgrade() -> None:
    with op.batch_alter_table("email_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("smtp_auth", sa.String(16), nullable=False, server_default=_PASSWORD)
        )
        batch_op.add_column(
            sa.Column("imap_auth", sa.String(16), nullable=False, server_default=_PASSWORD)
        )
        batch_op.add_column(sa.Column("oauth_provider", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("oauth_account", sa.String(254), nullable=True))
        batch_op.add_column(sa.Column("oauth_client_id", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("oauth_tenant", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("oauth_state", sa.String(16), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE DROP COLUMN, not batch mode: by now million's tally triggers may be
    # on the store, and a batch copy on SQLite drops and recreates the table.
    for name in (
        "oauth_state",
        "oauth_tenant",
        "oauth_client_id",
        "oauth_account",
        "oauth_provider",
        "imap_auth",
        "smtp_auth",
    ):
        op.drop_column("email_settings", name)
