"""One- and two-character searches on a filled store: `python bench/short_search.py URL [TEXT...]`.

Opens the store at URL (migrating it to head, with each step's time), then for each search
prints how the plan reads it (the scan, the index's patterns and how many, or no one) and the
count plus first 200-row page as the table asks for them (median of 3), with the load average.
Fill a store first with bench/add_profile.py or bench/run.py's helpers; a PostgreSQL 1M store
can be kept between runs, so each iteration costs seconds rather than the 15 minutes of
bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import time

from scale import SHORT, first_screen, median_ms

from app.domain import ContactFilter
from app.store import search, search_index
from app.workspace import Workspace

MORE = ("k", "v", "y", "w", "j", "x", "7", "zh", "qv", "dq", "@", ".c", "e", "an")


def opened(url: str) -> Workspace:
    started = time.perf_counter()

    def report(step: str, done: float) -> None:
        print(f"  {time.perf_counter() - started:6.1f} s  {step} {done:.0%}", flush=True)

    ws = Workspace.open(url, progress=report)
    print(f"open (with any migration): {time.perf_counter() - started:.1f} s", flush=True)
    return ws


def how(ws: Workspace, text: str) -> str:
    with ws.store.read() as session:
        plan = search.plan(session, text)
    if plan.patterns:
        return f"{len(plan.patterns)} patterns"
    return "fts" if plan.index_query else "no one" if str(plan.scan) == "false" else "scan"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("searches", nargs="*")
    parser.add_argument("--scan", action="store_true", help="as before pgpairs: scan them")
    args = parser.parse_args()
    if args.scan:
        search_index.PAIRS_TABLE = "no_such_table"
    ws = opened(args.url)
    for text in args.searches or SHORT + MORE:
        flt = ContactFilter(search=text)
        ms = median_ms(lambda flt=flt: first_screen(ws, flt))
        count = ws.contact_count(flt)
        print(
            f"{text!r:8} {ms:8.1f} ms  {how(ws, text):12} count {count.value}"
            f"{'' if count.exact else '+'}  load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
