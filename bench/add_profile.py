"""Where a bulk add's time goes: `python bench/add_profile.py [--base N] [--database-url URL]`.

Builds a store of N contacts in one sequence (bench/data.py `contacts()`, added in chunks of
10,000; kept in --keep DIR or a PostgreSQL template database so later runs skip it), then adds
--chunks more chunks of 10,000 new contacts with Workspace.add_contacts and prints, per chunk,
rows/s and the SQL statements' time (the COPY apart), then a cProfile of the last chunk
(--profile). On PostgreSQL --explain prints each statement's plan time and triggers (a
superuser's session) and --no-trigram drops the trigram indexes first, for the share they
take; --no-pairs drops `contact_pairs` and its triggers (the add as before migration
`pgpairs`). Prints the load average before and after: compare only like loads.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from data import CHUNK, SEQUENCE, contacts, server_database
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.pool import NullPool

from app.domain import ContactFilter, ContactInput
from app.store import contacts as store_contacts
from app.store import search_backlog, search_index
from app.workspace import Workspace


def chunks(start: int, count: int) -> Iterator[list[ContactInput]]:
    rows = islice(contacts(start + count * CHUNK), start, None)
    for _ in range(count):
        yield list(islice(rows, CHUNK))


def fill(url: str, n: int) -> None:
    ws = Workspace.open(url)
    try:
        seq = ws.create_sequence(SEQUENCE)
        for batch in chunks(0, n // CHUNK):
            ws.add_contacts(seq.id, batch)
        ws.finish_search_backlog()  # the base is a store the app has caught up on
    finally:
        ws.close()


@contextmanager
def sqlite_store(folder: Path, n: int, keep: Path | None) -> Iterator[str]:
    base = (keep or folder) / f"base_{n}.db"
    if not base.exists():
        fill(f"sqlite:///{base}", n)
    work = folder / "work.db"
    shutil.copyfile(base, work)
    # The copy's pages, written out now: else the first checkpoint's fsync writes the whole
    # copy and charges it to the first chunks (0.38 s against 0.27 s at a million).
    os.sync()
    yield f"sqlite:///{work}"


@contextmanager
def pg_store(server_url: str, n: int, tag: str) -> Iterator[str]:
    """A copy of a template database holding the base store (made once, kept for later runs)."""
    server = make_url(server_url)
    base, work = f"escapement_addprof_base{tag}_{n}", f"escapement_addprof_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base}):
            conn.execute(text(f'CREATE DATABASE "{base}"'))
            fill(server.set(database=base).render_as_string(hide_password=False), n)
    admin.dispose()
    with server_database(server_url, work, template=base) as url:
        yield url


class StatementTimes:
    """Seconds per SQL statement (first 70 characters), from the engine's cursor events."""

    def __init__(self, ws: Workspace) -> None:
        self.times: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        engine = ws.store.engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["escapement_t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        key = " ".join(statement.split())[:70]
        self.times[key] += time.perf_counter() - conn.info.pop("escapement_t0")
        self.counts[key] += 1

    def report(self, top: int = 12) -> None:
        ranked = sorted(self.times.items(), key=lambda kv: -kv[1])[:top]
        for key, seconds in ranked:
            print(f"    {seconds * 1000:8.1f} ms  x{self.counts[key]:<4} {key}")
        self.times.clear()
        self.counts.clear()


def timed_copy() -> dict[str, float]:
    """Wraps copy_rows (the COPY, which no cursor event sees) to time it."""
    spent = {"copy": 0.0}
    original = store_contacts.copy_rows

    def wrapper(*args: Any, **kwargs: Any) -> bool:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["copy"] += time.perf_counter() - started

    store_contacts.copy_rows = wrapper  # type: ignore[assignment]
    return spent


def explain_triggers(ws: Workspace) -> None:
    """PostgreSQL (a superuser's session): print each statement's time and its triggers'."""

    def on_notice(diag: Any) -> None:
        lines = (diag.message_primary or "").splitlines()
        keep = [ln for ln in lines if "duration" in ln or "Query Text" in ln or "Trigger" in ln]
        for ln in keep:
            print("      pg:", " ".join(ln.split())[:110])

    @event.listens_for(ws.store.engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.add_notice_handler(on_notice)
        for setting in (
            "LOAD 'auto_explain'",
            "SET auto_explain.log_min_duration = 10",
            "SET auto_explain.log_analyze = on",
            "SET auto_explain.log_triggers = on",
            "SET auto_explain.log_timing = off",
            "SET auto_explain.log_level = notice",
            "SET client_min_messages = notice",
        ):
            dbapi_conn.execute(setting)
        dbapi_conn.commit()

    ws.store.engine.dispose()


def measure(
    url: str, base: int, count: int, profile: bool, explain: bool, bare: bool, pairs: bool = True
) -> None:
    ws = Workspace.open(url)
    if bare and not ws.store.is_sqlite:
        # What the add costs without the trigram indexes (SQLite's index is its own statement).
        with ws.store.engine.begin() as conn:
            search_index.drop(conn)
    if not pairs:
        with ws.store.engine.begin() as conn:
            search_index.drop_pairs(conn)  # as before migration pgpairs
    if explain:
        explain_triggers(ws)
    try:
        seq = next(s for s in ws.sequences() if s.name == SEQUENCE)
        statements, copy = StatementTimes(ws), timed_copy()
        batches = list(chunks(base, count))
        for i, batch in enumerate(batches):
            last = profile and i == len(batches) - 1
            profiler = cProfile.Profile() if last else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            ws.add_contacts(seq.id, batch)
            if profiler:
                profiler.disable()
            took = time.perf_counter() - started
            note = " (profiled)" if last else ""
            print(f"  chunk {i + 1}: {len(batch) / took:,.0f} rows/s, {took:.3f} s{note}")
            if copy["copy"]:
                print(f"    {copy['copy'] * 1000:8.1f} ms  COPY (copy_rows)")
                copy["copy"] = 0.0
            statements.report()
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        catch_up(ws)
    finally:
        ws.close()


def catch_up(ws: Workspace) -> None:
    """A search while the chunks wait for the index, then the catch-up, timed per transaction
    (on PostgreSQL without pg_trgm nothing waits)."""
    search = ContactFilter(search="chen")
    started = time.perf_counter()
    ws.contact_count(search)
    ws.contacts_after(search, None, 200)
    print(f"  a search's count and first page, waiting: {time.perf_counter() - started:.3f} s")
    with ws.store.read() as session:
        left = search_backlog.waiting(session.connection())
    while left:
        started = time.perf_counter()
        left = ws.index_search_backlog()
        took = time.perf_counter() - started
        print(f"  catch-up: {took:.3f} s, {left:,} ids still waiting", flush=True)
    started = time.perf_counter()
    ws.contact_count(search)
    ws.contacts_after(search, None, 200)
    print(f"  the same search, caught up: {time.perf_counter() - started:.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=200_000, help="contacts already stored")
    parser.add_argument("--chunks", type=int, default=3, help="chunks of 10,000 to add")
    parser.add_argument("--database-url", help="a PostgreSQL server (else SQLite)")
    parser.add_argument("--keep", type=Path, help="folder that keeps the SQLite base store")
    parser.add_argument("--tag", default="", help="names the PostgreSQL base (one per branch)")
    parser.add_argument("--no-trigram", action="store_true", help="PostgreSQL: drop them first")
    parser.add_argument("--no-pairs", action="store_true", help="PostgreSQL: drop contact_pairs")
    parser.add_argument("--explain", action="store_true", help="PostgreSQL: statement plans")
    parser.add_argument("--profile", action="store_true", help="cProfile the last chunk")
    args = parser.parse_args()
    engine = "postgresql" if args.database_url else "sqlite"
    print(f"# {engine}, {args.base:,} stored; load average {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="escapement-addprof-") as tmp:
        if args.database_url:
            store = pg_store(args.database_url, args.base, args.tag)
        else:
            store = sqlite_store(Path(tmp), args.base, args.keep)
        with store as url:
            print(f"# measuring; load average {os.getloadavg()}", flush=True)
            measure(
                url,
                args.base,
                args.chunks,
                args.profile,
                args.explain,
                args.no_trigram,
                pairs=not args.no_pairs,
            )
    print(f"# load average at the end {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
