"""The search backlog, on both engines: while bulk-added contacts wait for the index, after part
of the catch-up and after all of it, searches, pages in both orders and counts are exactly the
plain scan's, and the index holds exactly the contacts not waiting (the invariant the
contentless FTS5 table needs: a row deleted with its exact old values, never inserted twice;
on PostgreSQL `contact_search`, each row with its contact's current values)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from app.domain import ContactFilter, ContactInput
from app.store import migrate, search_backlog, search_index
from app.store.engine import make_engine
from app.workspace import Workspace
from tests.pg import database as pg
from tests.store.test_migration_chain import move
from tests.store.test_search_index import assert_same_as_scan, forget_everyone, people, searches

pytestmark = pytest.mark.both_databases

ROOT = Path(__file__).resolve().parents[2]
SEARCHES = ("zorb", "Zorb12", "halcyon", "northwind", "q", "zz", "ch", "@x.c", "é", "nobody")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def every_add_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_backlog, "FROM_ROWS", 1)


@pytest.fixture
def forty_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adds of 40 or more wait: runs short enough to page through three rows at a time."""
    monkeypatch.setattr(search_backlog, "FROM_ROWS", 40)


def person(i: int, **fields: str) -> ContactInput:
    values = {"first_name": f"Zorb{i}", "company": "Northwind" if i % 3 else "Chez Qu"} | fields
    return ContactInput(email=f"p{i}@x.com", **values)


def waiting(ws: Workspace) -> list[tuple[int, int]]:
    with ws.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT low, high FROM search_backlog"))]


def assert_index_holds_exactly_the_rest(ws: Workspace) -> None:
    """Every contact outside the backlog is indexed once, none inside it, and FTS5 agrees;
    PostgreSQL's rows hold their contact's values as the scan lower-cases them."""
    ranges = waiting(ws)
    with ws.store.engine.begin() as conn:
        ids = set(conn.scalars(text("SELECT id FROM contacts")))
        if ws.store.is_sqlite:
            indexed = list(conn.scalars(text("SELECT rowid FROM contacts_fts")))
            conn.exec_driver_sql(
                "INSERT INTO contacts_fts(contacts_fts) VALUES ('integrity-check')"
            )
        else:
            indexed = list(conn.scalars(text("SELECT contact_id FROM contact_search")))
            assert _stale_search_rows(conn) == []
    assert len(indexed) == len(set(indexed))
    assert set(indexed) == {i for i in ids if not any(lo <= i <= hi for lo, hi in ranges)}


def _stale_search_rows(conn: Connection) -> list[int]:
    columns = search_index.COLUMNS
    held = ", ".join(f"s.{c}" for c in columns)
    current = ", ".join(f"lower(c.{c})" for c in columns)
    return list(
        conn.scalars(
            text(
                f"SELECT s.contact_id FROM contact_search s JOIN contacts c ON c.id = s.contact_id "
                f"WHERE ({held}) IS DISTINCT FROM ({current})"
            )
        )
    )


def assert_all_searches_match_the_scan(ws: Workspace) -> None:
    for search in SEARCHES:
        assert_same_as_scan(ws, search)
    assert_index_holds_exactly_the_rest(ws)


def test_a_bulk_add_waits_for_the_index_and_searches_stay_exact(
    ws: Workspace, forty_wait: None
) -> None:
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(30)])  # few: indexed at once
    assert waiting(ws) == []
    ws.add_contacts(seq.id, [person(i) for i in range(30, 80)])
    assert waiting(ws) == [(31, 80)]
    assert_all_searches_match_the_scan(ws)
    assert ws.index_search_backlog(15) == 35
    assert_all_searches_match_the_scan(ws)
    ws.finish_search_backlog()
    assert waiting(ws) == []
    assert_all_searches_match_the_scan(ws)


def test_a_short_search_the_index_cannot_find_still_finds_waiting_rows(
    ws: Workspace, every_add_waits: None
) -> None:
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i, last_name="Ng") for i in range(5)])
    for search in ("ng", "Ñ", "g"):
        assert_same_as_scan(ws, search)
    assert ws.count_contacts(ContactFilter(search="ng")) == 5


