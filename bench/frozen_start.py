"""The frozen build's size on disk and how long it takes to show its window.

    python bench/frozen_start.py [--binary dist/escapement/escapement] [--runs 3] [--source]

Size: every file under the binary's folder. Start: in a private Xvfb on Qt's xcb platform,
the wall clock from starting the process until its main window is mapped and viewable
(`xdotool search --onlyvisible`, polled every 20 ms), then Ctrl+Q and a wait for the exit.
"first" is the first start on an empty data dir (it creates and migrates the store);
"again" starts on that data dir once more; each is the median of --runs runs. --source
measures `python main.py` the same way, for comparison. Linux only; needs Xvfb and xdotool.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.desktop.xvfb import private_display  # noqa: E402

POLL_S = 0.02
TIMEOUT_S = 120


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def one_start(command: list[str], display: str, home: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND_", "DBUS_"))}
    env |= {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(home)}
    x11 = {**os.environ, "DISPLAY": display}
    started = time.perf_counter()
    app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < TIMEOUT_S:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "^Escapement"],
                env=x11,
                capture_output=True,
                text=True,
                check=False,
            )
            if found.stdout.split():
                shown = time.perf_counter() - started
                window = found.stdout.split()[0]
                subprocess.run(["xdotool", "windowfocus", "--sync", window], env=x11, check=False)
                subprocess.run(["xdotool", "key", "ctrl+q"], env=x11, check=False)
                app.wait(timeout=TIMEOUT_S)
                return shown
            if app.poll() is not None:
                raise SystemExit(f"the app exited with {app.returncode} before showing its window")
            time.sleep(POLL_S)
        raise SystemExit(f"no window within {TIMEOUT_S} s")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def starts(command: list[str], runs: int) -> tuple[float, float]:
    """Medians of the first start on an empty data dir and of a start on that dir again."""
    first: list[float] = []
    again: list[float] = []
    with private_display(TIMEOUT_S) as display:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as scratch:
                data = Path(scratch) / "data"
                home = Path(scratch) / "home"
                home.mkdir()
                run = [*command, "--data-dir", str(data)]
                first.append(one_start(run, display, home))
                again.append(one_start(run, display, home))
    return statistics.median(first), statistics.median(again)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, default=ROOT / "dist" / "escapement" / "escapement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", action="store_true", help="also time `python main.py`")
    args = parser.parse_args()
    size, count = folder_size(args.binary.parent)
    print(f"frozen_size_mb {size / 1e6:.1f} ({count} files in {args.binary.parent})")
    first, again = starts([str(args.binary)], args.runs)
    print(f"frozen_start_first_s {first:.2f}")
    print(f"frozen_start_again_s {again:.2f}")
    if args.source:
        first, again = starts([sys.executable, "main.py"], args.runs)
        print(f"source_start_first_s {first:.2f}")
        print(f"source_start_again_s {again:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
