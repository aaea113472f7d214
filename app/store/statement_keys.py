"""PostgreSQL checks the foreign keys a bulk add writes once per statement, not once per row.

A declared key runs its check for every inserted row: a query that finds the parent row and
locks it (FOR KEY SHARE), so that no other transaction deletes it before this one commits.
Adding 10,000 contacts to a sequence ran that check 30,000 times (enrollments' contact and
sequence, sync_records' contact), and 20,000 more when the sync rules queue each contact in
the outbox: a quarter of the add's time at a million contacts (docs/performance.md).

A statement key keeps the same rules with statement triggers over the transition table:
- an insert locks the distinct parents its rows name, FOR KEY SHARE as the declared key does,
  in one query, and fails with foreign_key_violation (SQLSTATE 23503, an IntegrityError to
  SQLAlchemy) when fewer exist than are named;
- an update that changes a key column checks the new parent the same way, row by row (rare);
- deleting parents deletes their children (CASCADE) or clears the column (SET NULL), in one
  statement per key;
- a parent's id never changes while a child names it.
Under concurrency this is the declared key's behaviour too: a delete of a parent waits for
the adding transaction's lock, then its cascade (a new statement, so a new snapshot under READ
COMMITTED) sees and removes the rows that were added meanwhile.

The models keep the declared keys: SQLite enforces those row by row, which costs it little,
and the ORM's relationships read them. Migration `pgkeys` swaps them on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, ForeignKeyConstraint, text


@dataclass(frozen=True)
class Key:
    """`table.column` names a row of `parent` (by id); `on_delete` is CASCADE or SET NULL."""

    table: str
    column: str
    parent: str
    on_delete: str

    @property
    def moved(self) -> str:
        """The update-check function's and trigger's name."""
        return f"keys_{self.table}_{self.column}_moved"


#: The keys of the rows a bulk add writes: its enrollments, sync records and outbox items.
KEYS = (
    Key("enrollments", "contact_id", "contacts", "CASCADE"),
    Key("enrollments", "sequence_id", "sequences", "CASCADE"),
    Key("sync_records", "contact_id", "contacts", "CASCADE"),
    Key("outbox", "contact_id", "contacts", "CASCADE"),
    Key("outbox", "user_id", "users", "SET NULL"),
)
#: The planner hashed a whole parent table to check 10,000 rows; by index it is one probe each.
_BY_INDEX = "SET enable_hashjoin = off SET enable_mergejoin = off"


def is_statement_key(constraint: Any) -> bool:
    """Whether a model's (or a reflected) foreign key is one that PostgreSQL keeps here."""
    if not isinstance(constraint, ForeignKeyConstraint) or len(constraint.column_keys) != 1:
        return False
    place = (constraint.parent.name, constraint.column_keys[0])
    return any((key.table, key.column) == place for key in KEYS)


def present(conn: Connection) -> bool:
    return bool(
        conn.scalar(text("SELECT 1 FROM pg_proc WHERE proname = :f"), {"f": _inserted("outbox")})
    )


def adopt(conn: Connection) -> None:
    """Replace the declared keys with statement keys (PostgreSQL; migration `pgkeys`)."""
    for key in KEYS:
        for name in _declared(conn, key):
            conn.exec_driver_sql(f'ALTER TABLE {key.table} DROP CONSTRAINT "{name}"')
    for statement in _create():
        conn.exec_driver_sql(statement)


def restore(conn: Connection) -> None:
    """Back to declared keys: they check the stored rows as they are added."""
    for trigger, table in _trigger_names():
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {trigger}()")
    for key in KEYS:
        conn.exec_driver_sql(
            f"ALTER TABLE {key.table} ADD FOREIGN KEY ({key.column}) "
            f"REFERENCES {key.parent} (id) ON DELETE {key.on_delete}"
        )


def _declared(conn: Connection, key: Key) -> list[str]:
    found = text(
        "SELECT c.conname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = CAST(:t AS regclass) "
        "AND cardinality(c.conkey) = 1 AND a.attname = :c"
    )
    return list(conn.scalars(found, {"t": key.table, "c": key.column}))


def _by_table(attribute: str) -> Iterator[tuple[str, list[Key]]]:
    ordered = sorted(KEYS, key=lambda key: getattr(key, attribute))
    for name, keys in groupby(ordered, key=lambda key: getattr(key, attribute)):
        yield name, list(keys)


def _inserted(table: str) -> str:
    return f"keys_{table}_inserted"


def _deleted(parent: str) -> str:
    return f"keys_{parent}_deleted"


def _renumbered(parent: str) -> str:
    return f"keys_{parent}_renumbered"


def _trigger_names() -> Iterator[tuple[str, str]]:
    for table, _ in _by_table("table"):
        yield _inserted(table), table
    for key in KEYS:
        yield key.moved, key.table
    for parent, _ in _by_table("parent"):
        yield _deleted(parent), parent
        yield _renumbered(parent), parent


