"""Two first starts at once, on a new file or an old schema: both succeed, one migrates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.store.backups import list_backups
from app.store.migrate import head_revision
from tests.store.fs_faults import OLD_REVISION, make_database, revision_of

ROOT = Path(__file__).resolve().parents[2]
OPEN = "import sys; from app.store import open_store; open_store(sys.argv[1]).dispose()"


def start_together(path: Path, count: int = 3) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, f"sqlite:///{path}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


@pytest.mark.parametrize("start", ["new file", "old schema"])
def test_concurrent_first_starts_all_succeed(start: str, tmp_path: Path) -> None:
    path = tmp_path / "escapement.db"
    if start == "old schema":
        make_database(path, revision=OLD_REVISION)
    results = start_together(path)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr[-400:] for r in results]
    assert revision_of(path) == head_revision()
    assert len(list_backups(path)) == (1 if start == "old schema" else 0)
