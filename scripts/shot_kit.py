"""What every screenshot scene shares: where PNGs go, which are kept, and waiting for the GUI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ui.runtime.task_runner import wait_for_all

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"


@dataclass
class Target:
    out: Path = SHOTS  # docs/screenshots/dark for the dark pass
    only: set[str] | None = None  # a --scale run keeps a few screens


target = Target()


async def settle(ms: int = 400) -> None:
    """Let queued queries land and the window repaint."""
    for _ in range(3):
        wait_for_all()
        await asyncio.sleep(ms / 3000)


async def until(condition: Callable[[], object], seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"screenshots: waited too long for {condition}")
        await asyncio.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    if target.only is not None and name not in target.only:
        return
    target.out.mkdir(parents=True, exist_ok=True)
    path = target.out / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))
