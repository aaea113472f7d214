"""How fast this machine is right now: a fixed piece of work, timed before and after a run.

The machine the figures come from is shared and its speed drifts by up to two times within
an hour (the same start of the window took 1.12-1.44 s at 02:21 and 0.65-0.74 s at 02:41 on
6 December, with the same code). Every figure is only comparable with others taken at a
similar probe reading, so bench/run.py prints one at its start and its end.

    python bench/machine.py
"""

from __future__ import annotations

import sqlite3
import statistics
import time

ROWS = 50_000


def python_ms() -> float:
    """A pure-Python loop, as the CSV parser's is: bytecode, small objects."""
    started = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += len(str(i))
    assert total > 0
    return (time.perf_counter() - started) * 1000


def sqlite_ms() -> float:
    """Inserts into a table with a unique text index, in memory: SQLite's C and the memory
    bus, as a bulk add's are."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT)")
    # Keys in a scrambled order, as new addresses land all over the index.
    rows = [(i, f"p{(i * 7919) % ROWS}@firm{i % 97}.example", f"Name {i}") for i in range(ROWS)]
    started = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    elapsed = (time.perf_counter() - started) * 1000
    db.close()
    return elapsed


def probe() -> str:
    """One line: the medians of three of each."""
    py = statistics.median(python_ms() for _ in range(3))
    sq = statistics.median(sqlite_ms() for _ in range(3))
    return f"# machine probe: python {py:.0f} ms, sqlite {sq:.0f} ms (lower is a faster machine)"


if __name__ == "__main__":
    print(probe())