def _violation(table: str, key: Key) -> str:
    message = f"insert or update on table {table} names a missing row of {key.parent}"
    detail = f"{key.column} has no row in {key.parent}"
    return (
        f"RAISE EXCEPTION '{message}' USING ERRCODE = 'foreign_key_violation', DETAIL = '{detail}'"
    )


def _insert_check(key: Key) -> str:
    """Lock the distinct parents the statement's rows name; fail when one is missing.

    Rows naming every id of a run (a bulk add's new contacts; one sequence) lock the run's
    range of the parent's primary key in one scan: 8 ms for 10,000 new contacts against 17 ms
    looking each one up. Any other set of parents is looked up id by id."""
    column, parent = key.column, key.parent
    locked = f"SELECT count(*) INTO held FROM (SELECT 1 FROM {parent} WHERE"
    return (
        f"SELECT count(DISTINCT {column}), min({column}), max({column}) "
        f"INTO wanted, low, high FROM new_rows; "
        f"IF high - low + 1 = wanted THEN "
        f"{locked} id BETWEEN low AND high FOR KEY SHARE OF {parent}) run; "
        f"ELSE {locked} id IN (SELECT {column} FROM new_rows) FOR KEY SHARE OF {parent}) each; "
        f"END IF; "
        f"IF held < wanted THEN {_violation(key.table, key)}; END IF;"
    )


def write_insert_checks(conn: Connection) -> None:
    """Rewrite the insert check functions as `_insert_check` has them (migration `pgbulkchecks`)."""
    for table, keys in _by_table("table"):
        function, _ = _insert_trigger(table, keys)
        conn.exec_driver_sql(function)


def _insert_trigger(table: str, keys: list[Key]) -> tuple[str, str]:
    """The function and the trigger checking the keys of `table`'s inserted rows."""
    checks = " ".join(_insert_check(key) for key in keys)
    function, trigger = _statement_trigger(
        _inserted(table),
        f"AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
        f"DECLARE wanted bigint; held bigint; low bigint; high bigint; BEGIN {checks}",
        settings=_BY_INDEX,
    )
    return function, trigger


def _create() -> Iterator[str]:
    for table, keys in _by_table("table"):
        yield from _insert_trigger(table, keys)
    for key in KEYS:
        yield from _update_check(key)
    for parent, keys in _by_table("parent"):
        yield from _parent_triggers(parent, keys)


def _statement_trigger(name: str, event: str, body: str, settings: str = "") -> tuple[str, str]:
    """A function running `body` (from its DECLARE or BEGIN) once per statement on `event`
    (replacing one of that name: a later migration rewrites it), and its trigger."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {settings} AS $$ "
        f"{body} RETURN NULL; END $$",
        f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    )


def _update_check(key: Key) -> Iterator[str]:
    column, name = key.column, key.moved
    yield (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM 1 FROM {key.parent} WHERE id = NEW.{column} FOR KEY SHARE; "
        f"IF NOT FOUND THEN {_violation(key.table, key)}; END IF; RETURN NULL; END $$"
    )
    yield (
        f"CREATE TRIGGER {name} AFTER UPDATE OF {column} ON {key.table} FOR EACH ROW "
        f"WHEN (NEW.{column} IS NOT NULL AND NEW.{column} IS DISTINCT FROM OLD.{column}) "
        f"EXECUTE FUNCTION {name}()"
    )


def _on_delete(key: Key) -> str:
    gone = f"{key.column} IN (SELECT id FROM old_rows)"
    if key.on_delete == "CASCADE":
        return f"DELETE FROM {key.table} WHERE {gone};"
    return f"UPDATE {key.table} SET {key.column} = NULL WHERE {gone};"


def _parent_triggers(parent: str, keys: list[Key]) -> Iterator[str]:
    deleted, renumbered = _deleted(parent), _renumbered(parent)
    actions = " ".join(_on_delete(key) for key in keys)
    yield from _statement_trigger(
        deleted,
        f"AFTER DELETE ON {parent} REFERENCING OLD TABLE AS old_rows",
        f"BEGIN {actions}",
    )
    named = " OR ".join(f"EXISTS (SELECT 1 FROM {k.table} WHERE {k.column} = OLD.id)" for k in keys)
    message = f"update on table {parent} changes the id of a row other rows name"
    yield (
        f"CREATE FUNCTION {renumbered}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {named} THEN RAISE EXCEPTION '{message}' "
        f"USING ERRCODE = 'foreign_key_violation'; END IF; RETURN NEW; END $$"
    )
    yield (
        f"CREATE TRIGGER {renumbered} BEFORE UPDATE OF id ON {parent} FOR EACH ROW "
        f"WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION {renumbered}()"
    )