def test_edits_and_deletes_of_waiting_contacts_leave_the_index_right(
    ws: Workspace, every_add_waits: None
) -> None:
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(3)])  # in the backlog: 1..3
    ws.finish_search_backlog()
    ws.add_contacts(seq.id, [person(i) for i in range(3, 10)])  # waiting: 4..10
    # Edit one indexed and two waiting contacts, delete a waiting one and an indexed one.
    ws.add_contacts(seq.id, [person(i, company="Halcyon") for i in (1, 4, 9)])
    with ws.store.write() as session:
        session.execute(text("DELETE FROM contacts WHERE email IN ('p2@x.com', 'p6@x.com')"))
    assert waiting(ws) == [(4, 10)]
    assert_all_searches_match_the_scan(ws)
    ws.finish_search_backlog()
    assert_all_searches_match_the_scan(ws)
    assert ws.count_contacts(ContactFilter(search="halcyon")) == 3
    assert ws.count_contacts(ContactFilter(search="zorb6")) == 0
    northwind = {r.email for r in ws.contacts_page(ContactFilter(search="northwind"), 0, 100)}
    assert northwind == {"p5@x.com", "p7@x.com", "p8@x.com"}  # not p1 or p4, now in Halcyon


@pytest.mark.sqlite_only
def test_ids_of_deleted_waiting_contacts_given_again_wait_with_them(
    ws: Workspace, forty_wait: None
) -> None:
    """SQLite gives the largest id plus one: after the last waiting rows are deleted, a small
    add gets ids inside the range, and must not be indexed now and again by the catch-up."""
    seq = ws.create_sequence("S")
    n = search_backlog.FROM_ROWS
    ws.add_contacts(seq.id, [person(i) for i in range(n)])
    with ws.store.write() as session:
        session.execute(text("DELETE FROM contacts WHERE id > :top"), {"top": n - 3})
    ws.add_contacts(seq.id, [person(i, last_name="Again") for i in range(n, n + 5)])
    assert waiting(ws) == [(1, n + 2)]
    assert_index_holds_exactly_the_rest(ws)
    ws.finish_search_backlog()
    assert_index_holds_exactly_the_rest(ws)
    assert ws.count_contacts(ContactFilter(search="again")) == 5


def test_a_catch_up_that_fails_midway_leaves_the_range_waiting(
    ws: Workspace, every_add_waits: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(20)])
    name = "index_ids" if ws.store.is_sqlite else "copy_searched"
    real = getattr(search_index, name)

    def index_then_fail(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)
        raise RuntimeError("killed between indexing and taking the range off")

    monkeypatch.setattr(search_index, name, index_then_fail)
    with pytest.raises(RuntimeError):
        ws.index_search_backlog(8)
    assert waiting(ws) == [(1, 20)]
    assert_all_searches_match_the_scan(ws)
    monkeypatch.setattr(search_index, name, real)
    assert ws.index_search_backlog(8) == 12
    assert waiting(ws) == [(9, 20)]
    assert_all_searches_match_the_scan(ws)


def test_adjacent_and_overlapping_ranges_merge(ws: Workspace, every_add_waits: None) -> None:
    seq = ws.create_sequence("S")
    for start in (0, 4, 8):
        ws.add_contacts(seq.id, [person(i) for i in range(start, start + 4)])
    assert waiting(ws) == [(1, 12)]
    with ws.store.write() as session:
        search_backlog.record(session.connection(), 20, 25)
        search_backlog.record(session.connection(), 13, 19)
    assert waiting(ws) == [(1, 25)]


@pytest.mark.sqlite_only
def test_the_cli_import_leaves_the_store_indexed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from main import main

    n = search_backlog.FROM_ROWS + 10
    path = tmp_path / "people.csv"
    path.write_text(
        "Email,First Name\n" + "".join(f"p{i}@x.com,Zorb{i}\n" for i in range(n)), "utf-8"
    )
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "sequence", "create", "CFO"]) == 0
    assert (
        main(["--data-dir", str(data), "contacts", "import", str(path), "--sequence", "CFO"]) == 0
    )
    said = capsys.readouterr().err.splitlines()
    assert said[-1] == "Indexing contacts for search: 100%"  # the wait is not silent
    ws = Workspace.open(f"sqlite:///{data / 'escapement.db'}")
    try:
        assert waiting(ws) == []
        assert_index_holds_exactly_the_rest(ws)
    finally:
        ws.close()


