"""The window's start, measured from outside: fresh processes of bench/launch_gui.py.

Used by run.py (startup_100k, memory_100k) and scale.py (the window at N contacts, on SQLite
or on PostgreSQL).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

HERE = Path(__file__).resolve().parent
STARTS = 3


@dataclass(frozen=True)
class Start:
    shown_s: float  # process start to the main window's first paint
    rows_s: float  # the Contacts pane opened to its first rows shown
    rss_kb: int  # VmRSS with those rows shown


def start_once(folder: Path, rows: int, env: dict[str, str], url: str | None = None) -> Start:
    command = [sys.executable, str(HERE / "launch_gui.py"), str(folder), str(rows)]
    command += [url] if url else []
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    shown, rows_ms, rss = None, None, None
    assert proc.stdout is not None
    for raw in proc.stdout:
        word, _, value = raw.decode().strip().partition(" ")
        if word == "shown" and shown is None:
            shown = time.perf_counter() - started
        elif word == "rows_ms":
            rows_ms = float(value)
        elif word == "rss_kb":
            rss = int(value)
    _, errors = proc.communicate(timeout=120)
    if proc.returncode != 0 or shown is None or rss is None or rows_ms is None:
        raise RuntimeError(f"the app did not start cleanly:\n{errors.decode()}")
    return Start(shown, rows_ms / 1000, rss)


def startup(folder: Path, rows: int, cache: Path, url: str | None = None) -> Start:
    """Medians of fresh processes (the largest RSS), after one run that compiles the bytecode
    cache (an installed app ships compiled bytecode; this shell may forbid writing it next to
    sources). A PostgreSQL `url` goes to the app without its password, which travels in
    ESCAPEMENT_DATABASE_PASSWORD as the app wants it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if url is not None and make_url(url).password:
        env["ESCAPEMENT_DATABASE_PASSWORD"] = str(make_url(url).password)
        url = make_url(url).set(password=None).render_as_string(hide_password=False)
    start_once(folder, rows, env, url)
    runs = [start_once(folder, rows, env, url) for _ in range(STARTS)]
    return Start(
        statistics.median(r.shown_s for r in runs),
        statistics.median(r.rows_s for r in runs),
        max(r.rss_kb for r in runs),
    )
