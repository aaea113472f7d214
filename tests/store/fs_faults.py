"""File-system faults for the store tests: a tiny tmpfs that fills up, a path made read-only,
an old-schema database. Mounting needs root; without it the tests that need it skip, and the
ENOSPC fault injector tests (which need nothing) still run."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic import command

from app.store import open_store
from app.store.migrate import _config

OLD_REVISION = "0001"


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def small_tmpfs(folder: Path, size_kib: int) -> Iterator[Path]:
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave_bytes: int = 0) -> None:
    """Write a filler file until the file system has at most `leave_bytes` free."""
    free = shutil.disk_usage(folder).free - leave_bytes
    with (folder / "filler").open("wb") as fh:
        try:
            while free > 0:
                chunk = min(free, 64 * 1024)
                fh.write(b"\0" * chunk)
                fh.flush()
                free -= chunk
        except OSError:
            pass


@contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """`path` (a file or a folder) made read-only even for root: a read-only bind mount."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield path
        finally:
            path.chmod(mode)
        return
    subprocess.run(["mount", "--bind", str(path), str(path)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def make_database(path: Path, *, revision: str | None = None) -> Path:
    """A real Escapement database at `path`, at head or taken down to `revision`."""
    store = open_store(f"sqlite:///{path}")
    try:
        if revision is not None:
            config = _config()
            with store.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.downgrade(config, revision)
    finally:
        # A failed downgrade must not leave a connection for the garbage collector: its
        # ResourceWarning would fail whichever later test is running when it is collected.
        store.dispose()
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, to show a refused open changed nothing (the lock file aside)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }


def revision_of(path: Path) -> str:
    import sqlite3

    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
