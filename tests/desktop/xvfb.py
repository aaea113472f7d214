"""A private X server for the real-window test and the frozen build's start-time bench.

Xvfb picks a free display itself (-displayfd) and names it before it accepts clients, so the
display is probed with xdpyinfo before it is handed out. Debian packages: xvfb, x11-utils.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL_S = 0.05
SCREEN = ("-screen", "0", "1280x800x24")


@contextmanager
def private_display(timeout_s: float = 120) -> Iterator[str]:
    """An Xvfb on a display of its own choosing, accepting clients; stopped afterwards."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        # -noreset: Xvfb otherwise resets when its last client leaves, and refuses whoever
        # connects during the reset (the next app start, after a probe or the last quit).
        [*("Xvfb", "-displayfd", str(write_end), "-noreset", "-nolisten", "tcp"), *SCREEN],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as chosen:
            number = chosen.readline().strip()  # written once the server listens
        if not number.isdigit():
            raise RuntimeError("Xvfb did not report its display")
        _wait_until_serving(f":{number}", timeout_s)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def x11(display: str, *command: str) -> subprocess.CompletedProcess[str]:
    """Run an X client on `display`, capturing its output."""
    return subprocess.run(
        command, env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, check=False
    )


def _wait_until_serving(display: str, timeout_s: float) -> None:
    """A client that comes before the server accepts is refused: probe until one is not."""
    deadline = time.monotonic() + timeout_s
    while x11(display, "xdpyinfo").returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb on {display} did not accept clients in {timeout_s:.0f} s")
        time.sleep(POLL_S)