def test_finishing_the_backlog_says_how_far_it_got(db_url: str) -> None:
    ws = Workspace.open(db_url)
    try:
        heard: list[float] = []
        ws.finish_search_backlog(lambda _step, done: heard.append(done))
        assert heard == []  # nothing waited: nothing to say
        seq = ws.create_sequence("S")
        ws.add_contacts(seq.id, [person(i) for i in range(search_backlog.FROM_ROWS)])
        ws.finish_search_backlog(lambda _step, done: heard.append(done))
        assert heard == [0.0, 1.0]
        assert waiting(ws) == []
    finally:
        ws.close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """One store for every example, in its own database on PostgreSQL (other tests empty the
    session's)."""
    if request.param == "sqlite":
        workspace = Workspace.open(f"sqlite:///{tmp_path_factory.mktemp('oracle') / 'e.db'}")
        yield workspace
        workspace.close()
        return
    url = pg.create_database(f"escapement_test_{os.getpid()}_oracle")
    workspace = Workspace.open(pg.render(url))
    yield workspace
    workspace.close()
    pg.drop_database(url)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_searches_equal_the_scan_at_every_stage_of_a_catch_up(
    shared: Workspace, every_add_waits: None, data: st.DataObject
) -> None:
    indexed, later = data.draw(people()), data.draw(people())
    seq = shared.create_sequence(f"s{len(shared.sequences())}")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(search_backlog, "FROM_ROWS", 10**9)
            shared.add_contacts(seq.id, indexed)
        shared.add_contacts(seq.id, later)
        chosen = data.draw(st.lists(searches(indexed + later), min_size=1, max_size=4))
        while True:
            for search in chosen:
                assert_same_as_scan(shared, search)
            assert_index_holds_exactly_the_rest(shared)
            if not shared.index_search_backlog(data.draw(st.integers(1, 5))) and not waiting(
                shared
            ):
                break
        for search in chosen:
            assert_same_as_scan(shared, search)
    finally:
        forget_everyone(shared)
        shared.finish_search_backlog()


@pytest.mark.sqlite_only
def test_going_down_a_revision_indexes_what_waits_first(tmp_path: Path, forty_wait: None) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    ws = Workspace.open(url)
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(search_backlog.FROM_ROWS + 5)])
    assert waiting(ws) == [(1, search_backlog.FROM_ROWS + 5)]
    ws.close()
    engine = make_engine(url)
    try:
        move(engine, "tallyjoins", down=True)
        with engine.connect() as conn:
            assert not search_index.has_backlog(conn)
            triggers = " ".join(
                conn.scalars(text("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
            )
            indexed = set(conn.scalars(text("SELECT rowid FROM contacts_fts")))
        assert "search_backlog" not in triggers
        assert indexed == set(range(1, search_backlog.FROM_ROWS + 6))
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    ws = Workspace.open(url)
    try:
        assert waiting(ws) == []
        assert_all_searches_match_the_scan(ws)
    finally:
        ws.close()


CATCH_UP_FOREVER = """
import sys
from app.workspace import Workspace
ws = Workspace.open(sys.argv[1])
print("open", flush=True)
while ws.index_search_backlog(10):
    pass
"""


def test_a_catch_up_killed_at_any_moment_leaves_each_range_waiting_or_indexed(
    db_url: str,
) -> None:
    url = db_url
    ws = Workspace.open(url)
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(12_000)])
    try:
        for pause in (0.1, 0.2, 0.3):
            before = waiting(ws)
            with subprocess.Popen(
                [sys.executable, "-c", CATCH_UP_FOREVER, url],
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                text=True,
            ) as catching_up:
                assert catching_up.stdout is not None
                assert catching_up.stdout.readline() == "open\n"
                time.sleep(pause)
                catching_up.send_signal(signal.SIGKILL)
                assert catching_up.wait() == -signal.SIGKILL
            assert waiting(ws) != before
            assert_index_holds_exactly_the_rest(ws)
            if ws.store.is_sqlite:
                with ws.store.engine.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        ws.finish_search_backlog()
        assert_index_holds_exactly_the_rest(ws)
        for search in ("zorb1199", "Zorb42"):
            assert_same_as_scan(ws, search)
    finally:
        ws.close()


