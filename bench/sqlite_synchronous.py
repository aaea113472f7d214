"""What synchronous=FULL costs against NORMAL, in WAL mode, on this machine's disk.

Prints, for each mode: the median and 95th-percentile time of one small committed write (the
size of marking one email sent), and the time to add 10,000 contacts in one call.

    python bench/sqlite_synchronous.py [--dir FOLDER] [--writes 300]

Run it on the disk the data dir lives on: the figures are fsync's, so they are the disk's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, update  # noqa: E402

from app.store import open_store  # noqa: E402
from app.store.models import Sequence  # noqa: E402
from app.workspace import Workspace  # noqa: E402
from bench.data import contacts  # noqa: E402


def measure(folder: Path, mode: str, writes: int) -> dict[str, float]:
    store = open_store(f"sqlite:///{folder / f'{mode}.db'}")

    @event.listens_for(store.engine, "connect")
    def _mode(dbapi_conn: Any, _record: Any) -> None:  # after the app's own settings
        dbapi_conn.execute(f"PRAGMA synchronous={mode}")

    store.engine.dispose()  # reconnect, so every connection gets the mode under test
    ws = Workspace(store)
    seq = ws.create_sequence("Bench")
    times = []
    for n in range(writes):
        start = time.perf_counter()
        with store.write() as session:
            session.execute(update(Sequence).where(Sequence.id == seq.id).values(name=f"B{n}"))
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    ws.add_contacts(seq.id, list(contacts(10_000)))
    bulk = time.perf_counter() - start
    ws.close()
    times.sort()
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "bulk_10k_s": bulk,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to write (default: a temp folder)")
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for mode in ("NORMAL", "FULL"):
            r = measure(Path(tmp), mode, args.writes)
            print(
                f"synchronous={mode:<6}  one small write: median {r['median_ms']:.2f} ms, "
                f"p95 {r['p95_ms']:.2f} ms;  10,000 contacts added: {r['bulk_10k_s']:.2f} s"
            )


if __name__ == "__main__":
    main()
