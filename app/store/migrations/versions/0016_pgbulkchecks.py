"""pg bulk checks: a bulk add's statement triggers take its run of new ids at once

Revision ID: pgbulkchecks
Revises: pgtallypause
Create Date: 2026-12-06

Rewrites two kinds of PostgreSQL trigger functions, for the same rules, done quicker for a
bulk add's run of new contacts:
- the foreign-key insert checks (app/store/statement_keys.py) lock a run of parent ids with one
  range scan instead of one index look-up per id;
- `contact_search`'s insert trigger returns at once while the transaction's
  `escapement.search_deferred` is on: the bulk add has put all its rows in the search backlog,
  which the trigger would otherwise test row by row (app/store/search_backlog.py).
Instant. Going down leaves them: they keep the same rules as the functions they replaced.
Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

from app.store import search_index, statement_keys

revision = "pgbulkchecks"
down_revision = "pgtallypause"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    if statement_keys.present(conn):
        statement_keys.write_insert_checks(conn)
    if search_index.has_search_table(conn):
        search_index.write_search_triggers(conn)


def downgrade() -> None:
    """Nothing to undo: the functions keep the rules of those they replaced."""
