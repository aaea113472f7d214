"""Escapement's benchmarks: one figure per line, `NAME: VALUE UNIT (goal: ...)`.

    python bench/run.py [--quick] [--no-resync]
    python bench/run.py --contacts N [--database-url URL]

--contacts measures the contacts table at N contacts (bench/scale.py), on SQLite or on the
PostgreSQL server URL names (in a database of its own, dropped afterwards), and the window
started on that store: its first paint, and the Contacts pane's first rows once opened.

Full sizes are the ones the goals are set for (100,000 contacts, a 10,000-contact resync);
--quick uses smaller ones so the whole run takes under a minute, for a smoke check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine
import scale
from data import ROOT, SEQUENCE, fill_store, open_workspace, write_csv
from gui_start import startup

from app.domain import ContactFilter

HERE = Path(__file__).resolve().parent
SEARCHES = ("chen", "northwind", "finance", "priya.k", "@halcyon")  # what recruiters type


def filter_ms(folder: Path) -> float:
    """Count plus first page, as the table does for a search; median over searches and runs."""
    ws = open_workspace(folder)
    try:
        times = []
        for text in SEARCHES * 3:
            flt = ContactFilter(search=text)
            started = time.perf_counter()
            ws.count_contacts(flt)
            ws.contacts_page(flt, 0, 200)
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000
    finally:
        ws.close()


def import_rate(folder: Path, rows: int) -> float:
    """Rows per second of Workspace.import_csv (parse and store) into a fresh store."""
    path = folder / "contacts.csv"
    write_csv(path, rows)
    times = []
    for attempt in range(3):
        ws = open_workspace(folder / f"import{attempt}")
        try:
            seq = ws.create_sequence(SEQUENCE)
            started = time.perf_counter()
            ws.import_csv(path, seq.id)
            times.append(time.perf_counter() - started)
        finally:
            ws.close()
    return rows / statistics.median(times)


def resync_lines(contacts: int) -> list[str]:
    command = [sys.executable, str(HERE / "resync.py"), "--contacts", str(contacts)]
    command += ["--inline-details", "ignore"]  # the sandbox default; all three: resync.py
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench/resync.py failed:\n{done.stderr}")
    return done.stdout.splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--contacts", type=int, help="the contacts table at this many (scale.py)")
    parser.add_argument("--database-url", help="with --contacts: a PostgreSQL server to use")
    parser.add_argument(
        "--no-resync", action="store_true", help="skip the resync (12 minutes at full size)"
    )
    args = parser.parse_args()
    print(machine.probe(), flush=True)
    try:
        return measure(args)
    finally:
        print(machine.probe(), flush=True)


def measure(args: argparse.Namespace) -> int:
    if args.contacts:
        with tempfile.TemporaryDirectory(prefix="escapement-bench-") as tmp:
            scale.run(Path(tmp), args.contacts, args.database_url)
        return 0
    store_rows, csv_rows, resync_contacts = (
        (20_000, 20_000, 200) if args.quick else (100_000, 100_000, 10_000)
    )
    size = f"{store_rows // 1000}k"
    with tempfile.TemporaryDirectory(prefix="escapement-bench-") as tmp:
        folder = Path(tmp)
        fill_store(folder / "store", store_rows).close()
        start = startup(folder / "store", store_rows, folder / "pycache")
        print(f"startup_{size}: {start.shown_s:.2f} s (goal: under 1.0 s with 100k)", flush=True)
        print(f"memory_{size}: {start.rss_kb / 1024:.0f} MB (goal: under 150 MB with 100k)")
        print(f"first_rows_{size}: {start.rows_s * 1000:.0f} ms (goal: under 300 ms)", flush=True)
        ms = filter_ms(folder / "store")
        print(f"filter_{size}: {ms:.0f} ms (goal: under 100 ms with 100k)", flush=True)
        rate = import_rate(folder, csv_rows)
        print(
            f"import_{csv_rows // 1000}k: {rate:,.0f} rows/s (goal: at least 50,000 rows/s)",
            flush=True,
        )
    if args.no_resync:
        return 0
    for line in resync_lines(resync_contacts):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
