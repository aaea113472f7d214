"""Peak memory and speed of parsing a large CSV export: `python bench/csv_memory.py [ROWS]`.

Writes a LinkedIn-style file of ROWS rows (default 1,000,000) to a temp dir, then parses it in a
fresh process and prints the file size, the parse time, rows per second and the process's peak
resident memory, with the baseline of a process that only imported the parser. Distinct emails:
every row becomes a contact, so the contacts list is the import's largest holding.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import write_csv  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(path: str) -> None:
    from app.csvimport import parse_csv_file

    baseline = peak_mb()
    started = time.perf_counter()
    parsed = parse_csv_file(Path(path))
    took = time.perf_counter() - started
    rows = len(parsed.contacts) + parsed.merged_duplicates + len(parsed.rejected)
    print(f"{rows} {took:.2f} {peak_mb():.0f} {baseline:.0f}")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        write_csv(path, rows)
        size_mb = path.stat().st_size / 1e6
        run = [sys.executable, __file__, "--child", str(path)]
        out = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()
    read, took, peak, baseline = int(out[0]), float(out[1]), float(out[2]), float(out[3])
    print(f"file: {rows:,} rows, {size_mb:.0f} MB")
    print(f"parsed: {read:,} rows in {took:.1f} s ({read / took:,.0f} rows/s)")
    print(f"peak resident memory: {peak:.0f} MB (baseline after imports {baseline:.0f} MB)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
