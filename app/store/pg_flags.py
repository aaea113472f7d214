"""Flags local to a PostgreSQL transaction that trigger functions read: a bulk write raises
one while it does set-wise, once, the work a trigger would do for its rows
(`search_index.pairs_by_client`, the tally pause in `bulk_pause.py`). A rollback or the
commit lowers it with everything else, so no other transaction ever sees it raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text


def skip_while(name: str) -> str:
    """The first statement of a trigger function that returns at once while `name` is up."""
    return f"IF current_setting('{name}', true) = 'on' THEN RETURN NULL; END IF; "


@contextmanager
def raised(conn: Connection, name: str) -> Iterator[None]:
    """Raise flag `name` for the block, in this transaction only."""
    conn.execute(text("SELECT set_config(:name, 'on', true)"), {"name": name})
    try:
        yield
    finally:
        # A failed statement leaves nothing to run in the transaction; its rollback (to a
        # savepoint or whole) lowers the flag with the rest.
        if not _failed(conn):
            conn.execute(text("SELECT set_config(:name, 'off', true)"), {"name": name})


def _failed(conn: Connection) -> bool:
    # Here, not at the top: only PostgreSQL's stores load psycopg (0.2 s of a SQLite start).
    from psycopg.pq import TransactionStatus

    status = conn.connection.driver_connection.info.transaction_status  # type: ignore[union-attr]
    return bool(status == TransactionStatus.INERROR)
