"""Searches while the whole store waits for the search index, and the catch-up's pace (SQLite).

    python bench/search_backlog.py [--base N] [--keep DIR]

Copies bench/add_profile.py's base store of N contacts (built if DIR has none), empties its
search index and puts every id in the backlog, as if all N had just been bulk-added: then the
quick count and first page of bench/scale.py's searches (median of 3), the catch-up one
transaction of `search_backlog.CHUNK` ids at a time until nothing waits (each timed), and the
same searches again. Prints the load average: compare only like loads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from add_profile import fill
from scale import SEARCHES, SHORT, first_screen, median_ms

from app.domain import ContactFilter
from app.store import search_backlog
from app.workspace import Workspace


def searches(ws: Workspace, label: str) -> None:
    for text in SEARCHES + SHORT:
        ms = median_ms(lambda text=text: first_screen(ws, ContactFilter(search=text)))
        print(f"  {label} {text!r}: count and first page {ms:.0f} ms", flush=True)


def everything_waits(ws: Workspace) -> None:
    with ws.store.write() as session:
        conn = session.connection()
        conn.exec_driver_sql("INSERT INTO contacts_fts(contacts_fts) VALUES ('delete-all')")
        top = conn.exec_driver_sql("SELECT max(id) FROM contacts").scalar()
        search_backlog.record(conn, 1, int(top))


def catch_up(ws: Workspace) -> None:
    times, started = [], time.perf_counter()
    while True:
        began = time.perf_counter()
        left = ws.index_search_backlog()
        times.append(time.perf_counter() - began)
        if len(times) % 10 == 1 or not left:
            print(f"  round {len(times)}: {times[-1]:.3f} s, {left:,} still waiting", flush=True)
        if not left:
            break
    total = time.perf_counter() - started
    print(
        f"  catch-up: {total:.1f} s in {len(times)} rounds of {search_backlog.CHUNK:,}; "
        f"median {statistics.median(times):.3f} s, longest {max(times):.3f} s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=1_000_000, help="contacts in the store")
    parser.add_argument("--keep", type=Path, help="folder that keeps the base store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="escapement-backlog-") as tmp:
        base = (args.keep or Path(tmp)) / f"base_{args.base}.db"
        if not base.exists():
            fill(f"sqlite:///{base}", args.base)
        work = Path(tmp) / "work.db"
        shutil.copyfile(base, work)
        ws = Workspace.open(f"sqlite:///{work}")
        try:
            everything_waits(ws)
            print(f"# {args.base:,} waiting; load average {os.getloadavg()}", flush=True)
            searches(ws, "waiting")
            print(f"# catching up; load average {os.getloadavg()}", flush=True)
            catch_up(ws)
            searches(ws, "indexed")
        finally:
            ws.close()
    print(f"# load average at the end {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