@pytest.fixture
def on_postgres(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's contact_search")


def test_postgres_contacts_added_in_bulk_wait_outside_contact_search(
    on_postgres: None, ws: Workspace, forty_wait: None
) -> None:
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(10)])  # few: the insert trigger copies them
    ws.add_contacts(seq.id, [person(i) for i in range(10, 60)])
    assert waiting(ws) == [(11, 60)]
    with ws.store.engine.connect() as conn:
        held = set(conn.scalars(text("SELECT contact_id FROM contact_search")))
    assert held == set(range(1, 11))
    # An edit of an indexed and of a waiting contact, straight in SQL (the update trigger).
    with ws.store.write() as session:
        session.execute(text("UPDATE contacts SET title = 'OMEGA Lead' WHERE id IN (3, 30)"))
        session.execute(text("UPDATE contacts SET updated_at = updated_at WHERE id = 4"))
    assert_all_searches_match_the_scan(ws)
    for search in ("omega", "ga l", "ga"):
        assert_same_as_scan(ws, search)
        assert ws.count_contacts(ContactFilter(search=search)) == 2
    ws.finish_search_backlog()
    assert waiting(ws) == []
    assert_all_searches_match_the_scan(ws)
    assert ws.count_contacts(ContactFilter(search="omega")) == 2


def test_postgres_an_edit_during_a_catch_up_is_not_lost(
    on_postgres: None, ws: Workspace, forty_wait: None
) -> None:
    """The catch-up copies a contact while an edit of it is under way in another transaction:
    the edit waits for the copy (FOR SHARE) and its trigger then updates the copied row."""
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(50)])
    errors: list[BaseException] = []

    def edit() -> None:
        try:
            with ws.store.write() as session:
                session.execute(text("UPDATE contacts SET company = 'Halcyon' WHERE id = 7"))
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    with ws.store.engine.begin() as conn:
        search_backlog.catch_up(conn)
        editing = threading.Thread(target=edit)
        editing.start()
        editing.join(0.5)
        assert editing.is_alive()  # waiting for the copy's lock
    editing.join(10)
    assert not editing.is_alive()
    assert errors == []
    assert waiting(ws) == []
    assert_index_holds_exactly_the_rest(ws)
    assert ws.count_contacts(ContactFilter(search="halcyon")) == 1


def test_postgres_going_down_and_up_past_pgsearch_keeps_every_search(
    on_postgres: None, db_url: str, forty_wait: None
) -> None:
    ws = Workspace.open(db_url)
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(10)])
    ws.add_contacts(seq.id, [person(i, title="Ñandú") for i in range(10, 60)])  # waits
    before = {s: _found(ws, s) for s in (*SEARCHES, "ñandú", "ñ")}
    ws.close()
    engine = make_engine(db_url)
    try:
        move(engine, "pgpairs", down=True)
        with engine.connect() as conn:
            assert not search_index.has_search_table(conn)
            assert search_index.has_contacts_trigram(conn)
            assert conn.scalar(text("SELECT count(*) FROM search_backlog")) == 0
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert not search_index.has_contacts_trigram(conn)
            assert conn.scalar(text("SELECT count(*) FROM contact_search")) == 60
    finally:
        engine.dispose()
    ws = Workspace.open(db_url)
    try:
        assert {s: _found(ws, s) for s in before} == before
        assert_all_searches_match_the_scan(ws)
    finally:
        ws.close()


def _found(ws: Workspace, search: str) -> list[int]:
    assert_same_as_scan(ws, search)
    return [r.id for r in ws.contacts_page(ContactFilter(search=search), 0, 10**6)]


def test_postgres_a_catch_up_that_empties_the_backlog_leaves_the_planner_its_figures(
    on_postgres: None, ws: Workspace, forty_wait: None
) -> None:
    """Without them, the first searches after a big import plan for the table as it was before
    (457 ms instead of 40 at a million) until autovacuum comes by; here autovacuum is off."""

    def planner_rows() -> float:
        with ws.store.engine.connect() as conn:
            return float(
                conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'contact_search'"))
            )

    with ws.store.write() as session:
        session.execute(text("ALTER TABLE contact_search SET (autovacuum_enabled = false)"))
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [person(i) for i in range(120)])
    assert ws.index_search_backlog(limit=50) > 0
    assert planner_rows() <= 0  # never analysed since the migration made it empty
    ws.finish_search_backlog()
    assert planner_rows() == 120
